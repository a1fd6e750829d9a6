"""The table in referrals/transitions.py, action by action and status by status, via the API.

Every action is allowed from exactly its sources and refused (409 invalid_transition)
from every other status; who may take it is the channel's business (senders,
reviewers), and nobody else even sees the application.
"""

from __future__ import annotations

import pytest

from allocations import services as allocations
from allocations.choices import AllocationState
from allocations.models import Allocation
from applications.access import REVIEWER, SENDER
from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from applications.workflow import APPLICATION_WORKFLOW
from common.workflow import NEW, PORTAL
from tests.support.api import api, body, snapshot
from tests.support.applications import channel_slots_set, make_application, make_patient, past

# The table's steps on an existing application (its creating row starts from nothing).
TRANSITIONS = {t.action: t for t in APPLICATION_WORKFLOW if NEW not in t.sources}

pytestmark = pytest.mark.django_db

# action -> (URL segment, request body). The comment/reason are what the history must show.
ENDPOINTS = {
    "submit": ("submit", {"comment": "Complete, please review."}),
    "answer": ("answer", {"comment": "The biopsy report is attached."}),
    "start_review": ("start-review", {"comment": "Taking it."}),
    "request_info": ("request-info", {"comment": "Send the biopsy report."}),
    "approve": ("approve", {"comment": "Indicated."}),
    "reject": ("reject", {"reason": "treatable_at_home", "comment": "Available in Bishkek."}),
    "withdraw": ("withdraw", {"reason": "patient_declined", "comment": "Family decision."}),
}
ALL_STATUSES = list(ApplicationStatus.values)
CASES = [(action, status) for action in ENDPOINTS for status in ALL_STATUSES]


def _case_id(case: tuple[str, str]) -> str:
    action, status = case
    allowed = "allowed" if status in TRANSITIONS[action].sources else "refused"
    return f"{action}-from-{status}-{allowed}"


def test_transition_table_every_user_action_has_an_endpoint():
    user_actions = {name for name, t in TRANSITIONS.items() if t.by != PORTAL}
    assert user_actions == set(ENDPOINTS)
    assert {name for name, t in TRANSITIONS.items() if t.by == PORTAL} == {"promote", "lapse"}


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_transition_from_status_allowed_or_refused(world, case):
    """Ministry officers both send and review on the ministry's own channel, so the
    only thing deciding here is the table."""
    action, status = case
    w = world
    application = make_application(w, channel=w.ministry_channel, status=status)
    segment, payload = ENDPOINTS[action]
    transition = TRANSITIONS[action]
    before = snapshot()
    events_before = ApplicationEvent.objects.filter(application=application).count()

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/{segment}/", payload, format="json"
    )

    application.refresh_from_db()
    if status in transition.sources:
        assert response.status_code == 200, body(response)
        assert response.json()["status"] in transition.targets
        assert application.status in transition.targets
        event = ApplicationEvent.objects.filter(application=application).last()
        assert ApplicationEvent.objects.filter(application=application).count() == (
            events_before + 1
        )
        assert (event.from_state, event.to_state) == (status, application.status)
        assert event.actor == w.ministry_officer
        assert event.comment == payload["comment"]
        if "reason" in payload:
            assert event.reason == payload["reason"]
            assert application.decision_reason == payload["reason"]
    else:
        assert response.status_code == 409, body(response)
        assert response.json()["code"] == "invalid_transition"
        assert response.json()["detail"]
        assert application.status == status
        assert snapshot() == before


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_transition_actions_listed_in_detail_match_table(world, status):
    w = world
    application = make_application(w, status=status)

    as_embassy = api(w.embassy_officer).get(f"/api/v1/applications/{application.pk}/").json()
    as_ministry = api(w.ministry_officer).get(f"/api/v1/applications/{application.pk}/").json()

    def expected(*roles: str) -> set[str]:
        return {n for n, t in TRANSITIONS.items() if status in t.sources and t.by in roles}

    # On its channel the embassy only reviews; the ministry only sends.
    assert set(as_embassy["actions"]) == expected(REVIEWER)
    assert set(as_ministry["actions"]) == expected(SENDER)


