"""Allocations and channels through the API: releasing a slot, the waiting list it
serves, and moving unused slots between the channels of one pool."""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from allocations import services as allocations
from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation
from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from common.exceptions import DomainError
from institutions.models import InstitutionSpecialty
from quotas import services as quota_services
from quotas.choices import ChannelChangeKind
from quotas.models import Channel, ChannelChange
from referrals.services import referral_accept, referral_send
from tests.factories import ChannelFactory, InstitutionFactory, QuotaPoolFactory
from tests.referrals.conftest import (
    MISSING,
    api,
    body,
    channel_slots_set,
    make_application,
    snapshot,
)

pytestmark = pytest.mark.django_db


def release_url(allocation: Allocation) -> str:
    return f"/api/v1/allocations/{allocation.pk}/release/"


def transfer_url(channel: Channel) -> str:
    return f"/api/v1/channels/{channel.pk}/transfer/"


def approve(w, application, user=None):
    response = api(user or w.embassy_officer).post(
        f"/api/v1/applications/{application.pk}/approve/"
    )
    assert response.status_code == 200, body(response)
    return response.json()


def status_of(application) -> str:
    application.refresh_from_db()
    return application.status


# --- Listing -----------------------------------------------------------------------


def test_allocation_list_scoped_by_channel_visibility(world):
    w = world
    on_embassy = Allocation.objects.get(application=make_application(w, status="approved"))
    on_ministry = Allocation.objects.get(
        application=make_application(w, channel=w.ministry_channel, status="approved")
    )

    def ids(user) -> set[int]:
        response = api(user).get("/api/v1/allocations/")
        assert response.status_code == 200, body(response)
        return {a["id"] for a in response.json()["results"]}

    assert ids(w.ministry_officer) == {on_embassy.pk, on_ministry.pk}
    assert ids(w.embassy_officer) == {on_embassy.pk}
    assert ids(w.clinic_coordinator) == set()
    assert ids(w.outsider) == set()
    assert api().get("/api/v1/allocations/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=lost", "state"),
        ("held_until_before=soon", "held_until_before"),
        ("channel=x", "channel"),
    ],
)
def test_allocation_list_bad_filter_refused_naming_field(world, query, field):
    response = api(world.ministry_officer).get(f"/api/v1/allocations/?{query}")
    assert response.status_code == 400, body(response)
    assert field in response.json()


# --- Releasing ----------------------------------------------------------------------


def test_allocation_release_returns_slot_and_records(world):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    allocation = Allocation.objects.get(application=application)

    response = api(w.embassy_officer).post(
        release_url(allocation),
        {"reason": "not_fit_to_travel", "comment": "Infection."},
        format="json",
    )

    assert response.status_code == 200, body(response)
    assert response.json()["state"] == "released"
    allocation.refresh_from_db()
    assert allocation.state == AllocationState.RELEASED
    event = allocation.events.last()
    assert (event.from_state, event.to_state, event.reason, event.comment, event.actor) == (
        "held",
        "released",
        "not_fit_to_travel",
        "Infection.",
        w.embassy_officer,
    )
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 0
    assert status_of(application) == ApplicationStatus.LAPSED
    lapse = ApplicationEvent.objects.filter(application=application).last()
    assert (lapse.from_state, lapse.to_state, lapse.actor, lapse.reason) == (
        "approved",
        "lapsed",
        w.embassy_officer,
        "not_fit_to_travel",
    )


