"""The center staff's pages for consultation cases: the permission matrix, recording and
editing, status moves, entries and attachments, the 要配慮 rules (masked notes, a reason for
every reading, each reading logged), the CSV, and constant query counts."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    Entry,
    FollowUp,
    NoteAccess,
    Outcome,
    Party,
)
from tests.factories import OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SECRET_REQUEST = "病気の家族の介護について相談したい"
SECRET_NOTE = "精神科に通院中とのこと"
PLAIN_REQUEST = "町会の会計の引き継ぎ方を知りたい"
PLAIN_NOTE = "会計ソフトの使い方を説明した"


def _case(by, **kwargs) -> Case:
    fields = {
        "title": "町会の運営について",
        "request": PLAIN_REQUEST,
        "channel": "visit",
        "asker_name": "日本橋　花子",
    }
    fields.update(kwargs)
    return services.case_create(by=by, **fields)


def _sensitive_case(by, **kwargs) -> Case:
    case = _case(
        by, title="家族の介護と活動の両立", request=SECRET_REQUEST, is_sensitive=True, **kwargs
    )
    services.entry_add(case=case, by=by, kind="memo", notes=SECRET_NOTE)
    return case


def _pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _messages(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _url(name, *args):
    return reverse(f"consultations:{name}", args=args)


@pytest.fixture
def staff_user(people):
    return people["staff"]


@pytest.fixture
def case(staff_user):
    return _case(staff_user)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- permission matrix -----------------------------------------------------------------------


def _staff_urls(case, by):
    """(method, url, expected status for staff) of every staff page; POST actions are sent
    with harmless data, except the ones whose effect the matrix checks is not done."""
    attachment = services.attachment_add(case=case, by=by, upload=_pdf())
    followup = services.followup_add(
        case=case, by=by, description="電話する", due_on=timezone.localdate(), assignee=by
    )
    return [
        ("get", _url("dashboard"), 200),
        ("get", _url("case_list"), 200),
        ("get", _url("case_export"), 200),
        ("get", _url("case_create"), 200),
        ("get", _url("case_detail", case.pk), 200),
        ("get", _url("case_edit", case.pk), 200),
        ("post", _url("case_notes", case.pk), 200),
        ("post", _url("case_status", case.pk), 302),
        ("get", _url("entry_add", case.pk), 200),
        ("post", _url("entry_add", case.pk), 302),
        ("get", _url("party_add", case.pk), 200),
        ("get", _url("outcome_add", case.pk), 200),
        ("get", _url("followup_add", case.pk), 200),
        ("post", _url("followup_done", followup.pk), 302),
        ("get", _url("attachment_download", case.pk, attachment.pk), 200),
    ]


POST_DATA = {
    "reason": "確認のため",
    "to": "closed",
    "kind": "phone",
    "notes": "外部の人が書いたメモ",
    "occurred_at": "2026-05-01T10:00",
}


def _nothing_changed(case):
    case.refresh_from_db()
    assert case.status == "received"
    assert not Entry.objects.filter(case=case).exists()
    assert not NoteAccess.objects.filter(case=case).exists()
    assert not FollowUp.objects.filter(case=case, done_at__isnull=False).exists()


def test_anonymous_users_are_sent_to_log_in_from_every_staff_page(client, case, staff_user):
    login = reverse("account_login")
    for method, url, _expected in _staff_urls(case, staff_user):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    _nothing_changed(case)


@pytest.mark.parametrize(
    "person", ["owner", "manager", "member", "outsider", "stranger", "ward", "council", "asker"]
)
def test_everyone_but_center_staff_gets_404_on_every_staff_page(
    client, organization, people, ward_official, council_member, person
):
    asker = UserFactory()
    case = _case(people["staff"], organization=organization, asker=asker, asker_email=asker.email)
    user = {"ward": ward_official, "council": council_member, "asker": asker}.get(person)
    client.force_login(user or people[person])
    for method, url, _expected in _staff_urls(case, people["staff"]):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == 404, (person, method, url)
    _nothing_changed(case)


def test_center_staff_open_every_staff_page(staff_client, case, staff_user):
    for method, url, expected in _staff_urls(case, staff_user):
        response = getattr(staff_client, method)(url, POST_DATA if method == "post" else None)
        assert response.status_code == expected, (method, url)


def test_another_member_of_staff_may_handle_any_case(client, case):
    client.force_login(StaffFactory())
    response = client.get(_url("case_detail", case.pk))
    assert response.status_code == 200
    assert PLAIN_REQUEST in response.content.decode()


def test_an_unknown_case_is_404_for_staff(staff_client):
    assert staff_client.get(_url("case_detail", 999999)).status_code == 404


def test_the_actions_refuse_get_where_they_change_something(staff_client, case):
    for name in ("case_notes", "case_status"):
        assert staff_client.get(_url(name, case.pk)).status_code == 405


# --- recording and editing -------------------------------------------------------------------


def _categories(n=2):
    return list(Category.objects.filter(is_active=True).order_by("order")[:n])


def test_staff_record_a_case_through_the_page(staff_client, staff_user, organization):
    first, second = _categories()
    response = staff_client.post(
        _url("case_create"),
        {
            "title": "補助金の申請について",
            "request": "来年度の補助金に申請したい",
            "channel": "phone",
            "categories": [first.pk, second.pk],
            "assigned_to": staff_user.pk,
            "organization": organization.pk,
            "asker_name": "日本橋　一郎",
            "asker_email": "ichiro@example.jp",
            "asker_phone": "０３ー１２３４ー５６７８",
            "opened_on": "2026-04-02",
        },
    )
    case = Case.objects.get(title="補助金の申請について")
    assert response.status_code == 302
    assert response.url == _url("case_detail", case.pk)
    assert case.status == "received"
    assert case.channel == "phone"
    assert case.opened_on == dt.date(2026, 4, 2)
    assert case.number == "2026-0001"
    assert case.asker_phone == "03-1234-5678"
    assert case.organization == organization
    assert case.organization_type == organization.org_type
    assert case.created_by == staff_user
    assert set(case.categories.all()) == {first, second}
    assert not case.is_sensitive
    assert list(case.events.values_list("old_status", "new_status", "changed_by")) == [
        ("", "received", staff_user.pk)
    ]
    assert Party.objects.get(case=case).organization == organization


def test_a_case_is_given_to_the_recorder_when_nobody_is_chosen(staff_client, staff_user):
    staff_client.post(
        _url("case_create"),
        {
            "title": "広報",
            "request": "チラシの作り方",
            "channel": "visit",
            "opened_on": "2026-05-01",
        },
    )
    assert Case.objects.get(title="広報").assigned_to == staff_user


def test_recording_refuses_a_wrong_phone_and_a_missing_title(staff_client):
    response = staff_client.post(
        _url("case_create"),
        {"request": "相談", "channel": "visit", "asker_phone": "12345", "opened_on": "2026-05-01"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "asker_phone"}
    assert not Case.objects.exists()


def test_only_center_staff_can_be_put_in_charge(staff_client, people):
    response = staff_client.post(
        _url("case_create"),
        {
            "title": "広報",
            "request": "チラシ",
            "channel": "visit",
            "opened_on": "2026-05-01",
            "assigned_to": people["member"].pk,
        },
    )
    assert "assigned_to" in response.context["form"].errors
    assert not Case.objects.exists()


def test_staff_edit_a_case(staff_client, case, organization):
    category = _categories(1)[0]
    other_staff = StaffFactory()
    response = staff_client.post(
        _url("case_edit", case.pk),
        {
            "title": "新しい件名",
            "request": "書き直した相談内容",
            "channel": "email",
            "categories": [category.pk],
            "assigned_to": other_staff.pk,
            "organization": organization.pk,
            "asker_name": "日本橋　花子",
            "asker_phone": "090-1234-5678",
            "is_sensitive": "on",
            "opened_on": f"{case.opened_on:%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.request, case.channel) == ("新しい件名", "書き直した相談内容", "email")
    assert case.assigned_to == other_staff
    assert case.organization_type == organization.org_type
    assert case.is_sensitive
    assert list(case.categories.all()) == [category]
    assert case.status == "received"  # the status moves only through its own form


def test_the_edit_page_of_a_sensitive_case_neither_shows_nor_changes_its_request(
    staff_client, staff_user
):
    case = _sensitive_case(staff_user)
    response = staff_client.get(_url("case_edit", case.pk))
    assert SECRET_REQUEST not in response.content.decode()
    assert "request" not in response.context["form"].fields
    assert not NoteAccess.objects.exists()
    staff_client.post(
        _url("case_edit", case.pk),
        {
            "title": "改題",
            "request": "上書きの試み",
            "channel": "visit",
            "is_sensitive": "on",
            "opened_on": f"{case.opened_on:%Y-%m-%d}",
        },
    )
    case.refresh_from_db()
    assert case.title == "改題"
    assert case.request == SECRET_REQUEST


def test_the_edit_page_of_a_plain_case_logs_the_reading_of_its_request(
    staff_client, staff_user, case
):
    response = staff_client.get(_url("case_edit", case.pk))
    assert PLAIN_REQUEST in response.content.decode()
    assert list(NoteAccess.objects.values_list("case", "user", "reason")) == [
        (case.pk, staff_user.pk, "")
    ]


# --- status moves ----------------------------------------------------------------------------


def test_the_case_page_offers_only_the_allowed_moves(staff_client, case):
    content = staff_client.get(_url("case_detail", case.pk)).content.decode()
    for allowed in ("in_progress", "on_hold", "closed"):
        assert f'name="to" value="{allowed}"' in content
    assert 'name="to" value="referred"' not in content
    assert 'name="to" value="received"' not in content


def test_moves_through_the_page_write_history_with_the_reason(staff_client, staff_user, case):
    moves = [
        ("in_progress", "面談を設定"),
        ("referred", "区の担当課を紹介"),
        ("on_hold", "先方の返事待ち"),
        ("in_progress", "返事が来た"),
        ("closed", "解決"),
        ("in_progress", "再相談"),
        ("closed", ""),
    ]
    for to, reason in moves:
        response = staff_client.post(_url("case_status", case.pk), {"to": to, "reason": reason})
        assert response.status_code == 302
        assert response.url == _url("case_detail", case.pk)
        assert _messages(response)[0][0] == "success", to
        case.refresh_from_db()
        assert case.status == to
        assert (case.closed_on is not None) == (to == "closed")
    events = list(case.events.values_list("old_status", "new_status", "reason", "changed_by"))
    assert events[1:] == [
        ("received", "in_progress", "面談を設定", staff_user.pk),
        ("in_progress", "referred", "区の担当課を紹介", staff_user.pk),
        ("referred", "on_hold", "先方の返事待ち", staff_user.pk),
        ("on_hold", "in_progress", "返事が来た", staff_user.pk),
        ("in_progress", "closed", "解決", staff_user.pk),
        ("closed", "in_progress", "再相談", staff_user.pk),
        ("in_progress", "closed", "", staff_user.pk),
    ]
    assert case.closed_on == timezone.localdate()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("received", "referred"),
        ("received", "received"),
        ("on_hold", "referred"),
        ("closed", "on_hold"),
        ("closed", "referred"),
        ("closed", "closed"),
    ],
)
def test_a_refused_move_shows_the_error_and_changes_nothing(
    staff_client, staff_user, case, start, to
):
    path = {"received": [], "on_hold": ["on_hold"], "closed": ["closed"]}[start]
    for step in path:
        services.case_move(case=case, to=step, by=staff_user)
    events = CaseEvent.objects.count()
    _english(staff_client)
    response = staff_client.post(
        _url("case_status", case.pk), {"to": to, "reason": "x"}, follow=True
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This cannot go from" in content
    case.refresh_from_db()
    assert case.status == start
    assert CaseEvent.objects.count() == events


def test_an_unknown_status_is_refused(staff_client, case):
    response = staff_client.post(_url("case_status", case.pk), {"to": "deleted"})
    assert _messages(response)[0][0] == "error"
    case.refresh_from_db()
    assert case.status == "received"
    assert case.events.count() == 1


# --- entries, parties, outcomes, follow-ups --------------------------------------------------


def _entry_data(**overrides):
    data = {
        "kind": "meeting",
        "occurred_at": "2026-05-01T14:30",
        "duration_minutes": "45",
        "notes": PLAIN_NOTE,
    }
    data.update(overrides)
    return data


def test_staff_add_an_entry_and_the_case_is_taken_up(staff_client, staff_user, case):
    response = staff_client.post(_url("entry_add", case.pk), _entry_data())
    assert response.status_code == 302
    assert response.url == _url("case_detail", case.pk) + "#timeline"
    entry = Entry.objects.get(case=case)
    assert (entry.kind, entry.notes, entry.duration_minutes) == ("meeting", PLAIN_NOTE, 45)
    assert entry.staff == staff_user
    assert timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-05-01 14:30"
    assert not entry.shared_with_asker
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_a_shared_memo_is_refused(staff_client, case):
    response = staff_client.post(
        _url("entry_add", case.pk), _entry_data(kind="memo", shared_with_asker="on")
    )
    assert response.status_code == 200
    assert "shared_with_asker" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_staff_cannot_write_in_the_askers_name(staff_client, case):
    response = staff_client.post(_url("entry_add", case.pk), _entry_data(kind="asker_message"))
    assert "kind" in response.context["form"].errors
    assert not Entry.objects.exists()


def test_a_shared_reply_to_an_asker_with_an_account_is_mailed_with_a_link(
    staff_client, staff_user, run_on_commit
):
    asker = UserFactory()
    case = _case(staff_user, asker=asker, asker_email=asker.email)
    with run_on_commit():
        response = staff_client.post(
            _url("entry_add", case.pk),
            _entry_data(kind="email", notes="次回の面談は5月10日です", shared_with_asker="on"),
        )
    assert response.status_code == 302
    assert Entry.objects.get(case=case).shared_with_asker
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [asker.email]
    assert reverse("consultations:my_case", args=[case.pk]) in message.body
    # The reply is read on the asker's page, behind their log-in, not in the mail.
    assert "次回の面談は5月10日です" not in message.body


def test_an_internal_entry_sends_no_mail(staff_client, staff_user, run_on_commit):
    asker = UserFactory()
    case = _case(staff_user, asker=asker, asker_email=asker.email)
    with run_on_commit():
        staff_client.post(_url("entry_add", case.pk), _entry_data(kind="memo"))
    assert Entry.objects.filter(case=case).count() == 1
    assert mail.outbox == []


def test_staff_add_a_party_an_outcome_and_a_follow_up(staff_client, staff_user, case):
    other = _case(staff_user, title="別の相談")
    partner = OrganizationFactory()
    assignee = StaffFactory()
    responses = [
        staff_client.post(
            _url("party_add", case.pk),
            {"role": "partner", "kind": "organization", "organization": partner.pk},
        ),
        staff_client.post(
            _url("outcome_add", case.pk),
            {"kind": "case", "related_case": other.number, "note": "続きの相談"},
        ),
        staff_client.post(
            _url("followup_add", case.pk),
            {"description": "資料を送る", "due_on": "2026-06-01", "assignee": assignee.pk},
        ),
    ]
    assert [r.status_code for r in responses] == [302, 302, 302]
    party = Party.objects.get(case=case, role="partner")
    assert (party.organization, party.name) == (partner, partner.name)
    outcome = Outcome.objects.get(case=case)
    assert (outcome.kind, outcome.related_case, outcome.note) == ("case", other, "続きの相談")
    followup = FollowUp.objects.get(case=case)
    assert (followup.description, followup.due_on, followup.assignee, followup.created_by) == (
        "資料を送る",
        dt.date(2026, 6, 1),
        assignee,
        staff_user,
    )
    content = staff_client.get(_url("case_detail", case.pk)).content.decode()
    for shown in (partner.name, other.number, "資料を送る"):
        assert shown in content


def test_the_small_forms_refuse_what_does_not_validate(staff_client, staff_user, case, people):
    responses = {
        "party": staff_client.post(
            _url("party_add", case.pk), {"role": "partner", "kind": "person"}
        ),
        "outcome": staff_client.post(
            _url("outcome_add", case.pk), {"kind": "case", "related_case": "1999-9999"}
        ),
        "self": staff_client.post(
            _url("outcome_add", case.pk), {"kind": "case", "related_case": case.number}
        ),
        "followup": staff_client.post(
            _url("followup_add", case.pk),
            {"description": "x", "due_on": "2026-06-01", "assignee": people["member"].pk},
        ),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    assert responses["party"].context["form"].non_field_errors()
    assert "related_case" in responses["outcome"].context["form"].errors
    assert _messages(responses["self"])[0][0] == "error"  # the service refuses it
    assert "assignee" in responses["followup"].context["form"].errors
    assert not Party.objects.filter(role="partner").exists()
    assert not Outcome.objects.exists()
    assert not FollowUp.objects.exists()


def test_a_follow_up_is_marked_done_once_from_the_dashboard(staff_client, staff_user, case):
    followup = services.followup_add(
        case=case,
        by=staff_user,
        description="電話",
        due_on=timezone.localdate(),
        assignee=staff_user,
    )
    response = staff_client.post(_url("followup_done", followup.pk), {"next": _url("dashboard")})
    assert response.url == _url("dashboard")
    followup.refresh_from_db()
    done_at = followup.done_at
    assert done_at is not None
    response = staff_client.post(
        _url("followup_done", followup.pk), {"next": "https://evil.example/"}
    )
    assert response.url == _url("case_detail", case.pk) + "#follow-ups"
    followup.refresh_from_db()
    assert followup.done_at == done_at


# --- attachments -----------------------------------------------------------------------------


def test_an_entry_with_a_file_keeps_it_and_serves_it_to_staff_only(
    client, staff_client, staff_user, case, people
):
    response = staff_client.post(
        _url("entry_add", case.pk), {**_entry_data(), "file": _pdf("議事録.pdf")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.entry == Entry.objects.get(case=case)
    assert (attachment.original_name, attachment.size) == ("議事録.pdf", len(PDF))
    assert attachment.uploaded_by == staff_user

    url = _url("attachment_download", case.pk, attachment.pk)
    response = staff_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF

    client.logout()
    client.force_login(people["member"])
    assert client.get(url).status_code == 404


def test_an_attachment_is_not_served_under_another_case(staff_client, staff_user, case):
    attachment = services.attachment_add(case=case, by=staff_user, upload=_pdf())
    other = _case(staff_user, title="別件")
    assert staff_client.get(_url("attachment_download", other.pk, attachment.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tool.exe", b"MZ\x90\x00", "file_type"),
        ("renamed.pdf", b"MZ\x90\x00 not a pdf", "file_content"),
        ("big.pdf", PDF + b"0" * 64, "file_too_large"),
    ],
)
def test_an_upload_of_the_wrong_type_or_size_is_refused(
    staff_client, case, settings, name, content, code
):
    settings.KYODO_UPLOAD_MAX_BYTES = len(PDF) + 10
    response = staff_client.post(
        _url("entry_add", case.pk), {**_entry_data(), "file": _pdf(name, content)}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == [code]
    assert not Entry.objects.exists()
    assert not Attachment.objects.exists()


# --- 要配慮 cases ------------------------------------------------------------------------------


def test_the_list_masks_a_sensitive_case_with_a_badge_and_no_request(staff_client, staff_user):
    sensitive = _sensitive_case(staff_user)
    _case(staff_user)
    _english(staff_client)
    content = staff_client.get(_url("case_list")).content.decode()
    assert sensitive.title not in content  # masked in lists: shown on its page only
    assert "Sensitive" in content
    assert content.count("data-sensitive") == 1
    for hidden in (SECRET_REQUEST, SECRET_NOTE, PLAIN_REQUEST):
        assert hidden not in content
    assert not NoteAccess.objects.exists()


def test_the_dashboard_shows_no_request_text(staff_client, staff_user):
    _sensitive_case(staff_user, channel="online")
    content = staff_client.get(_url("dashboard")).content.decode()
    assert "家族の介護と活動の両立" not in content
    assert SECRET_REQUEST not in content
    assert SECRET_NOTE not in content


def test_the_page_of_a_sensitive_case_hides_its_notes_until_a_reason_is_given(
    staff_client, staff_user
):
    case = _sensitive_case(staff_user)
    response = staff_client.get(_url("case_detail", case.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert case.title in content
    assert "data-notes-masked" in content
    assert SECRET_REQUEST not in content
    assert SECRET_NOTE not in content
    assert response["Cache-Control"].count("no-store") == 1
    assert not NoteAccess.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reading_the_notes_of_a_sensitive_case_without_a_reason_is_refused(
    staff_client, staff_user, reason
):
    case = _sensitive_case(staff_user)
    response = staff_client.post(_url("case_notes", case.pk), {"reason": reason})
    content = response.content.decode()
    assert response.status_code == 400
    assert "reason" in response.context["reason_form"].errors
    assert SECRET_REQUEST not in content
    assert SECRET_NOTE not in content
    assert not NoteAccess.objects.exists()


def test_each_reasoned_reading_shows_the_notes_once_and_is_logged_once(staff_client, staff_user):
    case = _sensitive_case(staff_user)
    attachment = services.attachment_add(case=case, by=staff_user, upload=_pdf("診断書.pdf"))
    for n, reason in enumerate(["支援計画の確認", "区への紹介状の作成"], start=1):
        response = staff_client.post(_url("case_notes", case.pk), {"reason": reason})
        content = response.content.decode()
        assert response.status_code == 200
        assert SECRET_REQUEST in content
        assert SECRET_NOTE in content
        assert _url("attachment_download", case.pk, attachment.pk) in content
        assert "no-store" in response["Cache-Control"]
        assert NoteAccess.objects.filter(case=case).count() == n
        access = NoteAccess.objects.filter(case=case).first()  # the newest
        assert (access.user, access.reason) == (staff_user, reason)
    # No session flag: the next visit asks again and logs nothing.
    content = staff_client.get(_url("case_detail", case.pk)).content.decode()
    assert SECRET_NOTE not in content
    assert "診断書.pdf" not in content
    assert NoteAccess.objects.count() == 2


def test_every_view_of_a_plain_case_is_logged_once(staff_client, staff_user, case):
    services.entry_add(case=case, by=staff_user, kind="meeting", notes=PLAIN_NOTE)
    for n in (1, 2):
        content = staff_client.get(_url("case_detail", case.pk)).content.decode()
        assert PLAIN_REQUEST in content
        assert PLAIN_NOTE in content
        assert set(NoteAccess.objects.values_list("user", "reason")) == {(staff_user.pk, "")}
        assert NoteAccess.objects.filter(case=case).count() == n


def test_the_managers_see_a_link_to_the_log_of_readings(client, staff_user, case):
    manager = StaffFactory(roles=["センター職員", "センター責任者"])
    access_log = _url("access_log", case.pk)
    client.force_login(staff_user)
    assert access_log not in client.get(_url("case_detail", case.pk)).content.decode()
    client.force_login(manager)
    assert access_log in client.get(_url("case_detail", case.pk)).content.decode()


# --- CSV -------------------------------------------------------------------------------------


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_the_filtered_cases_without_the_request_of_sensitive_ones(
    staff_client, staff_user, organization
):
    category = _categories(1)[0]
    plain = _case(staff_user, organization=organization, categories=[category])
    sensitive = _sensitive_case(staff_user)
    services.case_move(case=sensitive, to="closed", by=staff_user)
    formula = _case(staff_user, title='=HYPERLINK("http://evil.example")', request="+1+2")
    _english(staff_client)

    response = staff_client.get(_url("case_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Case number"
    assert header[-1] == "Sensitive"
    assert "Request" not in header  # exports are not logged readings: no request text
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_number) == {plain.number, sensitive.number, formula.number}

    assert by_number[plain.number]["Organization"] == organization.name
    assert by_number[plain.number]["Categories"] == category.name_en
    assert by_number[sensitive.number]["Title"] == "Sensitive case"
    assert by_number[sensitive.number]["Sensitive"] == "Yes"
    assert by_number[sensitive.number]["Entries"] == "1"
    assert by_number[formula.number]["Title"].startswith("'=")
    text = response.content.decode("utf-8-sig")
    for hidden in (SECRET_REQUEST, SECRET_NOTE, PLAIN_REQUEST, sensitive.title):
        assert hidden not in text

    closed = _csv_rows(staff_client.get(_url("case_export"), {"status": "closed"}))
    assert [row[0] for row in closed[1:]] == [sensitive.number]
    open_ = _csv_rows(staff_client.get(_url("case_export"), {"status": "open"}))
    assert {row[0] for row in open_[1:]} == {plain.number, formula.number}


def test_the_csv_header_is_in_the_current_language(staff_client, case):
    from django.utils import translation

    header = _csv_rows(staff_client.get(_url("case_export")))[0]
    with translation.override(settings.LANGUAGE_CODE):
        assert header[0] == translation.gettext("Case number")
    assert len(header) == 12


# --- the list's filters ----------------------------------------------------------------------


def test_the_list_filters_by_text_status_category_channel_staff_and_dates(staff_client, staff_user):
    first, second = _categories()
    other_staff = StaffFactory()
    a = _case(staff_user, title="会計の相談", categories=[first], opened_on=dt.date(2026, 4, 10))
    b = _case(
        other_staff,
        title="広報の相談",
        channel="online",
        categories=[second],
        opened_on=dt.date(2026, 6, 1),
    )
    services.case_move(case=b, to="closed", by=staff_user)

    def numbers(**params):
        response = staff_client.get(_url("case_list"), params)
        assert response.status_code == 200
        return {case.number for case in response.context["cases"]}

    assert numbers() == {a.number, b.number}
    assert numbers(q="会計") == {a.number}
    assert numbers(q=b.number) == {b.number}
    assert numbers(status="open") == {a.number}
    assert numbers(status="closed") == {b.number}
    assert numbers(category=second.pk) == {b.number}
    assert numbers(channel="online") == {b.number}
    assert numbers(staff=other_staff.pk) == {b.number}
    assert numbers(start="2026-05-01") == {b.number}
    assert numbers(end="2026-05-01") == {a.number}


def test_the_list_pages_by_fifty(staff_client, staff_user):
    for _i in range(51):
        _case(staff_user)
    first = staff_client.get(_url("case_list"))
    second = staff_client.get(_url("case_list"), {"page": 2})
    assert len(first.context["cases"]) == 50
    assert len(second.context["cases"]) == 1


# --- query counts ----------------------------------------------------------------------------


def _busy_case(staff_user, categories, n):
    """A case as it is after some work: an asker with an account, an organization, two
    categories, entries (one with a file) and follow-ups (one overdue, one due today)."""
    asker = UserFactory()
    case = _case(
        staff_user,
        title=f"相談{n}",
        asker=asker,
        asker_email=asker.email,
        organization=OrganizationFactory(),
        categories=categories,
    )
    services.entry_add(case=case, by=staff_user, kind="meeting", notes="面談", attachments=[_pdf()])
    services.entry_add(case=case, by=staff_user, kind="memo", notes="メモ")
    today = timezone.localdate()
    for due_on in (today - dt.timedelta(days=1), today):
        services.followup_add(
            case=case, by=staff_user, description="連絡", due_on=due_on, assignee=staff_user
        )
    # and a new online request nobody has picked up yet
    services.case_request_online(
        name="日本橋　次郎",
        email=f"jiro{n}@example.jp",
        request=f"オンライン相談{n}",
        categories=categories,
    )
    return case


def _count_queries(client, url):
    client.get(url)  # warm the session, content types and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_case_list_runs_the_same_queries_for_one_and_for_fifty_cases(
    staff_client, staff_user, django_assert_num_queries
):
    categories = _categories()
    _busy_case(staff_user, categories, 0)
    url = _url("case_list") + "?status=in_progress"
    with_one = _count_queries(staff_client, url)
    for n in range(1, 50):
        _busy_case(staff_user, categories, n)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    cases = response.context["cases"]
    assert len(cases) == 50
    assert all(case.entry_count == 2 and case.categories_text.count("、") == 1 for case in cases)


def test_the_dashboard_runs_the_same_queries_for_one_and_for_fifty_cases(
    staff_client, staff_user, django_assert_num_queries
):
    categories = _categories()
    _busy_case(staff_user, categories, 0)
    url = _url("dashboard")
    with_one = _count_queries(staff_client, url)
    for n in range(1, 50):
        _busy_case(staff_user, categories, n)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["my_cases"]) == 50
    assert len(response.context["followups"]) == 100
    assert len(response.context["new_online"]) == 50
    content = response.content.decode()
    assert content.count("table-danger") == 50  # the overdue ones stand out
    assert content.count("table-warning") == 50  # and those due today


def test_the_case_page_gives_each_field_of_its_forms_its_own_id(staff_client, staff_user):
    import re
    from collections import Counter

    case = _sensitive_case(staff_user)  # the page with the most forms: reason and status too
    content = staff_client.get(_url("case_detail", case.pk)).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', content))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'for="notes_reason"' in content
    assert 'for="status_reason"' in content


def test_a_sensitive_cases_file_needs_a_reason_and_its_download_is_logged(staff_client, staff_user):
    case = _sensitive_case(staff_user)
    attachment = services.attachment_add(case=case, by=staff_user, upload=_pdf())
    url = _url("attachment_download", case.pk, attachment.pk)
    assert staff_client.get(url).status_code == 403  # no reason given yet
    services.notes_read(case=case, user=staff_user, reason="相談者からの問い合わせ対応")
    response = staff_client.get(url)
    assert response.status_code == 200
    access = NoteAccess.objects.filter(case=case, is_download=True).get()
    assert access.user == staff_user
    assert "report.pdf" in access.reason


def test_a_plain_cases_file_downloads_and_is_logged(staff_client, staff_user):
    case = _case(staff_user)
    attachment = services.attachment_add(case=case, by=staff_user, upload=_pdf())
    assert staff_client.get(_url("attachment_download", case.pk, attachment.pk)).status_code == 200
    assert NoteAccess.objects.filter(case=case, is_download=True).count() == 1
