"""Every referral transition, from every status, by every role, through the API.

The expected table is written out here, not read from ``REFERRAL_TRANSITIONS``:
the test states what the workflow must be, and checks the code's table against it.
The helpers it shares with the other referral tests are in tests/support/referrals.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from allocations.models import Allocation
from audit.models import AccessAction, AccessRecord
from common.workflow import NEW, PORTAL
from referrals.access import CLINIC, SENDER
from referrals.choices import ReferralStatus
from referrals.workflow import REFERRAL_WORKFLOW
from tests.support.api import api, body
from tests.support.referrals import (
    action_body,
    advance,
    approved,
    live_in,
    post_action,
    referral_in,
    referral_world,
    send,
    snapshot,
    url,
)

# The steps people take on an existing referral; the portal's are tested with slots.
REFERRAL_TRANSITIONS = {
    t.action: t for t in REFERRAL_WORKFLOW if NEW not in t.sources and t.by != PORTAL
}

pytestmark = pytest.mark.django_db

R = ReferralStatus

# --- The table ---------------------------------------------------------------------

# What the workflow must be: action -> (who, allowed sources, target).
EXPECTED = {
    "accept": (CLINIC, {R.SENT}, R.ACCEPTED),
    "decline": (CLINIC, {R.SENT}, R.DECLINED),
    "request_info": (CLINIC, {R.SENT}, R.INFO_REQUESTED),
    "answer": (SENDER, {R.INFO_REQUESTED}, R.SENT),
    "reschedule": (CLINIC, {R.ACCEPTED}, R.ACCEPTED),
    "admit": (CLINIC, {R.ACCEPTED}, R.ADMITTED),
    "discharge": (CLINIC, {R.ADMITTED}, R.DISCHARGED),
    "no_show": (CLINIC, {R.ACCEPTED}, R.NO_SHOW),
    "cancel": (SENDER, {R.SENT, R.INFO_REQUESTED, R.ACCEPTED}, R.CANCELLED),
}
ACTIONS = list(EXPECTED)
STATUSES = list(R.values)
ALLOWED = [(a, s) for a in ACTIONS for s in STATUSES if s in EXPECTED[a][1]]
REFUSED = [(a, s) for a in ACTIONS for s in STATUSES if s not in EXPECTED[a][1]]

# The allocation after each allowed step of a quota referral.
SLOT_AFTER = {
    "accept": "confirmed",
    "decline": "held",
    "request_info": "held",
    "answer": "held",
    "reschedule": "confirmed",
    "admit": "used",
    "discharge": "used",
    "no_show": "released",
    "cancel": "released",
}


def actor_for(w: Any, action: str) -> Any:
    return w.clinic_coordinator if EXPECTED[action][0] == CLINIC else w.ministry_officer


@pytest.fixture
def rw(world):
    return referral_world(world)


def test_transition_table_is_the_expected_one():
    portal = {
        t.action: (set(t.sources), set(t.targets)) for t in REFERRAL_WORKFLOW if t.by == PORTAL
    }
    assert portal == {
        "lapse": ({R.SENT, R.INFO_REQUESTED}, {R.CANCELLED}),
        "lapse_accepted": ({R.ACCEPTED}, {R.CANCELLED, R.NO_SHOW}),
    }
    assert REFERRAL_WORKFLOW["send"].sources == {NEW}
    assert {
        action: (t.by, set(t.sources), set(t.targets)) for action, t in REFERRAL_TRANSITIONS.items()
    } == {action: (by, sources, {to}) for action, (by, sources, to) in EXPECTED.items()}
    assert len(ALLOWED) == 11
    assert len(REFUSED) == len(ACTIONS) * len(STATUSES) - 11


@pytest.mark.parametrize("quota", [True, False], ids=["quota", "self_pay"])
@pytest.mark.parametrize(("action", "status"), ALLOWED)
def test_transition_allowed_from_its_source(rw, quota, action, status):
    w = rw
    referral = referral_in(w, status, quota=quota)
    actor = actor_for(w, action)
    events = referral.events.count()
    slot_before = referral.allocation.state if quota else None

    response = post_action(actor, referral, action)

    assert response.status_code == 200, body(response)
    target = EXPECTED[action][2]
    data = response.json()
    assert data["status"] == target
    referral.refresh_from_db()
    assert referral.status == target
    assert referral.events.count() == events + 1
    event = referral.events.order_by("created_at", "id").last()
    assert (event.from_state, event.to_state, event.actor_id) == (status, target, actor.pk)
    assert AccessRecord.objects.filter(
        action=AccessAction.TRANSITION,
        object_type="referral",
        object_id=str(referral.pk),
        user=actor,
        detail=action,
    ).exists()
    if quota:
        allocation = Allocation.objects.get(pk=referral.allocation_id)
        assert allocation.state == SLOT_AFTER[action], (slot_before, allocation.state)
        assert data["allocation_state"] == allocation.state
        w.embassy_channel.refresh_from_db()
        assert w.embassy_channel.live_allocations == live_in(w.embassy_channel)
    else:
        assert referral.allocation_id is None
        assert data["allocation_state"] is None
        assert not Allocation.objects.exists()


@pytest.mark.parametrize("quota", [True, False], ids=["quota", "self_pay"])
@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_transition_refused_from_every_other_status(rw, quota, action, status):
    w = rw
    referral = referral_in(w, status, quota=quota)
    before = snapshot()

    response = post_action(actor_for(w, action), referral, action)

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("status", STATUSES)
def test_detail_offers_exactly_the_actions_of_the_table(rw, status):
    w = rw
    referral = referral_in(w, status)
    clinic_actions = sorted(
        a for a in ACTIONS if EXPECTED[a][0] == CLINIC and status in EXPECTED[a][1]
    )
    sender_actions = sorted(
        a for a in ACTIONS if EXPECTED[a][0] == SENDER and status in EXPECTED[a][1]
    )

    seen_by_clinic = api(w.clinic_coordinator).get(url(referral)).json()
    seen_by_sender = api(w.ministry_officer).get(url(referral)).json()

    assert sorted(seen_by_clinic["actions"]) == clinic_actions
    assert sorted(seen_by_sender["actions"]) == sender_actions


# --- Roles ---------------------------------------------------------------------------

ROLES = [
    "clinic",
    "other_clinic",
    "ministry_officer",
    "embassy_officer",
    "outsider",
    "foreign_ministry",
    "anonymous",
]


def user_for(w: Any, role: str) -> Any:
    return {
        "clinic": w.clinic_coordinator,
        "other_clinic": w.second_coordinator,
        "ministry_officer": w.ministry_officer,
        "embassy_officer": w.embassy_officer,
        "outsider": w.outsider,
        "foreign_ministry": w.kz_officer,
        "anonymous": None,
    }[role]


def expected_answer(action: str, role: str) -> set[int]:
    if role == "anonymous":
        return {401, 403}
    if role in ("other_clinic", "outsider", "foreign_ministry"):
        return {404}  # cannot see the referral at all
    if role == "embassy_officer":
        return {403}  # sees its channel's referrals, but only the ministry refers
    sender_side = role == "ministry_officer"
    by_sender = EXPECTED[action][0] == SENDER
    return {200} if sender_side == by_sender else {403}


def source_of(action: str) -> str:
    return sorted(EXPECTED[action][1])[0]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_role_may_or_may_not_take_the_action(rw, action, role):
    w = rw
    referral = referral_in(w, source_of(action))
    user = user_for(w, role)
    before = snapshot()

    client = api(user)
    response = client.post(url(referral, action), action_body(action), format="json")

    assert response.status_code in expected_answer(action, role), (
        response.status_code,
        body(response),
    )
    if response.status_code == 200:
        referral.refresh_from_db()
        assert referral.status == EXPECTED[action][2]
        return
    assert snapshot() == before
    if response.status_code == 403 and user is not None:
        assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("action", ACTIONS)
def test_sender_officer_of_the_ministry_channel_is_the_ministry_only(rw, action):
    """On the ministry's channel, the embassy is neither issuer nor sending ministry."""
    w = rw
    application = approved(w, channel=w.ministry_channel)
    referral = advance(w, send(w, application), source_of(action))

    response = api(w.embassy_officer).post(
        url(referral, action), action_body(action), format="json"
    )

    assert response.status_code == 404, body(response)


@pytest.mark.parametrize("role", ["clinic", "other_clinic", "ministry_officer", "outsider"])
def test_self_pay_referral_roles(rw, role):
    """Without a quota the referring side is the sending institution's officers."""
    w = rw
    referral = referral_in(w, R.SENT, quota=False)

    accept = post_action(user_for(w, role), referral, "accept")
    expected = {"clinic": 200, "other_clinic": 404, "ministry_officer": 403, "outsider": 404}
    assert accept.status_code == expected[role], body(accept)


def test_self_pay_referral_sender_cancels_clinic_cannot(rw):
    w = rw
    referral = referral_in(w, R.SENT, quota=False)

    refused = post_action(w.clinic_coordinator, referral, "cancel")
    assert refused.status_code == 403, body(refused)
    # The embassy officer has nothing to do with the ministry's own patient.
    hidden = post_action(w.embassy_officer, referral, "cancel")
    assert hidden.status_code == 404, body(hidden)

    done = post_action(w.ministry_officer, referral, "cancel")
    assert done.status_code == 200, body(done)
    assert done.json()["status"] == "cancelled"
