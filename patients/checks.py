"""System checks of the document keys.

A malformed ``DOCUMENT_ENCRYPTION_KEYS`` is an error for every command: the
setting is wrong wherever it is read. A missing one is a deployment check
(``manage.py check --deploy``, like Django's own security checks): commands
that never touch a document (``makemigrations``, ``shell``) still run, and
storing a document without a key refuses anyway (``patients.documents``), so
nothing is ever written in plain form.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from patients.document_keys import keys_parse


def document_keys_check(**kwargs: Any) -> list[CheckMessage]:
    """An error when DOCUMENT_ENCRYPTION_KEYS is malformed."""
    try:
        keys_parse(list(settings.DOCUMENT_ENCRYPTION_KEYS))
    except ImproperlyConfigured as error:
        return [Error(str(error), id="patients.E001")]
    return []


def document_keys_deploy_check(**kwargs: Any) -> list[CheckMessage]:
    """An error when no key is set: under DEBUG the settings supply one, so this is production."""
    if list(settings.DOCUMENT_ENCRYPTION_KEYS):
        return []
    return [
        Error(
            "DOCUMENT_ENCRYPTION_KEYS is not set: medical documents cannot be encrypted.",
            hint="Set it to 'id:base64' with 32 random bytes, e.g. "
            "k1:$(python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())')",
            id="patients.E002",
        )
    ]
