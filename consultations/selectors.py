"""Reads of the consultations app, with the staff-only rule built in."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from consultations.enums import OPEN_STATUSES, CaseStatus, Channel, OutcomeKind
from consultations.models import Case, Category, Entry, FollowUp, NoteAccess, Outcome
from consultations.rules import can_handle_cases
from organizations.enums import OrganizationType


def cases_visible_to(user):
    """All cases for center staff; nothing for anyone else (askers use their own pages)."""
    if can_handle_cases(user):
        return Case.objects.all()
    return Case.objects.none()


def case_search(query: str) -> Q:
    """The cases a staff search for ``query`` finds: by number, asker or organization, and by
    title — but not the title of a 要配慮 case, which lists mask: a match would tell what the
    masked title says."""
    return (
        Q(number__icontains=query)
        | Q(title__icontains=query, is_sensitive=False)
        | Q(asker_name__icontains=query)
        | Q(organization__name__icontains=query)
    )


def staff_case_list(
    user,
    *,
    query="",
    status="",
    category=None,
    channel="",
    staff=None,
    start=None,
    end=None,
    mine=False,
):
    cases = (
        cases_visible_to(user)
        .select_related("assigned_to", "organization")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("order")))
    )
    if query:
        cases = cases.filter(case_search(query))
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if category:
        cases = cases.filter(categories=category)
    if channel:
        cases = cases.filter(channel=channel)
    if staff:
        cases = cases.filter(assigned_to=staff)
    if mine:
        cases = cases.filter(assigned_to=user)
    if start:
        cases = cases.filter(opened_on__gte=start)
    if end:
        cases = cases.filter(opened_on__lte=end)
    # The count is a subquery per case shown, not a GROUP BY over every case: the page (and
    # the paginator's COUNT, from which Django drops the unused annotation) then costs what
    # its rows cost, not what all the years of cases and entries do.
    entry_count = Coalesce(
        Subquery(
            Entry.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )
    return cases.annotate(entry_count=entry_count).order_by("-opened_on", "-pk")


def case_for_staff(user, pk):
    return (
        cases_visible_to(user)
        .select_related("assigned_to", "organization", "asker", "created_by")
        .prefetch_related("categories")
        .get(pk=pk)
    )


def timeline(case):
    return case.entries.select_related("staff", "created_by").prefetch_related("attachments")


def cases_of_asker(user):
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(asker=user, anonymized_at__isnull=True).order_by("-opened_on")


def shared_entries(case):
    """What the asker may read: entries staff shared and the asker's own messages."""
    return case.entries.filter(shared_with_asker=True).select_related("staff")


def followups_due_for(user, *, until=None):
    until = until or timezone.localdate()
    return (
        FollowUp.objects.filter(assignee=user, done_at__isnull=True, due_on__lte=until)
        .select_related("case")
        .order_by("due_on", "pk")
    )


def dashboard(user) -> dict:
    """The staff dashboard: my open cases, follow-ups due, new online requests, counts."""
    cases = cases_visible_to(user)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "my_cases": list(
            cases.filter(assigned_to=user, status__in=OPEN_STATUSES)
            .select_related("organization")
            .order_by("opened_on", "pk")[:50]
        ),
        "followups": list(
            followups_due_for(user, until=timezone.localdate() + dt.timedelta(days=7))
        ),
        "new_online": list(
            cases.filter(channel=Channel.ONLINE, status=CaseStatus.RECEIVED).order_by("created_at")[
                :50
            ]
        ),
        "by_status": [
            (status, label, by_status.get(status, 0)) for status, label in CaseStatus.choices
        ],
    }


def organization_cases(organization):
    """For the organization's 360 page: titles and statuses only."""
    return (
        Case.objects.filter(Q(organization=organization) | Q(parties__organization=organization))
        .distinct()
        .order_by("-opened_on", "-pk")
    )


def had_pre_proposal_consultation(organization, *, since: dt.date, until: dt.date) -> bool:
    """Has this organization had a 事前相談 for a collaboration proposal between the dates?
    (Read by the proposals pillar; the category is marked by staff.)"""
    return pre_proposal_consultation(organization, since=since, until=until) is not None