def test_allocation_release_promotes_waitlist_by_urgency_then_waiting_time(world):
    w = world
    channel_slots_set(w.embassy_channel, 1)
    held = make_application(w, status=ApplicationStatus.IN_REVIEW)
    approve(w, held)
    # Approved in this order, so waiting in this order.
    routine_early = make_application(w, urgency="routine")
    urgent = make_application(w, urgency="urgent")
    emergency_early = make_application(w, urgency="emergency")
    routine_late = make_application(w, urgency="routine")
    emergency_late = make_application(w, urgency="emergency")
    queue = [routine_early, urgent, emergency_early, routine_late, emergency_late]
    for application in queue:
        assert approve(w, application)["status"] == "waitlisted"
    expected_order = [emergency_early, emergency_late, urgent, routine_early, routine_late]
    positions = {
        a.pk: api(w.embassy_officer)
        .get(f"/api/v1/applications/{a.pk}/")
        .json()["waitlist_position"]
        for a in queue
    }
    assert [positions[a.pk] for a in expected_order] == [1, 2, 3, 4, 5]

    current = held
    for promoted in expected_order:
        allocation = Allocation.objects.get(application=current, state=AllocationState.HELD)
        released = api(w.embassy_officer).post(
            release_url(allocation), {"reason": "patient_declined"}, format="json"
        )
        assert released.status_code == 200, body(released)
        assert status_of(promoted) == ApplicationStatus.APPROVED
        event = ApplicationEvent.objects.filter(application=promoted).last()
        assert (event.from_state, event.to_state, event.actor, event.reason) == (
            "waitlisted",
            "approved",
            None,
            "waitlist_promotion",
        )
        new_slot = Allocation.objects.get(application=promoted, state=AllocationState.HELD)
        assert new_slot.events.get().actor is None
        waiting = [a for a in expected_order if status_of(a) == ApplicationStatus.WAITLISTED]
        assert waiting == expected_order[expected_order.index(promoted) + 1 :]
        current = promoted
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 1


def test_allocation_withdrawal_promotes_waitlist(world):
    w = world
    channel_slots_set(w.ministry_channel, 1)
    held = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED)
    waiting = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.WAITLISTED)

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{held.pk}/withdraw/", {"reason": "patient_died"}, format="json"
    )

    assert response.status_code == 200, body(response)
    assert status_of(waiting) == ApplicationStatus.APPROVED
    assert ApplicationEvent.objects.filter(application=waiting).last().actor is None


@pytest.mark.parametrize(
    ("channel_name", "user_name", "expected"),
    [
        ("embassy_channel", "embassy_officer", 200),
        ("embassy_channel", "ministry_officer", 403),
        ("embassy_channel", "clinic_coordinator", 404),
        ("embassy_channel", "outsider", 404),
        ("embassy_channel", None, 401),
        ("ministry_channel", "ministry_officer", 200),
        ("ministry_channel", "embassy_officer", 404),
        ("ministry_channel", "outsider", 404),
    ],
)
def test_allocation_release_by_role(world, channel_name, user_name, expected):
    w = world
    application = make_application(
        w, channel=getattr(w, channel_name), status=ApplicationStatus.APPROVED
    )
    allocation = Allocation.objects.get(application=application)
    before = snapshot()

    response = api(getattr(w, user_name) if user_name else None).post(
        release_url(allocation), {"reason": "patient_declined"}, format="json"
    )

    if expected == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, body(response)
    if expected == 403:
        assert response.json()["code"] == "permission_denied"
    if expected != 200:
        assert snapshot() == before


BAD_RELEASE = {
    "reason-missing": ({"comment": "x"}, "reason"),
    "reason-unknown": ({"reason": "bored"}, "reason"),
    "reason-number": ({"reason": 3}, "reason"),
    "other-without-comment": ({"reason": "other"}, "comment"),
    "other-blank-comment": ({"reason": "other", "comment": "  "}, "comment"),
    "comment-object": ({"reason": "no_show", "comment": {"x": 1}}, "comment"),
}


@pytest.mark.parametrize(("payload", "field"), BAD_RELEASE.values(), ids=BAD_RELEASE.keys())
def test_allocation_release_bad_input_refused_naming_field(world, payload, field):
    w = world
    allocation = Allocation.objects.get(application=make_application(w, status="approved"))
    before = snapshot()

    response = api(w.embassy_officer).post(release_url(allocation), payload, format="json")

    assert response.status_code == 400, body(response)
    assert field in response.json(), body(response)
    assert snapshot() == before


@pytest.mark.parametrize("payload", [[], "patient_declined"])
def test_allocation_release_body_not_an_object_refused(world, payload):
    w = world
    allocation = Allocation.objects.get(application=make_application(w, status="approved"))
    before = snapshot()

    response = api(w.embassy_officer).post(release_url(allocation), payload, format="json")

    assert response.status_code == 400, body(response)
    assert snapshot() == before


