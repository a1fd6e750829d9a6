"""One place that turns service errors into HTTP answers.

- ``DomainError`` (a refused action) -> 409 with ``code`` and ``detail``;
- ``PermissionDeniedError`` (visible, but not yours to act on) -> 403 likewise;
- Django ``ValidationError`` raised by a service -> 400 naming the fields;
- a lock wait that timed out -> 409 ``busy``, so clients can retry;
- a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` -> 413, whichever reader noticed it.
"""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.utils import OperationalError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.api.parsers import RequestBodyTooLarge, body_too_large_message
from common.exceptions import DomainError, PermissionDeniedError


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = getattr(exc, "__cause__", None)
    return getattr(cause, "pgcode", None) == "55P03"  # lock_not_available


def validation_error_detail(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else "non_field_errors"): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        answer = (
            status.HTTP_403_FORBIDDEN
            if isinstance(exc, PermissionDeniedError)
            else status.HTTP_409_CONFLICT
        )
        return Response({"code": exc.code, "detail": exc.message}, status=answer)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": RequestBodyTooLarge.default_code, "detail": body_too_large_message()},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, OperationalError) and _is_lock_timeout(exc):
        return Response(
            {"code": "busy", "detail": _("The record is being changed by someone else; retry.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
