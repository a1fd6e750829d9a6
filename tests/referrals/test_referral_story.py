"""The whole Kyrgyz–Turkish story through the API, as the systems of each side would drive it."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from allocations.models import Allocation
from institutions.choices import MembershipRole
from institutions.models import InstitutionSpecialty
from tests.support.factories import InstitutionFactory, SpecialtyFactory
from tests.support.world import member


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ok(response, status=200):
    assert response.status_code == status, response.json()
    return response.json()


@pytest.mark.django_db
def test_story_create_review_approve_refer_decline_rerefer_accept_admit_discharge(kg_tr_world):
    w = kg_tr_world
    cardiac = SpecialtyFactory(code="cardiac-surgery")
    second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    for hospital in (w.hospital, second):
        InstitutionSpecialty.objects.create(institution=hospital, specialty=cardiac)
        w.pool.eligible_institutions.add(hospital)
    second_coordinator = member(second, MembershipRole.CLINIC_COORDINATOR)
    ministry, embassy = api(w.ministry_officer), api(w.embassy_officer)
    first_clinic, second_clinic = api(w.clinic_coordinator), api(second_coordinator)

    patient = ok(
        ministry.post(
            "/api/v1/patients/",
            {
                "name_native": "Жумабеков Эрлан",
                "name_latin": "ZHUMABEKOV ERLAN",
                "birth_date": "1961-04-21",
                "sex": "male",
                "citizenship": "KG",
                "document_type": "passport",
                "document_number": "AN 5550001",
                "document_country": "KG",
            },
            format="json",
        ),
        201,
    )
    application = ok(
        ministry.post(
            "/api/v1/applications/",
            {
                "channel": w.embassy_channel.pk,
                "patient": patient["id"],
                "specialty": "cardiac-surgery",
                "diagnosis_code": "I25.1",
                "diagnosis_text": "Three-vessel coronary disease",
                "medical_summary": "CABG indicated; not available at home.",
                "urgency": "urgent",
            },
            format="json",
        ),
        201,
    )
    app = f"/api/v1/applications/{application['id']}"
    ok(ministry.post(f"{app}/submit/"))
    ok(embassy.post(f"{app}/start-review/"))
    approved = ok(embassy.post(f"{app}/approve/"))
    assert approved["status"] == "approved"
    allocation = Allocation.objects.get(pk=approved["allocation"]["id"])

    first = ok(
        ministry.post(
            "/api/v1/referrals/",
            {
                "application": application["id"],
                "receiving_institution": w.hospital.pk,
                "covering_letter": "Please admit for CABG.",
            },
            format="json",
        ),
        201,
    )
    assert first["number"] == f"{application['number']}-R1"
    # The clinic's worklist shows it; the other clinic sees nothing.
    incoming = ok(first_clinic.get("/api/v1/referrals/", {"worklist": "incoming"}))
    assert [r["number"] for r in incoming["results"]] == [first["number"]]
    assert second_clinic.get(f"/api/v1/referrals/{first['id']}/").status_code == 404
    assert first_clinic.get(app + "/").status_code == 404

    ok(first_clinic.post(f"/api/v1/referrals/{first['id']}/decline/", {"reason": "no_capacity"}))
    allocation.refresh_from_db()
    assert allocation.state == "held"

    second_referral = ok(
        ministry.post(
            "/api/v1/referrals/",
            {
                "application": application["id"],
                "receiving_institution": second.pk,
                "covering_letter": "Declined by Ankara for capacity; please admit.",
            },
            format="json",
        ),
        201,
    )
    ref = f"/api/v1/referrals/{second_referral['id']}"
    admission = timezone.localdate() + datetime.timedelta(days=10)
    accepted = ok(
        second_clinic.post(
            f"{ref}/accept/",
            {
                "admission_date": admission.isoformat(),
                "department": "Cardiovascular surgery",
                "contact_person": "Dr. Ayşe Yılmaz",
            },
            format="json",
        )
    )
    assert accepted["allocation_state"] == "confirmed"
    allocation.refresh_from_db()
    assert allocation.held_until.date() == admission + datetime.timedelta(
        days=w.pool.admission_grace_days
    )

    ok(second_clinic.post(f"{ref}/admit/", {"admitted_on": timezone.localdate().isoformat()}))
    allocation.refresh_from_db()
    assert allocation.state == "used"
    ok(
        second_clinic.post(
            f"{ref}/discharge/",
            {
                "discharged_on": timezone.localdate().isoformat(),
                "outcome": "treated",
                "discharge_summary": "CABG x3, uneventful recovery. Follow-up in 3 months.",
            },
            format="json",
        )
    )

    seen_by_sender = ok(ministry.get(f"{ref}/"))
    assert seen_by_sender["status"] == "discharged"
    assert seen_by_sender["outcome"] == "treated"
    assert "uneventful recovery" in seen_by_sender["discharge_summary"]
    attempts = ok(ministry.get("/api/v1/referrals/", {"application": application["id"]}))
    assert sorted(r["status"] for r in attempts["results"]) == ["declined", "discharged"]
