"""Registering a known identity document reveals nothing and grants no read by itself.

The embassy registers a patient; the ministry then presents the same passport.
The embassy keeps seeing everything; the ministry learns only the patient's id,
may apply for them with it, and sees the record only once it has an application.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from patients.models import Patient
from tests.support.api import PATIENT_DATA, api, application_payload, body

pytestmark = pytest.mark.django_db

URL = "/api/v1/patients/"
STORED = {
    **PATIENT_DATA,
    "phone": "+996 555 123 456",
    "address": "Bishkek, Chui avenue 12",
}
# What a stranger types: the passport only, and a name of their own.
GUESSED = {**PATIENT_DATA, "name_native": "Кто-то", "name_latin": "SOMEONE"}


@pytest.fixture
def registered(world):
    """A patient the embassy registered, with an address and a phone."""
    response = api(world.embassy_officer).post(URL, STORED, format="json")
    assert response.status_code == 201, body(response)
    world.patient = Patient.objects.get(pk=response.json()["id"])
    return world


def _stored_values_in(text: str) -> list[str]:
    return [
        value
        for value in (
            STORED["name_latin"],
            STORED["name_native"],
            STORED["phone"],
            STORED["address"],
        )
        if value in text
    ]


def test_registering_a_known_document_answers_only_the_id_and_what_was_sent(registered):
    w = registered

    response = api(w.ministry_officer).post(URL, GUESSED, format="json")

    assert response.status_code == 200, body(response)
    data = response.json()
    assert data["id"] == w.patient.pk
    assert data["name_latin"] == "SOMEONE"
    assert _stored_values_in(response.content.decode()) == []
    assert "phone" not in data or data["phone"] in ("", None)
    assert "registered_by" not in data


def test_registering_a_known_document_grants_no_read(registered):
    w = registered
    api(w.ministry_officer).post(URL, GUESSED, format="json")
    client = api(w.ministry_officer)

    assert client.get(f"{URL}{w.patient.pk}/").status_code == 404
    listed = client.get(URL, {"q": "AC1234567"}).json()
    assert listed["results"] == []
    assert client.patch(f"{URL}{w.patient.pk}/", {"phone": "1"}, format="json").status_code == 404


def test_the_first_institution_still_sees_everything(registered):
    w = registered
    api(w.ministry_officer).post(URL, GUESSED, format="json")

    again = api(w.embassy_officer).post(URL, GUESSED, format="json")
    read = api(w.embassy_officer).get(f"{URL}{w.patient.pk}/")

    assert again.status_code == 200
    assert again.json()["address"] == STORED["address"]
    assert read.status_code == 200
    assert read.json()["phone"] == STORED["phone"]
    assert read.json()["name_latin"] == STORED["name_latin"]


def test_the_registering_sender_applies_with_the_id_and_then_sees_the_patient(registered):
    w = registered
    patient_id = api(w.ministry_officer).post(URL, GUESSED, format="json").json()["id"]

    created = api(w.ministry_officer).post(
        "/api/v1/applications/",
        application_payload(w, patient_id, channel=w.ministry_channel),
        format="json",
    )

    assert created.status_code == 201, body(created)
    assert Application.objects.get().patient_id == w.patient.pk
    read = api(w.ministry_officer).get(f"{URL}{patient_id}/")
    assert read.status_code == 200
    assert read.json()["name_latin"] == STORED["name_latin"]  # the record, unchanged


def test_applying_for_a_patient_never_registered_is_refused_naming_the_field(registered):
    w = registered

    response = api(w.ministry_officer).post(
        "/api/v1/applications/",
        application_payload(w, w.patient.pk, channel=w.ministry_channel),
        format="json",
    )

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Application.objects.exists()


def test_pages_of_a_patient_only_registered_again_show_nothing(registered, login):
    w = registered
    api(w.ministry_officer).post(URL, GUESSED, format="json")
    client = login(w.ministry_officer)

    assert client.get(reverse("patient-detail", args=[w.patient.pk])).status_code == 404
    for q in ("AC1234567", "ASANOVA"):
        page = client.get(reverse("search"), {"q": q})
        assert page.status_code == 200
        assert _stored_values_in(page.content.decode()) == []
    picked = client.get(reverse("application-create"), {"patient": w.patient.pk})
    assert _stored_values_in(picked.content.decode()) == []


def _form(w, **overrides):
    data = {
        "channel": w.ministry_channel.pk,
        **GUESSED,
        "preferred_language": "ru",
        "specialty": w.oncology.pk,
        "diagnosis_code": "C50.9",
        "diagnosis_text": "Malignant neoplasm of breast",
        "urgency": "routine",
        "medical_summary": "Stage II, surgery indicated.",
        "document_kind": "medical_report",
    }
    data.update(overrides)
    return data


def test_the_application_form_registers_and_applies_in_one_go(registered, login):
    w = registered
    client = login(w.ministry_officer)

    response = client.post(reverse("application-create"), _form(w))

    application = Application.objects.get()
    assert response.status_code == 302
    assert application.patient_id == w.patient.pk
    w.patient.refresh_from_db()
    assert w.patient.name_latin == STORED["name_latin"]  # not overwritten by the form
    assert client.get(reverse("patient-detail", args=[w.patient.pk])).status_code == 200
