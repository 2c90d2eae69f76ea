"""Two-factor log-in belongs to the person, not to URL prefixes (KYODO_REQUIRE_MFA_FOR_STAFF).

Every URL pattern of the resolver is requested — its path parameters filled from another
group's data: organization, members, documents, bookings and their letters, cases, proposals
and their PDFs — by center staff (a センター責任者 who is also a superuser), a ward official
and the chair of a review, each logged in with the password alone, and by an outsider (an
ordinary member of another group). Whatever they get must be what the outsider gets: the same
class of status (or, on the staff, review and admin pages, the way to set up or confirm
two-factor log-in), none of the other group's data the outsider does not see, and nothing
changed by a POST.
After two-factor log-in in the session the same people have their rights back.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from consultations.models import Attachment, Case, FollowUp
from events.models import Application as EventApplication
from events.models import Event, Session
from facilities.enums import BookingStatus
from facilities.models import (
    Booking,
    CalendarFeed,
    MonthlyStatement,
    Receipt,
    Resource,
    Series,
    WaitlistEntry,
)
from kyodo.models import DocumentStatus, GeneratedDocument
from organizations.models import (
    Application,
    Invitation,
    Membership,
    OrganizationDocument,
    ProfileChange,
    RegistrationCertificate,
)
from proposals.models import Assignment, Decision, ProposalAttachment
from proposals.services import proposal_submit
from publications.models import GrantListing, Issue, NewsItem, Subscriber
from publications.newsletter import unsubscribe_token
from subsidies.models import AdvancePayment, ApplicationAttachment, Programme, ProgrammeForm
from subsidies.models import Application as SubsidyApplication
from tests.accounts.mfa_helpers import give_totp, log_in_with_totp
from tests.facilities.conftest import TOKYO, at
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
from tests.proposals.conftest import submitted_proposal
from tests.subsidies.conftest import make_programme

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TUESDAY = dt.date(2026, 11, 24)

# What only the other group, staff and the people named in its review may read. None of it is
# public: the group is not in the directory, its proposals are not adopted.
SECRETS = (
    "秘匿団体ミツバチ",  # the organization's name
    "secret-owner@example.jp",  # its representative's address
    "invitee-secret@example.jp",  # an open invitation
    "非公開の理事会",  # a booking's purpose
    "内密の相談案件",  # a consultation case
    "極秘提案まちの灯",  # a proposal's title
    "未掲載の募集ひみつ",  # a board post not yet published
    "非公開の審議資料ひみつ",  # a closed council material
    "議事録下書きひみつ",  # draft minutes
    "未公開の手引きひみつ",  # a library document not yet published
    "極秘補助金申請",  # a subsidy application's title
    "未公開の下書きニュース",  # a news item staff have not published
    "提案中の秘密助成",  # a grant listing a group suggested, not yet checked
    "未送信の秘密メルマガ",  # a newsletter issue not sent yet
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _ready_document(kind: str, requested_by, filename: str) -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        kind=kind,
        template_name="pdf/none.html",
        filename=filename,
        status=DocumentStatus.READY,
        requested_by=requested_by,
        finished_at=timezone.now(),
    )
    document.file.save(filename, ContentFile(b"%PDF-1.7\n" + SECRETS[0].encode()), save=True)
    return document


def _world():
    """The other group with one of everything a URL can point at, and the people."""
    theirs = OrganizationFactory(name=SECRETS[0])
    owner = UserFactory(email=SECRETS[1])
    owner_membership = MembershipFactory(organization=theirs, user=owner, role="owner")
    outsider = MembershipFactory(organization=OrganizationFactory(), role="owner").user

    # Every right of the center in one person: the groups, the admin flag and the superuser.
    manager = StaffFactory(roles=[Role.CENTER_STAFF, Role.CENTER_MANAGER], is_superuser=True)
    ward = WardOfficialFactory()
    chair = CouncilMemberFactory()

    invitation = Invitation.objects.create(
        organization=theirs,
        email=SECRETS[2],
        role="member",
        token="invitation-token-of-the-other-group",
        expires_at=NOW + dt.timedelta(days=7),
        invited_by=owner,
    )
    document = OrganizationDocument.objects.create(
        organization=theirs,
        kind="rules",
        file=ContentFile(b"%PDF-1.7\n", name="kiyaku.pdf"),
        original_name="kiyaku.pdf",
        size=9,
        uploaded_by=owner,
    )
    certificate = RegistrationCertificate.objects.create(
        organization=theirs,
        registration_number=theirs.registration_number,
        valid_until=theirs.valid_until,
        document=_ready_document("registration_certificate", None, "certificate.pdf"),
    )
    application = Application.objects.create(
        organization=theirs, kind="new", fiscal_year=2026, submitted_by=owner
    )
    change = ProfileChange.objects.create(
        organization=theirs, changes={"phone": "03-0000-0000"}, previous={}, requested_by=owner
    )

    room = Resource.objects.get(name="会議室")
    booking = Booking.objects.create(
        resource=room,
        organization=theirs,
        start=at(TUESDAY, 9),
        end=at(TUESDAY, 12),
        status=BookingStatus.CONFIRMED,
        purpose=SECRETS[3],
        booked_by=owner,
        charged=1000,
        approval_letter=_ready_document("booking_approval", owner, "letter.pdf"),
    )
    series = Series.objects.create(
        organization=theirs, resource=room, description="毎週火曜日", created_by=owner
    )
    in_series = Booking.objects.create(
        resource=room,
        organization=theirs,
        start=at(TUESDAY + dt.timedelta(days=7), 9),
        end=at(TUESDAY + dt.timedelta(days=7), 12),
        purpose=SECRETS[3],
        series=series,
        booked_by=owner,
    )
    waitlist = WaitlistEntry.objects.create(
        resource=room,
        organization=theirs,
        start=at(TUESDAY, 13),
        end=at(TUESDAY, 17),
        purpose=SECRETS[3],
        token="waitlist-token-of-the-other-group",
        created_by=owner,
    )
    feed = CalendarFeed.objects.create(
        organization=theirs, token="feed-token-of-the-other-group", created_by=owner
    )
    receipt = Receipt.objects.create(
        number="R-2026-0001",
        organization=theirs,
        booking=booking,
        description=SECRETS[3],
        proviso="会議室使用料",
        amount=1000,
        issued_on=NOW.date(),
        issued_by=manager,
        document=_ready_document("receipt", manager, "receipt.pdf"),
    )
    MonthlyStatement.objects.create(
        organization=theirs,
        month=dt.date(2026, 10, 1),
        issued_by=manager,
        document=_ready_document("statement", manager, "statement.pdf"),
    )

    case = Case.objects.create(
        number="2026-0001",
        title=SECRETS[4],
        request=SECRETS[4],
        channel="online",
        asker=owner,
        organization=theirs,
    )
    attachment = Attachment.objects.create(
        case=case,
        file=ContentFile(b"%PDF-1.7\n", name="memo.pdf"),
        original_name="memo.pdf",
        size=9,
        uploaded_by=owner,
    )
    follow_up = FollowUp.objects.create(
        case=case, description=SECRETS[4], due_on=TUESDAY, assignee=manager
    )

    round_ = RoundFactory(chair=chair)
    stage = StageFactory(round=round_, number=1)
    draft = ProposalFactory(
        round=round_, organization=theirs, title=SECRETS[5], department_official=ward
    )
    file = ProposalAttachment.objects.create(
        proposal=draft, title=SECRETS[5], file=ContentFile(b"%PDF-1.7\n", name="plan.pdf")
    )
    proposal = proposal_submit(proposal=draft, by=owner)
    for reviewer in (ward, chair):
        Assignment.objects.create(stage=stage, reviewer=reviewer, all_proposals=True)

    # A call whose decisions are out: the group's proposal was not adopted (so it is on no
    # public page), and its decision letter is ready.
    released = RoundFactory()
    decided = submitted_proposal(released, organization=theirs, title=SECRETS[5])
    released.decisions_released_at = NOW - dt.timedelta(days=1)
    released.save(update_fields=["decisions_released_at"])
    decided.status = "not_adopted"
    decided.save(update_fields=["status"])
    Decision.objects.create(
        proposal=decided,
        outcome="not_adopted",
        letter=_ready_document("decision_letter", manager, "decision.pdf"),
    )

    # The group's proposal became a project: its evaluation at the group's turn, with a file of
    # evidence, the ward official as the department's and the chair assigned for the council.
    from evaluations import services as evaluation_services
    from evaluations.models import EvaluationReport, ResultEvidence
    from proposals.projects import project_start

    project_year = project_start(proposal, by=manager).years.get(year=1)
    evaluation = evaluation_services.evaluation_create(project_year=project_year, by=manager)
    evaluation_services.council_assign(evaluation=evaluation, member=chair, by=manager)
    evidence = ResultEvidence.objects.create(
        sheet=evaluation.targets, name="tally.pdf", file=ContentFile(b"%PDF-1.7\n", name="t.pdf")
    )
    unpublished = EvaluationReport.objects.create(fiscal_year=project_year.fiscal_year)
    event = Event.objects.create(
        kind="course",
        title="市民活動入門講座",
        description="全3回",
        capacity=20,
        applications_open=NOW - dt.timedelta(days=7),
        applications_close=NOW + dt.timedelta(days=7),
        is_published=True,
    )
    session = Session.objects.create(
        event=event, date=TUESDAY, starts=dt.time(14), ends=dt.time(16), place="区民館"
    )
    event_application = EventApplication.objects.create(
        event=event,
        user=owner,
        organization=theirs,
        name=SECRETS[1],
        name_kana="ヒミツ",
        email=SECRETS[1],
        seats=2,
        status="confirmed",
        token="event-application-token-of-the-other-group",
        consent_at=NOW,
    )

    # A need of the group waiting for the center's check (never public), with an answer.
    from coordination.models import Interest, Post, Region

    board_post = Post.objects.create(
        number="B2026-0001",
        kind="need",
        category="volunteers",
        title=SECRETS[6],
        description=SECRETS[6],
        region=Region.objects.get(name="日本橋"),
        organization=theirs,
        created_by=owner,
    )
    board_interest = Interest.objects.create(
        post=board_post, party_key="ward:0", department="区民部", message=SECRETS[6]
    )

    # A listed council meeting with a closed material and draft minutes.
    from coordination.models import Material, Meeting, Minutes

    meeting = Meeting.objects.create(
        title="第9回 協働推進会議",
        starts_at=NOW - dt.timedelta(days=3),
        ends_at=NOW - dt.timedelta(days=3) + dt.timedelta(hours=2),
        place="十思スクエア",
        agenda="審査",
    )
    closed_material = Material.objects.create(
        meeting=meeting,
        title=SECRETS[7],
        file=ContentFile(b"%PDF-1.7\n" + SECRETS[7].encode(), name="closed.pdf"),
        original_name="closed.pdf",
        size=9,
        is_public=False,
    )
    Minutes.objects.create(meeting=meeting, text=SECRETS[8])

    # A library document staff have not published yet, with its first version.
    from coordination.models import LibraryCategory, LibraryDocument, LibraryVersion

    library_document = LibraryDocument.objects.create(
        slug="unpublished-guide",
        title=SECRETS[9],
        category=LibraryCategory.objects.create(name="手引き"),
    )
    library_version = LibraryVersion.objects.create(
        document=library_document,
        number=1,
        file=ContentFile(b"%PDF-1.7\n" + SECRETS[9].encode(), name="guide.pdf"),
        original_name="guide.pdf",
    )

    programme = make_programme(2027)
    programme_form = ProgrammeForm.objects.create(
        programme=programme, title="交付申請書", file=ContentFile(b"%PDF-1.7\n", name="f1.pdf")
    )
    subsidy = SubsidyApplication.objects.create(
        programme=programme, organization=theirs, title=SECRETS[10], created_by=owner
    )
    subsidy_file = ApplicationAttachment.objects.create(
        application=subsidy, title=SECRETS[10], file=ContentFile(b"%PDF-1.7\n", name="q.pdf")
    )

    draft_news = NewsItem.objects.create(title=SECRETS[11], category="center", body="<p>x</p>")
    suggested_grant = GrantListing.objects.create(
        funder="財団",
        programme=SECRETS[12],
        eligibility="団体",
        deadline=TUESDAY,
        status="suggested",
        suggested_for=theirs,
    )
    draft_issue = Issue.objects.create(number=99, subject=SECRETS[13], body="<p>x</p>")
    reader = Subscriber.objects.create(email="reader-secret@example.jp", status="active")

    kwargs = {
        # publications
        "publications:newsletter_issue": {"number": draft_issue.number},
        "publications:subscribe_confirm": {"token": "no-such-token"},
        "publications:unsubscribe": {"token": unsubscribe_token(reader)},
        "publications_staff:newsletter_issue": {"pk": draft_issue.pk},
        "publications_staff:newsletter_test": {"pk": draft_issue.pk},
        "publications_staff:newsletter_send": {"pk": draft_issue.pk},
        "publications:news_detail": {"pk": draft_news.pk},
        "publications:grant_detail": {"pk": suggested_grant.pk},
        "publications_staff:grant_action": {"pk": suggested_grant.pk, "action": "publish"},
        # subsidies: the programme's pages take the programme
        "subsidies:programme": {"pk": programme.pk},
        "subsidies:programme_guide": {"pk": programme.pk},
        "subsidies:programme_form": {"pk": programme.pk, "form_pk": programme_form.pk},
        "subsidies:create": {"pk": programme.pk},
        "subsidies_staff:decide": {"pk": subsidy.pk},
        "subsidies_staff:advance_paid": {"pk": subsidy.pk},
        "council:material": {"pk": closed_material.pk},
        # coordination: the answer's outcome takes the answer's number
        "coordination:staff_outcome": {"pk": board_interest.pk},
        # evaluations
        "evaluations:report": {"pk": unpublished.pk},
        "evaluations:report_pdf": {"pk": unpublished.pk},
        "evaluations:evidence": {"pk": evaluation.pk, "evidence_pk": evidence.pk},
        "evaluations:evidence_remove": {"pk": evaluation.pk, "evidence_pk": evidence.pk},
        "evaluations_staff:publish": {"year": project_year.fiscal_year},
        "evaluations_staff:create": {"pk": project_year.pk},
        "evaluations_staff:action": {"pk": evaluation.pk, "action": "confirm"},
        # organizations
        "organizations:directory_detail": {"pk": theirs.pk},
        "organizations:document_download": {"pk": theirs.pk, "document_pk": document.pk},
        "organizations:document_delete": {"pk": theirs.pk, "document_pk": document.pk},
        "organizations:invitation_revoke": {"pk": theirs.pk, "invitation_pk": invitation.pk},
        "organizations:invitation": {"token": invitation.token},
        "organizations:application_review": {"application_pk": application.pk},
        "organizations:change_review": {"change_pk": change.pk},
        # consultations
        "consultations:my_case": {"pk": case.pk},
        "consultations:attachment_download": {"pk": case.pk, "attachment_pk": attachment.pk},
        "consultations:followup_done": {"followup_pk": follow_up.pk},
        # facilities
        "facilities:resource_detail": {"pk": room.pk},
        "facilities_series:series_detail": {"pk": series.pk},
        "facilities_series:series_letter": {"pk": series.pk},
        "facilities_series:series_cancel": {"pk": series.pk},
        "facilities_series:series_booking_cancel": {"pk": series.pk, "booking_pk": in_series.pk},
        "facilities_series:waitlist_offer": {"token": waitlist.token},
        "facilities_series:waitlist_withdraw": {"token": waitlist.token},
        "facilities_feeds:feed": {"token": feed.token},
        "facilities_feeds:feed_revoke": {"pk": feed.pk},
        "facilities_feeds:feed_create": {"pk": theirs.pk},
        "facilities_feeds:receipt": {"pk": receipt.pk},
        "facilities_feeds:statement": {"pk": theirs.pk, "year": 2026, "month": 10},
        # events
        "events:event_detail": {"pk": event.pk},
        "events:event_ics": {"pk": event.pk},
        "events_staff:event_detail": {"pk": event.pk},
        "events_staff:session_edit": {"pk": session.pk},
        "events_staff:session_cancel": {"pk": session.pk},
        "events:apply": {"pk": event.pk},
        "events:application": {"token": event_application.token},
        "events:application_cancel": {"token": event_application.token},
        "events:offer_accept": {"token": event_application.token},
        "events_staff:application_list": {"pk": event.pk},
        "events_staff:application_export": {"pk": event.pk},
        "events_staff:event_copy": {"pk": event.pk},
        "events_staff:application_action": {"pk": event_application.pk, "action": "cancel"},
        # proposals
        "proposals:round": {"pk": round_.pk},
        "proposals:round_guide": {"pk": round_.pk},
        "proposals:results": {"pk": released.pk},
        "proposals:create": {"pk": round_.pk},
        "proposals:letter": {"pk": decided.pk},
        "proposals:agreement": {"pk": decided.pk},
        "proposals:attachment": {"pk": proposal.pk, "attachment_pk": file.pk},
        "proposals:attachment_remove": {"pk": proposal.pk, "attachment_pk": file.pk},
        "proposals_review:opinion": {"proposal_pk": proposal.pk},
        "proposals_review:attachment": {
            "pk": stage.pk,
            "proposal_pk": proposal.pk,
            "attachment_pk": file.pk,
        },
        "proposals_review:declarations": {"pk": round_.pk},
        "proposals_staff:round": {"pk": round_.pk},
        "proposals_staff:release": {"pk": round_.pk},
        "proposals_staff:stage_action": {"pk": stage.pk, "action": "close"},
        "proposals_staff:project": {"pk": decided.pk},
        "proposals_staff:project_action": {"pk": decided.pk, "action": "budget"},
        # the public API: the same for every signed-in person (it reads no session)
        "api:organization-detail": {"pk": theirs.pk},
        "api:resource-detail": {"pk": room.pk},
        "api:resource-busy": {"pk": room.pk},
        "api:adopted-proposal-detail": {"pk": decided.pk},
        # documents of every kind, through the one download
        "document_download": {"pk": certificate.document_id},
        # allauth's links from e-mails: nothing of the group's, same for everyone
        "account_confirm_email": {"key": "no-such-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "no-such-key"},
    }
    # Patterns whose pk is the same kind of object throughout.
    by_prefix = {
        "organizations:": {"pk": theirs.pk, "membership_pk": owner_membership.pk},
        "facilities:": {"pk": booking.pk},
        "facilities_staff:": {"pk": booking.pk},
        "facilities_feeds:": {"pk": booking.pk},
        "consultations:": {"pk": case.pk},
        "proposals:": {"pk": proposal.pk},
        "proposals_review:": {"pk": stage.pk, "proposal_pk": proposal.pk},
        "proposals_staff:": {"pk": proposal.pk},
        "subsidies:": {"pk": subsidy.pk, "attachment_pk": subsidy_file.pk},
        "subsidies_staff:": {"pk": programme.pk},
        "coordination:": {"pk": board_post.pk},
        "council:": {"pk": meeting.pk},
        "library:": {"slug": library_document.slug, "pk": library_version.pk},
        "evaluations:": {"pk": evaluation.pk},
        "evaluations_staff:": {"pk": evaluation.pk},
    }
    # Each also represents a group of their own, like the outsider: what they may do as an
    # ordinary member is the same, so their answers compare one to one.
    for person in (manager, ward, chair):
        MembershipFactory(organization=OrganizationFactory(), user=person, role="owner")
    people = {
        "outsider": outsider,
        "manager": manager,
        "ward": ward,
        "chair": chair,
    }
    state = {
        "booking": booking,
        "in_series": in_series,
        "organization": theirs,
        "proposal": proposal,
        "case": case,
        "invitation": invitation,
        "feed": feed,
        "waitlist": waitlist,
        "suggested_grant": suggested_grant,
        "draft_issue": draft_issue,
        "subsidy": subsidy,
        "programme": programme,
        "evaluation": evaluation,
    }
    return people, kwargs, by_prefix, state


# --- the resolver, walked -------------------------------------------------------------------


def _patterns(resolvers=None, prefix="", namespace=""):
    """(name with namespace, route as written, parameter names) of every URL pattern."""
    for entry in get_resolver().url_patterns if resolvers is None else resolvers:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry.pattern.regex.groupindex.keys()


_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


_ADMIN_VALUES = {"app_label": "organizations", "url": "no-such-page/"}


def _admin_path(route: str) -> str:
    """A concrete admin address: ids of 1 — the admin is one gate for every object."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _ADMIN_VALUES.get(m[1], "1"), route)
    route = _CONVERTER.sub(lambda m: _ADMIN_VALUES.get(m["name"], "1"), route)
    route = re.sub(r"\([^)]*\)", "1", route)  # simple-history's unnamed groups
    return "/" + route.replace("^", "").replace("$", "")


