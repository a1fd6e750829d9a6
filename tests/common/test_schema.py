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
