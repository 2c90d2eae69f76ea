"""Settings from the environment (kyodo.env, kyodo.settings): malformed values stop the start-up
with a message naming the variable; a proper production configuration passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kyodo.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET_KEY = "k7Qz2vXp9LmN4rTb8WcYh3JdF6gS1aEo5uKiR0nVxBqMtHyPwZlCjDsGfUeAo2Xr"

# Every variable kyodo.settings reads: cleared so the developer's own shell cannot change a result.
SETTINGS_VARIABLES = [
    "DJANGO_ENV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "KYODO_REQUIRE_MFA_FOR_STAFF",
    "KYODO_UPLOAD_MAX_MB",
    "KYODO_PDF_FONT_PATH",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "ADMINS",
    "REDIS_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "LOG_LEVEL",
    "KYODO_SITE_URL",
    "KYODO_TRUSTED_PROXY_COUNT",
    "FACILITIES_OFFER_HOURS",
    "KYODO_OUTBOX_LEASE_SECONDS",
    "KYODO_OUTBOX_MAX_ATTEMPTS",
    # Set by the browser tests for live_server; the deployment check rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def run_python(args, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "kyodo.settings"
    env.setdefault("DJANGO_ENV", "test")
    env.update(variables)
    return subprocess.run(  # noqa: S603 - our own interpreter with fixed arguments
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def start_django(**variables) -> subprocess.CompletedProcess:
    return run_python(["-c", "import django; django.setup()"], **variables)


# --- start-up in a fresh process ----------------------------------------------------------------


def test_django_starts_with_the_default_settings():
    # The control for the tests below: they fail because of their one bad variable.
    result = start_django()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x/y"),
        ("DATABASE_URL", "nonsense"),
        ("DATABASE_URL", "postgres://kyodo@db.example.jp:5432"),
        ("REDIS_URL", "http://localhost"),
        ("EMAIL_URL", "nonsense"),
        ("KYODO_UPLOAD_MAX_MB", "ten"),
        ("KYODO_UPLOAD_MAX_MB", "0"),
        ("KYODO_OUTBOX_LEASE_SECONDS", "0"),
        ("KYODO_OUTBOX_MAX_ATTEMPTS", "many"),
        ("ALLOWED_HOSTS", " , "),
        ("DJANGO_ENV", "staging"),
    ],
)
def test_a_malformed_variable_stops_the_start_naming_the_variable(name, value):
    result = start_django(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = start_django(DJANGO_ENV="production", ALLOWED_HOSTS="kyodo.example.jp")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "secret_key",
    ["too-short", "django-insecure-" + "x" * 60],
)
def test_production_with_a_short_or_insecure_secret_key_refuses_to_start(secret_key):
    result = start_django(
        DJANGO_ENV="production", SECRET_KEY=secret_key, ALLOWED_HOSTS="kyodo.example.jp"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_redis_url_with_the_wrong_scheme_is_refused_without_showing_its_password():
    result = start_django(REDIS_URL="http://:s3cret-pass@localhost:6379/0")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    assert "s3cret-pass" not in result.stderr


def test_a_good_production_configuration_passes_the_deployment_checks():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_SECRET_KEY,
        ALLOWED_HOSTS="kyodo.example.jp",
        EMAIL_URL="smtp+tls://kyodo:mail-password@smtp.example.jp:587",
        KYODO_SITE_URL="https://kyodo.example.jp",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_SECRET_KEY,
    "ALLOWED_HOSTS": "kyodo.example.jp",
    "EMAIL_URL": "smtp+tls://kyodo:mail-password@smtp.example.jp:587",
    "KYODO_SITE_URL": "https://kyodo.example.jp",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    ("name", "value"),
    [("KYODO_SITE_URL", ""), ("KYODO_SITE_URL", "http://kyodo.example.jp"), ("REDIS_URL", "")],
)
def test_production_needs_an_https_site_address_and_redis(name, value):
    result = start_django(**{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_production_ignores_debug_true():
    result = run_python(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG)",
        ],
        **PRODUCTION,
        DEBUG="true",
    )
    assert result.stdout.strip() == "False", result.stderr


# --- the helpers, one by one --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "on", " True "])
def test_env_bool_reads_true_words(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_FLAG", value)
    assert env_bool("KYODO_TEST_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "False", "no", "off"])
def test_env_bool_reads_false_words(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_FLAG", value)
    assert env_bool("KYODO_TEST_FLAG", True) is False


@pytest.mark.parametrize("value", [None, "", "   "])
def test_env_bool_falls_back_to_the_default_when_unset_or_blank(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("KYODO_TEST_FLAG", raising=False)
    else:
        monkeypatch.setenv("KYODO_TEST_FLAG", value)
    assert env_bool("KYODO_TEST_FLAG", True) is True
    assert env_bool("KYODO_TEST_FLAG", False) is False


@pytest.mark.parametrize("value", ["maybe", "ture", "2"])
def test_env_bool_refuses_an_unknown_word_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_FLAG"):
        env_bool("KYODO_TEST_FLAG", False)


def test_env_str_trims_and_falls_back_to_the_default_when_blank(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_TEXT", "  hello  ")
    assert env_str("KYODO_TEST_TEXT", "default") == "hello"
    monkeypatch.setenv("KYODO_TEST_TEXT", " ")
    assert env_str("KYODO_TEST_TEXT", "default") == "default"
    monkeypatch.delenv("KYODO_TEST_TEXT")
    assert env_str("KYODO_TEST_TEXT") == ""


def test_env_int_reads_a_whole_number(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_NUMBER", " 25 ")
    assert env_int("KYODO_TEST_NUMBER", 10) == 25
    monkeypatch.delenv("KYODO_TEST_NUMBER")
    assert env_int("KYODO_TEST_NUMBER", 10) == 10


@pytest.mark.parametrize("value", ["ten", "2.5", "10MB"])
def test_env_int_refuses_what_is_not_a_whole_number(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_NUMBER", value)
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_NUMBER"):
        env_int("KYODO_TEST_NUMBER", 10)


def test_env_int_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_NUMBER=0 must be at least 1"):
        env_int("KYODO_TEST_NUMBER", 10, minimum=1)
    monkeypatch.setenv("KYODO_TEST_NUMBER", "1")
    assert env_int("KYODO_TEST_NUMBER", 10, minimum=1) == 1


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_LIST", " kyodo.example.jp, ,www.kyodo.example.jp ,")
    assert env_list("KYODO_TEST_LIST", []) == ["kyodo.example.jp", "www.kyodo.example.jp"]
    monkeypatch.delenv("KYODO_TEST_LIST")
    assert env_list("KYODO_TEST_LIST", ["localhost"]) == ["localhost"]


def test_env_list_refuses_a_list_of_nothing(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_LIST", " , ,")
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_LIST"):
        env_list("KYODO_TEST_LIST", [])


def test_env_database_reads_a_postgres_url(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_DB", "postgres://kyodo:pw@db.example.jp:5432/kyodo")
    config = env_database("KYODO_TEST_DB", "sqlite:///db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["HOST"], config["PORT"]) == (
        "kyodo",
        "kyodo",
        "db.example.jp",
        5432,
    )


def test_env_database_falls_back_to_the_default_sqlite_url(monkeypatch, tmp_path):
    monkeypatch.delenv("KYODO_TEST_DB", raising=False)
    config = env_database("KYODO_TEST_DB", f"sqlite:///{tmp_path / 'kyodo.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "kyodo.sqlite3")


@pytest.mark.parametrize(
    "value", ["mysql://x/y", "nonsense", "postgres://kyodo@db.example.jp:5432"]
)
def test_env_database_refuses_other_engines_and_urls_without_a_database(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_DB", value)
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_DB"):
        env_database("KYODO_TEST_DB", "sqlite:///db.sqlite3")


def test_env_database_does_not_show_the_password_of_a_refused_url(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_DB", "mysql://kyodo:s3cret-pass@db.example.jp/kyodo")
    with pytest.raises(ImproperlyConfigured) as caught:
        env_database("KYODO_TEST_DB", "sqlite:///db.sqlite3")
    assert "s3cret-pass" not in str(caught.value)


@pytest.mark.parametrize("value", ["redis://localhost:6379/0", "rediss://:pw@redis.example.jp/1"])
def test_env_redis_url_accepts_redis_urls(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_REDIS", value)
    assert env_redis_url("KYODO_TEST_REDIS") == value


def test_env_redis_url_is_none_when_unset(monkeypatch):
    monkeypatch.delenv("KYODO_TEST_REDIS", raising=False)
    assert env_redis_url("KYODO_TEST_REDIS") is None


def test_env_redis_url_refuses_another_scheme_without_showing_the_password(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_REDIS", "http://:s3cret-pass@localhost:6379/0")
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_REDIS") as caught:
        env_redis_url("KYODO_TEST_REDIS")
    assert "s3cret-pass" not in str(caught.value)


def test_env_email_reads_an_smtp_url_with_tls(monkeypatch):
    monkeypatch.setenv("KYODO_TEST_MAIL", "smtp+tls://kyodo:pw@smtp.example.jp:587")
    config = env_email("KYODO_TEST_MAIL", "consolemail://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.jp", 587)
    assert config["EMAIL_USE_TLS"] is True


def test_env_email_falls_back_to_the_console(monkeypatch):
    monkeypatch.delenv("KYODO_TEST_MAIL", raising=False)
    config = env_email("KYODO_TEST_MAIL", "consolemail://")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize("value", ["nonsense", "http://smtp.example.jp"])
def test_env_email_refuses_what_is_not_an_email_url(monkeypatch, value):
    monkeypatch.setenv("KYODO_TEST_MAIL", value)
    with pytest.raises(ImproperlyConfigured, match="KYODO_TEST_MAIL"):
        env_email("KYODO_TEST_MAIL", "consolemail://")


def test_a_site_url_without_a_scheme_stops_the_start():
    result = run_python(["-c", "import django; django.setup()"], KYODO_SITE_URL="kyodo.example.jp")
    assert result.returncode != 0
    assert "KYODO_SITE_URL" in result.stderr


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"DJANGO_ENV": "development"}, "True"),
        ({"DJANGO_ENV": "development", "KYODO_SITE_URL": "http://127.0.0.1:8123"}, "False"),
        ({"DJANGO_ENV": "test"}, "False"),
    ],
)
def test_mail_links_follow_the_request_only_in_development_without_a_site_url(variables, expected):
    printed = run_python(
        ["-c", "from django.conf import settings; print(settings.KYODO_SITE_URL_FROM_REQUEST)"],
        **variables,
    )
    assert printed.stdout.strip() == expected, printed.stderr