def _addresses(kwargs, by_prefix):
    """Every pattern as an address to request; a pattern with parameters this test does not
    know how to fill fails the test, so a new URL cannot slip past it."""
    addresses, unknown = [], []
    for name, route, params in _patterns():
        if route.startswith("admin/"):
            addresses.append((name or route, _admin_path(route)))
            continue
        if not params:
            addresses.append((name, reverse(name)))
            continue
        values = kwargs.get(name)
        if values is None:
            prefix = next((p for p in by_prefix if name and name.startswith(p)), None)
            candidates = by_prefix.get(prefix, {})
            values = {p: candidates[p] for p in params if p in candidates}
            if set(values) != set(params):
                unknown.append((name, route))
                continue
        addresses.append((name, reverse(name, kwargs=values)))
    assert not unknown, f"fill the parameters of {unknown}"
    return addresses


# --- the comparison -------------------------------------------------------------------------

MFA_PAGES = ("/accounts/2fa/totp/activate/", "/accounts/2fa/reauthenticate/")
PROTECTED = ("/admin/", "/staff/", "/review/")


def _secrets_in(response) -> set[str]:
    if not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return set()
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    return {secret for secret in SECRETS if secret in text}


def _differences(address, who, response, outsiders) -> list[str]:
    status, baseline = response.status_code, outsiders.status_code
    location = response.get("Location", "")
    if address.startswith(PROTECTED) and status == 302 and location.startswith(MFA_PAGES):
        return []  # sent to set up or confirm two-factor log-in
    found = []
    if status // 100 != baseline // 100:
        found.append(f"{who} {address}: {status} where an outsider gets {baseline}")
    leaked = _secrets_in(response) - _secrets_in(outsiders)
    if leaked:
        found.append(f"{who} {address}: shows {sorted(leaked)}")
    return found


