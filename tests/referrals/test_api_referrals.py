"""The referral API: bad input, who sees what, referrals without a quota, documents, queries."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from allocations.models import Allocation
from applications import services as application_services
from applications.choices import ApplicationStatus
from audit.models import AccessAction, AccessRecord
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import InstitutionSpecialty, Membership
from referrals.choices import ReferralStatus
from referrals.models import Referral
from tests.support.api import MISSING, api, body
from tests.support.applications import make_application, make_patient
from tests.support.documents import PDF, PNG
from tests.support.factories import (
    AgreementFactory,
    ApplicationFactory,
    ChannelFactory,
    InstitutionFactory,
    PatientFactory,
    QuotaPoolFactory,
)
from tests.support.referrals import (
    action_body,
    advance,
    approved,
    days,
    referral_in,
    referral_world,
    send,
    send_without_quota,
    snapshot,
    today,
    url,
)
from tests.support.world import member

pytestmark = pytest.mark.django_db

R = ReferralStatus
LIST = "/api/v1/referrals/"


@pytest.fixture
def rw(world):
    return referral_world(world)


@pytest.fixture
def elsewhere(rw):
    """A Belarus–Russia pool the Kyrgyz and Turkish users have nothing to do with."""
    w = rw
    w.by_ministry = InstitutionFactory(
        name="Minsk City Health Committee", kind=InstitutionKind.MINISTRY_OF_HEALTH, country="BY"
    )
    w.ru_hospital = InstitutionFactory(name="Murmansk Regional Hospital", country="RU")
    agreement = AgreementFactory(title="Minsk–Murmansk", parties=[w.by_ministry, w.ru_hospital])
    pool = QuotaPoolFactory(
        agreement=agreement, code="BY-RU-2026", sending_country="BY", host_country="RU"
    )
    w.by_channel = ChannelFactory(pool=pool, issuing_institution=w.by_ministry, slots=5)
    w.by_patient = PatientFactory(registered_by=w.by_ministry, citizenship="BY")
    w.by_application = ApplicationFactory(
        channel=w.by_channel, patient=w.by_patient, specialty=w.oncology, status="approved"
    )
    w.by_agreement = agreement
    return w


def field_named(response: Any, field: str) -> bool:
    data = response.json()
    return isinstance(data, dict) and field in data


# --- Bad input: creating a quota referral ------------------------------------------------

NOT_AN_OBJECT = (
    'ReferralViewSet.create tests `"application" in request.data`; a JSON body of null or a'
    " number makes request.data None/int and the membership test raises TypeError: 500"
)


def quota_payload(w: Any, app: Any, **overrides: Any) -> dict[str, Any]:
    payload = {
        "application": app.pk,
        "receiving_institution": w.hospital.pk,
        "covering_letter": "Please admit for surgery.",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not MISSING}


QUOTA_BAD_INPUT = {
    "missing-receiving": ({"receiving_institution": MISSING}, "receiving_institution"),
    "missing-letter": ({"covering_letter": MISSING}, "covering_letter"),
    "blank-letter": ({"covering_letter": "   "}, "covering_letter"),
    "letter-list": ({"covering_letter": ["Please"]}, "covering_letter"),
    "application-text": ({"application": "KG-TR-2026-000001"}, "application"),
    "application-null": ({"application": None}, "application"),
    "application-unknown": ({"application": 987654321}, "application"),
    "application-huge": ({"application": 10**20}, "application"),
    "application-bool": ({"application": True}, "application"),
    "application-list": ({"application": [1]}, "application"),
    "receiving-text": ({"receiving_institution": "Ankara"}, "receiving_institution"),
    "receiving-unknown": ({"receiving_institution": 987654321}, "receiving_institution"),
    "receiving-huge": ({"receiving_institution": 10**20}, "receiving_institution"),
    "documents-text": ({"shared_documents": "1,2"}, "shared_documents"),
    "documents-not-ids": ({"shared_documents": ["scan"]}, "shared_documents"),
    "documents-zero": ({"shared_documents": [0]}, "shared_documents"),
    "documents-unknown": ({"shared_documents": [987654321]}, "shared_documents"),
}


@pytest.mark.parametrize(("overrides", "field"), QUOTA_BAD_INPUT.values(), ids=QUOTA_BAD_INPUT)
def test_create_quota_referral_bad_input_names_the_field(rw, overrides, field):
    w = rw
    application = approved(w)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, quota_payload(w, application, **overrides), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, field), body(response)
    assert snapshot() == before


def test_create_quota_referral_fractional_application_id_is_refused(rw):
    w = rw
    application = approved(w)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, quota_payload(w, application, application=application.pk + 0.5), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "application"), body(response)
    assert snapshot() == before


def test_create_quota_referral_another_institutions_application_is_unknown(rw, elsewhere):
    w = elsewhere
    on_ministry_channel = approved(w, channel=w.ministry_channel)
    before = snapshot()

    foreign = api(w.ministry_officer).post(LIST, quota_payload(w, w.by_application), format="json")
    # The embassy does not see the ministry's channel.
    not_yours = api(w.embassy_officer).post(
        LIST, quota_payload(w, on_ministry_channel), format="json"
    )
    # A clinic sees no application at all.
    clinic = api(w.clinic_coordinator).post(
        LIST, quota_payload(w, on_ministry_channel), format="json"
    )

    for response in (foreign, not_yours, clinic):
        assert response.status_code == 400, body(response)
        assert field_named(response, "application"), body(response)
    assert snapshot() == before


def test_create_quota_referral_shares_only_the_applications_documents(rw, tmp_path, settings):
    w = rw
    settings.MEDIA_ROOT = tmp_path
    application = approved(w)
    other = approved(w)
    others_document = application_services.application_document_add(
        actor=w.ministry_officer,
        application_id=other.pk,
        upload=SimpleUploadedFile("other.pdf", PDF),
    )
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST,
        quota_payload(w, application, shared_documents=[others_document.pk]),
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "shared_documents"), body(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "receiver",
    ["not_eligible", "no_specialty", "embassy", "ministry", "inactive", "other_country"],
)
def test_create_quota_referral_receiver_must_be_an_eligible_clinic_offering_the_specialty(
    rw, receiver
):
    w = rw
    application = approved(w)
    if receiver == "not_eligible":
        clinic = InstitutionFactory(name="Istanbul Private Clinic", country="TR")
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.oncology)
    elif receiver == "no_specialty":
        clinic = InstitutionFactory(name="Izmir Heart Centre", country="TR")
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.cardiac)
        w.pool.eligible_institutions.add(clinic)
    elif receiver == "embassy":
        clinic = w.embassy
        w.pool.eligible_institutions.add(clinic)
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.oncology)
    elif receiver == "ministry":
        clinic = w.ministry
    elif receiver == "inactive":
        clinic = InstitutionFactory(name="Closed Hospital", country="TR", is_active=False)
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.oncology)
        w.pool.eligible_institutions.add(clinic)
    else:
        clinic = w.unrelated  # a Belarusian clinic
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.oncology)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, quota_payload(w, application, receiving_institution=clinic.pk), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "receiving_institution"), body(response)
    assert snapshot() == before


def test_create_quota_referral_of_an_application_not_approved_is_refused(rw):
    w = rw
    in_review = make_application(w)
    before = snapshot()

    response = api(w.ministry_officer).post(LIST, quota_payload(w, in_review), format="json")

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[]",
        b'["application"]',
        b'"text"',
        b'"application"',
        pytest.param(b"null"),
        pytest.param(b"1"),
        pytest.param(b"true"),
    ],
)
def test_create_referral_malformed_body_is_a_client_error(rw, content):
    w = rw
    before = snapshot()

    response = api(w.ministry_officer).post(LIST, content, content_type="application/json")

    assert 400 <= response.status_code < 500, body(response)
    assert snapshot() == before


# --- Bad input: creating a referral without a quota ---------------------------------------


def self_pay_payload(w: Any, **overrides: Any) -> dict[str, Any]:
    payload = {
        "sender": w.ministry.pk,
        "patient": w.patient.pk,
        "receiving_institution": w.hospital.pk,
        "funding_source": "self_pay",
        "specialty": "oncology",
        "diagnosis_code": "C50.9",
        "diagnosis_text": "Malignant neoplasm of breast",
        "medical_summary": "Stage II, surgery indicated.",
        "covering_letter": "Self-paying patient, please admit.",
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not MISSING}


REQUIRED_WITHOUT_QUOTA = [
    "sender",
    "patient",
    "receiving_institution",
    "funding_source",
    "specialty",
    "diagnosis_code",
    "diagnosis_text",
    "medical_summary",
    "covering_letter",
]

SELF_PAY_BAD_INPUT = {
    **{f"missing-{f}": ({f: MISSING}, f) for f in REQUIRED_WITHOUT_QUOTA},
    **{
        f"blank-{f}": ({f: "  "}, f)
        for f in ("diagnosis_code", "diagnosis_text", "medical_summary", "covering_letter")
    },
    "funding-quota": ({"funding_source": "quota"}, "funding_source"),
    "funding-unknown": ({"funding_source": "bitcoin"}, "funding_source"),
    "specialty-unknown": ({"specialty": "astrology"}, "specialty"),
    "specialty-id": ({"specialty": ["oncology"]}, "specialty"),
    "diagnosis-not-icd": ({"diagnosis_code": "breast"}, "diagnosis_code"),
    "diagnosis-too-long": ({"diagnosis_code": "C50.912345"}, "diagnosis_code"),
    "urgency-unknown": ({"urgency": "whenever"}, "urgency"),
    "sender-unknown": ({"sender": 987654321}, "sender"),
    "sender-text": ({"sender": "ministry"}, "sender"),
    "patient-unknown": ({"patient": 987654321}, "patient"),
    "patient-text": ({"patient": "ASANOV"}, "patient"),
    "receiving-unknown": ({"receiving_institution": 987654321}, "receiving_institution"),
    "agreement-unknown": ({"agreement": 987654321}, "agreement"),
    "agreement-text": ({"agreement": "KG-TR"}, "agreement"),
}


@pytest.mark.parametrize(
    ("overrides", "field"), SELF_PAY_BAD_INPUT.values(), ids=SELF_PAY_BAD_INPUT
)
def test_create_referral_without_quota_bad_input_names_the_field(rw, overrides, field):
    w = rw
    w.patient = make_patient(w)
    before = snapshot()

    response = api(w.ministry_officer).post(LIST, self_pay_payload(w, **overrides), format="json")

    assert response.status_code == 400, body(response)
    assert field_named(response, field), body(response)
    assert snapshot() == before


def test_create_referral_without_quota_another_institutions_patient_is_unknown(rw, elsewhere):
    w = elsewhere
    w.patient = make_patient(w)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, patient=w.by_patient.pk), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "patient"), body(response)
    assert snapshot() == before


@pytest.mark.parametrize("receiver", ["embassy", "ministry", "no_specialty"])
def test_create_referral_without_quota_receiver_must_be_a_clinic_offering_the_specialty(
    rw, receiver
):
    w = rw
    w.patient = make_patient(w)
    clinic = {"embassy": w.embassy, "ministry": w.ministry}.get(receiver)
    if clinic is None:
        clinic = InstitutionFactory(name="Izmir Heart Centre", country="TR")
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.cardiac)
    else:
        InstitutionSpecialty.objects.create(institution=clinic, specialty=w.oncology)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, receiving_institution=clinic.pk), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "receiving_institution"), body(response)
    assert snapshot() == before


def test_create_referral_without_quota_agreement_must_be_the_senders(rw, elsewhere):
    w = elsewhere
    w.patient = make_patient(w)
    base = InstitutionFactory(
        name="Belarus–Russia coordination office", kind=InstitutionKind.COORDINATING_BODY
    )
    w.by_agreement.coordinator = base
    w.by_agreement.save(update_fields=["coordinator"])
    network = member(base, MembershipRole.NETWORK_COORDINATOR)

    response = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, agreement=w.by_agreement.pk), format="json"
    )

    # Whatever the answer, the other network never reads the Kyrgyz patient's referral.
    assert numbers(api(network).get(LIST)) == []
    assert response.status_code == 400, body(response)
    assert field_named(response, "agreement"), body(response)
    assert not Referral.objects.exists()


def test_create_referral_without_quota_for_a_sender_the_user_does_not_act_for_is_forbidden(rw):
    w = rw
    w.patient = make_patient(w)
    before = snapshot()

    as_embassy = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, sender=w.embassy.pk), format="json"
    )
    as_clinic = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, sender=w.hospital.pk), format="json"
    )

    for response in (as_embassy, as_clinic):
        assert response.status_code == 403, body(response)
        assert response.json()["code"] == "permission_denied"
    assert snapshot() == before


# --- Bad input: each action ------------------------------------------------------------

ACTION_BAD_INPUT = {
    # accept
    "accept-missing-date": ("accept", R.SENT, {"admission_date": MISSING}, "admission_date"),
    "accept-bad-date": ("accept", R.SENT, {"admission_date": "next week"}, "admission_date"),
    "accept-int-date": ("accept", R.SENT, {"admission_date": 20260101}, "admission_date"),
    "accept-past-date": ("accept", R.SENT, {"admission_date": "past"}, "admission_date"),
    "accept-missing-department": ("accept", R.SENT, {"department": MISSING}, "department"),
    "accept-blank-department": ("accept", R.SENT, {"department": "  "}, "department"),
    "accept-long-department": ("accept", R.SENT, {"department": "x" * 201}, "department"),
    "accept-list-department": ("accept", R.SENT, {"department": ["Oncology"]}, "department"),
    "accept-missing-contact": ("accept", R.SENT, {"contact_person": MISSING}, "contact_person"),
    "accept-null-contact": ("accept", R.SENT, {"contact_person": None}, "contact_person"),
    "accept-comment-dict": ("accept", R.SENT, {"comment": {"a": 1}}, "comment"),
    # decline
    "decline-missing-reason": ("decline", R.SENT, {"reason": MISSING}, "reason"),
    "decline-unknown-reason": ("decline", R.SENT, {"reason": "bored"}, "reason"),
    "decline-null-reason": ("decline", R.SENT, {"reason": None}, "reason"),
    "decline-other-no-comment": ("decline", R.SENT, {"reason": "other"}, "comment"),
    "decline-other-blank-comment": (
        "decline",
        R.SENT,
        {"reason": "other", "comment": "   "},
        "comment",
    ),
    # request information
    "request-info-missing": ("request_info", R.SENT, {"comment": MISSING}, "comment"),
    "request-info-blank": ("request_info", R.SENT, {"comment": " "}, "comment"),
    "request-info-list": ("request_info", R.SENT, {"comment": ["CT"]}, "comment"),
    # answer
    "answer-missing": ("answer", R.INFO_REQUESTED, {"comment": MISSING}, "comment"),
    "answer-blank": ("answer", R.INFO_REQUESTED, {"comment": ""}, "comment"),
    # admit
    "admit-missing": ("admit", R.ACCEPTED, {"admitted_on": MISSING}, "admitted_on"),
    "admit-bad": ("admit", R.ACCEPTED, {"admitted_on": "yesterday"}, "admitted_on"),
    "admit-future": ("admit", R.ACCEPTED, {"admitted_on": "future"}, "admitted_on"),
    "admit-list": ("admit", R.ACCEPTED, {"admitted_on": ["2026-01-01"]}, "admitted_on"),
    # discharge
    "discharge-missing-date": (
        "discharge",
        R.ADMITTED,
        {"discharged_on": MISSING},
        "discharged_on",
    ),
    "discharge-future": ("discharge", R.ADMITTED, {"discharged_on": "future"}, "discharged_on"),
    "discharge-before-admission": (
        "discharge",
        R.ADMITTED,
        {"discharged_on": "before_admission"},
        "discharged_on",
    ),
    "discharge-missing-outcome": ("discharge", R.ADMITTED, {"outcome": MISSING}, "outcome"),
    "discharge-unknown-outcome": ("discharge", R.ADMITTED, {"outcome": "cured"}, "outcome"),
    "discharge-int-outcome": ("discharge", R.ADMITTED, {"outcome": 1}, "outcome"),
    "discharge-missing-summary": (
        "discharge",
        R.ADMITTED,
        {"discharge_summary": MISSING},
        "discharge_summary",
    ),
    "discharge-blank-summary": (
        "discharge",
        R.ADMITTED,
        {"discharge_summary": "   "},
        "discharge_summary",
    ),
    # no-show
    "no-show-comment-list": ("no_show", R.ACCEPTED, {"comment": ["away"]}, "comment"),
    # cancel
    "cancel-missing": ("cancel", R.SENT, {"comment": MISSING}, "comment"),
    "cancel-blank": ("cancel", R.ACCEPTED, {"comment": "  "}, "comment"),
    "cancel-null": ("cancel", R.SENT, {"comment": None}, "comment"),
}

DATE_WORDS = {
    "past": lambda: days(-1).isoformat(),
    "future": lambda: days(1).isoformat(),
    "before_admission": lambda: days(-6).isoformat(),
}


@pytest.mark.parametrize(
    ("action", "status", "overrides", "field"), ACTION_BAD_INPUT.values(), ids=ACTION_BAD_INPUT
)
def test_action_bad_input_names_the_field_and_changes_nothing(rw, action, status, overrides, field):
    w = rw
    referral = send(w, approved(w))
    if status == R.ADMITTED:
        # Sent ten days ago and admitted five days ago, so that a discharge before the
        # admission can be tried.
        Referral.objects.filter(pk=referral.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=10)
        )
        advance(w, referral, R.ACCEPTED)
        api(w.clinic_coordinator).post(
            url(referral, "admit"), {"admitted_on": days(-5).isoformat()}, format="json"
        )
        referral.refresh_from_db()
        assert referral.status == R.ADMITTED
    else:
        advance(w, referral, status)
    user = w.ministry_officer if action in ("answer", "cancel") else w.clinic_coordinator
    data = action_body(action)
    for key, value in overrides.items():
        if value is MISSING:
            data.pop(key, None)
        elif isinstance(value, str) and value in DATE_WORDS:
            data[key] = DATE_WORDS[value]()
        else:
            data[key] = value
    before = snapshot()

    response = api(user).post(url(referral, action), data, format="json")

    assert response.status_code == 400, body(response)
    assert field_named(response, field), body(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "action",
    ["accept", "decline", "request_info", "answer", "admit", "discharge", "no_show", "cancel"],
)
def test_action_on_unknown_referral_is_not_found(rw, action):
    w = rw
    response = api(w.clinic_coordinator).post(url(987654321, action), {}, format="json")
    assert response.status_code == 404, body(response)


@pytest.mark.parametrize(
    "action",
    ["accept", "decline", "request_info", "answer", "admit", "discharge", "no_show", "cancel"],
)
@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'"accept"'])
def test_action_malformed_body_is_a_client_error(rw, action, content):
    w = rw
    referral = referral_in(w, R.SENT)
    user = w.ministry_officer if action in ("answer", "cancel") else w.clinic_coordinator
    before = snapshot()

    response = api(user).post(url(referral, action), content, content_type="application/json")

    assert 400 <= response.status_code < 500, body(response)
    assert snapshot() == before


def test_admission_today_and_admission_before_the_agreed_date_are_accepted(rw):
    """The boundaries: today is not in the past, and a patient may arrive early."""
    w = rw
    referral = referral_in(w, R.SENT)
    clinic = api(w.clinic_coordinator)

    accepted = clinic.post(
        url(referral, "accept"),
        {**action_body("accept"), "admission_date": today().isoformat()},
        format="json",
    )
    assert accepted.status_code == 200, body(accepted)
    admitted = clinic.post(url(referral, "admit"), {"admitted_on": today().isoformat()})
    assert admitted.status_code == 200, body(admitted)
    discharged = clinic.post(
        url(referral, "discharge"),
        {**action_body("discharge"), "discharged_on": today().isoformat()},
        format="json",
    )
    assert discharged.status_code == 200, body(discharged)


# --- Who sees what --------------------------------------------------------------------


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, body(response)
    return sorted(r["number"] for r in response.json()["results"])


@pytest.fixture
def caseload(rw):
    """Referrals in every worklist of Ankara City Hospital, and one to Hacettepe."""
    w = rw
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=w.cardiac)
    w.sent = referral_in(w, R.SENT)
    w.info = referral_in(w, R.INFO_REQUESTED)
    w.accepted = referral_in(w, R.ACCEPTED)
    w.admitted = referral_in(w, R.ADMITTED)
    w.declined = referral_in(w, R.DECLINED)
    w.discharged = referral_in(w, R.DISCHARGED)
    w.cancelled = referral_in(w, R.CANCELLED)
    w.elsewhere = referral_in(w, R.SENT, clinic=w.second)
    cardiac_patient = make_patient(
        w, name_latin="KADYROVA AIDA", name_native="Кадырова Аида", document_number="AC 7654321"
    )
    w.cardiac_referral = send(w, approved(w, specialty=w.cardiac, patient=cardiac_patient))
    # Admission dates apart, for the date range.
    Referral.objects.filter(pk=w.accepted.pk).update(admission_date=days(5))
    Referral.objects.filter(pk=w.admitted.pk).update(admission_date=days(20))
    w.hospital_numbers = sorted(
        r.number
        for r in (
            w.sent,
            w.info,
            w.accepted,
            w.admitted,
            w.declined,
            w.discharged,
            w.cancelled,
            w.cardiac_referral,
        )
    )
    return w


def test_clinic_lists_only_referrals_addressed_to_it(caseload):
    w = caseload

    assert numbers(api(w.clinic_coordinator).get(LIST)) == w.hospital_numbers
    assert numbers(api(w.second_coordinator).get(LIST)) == [w.elsewhere.number]
    assert numbers(api(w.outsider).get(LIST)) == []
    assert numbers(api(w.kz_officer).get(LIST)) == []
    everything = sorted([*w.hospital_numbers, w.elsewhere.number])
    assert numbers(api(w.ministry_officer).get(LIST)) == everything
    assert numbers(api(w.embassy_officer).get(LIST)) == everything


def test_anonymous_lists_nothing(caseload):
    assert api().get(LIST).status_code in (401, 403)
    assert api().get(url(caseload.sent)).status_code in (401, 403)


def test_clinic_cannot_read_another_clinics_referral_nor_the_application(caseload):
    w = caseload
    clinic = api(w.clinic_coordinator)

    assert clinic.get(url(w.elsewhere)).status_code == 404
    assert clinic.get(f"{url(w.elsewhere)}documents/").status_code == 404
    assert clinic.get(f"/api/v1/applications/{w.sent.application_id}/").status_code == 404
    assert clinic.get(f"/api/v1/patients/{w.sent.patient_id}/").status_code == 404
    assert api(w.second_coordinator).get(url(w.sent)).status_code == 404
    assert api(w.outsider).get(url(w.sent)).status_code == 404


def test_clinic_payload_has_no_identity_document_nor_address(rw):
    w = rw
    patient = make_patient(
        w,
        name_latin="ASANOVA GULNAZ",
        document_number="AC1234567",
        address="Chui Avenue 114, Bishkek",
        phone="+996 555 123 456",
        email="gulnaz@example.kg",
    )
    referral = send(w, approved(w, patient=patient))
    clinic = api(w.clinic_coordinator)

    for response in (clinic.get(url(referral)), clinic.get(LIST)):
        assert response.status_code == 200, body(response)
        text = response.content.decode()
        assert "ASANOVA GULNAZ" in text
        for secret in ("AC1234567", "Chui Avenue", "555 123 456", "gulnaz@example.kg"):
            assert secret not in text
    seen = clinic.get(url(referral)).json()["patient"]
    assert not {"document_number", "document_type", "address", "phone", "email"} & set(seen)


def test_sender_sees_the_discharge_summary_after_discharge(rw):
    w = rw
    referral = referral_in(w, R.ADMITTED)
    summary = "Lumpectomy with sentinel node biopsy; follow-up in 3 months."

    before = api(w.ministry_officer).get(url(referral)).json()
    assert before["discharge_summary"] == ""
    response = api(w.clinic_coordinator).post(
        url(referral, "discharge"),
        {"discharged_on": today().isoformat(), "outcome": "improved", "discharge_summary": summary},
        format="json",
    )
    assert response.status_code == 200, body(response)

    for officer in (w.ministry_officer, w.embassy_officer):
        seen = api(officer).get(url(referral)).json()
        assert seen["status"] == "discharged"
        assert seen["outcome"] == "improved"
        assert seen["discharge_summary"] == summary
        assert seen["discharged_on"] == today().isoformat()
        assert [e["to_status"] for e in seen["history"]] == [
            "sent",
            "accepted",
            "admitted",
            "discharged",
        ]


WORKLISTS = {
    "incoming": ("clinic", ["sent", "info"]),
    "awaiting_admission": ("clinic", ["accepted"]),
    "admitted": ("clinic", ["admitted"]),
    "awaiting_answer": ("officer", ["sent", "info", "elsewhere"]),
    "declined": ("officer", ["declined"]),
    "discharged": ("officer", ["discharged"]),
}


@pytest.mark.parametrize(("worklist", "expected"), WORKLISTS.items(), ids=WORKLISTS)
def test_worklist_filter(caseload, worklist, expected):
    w = caseload
    who, names = expected
    user = w.clinic_coordinator if who == "clinic" else w.ministry_officer
    if worklist in ("incoming", "awaiting_answer"):
        names = [*names, "cardiac_referral"]

    response = api(user).get(LIST, {"worklist": worklist})

    assert numbers(response) == sorted(getattr(w, n).number for n in names)


def test_search_by_number_and_patient_name(caseload):
    w = caseload
    clinic = api(w.clinic_coordinator)

    assert numbers(clinic.get(LIST, {"q": w.accepted.number})) == [w.accepted.number]
    assert numbers(clinic.get(LIST, {"q": w.accepted.number.lower()})) == [w.accepted.number]
    assert numbers(clinic.get(LIST, {"q": "kadyrova"})) == [w.cardiac_referral.number]
    assert numbers(clinic.get(LIST, {"q": "Кадырова"})) == [w.cardiac_referral.number]
    # Another clinic's referral is not found by its number either.
    assert numbers(clinic.get(LIST, {"q": w.elsewhere.number})) == []
    # The identity document is not a search key for the clinic.
    assert numbers(clinic.get(LIST, {"q": "AC 7654321"})) == []


def test_filter_by_status_specialty_and_admission_dates(caseload):
    w = caseload
    clinic = api(w.clinic_coordinator)

    assert numbers(clinic.get(LIST, {"status": ["accepted", "admitted"]})) == sorted(
        [w.accepted.number, w.admitted.number]
    )
    assert numbers(clinic.get(LIST, {"status": "cancelled"})) == [w.cancelled.number]
    assert numbers(clinic.get(LIST, {"specialty": "cardiac_surgery"})) == [
        w.cardiac_referral.number
    ]
    assert numbers(
        clinic.get(LIST, {"admission_from": days(1).isoformat(), "admission_until": days(6)})
    ) == [w.accepted.number]
    assert numbers(clinic.get(LIST, {"admission_from": days(15).isoformat()})) == sorted(
        [w.admitted.number]
    )
    assert numbers(clinic.get(LIST, {"admission_until": days(5).isoformat()})) == [
        w.accepted.number
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"worklist": "everything"}, "worklist"),
        ({"status": "lost"}, "status"),
        ({"specialty": "astrology"}, "specialty"),
        ({"admission_from": "soon"}, "admission_from"),
        ({"admission_until": "2026-13-45"}, "admission_until"),
        ({"funding_source": "bitcoin"}, "funding_source"),
    ],
)
def test_filter_bad_values_name_the_parameter(caseload, params, field):
    response = api(caseload.clinic_coordinator).get(LIST, params)

    assert response.status_code == 400, body(response)
    assert field_named(response, field), body(response)


# --- Referrals without a quota ----------------------------------------------------------


@pytest.mark.parametrize("funding_source", ["self_pay", "insurance", "state_budget"])
def test_referral_without_quota_runs_the_same_workflow_without_a_slot(rw, funding_source):
    w = rw
    w.patient = make_patient(w)
    officer, clinic = api(w.ministry_officer), api(w.clinic_coordinator)
    allocations = Allocation.objects.count()

    created = officer.post(
        LIST, self_pay_payload(w, funding_source=funding_source, urgency="urgent"), format="json"
    )

    assert created.status_code == 201, body(created)
    data = created.json()
    assert data["funding_source"] == funding_source
    assert data["status"] == "sent"
    assert data["application"] is None
    assert data["allocation_state"] is None
    assert re.fullmatch(rf"KG-TR-{today().year}-P\d{{6}}", data["number"]), data["number"]
    referral = Referral.objects.get(pk=data["id"])
    assert (referral.sender, referral.patient, referral.urgency) == (
        w.ministry,
        w.patient,
        "urgent",
    )
    assert referral.created_by == w.ministry_officer
    assert numbers(clinic.get(LIST, {"worklist": "incoming"})) == [data["number"]]

    for action in ("accept", "admit", "discharge"):
        response = clinic.post(url(data["id"], action), action_body(action), format="json")
        assert response.status_code == 200, (action, body(response))
        assert response.json()["allocation_state"] is None

    seen = officer.get(url(data["id"])).json()
    assert seen["status"] == "discharged"
    assert seen["discharge_summary"] == "Lumpectomy, uneventful recovery."
    assert [(e["from_status"], e["to_status"]) for e in seen["history"]] == [
        ("", "sent"),
        ("sent", "accepted"),
        ("accepted", "admitted"),
        ("admitted", "discharged"),
    ]
    assert Allocation.objects.count() == allocations


def test_referral_without_quota_no_show_and_cancel_touch_no_slot(rw):
    w = rw
    no_show = referral_in(w, R.ACCEPTED, quota=False)
    cancelled = referral_in(w, R.SENT, quota=False)

    a = api(w.clinic_coordinator).post(url(no_show, "no_show"), {}, format="json")
    b = api(w.ministry_officer).post(url(cancelled, "cancel"), action_body("cancel"))

    assert a.status_code == 200, body(a)
    assert b.status_code == 200, body(b)
    assert not Allocation.objects.exists()


def test_quota_funding_without_application_is_refused(rw):
    w = rw
    w.patient = make_patient(w)
    before = snapshot()

    response = api(w.ministry_officer).post(
        LIST, self_pay_payload(w, funding_source="quota"), format="json"
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "funding_source"), body(response)
    assert snapshot() == before


def test_two_referrals_without_quota_get_distinct_numbers(rw):
    w = rw
    first = send_without_quota(w)
    second = send_without_quota(w, funding_source="insurance")

    assert first.number != second.number
    assert first.number.endswith(f"P{first.pk:06d}")
    assert second.number.endswith(f"P{second.pk:06d}")


# --- Documents ----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def shared(rw, media):
    """A referral sharing one of its application's two documents."""
    w = rw
    application = approved(w)
    w.shared_doc = application_services.application_document_add(
        actor=w.ministry_officer,
        application_id=application.pk,
        upload=SimpleUploadedFile("biopsy report.pdf", PDF),
    )
    w.private_doc = application_services.application_document_add(
        actor=w.ministry_officer,
        application_id=application.pk,
        upload=SimpleUploadedFile("passport.png", PNG),
        kind="identity",
    )
    response = api(w.ministry_officer).post(
        LIST,
        {
            "application": application.pk,
            "receiving_institution": w.hospital.pk,
            "covering_letter": "Biopsy attached.",
            "shared_documents": [w.shared_doc.pk],
        },
        format="json",
    )
    assert response.status_code == 201, body(response)
    w.referral = Referral.objects.get(pk=response.json()["id"])
    return w