# --- Roles ----------------------------------------------------------------------------

# action -> a status it can be taken from
SOURCE_FOR = {
    "submit": ApplicationStatus.DRAFT,
    "answer": ApplicationStatus.NEEDS_INFO,
    "start_review": ApplicationStatus.SUBMITTED,
    "request_info": ApplicationStatus.IN_REVIEW,
    "approve": ApplicationStatus.IN_REVIEW,
    "reject": ApplicationStatus.IN_REVIEW,
    "withdraw": ApplicationStatus.IN_REVIEW,
}

# (channel, user) -> answer, for senders and for reviewers.
# The embassy sees only applications on its own channels: on the ministry's channel
# it gets 404 like any stranger (PRODUCT.md: "an embassy only the applications on its
# channels"), never a 403 that would reveal the application exists. On its own channel
# it reviews and allocates, but sends nothing: the sending ministry applies, answers,
# withdraws and refers.
SENDER_ANSWERS = {
    ("embassy_channel", "embassy_officer"): 403,
    ("embassy_channel", "ministry_officer"): 200,
    ("embassy_channel", "clinic_coordinator"): 404,
    ("embassy_channel", "outsider"): 404,
    ("embassy_channel", None): 401,
    ("ministry_channel", "ministry_officer"): 200,
    ("ministry_channel", "embassy_officer"): 404,
    ("ministry_channel", "clinic_coordinator"): 404,
    ("ministry_channel", "outsider"): 404,
    ("ministry_channel", None): 401,
}
REVIEWER_ANSWERS = {
    ("embassy_channel", "embassy_officer"): 200,
    ("embassy_channel", "ministry_officer"): 403,
    ("embassy_channel", "clinic_coordinator"): 404,
    ("embassy_channel", "outsider"): 404,
    ("embassy_channel", None): 401,
    ("ministry_channel", "ministry_officer"): 200,
    ("ministry_channel", "embassy_officer"): 404,
    ("ministry_channel", "clinic_coordinator"): 404,
    ("ministry_channel", "outsider"): 404,
    ("ministry_channel", None): 401,
}
ROLE_CASES = [
    (action, channel, user, answer)
    for action in ENDPOINTS
    for (channel, user), answer in (
        SENDER_ANSWERS if TRANSITIONS[action].by == SENDER else REVIEWER_ANSWERS
    ).items()
]


@pytest.mark.parametrize(
    ("action", "channel_name", "user_name", "expected"),
    ROLE_CASES,
    ids=[f"{a}-{c}-{u or 'anonymous'}-{e}" for a, c, u, e in ROLE_CASES],
)
def test_transition_by_role_allowed_or_refused(world, action, channel_name, user_name, expected):
    w = world
    channel = getattr(w, channel_name)
    application = make_application(w, channel=channel, status=SOURCE_FOR[action])
    segment, payload = ENDPOINTS[action]
    user = getattr(w, user_name) if user_name else None
    before = snapshot()

    response = api(user).post(
        f"/api/v1/applications/{application.pk}/{segment}/", payload, format="json"
    )

    if expected == 401:
        assert response.status_code in (401, 403), body(response)
    else:
        assert response.status_code == expected, body(response)
    if expected == 200:
        event = ApplicationEvent.objects.filter(application=application).last()
        assert event.actor == user
    else:
        if expected == 403:
            assert response.json()["code"] == "permission_denied"
        assert snapshot() == before


# --- Internal transitions: promote and lapse -------------------------------------------


