"""Reads of the organizations app, with permission filters built in."""

from django.db.models import Case, Prefetch, Q, Value, When
from django.utils import timezone

from accounts.rules import is_center_staff
from kyodo.text import search_key
from organizations.enums import (
    MANAGING_ROLES,
    OPEN_APPLICATION_STATUSES,
    ChangeStatus,
    MemberRole,
    RegistrationStatus,
)
from organizations.models import (
    ActivityField,
    Application,
    Membership,
    Organization,
    OrganizationEvent,
    ProfileChange,
)


def organizations_visible_to(user):
    """Organizations whose private pages ``user`` may open: their own, or all for staff."""
    organizations = Organization.objects.all()
    if is_center_staff(user):
        return organizations
    if not user.is_authenticated:
        return organizations.none()
    return organizations.filter(memberships__user=user)


def valid_organizations(on=None):
    """Registered and within validity on ``on`` (default today): who may book and apply."""
    on = on or timezone.localdate()
    return Organization.objects.filter(status=RegistrationStatus.REGISTERED, valid_until__gte=on)


def valid_organizations_managed_by(user, on=None):
    """The validly registered organizations ``user`` is a 代表管理者 or 管理者 of: what they may
    book or apply for."""
    organizations = valid_organizations(on).order_by("name_kana", "pk")
    if not getattr(user, "is_authenticated", False):
        return organizations.none()
    return organizations.filter(
        memberships__user=user, memberships__role__in=MANAGING_ROLES
    ).distinct()


def is_valid_registration(organization, on=None) -> bool:
    return organization.is_valid_on(on or timezone.localdate())


def managers_of(organization) -> list:
    """The active 代表管理者 and 管理者 of the organization: who acts for it, and who is told."""
    return [
        membership.user
        for membership in organization.memberships.select_related("user").filter(
            role__in=MANAGING_ROLES, user__is_active=True
        )
    ]


def memberships_of(user):
    """The user's organizations with their role, for the 'act for' switch and マイページ."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name_kana")
    )


def request_memberships(request) -> list:
    """memberships_of(request.user), read once per request: マイページ's sections, the act-for
    switch and acting_organization all ask (issue 16: the query ran four times)."""
    user = request.user
    if not user.is_authenticated:
        return []
    cached = getattr(request, "_kyodo_memberships", None)
    if cached is None or cached[0] != user.pk:
        cached = (user.pk, list(memberships_of(user)))
        request._kyodo_memberships = cached
        if user.is_active and getattr(user, "_kyodo_memberships", None) is None:
            # The same rows answer organizations.rules.membership_of for this request.
            user._kyodo_memberships = {m.organization_id: m for m in cached[1]}
    return cached[1]


def members_of(organization):
    """Members, the 代表管理者 first, then 管理者, then メンバー, each by when they joined."""
    rank = Case(
        When(role=MemberRole.OWNER, then=Value(0)),
        When(role=MemberRole.MANAGER, then=Value(1)),
        default=Value(2),
    )
    return organization.memberships.select_related("user").order_by(rank, "joined_at", "pk")


def open_application(organization):
    return organization.applications.filter(status__in=OPEN_APPLICATION_STATUSES).first()


def pending_change(organization):
    return organization.profile_changes.filter(status=ChangeStatus.PENDING).first()


def timeline(organization, limit=100):
    return (
        OrganizationEvent.objects.filter(organization=organization)
        .select_related("changed_by", "application")
        .order_by("-changed_at", "-pk")[:limit]
    )


def applications_to_review():
    """The staff's review queue: open applications, oldest first."""
    return (
        Application.objects.filter(status__in=OPEN_APPLICATION_STATUSES)
        .select_related("organization", "submitted_by")
        .order_by("submitted_at")
    )


def pending_changes():
    return ProfileChange.objects.filter(status=ChangeStatus.PENDING).select_related(
        "organization", "requested_by"
    )


def directory(*, query: str = "", field: int | None = None, org_type: str = ""):
    """The public directory: listed, valid organizations, filtered; kana-insensitive search."""
    organizations = valid_organizations().filter(is_listed=True)
    key = search_key(query)
    if key:
        organizations = organizations.filter(search_key__contains=key)
    if field:
        organizations = organizations.filter(activity_fields__number=field)
    if org_type:
        organizations = organizations.filter(org_type=org_type)
    return organizations.prefetch_related(
        Prefetch("activity_fields", queryset=ActivityField.objects.order_by("number"))
    ).order_by("name_kana", "pk")


def staff_organization_list(*, query="", status="", org_type="", field=None, expiring=None):
    organizations = Organization.objects.all()
    key = search_key(query)
    if key:
        organizations = organizations.filter(
            Q(search_key__contains=key) | Q(registration_number__icontains=query.strip())
        )
    if status:
        organizations = organizations.filter(status=status)
    if org_type:
        organizations = organizations.filter(org_type=org_type)
    if field:
        organizations = organizations.filter(activity_fields__number=field)
    if expiring:
        organizations = organizations.filter(
            status=RegistrationStatus.REGISTERED, valid_until__lte=expiring
        )
    return organizations.prefetch_related("activity_fields").order_by("name_kana", "pk")


def open_invitations(organization):
    """Invitations still usable: not accepted, not revoked, not expired."""
    return (
        organization.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("expires_at", "pk")
    )


def invitations_waiting_for(user):
    """Open invitations to any of the user's verified addresses (shown on マイページ, so that
    someone who signed up from an invitation link finds it again after confirming)."""
    from allauth.account.models import EmailAddress

    from organizations.models import Invitation

    if not user.is_authenticated:
        return Invitation.objects.none()
    emails = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return (
        Invitation.objects.filter(
            email__in=emails,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .exclude(organization__memberships__user=user)
        .select_related("organization")
        .order_by("expires_at")
    )
