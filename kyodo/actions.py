"""The shape every action view shares: call a service, tell the user how it went."""

from collections.abc import Callable

from django.contrib import messages

from kyodo.exceptions import DomainError


def run_service(request, call: Callable[[], object], *, success) -> bool:
    """Run ``call``; show ``success`` (a text, or a callable returning one, evaluated after the
    call) or the DomainError's message. Returns whether it succeeded."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success() if callable(success) else success)
    return True


def visible_only_to(predicate: Callable[[object], bool]):
    """A view decorator: anonymous users are sent to log in; signed-in people for whom
    ``predicate(user)`` is false get 404, as if the page did not exist."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
