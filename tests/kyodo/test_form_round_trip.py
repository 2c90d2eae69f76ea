"""Every page that edits saved data gives it back unchanged.

For each edit page: the saved object has a non-default value in every field the form shows;
the page is opened, the form's current values are read out of the HTML as a browser would
send them (tests/kyodo/forms_html.py), posted back untouched, and the saved rows must be
exactly as before, with no mail sent. A form that shows a blank where a value is saved (the
score sheet once did, and a submit then wrote None over every point) fails here.

``test_every_edit_page_is_round_tripped`` lists every URL name of the project's apps as an
edit page (covered here) or not: a new page must be placed in one list or the other."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import DateTimeField
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from kyodo.text import corporate_number_check_digit
from organizations.models import ActivityField
from proposals.enums import Feasibility, Outcome
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    OrganizationFactory,
    ProposalFactory,
    RoundFactory,
    StaffFactory,
    StageFactory,
    UserFactory,
    WardOfficialFactory,
)
from tests.kyodo.forms_html import page_forms

pytestmark = pytest.mark.django_db


@dataclass
class Edit:
    user: object
    page: str  # the page the form is on
    action: str  # where the form posts
    rows: Callable[[], object]  # the saved state the form edits, read afresh
    # Fields that are not saved data (the blank rows of a formset for new lines): may be empty.
    may_be_empty: Callable[[str], bool] = lambda name: False


def row(obj) -> dict:
    """The saved values of ``obj`` read from the database: its concrete fields but the
    timestamps a save refreshes, and its many-to-many sets."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    values = {
        f.attname: getattr(fresh, f.attname)
        for f in fresh._meta.concrete_fields
        if not (isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add))
    }
    for field in fresh._meta.many_to_many:
        values[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    return values


def _changes(before, after) -> str:
    """What changed, field by field, for the failure message."""
    if isinstance(before, dict) and isinstance(after, dict):
        return "; ".join(
            f"{key}: {before.get(key)!r} -> {after.get(key)!r}"
            for key in before.keys() | after.keys()
            if before.get(key) != after.get(key)
        )
    sequences = isinstance(before, (list, tuple)) and isinstance(after, (list, tuple))
    if sequences and len(before) == len(after):
        return " | ".join(_changes(b, a) for b, a in zip(before, after, strict=True) if b != a)
    return f"{before!r} -> {after!r}"


def rows(queryset) -> list[dict]:
    return [row(obj) for obj in queryset.order_by("pk")]


def _corporate_number() -> str:
    base = "010401012345"
    return f"{corporate_number_check_digit(base)}{base}"


def _organization(**overrides):
    fields = {
        "org_type": "npo",
        "corporate_number": _corporate_number(),
        "established_on": dt.date(2015, 4, 1),
        "prefecture": "東京都",
        "city": "中央区",
        "building": "協働ビル3階",
        "fax": "03-1234-5679",
        "website": "https://example.jp/",
        "sns": "@nihonbashi",
        "staff_count": 3,
        "annual_budget": 1_200_000,
        "activity_schedule": "毎週土曜 日本橋公会堂",
        "fields": [2, 3, 5],
    }
    fields.update(overrides)
    return OrganizationFactory(**fields)


def _owner(organization):
    return MembershipFactory(organization=organization, role="owner").user


# --- accounts ---------------------------------------------------------------------------------


def profile_edit():
    user = UserFactory(phone="090-1234-5678", language="en")
    return Edit(
        user=user,
        page=reverse("accounts:profile_edit"),
        action=reverse("accounts:profile_edit"),
        rows=lambda: row(user),
    )


# --- organizations ----------------------------------------------------------------------------


def organization_edit():
    organization = _organization()
    owner = _owner(organization)
    url = reverse("organizations:edit", args=[organization.pk])
    return Edit(
        user=owner,
        page=url,
        action=url,
        rows=lambda: (row(organization), organization.profile_changes.count()),
    )


def organization_publication():
    organization = _organization(is_listed=True, public_fields=["phone", "website"])
    url = reverse("organizations:publication", args=[organization.pk])
    return Edit(user=_owner(organization), page=url, action=url, rows=lambda: row(organization))


def organization_change_role():
    organization = _organization()
    owner = _owner(organization)
    manager = MembershipFactory(organization=organization, role="manager")
    return Edit(
        user=owner,
        page=reverse("organizations:members", args=[organization.pk]),
        action=reverse("organizations:change_role", args=[organization.pk, manager.pk]),
        rows=lambda: rows(organization.memberships.all()),
    )


# --- consultations ----------------------------------------------------------------------------


def consultation_case_edit():
    from consultations import services
    from consultations.models import Category

    staff = StaffFactory()
    organization = _organization()
    case = services.case_create(
        by=staff,
        title="町会の運営について",
        request="会計の引き継ぎ方を知りたい",
        channel="phone",
        asker_name="日本橋　花子",
        asker_email="hanako@example.jp",
        asker_phone="03-3333-4444",
        organization=organization,
        assigned_to=StaffFactory(),
        opened_on=timezone.localdate() - dt.timedelta(days=3),
    )
    case.categories.set(Category.objects.filter(is_active=True).order_by("pk")[:2])
    url = reverse("consultations:case_edit", args=[case.pk])
    return Edit(user=staff, page=url, action=url, rows=lambda: row(case))


# --- proposals --------------------------------------------------------------------------------


def _in_review():
    """A submitted proposal in a call with both stages, its 所管課 official, a reviewer."""
    from consultations import services as consultations
    from proposals import reviews, services
    from proposals.models import Assignment

    round_ = RoundFactory()
    organization = _organization()
    owner = _owner(organization)
    proposal = ProposalFactory(
        round=round_,
        organization=organization,
        kind="free",
        collaboration_form="commission",
    )
    proposal = services.proposal_submit(proposal=proposal, by=owner)
    stage = StageFactory(round=round_, number=1)
    StageFactory(round=round_, number=2, status="preparing")
    staff = StaffFactory()
    official = WardOfficialFactory()
    services.department_assign(
        proposal=proposal, by=staff, department="地域振興課", official=official
    )
    case = consultations.case_create(
        by=staff,
        title="事前相談",
        request="提案の相談",
        channel="visit",
        organization=organization,
    )
    services.pre_consultation_record(
        proposal=proposal, by=staff, on=timezone.localdate() - dt.timedelta(days=5), case=case
    )
    reviewer = CouncilMemberFactory()
    Assignment.objects.create(stage=stage, reviewer=reviewer, all_proposals=True)
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    proposal.refresh_from_db()
    return {
        "round": round_,
        "proposal": proposal,
        "owner": owner,
        "stage": stage,
        "staff": staff,
        "official": official,
        "reviewer": reviewer,
    }


def proposal_edit():
    from proposals.models import Theme

    round_ = RoundFactory()
    theme = Theme.objects.create(round=round_, title="高齢者の見守り", department="高齢者福祉課")
    organization = _organization()
    proposal = ProposalFactory(
        round=round_,
        organization=organization,
        kind="theme",
        theme=theme,
        department=theme.department,  # as the service derives it from the theme
        collaboration_form="commission",
    )
    # Numbered in their order, as the service saves them.
    for order, line in enumerate(proposal.budget_lines.order_by("pk")):
        type(line).objects.filter(pk=line.pk).update(order=order)
    url = reverse("proposals:edit", args=[proposal.pk])
    saved_lines = proposal.budget_lines.count()
    return Edit(
        user=_owner(organization),
        page=url,
        action=url,
        # The service writes the lines afresh: their content counts, not their ids.
        rows=lambda: (
            row(proposal),
            [{**line, "id": None} for line in rows(proposal.budget_lines.all())],
        ),
        # The blank rows after the saved lines are for new ones.
        may_be_empty=lambda name: (
            (m := re.fullmatch(r"budget-(\d+)-\w+", name)) is not None
            and int(m.group(1)) >= saved_lines
        ),
    )


def review_score():
    from proposals import reviews

    world = _in_review()
    stage, proposal, reviewer = world["stage"], world["proposal"], world["reviewer"]
    criteria = list(world["round"].criteria.order_by("order"))
    review = reviews.review_save(
        stage=stage,
        proposal=proposal,
        reviewer=reviewer,
        points={c.pk: (i % 5) + 1 for i, c in enumerate(criteria)},
        comments={c.pk: f"評価コメント{i}" for i, c in enumerate(criteria)},
        overall_comment="全体として丁寧な計画",
    )
    url = reverse("proposals_review:score", args=[stage.pk, proposal.pk])
    return Edit(
        user=reviewer,
        page=url,
        action=url,
        rows=lambda: (row(review), rows(review.scores.all())),
    )


def review_opinion():
    from proposals import services
    from proposals.models import DepartmentOpinion

    world = _in_review()
    proposal, official = world["proposal"], world["official"]
    services.opinion_save(
        proposal=proposal,
        by=official,
        feasibility=Feasibility.WITH_CHANGES,
        text="人員の確保を条件に実施できる。",
        submit=False,
    )
    opinion = DepartmentOpinion.objects.get(proposal=proposal)
    url = reverse("proposals_review:opinion", args=[proposal.pk])
    return Edit(user=official, page=url, action=url, rows=lambda: row(opinion))


def _staff_proposal_form(action, prepare=None):
    def case():
        world = _in_review()
        proposal = world["proposal"]
        watched = prepare(world) if prepare else None
        return Edit(
            user=world["staff"],
            page=reverse("proposals_staff:proposal", args=[proposal.pk]),
            action=reverse(f"proposals_staff:{action}", args=[proposal.pk]),
            rows=lambda: (row(proposal), watched() if watched else None),
        )

    return case


def _shortlisted(world):
    from proposals import services
    from proposals.models import Presentation

    proposal = world["proposal"]
    stage_two = world["round"].stages.get(number=2)
    services.proposal_shortlist(
        proposal=proposal,
        stage=stage_two,
        by=world["staff"],
        starts_at=timezone.make_aware(dt.datetime.combine(stage_two.review_deadline, dt.time(14))),
        place="会議室A",
    )
    mail.outbox.clear()
    return lambda: rows(Presentation.objects.filter(proposal=proposal))


def _decided(world):
    from proposals import services
    from proposals.models import Decision

    _shortlisted(world)
    services.decision_prepare(
        proposal=world["proposal"],
        by=world["staff"],
        outcome=Outcome.ADOPTED_WITH_CONDITIONS,
        council_comment="地域の期待が大きい。",
        conditions="見守りの記録を毎月提出すること。",
    )
    return lambda: rows(Decision.objects.filter(proposal=world["proposal"]))


def _evaluation_world(stage):
    from evaluations import services as evaluation_services
    from tests.evaluations.conftest import World

    world = World()
    if stage == "targets":
        return world
    world.open()
    if stage == "results":
        world.results()
        return world
    world.results()
    evaluation_services.sheet_save(
        evaluation=world.evaluation,
        by=world.manager,
        scores=world.scores(2, "参加者が少なかった。"),
        went_well="声かけが広がった。",
        issues="男性の参加が少ない。",
        improvements="男性向けの企画を加える。",
    )
    return world


def evaluation_targets():
    from evaluations import services as evaluation_services
    from tests.evaluations.conftest import ROWS

    world = _evaluation_world("targets")
    evaluation_services.evaluation_targets_save(
        evaluation=world.evaluation,
        by=world.manager,
        rows=ROWS[:2],
        beneficiary_unmeasured_reason="乳幼児が対象のため",
    )
    url = reverse("evaluations:targets", args=[world.evaluation.pk])
    return Edit(
        user=world.manager,
        page=url,
        action=url,
        rows=lambda: (row(world.evaluation.targets), rows(world.evaluation.targets.targets.all())),
        # the two blank lines for new targets
        may_be_empty=lambda name: (
            name.startswith("targets-")
            and name.split("-")[1].isdigit()
            and int(name.split("-")[1]) >= world.evaluation.targets.targets.count()
        ),
    )


def evaluation_results():
    world = _evaluation_world("results")
    url = reverse("evaluations:results", args=[world.evaluation.pk])
    # the results entered without a word about them
    return Edit(
        user=world.manager,
        page=url,
        action=url,
        rows=lambda: rows(world.evaluation.targets.targets.all()),
        may_be_empty=lambda name: name.startswith("note_"),
    )


def evaluation_sheet():
    from evaluations.models import Sheet, SheetScore

    world = _evaluation_world("sheet")
    url = reverse("evaluations:sheet", args=[world.evaluation.pk])
    return Edit(
        user=world.manager,
        page=url,
        action=url,
        rows=lambda: (
            rows(Sheet.objects.filter(evaluation=world.evaluation)),
            rows(SheetScore.objects.filter(sheet__evaluation=world.evaluation)),
        ),
    )


# --- events -------------------------------------------------------------------------------------


def events_session_edit():
    from events.models import Event, Session

    now = timezone.now()
    event = Event.objects.create(
        kind="course",
        title="NPO会計講座",
        description="全2回",
        capacity=20,
        applications_open=now - dt.timedelta(days=3),
        applications_close=now + dt.timedelta(days=3),
    )
    session = Session.objects.create(
        event=event,
        date=timezone.localdate() + dt.timedelta(days=10),
        starts=dt.time(19),
        ends=dt.time(21),
        place="区民館",
        place_en="Ward hall",
        address="中央区日本橋1-1",
    )
    url = reverse("events_staff:session_edit", args=[session.pk])
    return Edit(
        user=StaffFactory(),
        page=url,
        action=url,
        rows=lambda: row(session),
        # A session is in a room of the center or outside: this one is outside.
        may_be_empty=lambda name: name == "resource",
    )


def coordination_post_edit():
    from coordination import services as board
    from coordination.models import Region, Town

    organization = _organization()
    owner = _owner(organization)
    region = Region.objects.get(name="日本橋")
    post = board.post_create(
        by=owner,
        organization=organization,
        data={
            "kind": "offer",
            "category": "venue",
            "title": "会議室をお貸しします",
            "description": "平日夜、20名まで。",
            "partner_sought": "地域の団体",
            "region": region,
            "town": Town.objects.get(region=region, name="日本橋人形町"),
            "starts_on": dt.date(2026, 12, 1),
            "ends_on": dt.date(2027, 3, 31),
        },
        fields=list(ActivityField.objects.filter(number__in=[3, 19])),
    )
    mail.outbox.clear()
    url = reverse("coordination:post_edit", args=[post.pk])
    return Edit(
        user=owner,
        page=url,
        action=url,
        rows=lambda: (row(post), post.events.count()),
    )


def council_minutes_save():
    from coordination import council_services
    from coordination.models import Meeting

    staff = StaffFactory()
    starts = timezone.now() - dt.timedelta(days=3)
    meeting = Meeting.objects.create(
        title="第1回 協働推進会議",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="十思スクエア",
        agenda="審査",
    )
    minutes = council_services.minutes_save(meeting=meeting, by=staff, text="議事の記録")
    return Edit(
        user=staff,
        page=reverse("council:staff_meeting", args=[meeting.pk]),
        action=reverse("council:staff_minutes_save", args=[meeting.pk]),
        rows=lambda: (row(minutes), minutes.events.count()),
    )


def subsidy_edit():
    from consultations.models import Case
    from kyodo.dates import fiscal_year
    from subsidies import services
    from tests.subsidies.conftest import PLAN, lines_of, make_programme, with_papers

    today = timezone.localdate()
    year = fiscal_year(today) + 1
    programme = make_programme(
        year,
        applications_open_on=today - dt.timedelta(days=1),
        application_deadline=today + dt.timedelta(days=1),
    )
    organization = with_papers(_organization())
    owner = _owner(organization)
    case = Case.objects.create(
        number="2026-0099",
        title="補助金の相談",
        request="申請書の書き方",
        channel="online",
        asker=owner,
        organization=organization,
    )
    application = services.application_create(
        programme=programme, organization=organization, by=owner, title="防災講座"
    )
    plan = {
        **PLAN,
        "starts_on": dt.date(year, 6, 1),
        "ends_on": dt.date(year + 1, 2, 28),
        "other_income": 12_000,
        "consultation_case": case,
    }
    services.application_update(
        application=application,
        by=owner,
        data=plan,
        budget_lines=lines_of(
            programme, ("Honoraria", "講師", 2, 40_000), ("Printing", "チラシ", 1, 9_000)
        ),
    )
    url = reverse("subsidies:edit", args=[application.pk])
    saved_lines = application.budget_lines.count()
    return Edit(
        user=owner,
        page=url,
        action=url,
        rows=lambda: (
            row(application),
            [{**line, "id": None} for line in rows(application.budget_lines.all())],
        ),
        may_be_empty=lambda name: (
            (m := re.fullmatch(r"budget-(\d+)-\w+", name)) is not None
            and int(m.group(1)) >= saved_lines
        ),
    )


def subsidy_decide():
    from subsidies import decisions
    from subsidies.enums import Declaration
    from subsidies.models import Application
    from subsidies.services import application_submit

    edit = subsidy_edit()
    application = Application.objects.latest("pk")
    application_submit(application=application, by=edit.user, declarations=list(Declaration.values))
    staff = StaffFactory()
    decision = decisions.decision_save(
        application=application,
        by=staff,
        outcome="granted",
        amount=application.requested_amount - application.programme.rounding_unit,
        conditions="写真を添付すること",
    )
    url = reverse("subsidies_staff:decide", args=[application.pk])
    return Edit(
        user=staff,
        page=url,
        action=url,
        rows=lambda: row(decision),
        may_be_empty=lambda name: name == "reasons",  # a grant has no reasons
    )


EDIT_PAGES = {
    "subsidies:edit": subsidy_edit,
    "subsidies_staff:decide": subsidy_decide,
    "council:staff_minutes_save": council_minutes_save,
    "coordination:post_edit": coordination_post_edit,
    "events_staff:session_edit": events_session_edit,
    "evaluations:targets": evaluation_targets,
    "evaluations:results": evaluation_results,
    "evaluations:sheet": evaluation_sheet,
    "accounts:profile_edit": profile_edit,
    "organizations:edit": organization_edit,
    "organizations:publication": organization_publication,
    "organizations:change_role": organization_change_role,
    "consultations:case_edit": consultation_case_edit,
    "proposals:edit": proposal_edit,
    "proposals_review:score": review_score,
    "proposals_review:opinion": review_opinion,
    "proposals_staff:pre_consultation": _staff_proposal_form("pre_consultation"),
    "proposals_staff:department": _staff_proposal_form("department"),
    "proposals_staff:shortlist": _staff_proposal_form("shortlist", _shortlisted),
    "proposals_staff:decision": _staff_proposal_form("decision", _decided),
}


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_an_edit_page_submitted_unchanged_changes_nothing(english_client, name):
    edit = EDIT_PAGES[name]()
    english_client.force_login(edit.user)
    before = edit.rows()
    mail.outbox.clear()
    response = english_client.get(edit.page)
    assert response.status_code == 200
    html = response.content.decode()
    forms = [f for f in page_forms(html) if (f["action"] or edit.page) == edit.action]
    assert len(forms) == 1, f"one form posting to {edit.action} on {edit.page}"
    fields, unchecked = forms[0]["fields"], forms[0].get("unchecked", set())
    names = {n for n, _ in fields}
    # Every field shows its saved value: no radio group left unchecked, nothing blank.
    assert unchecked <= names, f"nothing chosen in {sorted(unchecked - names)}"
    blank = {n for n, v in fields if v == "" and not edit.may_be_empty(n)}
    assert not blank, f"blank on the page though saved: {sorted(blank)}"
    data: dict = {}
    for field, value in fields:
        if field != "csrfmiddlewaretoken":
            data.setdefault(field, []).append(value)

    response = english_client.post(edit.action, data)

    assert response.status_code == 302, "the unchanged form was refused"
    after = edit.rows()
    assert after == before, _changes(before, after)
    assert [m.subject for m in mail.outbox] == []


# --- every page of the project is placed --------------------------------------------------------

# Pages that show or act but edit no saved values in a form filled from them: lists, details,
# downloads, forms that add something new, and one-button actions.
NOT_EDIT_PAGES = {
    f"{namespace}:{name}"
    for namespace, names in {
        "accounts": "mypage",
        "publications": (
            "closure_calendar grant_archive grant_detail grant_list grant_suggest news_detail "
            "news_list newsletter_archive newsletter_issue subscribe subscribe_confirm "
            "unsubscribe"
        ),
        "publications_staff": (
            "grant_action grant_suggestions newsletter newsletter_issue newsletter_send "
            "newsletter_subscribers_csv newsletter_test"
        ),
        "subsidies": (
            "advance_request attachment attachment_add attachment_remove create detail index "
            "letter mine programme programme_form programme_guide submit withdraw"
        ),
        "subsidies_staff": "advance_paid programme programme_export programmes release",
        "coordination": (
            "board mine my_post post_create post_detail post_interest post_renew "
            "post_withdraw staff_moderate staff_outcome staff_post staff_posts staff_statistics"
        ),
        "council": (
            "material meeting meetings meetings_ics member_home member_meeting minutes_comment "
            "staff_material_add staff_meeting staff_minutes_move"
        ),
        "library": "document documents version",
        "consultations": (
            "access_log ask attachment_download case_create case_detail case_export case_list "
            "case_notes case_status dashboard entry_add followup_add followup_done my_case "
            "my_cases outcome_add party_add retention statistics statistics_export thanks"
        ),
        "facilities": (
            "booking_cancel booking_create booking_detail booking_ics booking_list day "
            "opendata_public_facilities resource_detail resource_list"
        ),
        "facilities_feeds": "approval_letter feed feed_create feed_revoke receipt statement",
        "facilities_series": (
            "series_booking_cancel series_cancel series_detail series_letter series_new "
            "waitlist_join "
            "waitlist_offer waitlist_withdraw"
        ),
        "facilities_staff": (
            # move: an action to another time with a required message to the group (the form
            # offers the current time as a starting point), not an edit of saved values.
            "move approve block book booking_detail booking_export booking_list booking_printer "
            "cancel check_in counter no_show printer_export printer_record printer_totals "
            "receipt_issue statement_issue"
        ),
        "events": (
            "application application_cancel apply event_archive event_calendar event_detail "
            "event_ics event_list feed offer_accept open_data"
        ),
        "events_staff": (
            "application_action application_export application_list event_copy event_detail "
            "event_list session_cancel statistics"
        ),
        "organizations": (
            "act_for application_review apply certificate_download change_review detail "
            "directory directory_detail document_delete document_download document_upload "
            "hand_over invitation invitation_revoke invite leave members reinstate "
            "remove_member renew resubmit review_list set_contact staff_detail staff_export "
            "staff_list suspend withdraw"
        ),
        "proposals": (
            "agreement attachment attachment_add attachment_remove create detail index letter "
            "mine results round round_guide submit submitted_pdf withdraw"
        ),
        "proposals_review": (
            "attachment chair_declare dashboard dashboard_csv declarations declare home "
            "packet_pdf reopen score_sheet_pdf stage submit summary summary_pdf total"
        ),
        "proposals_staff": (
            "conflict project project_action proposal release return round rounds "
            "stage_action unshortlist"
        ),
        "evaluations": (
            "index report report_pdf mine detail evidence evidence_add evidence_remove summary"
        ),
        # action: confirm, open (due dates), assign and the verdict — each a one-time act
        "evaluations_staff": "index publish create detail action",
    }.items()
    for name in names.split()
}


def _project_url_names() -> set[str]:
    """Every named URL of our apps (namespace:name), from the project's URLconf."""
    ours = {
        "accounts",
        "organizations",
        "consultations",
        "facilities",
        "events",
        "proposals",
        "evaluations",
        "coordination",
        "council",
        "library",
        "subsidies",
        "publications",
    }
    found: set[str] = set()

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace.split("_")[0] in ours:
                found.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns)
    return found


def test_every_edit_page_is_round_tripped():
    """A new page must be placed: an edit page gets a case in EDIT_PAGES above."""
    names = _project_url_names()
    assert names - set(EDIT_PAGES) - NOT_EDIT_PAGES == set(), "place the new pages"
    assert (set(EDIT_PAGES) | NOT_EDIT_PAGES) - names == set(), "a page listed here is gone"
    assert not set(EDIT_PAGES) & NOT_EDIT_PAGES
