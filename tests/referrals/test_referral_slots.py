"""The slot follows the referral: counted from the Allocation table at every step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation, AllocationEvent
from allocations.services import allocations_expire_due
from applications import services as application_services
from applications.choices import ApplicationStatus
from applications.models import Application, ApplicationEvent
from common.exceptions import DomainError
from quotas.models import Channel, QuotaPool
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralEvent
from tests.support.api import api, body
from tests.support.applications import channel_slots_set, make_application
from tests.support.referrals import (
    action_body,
    approved,
    days,
    live_in,
    referral_in,
    referral_world,
    snapshot,
    today,
    url,
)

pytestmark = pytest.mark.django_db

R = ReferralStatus
LIST = "/api/v1/referrals/"


@pytest.fixture
def rw(world):
    return referral_world(world)


def slot_of(referral: Referral) -> Allocation:
    return Allocation.objects.get(pk=referral.allocation_id)


def channel_live(channel: Channel) -> int:
    """The channel's counter, checked against the table every time it is read."""
    channel.refresh_from_db()
    assert channel.live_allocations == live_in(channel)
    return channel.live_allocations


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, body(response)
    return response.json()


def refer(w: Any, application: Application, clinic: Any = None) -> Any:
    return api(w.ministry_officer).post(
        LIST,
        {
            "application": application.pk,
            "receiving_institution": (clinic or w.hospital).pk,
            "covering_letter": "Please admit.",
        },
        format="json",
    )


def allocation_steps(allocation: Allocation) -> list[tuple[str, str]]:
    return [(e.from_state, e.to_state) for e in allocation.events.order_by("created_at", "id")]


# --- The whole loop ---------------------------------------------------------------------------


def test_slot_held_on_approval_confirmed_on_accept_used_on_admission_and_after_discharge(rw):
    w = rw
    QuotaPool.objects.filter(pk=w.pool.pk).update(admission_grace_days=3)
    channel = w.embassy_channel
    application = approved(w)
    allocation = Allocation.objects.get(application=application)
    assert allocation.state == AllocationState.HELD
    assert channel_live(channel) == 1
    approval_deadline = allocation.held_until

    referral = ok(refer(w, application), 201)
    allocation.refresh_from_db()
    assert (allocation.state, allocation.held_until) == ("held", approval_deadline)
    assert referral["allocation_state"] == "held"
    assert channel_live(channel) == 1

    clinic = api(w.clinic_coordinator)
    admission = days(12)
    accepted = ok(
        clinic.post(
            url(referral["id"], "accept"),
            {**action_body("accept"), "admission_date": admission.isoformat()},
            format="json",
        )
    )
    allocation.refresh_from_db()
    assert accepted["allocation_state"] == allocation.state == "confirmed"
    assert allocation.held_until == end_of_day(admission + datetime.timedelta(days=3))
    assert channel_live(channel) == 1

    ok(clinic.post(url(referral["id"], "admit"), {"admitted_on": today().isoformat()}))
    allocation.refresh_from_db()
    assert allocation.state == "used"
    assert channel_live(channel) == 1

    ok(clinic.post(url(referral["id"], "discharge"), action_body("discharge"), format="json"))
    allocation.refresh_from_db()
    assert allocation.state == "used"
    assert channel_live(channel) == 1
    assert allocation_steps(allocation) == [
        ("", "held"),
        ("held", "confirmed"),
        ("confirmed", "used"),
    ]
    confirmed, used = allocation.events.order_by("created_at", "id")[1:]
    assert confirmed.actor == used.actor == w.clinic_coordinator
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    # A used slot never expires.
    assert allocations_expire_due(now=timezone.now() + datetime.timedelta(days=3650)) == 0
    allocation.refresh_from_db()
    assert allocation.state == "used"


def test_grace_of_zero_days_confirms_until_the_end_of_the_admission_day(rw):
    w = rw
    QuotaPool.objects.filter(pk=w.pool.pk).update(admission_grace_days=0)
    referral = referral_in(w, R.SENT)

    ok(
        api(w.clinic_coordinator).post(
            url(referral, "accept"),
            {**action_body("accept"), "admission_date": days(1).isoformat()},
            format="json",
        )
    )

    assert slot_of(referral).held_until == end_of_day(days(1))


