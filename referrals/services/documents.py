"""Checking uploaded medical documents by their content."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

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
