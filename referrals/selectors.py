"""Reads of patients, applications and allocations, always scoped to the user.

An application is visible to members of its channel's issuing institution, to
officers of a ministry of the sending country party to the pool's agreement,
and to network coordinators of the body coordinating that agreement.
Administrators see everything. A patient is visible with their applications,
and to the institution that registered them.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from institutions.choices import SENDING_KINDS, MembershipRole
from institutions.models import Institution
from institutions.selectors import (
    AnyUser,
    network_institution_ids,
    user_institution_ids,
    user_sees_everything,
)
from quotas.choices import LIVE_ALLOCATION_STATES
from quotas.models import Allocation, Channel
from quotas.selectors import with_channel_counts

from .choices import ApplicationStatus, ReferralStatus
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
from .services.allocations import WAITLIST_ORDER, urgency_rank


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


# --- Worklists: the reviewer's queue and the clinic's admissions calendar ----------

# What a reviewer still has to decide (see transitions.py): submitted and lapsed
# applications are taken into review, those in review are approved, rejected or sent
# back. Those sent back (needs_info) wait for the sender, but stay in the queue so the
# reviewer sees every open case of the channel in one place.
REVIEW_QUEUE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.NEEDS_INFO,
    ApplicationStatus.LAPSED,
)

# A clinic's calendar: patients it has accepted for a date, and those it has admitted.
ADMISSION_CALENDAR_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.ADMITTED)


def reviewable_channel_list(*, user: AnyUser) -> QuerySet[Channel]:
    """Channels whose applications the user reviews, as ``can_review_on_channel`` decides.

    Officers review the channels their institutions issue; administrators review none.
    Annotated with ``used_slots`` and ``free_slots``.
    """
    return with_channel_counts(
        Channel.objects.filter(issuing_institution__in=officer_institution_ids(user))
        .select_related("pool", "issuing_institution")
        .order_by("pool__code", "issuing_institution__name", "pk")
    )


def _reviewable_applications(user: AnyUser) -> QuerySet[Application]:
    # Members of a channel's issuing institution see all its applications (see
    # _application_visibility), so the channel is the whole scope: no further
    # condition takes applications out of a waiting list before it is numbered.
    return Application.objects.filter(
        channel__issuing_institution__in=officer_institution_ids(user)
    ).select_related("patient", "specialty", "channel__pool", "channel__issuing_institution")


def review_queue(*, user: AnyUser) -> QuerySet[Application]:
    """Applications on the user's channels awaiting review: most urgent, then longest waiting.

    Annotated with ``urgency_rank``, ``waiting_since`` (when submitted) and
    ``document_count``.
    """
    documents = (
        ApplicationDocument.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        _reviewable_applications(user)
        .filter(status__in=REVIEW_QUEUE_STATUSES)
        .annotate(
            urgency_rank=urgency_rank(),
            # Rows written before submitted_at was kept have waited at least since creation.
            waiting_since=Coalesce("submitted_at", "created_at"),
            document_count=Coalesce(Subquery(documents, output_field=IntegerField()), 0),
        )
        .order_by("urgency_rank", "waiting_since", "pk")
    )


def review_waitlist(*, user: AnyUser) -> QuerySet[Application]:
    """The waiting lists of the user's channels, channel by channel, each in serving order.

    ``waitlist_position`` is 1 for the application the channel's next free slot goes
    to, counted in the order ``waitlist_promote`` serves (``WAITLIST_ORDER``), so it
    equals ``waitlist_position()`` for every row. Narrow the rows by channel only:
    SQL applies any other condition before the window numbers the rows, and the
    positions would skip the applications it left out.
    """
    return (
        _reviewable_applications(user)
        .filter(status=ApplicationStatus.WAITLISTED)
        .annotate(urgency_rank=urgency_rank())
        .annotate(
            waitlist_position=Window(
                RowNumber(), partition_by=[F("channel_id")], order_by=list(WAITLIST_ORDER)
            )
        )
        .order_by(
            "channel__pool__code",
            "channel__issuing_institution__name",
            "channel_id",
            "waitlist_position",
        )
    )


def clinic_referral_list(*, user: AnyUser) -> QuerySet[Referral]:
    """Referrals addressed to the clinics the user coordinates.

    Narrower than ``referral_list``: not those the user's institutions sent or oversee.
    """
    clinics = user_institution_ids(user, roles=[MembershipRole.CLINIC_COORDINATOR])
    return referral_list(user=user).filter(receiving_institution__in=clinics)


def admission_calendar(
    *, user: AnyUser, first: datetime.date, last: datetime.date
) -> QuerySet[Referral]:
    """The user's clinics' accepted and admitted referrals with an admission date in the range.

    By admission date, then most urgent first.
    """
    return (
        clinic_referral_list(user=user)
        .filter(status__in=ADMISSION_CALENDAR_STATUSES, admission_date__range=(first, last))
        .annotate(urgency_rank=urgency_rank())
        .order_by("admission_date", "urgency_rank", "number")
    )
