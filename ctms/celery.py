"""Celery application: `celery -A ctms worker` and `celery -A ctms beat` start it."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctms.settings")

app = Celery("ctms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
