"""Members of an organization: the list with what each role may do, invitations by e-mail,
roles, the contact person, the hand-over of the 代表管理者 role, leaving, and which organization
a person acts for.

Permissions: someone who is neither a member nor staff gets 404 for every page here (they learn
nothing, not even that the organization exists); a member without the right gets 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.exceptions import DomainError
from organizations import services
from organizations.acting import forget_acting_organization, set_acting_organization
from organizations.enums import MemberRole
from organizations.forms import InviteForm, RoleForm
from organizations.models import Invitation
from organizations.rules import can_hand_over, can_manage_members, membership_of
from organizations.selectors import members_of, memberships_of, open_invitations
from organizations.views.common import organization_or_404


def _require(predicate, user, organization):
    """403 for a member (or staff) who may see the organization but not do this."""
    if not predicate(user, organization):
        raise PermissionDenied


def _members_url(organization):
    return reverse("organizations:members", args=[organization.pk])


def _render_members(request, organization, *, invite_form=None):
    user = request.user
    can_manage = can_manage_members(user, organization)
    own = membership_of(user, organization)
    return render(
        request,
        "organizations/members.html",
        {
            "organization": organization,
            "members": members_of(organization),
            "own_membership": own,
            "can_manage": can_manage,
            "can_hand_over": can_hand_over(user, organization),
            "invitations": open_invitations(organization) if can_manage else None,
            "invite_form": (invite_form or InviteForm()) if can_manage else None,
            "role_choices": RoleForm.base_fields["role"].choices,
            "OWNER": MemberRole.OWNER,
        },
    )


@login_required
def member_list(request, pk):
    organization = organization_or_404(request, pk)
    return _render_members(request, organization)


@login_required
@require_POST
def invite(request, pk):
    organization = organization_or_404(request, pk)
    _require(can_manage_members, request.user, organization)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.member_invite(
                organization=organization,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(_members_url(organization))
    return _render_members(request, organization, invite_form=form)


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    organization = organization_or_404(request, pk)
    _require(can_manage_members, request.user, organization)
    invitation = get_object_or_404(organization.invitations, pk=invitation_pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect(_members_url(organization))


@login_required
@require_POST
def change_role(request, pk, membership_pk):
    organization = organization_or_404(request, pk)
    _require(can_manage_members, request.user, organization)
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_pk
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect(_members_url(organization))
    try:
        services.member_change_role(
            membership=membership, by=request.user, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
    return redirect(_members_url(organization))


@login_required
@require_POST
def remove(request, pk, membership_pk):
    organization = organization_or_404(request, pk)
    _require(can_manage_members, request.user, organization)
    membership = get_object_or_404(
        organization.memberships.select_related("user", "organization"), pk=membership_pk
    )
    name = str(membership.user)
    try:
        services.member_remove(membership=membership, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": name})
        if membership.user_id == request.user.pk:  # a manager removed themself: they left
            forget_acting_organization(request, organization)
            return redirect("accounts:mypage")
    return redirect(_members_url(organization))


@login_required
def hand_over(request, pk, membership_pk):
    """GET: the confirmation page; POST: hand the 代表管理者 role to the chosen member."""
    organization = organization_or_404(request, pk)
    _require(can_hand_over, request.user, organization)
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_pk
    )
    if membership.role == MemberRole.OWNER:
        messages.error(request, _("This member is already the representative manager."))
        return redirect(_members_url(organization))
    if request.method == "POST":
        try:
            services.ownership_transfer(organization=organization, by=request.user, to=membership)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now the representative manager.") % {"name": membership.user},
            )
        return redirect(_members_url(organization))
    current_owner = (
        organization.memberships.select_related("user").filter(role=MemberRole.OWNER).first()
    )
    return render(
        request,
        "organizations/member_hand_over.html",
        {
            "organization": organization,
            "membership": membership,
            "current_owner": current_owner,
            "is_owner": current_owner is not None and current_owner.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def set_contact(request, pk, membership_pk):
    organization = organization_or_404(request, pk)
    _require(can_manage_members, request.user, organization)
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_pk
    )
    try:
        services.contact_person_set(
            organization=organization, by=request.user, membership=membership
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is now the contact person.") % {"name": membership.user}
        )
    return redirect(_members_url(organization))


@login_required
@require_POST
def leave(request, pk):
    organization = organization_or_404(request, pk)
    membership = membership_of(request.user, organization)
    if membership is None:  # staff who are not members have nothing to leave
        raise Http404
    membership.organization, membership.user = organization, request.user
    try:
        services.member_remove(membership=membership, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_members_url(organization))
    forget_acting_organization(request, organization)
    messages.success(request, _("You left %(organization)s.") % {"organization": organization})
    return redirect("accounts:mypage")


@login_required
@require_POST
def act_for(request, pk):
    """Choose the organization the user acts for (books and applies for)."""
    membership = get_object_or_404(memberships_of(request.user), organization_id=pk)
    set_acting_organization(request, membership.organization)
    messages.success(
        request,
        _("You now act for %(organization)s.") % {"organization": membership.organization},
    )
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("accounts:mypage")


def invitation(request, token):
    """The link in the invitation e-mail: shows what it is for; a logged-in visitor accepts it.

    Unknown token → 404; expired, revoked or already used → 410 Gone with a page saying which.
    """
    found = (
        Invitation.objects.select_related("organization", "invited_by").filter(token=token).first()
    )
    if found is None:
        return render(request, "organizations/invitation.html", {"state": "unknown"}, status=404)
    state = _invitation_state(found)
    if state != "open":
        return render(
            request,
            "organizations/invitation.html",
            {"invitation": found, "state": state},
            status=410,
        )
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(invitation=found, user=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Welcome to %(organization)s.") % {"organization": found.organization},
            )
            return redirect(_members_url(found.organization))
    return render(
        request,
        "organizations/invitation.html",
        {"invitation": found, "state": state, "error": error},
        status=403 if error else 200,
    )


def _invitation_state(invitation) -> str:
    if invitation.accepted_at is not None:
        return "used"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return "open"