def _fingerprint(state):
    """What a POST by someone without rights could change of the other group."""
    booking, in_series = (
        Booking.objects.get(pk=state["booking"].pk),
        Booking.objects.get(pk=state["in_series"].pk),
    )
    return (
        booking.status,
        booking.start,
        in_series.status,
        Booking.objects.filter(organization=state["organization"]).count(),
        state["organization"].__class__.objects.get(pk=state["organization"].pk).status,
        Membership.objects.filter(organization=state["organization"]).count(),
        Invitation.objects.get(pk=state["invitation"].pk).revoked_at,
        CalendarFeed.objects.get(pk=state["feed"].pk).revoked_at,
        WaitlistEntry.objects.get(pk=state["waitlist"].pk).status,
        state["proposal"].__class__.objects.get(pk=state["proposal"].pk).status,
        Case.objects.get(pk=state["case"].pk).status,
        FollowUp.objects.filter(done_at__isnull=False).count(),
        OrganizationDocument.objects.count(),
        ProposalAttachment.objects.filter(removed_at__isnull=True).count(),
        Receipt.objects.count(),
        MonthlyStatement.objects.count(),
        GrantListing.objects.get(pk=state["suggested_grant"].pk).status,
        Issue.objects.get(pk=state["draft_issue"].pk).status,
        SubsidyApplication.objects.get(pk=state["subsidy"].pk).status,
        ApplicationAttachment.objects.count(),
        Programme.objects.get(pk=state["programme"].pk).decisions_released_at,
        AdvancePayment.objects.count(),
        state["evaluation"].__class__.objects.get(pk=state["evaluation"].pk).status,
        state["evaluation"].targets.evidence.count(),
        state["evaluation"].assignments.count(),
    )


