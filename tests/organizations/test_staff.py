"""The center staff's pages: review of applications and 変更届, the organization list and its CSV,
the 360 page, suspend and reinstate."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.dates import fiscal_year
from kyodo.models import SentMail
from organizations.enums import EventAction
from organizations.models import (
    Application,
    Organization,
    OrganizationEvent,
    ProfileChange,
)
from organizations.sections import StaffSection, _sections, register_staff_section
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def _this_fiscal_year():
    return fiscal_year(timezone.localdate())


def _applying_organization(**kwargs):
    """A new organization that applied: 申請中, with its 代表管理者 and a submitted application."""
    organization = OrganizationFactory(
        status="applying", registration_number=None, valid_until=None, **kwargs
    )
    owner = MembershipFactory(organization=organization, role="owner").user
    application = Application.objects.create(
        organization=organization,
        kind="new",
        fiscal_year=_this_fiscal_year(),
        status="submitted",
        submitted_by=owner,
    )
    return application, owner


def _renewal(organization):
    return Application.objects.create(
        organization=organization,
        kind="renewal",
        fiscal_year=_this_fiscal_year() + 1,
        status="submitted",
    )


def _change(organization, by=None, **changes):
    changes = changes or {"name": f"{organization.name}（新）"}
    return ProfileChange.objects.create(
        organization=organization,
        changes=changes,
        previous={name: str(getattr(organization, name)) for name in changes},
        requested_by=by,
    )


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _message_text(text):
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


# --- permission matrix -----------------------------------------------------------------------

PEOPLE = ["owner", "manager", "member", "outsider", "stranger"]


def _staff_urls(organization):
    """(method, url) of every staff page, for an organization with an open renewal and a
    pending change of details."""
    application = _renewal(organization)
    change = _change(organization)
    return [
        ("get", reverse("organizations:staff_list")),
        ("get", reverse("organizations:staff_export")),
        ("get", reverse("organizations:review_list")),
        ("get", reverse("organizations:application_review", args=[application.pk])),
        ("get", reverse("organizations:change_review", args=[change.pk])),
        ("get", reverse("organizations:staff_detail", args=[organization.pk])),
        ("post", reverse("organizations:suspend", args=[organization.pk])),
        ("post", reverse("organizations:reinstate", args=[organization.pk])),
    ]


def test_anonymous_users_are_sent_to_log_in_from_every_staff_page(client, organization):
    login = reverse("account_login")
    for method, url in _staff_urls(organization):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    organization.refresh_from_db()
    assert organization.status == "registered"


@pytest.mark.parametrize("person", PEOPLE)
def test_everyone_but_staff_gets_404_on_every_staff_page(client, organization, people, person):
    client.force_login(people[person])
    for method, url in _staff_urls(organization):
        response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
        assert response.status_code == 404, (person, url)
    organization.refresh_from_db()
    assert organization.status == "registered"
    assert not OrganizationEvent.objects.filter(new_status="suspended").exists()


def test_staff_open_every_staff_page(client, organization, people):
    client.force_login(people["staff"])
    for method, url in _staff_urls(organization):
        response = getattr(client, method)(url)
        assert response.status_code == (200 if method == "get" else 302), url


def test_a_ward_official_is_not_center_staff(client, organization, ward_official):
    client.force_login(ward_official)
    assert client.get(reverse("organizations:staff_list")).status_code == 404


def test_suspend_and_reinstate_accept_only_post(client, organization, staff):
    client.force_login(staff)
    assert client.get(reverse("organizations:suspend", args=[organization.pk])).status_code == 405
    assert client.get(reverse("organizations:reinstate", args=[organization.pk])).status_code == 405


# --- the review queue ------------------------------------------------------------------------


def test_the_review_list_shows_open_applications_oldest_first_and_pending_changes(client, staff):
    _newer, _owner = _applying_organization(name="新しい申請の会")
    older, _owner = _applying_organization(name="古い申請の会")
    Application.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=3)
    )
    renewing = OrganizationFactory(name="更新する会")
    _renewal(renewing)
    decided, _owner = _applying_organization(name="決まった会")
    Application.objects.filter(pk=decided.pk).update(status="approved")
    changing = OrganizationFactory(name="旧名の会")
    _change(changing, name="新名の会", org_type="npo")

    client.force_login(staff)
    _english(client)
    response = client.get(reverse("organizations:review_list"))

    shown = [a.organization.name for a in response.context["applications"]]
    assert shown == ["古い申請の会", "新しい申請の会", "更新する会"]
    body = response.content.decode()
    assert "決まった会" not in body
    assert "New registration" in body and "Renewal" in body
    assert reverse("organizations:application_review", args=[older.pk]) in body
    # The 変更届 as a diff of the value before and the value asked for, in the reader's language.
    assert "旧名の会" in body and "新名の会" in body
    assert "Voluntary or volunteer group" in body
    assert "Specified non-profit corporation (NPO)" in body
    assert "<caption>" in body and 'scope="col"' in body and "table-responsive" in body


def test_the_application_page_shows_the_whole_profile_documents_members_and_history(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organizations.services import document_add

    application, owner = _applying_organization(purpose="川をきれいにする。")
    organization = application.organization
    document = document_add(
        organization=organization,
        by=owner,
        kind="rules",
        upload=SimpleUploadedFile("kiyaku.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    client.force_login(staff)
    response = client.get(reverse("organizations:application_review", args=[application.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert organization.name in body and organization.name_kana in body
    assert "川をきれいにする。" in body
    assert organization.phone in body and organization.email in body
    assert "kiyaku.pdf" in body
    assert reverse("organizations:document_download", args=[organization.pk, document.pk]) in body
    assert owner.email in body
    assert 'value="approve"' in body and 'value="return"' in body and 'value="reject"' in body


def test_staff_approve_a_new_registration_from_the_page(client, staff, run_on_commit):
    application, owner = _applying_organization()
    organization = application.organization
    client.force_login(staff)

    with run_on_commit():
        response = client.post(
            reverse("organizations:application_review", args=[application.pk]),
            {"action": "approve"},
        )

    assert response.status_code == 302
    assert response.url == reverse("organizations:review_list")
    assert ("success", str(_message_text("The application was approved."))) in _messages(response)
    application.refresh_from_db()
    organization.refresh_from_db()
    assert application.status == "approved"
    assert application.decided_by == staff
    assert organization.status == "registered"
    assert organization.registration_number.startswith(f"{_this_fiscal_year()}-")
    assert organization.valid_until == dt.date(_this_fiscal_year() + 1, 3, 31)
    moves = set(
        OrganizationEvent.objects.filter(organization=organization, changed_by=staff).values_list(
            "kind", "old_status", "new_status"
        )
    )
    assert ("application", "submitted", "approved") in moves
    assert ("registration", "applying", "registered") in moves
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert SentMail.objects.filter(
        purpose="organizations.application_approved", to=owner.email
    ).exists()


def test_staff_approve_a_renewal_which_extends_the_validity(
    client, organization, people, run_on_commit
):
    application = _renewal(organization)
    client.force_login(people["staff"])
    with run_on_commit():
        client.post(
            reverse("organizations:application_review", args=[application.pk]),
            {"action": "approve"},
        )
    organization.refresh_from_db()
    assert organization.status == "registered"
    assert organization.valid_until == dt.date(_this_fiscal_year() + 2, 3, 31)
    assert OrganizationEvent.objects.filter(
        organization=organization, action=EventAction.REGISTRATION_RENEWED
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )


def test_staff_return_an_application_with_a_reason_the_applicant_reads(
    client, staff, run_on_commit
):
    application, owner = _applying_organization()
    client.force_login(staff)
    with run_on_commit():
        response = client.post(
            reverse("organizations:application_review", args=[application.pk]),
            {"action": "return", "reason": "規約の写しを添付してください。"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "returned"
    assert application.reason == "規約の写しを添付してください。"
    assert application.organization.status == "applying"
    event = OrganizationEvent.objects.get(application=application, new_status="returned")
    assert event.changed_by == staff
    assert event.reason == "規約の写しを添付してください。"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "規約の写しを添付してください。" in mail.outbox[0].body


def test_staff_reject_an_application_with_a_reason(client, staff, run_on_commit):
    application, owner = _applying_organization()
    client.force_login(staff)
    with run_on_commit():
        client.post(
            reverse("organizations:application_review", args=[application.pk]),
            {"action": "reject", "reason": "区内での活動が確認できません。"},
        )
    application.refresh_from_db()
    organization = Organization.objects.get(pk=application.organization_id)
    assert application.status == "rejected"
    assert organization.status == "rejected"
    assert OrganizationEvent.objects.filter(
        organization=organization, kind="registration", new_status="rejected"
    ).exists()
    assert mail.outbox[0].to == [owner.email]
    assert "区内での活動が確認できません。" in mail.outbox[0].body


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_or_reject_without_a_reason_shows_the_error_and_changes_nothing(
    client, staff, run_on_commit, action
):
    application, _owner = _applying_organization()
    events = OrganizationEvent.objects.count()
    client.force_login(staff)
    _english(client)
    with run_on_commit():
        response = client.post(
            reverse("organizations:application_review", args=[application.pk]),
            {"action": action, "reason": "   "},
        )
    assert response.status_code == 200
    assert "Give a reason; the applicant reads it." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.organization.status == "applying"
    assert OrganizationEvent.objects.count() == events
    assert mail.outbox == []


def test_a_decided_application_cannot_be_decided_again(client, staff):
    application, _owner = _applying_organization()
    Application.objects.filter(pk=application.pk).update(status="rejected")
    client.force_login(staff)
    response = client.get(reverse("organizations:application_review", args=[application.pk]))
    assert 'value="approve"' not in response.content.decode()
    response = client.post(
        reverse("organizations:application_review", args=[application.pk]),
        {"action": "approve"},
    )
    assert response.status_code == 200
    assert [level for level, _text in _messages(response)] == ["error"]
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.organization.status == "applying"


def test_an_unknown_action_is_a_bad_request(client, staff):
    application, _owner = _applying_organization()
    client.force_login(staff)
    response = client.post(
        reverse("organizations:application_review", args=[application.pk]),
        {"action": "delete"},
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == "submitted"


# --- 変更届 -------------------------------------------------------------------------------------


def test_staff_approve_a_change_of_details_which_applies_it(
    client, organization, people, run_on_commit
):
    change = _change(organization, by=people["owner"], name="日本橋未来の会")
    client.force_login(people["staff"])
    with run_on_commit():
        response = client.post(
            reverse("organizations:change_review", args=[change.pk]), {"action": "approve"}
        )
    assert response.status_code == 302
    change.refresh_from_db()
    organization.refresh_from_db()
    assert change.status == "approved"
    assert change.decided_by == people["staff"]
    assert organization.name == "日本橋未来の会"
    assert OrganizationEvent.objects.filter(
        organization=organization, action=EventAction.CHANGE_APPROVED
    ).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )


def test_staff_turn_down_a_change_of_details_only_with_a_reason(
    client, organization, people, run_on_commit
):
    old_name = organization.name
    change = _change(organization, name="別の名前")
    client.force_login(people["staff"])
    _english(client)
    url = reverse("organizations:change_review", args=[change.pk])

    with run_on_commit():
        response = client.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Give a reason; the applicant reads it." in response.content.decode()
    change.refresh_from_db()
    assert change.status == "pending"
    assert mail.outbox == []

    with run_on_commit():
        client.post(url, {"action": "reject", "reason": "登記簿の写しが必要です。"})
    change.refresh_from_db()
    organization.refresh_from_db()
    assert change.status == "rejected"
    assert organization.name == old_name
    assert OrganizationEvent.objects.get(
        organization=organization, action=EventAction.CHANGE_NOT_APPROVED
    ).reason == ("登記簿の写しが必要です。")
    assert "登記簿の写しが必要です。" in mail.outbox[0].body


def test_the_change_page_shows_the_value_before_and_the_value_asked_for(
    client, organization, staff
):
    change = _change(organization, representative_name="月島　花子")
    client.force_login(staff)
    body = client.get(reverse("organizations:change_review", args=[change.pk])).content.decode()
    assert "日本橋　一郎" in body and "月島　花子" in body


# --- suspend and reinstate -------------------------------------------------------------------


def test_staff_suspend_with_a_reason_and_reinstate(client, organization, people, run_on_commit):
    client.force_login(people["staff"])
    with run_on_commit():
        response = client.post(
            reverse("organizations:suspend", args=[organization.pk]),
            {"reason": "無断キャンセルが続いたため"},
        )
    assert response.url == reverse("organizations:staff_detail", args=[organization.pk])
    organization.refresh_from_db()
    assert organization.status == "suspended"
    event = OrganizationEvent.objects.get(organization=organization, new_status="suspended")
    assert (event.old_status, event.changed_by, event.reason) == (
        "registered",
        people["staff"],
        "無断キャンセルが続いたため",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    assert "無断キャンセルが続いたため" in mail.outbox[0].body

    page = client.get(reverse("organizations:staff_detail", args=[organization.pk]))
    assert reverse("organizations:reinstate", args=[organization.pk]) in page.content.decode()

    with run_on_commit():
        client.post(reverse("organizations:reinstate", args=[organization.pk]), {"reason": ""})
    organization.refresh_from_db()
    assert organization.status == "registered"
    assert OrganizationEvent.objects.filter(
        organization=organization, old_status="suspended", new_status="registered"
    ).exists()
    assert len(mail.outbox) == 4


def test_suspending_needs_a_reason(client, organization, staff):
    client.force_login(staff)
    _english(client)
    response = client.post(
        reverse("organizations:suspend", args=[organization.pk]), {"reason": ""}, follow=True
    )
    assert "Give the reason for the suspension" in response.content.decode()
    organization.refresh_from_db()
    assert organization.status == "registered"


def test_an_organization_still_applying_cannot_be_suspended(client, staff):
    application, _owner = _applying_organization()
    client.force_login(staff)
    response = client.post(
        reverse("organizations:suspend", args=[application.organization_id]), {"reason": "x"}
    )
    assert [level for level, _text in _messages(response)] == ["error"]
    assert Organization.objects.get(pk=application.organization_id).status == "applying"


# --- the 360 page ----------------------------------------------------------------------------


def test_the_360_page_shows_profile_members_open_items_history_and_registered_sections(
    client, organization, people
):
    application = _renewal(organization)
    change = _change(organization, name="新しい名前の会")
    OrganizationEvent.objects.create(
        organization=organization, kind="registration", action=EventAction.DETAILS_UPDATED
    )
    register_staff_section(
        StaffSection(
            key="test_bookings",
            title="Bookings of the test",
            template="organizations/staff_parts.html#documents",
            context=lambda org, request: {"count": 1},
        )
    )
    register_staff_section(
        StaffSection(
            key="test_hidden",
            title="Nothing to show",
            template="organizations/staff_parts.html#documents",
            context=lambda org, request: None,
        )
    )
    try:
        client.force_login(people["staff"])
        _english(client)
        response = client.get(reverse("organizations:staff_detail", args=[organization.pk]))
    finally:
        _sections.pop("test_bookings", None)
        _sections.pop("test_hidden", None)
    body = response.content.decode()
    assert organization.name in body and organization.registration_number in body
    assert organization.purpose in body
    for person in ("owner", "manager", "member"):
        assert people[person].email in body
    assert people["outsider"].email not in body
    assert reverse("organizations:application_review", args=[application.pk]) in body
    assert reverse("organizations:change_review", args=[change.pk]) in body
    assert "新しい名前の会" in body
    assert "Details updated" in body
    assert "Bookings of the test" in body
    assert "Nothing to show" not in body
    assert reverse("organizations:suspend", args=[organization.pk]) in body


# --- the organization list -------------------------------------------------------------------


def test_the_list_filters_by_search_status_type_field_and_expiry(client, staff):
    today = timezone.localdate()
    OrganizationFactory(
        name="佃島こども食堂",
        name_kana="ツクダジマコドモショクドウ",
        org_type="npo",
        fields=[13],
        valid_until=today + dt.timedelta(days=20),
    )
    later = today + dt.timedelta(days=200)  # whatever today is, not expiring within 30 days
    OrganizationFactory(
        name="月島防災の会", name_kana="ツキシマボウサイノカイ", fields=[8], valid_until=later
    )
    OrganizationFactory(
        name="京橋停止中の会",
        name_kana="キョウバシテイシチュウノカイ",
        status="suspended",
        valid_until=later,
    )
    client.force_login(staff)
    url = reverse("organizations:staff_list")

    def names(**params):
        return sorted(o.name for o in client.get(url, params).context["organizations"])

    assert names(q="つくだじま") == ["佃島こども食堂"]
    assert names(status="suspended") == ["京橋停止中の会"]
    assert names(org_type="npo") == ["佃島こども食堂"]
    assert names(field=8) == ["月島防災の会"]
    assert names(expiring=(today + dt.timedelta(days=30)).isoformat()) == ["佃島こども食堂"]
    assert len(names()) == 3


def test_the_list_shows_the_columns_links_and_a_csv_link_keeping_the_filters(
    client, organization, people
):
    client.force_login(people["staff"])
    response = client.get(reverse("organizations:staff_list"), {"status": "registered"})
    body = response.content.decode()
    row = response.context["organizations"][0]
    assert row.portal_members == 3  # owner, manager and member of the `people` fixture
    assert organization.registration_number in body
    assert reverse("organizations:staff_detail", args=[organization.pk]) in body
    assert f"{reverse('organizations:staff_export')}?status=registered" in body
    assert "<caption>" in body and 'scope="row"' in body


def test_the_list_pages_by_fifty(client, staff):
    OrganizationFactory.create_batch(51)
    client.force_login(staff)
    url = reverse("organizations:staff_list")
    first = client.get(url)
    assert len(first.context["organizations"]) == 50
    assert "?page=2" in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["organizations"]) == 1


def _count_queries(client, url):
    client.get(url)  # warm the session, content types and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _organization_with_members(**kwargs):
    organization = OrganizationFactory(**kwargs)
    MembershipFactory(organization=organization, role="owner")
    MembershipFactory(organization=organization, role="member")
    return organization


def test_the_list_runs_the_same_queries_for_one_and_for_thirty_organizations(
    client, staff, django_assert_num_queries
):
    _organization_with_members(fields=[1, 3])
    client.force_login(staff)
    url = reverse("organizations:staff_list")
    with_one = _count_queries(client, url)
    for _i in range(29):
        _organization_with_members(fields=[1, 3])
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["organizations"]) == 30
    assert all(o.portal_members == 2 for o in response.context["organizations"])


def test_the_review_list_runs_the_same_queries_for_one_and_for_thirty_items(
    client, staff, django_assert_num_queries
):
    _applying_organization()
    _change(OrganizationFactory())
    client.force_login(staff)
    url = reverse("organizations:review_list")
    with_one = _count_queries(client, url)
    for _i in range(29):
        _applying_organization()
        _change(OrganizationFactory())
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["applications"]) == 30
    assert len(response.context["changes"]) == 30


# --- CSV export ------------------------------------------------------------------------------


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_a_bom_a_header_and_one_row_per_organization(client, staff):
    OrganizationFactory(
        name="佃島こども食堂",
        name_kana="ツクダジマコドモショクドウ",
        org_type="npo",
        registration_number="2026-0101",
        fields=[3, 7],
        representative_name="佃　花子",
        phone="03-3333-4444",
        email="kodomo@example.jp",
    )
    OrganizationFactory(name="月島防災の会", name_kana="ツキシマボウサイノカイ")
    client.force_login(staff)
    response = client.get(reverse("organizations:staff_export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = _csv_rows(response)
    assert rows[0][0] == "登録番号"
    assert len(rows[0]) == 10
    assert len(rows) == 3
    kodomo = next(r for r in rows if r[1] == "佃島こども食堂")
    assert kodomo[0] == "2026-0101"
    assert kodomo[2] == "ツクダジマコドモショクドウ"
    assert kodomo[5] == f"{_this_fiscal_year() + 1}-03-31"
    assert kodomo[6:9] == ["佃　花子", "03-3333-4444", "kodomo@example.jp"]
    assert kodomo[9] == "まちづくりの推進を図る活動、環境の保全を図る活動"


def test_the_csv_header_follows_the_language_and_the_rows_follow_the_filters(client, staff):
    OrganizationFactory(name="停止中の会", status="suspended", org_type="npo")
    OrganizationFactory(name="登録済の会")
    client.force_login(staff)
    _english(client)
    response = client.get(reverse("organizations:staff_export"), {"status": "suspended"})
    rows = _csv_rows(response)
    assert rows[0] == [
        "Registration number",
        "Organization name",
        "Furigana",
        "Type",
        "Status",
        "Valid until",
        "Representative",
        "Phone",
        "E-mail",
        "Activity fields",
    ]
    assert [r[1] for r in rows[1:]] == ["停止中の会"]
    assert rows[1][3:5] == ["Specified non-profit corporation (NPO)", "Suspended"]


def test_the_csv_writes_a_cell_that_looks_like_a_formula_as_text(client, staff):
    OrganizationFactory(name="=HYPERLINK(1)")
    client.force_login(staff)
    rows = _csv_rows(client.get(reverse("organizations:staff_export")))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_the_csv_runs_the_same_queries_for_one_and_for_thirty_organizations(
    client, staff, django_assert_num_queries
):
    OrganizationFactory(fields=[1, 3])
    client.force_login(staff)
    url = reverse("organizations:staff_export")
    with_one = _count_queries(client, url)
    OrganizationFactory.create_batch(29, fields=[1, 3])
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(_csv_rows(response)) == 31


def test_a_filter_value_that_does_not_validate_is_left_out_and_shown(client, staff):
    OrganizationFactory(name="停止中の会", status="suspended")
    OrganizationFactory(name="登録済の会")
    client.force_login(staff)
    response = client.get(
        reverse("organizations:staff_list"), {"status": "suspended", "expiring": "not-a-date"}
    )
    assert [o.name for o in response.context["organizations"]] == ["停止中の会"]
    assert "expiring" in response.context["form"].errors
    rows = _csv_rows(
        client.get(
            reverse("organizations:staff_export"),
            {"status": "suspended", "expiring": "not-a-date"},
        )
    )
    assert [r[1] for r in rows[1:]] == ["停止中の会"]
