"""The Celery app. Eager (in-process) when REDIS_URL is unset, Redis otherwise (settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")

app = Celery("kyodo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
