"""Celery application.

With no broker configured (the embedded default) tasks run eagerly, in-process,
so a laptop needs nothing but Python.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kopru")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
