from django.contrib.auth.models import User
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request


class ModelPermissionsOrReadOnly(DjangoModelPermissions):
    """Reads need a signed-in user only; writes need the Django model permission.

    What a user may read is already scoped by the selectors behind each viewset,
    so no ``view_*`` permission is asked for, whatever DRF's default becomes.
    Anonymous requests are refused either way.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }


def acting_user(request: Request) -> User:
    """The signed-in user making the request; the permission classes let no one else through."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
