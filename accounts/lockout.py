"""Login lockout: the answer a locked-out client gets (audit.lockouts records it).

django-axes counts failed logins by username and by address (see the AXES_
settings); this module decides how the refusal looks on each path.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

API_PREFIX = "/api/"


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed login attempts. Try again in %(minutes)d minute.",
        "Too many failed login attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with Retry-After: JSON in the API's error format for the API, else the login page.

    The login page is shown again with the message at the form, so the user sees
    why the right password was refused and when to come back.
    """
    message = lockout_message()
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"code": "locked_out", "detail": message}, status=429)
    else:
        # Unbound: validating the form again would be one more refused attempt.
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "next": request.POST.get("next", ""), "lockout_message": message},
            status=429,
        )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
