import pytest
from rest_framework.test import APIClient

from audit.models import AccessRecord
from tests.support.factories import SpecialtyFactory


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_application_from_registration_to_approval_through_the_api(kg_tr_world):
    w = kg_tr_world
    SpecialtyFactory(code="oncology")
    ministry = api(w.ministry_officer)
    patient = ministry.post(
        "/api/v1/patients/",
        {
            "name_native": "Асанова Гулназ",
            "name_latin": "ASANOVA GULNAZ",
            "birth_date": "1979-02-11",
            "sex": "female",
            "citizenship": "KG",
            "document_type": "passport",
            "document_number": "AC 1234567",
            "document_country": "KG",
        },
        format="json",
    )
    assert patient.status_code == 201, patient.json()
    created = ministry.post(
        "/api/v1/applications/",
        {
            "channel": w.embassy_channel.pk,
            "patient": patient.json()["id"],
            "specialty": "oncology",
            "diagnosis_code": "c50.9",
            "diagnosis_text": "Breast cancer",
            "medical_summary": "Stage II",
            "urgency": "urgent",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["number"] == "KG-TR-2026-000001"
    assert body["status"] == "draft"
    number = body["id"]
    assert ministry.post(f"/api/v1/applications/{number}/submit/").json()["status"] == "submitted"
    embassy = api(w.embassy_officer)
    assert embassy.post(f"/api/v1/applications/{number}/start-review/").status_code == 200
    approved = embassy.post(f"/api/v1/applications/{number}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["allocation"]["state"] == "held"
    detail = ministry.get(f"/api/v1/applications/{number}/").json()
    assert [e["to_status"] for e in detail["history"]] == [
        "draft",
        "submitted",
        "in_review",
        "approved",
    ]
    assert AccessRecord.objects.filter(object_type="application", action="view").exists()
    refused = embassy.post(f"/api/v1/applications/{number}/approve/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert api(w.outsider).get(f"/api/v1/applications/{number}/").status_code == 404
