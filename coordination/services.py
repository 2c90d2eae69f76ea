"""Writes of the board. Status moves go through kyodo.workflow (history row); mails go to the
outbox in the transaction of the change; reminders and interests are guarded once in the
database (a conditional update, a unique constraint)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import rules
from coordination.enums import (
    EDITABLE_STATUSES,
    POST_TRANSITIONS,
    RENEWABLE_STATUSES,
    InterestOutcome,
    PosterKind,
    PostStatus,
)
from coordination.models import BoardSettings, Interest, Post, PostEvent
from kyodo.dates import fiscal_year
from kyodo.exceptions import DomainError
from kyodo.mail import absolute_url, queue_notice
from kyodo.selectors import center_profile
from kyodo.text import stored_text
from kyodo.workflow import transition

POST_FIELDS = (
    "kind",
    "category",
    "title",
    "description",
    "partner_sought",
    "region",
    "town",
    "starts_on",
    "ends_on",
)


def _posters(post) -> list:
    """Who is told about the post: the organization's managers, or the ward official."""
    if post.poster_kind == PosterKind.WARD:
        return [post.created_by] if post.created_by_id else []
    from organizations.selectors import managers_of

    return managers_of(post.organization)


def _tell_posters(post, *, purpose, subject, paragraphs, reason=""):
    queue_notice(
        _posters(post),
        purpose=purpose,
        subject=subject,
        paragraphs=paragraphs,
        facts=[(gettext_lazy("Post"), str(post))],
        reason=reason,
        action_url=absolute_url(reverse("coordination:my_post", args=[post.pk])),
        action_label=gettext_lazy("See your post"),
    )


def _tell_center(post, *, purpose, subject, url):
    queue_notice(
        [center_profile().email],
        purpose=purpose,
        subject=subject,
        paragraphs=[],
        facts=[(gettext_lazy("Post"), str(post))],
        action_url=absolute_url(url),
        action_label=gettext_lazy("Open it"),
    )


def _next_number(today: dt.date) -> str:
    prefix = f"B{fiscal_year(today)}-"
    last = (
        Post.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{(int(last.rsplit('-', 1)[1]) + 1 if last else 1):04d}"


def _check_dates(data):
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if starts_on and ends_on and starts_on > ends_on:
        raise DomainError(_("The first day must not be after the last day."))
    town = data.get("town")
    if town is not None and town.region_id != data["region"].pk:
        raise DomainError(_("The town is not in the chosen area."))


@transaction.atomic
def post_create(*, by, data: dict, fields, organization=None, department: str = "") -> Post:
    """A need or an offer, sent to the center's check (確認待ち). ``organization`` when a group
    posts, ``department`` when a ward official does. Side effects: the post, a PostEvent, a
    notice to the center."""
    if organization is not None:
        if not rules.can_post_for(by, organization):
            raise DomainError(_("Only managers of a registered organization can post."))
        poster = {"poster_kind": PosterKind.ORGANIZATION, "organization": organization}
    else:
        if not rules.can_post_as_ward(by) or not department.strip():
            raise DomainError(_("Name the ward department that posts."))
        poster = {"poster_kind": PosterKind.WARD, "department": department.strip()}
    if not fields:
        raise DomainError(_("Choose at least one activity field."))
    _check_dates(data)
    values = {name: data.get(name) for name in POST_FIELDS}
    for name in ("partner_sought",):
        values[name] = values[name] or ""
    today = timezone.localdate()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                post = Post.objects.create(
                    number=_next_number(today), created_by=by, **poster, **values
                )
                break
        except IntegrityError:
            continue
    else:
        raise DomainError(_("No post number could be given. Try again."))
    post.activity_fields.set(fields)
    PostEvent.objects.create(post=post, new_status=PostStatus.SUBMITTED, changed_by=by)
    _tell_center(
        post,
        purpose="coordination.post_submitted",
        subject=gettext_lazy("A new post for the board waits for your check"),
        url=reverse("coordination:staff_post", args=[post.pk]),
    )
    return post


@transaction.atomic
def post_update(*, post: Post, by, data: dict, fields) -> Post:
    """The poster changes the text before it is published; a post sent back for changes goes
    to the center's check again. Side effects: a history row; a PostEvent and a notice to the
    center on resubmission."""
    if post.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("A published post can no longer be changed. Withdraw it and post again.")
        )
    if not fields:
        raise DomainError(_("Choose at least one activity field."))
    _check_dates(data)
    for name in POST_FIELDS:
        setattr(post, name, data.get(name) if name != "partner_sought" else data.get(name) or "")
    post.save()
    post.activity_fields.set(fields)
    if post.status == PostStatus.CHANGES_REQUESTED:
        transition(
            instance=post,
            to=PostStatus.SUBMITTED,
            transitions=POST_TRANSITIONS,
            history_model=PostEvent,
            history_fk="post",
            by=by,
        )
        _tell_center(
            post,
            purpose="coordination.post_resubmitted",
            subject=gettext_lazy("A post for the board was changed and waits for your check"),
            url=reverse("coordination:staff_post", args=[post.pk]),
        )
    return post


