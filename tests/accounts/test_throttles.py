"""API rate limits: past the rate the API answers 429 with Retry-After."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

ANON_ADDRESS = "203.0.113.7"


@pytest.fixture
def low_rates(monkeypatch):
    """Two calls a minute; the throttle counts of this module start and end empty."""
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "2/min", "auth-token": "2/min"},
    )
    keys = [f"throttle_anon_{ANON_ADDRESS}", f"throttle_auth-token_{ANON_ADDRESS}"]
    cache.delete_many(keys)
    yield keys
    cache.delete_many(keys)


def test_anonymous_calls_over_the_rate_get_429_with_retry_after(low_rates, monkeypatch):
    # Anonymous calls reach the throttle only where no login is required: the token endpoint.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "100/min", "auth-token": "100/min"},
    )
    client = APIClient(REMOTE_ADDR=ANON_ADDRESS)

    answers = [client.post("/api/v1/auth/token/", {}, format="json") for _ in range(3)]

    assert [a.status_code for a in answers] == [400, 400, 429]
    assert int(answers[2]["Retry-After"]) > 0


def test_a_users_calls_over_the_rate_get_429_with_retry_after(low_rates):
    user = UserFactory()
    low_rates.append(f"throttle_user_{user.pk}")
    client = APIClient()
    client.force_authenticate(user)

    answers = [client.get("/api/v1/pools/") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert "detail" in answers[2].json()


def test_token_endpoint_has_its_own_stricter_rate(low_rates, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100/min", "user": "100/min", "auth-token": "2/min"},
    )
    user = UserFactory()
    client = APIClient(REMOTE_ADDR=ANON_ADDRESS)
    credentials = {"username": user.username, "password": "secret-pass-123"}

    answers = [client.post("/api/v1/auth/token/", credentials, format="json") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
