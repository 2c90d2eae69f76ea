"""Strict reading of the environment for settings.

django-environ parses URLs well but reads any unknown word as ``False`` for a boolean; a typo
such as ``DEBUG=ture`` must stop the start-up instead of silently changing behaviour. Every
helper here raises ``ImproperlyConfigured`` naming the variable and what it accepts.
"""

import os
import warnings

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name}={value!r} holds no item (use a comma-separated list).")
    return items


def env_database(name: str, default: str) -> dict:
    value = _raw(name) or default
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # we raise our own, clearer error below
            config = environ.Env.db_url_config(value)
    except Exception as exc:  # environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a database URL ({exc}).") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name} must start with sqlite:/// or postgres://, not {value.split(':')[0]!r}."
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (postgres://user@host:port/NAME).")
    return config


def env_redis_url(name: str) -> str | None:
    value = _raw(name)
    if value is None:
        return None
    if not value.startswith(("redis://", "rediss://")):
        # Name the scheme only: the URL may carry the broker's password.
        raise ImproperlyConfigured(
            f"{name} must start with redis:// or rediss://, not {value.split(':')[0]!r}."
        )
    return value


def env_email(name: str, default: str) -> dict:
    value = _raw(name) or default
    try:
        config = environ.Env.email_url_config(value)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not an e-mail URL ({exc}).") from None
    if not config.get("EMAIL_BACKEND"):
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtp+tls://, smtp+ssl:// or consolemail://."
        )
    return config