def download_url(referral: Referral, origin: str, document_id: int) -> str:
    return f"{url(referral)}documents/{origin}/{document_id}/"


def downloads(user: Any, document: Any) -> int:
    return AccessRecord.objects.filter(
        user=user,
        action=AccessAction.DOWNLOAD,
        object_type=document.__class__.__name__.lower(),
        object_id=str(document.pk),
    ).count()


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_shared_application_document_downloadable_by_both_sides(shared):
    w = shared
    link = download_url(w.referral, "application", w.shared_doc.pk)

    listed = api(w.clinic_coordinator).get(f"{url(w.referral)}documents/")
    assert listed.status_code == 200, body(listed)
    rows = listed.json()["results"]
    assert [(d["origin"], d["id"]) for d in rows] == [("application", w.shared_doc.pk)]
    assert rows[0]["download_url"] == link

    for user in (w.clinic_coordinator, w.ministry_officer, w.embassy_officer):
        response = api(user).get(link)
        assert response.status_code == 200
        assert content_of(response) == PDF
        assert downloads(user, w.shared_doc) == 1
        record = AccessRecord.objects.get(
            user=user, action=AccessAction.DOWNLOAD, object_id=str(w.shared_doc.pk)
        )
        assert record.patient_id == w.referral.patient_id