def test_transition_promote_only_from_waitlisted(world):
    w = world
    channel = channel_slots_set(w.embassy_channel, 1)
    held = make_application(w, status=ApplicationStatus.APPROVED)
    waiting = make_application(w, status=ApplicationStatus.WAITLISTED)
    # Applications in every other status on the channel are never promoted.
    others = [
        make_application(w, status=s)
        for s in ALL_STATUSES
        if s not in (ApplicationStatus.WAITLISTED, ApplicationStatus.APPROVED)
    ]
    allocation = Allocation.objects.get(application=held)

    allocations.allocation_release(
        allocation_id=allocation.pk, actor=w.embassy_officer, reason="patient_declined"
    )

    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.APPROVED
    promotion = ApplicationEvent.objects.filter(application=waiting).last()
    assert (promotion.from_state, promotion.to_state) == ("waitlisted", "approved")
    assert promotion.actor is None
    assert promotion.reason == "waitlist_promotion"
    for other in others:
        status = other.status
        other.refresh_from_db()
        assert other.status == status
    channel.refresh_from_db()
    assert channel.live_allocations == 1


def test_transition_lapse_only_from_approved(world):
    w = world
    approved = make_application(w, status=ApplicationStatus.APPROVED)
    Allocation.objects.filter(application=approved).update(held_until=past())

    assert allocations.allocations_expire_due() == 1

    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.LAPSED
    lapse = ApplicationEvent.objects.filter(application=approved).last()
    assert (lapse.from_state, lapse.to_state, lapse.actor) == ("approved", "lapsed", None)
    assert lapse.reason == "deadline"
    assert Allocation.objects.get(application=approved).state == AllocationState.EXPIRED


def test_transition_history_of_full_path_recorded(world):
    """Draft to approved and back through lapsed: every step has who, from, to, why."""
    w = world
    patient = make_patient(w)
    ministry, embassy = api(w.ministry_officer), api(w.embassy_officer)
    created = ministry.post(
        "/api/v1/applications/",
        {
            "channel": w.embassy_channel.pk,
            "patient": patient.pk,
            "specialty": "oncology",
            "diagnosis_code": "C50.9",
            "diagnosis_text": "Breast cancer",
            "medical_summary": "Stage II",
        },
        format="json",
    )
    assert created.status_code == 201, body(created)
    pk = created.json()["id"]
    steps = [
        (ministry, "submit", {}),
        (embassy, "start-review", {}),
        (embassy, "request-info", {"comment": "Need histology."}),
        (ministry, "answer", {"comment": "Histology attached."}),
        (embassy, "approve", {"comment": "OK"}),
        (ministry, "withdraw", {"reason": "treated_elsewhere", "comment": "Went private."}),
    ]
    for client, segment, payload in steps:
        answer = client.post(f"/api/v1/applications/{pk}/{segment}/", payload, format="json")
        assert answer.status_code == 200, (segment, body(answer))

    history = ministry.get(f"/api/v1/applications/{pk}/history/").json()["results"]
    assert history[0]["to_status"] == "draft"
    assert history[0]["actor"] == w.ministry_officer.username
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in history[1:]] == [
        ("draft", "submitted", w.ministry_officer.username),
        ("submitted", "in_review", w.embassy_officer.username),
        ("in_review", "needs_info", w.embassy_officer.username),
        ("needs_info", "in_review", w.ministry_officer.username),
        ("in_review", "approved", w.embassy_officer.username),
        ("approved", "withdrawn", w.ministry_officer.username),
    ]
    assert history[3]["comment"] == "Need histology."
    assert history[4]["comment"] == "Histology attached."
    assert (history[6]["reason"], history[6]["comment"]) == ("treated_elsewhere", "Went private.")
    # The withdrawal gave the slot back, on the allocation's record too.
    allocation = Allocation.objects.get(application_id=pk)
    assert allocation.state == AllocationState.RELEASED
    assert allocation.events.last().actor == w.ministry_officer
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 0


def test_transition_creation_event_has_no_from_status(world):
    w = world
    patient = make_patient(w)
    created = api(w.ministry_officer).post(
        "/api/v1/applications/",
        {
            "channel": w.embassy_channel.pk,
            "patient": patient.pk,
            "specialty": "oncology",
            "diagnosis_code": "C50.9",
            "diagnosis_text": "Breast cancer",
            "medical_summary": "Stage II",
        },
        format="json",
    )
    assert created.status_code == 201, body(created)

    first = created.json()["history"][0]

    assert (first["from_status"], first["to_status"]) == ("", "draft")
