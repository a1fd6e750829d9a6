from django.http import FileResponse, HttpRequest
from rest_framework.request import Request

from audit.models import AccessAction
from audit.services import access_record
from patients.models import MedicalDocument


def document_response(
    request: HttpRequest | Request,
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
