"""Asking online (visitor and member), the spam guards, and the asker's own pages."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.enums import CaseStatus, Channel, EntryKind
from consultations.models import Case, Category, ConsultationSettings, Entry
from organizations.acting import SESSION_KEY as ACTING_KEY
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ASK = reverse("consultations:ask")
THANKS = reverse("consultations:thanks")
MY_CASES = reverse("consultations:my_cases")
CENTER_EMAIL = "info@kyodo-station.jp"


def _category(name="資金調達"):
    return Category.objects.get(name=name)


def _visitor_data(**overrides):
    data = {
        "name": "佃 花子",
        "email": "hanako@example.jp",
        "phone": "０３－１２３４－５６７８",
        "categories": [_category().pk],
        "request": "子ども食堂の資金集めについて相談したい\n寄付の集め方を知りたいです。",
        "preferred_contact": "email",
        "preferred_times": "平日の午後",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _member_data(**overrides):
    data = _visitor_data(**overrides)
    for field in ("name", "email", "phone"):
        data.pop(field, None)
    return data


def _ask_as(user, organization=None, request="補助金の申請書の書き方を教えてください"):
    """A case asked online by ``user`` (its e-mails are never sent: nothing commits)."""
    return services.case_request_online(
        user=user, organization=organization, categories=[_category()], request=request
    )


# --- the form ---------------------------------------------------------------------------


def test_the_form_shows_the_purpose_of_use_and_hides_the_honeypot_from_people(client):
    settings_row = ConsultationSettings.current()
    settings_row.purpose_statement = "ご相談への対応にのみ利用します。<b>太字</b>"
    settings_row.save()

    html = client.get(ASK).content.decode()

    assert "ご相談への対応にのみ利用します。" in html
    assert "&lt;b&gt;太字&lt;/b&gt;" in html  # staff text is escaped, never HTML
    assert 'name="website"' in html
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert 'name="on_behalf_of"' not in html


def test_a_visitor_request_opens_a_case_and_mails_the_asker_and_the_center(client, run_on_commit):
    with run_on_commit():
        response = client.post(ASK, _visitor_data())

    assert response.status_code == 302
    assert response["Location"] == THANKS
    case = Case.objects.get()
    assert case.status == CaseStatus.RECEIVED
    assert case.channel == Channel.ONLINE
    assert case.consented_at is not None
    assert case.asker is None
    assert case.organization is None
    assert (case.asker_name, case.asker_email, case.asker_phone) == (
        "佃 花子",
        "hanako@example.jp",
        "03-1234-5678",
    )
    assert case.title.startswith("オンライン相談") or case.title.startswith("Online request")
    assert "子ども食堂" not in case.title  # the request's words stay out of the lists
    assert list(case.categories.all()) == [_category()]
    assert (case.preferred_contact, case.preferred_times) == ("email", "平日の午後")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([CENTER_EMAIL, "hanako@example.jp"])
    acknowledgement = next(m for m in mail.outbox if m.to == ["hanako@example.jp"])
    assert case.number in acknowledgement.body

    thanks = client.get(THANKS).content.decode()
    assert case.number in thanks
    assert reverse("consultations:my_cases") not in thanks  # a visitor has no page
    # The number is shown once; it is never in the URL.
    assert case.number not in response["Location"]
    assert case.number not in client.get(THANKS).content.decode()


def test_a_visitor_who_prefers_a_call_must_give_a_phone_number(client):
    response = client.post(ASK, _visitor_data(phone="", preferred_contact="phone"))

    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_visitor_phone_number_must_be_japanese(client):
    response = client.post(ASK, _visitor_data(phone="12345"))

    assert "phone" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_member_asks_for_their_acting_organization_by_default(client, people, organization):
    member = people["member"]
    second = MembershipFactory(user=member, role="member").organization
    client.force_login(member)
    session = client.session
    session[ACTING_KEY] = organization.pk
    session.save()

    form = client.get(ASK).context["form"]

    assert "name" not in form.fields and "email" not in form.fields
    assert form.fields["on_behalf_of"].initial == str(organization.pk)
    offered = {value for value, _label in form.fields["on_behalf_of"].choices}
    assert offered == {str(organization.pk), str(second.pk), "self"}


def test_a_member_request_is_linked_to_the_user_and_the_chosen_organization(
    client, people, organization, run_on_commit
):
    member = people["member"]
    client.force_login(member)

    with run_on_commit():
        response = client.post(ASK, _member_data(on_behalf_of=str(organization.pk)))

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.asker == member
    assert case.organization == organization
    assert case.organization_type == organization.org_type
    assert case.asker_email == member.email
    assert case.consented_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([CENTER_EMAIL, member.email])
    thanks = client.get(THANKS).content.decode()
    assert case.number in thanks
    assert MY_CASES in thanks


def test_a_member_may_ask_for_themselves(client, people):
    client.force_login(people["member"])

    client.post(ASK, _member_data(on_behalf_of="self"))

    case = Case.objects.get()
    assert case.asker == people["member"]
    assert case.organization is None


def test_a_member_cannot_ask_for_an_organization_they_do_not_belong_to(client, people):
    someone_elses = OrganizationFactory()
    client.force_login(people["member"])

    response = client.post(ASK, _member_data(on_behalf_of=str(someone_elses.pk)))

    assert response.status_code == 200
    assert "on_behalf_of" in response.context["form"].errors
    assert not Case.objects.exists()


def test_a_signed_in_user_without_an_organization_asks_for_themselves(client, people):
    client.force_login(people["stranger"])
    assert "on_behalf_of" not in client.get(ASK).context["form"].fields

    client.post(ASK, _member_data())

    case = Case.objects.get()
    assert case.asker == people["stranger"]
    assert case.organization is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": None}, "consent"),
        ({"categories": None}, "categories"),
        ({"request": "   "}, "request"),
        ({"request": "あ" * 4001}, "request"),
        ({"name": ""}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "a" * 250 + "@example.jp"}, "email"),
    ],
    ids=[
        "no-consent",
        "no-category",
        "empty-request",
        "too-long",
        "no-name",
        "bad-email",
        "email-too-long",
    ],
)
def test_an_incomplete_request_shows_errors_and_creates_nothing(
    client, run_on_commit, overrides, field
):
    with run_on_commit():
        response = client.post(ASK, _visitor_data(**overrides))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_an_inactive_category_cannot_be_chosen(client):
    retired = _category("広報")
    retired.is_active = False
    retired.save()

    response = client.post(ASK, _visitor_data(categories=[retired.pk]))

    assert "categories" in response.context["form"].errors
    assert not Case.objects.exists()


# --- spam guards ------------------------------------------------------------------------


def test_a_filled_honeypot_looks_like_success_but_creates_nothing(client, run_on_commit):
    with run_on_commit():
        response = client.post(ASK, _visitor_data(website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert not Case.objects.exists()
    assert mail.outbox == []
    thanks = client.get(THANKS)
    assert thanks.status_code == 200
    assert thanks.context["number"] is None


def test_the_sixth_request_within_an_hour_from_one_address_is_refused(client, run_on_commit):
    for _i in range(5):
        assert client.post(ASK, _visitor_data()).status_code == 302
    assert Case.objects.count() == 5

    with run_on_commit():
        response = client.post(ASK, _visitor_data())

    assert response.status_code == 429
    assert response.context["limited"] is True
    assert 'class="alert alert-warning"' in response.content.decode()
    assert Case.objects.count() == 5
    assert mail.outbox == []
    # Reading the form is not limited, and another address may still ask.
    assert client.get(ASK).status_code == 200
    assert client.post(ASK, _visitor_data(), REMOTE_ADDR="192.0.2.7").status_code == 302
    assert Case.objects.count() == 6


def test_refused_and_honeypot_requests_do_not_count_towards_the_rate_limit(client):
    """A shared office network must not be locked out by mistyped forms: only requests that
    opened a case count (a filled honeypot opens none)."""
    for _i in range(6):
        assert client.post(ASK, _visitor_data(request="")).status_code == 200  # invalid
        client.post(ASK, _visitor_data(website="spam"))

    for _i in range(5):
        assert client.post(ASK, _visitor_data()).status_code == 302
    assert Case.objects.count() == 5
    assert client.post(ASK, _visitor_data()).status_code == 429


def test_signed_in_people_are_not_rate_limited(client, people):
    client.force_login(people["stranger"])
    for _i in range(7):
        response = client.post(ASK, _member_data())
        assert response.status_code == 302
    assert Case.objects.count() == 7
    # Nor do their requests use up the turns of visitors at the same address.
    client.logout()
    assert client.post(ASK, _visitor_data()).status_code == 302


# --- the asker's pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("asker", 200),
        ("member", 404),
        ("manager", 404),
        ("outsider", 404),
        ("stranger", 404),
        ("staff", 404),
        ("ward_official", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_asker_sees_their_case(client, people, organization, ward_official, who, expected):
    case = _ask_as(people["owner"], organization)
    users = {**people, "asker": people["owner"], "ward_official": ward_official}
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse("consultations:my_case", args=[case.pk])

    response = client.get(url)

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if expected == 200:
        assert case.request in response.content.decode()


@pytest.mark.parametrize("who", ["member", "staff", "ward_official", "outsider"])
def test_nobody_else_can_write_on_the_asker_s_case(
    client, people, organization, ward_official, who
):
    case = _ask_as(people["owner"], organization)
    client.force_login({**people, "ward_official": ward_official}[who])

    response = client.post(
        reverse("consultations:my_case", args=[case.pk]), {"message": "なりすまし"}
    )

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_my_cases_lists_only_my_own_cases(client, people, organization):
    mine = _ask_as(people["owner"], organization, request="私の相談")
    _ask_as(people["member"], organization, request="同じ団体の別の人の相談")
    client.force_login(people["owner"])

    response = client.get(MY_CASES)

    assert [c.pk for c in response.context["cases"]] == [mine.pk]
    html = response.content.decode()
    assert mine.number in html
    assert "同じ団体の別の人の相談" not in html


def test_an_anonymised_case_is_gone_from_the_asker_s_pages(client, people):
    case = _ask_as(people["owner"])
    Case.objects.filter(pk=case.pk).update(anonymized_at=timezone.now())
    client.force_login(people["owner"])

    assert client.get(reverse("consultations:my_case", args=[case.pk])).status_code == 404
    assert list(client.get(MY_CASES).context["cases"]) == []


def test_my_cases_needs_the_same_queries_for_one_and_for_several_cases(
    client, people, django_assert_num_queries
):
    asker = people["owner"]
    _ask_as(asker)
    client.force_login(asker)
    client.get(MY_CASES)  # warm up what is cached per process

    with CaptureQueriesContext(connection) as one:
        assert len(client.get(MY_CASES).context["cases"]) == 1
    for _i in range(4):
        _ask_as(asker)
    with django_assert_num_queries(len(one)):
        assert len(client.get(MY_CASES).context["cases"]) == 5


def test_my_case_needs_the_same_queries_for_one_and_for_several_messages(
    client, people, django_assert_num_queries
):
    staff, asker = people["staff"], people["owner"]
    case = _ask_as(asker)
    url = reverse("consultations:my_case", args=[case.pk])

    def reply(n):
        services.entry_add(
            case=case, by=staff, kind=EntryKind.EMAIL, notes=f"返信{n}", shared_with_asker=True
        )

    reply(0)
    client.force_login(asker)
    client.get(url)  # warm up what is cached per process
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["entries"]) == 1
    for n in range(1, 5):
        reply(n)
    with django_assert_num_queries(len(one)):
        assert len(client.get(url).context["entries"]) == 5


def test_my_case_shows_shared_entries_only(client, people, organization):
    staff = people["staff"]
    case = _ask_as(people["owner"], organization)
    services.entry_add(
        case=case,
        by=staff,
        kind=EntryKind.EMAIL,
        notes="助成金の募集要項をお送りします。",
        shared_with_asker=True,
    )
    services.entry_add(case=case, by=staff, kind=EntryKind.MEMO, notes="内部メモ：代表者と確執あり")
    unshared = services.entry_add(
        case=case,
        by=staff,
        kind=EntryKind.PHONE,
        notes="区の担当課へ電話で確認（未共有）",
        shared_with_asker=False,
        attachments=[SimpleUploadedFile("secret-plan.pdf", b"%PDF-1.4", "application/pdf")],
    )
    assert unshared.attachments.count() == 1
    client.force_login(people["owner"])

    response = client.get(reverse("consultations:my_case", args=[case.pk]))

    html = response.content.decode()
    assert "助成金の募集要項をお送りします。" in html
    assert "内部メモ" not in html
    assert "代表者と確執あり" not in html
    assert "未共有" not in html
    assert "secret-plan" not in html
    assert [e.notes for e in response.context["entries"]] == ["助成金の募集要項をお送りします。"]


def test_the_asker_s_reply_is_recorded_and_the_staff_in_charge_is_told(
    client, people, organization, run_on_commit
):
    staff = people["staff"]
    asker = people["owner"]
    case = _ask_as(asker, organization)
    services.case_update(case=case, by=staff, data={"assigned_to": staff})
    client.force_login(asker)
    url = reverse("consultations:my_case", args=[case.pk])

    with run_on_commit():
        response = client.post(url, {"message": "  来週の火曜日に伺えます。  "})

    assert response.status_code == 302
    assert response["Location"] == url
    entry = Entry.objects.get(case=case)
    assert entry.kind == EntryKind.ASKER_MESSAGE
    assert entry.notes == "来週の火曜日に伺えます。"
    assert entry.created_by == asker
    assert entry.shared_with_asker
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert case.number in mail.outbox[0].body
    assert "来週の火曜日に伺えます。" in client.get(url).content.decode()


def test_an_empty_reply_is_refused(client, people):
    case = _ask_as(people["owner"])
    client.force_login(people["owner"])

    response = client.post(reverse("consultations:my_case", args=[case.pk]), {"message": "  "})

    assert response.status_code == 200
    assert "message" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_a_closed_case_reopens_when_the_asker_writes(client, people, run_on_commit):
    staff = people["staff"]
    asker = people["owner"]
    case = _ask_as(asker)
    services.case_move(case=case, to=CaseStatus.CLOSED, by=staff)
    case.refresh_from_db()
    assert case.closed_on is not None
    client.force_login(asker)
    url = reverse("consultations:my_case", args=[case.pk])
    assert client.get(url).context["is_closed"] is True

    with run_on_commit():
        client.post(url, {"message": "また相談させてください。"})

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.closed_on is None
    reopening = case.events.order_by("-changed_at", "-pk").first()
    assert (reopening.old_status, reopening.new_status) == (
        CaseStatus.CLOSED,
        CaseStatus.IN_PROGRESS,
    )
    assert reopening.changed_by == asker
    # Nobody is in charge: the center hears of it.
    assert [m.to for m in mail.outbox] == [[CENTER_EMAIL]]


def test_with_the_broker_down_a_request_is_taken_and_acknowledged_later(
    client, run_on_commit, broker_down
):
    from kyodo.mail import outbox_sweep

    with run_on_commit():
        response = client.post(ASK, _visitor_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert mail.outbox == []

    broker_down.restore()
    assert outbox_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([CENTER_EMAIL, "hanako@example.jp"])
