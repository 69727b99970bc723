"""The task queue: Celery, with Redis as the broker (CELERY_BROKER_URL).

Without a broker URL every task runs in-process, after the transaction that
enqueued it commits (settings.CELERY_TASK_ALWAYS_EAGER), so `make run` works on
a machine with no Redis. `make worker` starts a worker (with the periodic
scheduler embedded) against the broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
