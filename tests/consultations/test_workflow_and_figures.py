"""相談 at the service level and the figures: every status move, follow-up reminders sent once,
retention (what goes, what stays, what the statistics keep), the statistics over a 年度
boundary, the 事前相談 question the proposals pillar asks, and the statistics, retention,
access-log and admin pages."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from consultations import selectors, services
from consultations.enums import CASE_TRANSITIONS, CaseStatus, Channel, OutcomeKind, PartyRole
from consultations.models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    ConsultationSettings,
    Entry,
    FollowUp,
    NoteAccess,
    Outcome,
    Party,
    RetentionRun,
)
from kyodo.mail import outbox_sweep
from kyodo.models import SentMail
from kyodo.workflow import TransitionNotAllowed
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def noon(date: dt.date):
    """Midday in Tokyo on ``date`` (so the local date is ``date`` whatever UTC says)."""
    return time_machine.travel(dt.datetime.combine(date, dt.time(12), tzinfo=TOKYO), tick=False)


def category(name: str) -> Category:
    return Category.objects.get(name=name)


def make_case(by, *, opened_on=dt.date(2026, 6, 1), title="会の立ち上げについて", **fields):
    fields.setdefault("request", "規約の作り方を教えてほしい。")
    fields.setdefault("channel", Channel.VISIT)
    return services.case_create(by=by, title=title, opened_on=opened_on, **fields)


def close(case, by, on: dt.date):
    with noon(on):
        return services.case_move(case=case, to=CaseStatus.CLOSED, by=by)


@pytest.fixture
def manager(db):
    return StaffFactory(roles=[Role.CENTER_STAFF, Role.CENTER_MANAGER])


# --- status moves -----------------------------------------------------------------------------

# How to reach each status from 受付 through allowed moves only.
PATHS = {
    CaseStatus.RECEIVED: [],
    CaseStatus.IN_PROGRESS: [CaseStatus.IN_PROGRESS],
    CaseStatus.REFERRED: [CaseStatus.IN_PROGRESS, CaseStatus.REFERRED],
    CaseStatus.ON_HOLD: [CaseStatus.ON_HOLD],
    CaseStatus.CLOSED: [CaseStatus.CLOSED],
}
MOVES = [(old, new) for old in CaseStatus for new in CaseStatus]
ALLOWED = [(old, new) for old, new in MOVES if new in CASE_TRANSITIONS[old]]
REFUSED = [(old, new) for old, new in MOVES if new not in CASE_TRANSITIONS[old]]


def _move_id(move):
    return f"{move[0].value}->{move[1].value}"


def case_in(status, by):
    case = make_case(by)
    with noon(dt.date(2026, 6, 2)):
        for step in PATHS[status]:
            services.case_move(case=case, to=step, by=by)
    case.refresh_from_db()
    assert case.status == status
    return case


def test_every_status_is_covered_by_the_transitions():
    assert set(CASE_TRANSITIONS) == set(CaseStatus)
    assert len(ALLOWED) + len(REFUSED) == 25


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[_move_id(m) for m in ALLOWED])
def test_every_allowed_move_changes_the_status_and_records_who_and_why(old, new, staff):
    case = case_in(old, staff)
    events_before = case.events.count()
    with noon(dt.date(2026, 6, 15)):
        services.case_move(case=case, to=new, by=staff, reason="相談者から連絡があったため")
    case.refresh_from_db()
    assert case.status == new
    assert case.events.count() == events_before + 1
    event = case.events.order_by("-pk").first()
    assert (event.old_status, event.new_status, event.changed_by, event.reason) == (
        old,
        new,
        staff,
        "相談者から連絡があったため",
    )
    if new == CaseStatus.CLOSED:
        assert case.closed_on == dt.date(2026, 6, 15)
    else:
        assert case.closed_on is None


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[_move_id(m) for m in REFUSED])
def test_every_refused_move_raises_and_leaves_no_trace(old, new, staff):
    case = case_in(old, staff)
    closed_on = case.closed_on
    events_before = case.events.count()
    with pytest.raises(TransitionNotAllowed):
        services.case_move(case=case, to=new, by=staff, reason="誤操作")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (old, closed_on)
    assert case.events.count() == events_before
    assert not CaseEvent.objects.filter(reason="誤操作").exists()


def test_closing_dates_the_case_and_reopening_clears_the_date(staff):
    case = make_case(staff, opened_on=dt.date(2026, 5, 1))
    close(case, staff, dt.date(2026, 5, 20))
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, dt.date(2026, 5, 20))
    with noon(dt.date(2026, 7, 1)):
        services.case_move(case=case, to=CaseStatus.IN_PROGRESS, by=staff, reason="再相談")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.IN_PROGRESS, None)
    assert list(case.events.order_by("pk").values_list("old_status", "new_status")) == [
        ("", CaseStatus.RECEIVED),
        (CaseStatus.RECEIVED, CaseStatus.CLOSED),
        (CaseStatus.CLOSED, CaseStatus.IN_PROGRESS),
    ]


# --- follow-up reminders --------------------------------------------------------------------


@pytest.fixture
def assignee(db):
    return StaffFactory(email="tantou@example.jp")


def test_a_follow_up_due_today_is_mailed_to_its_assignee_once(staff, assignee, settings):
    settings.MAILERS = LOCMEM
    case = make_case(staff)
    followup = services.followup_add(
        case=case,
        by=staff,
        description="助成金の締切を相談者に伝える",
        due_on=dt.date(2026, 6, 15),
        assignee=assignee,
    )
    with noon(dt.date(2026, 6, 15)):
        assert services.followup_reminders_send() == 1
        assert services.followup_reminders_send() == 0  # the second sweep of the day
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tantou@example.jp"]
    assert "助成金の締切を相談者に伝える" in mail.outbox[0].body
    assert case.number in mail.outbox[0].body
    followup.refresh_from_db()
    assert followup.reminded_at is not None


def test_done_and_future_follow_ups_are_not_reminded(staff, assignee, settings):
    settings.MAILERS = LOCMEM
    case = make_case(staff)
    done = services.followup_add(
        case=case, by=staff, description="済み", due_on=dt.date(2026, 6, 15), assignee=assignee
    )
    services.followup_done(followup=done, by=assignee)
    later = services.followup_add(
        case=case, by=staff, description="来週", due_on=dt.date(2026, 6, 22), assignee=assignee
    )
    with noon(dt.date(2026, 6, 15)):
        assert services.followup_reminders_send() == 0
    assert mail.outbox == []
    assert not FollowUp.objects.filter(reminded_at__isnull=False).exists()
    # The future one is reminded on its own day.
    with noon(dt.date(2026, 6, 22)):
        assert services.followup_reminders_send() == 1
    later.refresh_from_db()
    assert later.reminded_at is not None
    assert [m.to for m in mail.outbox] == [["tantou@example.jp"]]


def test_a_failed_reminder_is_claimed_once_and_sent_by_the_outbox_later(staff, assignee, settings):
    case = make_case(staff)
    services.followup_add(
        case=case, by=staff, description="電話する", due_on=dt.date(2026, 6, 15), assignee=assignee
    )
    with noon(dt.date(2026, 6, 15)):
        settings.MAILERS = FAILING
        assert services.followup_reminders_send() == 1
        assert services.followup_reminders_send() == 0  # claimed: the outbox tries again
        assert SentMail.objects.get().status == "failed"
    settings.MAILERS = LOCMEM
    with noon(dt.date(2026, 6, 16)):
        assert outbox_sweep() == 1
        assert services.followup_reminders_send() == 0
    assert [m.to for m in mail.outbox] == [["tantou@example.jp"]]


# --- retention --------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 15)
CUTOFF = dt.date(2021, 6, 15)  # five years (the default setting) before TODAY


@pytest.fixture
def old_case(staff):
    """Closed before the cutoff, with every kind of personal content and an earlier version
    in its history."""
    organization = OrganizationFactory(name="佃島こども食堂", org_type="npo")
    case = make_case(
        staff,
        opened_on=dt.date(2020, 4, 10),
        title="こども食堂の資金について",
        request="代表の持病のため活動を縮小したい。",
        channel=Channel.PHONE,
        categories=[category("資金調達"), category("補助金申請")],
        organization=organization,
        asker_name="佃　花子",
        asker_email="hanako@example.jp",
        asker_phone="090-1111-2222",
        is_sensitive=True,
    )
    with noon(dt.date(2020, 4, 12)):
        services.party_add(
            case=case, role=PartyRole.REFERRAL, kind="ward", name="福祉課", contact="内線123"
        )
        services.entry_add(
            case=case,
            by=staff,
            kind="meeting",
            notes="面談の記録（個人的な事情を含む）",
            attachments=[SimpleUploadedFile("memo.pdf", PDF, content_type="application/pdf")],
        )
        services.followup_add(
            case=case, by=staff, description="電話", due_on=dt.date(2020, 5, 1), assignee=staff
        )
        services.notes_read(case=case, user=staff, reason="面談の準備")
        services.outcome_add(
            case=case,
            kind=OutcomeKind.SUBSIDY,
            organization=organization,
            reference="R2-補-003",
            note="補助金申請へ",
        )
        services.case_update(case=case, by=staff, data={"title": "こども食堂の資金と体制"})
    close(case, staff, dt.date(2021, 6, 14))
    case.refresh_from_db()
    return case


@pytest.fixture
def kept_cases(staff):
    """Closed on the cutoff day itself (not before it), and one never closed."""
    on_cutoff = make_case(
        staff, opened_on=dt.date(2021, 5, 1), title="閉じたばかり", asker_name="月島　一郎"
    )
    close(on_cutoff, staff, CUTOFF)
    still_open = make_case(
        staff, opened_on=dt.date(2019, 5, 1), title="長く続く相談", asker_name="勝どき　二郎"
    )
    with noon(dt.date(2019, 5, 2)):
        services.case_move(case=still_open, to=CaseStatus.IN_PROGRESS, by=staff)
    return on_cutoff, still_open


def test_the_cutoff_follows_the_retention_setting():
    assert services.retention_cutoff(TODAY) == CUTOFF
    ConsultationSettings.objects.update(retention_years=7)
    assert services.retention_cutoff(TODAY) == dt.date(2019, 6, 15)
    assert services.retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2021, 2, 28)


def test_anonymising_removes_the_personal_content_and_keeps_the_figures(
    old_case, kept_cases, manager, django_capture_on_commit_callbacks
):
    attachment_name = Attachment.objects.get(case=old_case).file.name
    assert default_storage.exists(attachment_name)
    assert Case.history.filter(id=old_case.pk).count() == 2
    categories = set(old_case.categories.values_list("name", flat=True))
    period = (dt.date(2019, 4, 1), dt.date(2026, 3, 31))
    figures_before = selectors.statistics(*period)
    assert list(selectors.retention_candidates(CUTOFF)) == [old_case]

    with noon(TODAY), django_capture_on_commit_callbacks(execute=True):
        run = services.cases_anonymize(by=manager)

    # Removed: parties, the timeline, attachments with their files, follow-ups, readings.
    for model in (Party, Entry, Attachment, FollowUp, NoteAccess):
        assert not model.objects.filter(case=old_case).exists(), model
    assert not default_storage.exists(attachment_name)
    case = Case.objects.get(pk=old_case.pk)
    assert case.title != "こども食堂の資金と体制"
    assert "こども食堂" not in case.title
    assert (case.request, case.asker_name, case.asker_email, case.asker_phone) == ("", "", "", "")
    assert (case.asker, case.organization) == (None, None)
    assert case.anonymized_at is not None
    # Earlier versions in the history went too: only the anonymised one is left.
    versions = list(Case.history.filter(id=case.pk))
    assert [v.title for v in versions] == [case.title]
    assert not Case.history.filter(asker_name="佃　花子").exists()
    assert not CaseEvent.objects.filter(case=case).exclude(reason="").exists()
    # Kept: what the statistics count.
    assert (case.number, case.status, case.channel) == (
        old_case.number,
        CaseStatus.CLOSED,
        Channel.PHONE,
    )
    assert (case.opened_on, case.closed_on) == (dt.date(2020, 4, 10), dt.date(2021, 6, 14))
    assert case.organization_type == "npo"
    assert set(case.categories.values_list("name", flat=True)) == categories
    assert list(Outcome.objects.filter(case=case).values_list("kind", "reference", "note")) == [
        (OutcomeKind.SUBSIDY, "", "")
    ]
    assert selectors.statistics(*period) == figures_before
    # Only the case closed before the cutoff: not the one closed on it, never an open one.
    on_cutoff, still_open = kept_cases
    for kept, title, name in (
        (on_cutoff, "閉じたばかり", "月島　一郎"),
        (still_open, "長く続く相談", "勝どき　二郎"),
    ):
        kept.refresh_from_db()
        assert (kept.title, kept.asker_name, kept.anonymized_at) == (title, name, None)
        assert kept.parties.exists()
    # The audit row.
    assert RetentionRun.objects.get() == run
    assert (run.run_by, run.cutoff, run.case_numbers) == (manager, CUTOFF, [old_case.number])
    assert list(selectors.retention_candidates(CUTOFF)) == []


def test_a_case_past_the_cutoff_later_is_anonymised_then(kept_cases, manager):
    on_cutoff, still_open = kept_cases
    with noon(TODAY):
        assert services.cases_anonymize(by=manager).case_numbers == []
    with noon(TODAY + dt.timedelta(days=1)):
        assert services.cases_anonymize(by=manager).case_numbers == [on_cutoff.number]
    still_open.refresh_from_db()
    assert still_open.anonymized_at is None
    assert RetentionRun.objects.count() == 2


def test_repeat_askers_are_counted_the_same_after_anonymising(staff, manager):
    organization = OrganizationFactory(org_type="voluntary")
    first = make_case(staff, opened_on=dt.date(2021, 3, 1), organization=organization)
    close(first, staff, dt.date(2021, 3, 20))
    make_case(staff, opened_on=dt.date(2021, 5, 1), organization=organization)
    period = (dt.date(2020, 4, 1), dt.date(2022, 3, 31))
    before = selectors.statistics(*period)
    assert before["repeat_askers"] == 1
    with noon(TODAY):
        services.cases_anonymize(by=manager)
    assert selectors.statistics(*period) == before


# --- statistics -------------------------------------------------------------------------------

PERIOD = (dt.date(2026, 2, 1), dt.date(2026, 5, 31))


@pytest.fixture
def figures_cases(staff):
    """Cases around the 年度 boundary of 31 March / 1 April 2026, and one on each side of
    the period."""
    funding, subsidy = category("資金調達"), category("補助金申請")
    group = OrganizationFactory(org_type="voluntary")
    before = make_case(staff, opened_on=dt.date(2026, 1, 31), channel=Channel.VISIT)
    first = make_case(
        staff,
        opened_on=dt.date(2026, 2, 1),
        channel=Channel.PHONE,
        categories=[funding],
        organization=group,
    )
    last_of_year = make_case(
        staff,
        opened_on=dt.date(2026, 3, 31),
        channel=Channel.VISIT,
        categories=[funding, subsidy],
        organization=group,
    )
    first_of_year = make_case(
        staff,
        opened_on=dt.date(2026, 4, 1),
        channel=Channel.EMAIL,
        categories=[subsidy],
        asker_email="sakura@example.jp",
    )
    last = make_case(
        staff,
        opened_on=dt.date(2026, 5, 31),
        channel=Channel.ONLINE,
        asker_email="Sakura@example.jp",
    )
    after = make_case(staff, opened_on=dt.date(2026, 6, 1), channel=Channel.VISIT)
    close(last_of_year, staff, dt.date(2026, 4, 10))  # 10 days
    close(first_of_year, staff, dt.date(2026, 4, 21))  # 20 days
    close(before, staff, dt.date(2026, 2, 1))  # outside the period: not averaged
    services.outcome_add(case=last_of_year, kind=OutcomeKind.SUBSIDY)
    services.outcome_add(case=last_of_year, kind=OutcomeKind.REGISTRATION)
    services.outcome_add(case=first_of_year, kind=OutcomeKind.SUBSIDY)
    services.outcome_add(case=first_of_year, kind=OutcomeKind.SUBSIDY)  # counted once
    return {
        "before": before,
        "first": first,
        "last_of_year": last_of_year,
        "first_of_year": first_of_year,
        "last": last,
        "after": after,
    }


def _counts(rows):
    return {key: n for key, _label, n in rows}


def test_statistics_add_up_to_the_raw_cases_across_a_fiscal_year_boundary(figures_cases):
    figures = selectors.statistics(*PERIOD)
    raw = list(Case.objects.filter(opened_on__range=PERIOD).prefetch_related("categories"))
    numbers = {c.number for c in raw}
    assert figures_cases["last_of_year"].number in numbers
    assert figures_cases["first_of_year"].number in numbers
    assert figures_cases["before"].number not in numbers
    assert figures_cases["after"].number not in numbers

    assert figures["total"] == len(raw) == 4
    by_channel = _counts(figures["by_channel"])
    assert sum(by_channel.values()) == figures["total"]
    assert by_channel == {
        Channel.VISIT: 1,
        Channel.PHONE: 1,
        Channel.EMAIL: 1,
        Channel.ONLINE: 1,
        Channel.OUTREACH: 0,
    }
    # A case with two categories counts once in each; one case has none.
    by_category = {name: n for _pk, name, _en, n in figures["by_category"] if n}
    assert by_category == {"資金調達": 2, "補助金申請": 2}
    assert figures["uncategorised"] == 1
    assert sum(by_category.values()) + figures["uncategorised"] == sum(
        max(len(c.categories.all()), 1) for c in raw
    )
    assert _counts(figures["by_type"]) == {"voluntary": 2, "": 2}
    outcomes = _counts(figures["by_outcome"])
    assert (outcomes[OutcomeKind.SUBSIDY], outcomes[OutcomeKind.REGISTRATION]) == (2, 1)
    assert figures["with_outcome"] == 2
    # The group asked twice, and one person twice under the same address (any case).
    assert (figures["repeat_askers"], figures["repeat_cases"]) == (2, 4)
    assert (figures["closed"], figures["average_days_to_close"]) == (2, 15.0)


def test_a_period_of_one_day_counts_that_day(figures_cases):
    assert selectors.statistics(dt.date(2026, 3, 31), dt.date(2026, 3, 31))["total"] == 1
    assert selectors.statistics(dt.date(2026, 4, 1), dt.date(2026, 4, 1))["total"] == 1


# --- 事前相談 for the proposals pillar --------------------------------------------------------


def test_had_pre_proposal_consultation_as_asker_or_party_within_the_window(staff):
    pre_proposal = Category.objects.get(is_pre_proposal=True)
    asker, partner, other_topic, stranger = (OrganizationFactory() for _i in range(4))
    case = make_case(
        staff, opened_on=dt.date(2026, 3, 1), categories=[pre_proposal], organization=asker
    )
    services.party_add(case=case, role=PartyRole.PARTNER, kind="organization", organization=partner)
    make_case(
        staff,
        opened_on=dt.date(2026, 3, 1),
        categories=[category("資金調達")],
        organization=other_topic,
    )

    def had(organization, since, until):
        return selectors.had_pre_proposal_consultation(organization, since=since, until=until)

    window = (dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    assert had(asker, *window)
    assert had(partner, *window)
    assert not had(other_topic, *window)  # a consultation, but not a 事前相談
    assert not had(stranger, *window)
    assert had(asker, dt.date(2026, 3, 1), dt.date(2026, 3, 1))  # the window's days count
    assert not had(asker, dt.date(2026, 3, 2), dt.date(2026, 4, 30))
    assert not had(partner, dt.date(2025, 2, 1), dt.date(2026, 2, 28))


# --- the statistics page and its CSV ----------------------------------------------------------

STATISTICS = "consultations:statistics"
EXPORT = "consultations:statistics_export"
RETENTION = "consultations:retention"


def _outsiders():
    organization = OrganizationFactory()
    return {
        "member": MembershipFactory(organization=organization, role="owner").user,
        "stranger": UserFactory(),
        "ward official": WardOfficialFactory(),
    }


@pytest.mark.parametrize("url_name", [STATISTICS, EXPORT])
def test_statistics_are_for_center_staff_only(client, staff, url_name):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    for who, person in _outsiders().items():
        client.force_login(person)
        assert client.get(url).status_code == 404, who
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_the_page_shows_the_figures_of_the_chosen_dates(client, staff, figures_cases):
    client.force_login(staff)
    response = client.get(
        reverse(STATISTICS), {"period": "range", "start": "2026-02-01", "end": "2026-05-31"}
    )
    assert response.status_code == 200
    assert response.context["figures"] == selectors.statistics(*PERIOD)
    tables = {t.key: {r.label: r.count for r in t.rows} for t in response.context["tables"]}
    assert tables["category"]["資金調達"] == 2
    assert sum(tables["channel"].values()) == 4
    html = response.content.decode()
    assert "資金調達" in html
    assert 'width="50.0%"' in html  # 2 of 4 cases: the bar of 資金調達
    assert "style=" not in html.split('<main id="main"')[1]  # the CSP allows no inline style
    export = reverse(EXPORT) + "?period=range&amp;start=2026-02-01&amp;end=2026-05-31"
    assert export in html


def test_the_fiscal_year_choice_is_april_to_march(client, staff, figures_cases):
    client.force_login(staff)
    response = client.get(reverse(STATISTICS), {"period": "fiscal_year", "fiscal_year": "2025"})
    period = response.context["period"]
    assert (period.start, period.end) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert period.label == "令和7年度"
    # before, first and last_of_year: 31 January to 31 March 2026
    assert response.context["figures"]["total"] == 3
    with noon(dt.date(2026, 11, 22)):
        response = client.get(reverse(STATISTICS))  # nothing chosen: the current 年度
    period = response.context["period"]
    assert (period.start, period.end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


def test_a_month_is_its_first_to_last_day(client, staff, figures_cases):
    client.force_login(staff)
    response = client.get(reverse(STATISTICS), {"period": "month", "month": "2026-03"})
    period = response.context["period"]
    assert (period.start, period.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert response.context["figures"]["total"] == 1


def test_a_wrong_period_shows_the_error_and_no_figures(client, staff):
    client.force_login(staff)
    response = client.get(
        reverse(STATISTICS), {"period": "range", "start": "2026-05-31", "end": "2026-02-01"}
    )
    assert response.status_code == 200
    assert "figures" not in response.context
    assert response.context["form"].errors["end"]
    response = client.get(reverse(STATISTICS), {"period": "month", "month": "2026-13"})
    assert response.context["form"].errors["month"]
    assert client.get(reverse(EXPORT), {"period": "month", "month": "x"}).status_code == 400


def _csv_sections(response):
    text = response.content.decode("utf-8-sig")
    sections, current = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def test_the_csv_has_a_section_with_its_header_for_each_breakdown(client, staff, figures_cases):
    client.force_login(staff)
    response = client.get(
        reverse(EXPORT), {"period": "range", "start": "2026-02-01", "end": "2026-05-31"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "consultation-statistics-20260201-20260531.csv" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    summary, by_category, by_channel, by_type, by_outcome = _csv_sections(response)
    values = {row[0]: row[1] for row in summary[1:]}
    assert "2026-02-01" in values.values() and "2026-05-31" in values.values()
    assert "4" in values.values()  # the total
    assert "15.0" in values.values()  # average days to close
    for section in (by_category, by_channel, by_type, by_outcome):
        assert len(section[0]) == 3  # a header row: the breakdown, cases, share
        assert all(len(row) == 3 for row in section[1:])
    categories = {row[0]: (row[1], row[2]) for row in by_category[1:]}
    assert categories["資金調達"] == ("2", "50.0")
    assert categories["補助金申請"] == ("2", "50.0")
    assert sum(int(row[1]) for row in by_channel[1:]) == 4
    assert len(by_channel) == 1 + len(Channel.choices)
    assert sum(int(row[1]) for row in by_type[1:]) == 4


def test_the_csv_follows_the_language_and_english_category_names(client, staff, figures_cases):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse(EXPORT), {"period": "range", "start": "2026-02-01", "end": "2026-05-31"}
    )
    summary, by_category, *_rest = _csv_sections(response)
    assert summary[0] == ["Item", "Value"]
    assert by_category[0][0] == "Category"
    assert {row[0]: row[1] for row in by_category[1:]}["Fundraising"] == "2"


def test_the_statistics_page_runs_the_same_queries_for_one_and_for_thirty_cases(
    client, staff, django_assert_num_queries
):
    client.force_login(staff)
    query = {"period": "fiscal_year", "fiscal_year": "2026"}
    group = OrganizationFactory()
    make_case(staff, categories=[category("広報")], organization=group)
    client.get(reverse(STATISTICS), query)
    with CaptureQueriesContext(connection) as with_one:
        client.get(reverse(STATISTICS), query)
    for day in range(29):
        case = make_case(
            staff,
            opened_on=dt.date(2026, 4, 1) + dt.timedelta(days=day),
            categories=[category("広報"), category("その他")],
            organization=group,
        )
        services.outcome_add(case=case, kind=OutcomeKind.BOOKING)
    with django_assert_num_queries(len(with_one)):
        response = client.get(reverse(STATISTICS), query)
    assert response.context["figures"]["total"] == 30


# --- the retention page -----------------------------------------------------------------------


def test_retention_is_for_the_center_manager_only(client, staff, manager):
    url = reverse(RETENTION)
    assert client.get(url).status_code == 302
    for who, person in {**_outsiders(), "staff": staff}.items():
        client.force_login(person)
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"confirm": "on"}).status_code == 404, who
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_the_retention_page_lists_numbers_and_dates_but_no_personal_text(
    client, manager, old_case, kept_cases
):
    client.force_login(manager)
    with noon(TODAY):
        response = client.get(reverse(RETENTION))
    assert response.context["cutoff"] == CUTOFF
    assert response.context["candidates"] == [old_case]
    html = response.content.decode()
    assert old_case.number in html
    assert "2021-06-14" in html
    assert "資金調達" in html
    for personal in ("こども食堂", "佃　花子", "hanako@example.jp", "持病"):
        assert personal not in html
    assert kept_cases[0].number not in html


def test_anonymising_needs_the_confirmation_box(client, manager, old_case):
    client.force_login(manager)
    with noon(TODAY):
        response = client.post(reverse(RETENTION), {})
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    old_case.refresh_from_db()
    assert old_case.anonymized_at is None
    assert not RetentionRun.objects.exists()


def test_the_manager_anonymises_from_the_page_and_the_run_is_listed(
    client, manager, old_case, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with noon(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(RETENTION), {"confirm": "on"}, follow=True)
    old_case.refresh_from_db()
    assert old_case.anonymized_at is not None
    run = RetentionRun.objects.get()
    assert (run.run_by, run.case_numbers) == (manager, [old_case.number])
    assert response.context["candidates"] == []
    assert response.context["runs"] == [run]
    html = response.content.decode()
    assert old_case.number in html
    assert str(manager) in html
    # Nothing left to do: a second press adds no empty audit row.
    with noon(TODAY):
        client.post(reverse(RETENTION), {"confirm": "on"})
    assert RetentionRun.objects.count() == 1


def test_the_retention_page_runs_the_same_queries_for_one_and_for_thirty_cases(
    client, staff, manager, django_assert_num_queries
):
    client.force_login(manager)

    def old_closed_case(day):
        case = make_case(
            staff,
            opened_on=dt.date(2020, 4, 1) + dt.timedelta(days=day),
            categories=[category("広報"), category("その他")],
        )
        close(case, staff, dt.date(2021, 1, 1) + dt.timedelta(days=day))

    old_closed_case(0)
    with noon(TODAY):
        services.cases_anonymize(by=manager)
    old_closed_case(1)
    with noon(TODAY):
        client.get(reverse(RETENTION))
        with CaptureQueriesContext(connection) as with_one:
            client.get(reverse(RETENTION))
    for day in range(2, 31):
        old_closed_case(day)
    with noon(TODAY):
        services.cases_anonymize(by=manager, case_ids=[])  # a second run in the list
        with django_assert_num_queries(len(with_one)):
            response = client.get(reverse(RETENTION))
    assert len(response.context["candidates"]) == 30


# --- the log of readings ----------------------------------------------------------------------


def test_the_access_log_is_for_the_center_manager_only(client, staff, manager):
    case = make_case(staff)
    url = reverse("consultations:access_log", args=[case.pk])
    assert client.get(url).status_code == 302
    for who, person in {**_outsiders(), "staff": staff}.items():
        client.force_login(person)
        assert client.get(url).status_code == 404, who
    client.force_login(manager)
    assert client.get(url).status_code == 200
    missing = reverse("consultations:access_log", args=[case.pk + 1000])
    assert client.get(missing).status_code == 404


def test_the_access_log_shows_who_read_the_notes_when_and_why(client, staff, manager):
    reader = StaffFactory(family_name="佐藤", given_name="恵")
    case = make_case(staff, is_sensitive=True)
    other = make_case(staff)
    with noon(dt.date(2026, 6, 10)):
        services.notes_read(case=case, user=reader, reason="来所前の確認")
    with noon(dt.date(2026, 6, 12)):
        services.notes_read(case=case, user=staff, reason="区への報告")
    services.notes_read(case=other, user=reader)
    client.force_login(manager)
    response = client.get(reverse("consultations:access_log", args=[case.pk]))
    accesses = list(response.context["accesses"])
    assert [(a.user, a.reason) for a in accesses] == [
        (staff, "区への報告"),
        (reader, "来所前の確認"),
    ]
    html = response.content.decode()
    assert "来所前の確認" in html
    assert str(reader) in html
    assert "2026-06-10 12:00" in html


def test_the_access_log_runs_the_same_queries_for_one_and_for_thirty_readings(
    client, staff, manager, django_assert_num_queries
):
    case = make_case(staff, is_sensitive=True)
    url = reverse("consultations:access_log", args=[case.pk])
    services.notes_read(case=case, user=StaffFactory(), reason="確認")
    client.force_login(manager)
    client.get(url)
    with CaptureQueriesContext(connection) as with_one:
        client.get(url)
    for _i in range(29):
        services.notes_read(case=case, user=StaffFactory(), reason="確認")
    with django_assert_num_queries(len(with_one)):
        response = client.get(url)
    assert len(response.context["accesses"]) == 30


# --- the admin --------------------------------------------------------------------------------

CASE_CHANGELIST = "admin:consultations_case_changelist"


def test_the_case_changelist_runs_the_same_queries_for_one_and_for_thirty_cases(
    client, staff, django_assert_num_queries
):
    client.force_login(staff)
    url = reverse(CASE_CHANGELIST)

    def make(n):
        case = make_case(
            staff,
            title=f"相談{n}",
            categories=[category("広報")],
            organization=OrganizationFactory(),
            assigned_to=StaffFactory(),
        )
        return case

    first = make(0)
    client.get(url)
    with CaptureQueriesContext(connection) as with_one:
        response = client.get(url)
    assert response.status_code == 200
    assert first.number in response.content.decode()
    for n in range(1, 30):
        make(n)
    with django_assert_num_queries(len(with_one)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 30


def test_the_case_changelist_filters_by_fiscal_year_status_and_searches(client, staff):
    client.force_login(staff)
    march = make_case(staff, opened_on=dt.date(2026, 3, 31), title="年度末の相談")
    april = make_case(
        staff, opened_on=dt.date(2026, 4, 1), title="年度初めの相談", asker_name="京橋　三郎"
    )
    close(april, staff, dt.date(2026, 4, 2))
    url = reverse(CASE_CHANGELIST)

    def numbers(params):
        return {c.number for c in client.get(url, params).context["cl"].result_list}

    assert numbers({"fiscal_year": "2025"}) == {march.number}
    assert numbers({"fiscal_year": "2026"}) == {april.number}
    assert numbers({"status__exact": "closed"}) == {april.number}
    assert numbers({"q": "京橋"}) == {april.number}


def test_the_admin_csv_leaves_out_the_request_of_sensitive_cases(client, staff):
    client.force_login(staff)
    plain = make_case(staff, title="広報の相談", request="チラシの作り方")
    sensitive = make_case(staff, title="配慮の相談", request="家族の病気のこと", is_sensitive=True)
    services.entry_add(case=plain, by=staff, kind="memo", notes="内部メモの中身")
    response = client.post(
        reverse(CASE_CHANGELIST),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [plain.pk, sensitive.pk], "index": 0},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = {row[0]: row for row in list(csv.reader(io.StringIO(text)))[1:]}
    assert set(rows) == {plain.number, sensitive.number}
    assert "チラシの作り方" not in text  # no request text in an export at all
    assert "配慮の相談" not in text  # a sensitive case's title is masked
    assert "家族の病気のこと" not in text
    assert "内部メモの中身" not in text


def test_the_admin_shows_no_entries_and_hides_the_request_of_a_sensitive_case(client, staff):
    client.force_login(staff)
    case = make_case(staff, request="家族の病気のこと", is_sensitive=True)
    services.entry_add(case=case, by=staff, kind="memo", notes="内部メモの中身")
    response = client.get(reverse("admin:consultations_case_change", args=[case.pk]), follow=True)
    # Sent to the staff page, which asks the reason before it shows the notes.
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    html = response.content.decode()
    assert case.number in html
    assert "家族の病気のこと" not in html
    assert "内部メモの中身" not in html
    assert not NoteAccess.objects.exists()


def test_readings_and_retention_runs_are_for_the_manager_in_the_admin(client, staff, manager):
    case = make_case(staff)
    services.notes_read(case=case, user=staff, reason="確認")
    for name in ("noteaccess", "retentionrun"):
        url = reverse(f"admin:consultations_{name}_changelist")
        client.force_login(staff)
        assert client.get(url).status_code == 403, name
        client.force_login(manager)
        assert client.get(url).status_code == 200, name
    client.force_login(manager)
    response = client.get(reverse("admin:consultations_noteaccess_changelist"))
    assert case.number in response.content.decode()
    # Read-only: no adding, no deleting.
    assert client.get(reverse("admin:consultations_noteaccess_add")).status_code == 403


def test_the_settings_are_a_single_row(client, staff):
    client.force_login(staff)
    assert ConsultationSettings.objects.count() == 1
    assert client.get(reverse("admin:consultations_consultationsettings_add")).status_code == 403
    response = client.get(reverse("admin:consultations_consultationsettings_changelist"))
    assert response.status_code == 302
    row = ConsultationSettings.objects.get()
    assert response.url == reverse("admin:consultations_consultationsettings_change", args=[row.pk])


def test_an_anonymised_case_cannot_be_edited_in_the_admin(client, staff, manager, old_case):
    with noon(TODAY):
        services.cases_anonymize(by=manager)
    client.force_login(staff)
    url = reverse("admin:consultations_case_change", args=[old_case.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    client.post(url, {"title": "佃　花子の相談", "channel": "visit", "opened_on": "2020-04-10"})
    old_case.refresh_from_db()
    assert "佃" not in old_case.title


def test_picking_up_an_unassigned_case_puts_the_staff_member_in_charge(staff):
    case = services.case_request_online(
        name="訪問者", email="v@example.jp", request="相談したいことがあります"
    )
    assert case.assigned_to is None
    services.entry_add(case=case, by=staff, kind="phone", notes="折り返し電話")
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == ("in_progress", staff)
