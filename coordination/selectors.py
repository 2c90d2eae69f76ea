"""Reads of the board, with the permission filter built in.

The public reads published posts only, through ``public_posts``; nothing it returns carries
contact details (the templates name the poster, never an address, phone or person)."""

from django.db.models import Count, Prefetch, Q

from accounts.rules import is_ward_official
from coordination.enums import InterestOutcome, PostKind, PostStatus, other_kind
from coordination.models import Interest, Post, Region, Town
from organizations.enums import MANAGING_ROLES
from organizations.models import ActivityField

MATCHES_SHOWN = 5


def _with_lists(queryset):
    return queryset.select_related("region", "town", "organization").prefetch_related(
        Prefetch("activity_fields", queryset=ActivityField.objects.order_by("number"))
    )


def public_posts(*, kind: str = "", field=None, region=None, category: str = ""):
    posts = Post.objects.published()
    if kind:
        posts = posts.filter(kind=kind)
    if field is not None:
        posts = posts.filter(activity_fields=field)
    if region is not None:
        posts = posts.filter(region=region)
    if category:
        posts = posts.filter(category=category)
    return _with_lists(posts).order_by("-published_at", "-pk")


def public_post(pk):
    return _with_lists(Post.objects.published()).filter(pk=pk).first()


def matches_for(post, *, limit: int = MATCHES_SHOWN) -> list[Post]:
    """Published posts of the other kind in the same area that share an activity field and
    whose dates overlap (a post without dates overlaps any). Two queries whatever the number
    of matches: the posts, and their fields."""
    field_ids = [field.pk for field in post.activity_fields.all()]  # prefetched
    overlap = Q()
    if post.ends_on:
        overlap &= Q(starts_on__isnull=True) | Q(starts_on__lte=post.ends_on)
    if post.starts_on:
        overlap &= Q(ends_on__isnull=True) | Q(ends_on__gte=post.starts_on)
    candidates = (
        Post.objects.published()
        .filter(kind=other_kind(post.kind), region_id=post.region_id)
        .filter(overlap)
        .filter(pk__in=Post.objects.filter(activity_fields__in=field_ids).values("pk"))
        .exclude(pk=post.pk)
    )
    return list(_with_lists(candidates).order_by("-published_at", "-pk")[:limit])


def regions():
    return Region.objects.all()


def towns():
    return Town.objects.filter(is_active=True).select_related("region")


def posts_of(user):
    """The posts the person answers for: their organizations' (as a manager) and the ones they
    wrote as a ward official."""
    mine = Q(
        organization__memberships__user=user, organization__memberships__role__in=MANAGING_ROLES
    )
    if is_ward_official(user):
        mine |= Q(poster_kind="ward", created_by=user)
    return (
        Post.objects.filter(pk__in=Post.objects.filter(mine).values("pk"))
        .select_related("region", "town", "organization")
        .annotate(interest_count=Count("interests"))
        .order_by("-created_at", "-pk")
    )


def interests_of(user):
    """Interests the person is party to, on either side: ones they (or their organization)
    expressed and ones in their posts. Each names its coordination case."""
    managed = Q(
        organization__memberships__user=user, organization__memberships__role__in=MANAGING_ROLES
    )
    own = Q(user=user) | managed
    in_posts = Q(post__in=posts_of(user).values("pk"))
    return (
        Interest.objects.filter(pk__in=Interest.objects.filter(own | in_posts).values("pk"))
        .select_related("post", "organization", "case")
        .order_by("-created_at", "-pk")
    )


def my_post(user, pk):
    return (
        posts_of(user)
        .prefetch_related(
            Prefetch("activity_fields", queryset=ActivityField.objects.order_by("number"))
        )
        .filter(pk=pk)
        .first()
    )


# --- staff --------------------------------------------------------------------------------


def staff_posts(*, status: str = "", kind: str = ""):
    posts = Post.objects.all()
    if status:
        posts = posts.filter(status=status)
    if kind:
        posts = posts.filter(kind=kind)
    return (
        posts.select_related("region", "town", "organization")
        .annotate(interest_count=Count("interests"))
        .order_by("-created_at", "-pk")
    )


def staff_post(pk):
    return (
        _with_lists(Post.objects.all())
        .select_related("created_by")
        .prefetch_related("events__changed_by")
        .filter(pk=pk)
        .first()
    )


def staff_interests(post):
    return post.interests.select_related("organization", "user", "case").order_by("created_at")


def staff_interest(pk):
    return Interest.objects.select_related("post", "organization", "case").filter(pk=pk).first()


def statistics() -> dict:
    """Posts by kind and status, and interests by outcome: one aggregate query each."""
    posts = {
        (row["kind"], row["status"]): row["n"]
        for row in Post.objects.values("kind", "status").annotate(n=Count("pk")).order_by()
    }
    outcomes = {
        row["outcome"]: row["n"]
        for row in Interest.objects.values("outcome").annotate(n=Count("pk")).order_by()
    }
    return {
        "rows": [
            {
                "status": status,
                "need": posts.get((PostKind.NEED, status.value), 0),
                "offer": posts.get((PostKind.OFFER, status.value), 0),
            }
            for status in PostStatus
        ],
        "outcomes": [(outcome, outcomes.get(outcome.value, 0)) for outcome in InterestOutcome],
        "interests": sum(outcomes.values()),
    }
