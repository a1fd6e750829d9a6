from typing import Any

from django.http import HttpRequest

from institutions.choices import MembershipRole
from institutions.selectors import membership_list

OFFICER_NAV = frozenset(
    {"home", "queue", "applications", "referrals", "agreements", "institutions", "inbox"}
)
# Clinics see the agreements whose pools list them as eligible, never applications.
CLINIC_NAV = frozenset({"home", "referrals", "calendar", "agreements", "institutions", "inbox"})
NETWORK_NAV = frozenset({"home", "network", "agreements", "institutions", "referrals", "inbox"})
ROLE_NAV: dict[str, frozenset[str]] = {
    MembershipRole.MINISTRY_OFFICER: OFFICER_NAV,
    MembershipRole.EMBASSY_OFFICER: OFFICER_NAV,
    MembershipRole.CLINIC_COORDINATOR: CLINIC_NAV,
    MembershipRole.NETWORK_COORDINATOR: NETWORK_NAV,
}
# A user without a role (e.g. an administrator only) sees the common pages.
BASE_NAV = frozenset({"home", "institutions", "agreements", "inbox"})


def portal(request: HttpRequest) -> dict[str, Any]:
    """The user's memberships, shown in the header on every page, and the links their roles use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": [], "nav": frozenset()}
    memberships = list(membership_list(user=user))
    nav: set[str] = set()
    for m in memberships:
        nav |= ROLE_NAV.get(m.role, frozenset[str]())
    if not nav:
        nav |= BASE_NAV
        if user.is_superuser:
            nav |= OFFICER_NAV
    if user.is_staff:
        nav.add("admin")
    return {"memberships": memberships, "nav": frozenset(nav)}