def test_decline_keeps_the_slot_held_and_the_patient_is_referred_again(rw):
    w = rw
    application = approved(w)
    allocation = Allocation.objects.get(application=application)
    deadline = allocation.held_until
    clinic, second = api(w.clinic_coordinator), api(w.second_coordinator)

    first = ok(refer(w, application), 201)
    assert first["number"] == f"{application.number}-R1"
    ok(clinic.post(url(first["id"], "decline"), {"reason": "no_capacity"}))
    allocation.refresh_from_db()
    assert (allocation.state, allocation.held_until) == ("held", deadline)
    assert channel_live(w.embassy_channel) == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED

    again = ok(refer(w, application, w.second), 201)
    assert again["number"] == f"{application.number}-R2"
    assert Referral.objects.get(pk=again["id"]).allocation_id == allocation.pk
    ok(second.post(url(again["id"], "decline"), {"reason": "other", "comment": "No surgeon."}))

    third = ok(refer(w, application), 201)
    assert third["number"] == f"{application.number}-R3"
    ok(clinic.post(url(third["id"], "accept"), action_body("accept"), format="json"))
    allocation.refresh_from_db()
    assert allocation.state == "confirmed"
    assert Allocation.objects.filter(application=application).count() == 1
    assert channel_live(w.embassy_channel) == 1
    assert sorted(
        Referral.objects.filter(application=application).values_list("status", flat=True)
    ) == [
        "accepted",
        "declined",
        "declined",
    ]


def test_declined_referral_whose_slot_expired_cannot_be_sent_again(rw):
    w = rw
    referral = referral_in(w, R.DECLINED)
    allocation = slot_of(referral)

    assert allocations_expire_due(now=allocation.held_until) == 1

    referral.refresh_from_db()
    assert referral.status == R.DECLINED  # closed already; the sweep leaves it alone
    allocation.refresh_from_db()
    assert allocation.state == "expired"
    before = snapshot()
    response = refer(w, referral.application, w.second)
    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


# --- Giving the slot back: cancellation and no-show ------------------------------------------

GIVE_BACK = {
    "cancel-sent": (R.SENT, "cancel", "referral_cancelled"),
    "cancel-info-requested": (R.INFO_REQUESTED, "cancel", "referral_cancelled"),
    "cancel-accepted": (R.ACCEPTED, "cancel", "referral_cancelled"),
    "no-show": (R.ACCEPTED, "no_show", "no_show"),
}


def actor_of(w: Any, action: str) -> Any:
    return w.ministry_officer if action == "cancel" else w.clinic_coordinator


@pytest.mark.parametrize(("status", "action", "reason"), GIVE_BACK.values(), ids=GIVE_BACK)
def test_cancel_and_no_show_return_the_slot_to_the_channel(rw, status, action, reason):
    w = rw
    referral = referral_in(w, status)
    other = approved(w)  # someone else keeps their slot
    allocation = slot_of(referral)
    assert channel_live(w.embassy_channel) == 2
    actor = actor_of(w, action)

    ok(api(actor).post(url(referral, action), action_body(action), format="json"))

    allocation.refresh_from_db()
    assert allocation.state == AllocationState.RELEASED
    last = allocation.events.order_by("created_at", "id").last()
    assert (last.to_state, last.reason, last.actor) == ("released", reason, actor)
    assert channel_live(w.embassy_channel) == 1
    application = referral.application
    application.refresh_from_db()
    assert application.status == ApplicationStatus.LAPSED
    lapse = application.events.order_by("created_at", "id").last()
    assert (lapse.from_state, lapse.to_state, lapse.actor) == ("approved", "lapsed", actor)
    assert Allocation.objects.get(application=other).state == "held"
    # The lapsed application is not referred again on a slot it no longer holds.
    again = refer(w, application, w.second)
    assert again.status_code == 409, body(again)
    assert again.json()["code"] == "invalid_transition"


