"""Applications (and their patients and channels) written straight into a given state."""

from __future__ import annotations

import datetime

from django.utils import timezone

from applications import services as applications
from applications.choices import ApplicationStatus
from applications.models import Application
from patients.models import Patient
from quotas.models import Channel
from tests.support.factories import ApplicationFactory, PatientFactory


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
