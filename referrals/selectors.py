"""Reads of patients, applications and allocations, always scoped to the user.

An application is visible to members of its channel's issuing institution, to
officers of a ministry of the sending country party to the pool's agreement,
and to network coordinators of the body coordinating that agreement.
Administrators see everything. A patient is visible with their applications,
and to the institution that registered them.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from institutions.choices import SENDING_KINDS
from institutions.models import Institution
from institutions.selectors import (
    AnyUser,
    network_institution_ids,
    user_institution_ids,
    user_sees_everything,
)
from quotas.choices import LIVE_ALLOCATION_STATES
from quotas.models import Allocation

from .models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Patient,
    PatientRegistration,
    Referral,
    ReferralDocument,
    ReferralEvent,
)
from .permissions import officer_institution_ids


def _application_visibility(user: AnyUser) -> Q:
    visible = Q(channel__issuing_institution__in=user_institution_ids(user))
    for ministry_id, country in Institution.objects.filter(
        pk__in=officer_institution_ids(user), kind__in=SENDING_KINDS
    ).values_list("pk", "country"):
        visible |= Q(
            pool__sending_country=country,
            pool__agreement__in=Institution.agreements.through.objects.filter(
                institution_id=ministry_id
            ).values("agreement_id"),
        )
    networks = network_institution_ids(user)
    if networks:
        visible |= Q(pool__agreement__coordinator__in=networks)
    return visible


def application_scope(*, user: AnyUser) -> QuerySet[Application]:
    """The applications the user may see, with nothing joined: for lookups before an action."""
    applications = Application.objects.all()
    if user_sees_everything(user):
        return applications
    if not user.is_authenticated:
        return Application.objects.none()
    return applications.filter(_application_visibility(user))


def application_list(*, user: AnyUser) -> QuerySet[Application]:
    return (
        application_scope(user=user)
        .select_related(
            "pool", "channel__issuing_institution", "patient", "specialty", "preferred_host"
        )
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.filter(state__in=LIVE_ALLOCATION_STATES),
                to_attr="live_allocations",
            )
        )
    )


def application_detail_queryset(*, user: AnyUser) -> QuerySet[Application]:
    return application_list(user=user).prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
        Prefetch("documents", queryset=ApplicationDocument.objects.select_related("uploaded_by")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.prefetch_related("events").order_by("-created_at"),
            to_attr="all_allocations",
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("receiving_institution").order_by(
                "created_at"
            ),
        ),
    )


def patient_list(*, user: AnyUser) -> QuerySet[Patient]:
    patients = Patient.objects.all()
    if user_sees_everything(user):
        return patients
    if not user.is_authenticated:
        return Patient.objects.none()
    return patients.filter(
        Q(
            pk__in=PatientRegistration.objects.filter(
                institution__in=user_institution_ids(user)
            ).values("patient_id")
        )
        | Q(pk__in=application_list(user=user).values("patient_id"))
    )


def allocation_list(*, user: AnyUser) -> QuerySet[Allocation]:
    allocations = Allocation.objects.all()
    if not user_sees_everything(user):
        if not user.is_authenticated:
            return Allocation.objects.none()
        allocations = allocations.filter(
            application__in=Application.objects.filter(_application_visibility(user))
        )
    return allocations.select_related(
        "channel__issuing_institution", "channel__pool", "application__patient"
    )


def referral_list(*, user: AnyUser) -> QuerySet[Referral]:
    """Referrals the user may see.

    A clinic sees only those addressed to it; the referring side sees those of
    applications it may see, and those its institutions sent without a quota.
    """
    referrals = Referral.objects.all()
    if not user_sees_everything(user):
        if not user.is_authenticated:
            return Referral.objects.none()
        institutions = user_institution_ids(user)
        referrals = referrals.filter(
            Q(receiving_institution__in=institutions)
            | Q(sender__in=officer_institution_ids(user))
            | Q(application__in=Application.objects.filter(_application_visibility(user)))
            | Q(agreement__coordinator__in=network_institution_ids(user))
        )
    return referrals.select_related(
        "patient", "specialty", "receiving_institution", "sender", "allocation"
    )


def referral_detail_queryset(*, user: AnyUser) -> QuerySet[Referral]:
    return referral_list(user=user).prefetch_related(
        Prefetch("events", queryset=ReferralEvent.objects.select_related("actor")),
        "shared_documents",
        Prefetch("documents", queryset=ReferralDocument.objects.select_related("uploaded_by")),
    )


def referral_is_clinic_view(*, user: AnyUser, referral: Referral) -> bool:
    """True when the user sees the referral only as its receiving clinic."""
    if user_sees_everything(user):
        return False
    return referral.receiving_institution_id in user_institution_ids(user) and not (
        referral.sender_id in officer_institution_ids(user)
        or (
            referral.application_id is not None
            and Application.objects.filter(
                _application_visibility(user), pk=referral.application_id
            ).exists()
        )
    )
