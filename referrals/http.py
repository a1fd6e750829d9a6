"""Serving a stored medical document: only after the caller checked entitlement."""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404

from audit.models import AccessAction
from audit.services import access_record

from .models import MedicalDocument, Referral
from .selectors import referral_detail_queryset


def document_response(
    request: HttpRequest | Any,
    document: MedicalDocument,
    *,
    patient_id: int,
    as_attachment: bool = False,
) -> FileResponse:
    """The file, with its download written to the audit log."""
    access_record(
        user=request.user,
        action=AccessAction.DOWNLOAD,
        obj=document,
        patient_id=patient_id,
        request=request,
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=as_attachment,
        filename=document.original_name,
        content_type=document.content_type,
    )


def referral_access(request: HttpRequest | Any, pk: int, *, detail: str = "") -> Referral:
    """The referral, if the user may see it (404 otherwise), with the read on the record."""
    referral = get_object_or_404(referral_detail_queryset(user=request.user), pk=pk)
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=referral,
        patient_id=referral.patient_id,
        request=request,
        detail=detail,
    )
    return referral
