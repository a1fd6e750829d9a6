"""Every page names its icon, and the icon is served."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_link_the_icon(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert f'href="{static("favicon.svg")}"' in page
    assert f'href="{static("favicon.png")}"' in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("favicon.svg", "image/svg+xml"),
        ("favicon.png", "image/png"),
        ("favicon.ico", "image/"),
    ],
)
def test_icon_is_served(settings, name: str, content_type: str) -> None:
    # The test run has not collected the static files: let WhiteNoise find them in place.
    settings.WHITENOISE_USE_FINDERS = True
    response = Client().get(static(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_the_habitual_address_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")
