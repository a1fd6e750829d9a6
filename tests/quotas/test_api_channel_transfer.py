"""Channels through the API: moving unused slots between the channels of one pool,
and the waiting lists served when a channel's slots change.

Split from tests/allocations/test_api.py, which releases slots.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from quotas import services as quota_services
from quotas.choices import ChannelChangeKind
from quotas.models import Channel, ChannelChange
from tests.support.api import MISSING, api, approve, body, snapshot, status_of
from tests.support.applications import channel_slots_set, make_application
from tests.support.factories import ChannelFactory, InstitutionFactory, QuotaPoolFactory

# Users are made by the dozen here, as in the other workflow tests.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def transfer_url(channel: Channel) -> str:
    return f"/api/v1/channels/{channel.pk}/transfer/"


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
