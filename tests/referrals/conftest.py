"""Fixtures and helpers for the applications workflow tests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from allocations.models import Allocation, AllocationEvent
from applications import services as applications
from applications.choices import ApplicationStatus
from applications.models import Application, ApplicationDocument, ApplicationEvent
from audit.models import AccessRecord
from patients.models import Patient
from quotas.models import Channel, ChannelChange, QuotaPool
from tests.factories import ApplicationFactory, PatientFactory

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


def access_count() -> int:
    return AccessRecord.objects.count()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users are made by the dozen here; nobody logs in with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_patient(w, **kwargs) -> Patient:
    kwargs.setdefault("registered_by", w.ministry)
    return PatientFactory(**kwargs)


def make_application(
    w, *, channel: Channel | None = None, status: str = ApplicationStatus.IN_REVIEW, **kwargs
) -> Application:
    """An application written straight in ``status`` (approved ones hold a real slot)."""
    channel = channel or w.embassy_channel
    kwargs.setdefault("patient", make_patient(w))
    kwargs.setdefault("specialty", w.oncology)
    if status == ApplicationStatus.APPROVED:
        application = ApplicationFactory(
            channel=channel, status=ApplicationStatus.IN_REVIEW, **kwargs
        )
        reviewer = reviewer_of(w, channel)
        outcome = applications.application_approve(actor=reviewer, application_id=application.pk)
        assert outcome.allocation is not None, "the channel has no free slot"
        application.refresh_from_db()
        return application
    if status == ApplicationStatus.WAITLISTED:
        kwargs.setdefault("waitlisted_at", timezone.now())
    return ApplicationFactory(channel=channel, status=status, **kwargs)


def reviewer_of(w, channel: Channel):
    return {
        w.embassy.pk: w.embassy_officer,
        w.ministry.pk: w.ministry_officer,
    }[channel.issuing_institution_id]


def channel_slots_set(channel: Channel, slots: int) -> Channel:
    """Resize a channel directly (the database still checks live <= slots)."""
    Channel.objects.filter(pk=channel.pk).update(slots=slots)
    channel.refresh_from_db()
    return channel


def past(minutes: int = 1) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


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
