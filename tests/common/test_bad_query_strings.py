"""Malformed filters, pages and searches in query strings never cause a server error."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("application-list", "created_after=abc&status=nonsense&urgency=x&specialty=nope&page=zz"),
        ("referral-list", "worklist=bogus&admission_from=zzz&status=x&page=-1"),
        ("institution-list", "country=XX&kind=nope&accreditation=zz&specialty=none"),
        ("agreement-list", "country=XX&status=zz&kind=q"),
        ("inbox", "unread=maybe&page=abc"),
        ("search", "q=" + "x" * 500),
    ],
)
def test_bad_query_string_on_a_page_is_not_an_error(kg_tr_world, login, url, query):
    response = login(kg_tr_world.ministry_officer).get(reverse(url) + "?" + query)

    assert response.status_code in (200, 302)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/applications/?created_after=abc",
        "/api/v1/referrals/?admission_from=zz",
        "/api/v1/notices/?unread=maybe",
        "/api/v1/pools/?active_on=x",
        "/api/v1/patients/?citizenship=ZZ",
    ],
)
def test_bad_filter_in_the_api_is_a_client_answer(kg_tr_world, path):
    client = APIClient()
    client.force_authenticate(kg_tr_world.ministry_officer)

    assert client.get(path).status_code in (200, 400)