def _new_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=BoardSettings.current().validity_days)


@transaction.atomic
def post_moderate(*, post: Post, by, to: str, reason: str = "") -> Post:
    """Staff publish a post, ask for changes or refuse it (a reason for the last two, which
    the poster reads). Side effects: the status and a PostEvent; publishing sets the end of
    its time on the board; a notice to the poster."""
    if not rules.can_moderate(by):
        raise DomainError(_("Only center staff check posts."))
    if to not in (PostStatus.PUBLISHED, PostStatus.CHANGES_REQUESTED, PostStatus.REFUSED):
        raise DomainError(_("This is not a decision on a post."))
    reason = reason.strip()
    if to != PostStatus.PUBLISHED and not reason:
        raise DomainError(_("Write the reason the poster will read."))
    extra = {}
    if to == PostStatus.PUBLISHED:
        extra = {
            "valid_until": _new_end(timezone.localdate()),
            "published_at": timezone.now(),
            "reminded_for": None,
        }
    transition(
        instance=post,
        to=to,
        transitions=POST_TRANSITIONS,
        history_model=PostEvent,
        history_fk="post",
        by=by,
        reason=reason,
        extra_fields=extra,
    )
    texts = {
        PostStatus.PUBLISHED: (
            gettext_lazy("Your post is on the board"),
            gettext_lazy(
                "The center checked your post and published it on the board. When someone "
                "wants to help or is interested, the center will introduce you."
            ),
        ),
        PostStatus.CHANGES_REQUESTED: (
            gettext_lazy("Please change your post for the board"),
            gettext_lazy("The center asks you to change your post before it is published."),
        ),
        PostStatus.REFUSED: (
            gettext_lazy("Your post cannot be published"),
            gettext_lazy("The center cannot publish your post on the board."),
        ),
    }
    subject, paragraph = texts[to]
    _tell_posters(
        post,
        purpose=f"coordination.post_{to}",
        subject=subject,
        paragraphs=[paragraph],
        reason=reason,
    )
    return post


@transaction.atomic
def post_withdraw(*, post: Post, by) -> Post:
    """The poster takes the post off the board (or back before the check). Side effects: the
    status and a PostEvent."""
    if not (rules.is_poster(by, post) or rules.can_moderate(by)):
        raise DomainError(_("Only the poster can withdraw the post."))
    return transition(
        instance=post,
        to=PostStatus.WITHDRAWN,
        transitions=POST_TRANSITIONS,
        history_model=PostEvent,
        history_fk="post",
        by=by,
    )


@transaction.atomic
def post_renew(*, post: Post, by) -> Post:
    """One click: the post stays on the board for another period from today (an expired one
    comes back as it was checked). Pressing twice gives the same end date. Side effects: the
    end date; a PostEvent when an expired post comes back."""
    if post.status not in RENEWABLE_STATUSES or not rules.is_poster(by, post):
        raise DomainError(_("Only a published or expired post can be renewed, by its poster."))
    new_end = _new_end(timezone.localdate())
    if post.status == PostStatus.EXPIRED:
        return transition(
            instance=post,
            to=PostStatus.PUBLISHED,
            transitions=POST_TRANSITIONS,
            history_model=PostEvent,
            history_fk="post",
            by=by,
            reason=stored_text(gettext_lazy("Renewed by the poster")),
            extra_fields={"valid_until": new_end, "reminded_for": None},
        )
    changed = Post.objects.filter(pk=post.pk, status=PostStatus.PUBLISHED).update(
        valid_until=new_end
    )
    if changed != 1:
        raise DomainError(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )
    post.valid_until = new_end
    return post


def posts_expire(*, today: dt.date | None = None) -> int:
    """Beat, daily: posts past their end leave the board. Each is moved with a compare-and-set,
    so a second or concurrent run moves (and mails) nothing twice. Side effects per post: the
    status, a PostEvent, a notice to the poster with the renewal link."""
    today = today or timezone.localdate()
    moved = 0
    due = Post.objects.published().filter(valid_until__lt=today).select_related("organization")
    for post in due:
        try:
            with transaction.atomic():
                transition(
                    instance=post,
                    to=PostStatus.EXPIRED,
                    transitions=POST_TRANSITIONS,
                    history_model=PostEvent,
                    history_fk="post",
                )
                _tell_posters(
                    post,
                    purpose="coordination.post_expired",
                    subject=gettext_lazy("Your post has left the board"),
                    paragraphs=[
                        gettext_lazy(
                            "Its time on the board has ended. You can renew it in one click "
                            "from its page."
                        )
                    ],
                )
        except DomainError:
            continue  # another run moved it first
        moved += 1
    return moved


