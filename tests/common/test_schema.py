"""The OpenAPI schema builds without a warning and the docs are served without a CDN."""

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.support.factories import UserFactory


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"

    # Raises on any warning or error, and on a schema that is not valid OpenAPI.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))

    schema = target.read_text()
    for path in ("/api/v1/institutions/", "/api/v1/pools/{id}/", "/api/v1/channels/"):
        assert f"{path}:" in schema


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_served(url):
    client = APIClient()
    client.force_authenticate(UserFactory())

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_docs_load_swagger_ui_from_the_portal_not_a_cdn():
    client = APIClient()
    client.force_authenticate(UserFactory())

    page = client.get("/api/docs/").content.decode()

    assert settings.STATIC_URL + "drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


@pytest.fixture(scope="module")
def openapi():
    """The schema as drf-spectacular builds it, parsed."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def response_schema(openapi, path: str, method: str, code: str) -> dict:
    return openapi["paths"][path][method]["responses"][code]["content"]["application/json"][
        "schema"
    ]


@pytest.mark.parametrize(
    "path", ["/api/v1/applications/{id}/history/", "/api/v1/applications/{id}/documents/"]
)
def test_lists_of_one_application_are_paged_without_the_lists_filters(openapi, path):
    operation = openapi["paths"][path]["get"]

    assert (
        response_schema(openapi, path, "get", "200")["$ref"].split("/")[-1].startswith("Paginated")
    )
    assert {p["name"] for p in operation["parameters"]} == {"id", "page", "page_size"}


def test_referral_documents_are_paged(openapi):
    path = "/api/v1/referrals/{id}/documents/"

    schema = response_schema(openapi, path, "get", "200")

    assert schema["$ref"] == "#/components/schemas/PaginatedReferralDocumentList"


def test_institution_contacts_and_referral_reasons_may_be_null(openapi):
    schemas = openapi["components"]["schemas"]

    for field in ("email", "website"):
        assert schemas["Institution"]["properties"][field]["nullable"] is True
    for field in ("decline_reason", "outcome", "allocation_state"):
        assert schemas["ReferralDetail"]["properties"][field]["nullable"] is True


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/referrals/", "get", {"200", "400", "401", "403", "404", "429"}),
        ("/api/v1/referrals/{id}/", "get", {"200", "401", "403", "404", "429"}),
        (
            "/api/v1/referrals/{id}/cancel/",
            "post",
            {"200", "400", "401", "403", "404", "409", "429"},
        ),
        ("/api/v1/patients/", "post", {"200", "201", "400", "401", "403", "409", "429"}),
        ("/api/v1/auth/token/", "post", {"200", "400", "429"}),
    ],
)
def test_each_operation_documents_its_refusals(openapi, path, method, codes):
    assert set(openapi["paths"][path][method]["responses"]) == codes


def test_a_step_answering_its_own_way_must_declare_its_schema():
    from django.core.exceptions import ImproperlyConfigured
    from rest_framework import viewsets

    from common.api.serializers import CommentSerializer
    from common.api.workflow import ActionEndpoint, person_steps, workflow_actions
    from referrals.workflow import REFERRAL_WORKFLOW

    endpoints = {
        t.action: ActionEndpoint(lambda **kwargs: None, CommentSerializer)
        for t in person_steps(REFERRAL_WORKFLOW)
    }
    endpoints["cancel"] = ActionEndpoint(
        lambda **kwargs: None, CommentSerializer, answer=lambda result: result
    )

    class Steps(viewsets.GenericViewSet):
        answer_serializer = CommentSerializer

    with pytest.raises(ImproperlyConfigured, match="cancel"):
        workflow_actions(REFERRAL_WORKFLOW, endpoints, id_field="referral_id")(Steps)
