"""The keys that encrypt medical documents at rest, read from the settings.

``DOCUMENT_ENCRYPTION_KEYS`` is a list of ``id:base64`` entries, newest first:
the first key encrypts, every listed key decrypts. An id is 1–32 letters,
digits, ``.``, ``_`` or ``-``; a key is 32 random bytes in standard base64.
This module imports no models, so the settings can use it.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,32}")
DEVELOPMENT_KEY_ID = "dev"


@dataclass(frozen=True)
class DocumentKey:
    key_id: str
    secret: bytes


def keys_parse(entries: list[str] | tuple[str, ...]) -> tuple[DocumentKey, ...]:
    """The keys of ``entries``, newest first; ImproperlyConfigured names a bad entry."""
    keys: list[DocumentKey] = []
    for position, entry in enumerate(entries, start=1):
        key_id, sep, encoded = entry.strip().partition(":")
        if not sep or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"DOCUMENT_ENCRYPTION_KEYS entry {position} must be 'id:base64' with an id of "
                "1-32 letters, digits, '.', '_' or '-'."
            )
        try:
            secret = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            secret = b""
        if len(secret) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"DOCUMENT_ENCRYPTION_KEYS key '{key_id}' must be {KEY_BYTES} bytes in base64."
            )
        if any(k.key_id == key_id for k in keys):
            raise ImproperlyConfigured(f"DOCUMENT_ENCRYPTION_KEYS lists key '{key_id}' twice.")
        keys.append(DocumentKey(key_id=key_id, secret=secret))
    return tuple(keys)


def key_entry(key_id: str, secret: bytes) -> str:
    """One ``id:base64`` entry, as DOCUMENT_ENCRYPTION_KEYS lists it."""
    return f"{key_id}:{base64.b64encode(secret).decode('ascii')}"


def development_key_entry(path: Path) -> str:
    """The development key kept at ``path``, created on first use (DEBUG only).

    Keeping it in a file, rather than deriving it from SECRET_KEY, lets documents
    stored by ``make run`` survive a changed SECRET_KEY.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key_entry(DEVELOPMENT_KEY_ID, secrets.token_bytes(KEY_BYTES)) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()