def waitlisted(w: Any, urgency: str, hours_ago: float, channel: Channel | None = None) -> Any:
    return make_application(
        w,
        channel=channel or w.embassy_channel,
        status=ApplicationStatus.WAITLISTED,
        urgency=urgency,
        waitlisted_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


@pytest.mark.parametrize(("status", "action", "reason"), GIVE_BACK.values(), ids=GIVE_BACK)
def test_returned_slot_goes_to_the_head_of_the_channels_waiting_list(rw, status, action, reason):
    w = rw
    channel_slots_set(w.embassy_channel, 1)
    referral = referral_in(w, status)
    routine_longest = waitlisted(w, "routine", 72)
    urgent_first = waitlisted(w, "urgent", 24)
    urgent_later = waitlisted(w, "urgent", 1)
    # Another channel's emergency does not take this channel's slot.
    emergency_elsewhere = waitlisted(w, "emergency", 100, channel=w.ministry_channel)
    assert channel_live(w.embassy_channel) == 1

    ok(api(actor_of(w, action)).post(url(referral, action), action_body(action), format="json"))

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[urgent_first.pk] == ApplicationStatus.APPROVED
    assert statuses[urgent_later.pk] == statuses[routine_longest.pk] == "waitlisted"
    assert statuses[emergency_elsewhere.pk] == "waitlisted"
    assert statuses[referral.application_id] == ApplicationStatus.LAPSED
    promoted = Allocation.objects.get(application=urgent_first)
    assert promoted.state == "held"
    assert promoted.channel_id == w.embassy_channel.pk
    assert promoted.held_until > timezone.now() + datetime.timedelta(days=w.pool.hold_days - 1)
    event = urgent_first.events.order_by("created_at", "id").last()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        "waitlisted",
        "approved",
        "waitlist_promotion",
        None,
    )
    assert channel_live(w.embassy_channel) == 1
    assert slot_of(referral).state == "released"


# --- The expiry sweep ---------------------------------------------------------------------------


def test_expiry_sweep_closes_referrals_whose_slot_expired_and_returns_the_slots(rw):
    w = rw
    QuotaPool.objects.filter(pk=w.pool.pk).update(admission_grace_days=2)
    accepted = referral_in(w, R.ACCEPTED)
    sent = referral_in(w, R.SENT)
    info = referral_in(w, R.INFO_REQUESTED)
    admitted = referral_in(w, R.ADMITTED)
    discharged = referral_in(w, R.DISCHARGED)
    assert channel_live(w.embassy_channel) == 5
    later = timezone.now() + datetime.timedelta(days=w.pool.hold_days + 30)

    assert allocations_expire_due(now=later) == 3

    for referral, closed in ((accepted, R.NO_SHOW), (sent, R.CANCELLED), (info, R.CANCELLED)):
        before_status = referral.status
        referral.refresh_from_db()
        assert referral.status == closed
        assert referral.status_changed_at == later
        event = referral.events.order_by("created_at", "id").last()
        assert (event.from_state, event.to_state, event.reason, event.actor) == (
            before_status,
            closed,
            "slot_expired",
            None,
        )
        assert slot_of(referral).state == AllocationState.EXPIRED
        application = Application.objects.get(pk=referral.application_id)
        assert application.status == ApplicationStatus.LAPSED
    for referral, status in ((admitted, R.ADMITTED), (discharged, R.DISCHARGED)):
        referral.refresh_from_db()
        assert referral.status == status
        assert slot_of(referral).state == "used"
    assert channel_live(w.embassy_channel) == 2

    before = snapshot()
    counts = (ReferralEvent.objects.count(), ApplicationEvent.objects.count())
    assert allocations_expire_due(now=later) == 0
    assert snapshot() == before
    assert (ReferralEvent.objects.count(), ApplicationEvent.objects.count()) == counts

    # The clinic cannot take up an expired slot afterwards.
    clinic = api(w.clinic_coordinator)
    for referral, action in ((sent, "accept"), (accepted, "admit"), (info, "decline")):
        response = clinic.post(url(referral, action), action_body(action), format="json")
        assert response.status_code == 409, body(response)
        assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


def test_expiry_sweep_before_the_deadlines_changes_nothing(rw):
    w = rw
    accepted = referral_in(w, R.ACCEPTED)  # confirmed until admission + grace
    referral_in(w, R.SENT)  # held for the pool's hold days
    before = snapshot()

    assert allocations_expire_due(now=timezone.now() + datetime.timedelta(days=5)) == 0
    assert snapshot() == before

    # At the exact deadline of the confirmed slot it goes.
    deadline = slot_of(accepted).held_until
    assert allocations_expire_due(now=deadline - datetime.timedelta(microseconds=1)) == 0
    assert allocations_expire_due(now=deadline) == 1
    accepted.refresh_from_db()
    assert accepted.status == R.NO_SHOW


