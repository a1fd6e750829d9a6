"""Checking, storing and reading uploaded medical documents, encrypted at rest.

Each stored file is a header (magic, format version, key id, 96-bit random nonce)
followed by the AES-256-GCM ciphertext and tag. The header and the file's storage
name are the associated data, so a file moved onto another document's name, or
given another header, fails to decrypt. Files stored before encryption (plain
PDFs and images) still read while their bytes match the recorded type and size,
until ``manage.py documents_rekey`` encrypts them.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from functools import lru_cache
from typing import TypeVar

import filetype
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from audit.models import AccessAction
from audit.services import access_record
from patients.choices import MedicalDocumentKind
from patients.document_keys import DocumentKey, keys_parse
from patients.models import MedicalDocument

logger = logging.getLogger(__name__)

Document = TypeVar("Document", bound=MedicalDocument)

MAGIC = b"KPRD"
FORMAT_VERSION = 1
NONCE_BYTES = 12
# Storage may hand back another name when two uploads race for one; a sealed
# file is bound to its name, so it is sealed again for the new one.
_NAME_ATTEMPTS = 5

DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/webp": ".webp",
}


def document_check(upload: UploadedFile) -> str:
    """The content type of a PDF or image, judged by its bytes, not its name."""
    limit = settings.MAX_DOCUMENT_MB * 1024 * 1024
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": settings.MAX_DOCUMENT_MB}}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise ValidationError({"file": _("Upload a PDF or an image (JPEG, PNG, TIFF, WebP).")})
    return str(kind.mime)


def document_store(
    document: Document, *, upload: UploadedFile, kind: str, actor: User, patient_id: int
) -> Document:
    """Check the upload, store the file and its row, and record it in the audit log.

    ``document`` is an unsaved ApplicationDocument or ReferralDocument tied to its owner.
    """
    if kind not in MedicalDocumentKind.values:
        raise ValidationError({"kind": _("Choose a kind of document from the list.")})
    content_type = document_check(upload)
    name = (upload.name or "document")[-255:]
    document.kind = kind
    document.original_name = name
    document.content_type = content_type
    document.size = upload.size or 0
    document.uploaded_by = actor
    upload.seek(0)
    document.file.name = _sealed_save(document, name=name, plaintext=upload.read())
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # no file without its row
        raise
    access_record(
        user=actor,
        action=AccessAction.CREATE,
        obj=document,
        patient_id=patient_id,
        detail=content_type,
    )
    return document


class DocumentIntegrityError(Exception):
    """A stored file that cannot be read back as its document: never served."""


@lru_cache(maxsize=8)
def _keys(entries: tuple[str, ...]) -> tuple[DocumentKey, ...]:
    keys = keys_parse(entries)
    if not keys:
        raise ImproperlyConfigured("DOCUMENT_ENCRYPTION_KEYS is empty: documents cannot be stored.")
    return keys


def document_keys() -> tuple[DocumentKey, ...]:
    """The configured keys, newest first; ImproperlyConfigured when none or malformed."""
    return _keys(tuple(settings.DOCUMENT_ENCRYPTION_KEYS))


def _header(key_id: str, nonce: bytes) -> bytes:
    encoded = key_id.encode("ascii")
    return MAGIC + bytes([FORMAT_VERSION, len(encoded)]) + encoded + nonce


def document_seal(plaintext: bytes, *, storage_name: str) -> bytes:
    """``plaintext`` encrypted with the newest key and bound to ``storage_name``."""
    key = document_keys()[0]
    header = _header(key.key_id, secrets.token_bytes(NONCE_BYTES))
    nonce = header[-NONCE_BYTES:]
    return header + AESGCM(key.secret).encrypt(nonce, plaintext, header + storage_name.encode())


def sealed_key_id(blob: bytes) -> str | None:
    """The id of the key that sealed ``blob``, or None for a plain (legacy) file."""
    if not blob.startswith(MAGIC):
        return None
    if len(blob) < len(MAGIC) + 2 or blob[len(MAGIC)] != FORMAT_VERSION:
        raise DocumentIntegrityError("unknown format version")
    length = blob[len(MAGIC) + 1]
    start = len(MAGIC) + 2
    if len(blob) < start + length + NONCE_BYTES:
        raise DocumentIntegrityError("truncated header")
    return blob[start : start + length].decode("ascii", errors="replace")


def document_open(blob: bytes, *, storage_name: str, document: MedicalDocument) -> bytes:
    """The plaintext of a stored file; DocumentIntegrityError if it is not this document's.

    A plain file (stored before encryption) is accepted only while its bytes are
    still of the recorded type and size.
    """
    key_id = sealed_key_id(blob)
    if key_id is None:
        kind = filetype.guess(blob[:8192])
        if len(blob) != document.size or kind is None or kind.mime != document.content_type:
            raise DocumentIntegrityError("plain file does not match its document")
        return blob
    key = next((k for k in document_keys() if k.key_id == key_id), None)
    if key is None:
        raise DocumentIntegrityError(f"sealed with unknown key '{key_id}'")
    header_length = len(MAGIC) + 2 + len(key_id.encode("ascii")) + NONCE_BYTES
    header, ciphertext = blob[:header_length], blob[header_length:]
    try:
        return AESGCM(key.secret).decrypt(
            header[-NONCE_BYTES:], ciphertext, header + storage_name.encode()
        )
    except InvalidTag as error:
        raise DocumentIntegrityError("authentication failed") from error


def document_read(document: MedicalDocument) -> bytes:
    """The document's plaintext; DocumentIntegrityError (logged) when missing or altered."""
    name = document.file.name
    try:
        with document.file.storage.open(name, "rb") as stored:
            blob = stored.read()
        return document_open(blob, storage_name=name, document=document)
    except (OSError, DocumentIntegrityError) as error:
        logger.error(
            "Medical document %s #%s (%s) refused: %s",
            document._meta.label,
            document.pk,
            name,
            error,
        )
        raise DocumentIntegrityError(str(error)) from error


def document_reseal(document: MedicalDocument) -> bool:
    """Seal the stored file again with the newest key, in place; False if already so.

    The new file replaces the old one by an atomic rename, so an interrupted run
    leaves every file whole, sealed with either key.
    """
    name = document.file.name
    storage = document.file.storage
    with storage.open(name, "rb") as stored:
        blob = stored.read()
    if sealed_key_id(blob) == document_keys()[0].key_id:
        return False
    sealed = document_seal(
        document_open(blob, storage_name=name, document=document), storage_name=name
    )
    path = storage.path(name)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rekey-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(sealed)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True


def _sealed_save(document: MedicalDocument, *, name: str, plaintext: bytes) -> str:
    field = document.file.field
    storage = document.file.storage
    wanted: str = storage.get_available_name(
        field.generate_filename(document, name), max_length=field.max_length
    )
    for _attempt in range(_NAME_ATTEMPTS):
        saved = storage.save(
            wanted,
            ContentFile(document_seal(plaintext, storage_name=wanted)),
            max_length=field.max_length,
        )
        if saved == wanted:
            return wanted
        storage.delete(saved)
        wanted = storage.get_available_name(wanted, max_length=field.max_length)
    raise OSError(f"no free storage name for {name!r}")
