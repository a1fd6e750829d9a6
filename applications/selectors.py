from __future__ import annotations

from collections.abc import Collection

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from allocations.choices import LIVE_ALLOCATION_STATES
from allocations.models import Allocation
from applications import access
from applications.choices import LIVE_APPLICATION_STATUSES, ApplicationStatus
from applications.models import Application, ApplicationDocument, ApplicationEvent
from applications.waitlist import WAITLIST_ORDER, urgency_rank
from common.types import AnyUser
from quotas import access as quota_access
from quotas.models import Channel
from quotas.selectors import with_channel_counts


def application_scope(*, user: AnyUser) -> QuerySet[Application]:
    """The applications the user may see, with nothing joined: for lookups before an action."""
    return Application.objects.restrict(user)


def pool_holders(
    *, patient_ids: Collection[int], pool_ids: Collection[int]
) -> dict[int, list[Application]]:
    """Per patient, their applications that keep them from applying again in these pools.

    Not scoped to the user on purpose: the rule is one live application per patient
    and pool whichever channel it came through, so a sender must learn of one on a
    channel they cannot see (its number, pool and status: what a refusal says anyway).
    """
    holders: dict[int, list[Application]] = {}
    found = Application.objects.filter(
        patient_id__in=patient_ids, pool_id__in=pool_ids, status__in=LIVE_APPLICATION_STATUSES
    ).select_related("pool")
    for application in found.order_by("pool__code", "pk"):
        holders.setdefault(application.patient_id, []).append(application)
    return holders


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
    )


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


def reviewable_channel_list(*, user: AnyUser) -> QuerySet[Channel]:
    """Channels whose applications the user reviews (``quotas.access``, *review*).

    Officers review the channels their institutions issue; administrators review none.
    Annotated with ``used_slots`` and ``free_slots``.
    """
    return with_channel_counts(
        Channel.objects.restrict(user, quota_access.REVIEW)
        .select_related("pool", "issuing_institution")
        .order_by("pool__code", "issuing_institution__name", "pk")
    )


def _reviewable_applications(user: AnyUser) -> QuerySet[Application]:
    # Members of a channel's issuing institution see all its applications, so the
    # channel is the whole scope: no further condition takes applications out of a
    # waiting list before it is numbered.
    return Application.objects.restrict(user, access.REVIEW).select_related(
        "patient", "specialty", "channel__pool", "channel__issuing_institution"
    )


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
