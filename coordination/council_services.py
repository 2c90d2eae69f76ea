"""Writes of the council's pages: materials (with a notice to the members), the minutes'
workflow (draft → members' check → approved → published) and members' comments."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import rules
from coordination.council_selectors import current_members
from coordination.enums import MINUTES_TRANSITIONS, MinutesStatus
from coordination.models import Material, Minutes, MinutesComment, MinutesEvent
from kyodo.exceptions import DomainError
from kyodo.mail import absolute_url, queue_notice
from kyodo.workflow import transition


def _tell_members(meeting, *, purpose, subject, paragraph):
    queue_notice(
        [member.user for member in current_members(on=timezone.localdate())],
        purpose=purpose,
        subject=subject,
        paragraphs=[paragraph],
        facts=[(gettext_lazy("Meeting"), str(meeting))],
        action_url=absolute_url(reverse("council:member_meeting", args=[meeting.pk])),
        action_label=gettext_lazy("Open the members' page"),
    )


@transaction.atomic
def material_add(*, meeting, by, title: str, upload, is_public: bool) -> Material:
    """Staff add a file to a meeting; closed ones (not public) reach members and staff only.
    Side effects: the Material and its file; one notice per current member (outbox), in this
    transaction, so a material is announced once."""
    if not rules.can_manage_council(by):
        raise DomainError(_("Only center staff add materials."))
    material = Material(
        meeting=meeting,
        title=title,
        original_name=upload.name[:200],
        size=upload.size,
        is_public=is_public,
        uploaded_by=by,
    )
    material.file.save(upload.name, upload, save=False)
    material.save()
    _tell_members(
        meeting,
        purpose="council.material_added",
        subject=gettext_lazy("New material for a council meeting"),
        paragraph=gettext_lazy("A new material was added on the members' page."),
    )
    return material


@transaction.atomic
def minutes_save(*, meeting, by, text: str) -> Minutes:
    """Staff write the draft (only while it is a draft). Side effects: the row, its history."""
    if not rules.can_manage_council(by):
        raise DomainError(_("Only center staff write the minutes."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write the minutes."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, text=text)
        MinutesEvent.objects.create(minutes=minutes, new_status=MinutesStatus.DRAFT, changed_by=by)
        return minutes
    if minutes.status != MinutesStatus.DRAFT:
        raise DomainError(_("Only a draft can be changed. Send it back to draft first."))
    if minutes.text != text:
        minutes.text = text
        minutes.save()
    return minutes


@transaction.atomic
def minutes_move(*, minutes: Minutes, by, to: str, reason: str = "") -> Minutes:
    """Draft → members' check (members are told) → approved → published (public from then
    on); back to draft or to the check when something must change. Side effects: the status,
    a MinutesEvent, published_at, the members' notice."""
    if not rules.can_manage_council(by):
        raise DomainError(_("Only center staff move the minutes."))
    extra = {"published_at": timezone.now()} if to == MinutesStatus.PUBLISHED else {}
    transition(
        instance=minutes,
        to=to,
        transitions=MINUTES_TRANSITIONS,
        history_model=MinutesEvent,
        history_fk="minutes",
        by=by,
        reason=reason,
        extra_fields=extra,
    )
    if to == MinutesStatus.IN_REVIEW:
        _tell_members(
            minutes.meeting,
            purpose="council.minutes_review",
            subject=gettext_lazy("Please check the draft minutes"),
            paragraph=gettext_lazy(
                "The draft minutes are on the members' page. Please add your comments there."
            ),
        )
    return minutes


@transaction.atomic
def minutes_comment(*, minutes: Minutes, by, text: str) -> MinutesComment:
    """A member comments on the minutes while members check them."""
    if not rules.can_comment_minutes(by, minutes):
        raise DomainError(_("Comments are taken while members check the minutes."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write your comment."))
    return MinutesComment.objects.create(minutes=minutes, author=by, text=text)