@pytest.mark.parametrize("state", [AllocationState.RELEASED, AllocationState.EXPIRED])
def test_allocation_release_of_ended_slot_refused(world, state):
    w = world
    application = make_application(w, status=ApplicationStatus.APPROVED)
    allocation = Allocation.objects.get(application=application)
    allocations.allocation_release(
        allocation_id=allocation.pk, actor=w.embassy_officer, reason="no_show"
    )
    Allocation.objects.filter(pk=allocation.pk).update(state=state)
    before = snapshot()

    response = api(w.embassy_officer).post(
        release_url(allocation), {"reason": "no_show"}, format="json"
    )

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_allocation_release_unknown_id_not_found(world, pk):
    response = api(world.embassy_officer).post(
        f"/api/v1/allocations/{pk}/release/", {"reason": "no_show"}, format="json"
    )
    assert response.status_code == 404


# --- Moving slots between channels ---------------------------------------------------


def test_channel_transfer_moves_slots_on_the_record(world):
    w = world
    make_application(w, status=ApplicationStatus.APPROVED)

    response = api(w.embassy_officer).post(
        transfer_url(w.embassy_channel),
        {"target": w.ministry_channel.pk, "slots": 10, "reason": "Embassy under-used"},
        format="json",
    )

    assert response.status_code == 200, body(response)
    data = response.json()
    assert (data["from_channel"]["slots"], data["to_channel"]["slots"]) == (90, 60)
    assert data["from_channel"]["live_allocations"] == 1
    out = ChannelChange.objects.get(channel=w.embassy_channel)
    into = ChannelChange.objects.get(channel=w.ministry_channel)
    assert (out.kind, out.slots_before, out.slots_after, out.counterpart) == (
        ChannelChangeKind.TRANSFER_OUT,
        100,
        90,
        w.ministry_channel,
    )
    assert (into.kind, into.slots_before, into.slots_after, into.counterpart) == (
        ChannelChangeKind.TRANSFER_IN,
        50,
        60,
        w.embassy_channel,
    )
    assert {out.actor, into.actor} == {w.embassy_officer}
    assert {out.reason, into.reason} == {"Embassy under-used"}
    assert Channel.objects.filter(pool=w.pool).aggregate(s=Sum("slots"))["s"] == 150


def test_channel_transfer_all_unused_slots_allowed_one_more_refused(world):
    w = world
    channel_slots_set(w.ministry_channel, 3)
    for _ in range(2):
        make_application(w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED)
    ministry = api(w.ministry_officer)
    before = snapshot()

    too_many = ministry.post(
        transfer_url(w.ministry_channel),
        {"target": w.embassy_channel.pk, "slots": 2, "reason": "Rebalance"},
        format="json",
    )

    assert too_many.status_code == 409, body(too_many)
    assert too_many.json()["code"] == "slots_in_use"
    assert snapshot() == before
    exact = ministry.post(
        transfer_url(w.ministry_channel),
        {"target": w.embassy_channel.pk, "slots": 1, "reason": "Rebalance"},
        format="json",
    )
    assert exact.status_code == 200, body(exact)
    assert exact.json()["from_channel"]["slots"] == 2
    none_left = ministry.post(
        transfer_url(w.ministry_channel),
        {"target": w.embassy_channel.pk, "slots": 1, "reason": "Rebalance"},
        format="json",
    )
    assert none_left.status_code == 409
    assert none_left.json()["code"] == "slots_in_use"


def test_channel_transfer_promotes_target_waitlist(world):
    w = world
    channel_slots_set(w.ministry_channel, 1)
    make_application(w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED)
    routine = make_application(w, channel=w.ministry_channel, urgency="routine")
    emergency = make_application(w, channel=w.ministry_channel, urgency="emergency")
    third = make_application(w, channel=w.ministry_channel, urgency="routine")
    for application in (routine, emergency, third):
        assert approve(w, application, w.ministry_officer)["status"] == "waitlisted"

    response = api(w.embassy_officer).post(
        transfer_url(w.embassy_channel),
        {"target": w.ministry_channel.pk, "slots": 2, "reason": "Ministry queue"},
        format="json",
    )

    assert response.status_code == 200, body(response)
    assert response.json()["to_channel"]["live_allocations"] == 3
    assert status_of(emergency) == ApplicationStatus.APPROVED
    assert status_of(routine) == ApplicationStatus.APPROVED
    assert status_of(third) == ApplicationStatus.WAITLISTED
    for promoted in (emergency, routine):
        event = ApplicationEvent.objects.filter(application=promoted).last()
        assert (event.actor, event.reason) == (None, "waitlist_promotion")


