"""Applications through the API: creating, changing, deciding, duplicates, audit, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocations.models import Allocation
from applications.choices import ApplicationStatus
from applications.models import Application, ApplicationEvent
from audit.models import AccessAction, AccessRecord
from institutions.choices import InstitutionKind
from quotas.models import QuotaPool
from tests.support.api import MISSING, PATIENT_DATA, api, application_payload, body, snapshot
from tests.support.applications import channel_slots_set, make_application, make_patient
from tests.support.factories import ChannelFactory, InstitutionFactory, QuotaPoolFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"


def foreign_channel(w):
    """A channel of a Belarusian pool none of the KG-TR users can see."""
    pool = QuotaPoolFactory(code="BY-RU-2026", sending_country="BY", host_country="RU")
    issuer = InstitutionFactory(name="Minsk City Health Committee", country="BY")
    return ChannelFactory(pool=pool, issuing_institution=issuer, slots=5)


# --- Creating ---------------------------------------------------------------------------


def test_application_create_by_ministry_on_embassy_channel_succeeds(world):
    w = world
    patient = make_patient(w)

    response = api(w.ministry_officer).post(
        URL, application_payload(w, patient, preferred_host=w.hospital.pk), format="json"
    )

    assert response.status_code == 201, body(response)
    data = response.json()
    assert data["status"] == "draft"
    assert data["number"] == "KG-TR-2026-000001"
    assert data["channel"] == w.embassy_channel.pk
    assert data["preferred_host"] == w.hospital.pk
    application = Application.objects.get(pk=data["id"])
    assert application.created_by == w.ministry_officer
    assert AccessRecord.objects.filter(
        user=w.ministry_officer,
        action=AccessAction.CREATE,
        object_type="application",
        patient_id=patient.pk,
    ).exists()


@pytest.mark.parametrize(
    ("channel_name", "user_name", "registered_by", "expected"),
    [
        # The embassy reviews on its own channel; the ministry registers there.
        ("embassy_channel", "embassy_officer", "embassy", 403),
        ("embassy_channel", "ministry_officer", "ministry", 201),
        ("ministry_channel", "ministry_officer", "ministry", 201),
        # The embassy sees the pool's ministry channel but may not send on it.
        ("ministry_channel", "embassy_officer", "embassy", 403),
        # The eligible clinic sees the pool and its own patient, and still may not apply.
        ("embassy_channel", "clinic_coordinator", "hospital", 403),
        ("ministry_channel", "clinic_coordinator", "hospital", 403),
        # The outsider does not see the channel at all.
        ("embassy_channel", "outsider", "unrelated", 400),
    ],
)
def test_application_create_by_role_allowed_or_refused(
    world, channel_name, user_name, registered_by, expected
):
    w = world
    patient = make_patient(w, registered_by=getattr(w, registered_by))
    before = snapshot()

    response = api(getattr(w, user_name)).post(
        URL, application_payload(w, patient, channel=getattr(w, channel_name)), format="json"
    )

    assert response.status_code == expected, body(response)
    if expected == 400:
        assert "channel" in response.json()
    if expected != 201:
        assert snapshot() == before


def test_application_create_anonymous_refused(world):
    payload = application_payload(world, make_patient(world))
    before = snapshot()
    response = api().post(URL, payload, format="json")
    assert response.status_code in (401, 403)
    assert snapshot() == before


BAD_CREATE = {
    "channel-missing": (lambda w: {"channel": MISSING}, "channel"),
    "channel-text": (lambda w: {"channel": "abc"}, "channel"),
    "channel-list": (lambda w: {"channel": [w.embassy_channel.pk]}, "channel"),
    "channel-unknown": (lambda w: {"channel": 999_999}, "channel"),
    "channel-not-visible": (lambda w: {"channel": foreign_channel(w).pk}, "channel"),
    "patient-missing": (lambda w: {"patient": MISSING}, "patient"),
    "patient-text": (lambda w: {"patient": "x"}, "patient"),
    "patient-unknown": (lambda w: {"patient": 999_999}, "patient"),
    "patient-not-visible": (
        lambda w: {"patient": make_patient(w, registered_by=w.unrelated).pk},
        "patient",
    ),
    "specialty-missing": (lambda w: {"specialty": MISSING}, "specialty"),
    "specialty-unknown": (lambda w: {"specialty": "astrology"}, "specialty"),
    "specialty-number": (lambda w: {"specialty": 5}, "specialty"),
    "specialty-object": (lambda w: {"specialty": {"code": "oncology"}}, "specialty"),
    "diagnosis-missing": (lambda w: {"diagnosis_code": MISSING}, "diagnosis_code"),
    "diagnosis-empty": (lambda w: {"diagnosis_code": ""}, "diagnosis_code"),
    "diagnosis-X": (lambda w: {"diagnosis_code": "X"}, "diagnosis_code"),
    "diagnosis-C5": (lambda w: {"diagnosis_code": "C5"}, "diagnosis_code"),
    "diagnosis-1234": (lambda w: {"diagnosis_code": "1234"}, "diagnosis_code"),
    "diagnosis-too-long": (lambda w: {"diagnosis_code": "C50.12345"}, "diagnosis_code"),
    "diagnosis-number": (lambda w: {"diagnosis_code": 50}, "diagnosis_code"),
    "diagnosis-dot-only": (lambda w: {"diagnosis_code": "C50."}, "diagnosis_code"),
    "diagnosis-text-missing": (lambda w: {"diagnosis_text": MISSING}, "diagnosis_text"),
    "diagnosis-text-blank": (lambda w: {"diagnosis_text": "   "}, "diagnosis_text"),
    "summary-missing": (lambda w: {"medical_summary": MISSING}, "medical_summary"),
    "summary-empty": (lambda w: {"medical_summary": ""}, "medical_summary"),
    "urgency-unknown": (lambda w: {"urgency": "asap"}, "urgency"),
    "host-not-eligible": (lambda w: {"preferred_host": w.unrelated.pk}, "preferred_host"),
    "host-embassy": (lambda w: {"preferred_host": w.embassy.pk}, "preferred_host"),
    "host-unknown": (lambda w: {"preferred_host": 999_999}, "preferred_host"),
    "host-text": (lambda w: {"preferred_host": "Ankara"}, "preferred_host"),
}


@pytest.mark.parametrize(("make_overrides", "field"), BAD_CREATE.values(), ids=BAD_CREATE.keys())
def test_application_create_bad_input_refused_naming_field(world, make_overrides, field):
    w = world
    payload = application_payload(w, make_patient(w))
    payload.update(make_overrides(w))
    payload = {k: v for k, v in payload.items() if v is not MISSING}
    before = snapshot()
    records = AccessRecord.objects.count()

    response = api(w.ministry_officer).post(URL, payload, format="json")

    assert response.status_code == 400, body(response)
    assert field in response.json(), body(response)
    assert snapshot() == before
    assert AccessRecord.objects.count() == records


def test_application_create_specialty_not_in_pool_refused(world):
    w = world
    w.pool.specialties.add(w.cardiac)
    payload = application_payload(w, make_patient(w), specialty="oncology")
    before = snapshot()

    response = api(w.ministry_officer).post(URL, payload, format="json")

    assert response.status_code == 400, body(response)
    assert "specialty" in response.json()
    assert snapshot() == before
    allowed = api(w.ministry_officer).post(
        URL, application_payload(w, make_patient(w), specialty="cardiac_surgery"), format="json"
    )
    assert allowed.status_code == 201, body(allowed)


def test_application_create_host_outside_host_country_refused_when_pool_open_to_all(world):
    w = world
    w.pool.eligible_institutions.clear()
    other_turkish = InstitutionFactory(name="Istanbul Oncology Institute", country="TR")
    payload = application_payload(w, make_patient(w), preferred_host=w.unrelated.pk)
    before = snapshot()

    refused = api(w.ministry_officer).post(URL, payload, format="json")

    assert refused.status_code == 400, body(refused)
    assert "preferred_host" in refused.json()
    assert snapshot() == before
    allowed = api(w.ministry_officer).post(
        URL, application_payload(w, make_patient(w), preferred_host=other_turkish.pk), format="json"
    )
    assert allowed.status_code == 201, body(allowed)


def test_application_create_pool_period_ended_refused(world):
    w = world
    QuotaPool.objects.filter(pk=w.pool.pk).update(
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31)
    )
    payload = application_payload(w, make_patient(w))
    before = snapshot()

    response = api(w.ministry_officer).post(URL, payload, format="json")

    assert response.status_code == 400, body(response)
    assert "channel" in response.json()
    assert snapshot() == before


@pytest.mark.parametrize("payload", [[], ["channel"], "channel", 42])
def test_application_create_body_not_an_object_refused(world, payload):
    before = snapshot()
    response = api(world.ministry_officer).post(URL, payload, format="json")
    assert response.status_code == 400, body(response)
    assert snapshot() == before


def test_application_create_malformed_json_refused(world):
    response = api(world.ministry_officer).post(
        URL, b'{"channel": ', content_type="application/json"
    )
    assert response.status_code == 400, body(response)


# --- Changing a draft ------------------------------------------------------------------


def test_application_update_draft_changes_fields(world):
    w = world
    application = make_application(w, status=ApplicationStatus.DRAFT)

    response = api(w.ministry_officer).patch(
        f"{URL}{application.pk}/",
        {"diagnosis_code": "c34.1", "urgency": "urgent", "preferred_host": w.hospital.pk},
        format="json",
    )

    assert response.status_code == 200, body(response)
    application.refresh_from_db()
    assert (application.diagnosis_code, application.urgency) == ("C34.1", "urgent")
    assert application.preferred_host == w.hospital
    assert AccessRecord.objects.filter(
        user=w.ministry_officer, object_id=str(application.pk), detail="update"
    ).exists()


BAD_UPDATE = {
    "diagnosis-X": ({"diagnosis_code": "X"}, "diagnosis_code"),
    "diagnosis-1234": ({"diagnosis_code": "1234"}, "diagnosis_code"),
    "diagnosis-too-long": ({"diagnosis_code": "C50.12345"}, "diagnosis_code"),
    "specialty-unknown": ({"specialty": "astrology"}, "specialty"),
    "urgency-unknown": ({"urgency": "soon"}, "urgency"),
    "summary-blank": ({"medical_summary": ""}, "medical_summary"),
    "text-blank": ({"diagnosis_text": " "}, "diagnosis_text"),
    "host-unknown": ({"preferred_host": 999_999}, "preferred_host"),
}


@pytest.mark.parametrize(("payload", "field"), BAD_UPDATE.values(), ids=BAD_UPDATE.keys())
def test_application_update_bad_input_refused_naming_field(world, payload, field):
    w = world
    application = make_application(w, status=ApplicationStatus.DRAFT)
    before = snapshot()
    fields_before = Application.objects.filter(pk=application.pk).values().get()

    response = api(w.ministry_officer).patch(f"{URL}{application.pk}/", payload, format="json")

    assert response.status_code == 400, body(response)
    assert field in response.json()
    assert snapshot() == before
    assert Application.objects.filter(pk=application.pk).values().get() == fields_before


def test_application_update_host_not_eligible_refused(world):
    w = world
    application = make_application(w, status=ApplicationStatus.NEEDS_INFO)

    response = api(w.ministry_officer).patch(
        f"{URL}{application.pk}/", {"preferred_host": w.unrelated.pk}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert "preferred_host" in response.json()
    application.refresh_from_db()
    assert application.preferred_host is None


@pytest.mark.parametrize(
    "status",
    [
        s
        for s in ApplicationStatus.values
        if s not in (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_INFO)
    ],
)
def test_application_update_after_submission_refused(world, status):
    w = world
    application = make_application(w, status=status)
    before = snapshot()

    response = api(w.ministry_officer).patch(
        f"{URL}{application.pk}/", {"urgency": "emergency"}, format="json"
    )

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "not_editable"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("user_name", "expected"),
    [("clinic_coordinator", 404), ("outsider", 404), ("embassy_officer", 404), (None, 401)],
)
def test_application_update_by_others_refused(world, user_name, expected):
    w = world
    application = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.DRAFT)

    response = api(getattr(w, user_name) if user_name else None).patch(
        f"{URL}{application.pk}/", {"urgency": "emergency"}, format="json"
    )

    assert response.status_code in ((401, 403) if expected == 401 else (expected,))
    application.refresh_from_db()
    assert application.urgency == "routine"


# --- Bad input on the actions ------------------------------------------------------------

BAD_ACTIONS = {
    "answer-no-comment": ("needs_info", "answer", {}, "comment"),
    "answer-blank-comment": ("needs_info", "answer", {"comment": "   "}, "comment"),
    "request-info-no-comment": ("in_review", "request-info", {}, "comment"),
    "request-info-blank": ("in_review", "request-info", {"comment": ""}, "comment"),
    "reject-no-reason": ("in_review", "reject", {"comment": "No."}, "reason"),
    "reject-unknown-reason": (
        "in_review",
        "reject",
        {"reason": "dislike", "comment": "No."},
        "reason",
    ),
    "reject-no-comment": ("in_review", "reject", {"reason": "not_eligible"}, "comment"),
    "reject-blank-comment": (
        "waitlisted",
        "reject",
        {"reason": "not_eligible", "comment": "  "},
        "comment",
    ),
    "withdraw-no-reason": ("in_review", "withdraw", {}, "reason"),
    "withdraw-unknown-reason": ("in_review", "withdraw", {"reason": "bored"}, "reason"),
    "withdraw-other-no-comment": ("approved", "withdraw", {"reason": "other"}, "comment"),
    "withdraw-other-blank": (
        "in_review",
        "withdraw",
        {"reason": "other", "comment": " "},
        "comment",
    ),
    "approve-comment-object": ("in_review", "approve", {"comment": {"a": 1}}, "comment"),
    "submit-comment-list": ("draft", "submit", {"comment": ["x"]}, "comment"),
}


@pytest.mark.parametrize(
    ("status", "segment", "payload", "field"), BAD_ACTIONS.values(), ids=BAD_ACTIONS.keys()
)
def test_application_action_bad_input_refused_naming_field(world, status, segment, payload, field):
    w = world
    application = make_application(w, status=status)
    before = snapshot()
    records = AccessRecord.objects.count()

    response = api(w.embassy_officer).post(
        f"{URL}{application.pk}/{segment}/", payload, format="json"
    )

    assert response.status_code == 400, body(response)
    assert field in response.json(), body(response)
    assert snapshot() == before
    assert AccessRecord.objects.count() == records


@pytest.mark.parametrize(
    "segment", ["submit", "answer", "start-review", "request-info", "approve", "reject", "withdraw"]
)
@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_application_action_unknown_id_not_found(world, segment, pk):
    response = api(world.embassy_officer).post(
        f"{URL}{pk}/{segment}/", {"comment": "x", "reason": "other"}, format="json"
    )
    assert response.status_code == 404, body(response)


@pytest.mark.parametrize("payload", [[], "approve", 7])
def test_application_action_body_not_an_object_refused(world, payload):
    w = world
    application = make_application(w, status=ApplicationStatus.IN_REVIEW)
    before = snapshot()

    response = api(w.embassy_officer).post(
        f"{URL}{application.pk}/approve/", payload, format="json"
    )

    assert response.status_code == 400, body(response)
    assert snapshot() == before


# --- Approval and the waiting list ----------------------------------------------------


def test_application_approve_on_full_channel_waitlisted_with_position(world):
    w = world
    channel_slots_set(w.embassy_channel, 1)
    first = make_application(w, status=ApplicationStatus.IN_REVIEW)
    routine = make_application(w, status=ApplicationStatus.IN_REVIEW, urgency="routine")
    emergency = make_application(w, status=ApplicationStatus.IN_REVIEW, urgency="emergency")
    embassy = api(w.embassy_officer)

    approved = embassy.post(f"{URL}{first.pk}/approve/", format="json")
    assert approved.status_code == 200, body(approved)
    assert approved.json()["status"] == "approved"
    assert approved.json()["allocation"]["state"] == "held"
    assert approved.json()["waitlist_position"] is None

    full = embassy.post(f"{URL}{routine.pk}/approve/", {"comment": "Wait."}, format="json")
    assert full.status_code == 200, body(full)
    assert full.json()["status"] == "waitlisted"
    assert full.json()["waitlist_position"] == 1
    assert full.json()["allocation"] is None

    urgent = embassy.post(f"{URL}{emergency.pk}/approve/", format="json")
    assert urgent.json()["status"] == "waitlisted"
    assert urgent.json()["waitlist_position"] == 1  # emergencies go first
    detail = embassy.get(f"{URL}{routine.pk}/").json()
    assert detail["waitlist_position"] == 2
    assert detail["status"] == "waitlisted"

    event = ApplicationEvent.objects.filter(application=routine).last()
    assert (event.from_state, event.to_state, event.reason) == (
        "in_review",
        "waitlisted",
        "channel_full",
    )
    assert (event.actor, event.comment) == (w.embassy_officer, "Wait.")
    w.embassy_channel.refresh_from_db()
    assert w.embassy_channel.live_allocations == 1
    assert Allocation.objects.filter(channel=w.embassy_channel).count() == 1


def test_application_reject_waitlisted_leaves_queue_in_order(world):
    w = world
    channel_slots_set(w.embassy_channel, 0)
    a = make_application(w, status=ApplicationStatus.IN_REVIEW)
    b = make_application(w, status=ApplicationStatus.IN_REVIEW)
    embassy = api(w.embassy_officer)
    embassy.post(f"{URL}{a.pk}/approve/")
    embassy.post(f"{URL}{b.pk}/approve/")

    rejected = embassy.post(
        f"{URL}{a.pk}/reject/", {"reason": "not_eligible", "comment": "Age."}, format="json"
    )

    assert rejected.status_code == 200, body(rejected)
    assert embassy.get(f"{URL}{b.pk}/").json()["waitlist_position"] == 1


# --- One live application per patient and pool -----------------------------------------


def _register(client, number: str) -> dict:
    response = client.post(
        "/api/v1/patients/", {**PATIENT_DATA, "document_number": number}, format="json"
    )
    assert response.status_code in (200, 201), body(response)
    return response.json()


def test_application_duplicate_through_other_channel_refused(world):
    w = world
    ministry = api(w.ministry_officer)
    # The ministry sends on the embassy's channel first, then tries its own channel.
    patient = _register(ministry, "AN 123 4567")
    first = ministry.post(URL, application_payload(w, patient["id"]), format="json")
    assert first.status_code == 201, body(first)
    same = _register(ministry, "an1234567")
    assert same["id"] == patient["id"]
    before = snapshot()

    response = ministry.post(
        URL,
        application_payload(w, same["id"], channel=w.ministry_channel),
        format="json",
    )

    assert response.status_code == 400, body(response)
    [message] = response.json()["patient"]
    assert first.json()["number"] in message
    assert "(Draft," in message
    assert w.embassy.name in message
    assert snapshot() == before


def test_application_duplicate_on_same_channel_refused(world):
    w = world
    patient = make_patient(w)
    ministry = api(w.ministry_officer)
    assert ministry.post(URL, application_payload(w, patient), format="json").status_code == 201
    before = snapshot()

    again = ministry.post(URL, application_payload(w, patient), format="json")

    assert again.status_code == 400, body(again)
    assert "KG-TR-2026-000001" in again.json()["patient"][0]
    assert snapshot() == before


def test_application_duplicate_embassy_channel_after_ministry_channel_refused(world):
    w = world
    embassy, ministry = api(w.embassy_officer), api(w.ministry_officer)
    patient = _register(ministry, "AN 123 4567")
    first = ministry.post(
        URL,
        application_payload(w, patient["id"], channel=w.ministry_channel),
        format="json",
    )
    assert first.status_code == 201, body(first)
    same = _register(embassy, "an-123-4567")
    assert same["id"] == patient["id"]

    response = ministry.post(URL, application_payload(w, same["id"]), format="json")

    assert response.status_code == 400, body(response)
    assert "KG-TR-2026-000001" in response.json()["patient"][0]


@pytest.mark.parametrize("closing", ["withdraw", "reject"])
def test_application_duplicate_allowed_after_first_closed(world, closing):
    w = world
    patient = make_patient(w)
    first = make_application(w, patient=patient, status=ApplicationStatus.IN_REVIEW)
    payload = (
        {"reason": "patient_declined"}
        if closing == "withdraw"
        else {"reason": "not_eligible", "comment": "Not under the agreement."}
    )
    # The sender withdraws; the reviewer rejects.
    closer = w.ministry_officer if closing == "withdraw" else w.embassy_officer
    closed = api(closer).post(f"{URL}{first.pk}/{closing}/", payload, format="json")
    assert closed.status_code == 200, body(closed)

    response = api(w.ministry_officer).post(
        URL, application_payload(w, patient, channel=w.ministry_channel), format="json"
    )

    assert response.status_code == 201, body(response)


def test_application_duplicate_lapsed_still_blocks(world):
    w = world
    patient = make_patient(w)
    lapsed = make_application(w, patient=patient, status=ApplicationStatus.LAPSED)

    response = api(w.ministry_officer).post(
        URL, application_payload(w, patient, channel=w.ministry_channel), format="json"
    )

    assert response.status_code == 400, body(response)
    assert f"{lapsed.number} in this pool (Slot lapsed," in response.json()["patient"][0]


def test_application_duplicate_allowed_in_another_pool(world):
    w = world
    patient = make_patient(w)
    make_application(w, patient=patient, status=ApplicationStatus.APPROVED)
    rehab = QuotaPoolFactory(agreement=w.agreement, code="KG-TR-REHAB-2026", total_slots=20)
    rehab_channel = ChannelFactory(pool=rehab, issuing_institution=w.embassy, slots=20)

    response = api(w.ministry_officer).post(
        URL, application_payload(w, patient, channel=rehab_channel), format="json"
    )

    assert response.status_code == 201, body(response)
    assert response.json()["number"] == "KG-TR-REHAB-2026-000001"


# --- Reading: visibility and the audit log -------------------------------------------


def test_application_list_visible_scoped_by_institution(world):
    w = world
    on_embassy = make_application(w)
    on_ministry = make_application(w, channel=w.ministry_channel)
    foreign = make_application(w, channel=foreign_channel(w))

    def ids(user) -> set[int]:
        return {a["id"] for a in api(user).get(URL).json()["results"]}

    assert ids(w.ministry_officer) == {on_embassy.pk, on_ministry.pk}
    assert ids(w.embassy_officer) == {on_embassy.pk}
    assert ids(w.clinic_coordinator) == set()
    assert ids(w.outsider) == set()
    assert foreign.pk not in ids(w.ministry_officer)
    assert api().get(URL).status_code in (401, 403)


def test_application_list_writes_access_record_per_row(world):
    w = world
    shown = [make_application(w), make_application(w, channel=w.ministry_channel)]
    before = AccessRecord.objects.count()

    response = api(w.ministry_officer).get(URL)

    assert response.status_code == 200
    records = AccessRecord.objects.order_by("id")[before:]
    assert len(records) == 2
    assert {(r.user_id, r.action, r.object_type) for r in records} == {
        (w.ministry_officer.pk, AccessAction.LIST, "application")
    }
    assert {(int(r.object_id), r.patient_id) for r in records} == {
        (a.pk, a.patient_id) for a in shown
    }


def test_application_detail_writes_access_record(world):
    w = world
    application = make_application(w)

    response = api(w.embassy_officer).get(f"{URL}{application.pk}/")

    assert response.status_code == 200
    record = AccessRecord.objects.filter(action=AccessAction.VIEW).get()
    assert record.user == w.embassy_officer
    assert record.object_type == "application"
    assert record.object_id == str(application.pk)
    assert record.patient_id == application.patient_id
    assert record.path == f"{URL}{application.pk}/"


@pytest.mark.parametrize("user_name", ["clinic_coordinator", "outsider"])
def test_application_detail_unseen_not_found_and_not_recorded(world, user_name):
    w = world
    application = make_application(w)
    before = AccessRecord.objects.count()

    response = api(getattr(w, user_name)).get(f"{URL}{application.pk}/")

    assert response.status_code == 404
    assert AccessRecord.objects.count() == before


def test_application_history_read_writes_access_record(world):
    w = world
    application = make_application(w)
    before = AccessRecord.objects.count()

    response = api(w.embassy_officer).get(f"{URL}{application.pk}/history/")

    assert response.status_code == 200
    assert AccessRecord.objects.count() == before + 1


BAD_FILTERS = {
    "status": "status=sleeping",
    "urgency": "urgency=whenever",
    "specialty": "specialty=astrology",
    "pool": "pool=abc",
    "channel": "channel=abc",
    "created_after": "created_after=yesterday",
}


@pytest.mark.parametrize(("field", "query"), BAD_FILTERS.items(), ids=BAD_FILTERS.keys())
def test_application_list_bad_filter_refused_naming_field(world, field, query):
    make_application(world)
    response = api(world.ministry_officer).get(f"{URL}?{query}")
    assert response.status_code == 400, body(response)
    assert field in response.json()


def test_application_list_filters_by_status_and_search(world):
    w = world
    waiting = make_application(w, status=ApplicationStatus.WAITLISTED)
    make_application(w, status=ApplicationStatus.DRAFT)
    ministry = api(w.ministry_officer)

    by_status = ministry.get(f"{URL}?status=waitlisted").json()["results"]
    by_number = ministry.get(f"{URL}?q={waiting.number.lower()}").json()["results"]

    assert [a["id"] for a in by_status] == [waiting.pk]
    assert [a["id"] for a in by_number] == [waiting.pk]


# --- Query counts -------------------------------------------------------------------


def _mixed_applications(w, count: int) -> None:
    statuses = [
        ApplicationStatus.APPROVED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.DRAFT,
        ApplicationStatus.IN_REVIEW,
    ]
    for i in range(count):
        make_application(
            w,
            channel=(w.embassy_channel, w.ministry_channel)[i % 2],
            status=statuses[i % len(statuses)],
            preferred_host=w.hospital if i % 3 == 0 else None,
            patient=make_patient(w, registered_by=(w.ministry, w.embassy)[i % 2]),
        )


def test_application_list_query_count_independent_of_size(world, django_assert_num_queries):
    w = world
    _mixed_applications(w, 3)
    with CaptureQueriesContext(connection) as small:
        response = api(w.ministry_officer).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 3

    _mixed_applications(w, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = api(w.ministry_officer).get(URL)
    assert response.json()["count"] == 13


def test_application_list_query_count_embassy_independent_of_size(world, django_assert_num_queries):
    w = world
    _mixed_applications(w, 3)
    with CaptureQueriesContext(connection) as small:
        api(w.embassy_officer).get(URL)

    _mixed_applications(w, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = api(w.embassy_officer).get(URL)
    assert response.json()["count"] == 7


def test_application_list_sending_ministry_of_other_kind_sees_nothing(world):
    """A ministry not party to the agreement sees none of the pool's applications."""
    w = world
    from tests.support.world import member

    kz = InstitutionFactory(kind=InstitutionKind.MINISTRY_OF_HEALTH, country="KZ")
    kz_officer = member(kz, "ministry_officer")
    make_application(w)

    assert api(kz_officer).get(URL).json()["count"] == 0
