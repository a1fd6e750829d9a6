"""Every referral transition, from every status, by every role, through the API.

The expected table is written out here, not read from ``REFERRAL_TRANSITIONS``:
the test states what the workflow must be, and checks the code's table against it.
The helpers at the top are shared by the other ``test_referral_*`` /
``test_api_referrals`` files of this package.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES
from allocations.models import Allocation, AllocationEvent
from applications.choices import ApplicationStatus
from applications.models import Application
from audit.models import AccessAction, AccessRecord
from common.workflow import NEW, PORTAL
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import Institution, InstitutionSpecialty
from patients.models import Patient
from quotas.models import Channel
from referrals import services
from referrals.access import CLINIC, SENDER
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralDocument, ReferralEvent
from referrals.workflow import REFERRAL_WORKFLOW
from tests.conftest import member
from tests.factories import InstitutionFactory
from tests.referrals.conftest import api, body, make_application, make_patient

# The steps people take on an existing referral; the portal's are tested with slots.
REFERRAL_TRANSITIONS = {
    t.action: t for t in REFERRAL_WORKFLOW if NEW not in t.sources and t.by != PORTAL
}

pytestmark = pytest.mark.django_db

R = ReferralStatus

# --- Shared helpers -----------------------------------------------------------------


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


# --- The table ---------------------------------------------------------------------

# What the workflow must be: action -> (who, allowed sources, target).
EXPECTED = {
    "accept": (CLINIC, {R.SENT}, R.ACCEPTED),
    "decline": (CLINIC, {R.SENT}, R.DECLINED),
    "request_info": (CLINIC, {R.SENT}, R.INFO_REQUESTED),
    "answer": (SENDER, {R.INFO_REQUESTED}, R.SENT),
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
    assert len(ALLOWED) == 10
    assert len(REFUSED) == len(ACTIONS) * len(STATUSES) - 10


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
    sender_side = role in ("ministry_officer", "embassy_officer")
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