def _other_pool_channel(w) -> Channel:
    pool = QuotaPoolFactory(agreement=w.agreement, code="KG-TR-REHAB-2026", total_slots=10)
    return ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=10)


def _foreign_channel(w) -> Channel:
    pool = QuotaPoolFactory(code="BY-RU-2026", sending_country="BY", host_country="RU")
    issuer = InstitutionFactory(name="Minsk City Health Committee", country="BY")
    return ChannelFactory(pool=pool, issuing_institution=issuer, slots=5)


BAD_TRANSFER = {
    "slots-zero": (lambda w: {"slots": 0}, "slots"),
    "slots-negative": (lambda w: {"slots": -1}, "slots"),
    "slots-text": (lambda w: {"slots": "abc"}, "slots"),
    "slots-fraction": (lambda w: {"slots": 1.5}, "slots"),
    "slots-null": (lambda w: {"slots": None}, "slots"),
    "slots-missing": (lambda w: {"slots": MISSING}, "slots"),
    "target-missing": (lambda w: {"target": MISSING}, "target"),
    "target-unknown": (lambda w: {"target": 999_999}, "target"),
    "target-text": (lambda w: {"target": "ministry"}, "target"),
    "target-itself": (lambda w: {"target": w.embassy_channel.pk}, "target"),
    "target-other-pool": (lambda w: {"target": _other_pool_channel(w).pk}, "target"),
    "target-not-visible": (lambda w: {"target": _foreign_channel(w).pk}, "target"),
    "reason-missing": (lambda w: {"reason": MISSING}, "reason"),
    "reason-blank": (lambda w: {"reason": "   "}, "reason"),
}


@pytest.mark.parametrize(
    ("make_overrides", "field"), BAD_TRANSFER.values(), ids=BAD_TRANSFER.keys()
)
def test_channel_transfer_bad_input_refused_naming_field(world, make_overrides, field):
    w = world
    payload = {"target": w.ministry_channel.pk, "slots": 5, "reason": "Rebalance"}
    payload.update(make_overrides(w))
    payload = {k: v for k, v in payload.items() if v is not MISSING}
    before = snapshot()

    response = api(w.embassy_officer).post(transfer_url(w.embassy_channel), payload, format="json")

    assert response.status_code == 400, body(response)
    assert field in response.json(), body(response)
    assert snapshot() == before


def test_channel_transfer_more_than_unused_refused(world):
    w = world
    before = snapshot()

    response = api(w.embassy_officer).post(
        transfer_url(w.embassy_channel),
        {"target": w.ministry_channel.pk, "slots": 101, "reason": "All of it"},
        format="json",
    )

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "slots_in_use"
    assert snapshot() == before


@pytest.mark.parametrize("payload", [[], "10"])
def test_channel_transfer_body_not_an_object_refused(world, payload):
    before = snapshot()
    response = api(world.embassy_officer).post(
        transfer_url(world.embassy_channel), payload, format="json"
    )
    assert response.status_code == 400, body(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("source_name", "target_name", "user_name", "expected"),
    [
        ("embassy_channel", "ministry_channel", "embassy_officer", 200),
        ("ministry_channel", "embassy_channel", "ministry_officer", 200),
        # Sees the embassy's channel (party to the agreement) but does not manage it.
        ("embassy_channel", "ministry_channel", "ministry_officer", 403),
        ("ministry_channel", "embassy_channel", "embassy_officer", 403),
        # The eligible clinic sees the pool's channels.
        ("embassy_channel", "ministry_channel", "clinic_coordinator", 403),
        ("embassy_channel", "ministry_channel", "outsider", 404),
        ("embassy_channel", "ministry_channel", None, 401),
    ],
)
def test_channel_transfer_by_role(world, source_name, target_name, user_name, expected):
    w = world
    source, target = getattr(w, source_name), getattr(w, target_name)
    before = snapshot()

    response = api(getattr(w, user_name) if user_name else None).post(
        transfer_url(source), {"target": target.pk, "slots": 1, "reason": "Move"}, format="json"
    )

    if expected == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, body(response)
    if expected == 403:
        assert response.json()["code"] == "permission_denied"
    if expected != 200:
        assert snapshot() == before


