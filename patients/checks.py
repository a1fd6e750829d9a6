"""System checks: the portal refuses to start without a usable document key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from patients.document_keys import keys_parse


def document_keys_check(**kwargs: Any) -> list[CheckMessage]:
    """An error when DOCUMENT_ENCRYPTION_KEYS is empty or malformed.

    Under DEBUG the settings supply a development key, so the list is only empty
    in production, where documents must never be written in plain form.
    """
    try:
        keys = keys_parse(list(settings.DOCUMENT_ENCRYPTION_KEYS))
    except ImproperlyConfigured as error:
        return [Error(str(error), id="patients.E001")]
    if not keys:
        return [
            Error(
                "DOCUMENT_ENCRYPTION_KEYS is not set: medical documents cannot be encrypted.",
                hint="Set it to 'id:base64' with 32 random bytes, e.g. "
                "k1:$(python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())')",
                id="patients.E002",
            )
        ]
    return []
