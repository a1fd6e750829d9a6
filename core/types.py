from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.request import Request


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real account."""

    user: User


def request_actor(request: Request | HttpRequest) -> User:
    """The authenticated user acting; the view's permission classes guarantee one."""
    user = request.user
    assert isinstance(user, User)
    return user