def pre_proposal_consultation(organization, *, since: dt.date, until: dt.date):
    """The organization's first 事前相談 case between the dates, or None: the proposals
    pillar records it on the proposal it makes possible."""
    return (
        Case.objects.filter(
            Q(organization=organization) | Q(parties__organization=organization),
            categories__is_pre_proposal=True,
            opened_on__range=(since, until),
        )
        .order_by("opened_on", "pk")
        .first()
    )


def note_accesses(case):
    return NoteAccess.objects.filter(case=case).select_related("user")


def retention_candidates(cutoff: dt.date):
    return Case.objects.filter(
        status=CaseStatus.CLOSED, closed_on__lt=cutoff, anonymized_at__isnull=True
    ).order_by("closed_on", "pk")


def statistics(start: dt.date, end: dt.date) -> dict:
    """Figures for cases opened from ``start`` to ``end`` (inclusive): counts by category,
    channel, type of organization and outcome, repeat askers, and the average days to close.
    Anonymised cases count as well: they keep exactly these fields."""
    cases = Case.objects.filter(opened_on__range=(start, end))
    total = cases.count()
    by_category = list(
        Category.objects.annotate(n=Count("case", filter=Q(case__opened_on__range=(start, end))))
        .order_by("order")
        .values_list("pk", "name", "name_en", "n")
    )
    uncategorised = cases.filter(categories__isnull=True).count()
    by_channel = dict(cases.values_list("channel").annotate(n=Count("pk")).order_by())
    by_type = dict(cases.values_list("organization_type").annotate(n=Count("pk")).order_by())
    by_outcome = dict(
        Outcome.objects.filter(case__in=cases)
        .values_list("kind")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    with_outcome = cases.filter(Exists(Outcome.objects.filter(case=OuterRef("pk")))).count()
    # A repeat asker asked more than once in the period (same account, organization or
    # e-mail: see services._asker_key, which anonymisation keeps).
    keys = Counter(k for k in cases.values_list("asker_key", flat=True) if k)
    closed = list(
        cases.filter(status=CaseStatus.CLOSED, closed_on__isnull=False).values_list(
            "opened_on", "closed_on"
        )
    )
    average_days = round(sum((c - o).days for o, c in closed) / len(closed), 1) if closed else None
    type_labels = dict(OrganizationType.choices)
    return {
        "start": start,
        "end": end,
        "total": total,
        "by_category": by_category,
        "uncategorised": uncategorised,
        "by_channel": [
            (value, label, by_channel.get(value, 0)) for value, label in Channel.choices
        ],
        "by_type": [
            (value, type_labels.get(value, ""), n)
            for value, n in sorted(by_type.items(), key=lambda item: -item[1])
        ],
        "by_outcome": [
            (value, label, by_outcome.get(value, 0)) for value, label in OutcomeKind.choices
        ],
        "with_outcome": with_outcome,
        "repeat_askers": sum(1 for n in keys.values() if n > 1),
        "repeat_cases": sum(n for n in keys.values() if n > 1),
        "closed": len(closed),
        "average_days_to_close": average_days,
    }


# --- added for the staff pages (consultations/views/staff.py) --------------------------------


def case_details(case) -> dict:
    """What a case's staff page shows besides its notes: parties, outcomes, follow-ups,
    attachments and the status history, each in one query."""
    return {
        "parties": list(case.parties.select_related("organization")),
        "outcomes": list(case.outcomes.select_related("organization", "related_case")),
        "follow_ups": list(case.follow_ups.select_related("assignee")),
        "attachments": list(case.attachments.select_related("uploaded_by")),
        "events": list(case.events.select_related("changed_by")),
    }


def followup_for_staff(user, pk):
    """A follow-up of a case the user may handle (DoesNotExist otherwise)."""
    followups = FollowUp.objects.filter(case__in=cases_visible_to(user))
    return followups.select_related("case").get(pk=pk)


def attachment_for_staff(user, case_pk, attachment_pk):
    """An attachment of that very case, for a user who may handle it (DoesNotExist
    otherwise, also for another case's attachment)."""
    case = cases_visible_to(user).get(pk=case_pk)
    return case.attachments.get(pk=attachment_pk)


def retention_runs():
    from consultations.models import RetentionRun

    return RetentionRun.objects.select_related("run_by").order_by("-run_at")