def test_unshared_application_document_not_downloadable_through_the_referral(shared):
    w = shared
    link = download_url(w.referral, "application", w.private_doc.pk)

    response = api(w.clinic_coordinator).get(link)

    assert response.status_code == 404
    assert downloads(w.clinic_coordinator, w.private_doc) == 0


def test_clinic_discharge_document_downloadable_by_the_sender(shared, media):
    w = shared
    advance(w, w.referral, R.DISCHARGED)

    uploaded = api(w.clinic_coordinator).post(
        f"{url(w.referral)}documents/",
        {"file": SimpleUploadedFile("epicrisis.pdf", PDF), "kind": "medical_report"},
        format="multipart",
    )

    assert uploaded.status_code == 201, body(uploaded)
    document_id = uploaded.json()["id"]
    document = w.referral.documents.get(pk=document_id)
    assert document.uploaded_by == w.clinic_coordinator
    link = download_url(w.referral, "referral", document_id)
    for user in (w.ministry_officer, w.embassy_officer, w.clinic_coordinator):
        response = api(user).get(link)
        assert response.status_code == 200
        assert content_of(response) == PDF
        assert downloads(user, document) == 1
    seen = api(w.ministry_officer).get(url(w.referral)).json()
    assert {(d["origin"], d["id"]) for d in seen["documents"]} == {
        ("application", w.shared_doc.pk),
        ("referral", document_id),
    }


