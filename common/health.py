"""Readiness of the services the portal depends on."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready", reported, not raised
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_state() -> str:
    """``ok`` when the broker answers; ``in-process`` when none is configured."""
    broker_url = settings.CELERY_BROKER_URL
    if not broker_url:
        return "in-process"
    try:
        client = redis.Redis.from_url(broker_url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    state = {"database": database_state(), "broker": broker_state()}
    healthy = all(value in ("ok", "in-process") for value in state.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503
    )
