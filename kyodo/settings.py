"""Settings for kyodo, read from environment variables only (see README, "Settings").

The defaults give the newcomer's set-up: SQLite, in-process tasks, mail to the console,
DEBUG on. Production sets DJANGO_ENV=production, which turns DEBUG off and every
security setting on, and refuses to start without a real SECRET_KEY.
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from kyodo.env import (
    env_bool,
    env_database,
    env_email,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r}: use development, production or test.")
PRODUCTION = DJANGO_ENV == "production"

# Production never runs with DEBUG, whatever the environment says (tracebacks leak settings).
DEBUG = False if PRODUCTION else env_bool("DEBUG", True)
_DEV_SECRET = "django-insecure-kyodo-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "django_filters",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "kyodo",
    "api",
    "accounts",
    "organizations",
    "consultations",
    "facilities",
    "reviewing",
    "events",
    "proposals",
    "evaluations",
    "coordination",
    "subsidies",
    "publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kyodo.permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kyodo.middleware.JapaneseFirstLocaleMiddleware",
    # Before CommonMiddleware: the public API answers cross-origin GETs (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Right after the user is known: tells every permission predicate whether this session
    # passed two-factor log-in (accounts.rules.rights_apply).
    "accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kyodo.site.SiteURLMiddleware",
]

if PRODUCTION:
    # Static files are served by gunicorn through WhiteNoise in production; runserver and the
    # test server serve them from the apps in development.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "kyodo.urls"
WSGI_APPLICATION = "kyodo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyodo.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write transactions take the lock at BEGIN, so concurrent requests queue instead of
    # failing with "database is locked" (STACK.md).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    if not str(DATABASES["default"]["NAME"]).startswith("/"):
        DATABASES["default"]["NAME"] = str(BASE_DIR / DATABASES["default"]["NAME"])
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:mypage"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[協働ステーション中央] "
# allauth's rate limits with its defaults (e.g. 20 sign-ups and password resets per minute
# per IP), except failed log-ins: 10 a minute per address, and 5 in 5 minutes per account *from
# one address* (the "key", accounts.adapters.AccountAdapter) — never per account alone, which
# would let anyone keep a person locked out.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "協働ステーション中央"
# Staff and ward officials must set up two-factor log-in before staff or review pages.
KYODO_REQUIRE_MFA_FOR_STAFF = env_bool("KYODO_REQUIRE_MFA_FOR_STAFF", PRODUCTION)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files, uploads ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
KYODO_UPLOAD_MAX_BYTES = env_int("KYODO_UPLOAD_MAX_MB", 10, minimum=1) * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
if PRODUCTION and not env_str("EMAIL_URL"):
    raise ImproperlyConfigured(
        "EMAIL_URL must be set in production (e.g. smtp+tls://user:pass@host:587)."
    )
_email = env_email("EMAIL_URL", "consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST") or "localhost",
    "port": _email.get("EMAIL_PORT") or 25,
    "username": _email.get("EMAIL_HOST_USER") or "",
    "password": _email.get("EMAIL_HOST_PASSWORD") or "",
    "use_tls": bool(_email.get("EMAIL_USE_TLS")),
    "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "協働ステーション中央 <info@kyodo-station.jp>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("kyodo", a) for a in env_list("ADMINS", [])]

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
if PRODUCTION and not REDIS_URL:
    # Without it, rate limits count per process and tasks run inside web requests.
    raise ImproperlyConfigured("REDIS_URL must be set in production (redis://host:6379/0).")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No result backend: nothing reads a task's result (the rows are the results), and a result
# backend that retries while Redis is down held a booking request for 19 s.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Publishing must never hold a request for more than a moment: short connect and socket
# timeouts, no publish retries. A publish that fails is logged (kyodo.celery.publish) and the
# row it was for is picked up by the outbox sweep once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY = False
# No broker configured: tasks run in-process, so `make run` needs no Redis.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1.0,
    "socket_timeout": 5.0,
    "max_retries": 1,
}
# The outbox (kyodo.outbox): how long a worker's claim on a mail or a document holds before
# the sweep may give it to another worker (a worker killed mid-task), and how often it tries.
KYODO_OUTBOX_LEASE_SECONDS = env_int("KYODO_OUTBOX_LEASE_SECONDS", 300, minimum=1)
KYODO_OUTBOX_MAX_ATTEMPTS = env_int("KYODO_OUTBOX_MAX_ATTEMPTS", 10, minimum=1)
# The newsletter: how many recipients' mails are written to the outbox per minute (the rate of
# sending), and how long a confirmation link of a subscription works.
KYODO_NEWSLETTER_PER_MINUTE = env_int("KYODO_NEWSLETTER_PER_MINUTE", 200, minimum=1)
KYODO_NEWSLETTER_CONFIRM_HOURS = env_int("KYODO_NEWSLETTER_CONFIRM_HOURS", 48, minimum=1)
# Unsubscribed addresses are reduced to a suppression hash after this many days.
KYODO_NEWSLETTER_FORGET_DAYS = env_int("KYODO_NEWSLETTER_FORGET_DAYS", 30, minimum=1)
# After this many hard bounces an address gets no more newsletters.
KYODO_NEWSLETTER_MAX_BOUNCES = env_int("KYODO_NEWSLETTER_MAX_BOUNCES", 3, minimum=1)
CELERY_BEAT_SCHEDULE = {
    # The newsletter goes out in batches of KYODO_NEWSLETTER_PER_MINUTE, one a minute.
    "newsletter-sweep": {
        "task": "publications.tasks.task_newsletter_sweep",
        "schedule": 60.0,
    },
    "newsletter-forget": {
        "task": "publications.tasks.task_newsletter_forget",
        "schedule": crontab(hour=3, minute=30),
    },
    # Mails and documents whose task was lost (broker down when queued, a worker killed
    # mid-task, a failed send waiting for its next try): the rows are the truth.
    "outbox-sweep": {
        "task": "kyodo.tasks.task_outbox_sweep",
        "schedule": 60.0,
    },
    # The 利用案内 PDF is made ahead: again within minutes of a change to what it shows.
    "refresh-guides": {
        "task": "kyodo.tasks.task_refresh_guides",
        "schedule": 600.0,
    },
    # Reminders are rows claimed once (organizations.RenewalReminder): running the sweep
    # twice, or late, sends nothing twice.
    "send-renewal-reminders": {
        "task": "organizations.tasks.task_send_renewal_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "send-followup-reminders": {
        "task": "consultations.tasks.task_send_followup_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
    # Proposal reminders (reviewers 3 and 1 days before a stage's deadline, drafts a week
    # and a day before the submission deadline): one ProposalReminder row each, so once.
    "send-proposal-reminders": {
        "task": "proposals.tasks.task_send_proposal_reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    # Evaluation reminders (each side 3 days and 1 day before its due date): one
    # EvaluationReminder row each, so once.
    "send-evaluation-reminders": {
        "task": "evaluations.tasks.task_send_evaluation_reminders",
        "schedule": crontab(hour=9, minute=20),
    },
    # The board: posts past their end leave it (compare-and-set), then the reminders before
    # the end go out (each post claimed once per period with reminded_for).
    "sweep-board-posts": {
        "task": "coordination.tasks.task_sweep_board",
        "schedule": crontab(hour=8, minute=45),
    },
    "expire-registrations": {
        "task": "organizations.tasks.task_expire_registrations",
        "schedule": crontab(hour=0, minute=5),
    },
    # The day-before booking reminders: each booking is claimed (reminded_at) before its mail
    # goes out, so a second or late run sends nothing twice.
    "send-booking-reminders": {
        "task": "facilities.tasks_documents.task_send_booking_reminders",
        "schedule": crontab(hour=18, minute=0),
    },
    # Waitlist offers past their time move on to the next in line; claimed with conditional
    # updates, so a second or late run offers nothing twice.
    "expire-waitlist-offers": {
        "task": "facilities.tasks.task_expire_waitlist_offers",
        "schedule": crontab(minute="*/15"),
    },
    # Events: unclaimed seat offers pass to the next in line; reminders of tomorrow's
    # sessions. Both claim their rows with conditional updates (never twice).
    "expire-event-offers": {
        "task": "events.tasks.task_expire_offers",
        "schedule": crontab(minute="*/15"),
    },
    "send-event-reminders": {
        "task": "events.tasks.task_send_session_reminders",
        "schedule": crontab(hour=17, minute=30),
    },
    # A year after an event its applicants' personal data goes (the consent says so).
    "forget-event-applications": {
        "task": "events.tasks.task_forget_applications",
        "schedule": crontab(hour=3, minute=20),
    },
}

# --- Cache ----------------------------------------------------------------------------------
# allauth's rate limits count in the cache; with several web processes it must be shared.
CACHES = {
    "default": (
        # Redis down: counters fall back to each process's memory (kyodo.cache), logged.
        {"BACKEND": "kyodo.cache.FallbackRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL and PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# Browser features the portal does not use, denied on every page; a view that needs one (a
# check-in scanner's camera) allows it with kyodo.permissions_policy.permissions_policy.
KYODO_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    MFA_TRUST_COOKIE_SECURE = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Proxies and rate limits ----------------------------------------------------------------
# How many reverse proxies (TLS terminator, load balancer) stand in front of gunicorn. Rate
# limits count per client address, which then comes from X-Forwarded-For.
KYODO_TRUSTED_PROXY_COUNT = env_int("KYODO_TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = KYODO_TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "kyodo.http.client_ip"
RATELIMIT_USE_CACHE = "default"

# --- kyodo ----------------------------------------------------------------------------------
# How long a waitlist offer (キャンセル待ち) stays open before the next in line is offered.
FACILITIES_OFFER_HOURS = env_int("FACILITIES_OFFER_HOURS", 24, minimum=1)
# The portal's public address, for links in e-mails and PDFs made outside a request.
KYODO_SITE_URL = env_str("KYODO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# In development with no KYODO_SITE_URL given, links in mails sent while answering a request
# take that request's address (runserver on another port or host still gives working links);
# mails sent outside a request use KYODO_SITE_URL. Never in production or tests.
KYODO_SITE_URL_FROM_REQUEST = DJANGO_ENV == "development" and not env_str("KYODO_SITE_URL")
if PRODUCTION and not KYODO_SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "KYODO_SITE_URL must be set to the portal's https:// address in production "
        "(links in e-mails use it)."
    )
if not KYODO_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"KYODO_SITE_URL={KYODO_SITE_URL!r} must start with http(s)://.")
# The Japanese font embedded in PDFs. Empty: the IPAex Gothic of the pinned matplotlib-fontja
# wheel (installed by `make install`), else Debian's fonts-ipaexfont-gothic.
KYODO_PDF_FONT_PATH = env_str("KYODO_PDF_FONT_PATH", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # In-process tasks (no broker: `make run`) would log a line per mail and PDF on the
        # console the newcomer reads; a real worker keeps Celery's per-task lines.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}


# --- The public read-only API (/api/v1/, api/) -------------------------------------------
# Anonymous and read-only: no authentication class reads the session, so a signed-in
# person's rights never widen what the API shows.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per client address (behind KYODO_TRUSTED_PROXY_COUNT proxies), counted in the cache.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("KYODO_API_RATE", "120/minute")},
    # 0: REMOTE_ADDR; None would trust any X-Forwarded-For a client sends.
    "NUM_PROXIES": KYODO_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kyodo public API",
    "DESCRIPTION": (
        "Read-only public data of Kyodo Station Chuo (協働ステーション中央): what the portal's "
        "public pages show, as JSON. No personal data, nothing unpublished, never who booked."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ("ETag",)
# The publisher named in the standard open-data sets (地方公共団体コード with its check digit).
KYODO_LOCAL_GOVERNMENT_CODE = env_str("KYODO_LOCAL_GOVERNMENT_CODE", "131024")
KYODO_PREFECTURE_NAME = env_str("KYODO_PREFECTURE_NAME", "東京都")
KYODO_CITY_NAME = env_str("KYODO_CITY_NAME", "中央区")
# The licence of the public data (the API and the open-data files).
KYODO_OPEN_DATA_LICENCE = env_str("KYODO_OPEN_DATA_LICENCE", "CC BY 4.0")
