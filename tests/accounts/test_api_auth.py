"""Token authentication: a token for a username and password, then API calls with it."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_issued_for_the_right_password_lists_the_users_pools(kg_tr_world):
    client = APIClient()

    issued = client.post(
        TOKEN_URL,
        {"username": kg_tr_world.ministry_officer.username, "password": "secret-pass-123"},
        format="json",
    )
    assert issued.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    pools = client.get("/api/v1/pools/")

    assert pools.status_code == 200
    assert [p["code"] for p in pools.json()["results"]] == ["KG-TR-2026"]


def test_same_token_returned_on_a_second_request(kg_tr_world):
    credentials = {"username": kg_tr_world.embassy_officer.username, "password": "secret-pass-123"}

    first = APIClient().post(TOKEN_URL, credentials, format="json").json()["token"]
    second = APIClient().post(TOKEN_URL, credentials, format="json").json()["token"]

    assert first == second


@pytest.mark.parametrize(
    "credentials",
    [
        {"password": "wrong-password"},
        {"password": ""},
        {},
    ],
)
def test_no_token_for_wrong_or_missing_credentials(kg_tr_world, credentials):
    response = APIClient().post(
        TOKEN_URL, {"username": kg_tr_world.ministry_officer.username, **credentials}, format="json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()


def test_unknown_token_is_refused(kg_tr_world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get("/api/v1/pools/").status_code == 401
