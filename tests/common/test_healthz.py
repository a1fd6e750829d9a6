"""/healthz reports the database and the broker, with real services, no mocks."""

import pytest

pytestmark = pytest.mark.django_db

# Nothing listens on this port: a broker that really cannot be reached.
UNREACHABLE_BROKER = "redis://127.0.0.1:6390/0"


def test_healthz_ok_with_database_and_broker(client, settings):
    assert settings.CELERY_BROKER_URL, "the test suite runs with REDIS_URL set"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_unavailable_when_the_broker_cannot_be_reached(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("unavailable", "ok")
    assert body["broker"].startswith("error: ")


def test_healthz_ok_with_tasks_in_process_when_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
