"""Errors the services raise; the API and the pages turn them into clear answers."""

from __future__ import annotations


class DomainError(Exception):
    """An action refused by the state of things (HTTP 409), with a machine-readable code."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermissionDeniedError(DomainError):
    """The user may see the object but not take this action (HTTP 403)."""

    code = "permission_denied"
