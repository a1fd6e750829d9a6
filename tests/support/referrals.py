"""Referrals taken to any status through the services, and their API requests.

Shared by the referral tests (tests/referrals) in the KG-TR world of ``world``,
made ready with ``referral_world``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES
from allocations.models import Allocation, AllocationEvent
from applications.choices import ApplicationStatus
from applications.models import Application
from audit.models import AccessAction, AccessRecord
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import Institution, InstitutionSpecialty
from patients.models import Patient
from quotas.models import Channel
from referrals import services
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralDocument, ReferralEvent
from tests.support.api import api
from tests.support.applications import make_application, make_patient
from tests.support.factories import InstitutionFactory
from tests.support.world import member

R = ReferralStatus


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def referral_world(w: Any) -> Any:
    """The KG-TR world, ready for referrals.

    Two eligible Turkish clinics offering oncology, each with a coordinator; a
    ministry of a country not party to the agreement, with an officer.
    """
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=w.oncology)
    w.second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    InstitutionSpecialty.objects.create(institution=w.second, specialty=w.oncology)
    w.pool.eligible_institutions.add(w.second)
    w.second_coordinator = member(w.second, MembershipRole.CLINIC_COORDINATOR)
    w.kz_ministry = InstitutionFactory(
        name="Ministry of Healthcare of Kazakhstan",
        kind=InstitutionKind.MINISTRY_OF_HEALTH,
        country="KZ",
        city="Astana",
    )
    w.kz_officer = member(w.kz_ministry, MembershipRole.MINISTRY_OFFICER)
    return w


def coordinator_of(w: Any, clinic: Institution) -> Any:
    return {w.hospital.pk: w.clinic_coordinator, w.second.pk: w.second_coordinator}[clinic.pk]


def approved(w: Any, **kwargs: Any) -> Application:
    return make_application(w, status=ApplicationStatus.APPROVED, **kwargs)


def send(
    w: Any, application: Application, clinic: Institution | None = None, actor: Any = None
) -> Referral:
    return services.referral_send(
        actor=actor or w.ministry_officer,
        application_id=application.pk,
        receiving_institution=clinic or w.hospital,
        covering_letter="Please admit for surgery.",
    )


def send_without_quota(
    w: Any,
    *,
    funding_source: str = "self_pay",
    patient: Patient | None = None,
    clinic: Institution | None = None,
) -> Referral:
    return services.referral_send_without_quota(
        actor=w.ministry_officer,
        sender=w.ministry,
        patient=patient or make_patient(w),
        receiving_institution=clinic or w.hospital,
        funding_source=funding_source,
        specialty=w.oncology,
        diagnosis_code="C50.9",
        diagnosis_text="Malignant neoplasm of breast",
        medical_summary="Stage II, surgery indicated.",
        covering_letter="Self-paying patient, please admit.",
    )


def advance(w: Any, referral: Referral, status: str) -> Referral:
    """Take a freshly sent referral to ``status`` through the services."""
    clinic = coordinator_of(w, referral.receiving_institution)
    pk = referral.pk
    if status == R.INFO_REQUESTED:
        services.referral_request_info(actor=clinic, referral_id=pk, comment="Latest CT, please.")
    elif status == R.DECLINED:
        services.referral_decline(actor=clinic, referral_id=pk, reason="no_capacity")
    elif status == R.CANCELLED:
        services.referral_cancel(actor=w.ministry_officer, referral_id=pk, comment="Not fit.")
    elif status in (R.ACCEPTED, R.ADMITTED, R.DISCHARGED, R.NO_SHOW):
        services.referral_accept(
            actor=clinic,
            referral_id=pk,
            admission_date=days(10),
            department="Oncology",
            contact_person="Dr. Demir",
        )
        if status in (R.ADMITTED, R.DISCHARGED):
            services.referral_admit(actor=clinic, referral_id=pk, admitted_on=today())
        if status == R.DISCHARGED:
            services.referral_discharge(
                actor=clinic,
                referral_id=pk,
                discharged_on=today(),
                outcome="treated",
                discharge_summary="Lumpectomy, uneventful recovery.",
            )
        if status == R.NO_SHOW:
            services.referral_no_show(actor=clinic, referral_id=pk)
    referral.refresh_from_db()
    assert referral.status == status
    return referral


def referral_in(w: Any, status: str, *, quota: bool = True, **kwargs: Any) -> Referral:
    referral = send(w, approved(w), **kwargs) if quota else send_without_quota(w, **kwargs)
    return advance(w, referral, status)


def live_in(channel: Channel) -> int:
    return Allocation.objects.filter(channel=channel, state__in=LIVE_ALLOCATION_STATES).count()


def snapshot() -> dict[str, Any]:
    """Everything a refused referral request must leave as it was."""
    return {
        "referrals": sorted(
            Referral.objects.values_list(
                "pk",
                "status",
                "admission_date",
                "admitted_on",
                "discharged_on",
                "outcome",
                "decline_reason",
                "discharge_summary",
            )
        ),
        "referral_events": ReferralEvent.objects.count(),
        "referral_documents": ReferralDocument.objects.count(),
        "applications": sorted(Application.objects.values_list("pk", "status")),
        "allocations": sorted(Allocation.objects.values_list("pk", "state", "held_until")),
        "allocation_events": AllocationEvent.objects.count(),
        "channels": sorted(Channel.objects.values_list("pk", "slots", "live_allocations")),
        "transitions_audited": AccessRecord.objects.filter(action=AccessAction.TRANSITION).count(),
    }


def url(referral: Referral | int, action: str | None = None) -> str:
    pk = referral if isinstance(referral, int) else referral.pk
    base = f"/api/v1/referrals/{pk}/"
    return base if action is None else f"{base}{action.replace('_', '-')}/"


def action_body(action: str) -> dict[str, Any]:
    """A valid body for each action (dates relative to today)."""
    return {
        "accept": lambda: {
            "admission_date": days(10).isoformat(),
            "department": "Oncology",
            "contact_person": "Dr. Ayşe Yılmaz",
        },
        "decline": lambda: {"reason": "no_capacity"},
        "reschedule": lambda: {"admission_date": days(14).isoformat(), "reason": "medical"},
        "request_info": lambda: {"comment": "Send the latest CT, please."},
        "answer": lambda: {"comment": "CT of 12 May attached."},
        "admit": lambda: {"admitted_on": today().isoformat()},
        "discharge": lambda: {
            "discharged_on": today().isoformat(),
            "outcome": "treated",
            "discharge_summary": "Lumpectomy, uneventful recovery.",
        },
        "no_show": lambda: {},
        "cancel": lambda: {"comment": "The patient is not fit to travel."},
    }[action]()


def post_action(user: Any, referral: Referral, action: str, data: dict | None = None) -> Any:
    payload = action_body(action) if data is None else data
    return api(user).post(url(referral, action), payload, format="json")
