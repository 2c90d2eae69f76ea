"""The client's address behind our proxies, for rate limits."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or — behind KYODO_TRUSTED_PROXY_COUNT proxies — the address the nearest
    untrusted hop reported in X-Forwarded-For. Only the last N entries are trusted: a client
    can put anything at the front of the header."""
    proxies = settings.KYODO_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if not proxies:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
