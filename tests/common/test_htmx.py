"""Pages refreshed in part: htmx gets only the changed block, a plain request the whole page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# url name -> the id of the region htmx swaps; the user who works on that page
PARTIAL_PAGES = {
    "application-list": ("results", "ministry_officer"),
    "referral-list": ("results", "ministry_officer"),
    "review-queue": ("results", "embassy_officer"),
    "admissions-calendar": ("calendar", "clinic_coordinator"),
}


@pytest.mark.parametrize("name", sorted(PARTIAL_PAGES))
def test_htmx_gets_only_the_region_it_swaps(kg_tr_world, login, name):
    region, role = PARTIAL_PAGES[name]
    client = login(getattr(kg_tr_world, role))
    whole = client.get(reverse(name))
    part = client.get(reverse(name), headers={"HX-Request": "true"})
    assert whole.status_code == part.status_code == 200
    whole_html, part_html = whole.content.decode(), part.content.decode()
    assert "<html" in whole_html
    assert "<html" not in part_html
    assert "<nav" not in part_html.split(f'id="{region}"')[0]
    assert f'id="{region}"' in part_html
    assert len(part_html) < len(whole_html) / 2
    # A cache must never answer a page load with a fragment.
    assert "HX-Request" in whole["Vary"]
    assert "HX-Request" in part["Vary"]


def test_the_portal_serves_htmx_itself(client):
    page = client.get(reverse("login")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in page
