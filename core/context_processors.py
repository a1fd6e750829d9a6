from typing import Any

from django.http import HttpRequest

from institutions.selectors import membership_list


def portal(request: HttpRequest) -> dict[str, Any]:
    """The user's memberships, shown in the header on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"memberships": []}
    return {"memberships": list(membership_list(user=user))}
