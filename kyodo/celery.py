"""The Celery app. Eager (in-process) when REDIS_URL is unset, Redis otherwise (settings)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")

app = Celery("kyodo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def publish(task, *, countdown: float | None = None, **kwargs) -> bool:
    """Queue ``task`` with keyword arguments; True when the broker took it.

    Never raises and never waits on the broker for more than its short connect timeout
    (settings: no publish retry, 1 s connect timeout): the work a task does is always a row
    first (an outbox mail, a pending document), so a publish that fails is only logged, and the
    beat sweep queues the row again once the broker answers. In eager mode the task runs here,
    and an error inside it is logged the same way: the change that queued it stands.
    """
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown, retry=False)
    except Exception:
        logger.warning(
            "Could not queue %s(%s); the outbox sweep will queue it again",
            task.name,
            kwargs,
            exc_info=True,
        )
        return False
    return True
