"""The portal's settings plus the harness's bare view (bench/urls.py); nothing else changes,
so what is measured is what production serves."""

from kyodo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405

# Mail stays in memory: the harness sends nothing out, and the console backend would print
# every demo e-mail while the data are generated.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}}
