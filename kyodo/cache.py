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
