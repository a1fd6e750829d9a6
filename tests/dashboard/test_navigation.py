"""The header shows each role only the pages it uses."""

import pytest
from django.urls import reverse

from institutions.choices import InstitutionKind
from tests.support.factories import InstitutionFactory, UserFactory
from tests.support.world import member

LINKS = {
    "home": "home",
    "applications": "application-list",
    "referrals": "referral-list",
    "agreements": "agreement-list",
    "institutions": "institution-list",
    "inbox": "inbox",
    "network": "network",
    "queue": "review-queue",
    "calendar": "admissions-calendar",
    "admin": "admin:index",
}
OFFICER = {"home", "queue", "applications", "referrals", "agreements", "institutions", "inbox"}
EXPECTED = {
    "ministry_officer": OFFICER,
    "embassy_officer": OFFICER,
    "clinic_coordinator": {"home", "referrals", "calendar", "agreements", "institutions", "inbox"},
    "network_coordinator": {"home", "network", "agreements", "institutions", "referrals", "inbox"},
    "staff_clinic_coordinator": {
        "home",
        "referrals",
        "calendar",
        "agreements",
        "institutions",
        "inbox",
        "admin",
    },
}


def _user(role: str):
    if role == "ministry_officer":
        kind = InstitutionKind.MINISTRY_OF_HEALTH
    elif role == "embassy_officer":
        kind = InstitutionKind.EMBASSY
    elif role == "network_coordinator":
        kind = InstitutionKind.COORDINATING_BODY
    else:
        kind = InstitutionKind.HOSPITAL
    membership_role = "clinic_coordinator" if role.startswith("staff_") else role
    user = member(InstitutionFactory(kind=kind), membership_role)
    if role.startswith("staff_"):
        user.is_staff = True
        user.save()
    return user


def _nav(html: str) -> str:
    return html[html.index('<nav aria-label="') : html.index("</nav>")]


@pytest.mark.django_db
@pytest.mark.parametrize("link", sorted(LINKS))
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_links(login, role, link):
    nav = _nav(login(_user(role)).get(reverse("home")).content.decode())
    assert (f'href="{reverse(LINKS[link])}"' in nav) == (link in EXPECTED[role])


@pytest.mark.django_db
def test_the_header_shows_institution_language_profile_and_search(login):
    user = _user("clinic_coordinator")
    page = login(user).get(reverse("home")).content.decode()
    assert user.memberships.get().institution.name in page
    assert f'href="{reverse("profile")}"' in page
    assert f'action="{reverse("search")}"' in page
    assert ">EN</abbr>" in page


@pytest.mark.django_db
def test_anonymous_visitors_get_no_nav_nor_search(client):
    page = client.get(reverse("login")).content.decode()
    assert '<nav aria-label="' not in page
    assert f'action="{reverse("search")}"' not in page


@pytest.mark.django_db
def test_a_superuser_without_memberships_sees_the_officer_pages_and_administration(login):
    user = UserFactory(is_staff=True, is_superuser=True)
    nav = _nav(login(user).get(reverse("home")).content.decode())
    for link in [*OFFICER, "admin"]:
        assert f'href="{reverse(LINKS[link])}"' in nav
