"""Writing the audit log of patient data. Reads are recorded as well as changes."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from audit.models import AccessAction, AccessRecord


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_record(
    *,
    user: User | AnonymousUser | None,
    action: str,
    obj: object,
    patient_id: int | None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> None:
    AccessRecord.objects.create(
        user_id=getattr(user, "pk", None),
        action=action,
        object_type=obj.__class__.__name__.lower(),
        object_id=str(getattr(obj, "pk", "")),
        patient_id=patient_id,
        detail=detail[:300],
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip_address=_client_ip(request),
    )


def access_record_list(
    *,
    user: User | AnonymousUser | None,
    objects: Iterable[object],
    patient_ids: Iterable[int | None],
    request: HttpRequest | None = None,
) -> None:
    """Record that a list showed these objects: one row each, in one INSERT."""
    ip = _client_ip(request)
    path = request.get_full_path()[:500] if request is not None else ""
    AccessRecord.objects.bulk_create(
        AccessRecord(
            user_id=getattr(user, "pk", None),
            action=AccessAction.LIST,
            object_type=obj.__class__.__name__.lower(),
            object_id=str(getattr(obj, "pk", "")),
            patient_id=patient_id,
            path=path,
            ip_address=ip,
        )
        for obj, patient_id in zip(objects, patient_ids, strict=True)
    )