def post_reminders_send(*, today: dt.date | None = None) -> int:
    """Beat, daily: a reminder to renew, once per period on the board, some days before its end
    (BoardSettings). The post is claimed with a conditional update of ``reminded_for`` in the
    transaction that writes the mail, so a second or late run sends nothing twice."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=BoardSettings.current().reminder_days)
    due = (
        Post.objects.published()
        .filter(valid_until__gte=today, valid_until__lte=horizon)
        .select_related("organization", "created_by")
    )
    sent = 0
    for post in due:
        with transaction.atomic():
            claimed = (
                Post.objects.filter(
                    pk=post.pk, status=PostStatus.PUBLISHED, valid_until=post.valid_until
                )
                .exclude(reminded_for=post.valid_until)
                .update(reminded_for=post.valid_until)
            )
            if not claimed:
                continue
            _tell_posters(
                post,
                purpose="coordination.post_reminder",
                subject=gettext_lazy("Your post leaves the board soon"),
                paragraphs=[
                    gettext_lazy(
                        "Your post's time on the board ends soon. To keep it on the board, "
                        "renew it in one click from its page."
                    )
                ],
            )
            sent += 1
    return sent


def _party_key(organization, user) -> str:
    return f"org:{organization.pk}" if organization is not None else f"ward:{user.pk}"


@transaction.atomic
def interest_express(
    *, post: Post, by, message: str, organization=None, department: str = ""
) -> tuple[Interest, bool]:
    """「協力できます／関心があります」: the center hears of it and opens one coordination case in
    the consultations pillar with both parties (the interested one asks, the poster is the
    partner). A second press by the same party — a double click, two tabs — finds the first
    interest (the database's unique constraint decides) and opens nothing more.

    Returns (interest, created). Side effects when created: the Interest, a consultations Case
    in 受付 with its two parties (the consultations service acknowledges the asker and tells the
    center), a notice to the poster that the center will introduce them."""
    from consultations import services as consultations

    if not rules.can_express_interest(by, post, organization):
        raise DomainError(_("You cannot answer this post."))
    if organization is None and not department.strip():
        raise DomainError(_("Name the ward department that answers."))
    message = message.strip()
    if not message:
        raise DomainError(_("Write a few words for the center."))
    key = _party_key(organization, by)
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                post=post,
                party_key=key,
                organization=organization,
                department="" if organization is not None else department.strip(),
                user=by,
                message=message,
            )
    except IntegrityError:
        return Interest.objects.get(post=post, party_key=key), False

    settings = BoardSettings.current()
    categories = [settings.case_category] if settings.case_category_id else []
    case = consultations.case_request_online(
        user=by,
        organization=organization,
        categories=categories,
        request=stored_text(
            gettext_lazy("About the board post %(post)s:\n%(text)s"),
            post=str(post),
            text=message,
        ),
    )
    title = stored_text(
        gettext_lazy("Coordination: %(number)s %(title)s"), number=post.number, title=post.title
    )
    consultations.case_update(case=case, by=by, data={"title": title[:200]})
    consultations.party_add(
        case=case,
        role="partner",
        kind="organization" if post.organization_id else "ward",
        organization=post.organization,
        name=post.poster_name,
    )
    interest.case = case
    interest.save(update_fields=["case"])
    _tell_posters(
        post,
        purpose="coordination.interest",
        subject=gettext_lazy("Someone answered your post on the board"),
        paragraphs=[
            gettext_lazy(
                "Someone wants to help or is interested in your post. The center will contact "
                "you to introduce each other."
            )
        ],
    )
    return interest, True


@transaction.atomic
def interest_outcome_record(*, interest: Interest, by, outcome: str) -> Interest:
    """Staff record whether the introduction led to a collaboration (for the statistics)."""
    if not rules.can_moderate(by):
        raise DomainError(_("Only center staff record outcomes."))
    if outcome not in InterestOutcome.values:
        raise DomainError(_("Choose an outcome."))
    interest.outcome = outcome
    interest.outcome_on = timezone.localdate() if outcome else None
    interest.save(update_fields=["outcome", "outcome_on"])
    return interest
