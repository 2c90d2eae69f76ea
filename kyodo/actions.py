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
