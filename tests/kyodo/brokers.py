"""A broker that is down, for the tests of what survives it."""

from kyodo.celery import app

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens there: connections are refused


class BrokerDown:
    def __init__(self):
        self._saved = (app.conf.broker_url, app.conf.task_always_eager)
        self.down = False

    def _reset_pools(self):
        # Celery caches the connection and producer pools of the broker URL (kombu keys its
        # pools by connection, so the other URL gets pools of its own).
        app._pool = None
        app.amqp._producer_pool = None

    def start(self):
        app.conf.broker_url = CLOSED_PORT
        app.conf.task_always_eager = False
        self._reset_pools()
        self.down = True

    def restore(self):
        """The broker is back (tasks run in-process again, as in the other tests)."""
        app.conf.broker_url, app.conf.task_always_eager = self._saved
        self._reset_pools()
        self.down = False


def route_kyodo_tasks_to(queue):
    """Send kyodo's tasks to ``queue`` (None: the default queue again), for a real worker of
    one test alone. Celery caches its routes and its router; both are rebuilt from the
    setting."""
    app.conf.task_routes = {"kyodo.tasks.*": {"queue": queue}} if queue else None
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
