import io

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from rest_framework.request import Request

from audit.models import AccessAction
from audit.services import access_record
from patients.documents import DocumentIntegrityError, document_read
from patients.models import MedicalDocument


def document_response(
    request: HttpRequest | Request,
    document: MedicalDocument,
    *,
    patient_id: int,
    as_attachment: bool = False,
) -> FileResponse:
    """The decrypted file, with its download written to the audit log.

    A file that is missing or fails its integrity check is refused as not found
    (the refusal is logged by ``document_read``); its stored bytes are never sent.
    """
    try:
        content = document_read(document)
    except DocumentIntegrityError as error:
        raise Http404(_("This document cannot be read.")) from error
    access_record(
        user=request.user,
        action=AccessAction.DOWNLOAD,
        obj=document,
        patient_id=patient_id,
        request=request,
    )
    return FileResponse(
        io.BytesIO(content),
        as_attachment=as_attachment,
        filename=document.original_name,
        content_type=document.content_type,
    )