def test_expiry_sweep_promotes_the_waiting_list_for_the_expired_slots(rw):
    w = rw
    channel_slots_set(w.embassy_channel, 2)
    sent = referral_in(w, R.SENT)
    accepted = referral_in(w, R.ACCEPTED)
    first = waitlisted(w, "emergency", 1)
    second = waitlisted(w, "routine", 10)
    third = waitlisted(w, "routine", 5)

    assert allocations_expire_due(now=timezone.now() + datetime.timedelta(days=365)) == 2

    statuses = dict(Application.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == (
        "approved",
        "approved",
        "waitlisted",
    )
    assert {sent.application_id, accepted.application_id} == {
        pk for pk, s in statuses.items() if s == "lapsed"
    }
    assert channel_live(w.embassy_channel) == 2


def test_accept_after_the_slot_deadline_passed_does_not_revive_the_slot(rw):
    w = rw
    referral = referral_in(w, R.SENT)
    Allocation.objects.filter(pk=referral.allocation_id).update(
        held_until=timezone.now() - datetime.timedelta(minutes=5)
    )
    before = snapshot()

    response = api(w.clinic_coordinator).post(
        url(referral, "accept"), action_body("accept"), format="json"
    )

    assert response.status_code == 409, body(response)
    assert snapshot() == before


# --- The officer gives the slot back, or withdraws the application ------------------------------

ACCEPTED_NOT_CLOSED = (
    "referrals_close_for_ended_slots (referrals/services/allocations.py) builds"
    " {accepted_to: <accepted referrals>, CANCELLED: <sent/info_requested referrals>}; with"
    " accepted_to=CANCELLED (officer release, application withdrawal) the second key overwrites"
    " the first, so an accepted referral stays 'accepted' on a released slot"
)
LIVE_BEFORE_ADMISSION = [
    R.SENT,
    R.INFO_REQUESTED,
    pytest.param(R.ACCEPTED),
]


@pytest.mark.parametrize("status", LIVE_BEFORE_ADMISSION)
def test_officer_releasing_the_slot_cancels_the_referral_and_the_clinic_cannot_accept(rw, status):
    w = rw
    referral = referral_in(w, status)
    allocation = slot_of(referral)

    released = api(w.embassy_officer).post(
        f"/api/v1/allocations/{allocation.pk}/release/",
        {"reason": "not_fit_to_travel", "comment": "Fever."},
        format="json",
    )

    assert ok(released)["state"] == "released"
    referral.refresh_from_db()
    assert referral.status == R.CANCELLED
    event = referral.events.order_by("created_at", "id").last()
    assert (event.from_state, event.to_state, event.reason, event.actor) == (
        status,
        "cancelled",
        "slot_released",
        w.embassy_officer,
    )
    assert Application.objects.get(pk=referral.application_id).status == "lapsed"
    assert channel_live(w.embassy_channel) == 0
    before = snapshot()

    clinic = api(w.clinic_coordinator)
    for action in ("accept", "admit", "decline", "no_show"):
        response = clinic.post(url(referral, action), action_body(action), format="json")
        assert response.status_code == 409, (action, body(response))
    assert snapshot() == before
    allocation.refresh_from_db()
    assert allocation.state == "released"


def test_after_an_accepted_referrals_slot_is_released_the_patient_can_be_referred_again(rw):
    w = rw
    referral = referral_in(w, R.ACCEPTED)
    ok(
        api(w.embassy_officer).post(
            f"/api/v1/allocations/{referral.allocation_id}/release/",
            {"reason": "not_fit_to_travel"},
            format="json",
        )
    )
    # Fit again: the embassy reviews the lapsed application once more and approves it.
    application = Application.objects.get(pk=referral.application_id)
    assert application.status == ApplicationStatus.LAPSED
    application_services.application_start_review(
        actor=w.embassy_officer, application_id=application.pk
    )
    assert application_services.application_approve(
        actor=w.embassy_officer, application_id=application.pk
    ).allocation

    again = refer(w, application, w.second)

    assert again.status_code == 201, body(again)
    assert again.json()["number"] == f"{application.number}-R2"


def test_a_used_slot_cannot_be_released(rw):
    w = rw
    referral = referral_in(w, R.ADMITTED)
    before = snapshot()

    response = api(w.embassy_officer).post(
        f"/api/v1/allocations/{referral.allocation_id}/release/",
        {"reason": "patient_declined"},
        format="json",
    )

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


def test_only_the_channels_officers_release_its_slot(rw):
    w = rw
    referral = referral_in(w, R.SENT)
    before = snapshot()
    link = f"/api/v1/allocations/{referral.allocation_id}/release/"

    ministry = api(w.ministry_officer).post(link, {"reason": "patient_declined"}, format="json")
    clinic = api(w.clinic_coordinator).post(link, {"reason": "patient_declined"}, format="json")

    assert ministry.status_code == 403, body(ministry)
    assert clinic.status_code == 404, body(clinic)
    assert snapshot() == before


@pytest.mark.parametrize("status", LIVE_BEFORE_ADMISSION)
def test_withdrawing_the_application_cancels_its_live_referral(rw, status):
    w = rw
    referral = referral_in(w, status)
    allocation = slot_of(referral)

    withdrawn = api(w.ministry_officer).post(
        f"/api/v1/applications/{referral.application_id}/withdraw/",
        {"reason": "treated_elsewhere"},
        format="json",
    )

    assert ok(withdrawn)["status"] == "withdrawn"
    referral.refresh_from_db()
    assert referral.status == R.CANCELLED
    event = referral.events.order_by("created_at", "id").last()
    assert (event.from_state, event.reason, event.actor) == (
        status,
        "application_withdrawn",
        w.ministry_officer,
    )
    allocation.refresh_from_db()
    assert allocation.state == "released"
    assert channel_live(w.embassy_channel) == 0
    before = snapshot()
    response = api(w.clinic_coordinator).post(
        url(referral, "accept"), action_body("accept"), format="json"
    )
    assert response.status_code == 409, body(response)
    assert snapshot() == before


def test_withdrawing_after_a_decline_releases_the_held_slot_and_leaves_the_decline(rw):
    w = rw
    referral = referral_in(w, R.DECLINED)

    ok(
        api(w.ministry_officer).post(
            f"/api/v1/applications/{referral.application_id}/withdraw/",
            {"reason": "patient_declined"},
            format="json",
        )
    )

    referral.refresh_from_db()
    assert referral.status == R.DECLINED
    assert slot_of(referral).state == "released"
    assert channel_live(w.embassy_channel) == 0


def test_application_of_an_admitted_patient_cannot_be_withdrawn(rw):
    w = rw
    referral = referral_in(w, R.ADMITTED)
    before = snapshot()

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{referral.application_id}/withdraw/",
        {"reason": "patient_declined"},
        format="json",
    )

    assert response.status_code == 409, body(response)
    assert snapshot() == before


