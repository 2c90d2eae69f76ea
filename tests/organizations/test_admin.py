"""The backoffice for 団体登録: filters, search, actions (CSV, renewal reminder, suspend),
the singleton rules and the read-only lists."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.dates import fiscal_year
from kyodo.models import SentMail
from kyodo.text import search_key
from organizations.enums import EventAction
from organizations.models import (
    ActivityField,
    Application,
    OrganizationEvent,
    ProfileChange,
    RegistrationRules,
)
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:organizations_organization_changelist"


def _names(response):
    return sorted(o.name for o in response.context["cl"].result_list)


def _run_action(client, action, organizations, url_name=CHANGELIST, **extra):
    return client.post(
        reverse(url_name),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [o.pk for o in organizations],
            "index": 0,
            **extra,
        },
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_only_center_staff_reach_the_organization_backoffice(client, people):
    url = reverse(CHANGELIST)
    for person in ("owner", "manager", "member", "outsider", "stranger"):
        client.force_login(people[person])
        response = client.get(url)
        assert response.status_code == 302, person
        assert reverse("admin:login") in response.url
    client.force_login(people["staff"])
    assert client.get(url).status_code == 200


def test_the_list_filters_by_status_type_activity_field_and_expiry(staff_client):
    today = timezone.localdate()
    OrganizationFactory(name="期限切れの会", status="expired", valid_until=today - dt.timedelta(1))
    OrganizationFactory(name="もうすぐの会", valid_until=today + dt.timedelta(days=20), fields=[8])
    OrganizationFactory(name="三か月以内の会", valid_until=today + dt.timedelta(days=80))
    OrganizationFactory(
        name="来年度の会", org_type="npo", valid_until=today + dt.timedelta(days=400)
    )
    url = reverse(CHANGELIST)
    assert _names(staff_client.get(url, {"status__exact": "expired"})) == ["期限切れの会"]
    assert _names(staff_client.get(url, {"org_type__exact": "npo"})) == ["来年度の会"]
    disaster = ActivityField.objects.get(number=8)
    assert _names(staff_client.get(url, {"activity_fields__id__exact": disaster.pk})) == [
        "もうすぐの会"
    ]
    assert _names(staff_client.get(url, {"expiry": "expired"})) == ["期限切れの会"]
    assert _names(staff_client.get(url, {"expiry": "30"})) == ["もうすぐの会"]
    within_90 = _names(staff_client.get(url, {"expiry": "90"}))
    assert within_90 == sorted(["三か月以内の会", "もうすぐの会"])


def test_the_list_searches_name_reading_and_registration_number(staff_client):
    OrganizationFactory(
        name="佃島こども食堂",
        name_kana="ツクダジマコドモショクドウ",
        registration_number="2026-0777",
    )
    OrganizationFactory(name="月島防災の会", name_kana="ツキシマボウサイノカイ")
    url = reverse(CHANGELIST)
    assert _names(staff_client.get(url, {"q": "こども食堂"})) == ["佃島こども食堂"]
    assert _names(staff_client.get(url, {"q": "ボウサイ"})) == ["月島防災の会"]
    assert _names(staff_client.get(url, {"q": "2026-0777"})) == ["佃島こども食堂"]
    # ひらがな and half-width katakana find the katakana reading too.
    assert _names(staff_client.get(url, {"q": "つくだじま"})) == ["佃島こども食堂"]
    assert _names(staff_client.get(url, {"q": "ﾂｷｼﾏ"})) == ["月島防災の会"]


def test_the_list_shows_the_number_of_portal_members(staff_client, organization, people):
    response = staff_client.get(reverse(CHANGELIST))
    row = next(o for o in response.context["cl"].result_list if o.pk == organization.pk)
    assert row.portal_member_total == 3
    assert organization.registration_number in response.content.decode()


def test_the_list_runs_the_same_queries_for_one_and_for_thirty_organizations(
    staff_client, django_assert_num_queries
):
    def make():
        organization = OrganizationFactory(fields=[1, 3])
        MembershipFactory(organization=organization, role="owner")

    make()
    url = reverse(CHANGELIST)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as with_one:
        staff_client.get(url)
    for _i in range(29):
        make()
    with django_assert_num_queries(len(with_one)):
        response = staff_client.get(url)
    assert len(response.context["cl"].result_list) == 30


def test_the_csv_action_exports_the_selected_rows_with_the_shared_builder(staff_client):
    chosen = OrganizationFactory(name="佃島こども食堂", fields=[3, 7])
    OrganizationFactory(name="選ばれない会")
    response = _run_action(staff_client, "export_csv", [chosen])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "登録番号"
    assert [r[1] for r in rows[1:]] == ["佃島こども食堂"]
    assert rows[1][9] == "まちづくりの推進を図る活動、環境の保全を図る活動"


def test_the_csv_action_exports_the_whole_filtered_list(staff_client):
    OrganizationFactory(name="停止中の会A", status="suspended")
    OrganizationFactory(name="停止中の会B", status="suspended")
    OrganizationFactory(name="登録済の会")
    response = staff_client.post(
        reverse(CHANGELIST) + "?status__exact=suspended",
        {"action": "export_csv", "select_across": 1, "index": 0, ACTION_CHECKBOX_NAME: ["0"]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["停止中の会A", "停止中の会B"]


def test_the_reminder_action_mails_the_managers_now_and_records_it(
    staff_client, staff, organization, people, run_on_commit
):
    with run_on_commit():
        response = _run_action(staff_client, "send_renewal_reminder", [organization])
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    assert (
        SentMail.objects.filter(
            purpose="organizations.renewal_reminder", to=people["owner"].email
        ).count()
        == 1
    )
    event = OrganizationEvent.objects.get(
        organization=organization, action=EventAction.REMINDER_SENT
    )
    assert event.changed_by == staff
    # A manual reminder claims no scheduled one: the sweep's reminders still go out.
    assert not organization.renewal_reminders.exists()


def test_the_reminder_action_skips_an_organization_still_applying(staff_client, run_on_commit):
    applying = OrganizationFactory(status="applying", registration_number=None, valid_until=None)
    MembershipFactory(organization=applying, role="owner")
    with run_on_commit():
        response = _run_action(staff_client, "send_renewal_reminder", [applying])
    assert response.status_code == 302
    assert mail.outbox == []
    assert not OrganizationEvent.objects.filter(organization=applying).exists()


def test_the_suspend_action_suspends_with_the_admin_reason(
    staff_client, staff, organization, people, run_on_commit
):
    already = OrganizationFactory(status="suspended")
    with run_on_commit():
        _run_action(staff_client, "suspend", [organization, already])
    organization.refresh_from_db()
    assert organization.status == "suspended"
    event = OrganizationEvent.objects.get(organization=organization, new_status="suspended")
    assert event.changed_by == staff
    assert event.reason  # the fixed text, in the staff member's language
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    assert not OrganizationEvent.objects.filter(organization=already).exists()


def _change_form_data(page):
    """The POST data of an admin change form as it was shown, inlines included."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | tuple):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in inline.formset.initial_forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if value is not None:
                    data[inline_form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_the_change_form_keeps_the_status_read_only_and_the_search_key_current(
    staff_client, organization, people
):
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "status" not in form.fields and "valid_until" not in form.fields
    assert reverse("organizations:staff_detail", args=[organization.pk]) in page.content.decode()

    data = _change_form_data(page)
    data.update(name="明石町ひまわりの会", name_kana="アカシチョウヒマワリノカイ")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    organization.refresh_from_db()
    assert organization.name == "明石町ひまわりの会"
    assert organization.status == "registered"
    assert search_key("ひまわり") in organization.search_key
    assert organization.memberships.count() == 3


def test_the_application_list_links_to_the_review_page_and_approves_in_bulk(
    staff_client, run_on_commit
):
    organization = OrganizationFactory(
        status="applying", registration_number=None, valid_until=None
    )
    owner = MembershipFactory(organization=organization, role="owner").user
    application = Application.objects.create(
        organization=organization,
        kind="new",
        fiscal_year=fiscal_year(timezone.localdate()),
        submitted_by=owner,
    )
    listing = staff_client.get(reverse("admin:organizations_application_changelist"))
    assert (
        reverse("organizations:application_review", args=[application.pk])
        in listing.content.decode()
    )
    with run_on_commit():
        _run_action(
            staff_client, "approve", [application], "admin:organizations_application_changelist"
        )
    organization.refresh_from_db()
    assert organization.status == "registered"
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert staff_client.get(reverse("admin:organizations_application_add")).status_code == 403


def test_the_rules_are_one_row_that_cannot_be_added_twice_or_deleted(staff_client):
    rules = RegistrationRules.objects.get()
    listing = staff_client.get(reverse("admin:organizations_registrationrules_changelist"))
    assert listing.status_code == 302
    assert listing.url == reverse("admin:organizations_registrationrules_change", args=[rules.pk])
    assert staff_client.get(reverse("admin:organizations_registrationrules_add")).status_code == 403
    delete = reverse("admin:organizations_registrationrules_delete", args=[rules.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert RegistrationRules.objects.count() == 1


def test_staff_change_the_registration_rules(staff_client):
    rules = RegistrationRules.objects.get()
    url = reverse("admin:organizations_registrationrules_change", args=[rules.pk])
    response = staff_client.post(
        url,
        {
            "min_members": 5,
            "rules_document_required": "on",
            "first_reminder_days": 30,
            "second_reminder_days": 7,
            "renewal_opens_days": 60,
            "invitation_valid_days": 14,
        },
    )
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.min_members == 5
    assert rules.ward_activity_required is False


def test_the_read_only_lists_open_but_add_nothing(staff_client, organization, people):
    ProfileChange.objects.create(
        organization=organization, changes={"name": "新"}, previous={"name": "旧"}
    )
    OrganizationEvent.objects.create(
        organization=organization, kind="registration", action=EventAction.DETAILS_UPDATED
    )
    for model in (
        "activityfield",
        "organizationevent",
        "profilechange",
        "invitation",
        "registrationcertificate",
    ):
        assert staff_client.get(reverse(f"admin:organizations_{model}_changelist")).status_code == (
            200
        ), model
        assert staff_client.get(reverse(f"admin:organizations_{model}_add")).status_code == 403
    fields = staff_client.get(reverse("admin:organizations_activityfield_changelist"))
    assert len(fields.context["cl"].result_list) == 20


def test_the_invitation_admin_revokes_through_the_service(staff_client, organization, people):
    from organizations.services import member_invite

    invitation = member_invite(
        organization=organization, by=people["owner"], email="new@example.jp", role="member"
    )
    page = staff_client.get(reverse("admin:organizations_invitation_change", args=[invitation.pk]))
    assert invitation.token not in page.content.decode()
    _run_action(staff_client, "revoke", [invitation], "admin:organizations_invitation_changelist")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert OrganizationEvent.objects.filter(
        organization=organization, action=EventAction.INVITATION_REVOKED
    ).exists()