@pytest.mark.parametrize("pk", ["999999"])
def test_channel_transfer_unknown_source_not_found(world, pk):
    response = api(world.embassy_officer).post(
        f"/api/v1/channels/{pk}/transfer/",
        {"target": world.ministry_channel.pk, "slots": 1, "reason": "Move"},
        format="json",
    )
    assert response.status_code == 404


# --- Slots changed by other means ------------------------------------------------------


def test_channel_set_slots_raised_promotes_waitlist(world):
    w = world
    channel_slots_set(w.ministry_channel, 1)
    make_application(w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED)
    waiting = make_application(w, channel=w.ministry_channel)
    approve(w, waiting, w.ministry_officer)

    quota_services.channel_set_slots(
        channel=w.ministry_channel, slots=2, actor=w.ministry_officer, reason="More"
    )

    assert status_of(waiting) == ApplicationStatus.APPROVED


def test_channel_set_slots_below_live_allocations_refused_naming_slots(world):
    w = world
    channel_slots_set(w.ministry_channel, 2)
    for _ in range(2):
        make_application(w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED)

    with pytest.raises(ValidationError) as refused:
        quota_services.channel_set_slots(
            channel=w.ministry_channel, slots=1, actor=w.ministry_officer, reason="Less"
        )

    assert "slots" in refused.value.message_dict


# --- Slots given back while a referral is live ---------------------------------------


def _referred(w):
    """An approved application on a one-slot embassy channel, referred to the hospital,
    with a second application waiting for the slot."""
    InstitutionSpecialty.objects.get_or_create(institution=w.hospital, specialty=w.oncology)
    channel_slots_set(w.embassy_channel, 1)
    application = make_application(w, status=ApplicationStatus.APPROVED)
    waiting = make_application(w, status=ApplicationStatus.WAITLISTED)
    referral = referral_send(
        actor=w.ministry_officer,
        application_id=application.pk,
        receiving_institution=w.hospital,
        covering_letter="Please admit for surgery.",
    )
    return application, waiting, referral


def _clinic_accepts(w, referral):
    # Refusing is one right answer; overbooking is the wrong one.
    with contextlib.suppress(DomainError, ValidationError):
        referral_accept(
            actor=w.clinic_coordinator,
            referral_id=referral.pk,
            admission_date=timezone.localdate() + datetime.timedelta(days=7),
            department="Oncology",
            contact_person="Dr Yilmaz",
        )


def _assert_channel_not_overbooked(channel):
    channel.refresh_from_db()
    live = Allocation.objects.filter(channel=channel, state__in=LIVE_ALLOCATION_STATES).count()
    assert channel.live_allocations == live, "the channel's counter lost track of its slots"
    assert live <= channel.slots, f"{live} live allocations on a channel of {channel.slots}"


def test_allocation_release_with_live_referral_never_overbooks(world):
    w = world
    application, _waiting, referral = _referred(w)
    allocation = Allocation.objects.get(application=application)

    response = api(w.embassy_officer).post(
        release_url(allocation), {"reason": "patient_declined"}, format="json"
    )
    assert response.status_code in (200, 409), body(response)
    _clinic_accepts(w, referral)

    _assert_channel_not_overbooked(w.embassy_channel)


def test_application_withdraw_with_live_referral_never_overbooks(world):
    w = world
    application, _waiting, referral = _referred(w)

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/withdraw/",
        {"reason": "patient_declined"},
        format="json",
    )
    assert response.status_code in (200, 409), body(response)
    _clinic_accepts(w, referral)

    _assert_channel_not_overbooked(w.embassy_channel)
