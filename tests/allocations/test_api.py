"""Allocations through the API: releasing a slot and the waiting list it serves.

Moving unused slots between the channels of one pool is in
tests/quotas/test_api_channel_transfer.py.
"""

from __future__ import annotations

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import services as allocations
from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation
from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from common.exceptions import DomainError
from institutions.models import InstitutionSpecialty
from referrals.services import referral_accept, referral_send
from tests.support.api import api, approve, body, snapshot, status_of
from tests.support.applications import channel_slots_set, make_application

pytestmark = pytest.mark.django_db


def release_url(allocation: Allocation) -> str:
    return f"/api/v1/allocations/{allocation.pk}/release/"


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
