"""API clients and request bodies for the workflow tests, and what a refusal must leave alone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from allocations.models import Allocation, AllocationEvent
from applications.models import Application, ApplicationDocument, ApplicationEvent
from audit.models import AccessRecord
from patients.models import Patient
from quotas.models import Channel, ChannelChange, QuotaPool

PATIENT_DATA = {
    "name_native": "Асанова Гулназ",
    "name_latin": "ASANOVA GULNAZ",
    "birth_date": "1979-02-11",
    "sex": "female",
    "citizenship": "KG",
    "document_type": "passport",
    "document_number": "AC 1234567",
    "document_country": "KG",
}


def api(user=None) -> APIClient:
    """An API client acting as ``user`` (a fresh copy: no per-request caches carried over)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


def body(response) -> Any:
    """The JSON answer, or a description of a non-JSON one (for assertion messages)."""
    try:
        return response.json()
    except Exception:
        return f"<{response.status_code} {response.get('Content-Type')}>"


def snapshot() -> dict[str, Any]:
    """Everything a refused request must leave as it was."""
    return {
        "applications": Application.objects.count(),
        "statuses": sorted(Application.objects.values_list("pk", "status")),
        "events": ApplicationEvent.objects.count(),
        "allocations": Allocation.objects.count(),
        "allocation_states": sorted(Allocation.objects.values_list("pk", "state")),
        "allocation_events": AllocationEvent.objects.count(),
        "channels": sorted(Channel.objects.values_list("pk", "slots", "live_allocations")),
        "channel_changes": ChannelChange.objects.count(),
        "patients": Patient.objects.count(),
        "documents": ApplicationDocument.objects.count(),
        "pool_seq": sorted(QuotaPool.objects.values_list("pk", "application_seq")),
    }


def approve(w, application, user=None):
    """Approve ``application`` through the API, as the embassy officer unless ``user``."""
    response = api(user or w.embassy_officer).post(
        f"/api/v1/applications/{application.pk}/approve/"
    )
    assert response.status_code == 200, body(response)
    return response.json()


def status_of(application) -> str:
    application.refresh_from_db()
    return application.status


def access_count() -> int:
    return AccessRecord.objects.count()


def application_payload(w, patient: Patient | int, channel: Any = None, **overrides) -> dict:
    """A valid application body; ``channel`` may be a Channel or a raw (bad) value."""
    if channel is None:
        channel = w.embassy_channel
    payload = {
        "channel": channel.pk if isinstance(channel, Channel) else channel,
        "patient": patient if isinstance(patient, int) else patient.pk,
        "specialty": "oncology",
        "diagnosis_code": "C50.9",
        "diagnosis_text": "Malignant neoplasm of breast",
        "medical_summary": "Stage II, surgery indicated.",
        "urgency": "routine",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not _MISSING}


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


_MISSING = _Missing()
MISSING: Any = _MISSING