def _clients(people):
    clients = {}
    for who, user in people.items():
        client = Client()
        client.force_login(user)  # the password alone: no second factor in this session
        clients[who] = client
    return clients


def test_without_two_factor_log_in_no_elevated_right_applies_on_any_url(settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    people, kwargs, by_prefix, state = _world()
    addresses = _addresses(kwargs, by_prefix)
    clients = _clients(people)
    privileged = [who for who in people if who != "outsider"]
    before = _fingerprint(state)
    skipped_posts = {"account_logout"}  # would end the session the sweep goes on with

    found = []
    for name, address in addresses:
        outsiders = clients["outsider"].get(address)
        if address.startswith("/admin/"):
            # The admin asks is_staff first: only the backoffice person could get further.
            found += _differences(address, "manager", clients["manager"].get(address), outsiders)
            continue
        for who in privileged:
            found += _differences(address, who, clients[who].get(address), outsiders)
        if name in skipped_posts:
            continue
        data = {"reason": "取り消します", "confirm": "on"}
        outsiders = clients["outsider"].post(address, data)
        for who in privileged:
            found += _differences(address, who, clients[who].post(address, data), outsiders)

    assert not found, "\n".join(found)
    assert _fingerprint(state) == before
    assert len(addresses) > 400  # the whole resolver, admin included


def test_cancelling_another_groups_booking_needs_two_factor_log_in(settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    people, _kwargs, _by_prefix, state = _world()
    booking = state["booking"]
    url = reverse("facilities:booking_cancel", args=[booking.pk])
    manager = people["manager"]
    client = Client()
    client.force_login(manager)

    refused = client.post(url, {"reason": "取り消します"})

    assert refused.status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    client.logout()
    log_in_with_totp(client, manager, give_totp(manager))
    cancelled = client.post(url, {"reason": "取り消します"})

    assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize(
    ("who", "url_name", "kwargs_key"),
    [
        ("manager", "facilities:booking_detail", "booking"),
        ("manager", "organizations:members", "organization"),
        ("manager", "proposals:detail", "proposal"),
        ("manager", "organizations:detail", "organization"),
        ("ward", "proposals_review:opinion", "proposal"),
        ("chair", "proposals_review:dashboard", "stage"),
    ],
)
def test_after_two_factor_log_in_in_the_session_the_rights_apply(
    settings, who, url_name, kwargs_key
):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    people, _kwargs, _by_prefix, state = _world()
    state["stage"] = state["proposal"].round.stages.get()
    user = people[who]
    secret = give_totp(user)
    key = "proposal_pk" if url_name == "proposals_review:opinion" else "pk"
    url = reverse(url_name, kwargs={key: state[kwargs_key].pk})
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code in (302, 404)  # the password alone

    client.logout()
    log_in_with_totp(client, user, secret)
    response = client.get(url)

    assert response.status_code == 200
    assert _secrets_in(response) & set(SECRETS)
