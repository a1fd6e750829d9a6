"""Login lockout: after the configured failures the right password is refused for a while.

The same rule holds on the login page, the admin's login and the API token endpoint.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from audit.models import AccessAction, AccessRecord
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _page_login(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


def _token_login(client: APIClient, username: str, password: str):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_page_login_locked_out_after_the_failures_and_audited(url):
    user = UserFactory(is_staff=True)
    client = Client()

    for _attempt in range(3):
        _page_login(client, url, user.username, "wrong-password")
    refused = _page_login(client, url, user.username, PASSWORD)

    assert refused.status_code == 429
    assert "Too many failed login attempts. Try again in 15 minutes." in refused.text
    assert refused["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session
    assert f'value="{user.username}"' in refused.text
    # One record when the limit is reached, one for the refused right password.
    lockouts = AccessRecord.objects.filter(action=AccessAction.LOCKOUT, user=user)
    assert lockouts.count() == 2
    assert lockouts.first().ip_address == "127.0.0.1"


def test_token_refused_while_locked_out_with_the_api_error():
    user = UserFactory()
    client = APIClient()

    failures = [_token_login(client, user.username, "wrong-password") for _ in range(3)]
    refused = _token_login(client, user.username, PASSWORD)

    assert [f.status_code for f in failures[:2]] == [400, 400]
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "locked_out",
        "detail": "Too many failed login attempts. Try again in 15 minutes.",
    }
    assert refused["Retry-After"] == "900"
    assert AccessRecord.objects.filter(action=AccessAction.LOCKOUT, user=user).exists()


def test_login_allowed_again_after_the_cool_off(settings):
    user = UserFactory()
    client = APIClient()
    for _attempt in range(3):
        _token_login(client, user.username, "wrong-password")
    assert _token_login(client, user.username, PASSWORD).status_code == 429

    # The cool-off is over for attempts older than it: age them past it.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )

    assert _token_login(client, user.username, PASSWORD).status_code == 200


def test_a_locked_out_address_cannot_try_other_usernames():
    client = Client()
    for index in range(3):
        _page_login(client, "/accounts/login/", f"guess-{index}", "wrong-password")
    other = UserFactory()

    assert _page_login(client, "/accounts/login/", other.username, PASSWORD).status_code == 429


def test_successful_logins_do_not_count_and_clear_earlier_failures():
    user = UserFactory()
    client = Client()
    for _round in range(3):
        for _attempt in range(2):
            _page_login(client, "/accounts/login/", user.username, "wrong-password")
        assert _page_login(client, "/accounts/login/", user.username, PASSWORD).status_code == 302
        client.logout()

    assert not AccessRecord.objects.filter(action=AccessAction.LOCKOUT).exists()