def test_admitted_patient_never_holds_two_live_slots_in_one_pool(rw):
    w = rw
    referral = referral_in(w, R.ADMITTED)
    patient = referral.patient
    api(w.ministry_officer).post(
        f"/api/v1/applications/{referral.application_id}/withdraw/",
        {"reason": "entered_in_error"},
        format="json",
    )

    try:
        second = application_services.application_create(
            actor=w.ministry_officer,
            channel=w.ministry_channel,
            patient=patient,
            specialty=w.oncology,
            diagnosis_code="C50.9",
            diagnosis_text="Malignant neoplasm of breast",
            medical_summary="Stage II, surgery indicated.",
        )
        application_services.application_submit(actor=w.ministry_officer, application_id=second.pk)
        application_services.application_start_review(
            actor=w.ministry_officer, application_id=second.pk
        )
        application_services.application_approve(actor=w.ministry_officer, application_id=second.pk)
    except (DomainError, ValidationError):
        pass  # refused somewhere along the way: fine

    live = Allocation.objects.filter(
        application__patient=patient, application__pool=w.pool, state__in=LIVE_ALLOCATION_STATES
    )
    assert live.count() == 1


def test_channel_counter_matches_the_table_after_a_mixed_day(rw):
    """Many referrals, every way a slot can go; the counter and the table agree at the end."""
    w = rw
    for status in (
        R.SENT,
        R.INFO_REQUESTED,
        R.ACCEPTED,
        R.DECLINED,
        R.ADMITTED,
        R.DISCHARGED,
        R.NO_SHOW,
        R.CANCELLED,
    ):
        referral_in(w, status)
        referral_in(w, status, clinic=w.second)
    states = sorted(Allocation.objects.values_list("state", flat=True))
    assert states.count("released") == 4
    assert states.count("used") == 4
    assert channel_live(w.embassy_channel) == 12
    allocations_expire_due(now=timezone.now() + datetime.timedelta(days=400))
    assert channel_live(w.embassy_channel) == 4  # only the used ones
    assert AllocationEvent.objects.filter(to_state="expired").count() == 8
    assert not Referral.objects.filter(
        status__in=[R.SENT, R.INFO_REQUESTED, R.ACCEPTED],
    ).exists()
