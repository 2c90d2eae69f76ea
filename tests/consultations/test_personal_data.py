"""Personal data is shown only with a logged reason and retention clears every copy
(issue 17 §2): the admin's history and change pages, its list and search, the staff list's
search, follow-ups of 要配慮 cases, and the mail log and admin log at retention."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.roles import Role
from consultations import services
from consultations.enums import CaseStatus, Channel
from consultations.models import Case, NoteAccess
from kyodo.models import OutboxMail, SentMail
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
SECRET_REQUEST = "病気の家族の介護について相談したい"
SECRET_TITLE = "家族の介護と活動の両立"
SECRET_TODO = "精神科の主治医に連絡する"


def noon(date: dt.date):
    return time_machine.travel(dt.datetime.combine(date, dt.time(12), tzinfo=TOKYO), tick=False)


@pytest.fixture
def staff_user(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _case(by, **fields) -> Case:
    values = {
        "title": "町会の運営について",
        "request": "町会の会計の引き継ぎ方を知りたい",
        "channel": Channel.VISIT,
        "asker_name": "日本橋　花子",
    }
    values.update(fields)
    return services.case_create(by=by, **values)


def _later_marked_sensitive(by) -> Case:
    """Recorded as ordinary, marked 要配慮 afterwards: its first version says "not sensitive"."""
    case = _case(by, title=SECRET_TITLE, request=SECRET_REQUEST)
    return services.case_update(case=case, by=by, data={"is_sensitive": True})


# --- the admin's change and history pages ------------------------------------------------------


def test_the_admin_history_of_an_earlier_ordinary_version_shows_no_sensitive_request(
    staff_client, staff_user
):
    case = _later_marked_sensitive(staff_user)
    first = Case.history.filter(id=case.pk).earliest("history_date")
    assert first.is_sensitive is False  # the version predates the mark
    for url in (
        reverse("admin:consultations_case_simple_history", args=[case.pk, first.history_id]),
        reverse("admin:consultations_case_history", args=[case.pk]),
        reverse("admin:consultations_case_change", args=[case.pk]),
    ):
        response = staff_client.get(url, follow=True)
        page = response.content.decode()
        assert SECRET_REQUEST not in page, url
        # Sent to the staff page, which asks the reason before it shows anything.
        assert response.redirect_chain[-1][0] == case.get_absolute_url()
        assert SECRET_REQUEST not in page
    assert not NoteAccess.objects.filter(case=case, reason="").exists()


def test_opening_an_ordinary_case_or_its_history_in_the_admin_is_logged_as_a_reading(
    staff_client, staff_user
):
    case = _case(staff_user)
    version = Case.history.filter(id=case.pk).earliest("history_date")
    response = staff_client.get(reverse("admin:consultations_case_change", args=[case.pk]))
    assert "町会の会計の引き継ぎ方を知りたい" in response.content.decode()
    assert NoteAccess.objects.filter(case=case, user=staff_user).count() == 1
    staff_client.get(
        reverse("admin:consultations_case_simple_history", args=[case.pk, version.history_id])
    )
    assert NoteAccess.objects.filter(case=case, user=staff_user).count() == 2


# --- lists and search -------------------------------------------------------------------------


def test_the_admin_list_masks_sensitive_titles_and_does_not_search_them(staff_client, staff_user):
    sensitive = _case(staff_user, title=SECRET_TITLE, is_sensitive=True)
    ordinary = _case(staff_user, title="介護施設との協働イベント")
    url = reverse("admin:consultations_case_changelist")
    page = staff_client.get(url).content.decode()
    assert SECRET_TITLE not in page
    assert sensitive.number in page and "介護施設との協働イベント" in page
    found = staff_client.get(url, {"q": "介護"}).context["cl"].result_list
    assert list(found) == [ordinary]
    # The number still finds it.
    found = staff_client.get(url, {"q": sensitive.number}).context["cl"].result_list
    assert list(found) == [sensitive]


def test_the_staff_list_search_does_not_match_words_of_masked_titles(staff_client, staff_user):
    sensitive = _case(staff_user, title=SECRET_TITLE, is_sensitive=True)
    ordinary = _case(staff_user, title="介護施設との協働イベント")
    response = staff_client.get(reverse("consultations:case_list"), {"q": "介護"})
    assert [c.pk for c in response.context["cases"]] == [ordinary.pk]
    response = staff_client.get(reverse("consultations:case_list"), {"q": sensitive.number})
    assert [c.pk for c in response.context["cases"]] == [sensitive.pk]


def test_the_case_name_in_admin_pickers_and_logs_is_masked(staff_user):
    sensitive = _case(staff_user, title=SECRET_TITLE, is_sensitive=True)
    assert SECRET_TITLE not in str(sensitive)
    assert sensitive.number in str(sensitive)


# --- follow-ups -------------------------------------------------------------------------------


def test_a_sensitive_case_s_follow_up_shows_only_with_the_notes(staff_client, staff_user):
    case = _case(staff_user, title=SECRET_TITLE, is_sensitive=True)
    services.followup_add(
        case=case,
        by=staff_user,
        description=SECRET_TODO,
        due_on=dt.date.today(),
        assignee=staff_user,
    )
    page = staff_client.get(case.get_absolute_url()).content.decode()
    assert SECRET_TODO not in page
    page = staff_client.get(reverse("consultations:dashboard")).content.decode()
    assert SECRET_TODO not in page
    response = staff_client.post(
        reverse("consultations:case_notes", args=[case.pk]), {"reason": "電話の準備"}
    )
    assert SECRET_TODO in response.content.decode()
    assert NoteAccess.objects.filter(case=case, reason="電話の準備").exists()


def test_an_ordinary_case_s_follow_up_shows_on_its_page_and_the_dashboard(staff_client, staff_user):
    case = _case(staff_user)
    services.followup_add(
        case=case,
        by=staff_user,
        description="規約の見本を送る",
        due_on=dt.date.today(),
        assignee=staff_user,
    )
    assert "規約の見本を送る" in staff_client.get(case.get_absolute_url()).content.decode()
    page = staff_client.get(reverse("consultations:dashboard")).content.decode()
    assert "規約の見本を送る" in page


# --- retention: every copy --------------------------------------------------------------------


def test_retention_clears_the_asker_s_mails_from_the_log_and_the_admin_log(
    staff_user, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager = StaffFactory(roles=[Role.CENTER_STAFF, Role.CENTER_MANAGER])
    asker = UserFactory(email="hanako@example.jp")
    with noon(dt.date(2020, 4, 10)), django_capture_on_commit_callbacks(execute=True):
        case = services.case_request_online(
            user=asker, request=SECRET_REQUEST, preferred_contact="email"
        )
    with noon(dt.date(2020, 4, 12)), django_capture_on_commit_callbacks(execute=True):
        services.entry_add(
            case=case, by=staff_user, kind="email", notes="お返事です", shared_with_asker=True
        )
        LogEntry.objects.log_actions(
            user_id=staff_user.pk,
            queryset=[case],
            action_flag=CHANGE,
            change_message=[{"added": {"name": "party", "object": "山田　太郎"}}],
        )
    with noon(dt.date(2021, 6, 1)):
        services.case_move(case=case, to=CaseStatus.CLOSED, by=staff_user)
    # The same person asks again years later: that case and its mails stay.
    with noon(dt.date(2026, 6, 1)), django_capture_on_commit_callbacks(execute=True):
        services.case_request_online(user=asker, request="新しい相談")
    asker_rows = SentMail.objects.filter(to="hanako@example.jp")
    assert asker_rows.count() == 3
    # The outbox holds the whole rendered mail: retention clears it as well.
    asker_outbox = OutboxMail.objects.filter(to="hanako@example.jp")
    assert asker_outbox.count() == 3
    center_rows = SentMail.objects.exclude(to="hanako@example.jp").count()
    assert center_rows == 2

    with noon(dt.date(2026, 6, 15)):
        run = services.cases_anonymize(by=manager)

    assert run.case_numbers == [case.number]
    # Only the mail of the later case is left of the asker's; the center's stay.
    assert list(asker_rows.values_list("sent_at__year", flat=True)) == [2026]
    assert list(asker_outbox.values_list("created_at__year", flat=True)) == [2026]
    assert SentMail.objects.exclude(to="hanako@example.jp").count() == center_rows
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
    )
    assert (entry.object_repr, entry.change_message) == (case.number, "")


def test_sent_mail_forget_leaves_other_people_s_mails(staff_user):
    case = _case(staff_user, asker_email="taro@example.jp")
    SentMail.objects.create(
        to="taro@example.jp",
        subject="x",
        purpose="consultations.reply",
        language="ja",
        status="sent",
    )
    SentMail.objects.create(
        to="jiro@example.jp",
        subject="x",
        purpose="consultations.reply",
        language="ja",
        status="sent",
    )
    SentMail.objects.create(
        to="taro@example.jp",
        subject="x",
        purpose="account.email_confirmation",
        language="ja",
        status="sent",
    )
    assert services.sent_mail_forget(cases=[case]) == 1
    assert sorted(SentMail.objects.values_list("to", "purpose")) == [
        ("jiro@example.jp", "consultations.reply"),
        ("taro@example.jp", "account.email_confirmation"),
    ]


def test_the_admin_pages_of_a_case_id_that_is_no_number_are_not_an_error(staff_client):
    for url in (
        reverse("admin:consultations_case_change", args=["abc"]),
        reverse("admin:consultations_case_history", args=["abc"]),
        reverse("admin:consultations_case_simple_history", args=["abc", "1"]),
    ):
        assert staff_client.get(url).status_code in (302, 404), url
