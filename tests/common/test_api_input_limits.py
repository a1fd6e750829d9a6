"""The API's generic input limits: JSON bodies (size, depth, shape) and page sizes."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from applications.models import Application
from common.api.pagination import MAX_PAGE_SIZE
from common.api.parsers import JSON_MAX_DEPTH, json_depth_exceeds
from tests.support.api import api, application_payload, body
from tests.support.applications import make_application, make_patient

pytestmark = pytest.mark.django_db

BODY_ENDPOINTS = [
    ("post", "/api/v1/applications/"),
    ("post", "/api/v1/patients/"),
    ("post", "/api/v1/applications/{id}/reject/"),
    ("post", "/api/v1/applications/{id}/request-info/"),
    ("patch", "/api/v1/applications/{id}/"),
]


def _send_all(w, raw: bytes | str) -> list[tuple[str, object]]:
    """``raw`` as a JSON body to each endpoint; their answers."""
    client = api(w.embassy_officer)
    application = make_application(w)
    answers = []
    for method, url in BODY_ENDPOINTS:
        target = url.format(id=application.pk)
        answers.append(
            (target, getattr(client, method)(target, raw, content_type="application/json"))
        )
    return answers


@pytest.mark.parametrize("depth", [20_000, JSON_MAX_DEPTH + 1])
def test_deeply_nested_json_is_refused_with_400(world, depth):
    for url, response in _send_all(world, "[" * depth + "]" * depth):
        assert response.status_code == 400, (url, body(response))
        assert "nested more than 32 levels" in response.json()["detail"], url


def test_nesting_up_to_the_limit_reaches_the_serializer(world):
    w = world
    nested: object = "x"
    for _ in range(JSON_MAX_DEPTH - 1):
        nested = [nested]
    payload = {**application_payload(w, make_patient(w)), "medical_summary": nested}

    response = api(w.ministry_officer).post(
        "/api/v1/applications/", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 400, body(response)
    assert "medical_summary" in response.json()


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"a": "[" * 100 + '\\"{' * 50, "b": [[["ok"]]]}).encode()

    assert not json_depth_exceeds(text, 4)
    assert json_depth_exceeds(text, 2)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_upload_limit_is_refused_with_413(world):
    w = world
    payload = {**application_payload(w, make_patient(w)), "medical_summary": "x" * 20_000}

    response = api(w.ministry_officer).post(
        "/api/v1/applications/", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 413, body(response)
    assert "10000 bytes" in response.json()["detail"]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [b"[1, 2, 3]", b'"text"', b"42", b"null", b"{not json", b"\xff\xfe", b'{"a": NaN}'],
)
def test_wrong_shaped_bodies_are_refused_with_400(world, raw):
    for url, response in _send_all(world, raw):
        assert response.status_code == 400, (url, raw, body(response))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", 99999999999999999999),
        ("patient", -1),
        ("patient", "1; DROP TABLE"),
        ("specialty", {"code": "oncology"}),
        ("urgency", ["urgent"]),
        ("preferred_host", 1.5),
        ("diagnosis_text", None),
    ],
)
def test_wrong_typed_fields_are_refused_at_the_field(world, field, value):
    w = world
    payload = {**application_payload(w, make_patient(w)), field: value}

    response = api(w.ministry_officer).post("/api/v1/applications/", payload, format="json")

    assert response.status_code == 400, body(response)
    assert field in response.json()


# --- Page sizes -----------------------------------------------------------------------


LISTS = ["/api/v1/applications/", "/api/v1/patients/", "/api/v1/pools/", "/api/v1/referrals/"]


@pytest.mark.parametrize(
    "page_size", ["-5", "0", "99999999999999999999", str(MAX_PAGE_SIZE + 1), "ten", "1.5", "٣"]
)
def test_page_size_outside_the_range_is_refused(world, page_size):
    client = api(world.ministry_officer)

    for url in LISTS:
        response = client.get(url, {"page_size": page_size})
        assert response.status_code == 400, (url, body(response))
        assert response.json() == {"page_size": ["Enter a whole number from 1 to 200."]}


@pytest.mark.parametrize(("page_size", "shown"), [("1", 1), (str(MAX_PAGE_SIZE), 3), ("", 3)])
def test_page_size_within_the_range_is_honoured(world, page_size, shown):
    w = world
    for _ in range(3):
        make_application(w)

    response = api(w.embassy_officer).get("/api/v1/applications/", {"page_size": page_size})

    assert response.status_code == 200, body(response)
    assert len(response.json()["results"]) == shown
    assert response.json()["count"] == 3


def test_the_schema_states_the_page_size_range(world):
    schema = api(world.ministry_officer).get("/api/schema/", {"format": "json"}).json()

    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/applications/"]["get"]["parameters"]
    }
    assert parameters["page_size"]["minimum"] == 1
    assert parameters["page_size"]["maximum"] == MAX_PAGE_SIZE
    assert parameters["page"]["minimum"] == 1