def test_another_clinic_cannot_list_download_or_upload(shared, media):
    w = shared
    document = api(w.clinic_coordinator).post(
        f"{url(w.referral)}documents/",
        {"file": SimpleUploadedFile("scan.png", PNG)},
        format="multipart",
    )
    assert document.status_code == 201, body(document)
    files = stored_files(media)

    for user in (w.second_coordinator, w.outsider, w.kz_officer):
        client = api(user)
        assert client.get(f"{url(w.referral)}documents/").status_code == 404
        assert (
            client.get(download_url(w.referral, "application", w.shared_doc.pk)).status_code == 404
        )
        assert (
            client.get(download_url(w.referral, "referral", document.json()["id"])).status_code
            == 404
        )
        posted = client.post(
            f"{url(w.referral)}documents/",
            {"file": SimpleUploadedFile("scan.png", PNG)},
            format="multipart",
        )
        assert posted.status_code == 404
    assert not AccessRecord.objects.filter(
        user__in=[w.second_coordinator, w.outsider, w.kz_officer], action=AccessAction.DOWNLOAD
    ).exists()
    assert stored_files(media) == files


def test_document_of_one_referral_not_downloadable_through_another(shared):
    w = shared
    other = referral_in(w, R.SENT)

    response = api(w.clinic_coordinator).get(download_url(other, "application", w.shared_doc.pk))

    assert response.status_code == 404


