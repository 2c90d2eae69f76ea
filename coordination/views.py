"""Pages of the board: the public board and a post's page (no contact details), the poster's
pages (post, change, renew, withdraw), the interest button, and the staff's moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import rules, selectors, services
from coordination.enums import PostKind, PostStatus
from coordination.forms import (
    BoardFilterForm,
    InterestForm,
    ModerationForm,
    OutcomeForm,
    PostForm,
    StaffFilterForm,
)
from kyodo.actions import run_service, visible_only_to
from kyodo.exceptions import DomainError
from organizations.acting import acting_organization
from organizations.models import ActivityField
from organizations.selectors import valid_organizations_managed_by

PAGE_SIZE = 20
STAFF_PAGE_SIZE = 50

staff_required = visible_only_to(rules.can_moderate)


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _poster_organization(request):
    """The organization the person posts or answers for: the one they act for, when they may
    post for it."""
    organization = acting_organization(request)
    if organization is not None and rules.can_post_for(request.user, organization):
        return organization
    return valid_organizations_managed_by(request.user).first()


def _history(post) -> list[dict]:
    labels = dict(PostStatus.choices)
    return [
        {
            "at": event.changed_at,
            "status": labels.get(event.new_status, event.new_status),
            "reason": event.reason,
            "by": event.changed_by,
        }
        for event in post.events.select_related("changed_by")
    ]


# --- public --------------------------------------------------------------------------------


def board(request):
    form = BoardFilterForm(request.GET)
    form.is_valid()  # a wrong value is shown on the form; the valid filters still apply
    data = form.cleaned_data
    field = (
        ActivityField.objects.filter(number=data["field"]).first() if data.get("field") else None
    )
    region = selectors.regions().filter(pk=data["region"]).first() if data.get("region") else None
    posts = selectors.public_posts(
        kind=data.get("kind") or "",
        field=field,
        region=region,
        category=data.get("category") or "",
    )
    return render(
        request,
        "coordination/board.html",
        {
            "form": form,
            "page": _page(request, posts, PAGE_SIZE),
            "is_filtered": any(data.get(n) for n in ("kind", "field", "region", "category")),
            "may_post": request.user.is_authenticated,
        },
    )


def post_detail(request, pk):
    post = selectors.public_post(pk)
    if post is None:
        raise Http404
    organization = _poster_organization(request) if request.user.is_authenticated else None
    may_answer = request.user.is_authenticated and rules.can_express_interest(
        request.user, post, organization
    )
    return render(
        request,
        "coordination/post_detail.html",
        {
            "post": post,
            "matches": selectors.matches_for(post),
            "may_answer": may_answer,
            "answer_for": organization,
            "form": InterestForm(ward=organization is None) if may_answer else None,
        },
    )


@login_required
@require_POST
def post_interest(request, pk):
    post = selectors.public_post(pk)
    if post is None:
        raise Http404
    organization = _poster_organization(request)
    if not rules.can_express_interest(request.user, post, organization):
        raise Http404
    form = InterestForm(request.POST, ward=organization is None)
    if form.is_valid():
        try:
            _interest, created = services.interest_express(
                post=post,
                by=request.user,
                organization=organization,
                department=form.cleaned_data.get("department", ""),
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if created:
                messages.success(
                    request,
                    _("Thank you. The center will contact you and introduce you to each other."),
                )
            else:
                messages.info(request, _("You have already answered this post."))
            return redirect("coordination:mine")
    return render(
        request,
        "coordination/post_detail.html",
        {
            "post": post,
            "matches": selectors.matches_for(post),
            "may_answer": True,
            "answer_for": organization,
            "form": form,
        },
    )


# --- posters -------------------------------------------------------------------------------


@login_required
def post_create(request):
    organization = _poster_organization(request)
    ward = organization is None and rules.can_post_as_ward(request.user)
    if organization is None and not ward:
        return render(
            request,
            "coordination/needs_group.html",
            {},
            status=403,
        )
    form = PostForm(request.POST or None, ward=ward)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                by=request.user,
                organization=organization,
                department=data.get("department", ""),
                data=data,
                fields=data["activity_fields"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Thank you. The center checks your post before it is published.")
            )
            return redirect("coordination:my_post", pk=post.pk)
    return render(
        request,
        "coordination/post_form.html",
        {"form": form, "organization": organization, "post": None},
    )


def _my_post_or_404(request, pk):
    post = selectors.my_post(request.user, pk)
    if post is None:
        raise Http404
    return post


@login_required
def mine(request):
    return render(
        request,
        "coordination/mine.html",
        {
            "posts": _page(request, selectors.posts_of(request.user), PAGE_SIZE),
            "interests": list(selectors.interests_of(request.user)[:50]),
        },
    )


@login_required
def my_post(request, pk):
    post = _my_post_or_404(request, pk)
    return render(
        request,
        "coordination/my_post.html",
        {
            "post": post,
            "events": _history(post),
            "may_edit": rules.can_edit_post(request.user, post),
            "may_renew": rules.can_renew_post(request.user, post),
            "may_withdraw": rules.can_withdraw_post(request.user, post),
        },
    )


@login_required
def post_edit(request, pk):
    post = _my_post_or_404(request, pk)
    if not rules.can_edit_post(request.user, post):
        raise Http404
    form = PostForm(request.POST or None, initial=PostForm.initial_from(post))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not form.has_changed():
            return redirect("coordination:my_post", pk=post.pk)
        try:
            services.post_update(
                post=post, by=request.user, data=data, fields=data["activity_fields"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your post was saved."))
            return redirect("coordination:my_post", pk=post.pk)
    return render(
        request,
        "coordination/post_form.html",
        {"form": form, "organization": post.organization, "post": post},
    )


@login_required
@require_POST
def post_renew(request, pk):
    post = _my_post_or_404(request, pk)
    run_service(
        request,
        lambda: services.post_renew(post=post, by=request.user),
        success=lambda: (
            _("Your post stays on the board until %(date)s.") % {"date": post.valid_until}
        ),
    )
    return redirect("coordination:my_post", pk=post.pk)


@login_required
@require_POST
def post_withdraw(request, pk):
    post = _my_post_or_404(request, pk)
    run_service(
        request,
        lambda: services.post_withdraw(post=post, by=request.user),
        success=_("Your post was withdrawn."),
    )
    return redirect("coordination:my_post", pk=post.pk)


# --- staff ---------------------------------------------------------------------------------


@staff_required
def staff_posts(request):
    form = StaffFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    posts = selectors.staff_posts(status=data.get("status") or "", kind=data.get("kind") or "")
    return render(
        request,
        "coordination/staff_posts.html",
        {"form": form, "page": _page(request, posts, STAFF_PAGE_SIZE)},
    )


def _staff_post_or_404(pk):
    post = selectors.staff_post(pk)
    if post is None:
        raise Http404
    return post


@staff_required
def staff_post(request, pk, moderation_form=None):
    post = _staff_post_or_404(pk)
    interests = list(selectors.staff_interests(post))
    for interest in interests:
        interest.form = OutcomeForm(
            initial={"outcome": interest.outcome}, prefix=f"outcome-{interest.pk}"
        )
    return render(
        request,
        "coordination/staff_post.html",
        {
            "post": post,
            "interests": interests,
            "events": _history(post),
            "moderation_form": moderation_form or ModerationForm(),
            "may_moderate": post.status == PostStatus.SUBMITTED,
        },
    )


@staff_required
@require_POST
def staff_moderate(request, pk):
    post = _staff_post_or_404(pk)
    form = ModerationForm(request.POST)
    if form.is_valid() and run_service(
        request,
        lambda: services.post_moderate(
            post=post,
            by=request.user,
            to=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("The decision was saved and the poster told."),
    ):
        return redirect("coordination:staff_post", pk=post.pk)
    return staff_post(request, pk, moderation_form=form)


@staff_required
@require_POST
def staff_outcome(request, pk):
    interest = selectors.staff_interest(pk)
    if interest is None:
        raise Http404
    form = OutcomeForm(request.POST, prefix=f"outcome-{interest.pk}")
    if form.is_valid():
        run_service(
            request,
            lambda: services.interest_outcome_record(
                interest=interest, by=request.user, outcome=form.cleaned_data["outcome"]
            ),
            success=_("The outcome was saved."),
        )
    else:
        messages.error(request, _("Choose an outcome."))
    return redirect("coordination:staff_post", pk=interest.post_id)


@staff_required
def staff_statistics(request):
    return render(
        request,
        "coordination/staff_statistics.html",
        {"stats": selectors.statistics(), "kinds": PostKind},
    )
