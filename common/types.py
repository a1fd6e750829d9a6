from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real account."""

    user: User
    # Set by django-htmx's middleware on every request.
    htmx: HtmxDetails


AnyUser = User | AnonymousUser
