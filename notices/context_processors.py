from typing import Any

from django.http import HttpRequest

from notices.services import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count shown in the header of every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": unread_count(user=user)}
