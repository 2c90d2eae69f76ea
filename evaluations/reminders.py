"""Mails of the 協働事業評価: to each side when its turn opens, and before its due date (3 days
and 1 day before, swept daily by beat), to the group when the verdict is given.

Each turn and due-date mail is an EvaluationReminder row whose unique key names what, to
whom and which offset: the row is inserted in the transaction that puts the mail in kyodo's
outbox, so a second or late sweep sends nothing twice, and a failed send is tried again by the
outbox. A late sweep sends only the nearest offset."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from evaluations.enums import TURN_OF_SIDE, SheetStatus, Side
from evaluations.models import Evaluation, EvaluationReminder
from kyodo.mail import absolute_url, mail_enqueue, queue_notice

DUE_OFFSETS = (3, 1)
DUE_FIELD = {Side.SELF: "self_due", Side.DEPARTMENT: "department_due", Side.COUNCIL: "council_due"}


def nearest_offset(days_left: int, offsets=DUE_OFFSETS) -> int | None:
    due = [offset for offset in offsets if 0 <= days_left <= offset]
    return min(due) if due else None


def _claim_and_enqueue(key: str, user, **mail) -> bool:
    """Claim the reminder and put its mail in the outbox (sent after the commit)."""
    try:
        with transaction.atomic():
            EvaluationReminder.objects.create(key=key, email=user.email)
            mail_enqueue(to=user.email, template="notice", user=user, **mail)
    except IntegrityError:
        return False  # sent already
    return True


def recipients(evaluation, side: str) -> list:
    """Who evaluates for ``side`` and has not submitted: the group's managers, the
    department's official, the assigned council members without a conflict."""
    from organizations.selectors import managers_of
    from proposals.selectors import is_conflicted

    proposal = evaluation.project_year.project.proposal
    submitted = set(
        evaluation.sheets.filter(side=side, status=SheetStatus.SUBMITTED).values_list(
            "author_id", flat=True
        )
    )
    if side == Side.SELF:
        return [] if submitted else managers_of(proposal.organization)
    if side == Side.DEPARTMENT:
        official = proposal.department_official
        return [official] if official and official.is_active and not submitted else []
    return [
        a.member
        for a in evaluation.assignments.select_related("member")
        if a.member.is_active
        and a.member_id not in submitted
        and not is_conflicted(a.member, proposal)
    ]


def _mail(evaluation, subject, paragraph, due):
    proposal = evaluation.project_year.project.proposal
    return {
        "purpose": "evaluations.turn",
        "context": {
            "subject": subject,
            "paragraphs": [paragraph],
            "facts": [
                (pgettext_lazy("project title", "Project"), proposal.title),
                (gettext_lazy("Fiscal year"), str(evaluation.project_year.fiscal_year)),
                (gettext_lazy("Due"), due.isoformat() if due else "—"),
            ],
            "action_url": absolute_url(reverse("evaluations:detail", args=[evaluation.pk])),
            "action_label": gettext_lazy("Open the evaluation"),
        },
    }


def turn_opened(evaluation, side: str) -> int:
    """Tell the side whose turn just opened (called in the transaction that opened it)."""
    due = getattr(evaluation, DUE_FIELD[side])
    sent = 0
    for user in recipients(evaluation, side):
        sent += _claim_and_enqueue(
            f"open:{evaluation.pk}:{side}:{user.pk}",
            user,
            **_mail(
                evaluation,
                gettext_lazy("Your evaluation of a collaboration project is open"),
                gettext_lazy(
                    "It is your turn to fill in the evaluation check sheet of this "
                    "collaboration project. Please submit it by the due date."
                ),
                due,
            ),
        )
    return sent


def due_reminders_send(*, today: dt.date | None = None) -> int:
    """Beat, daily: remind each side whose turn is open and whose due date is 3 or 1 days
    away (or today) of the sheet it has not submitted."""
    today = today or timezone.localdate()
    sent = 0
    open_turns = [TURN_OF_SIDE[side] for side in Side]
    evaluations = Evaluation.objects.filter(status__in=open_turns).select_related(
        "project_year__project__proposal__organization",
        "project_year__project__proposal__department_official",
    )
    for evaluation in evaluations:
        side = next(s for s in Side if TURN_OF_SIDE[s] == evaluation.status)
        due = getattr(evaluation, DUE_FIELD[side])
        if due is None:
            continue
        offset = nearest_offset((due - today).days)
        if offset is None:
            continue
        for user in recipients(evaluation, side):
            with transaction.atomic():
                sent += _claim_and_enqueue(
                    f"due:{evaluation.pk}:{side}:{due}:{user.pk}:{offset}",
                    user,
                    **_mail(
                        evaluation,
                        gettext_lazy("Reminder: your evaluation check sheet is due soon"),
                        gettext_lazy(
                            "Your check sheet for this collaboration project is not submitted"
                            " yet. Please submit it by the due date."
                        ),
                        due,
                    ),
                )
    return sent


def verdict_given(evaluation, managers) -> None:
    proposal = evaluation.project_year.project.proposal
    queue_notice(
        managers,
        purpose="evaluations.verdict",
        subject=gettext_lazy("The council's verdict on your collaboration project"),
        paragraphs=[
            gettext_lazy(
                "The council has given its verdict on your project's year. You can read it "
                "with the evaluation's summary."
            )
        ],
        facts=[(pgettext_lazy("project title", "Project"), proposal.title)],
        action_url=absolute_url(reverse("evaluations:summary", args=[evaluation.pk])),
        action_label=gettext_lazy("Open the summary"),
    )
