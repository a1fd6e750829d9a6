"""The expiry sweep: held slots past their deadline go back to their channel, once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation, AllocationEvent
from allocations.services import allocations_expire_due
from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from quotas.models import Channel
from tests.support.api import api, body, snapshot
from tests.support.applications import channel_slots_set, make_application, past

pytestmark = pytest.mark.django_db


def held(application) -> Allocation:
    return Allocation.objects.get(application=application, state__in=LIVE_ALLOCATION_STATES)


def due(application, **fields) -> Allocation:
    """Put the application's live slot past its deadline."""
    allocation = held(application)
    Allocation.objects.filter(pk=allocation.pk).update(held_until=past(), **fields)
    return allocation


def live_in(channel: Channel) -> int:
    return Allocation.objects.filter(channel=channel, state__in=LIVE_ALLOCATION_STATES).count()


def test_expiry_sweep_expires_due_slot_returns_it_and_lapses_application(world):
    w = world
    expiring = make_application(w, status=ApplicationStatus.APPROVED)
    keeping = make_application(w, status=ApplicationStatus.APPROVED)
    allocation = due(expiring)
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 2

    assert allocations_expire_due() == 1

    allocation.refresh_from_db()
    assert allocation.state == AllocationState.EXPIRED
    event = allocation.events.last()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        "held",
        "expired",
        "deadline",
        None,
    )
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 1 == live_in(w.embassy_channel)
    expiring.refresh_from_db()
    assert expiring.status == ApplicationStatus.LAPSED
    assert expiring.decision_reason == "deadline"
    lapse = ApplicationEvent.objects.filter(application=expiring).last()
    assert (lapse.from_state, lapse.to_state, lapse.actor, lapse.reason) == (
        "approved",
        "lapsed",
        None,
        "deadline",
    )
    assert lapse.comment
    keeping.refresh_from_db()
    assert keeping.status == ApplicationStatus.APPROVED
    assert held(keeping).state == AllocationState.HELD


def test_expiry_sweep_deadline_exactly_now_expires(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    allocation = held(application)

    assert allocations_expire_due(now=allocation.held_until - datetime.timedelta(seconds=1)) == 0
    assert allocations_expire_due(now=allocation.held_until) == 1


def test_expiry_sweep_confirmed_slot_past_deadline_expires(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    allocation = due(application, state=AllocationState.CONFIRMED)

    assert allocations_expire_due() == 1

    allocation.refresh_from_db()
    assert allocation.state == AllocationState.EXPIRED
    assert allocation.events.last().from_state == "confirmed"
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 0


def test_expiry_sweep_used_slot_never_expires(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    due(application, state=AllocationState.USED)
    before = snapshot()

    assert allocations_expire_due() == 0

    assert snapshot() == before


def test_expiry_sweep_promotes_waitlist(world):
    w = world
    channel_slots_set(w.embassy_channel, 1)
    expiring = make_application(w, status=ApplicationStatus.APPROVED)
    waiting = make_application(w, status=ApplicationStatus.IN_REVIEW)
    approved = api(w.embassy_officer).post(f"/api/v1/applications/{waiting.pk}/approve/")
    assert approved.json()["status"] == "waitlisted", body(approved)
    due(expiring)

    assert allocations_expire_due() == 1

    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.APPROVED
    promotion = ApplicationEvent.objects.filter(application=waiting).last()
    assert (promotion.actor, promotion.reason) == (None, "waitlist_promotion")
    new_slot = held(waiting)
    assert new_slot.state == AllocationState.HELD
    assert new_slot.held_until > timezone.now() + datetime.timedelta(days=w.pool.hold_days - 1)
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 1 == live_in(w.embassy_channel)


def _state() -> dict:
    return {
        **snapshot(),
        "application_events": ApplicationEvent.objects.count(),
        "allocation_events": AllocationEvent.objects.count(),
        "live": sorted(
            (c.pk, c.live_allocations, live_in(c)) for c in Channel.objects.order_by("pk")
        ),
    }


def test_expiry_sweep_second_run_changes_nothing(world):
    w = world
    channel_slots_set(w.ministry_channel, 2)
    for channel in (w.embassy_channel, w.ministry_channel):
        for _ in range(2):
            due(make_application(w, channel=channel, status=ApplicationStatus.APPROVED))
    make_application(w, channel=w.ministry_channel, status=ApplicationStatus.WAITLISTED)
    make_application(w, status=ApplicationStatus.APPROVED)  # not due

    assert allocations_expire_due() == 4
    after_first = _state()
    assert allocations_expire_due() == 0

    assert _state() == after_first
    for channel in (w.embassy_channel, w.ministry_channel):
        channel.refresh_from_db()
        assert channel.live_allocations == live_in(channel)
    # The ministry's waiting application took one of the two returned slots.
    assert {c: live for c, live, _ in after_first["live"]}[w.ministry_channel.pk] == 1


def test_expiry_sweep_in_batches_finishes_everything_once(world):
    w = world
    for _ in range(5):
        due(make_application(w, status=ApplicationStatus.APPROVED))

    runs = [allocations_expire_due(batch_size=2) for _ in range(4)]

    assert runs == [2, 2, 1, 0]
    assert Allocation.objects.filter(state=AllocationState.EXPIRED).count() == 5
    assert AllocationEvent.objects.filter(to_state="expired").count() == 5
    assert ApplicationEvent.objects.filter(to_state="lapsed").count() == 5
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 0


def test_expiry_sweep_nothing_due_writes_nothing(world):
    w = world
    make_application(w, status=ApplicationStatus.APPROVED)
    before = _state()

    assert allocations_expire_due() == 0

    assert _state() == before


def test_expiry_sweep_lapsed_application_reviewed_and_approved_again(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    old = due(application)
    allocations_expire_due()
    embassy = api(w.embassy_officer)

    review = embassy.post(f"/api/v1/applications/{application.pk}/start-review/")
    assert review.status_code == 200, body(review)
    assert review.json()["status"] == "in_review"
    approved = embassy.post(f"/api/v1/applications/{application.pk}/approve/")

    assert approved.status_code == 200, body(approved)
    assert approved.json()["status"] == "approved"
    assert approved.json()["allocation"]["id"] != old.pk
    old.refresh_from_db()
    assert old.state == AllocationState.EXPIRED
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 1 == live_in(w.embassy_channel)
    assert [
        (e.from_state, e.to_state)
        for e in ApplicationEvent.objects.filter(application=application).order_by("id")
    ][-3:] == [("approved", "lapsed"), ("lapsed", "in_review"), ("in_review", "approved")]


def test_expiry_sweep_lapsed_application_reapproved_on_full_channel_waits(world):
    w = world
    channel_slots_set(w.embassy_channel, 1)
    application = make_application(w, status=ApplicationStatus.APPROVED)
    due(application)
    allocations_expire_due()
    make_application(w, status=ApplicationStatus.APPROVED)  # takes the returned slot
    embassy = api(w.embassy_officer)

    embassy.post(f"/api/v1/applications/{application.pk}/start-review/")
    again = embassy.post(f"/api/v1/applications/{application.pk}/approve/")

    assert again.status_code == 200, body(again)
    assert again.json()["status"] == "waitlisted"
    assert again.json()["waitlist_position"] == 1


def test_expiry_sweep_lapsed_application_can_be_withdrawn(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    due(application)
    allocations_expire_due()

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/withdraw/",
        {"reason": "treated_elsewhere"},
        format="json",
    )

    assert response.status_code == 200, body(response)
    assert response.json()["status"] == "withdrawn"