REFUSED_UPLOADS = {
    "text-as-pdf": ("report.pdf", b"Only text pretending to be a PDF.\n" * 20),
    "html-as-pdf": ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "executable": ("scan.png", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "zip": ("report.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100),
    "empty": ("report.pdf", b""),
}


@pytest.mark.parametrize(("name", "content"), REFUSED_UPLOADS.values(), ids=REFUSED_UPLOADS)
def test_referral_upload_accepts_only_pdf_and_images(shared, media, name, content):
    w = shared
    files = stored_files(media)
    before = snapshot()

    response = api(w.clinic_coordinator).post(
        f"{url(w.referral)}documents/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    assert response.status_code == 400, body(response)
    assert field_named(response, "file"), body(response)
    assert snapshot() == before
    assert stored_files(media) == files


def test_referral_upload_unknown_kind_or_no_file_refused(shared, media):
    w = shared
    files = stored_files(media)
    before = snapshot()
    client = api(w.clinic_coordinator)

    kind = client.post(
        f"{url(w.referral)}documents/",
        {"file": SimpleUploadedFile("r.pdf", PDF), "kind": "selfie"},
        format="multipart",
    )
    missing = client.post(f"{url(w.referral)}documents/", {"kind": "imaging"}, format="multipart")

    assert kind.status_code == 400, body(kind)
    assert field_named(kind, "kind"), body(kind)
    assert missing.status_code == 400, body(missing)
    assert field_named(missing, "file"), body(missing)
    assert snapshot() == before
    assert stored_files(media) == files


def test_no_upload_to_a_closed_referral(shared, media):
    w = shared
    advance(w, w.referral, R.CANCELLED)

    response = api(w.clinic_coordinator).post(
        f"{url(w.referral)}documents/",
        {"file": SimpleUploadedFile("r.pdf", PDF)},
        format="multipart",
    )

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "not_editable"
    assert sorted(stored_files(media)) == sorted(
        [Path(w.shared_doc.file.path), Path(w.private_doc.file.path)]
    )


# --- Query counts ----------------------------------------------------------------------------


def _referrals_for_list(w: Any, count: int) -> None:
    """``count`` referrals to Ankara in assorted states, with and without a quota."""
    states = [R.SENT, R.ACCEPTED, R.DISCHARGED, R.DECLINED, R.INFO_REQUESTED]
    for i in range(count):
        referral_in(w, states[i % len(states)], quota=bool(i % 3))


# Fixed, whatever the number of rows: the user's memberships, the count, the page, one
# INSERT of the audit rows; officers add one lookup of which of their institutions send.
LIST_QUERIES = {"clinic_coordinator": 4, "ministry_officer": 5, "embassy_officer": 5}


def visible_to(who: str) -> int:
    if who == "embassy_officer":  # its channel's referrals, not the ministry's self-paying ones
        return Referral.objects.filter(application__isnull=False).count()
    return Referral.objects.count()


@pytest.mark.parametrize("who", list(LIST_QUERIES))
def test_referral_list_runs_a_fixed_number_of_queries(rw, who, django_assert_num_queries):
    w = rw
    user = getattr(w, who)
    api(user).get(LIST)  # the first request of the test process may warm caches

    for count in (3, 13):
        _referrals_for_list(w, count - Referral.objects.count())
        client = api(user)
        with django_assert_num_queries(LIST_QUERIES[who]):
            response = client.get(LIST)
        assert response.status_code == 200, body(response)
        assert len(response.json()["results"]) == visible_to(who) > 0
    assert Referral.objects.count() == 13


def test_referral_list_filters_do_not_add_queries_per_row(rw, django_assert_num_queries):
    w = rw
    _referrals_for_list(w, 13)
    api(w.clinic_coordinator).get(LIST)
    client = api(w.clinic_coordinator)

    # The specialty filter looks its code up once.
    with django_assert_num_queries(LIST_QUERIES["clinic_coordinator"] + 1):
        response = client.get(
            LIST,
            {
                "specialty": "oncology",
                "worklist": "incoming",
                "q": "ASANOV",
                "status": ["sent", "info_requested"],
                "funding_source": "quota",
            },
        )
    assert response.status_code == 200, body(response)
    expected = Referral.objects.filter(
        status__in=["sent", "info_requested"], funding_source="quota"
    ).count()
    assert len(response.json()["results"]) == expected > 0


def test_nothing_is_sent_for_a_closed_application(rw):
    """An application that has lapsed or been withdrawn cannot be referred."""
    w = rw
    application = approved(w)
    application_services.application_withdraw(
        actor=w.ministry_officer, application_id=application.pk, reason="patient_declined"
    )
    before = snapshot()

    response = api(w.ministry_officer).post(LIST, quota_payload(w, application), format="json")

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_clinic_coordinator_of_the_receiving_clinic_cannot_send(rw):
    w = rw
    application = approved(w)
    before = snapshot()

    response = api(w.clinic_coordinator).post(LIST, quota_payload(w, application), format="json")

    assert response.status_code == 400, body(response)
    assert field_named(response, "application")
    assert snapshot() == before


def test_a_user_on_both_sides_sees_both_and_the_clinic_still_only_its_own(rw):
    """A coordinator who is also a ministry officer sees both sides; no other user does."""
    w = rw
    both = member(w.hospital, MembershipRole.CLINIC_COORDINATOR)
    Membership.objects.create(
        user=both, institution=w.ministry, role=MembershipRole.MINISTRY_OFFICER
    )
    to_second = referral_in(w, R.SENT, clinic=w.second)
    to_hospital = referral_in(w, R.SENT)

    assert numbers(api(both).get(LIST)) == sorted([to_second.number, to_hospital.number])
    assert numbers(api(w.clinic_coordinator).get(LIST)) == [to_hospital.number]
