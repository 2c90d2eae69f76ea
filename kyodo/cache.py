"""The shared cache, and what happens when Redis is down.

allauth's log-in counters and django-ratelimit's counters live in the cache. With Django's
RedisCache alone an unreachable Redis raises inside every log-in and every consultation request,
so those pages answer 500. ``FallbackRedisCache`` keeps the shared Redis cache while it answers;
when it does not, each call falls back to a per-process local-memory cache and logs a warning.
The counters then count per process: the limits still hold, only spread over the web processes
(several times the nominal rate at worst, never unlimited), until Redis is back. Nothing in the
cache is the only copy of anything (sessions are in the database), so losing it loses no data.

After a failure Redis is left alone for ``RETRY_AFTER`` seconds, so a request does not pay the
connect timeout on every cache call while Redis is down.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# What redis-py raises when the server is unreachable or stops answering.
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover - redis-py is a dependency
    UNREACHABLE = (OSError,)

RETRY_AFTER = 30.0


class FallbackRedisCache(RedisCache):
    """Django's RedisCache with short socket timeouts that falls back to local memory."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        # Short timeouts: a request must not wait on a Redis that does not answer.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"kyodo-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._down_until = 0.0

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                self._down_until = time.monotonic() + RETRY_AFTER
                logger.warning(
                    "The Redis cache is unreachable (%s); counting in this process for %.0f s",
                    exc,
                    RETRY_AFTER,
                )
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self._call("decr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def get_or_set(self, *args, **kwargs):
        return self._call("get_or_set", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")


# --- public data that changes rarely ---------------------------------------------------------
#
# A value computed from rows staff rarely change (the center's calendar on the home page) is
# kept in the shared cache under a key that holds a version number; whatever changes those
# rows bumps the version after its commit, so the next request computes afresh. Only data that
# is the same for every visitor goes here (never anything personal). With Redis down the
# fallback keeps values per process: a bump then reaches only its own process, so values
# also expire after PUBLIC_TIMEOUT seconds.

PUBLIC_TIMEOUT = 300


def _version_key(name: str) -> str:
    return f"kyodo:version:{name}"


def public_version(name: str) -> int:
    from django.core.cache import cache

    return cache.get(_version_key(name)) or 0


def bump_public(name: str) -> None:
    """Make every value cached under ``name`` stale, after the current transaction commits
    (bumped earlier, a request could cache the old rows again under the new version)."""
    from django.core.cache import cache
    from django.db import transaction

    def bump():
        try:
            cache.incr(_version_key(name))
        except ValueError:  # not set yet (or evicted): any new number will do
            cache.set(_version_key(name), int(time.time() * 1000), timeout=None)

    transaction.on_commit(bump, robust=True)


def cached_public(name: str, key: str, compute, timeout: int = PUBLIC_TIMEOUT):
    """``compute()``, cached under ``name``'s current version and ``key``."""
    from django.core.cache import cache

    full_key = f"kyodo:public:{name}:{public_version(name)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=timeout)
    return value
