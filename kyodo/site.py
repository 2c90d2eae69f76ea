"""The portal's own address and name, for links and greetings in e-mails.

Services send mail without a request, so the address is the setting ``KYODO_SITE_URL``. In
development without that setting (``KYODO_SITE_URL_FROM_REQUEST``), a mail sent while a
request is answered links to the address that request came to, so ``runserver`` on any port
gives links that work; SiteURLMiddleware remembers it for the request (a context variable:
nothing outlives the request, nothing is shared between threads)."""

from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

_request_origin: ContextVar[str | None] = ContextVar("kyodo_request_origin", default=None)


def site_url() -> str:
    """The scheme and host (no trailing slash) that links in e-mails start with."""
    origin = _request_origin.get()
    if origin and getattr(settings, "KYODO_SITE_URL_FROM_REQUEST", False):
        return origin
    return settings.KYODO_SITE_URL


@dataclass(frozen=True)
class Site:
    """What allauth's mail templates read as ``current_site``: the center's name and the
    portal's host (django.contrib.sites is not used)."""

    name: str
    domain: str


def current_site() -> Site:
    from kyodo.selectors import center_profile

    return Site(name=center_profile().name, domain=urlsplit(site_url()).netloc)


class SiteURLMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "KYODO_SITE_URL_FROM_REQUEST", False):
            return self.get_response(request)
        token = _request_origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_origin.reset(token)
