"""The audit record of login lockouts, written when django-axes refuses a login."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest

from audit.models import AccessAction
from audit.services import access_record


class LoginLockout:
    """What a lockout is about, for the log: a username, not a stored record."""

    def __init__(self, username: str) -> None:
        self.pk = username


def record_lockout(
    sender: object,
    *,
    request: HttpRequest,
    username: str | None,
    ip_address: str | None,
    **kwargs: object,
) -> None:
    """Record each refused login of a locked-out user or address (axes' ``user_locked_out``).

    The record names the account the attempts were for, when it exists.
    """
    access_record(
        user=User.objects.filter(username=username).first() if username else None,
        action=AccessAction.LOCKOUT,
        obj=LoginLockout(username or ""),
        patient_id=None,
        request=request,
        # Stored text of the log, not shown through the interface language.
        detail=f"login locked out for username {username or '-'!r} from {ip_address or '-'}",
    )
