"""Checking and storing uploaded medical documents by their content."""

from __future__ import annotations

from typing import TypeVar

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from audit.models import AccessAction
from audit.services import access_record
from patients.choices import MedicalDocumentKind
from patients.models import MedicalDocument

Document = TypeVar("Document", bound=MedicalDocument)

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
    document.file.save(name, upload, save=False)
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
