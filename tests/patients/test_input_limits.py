"""A patient's bad input: dates of birth out of range, too long texts, loosely typed documents."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from patients.models import ADDRESS_MAX_LENGTH, Patient
from patients.services import patient_register
from tests.support.api import PATIENT_DATA, api, body
from tests.support.applications import make_patient

pytestmark = pytest.mark.django_db

URL = "/api/v1/patients/"


@pytest.mark.parametrize("born", ["0001-01-01", "1800-06-30", "1899-12-31", "9999-12-31"])
def test_register_refuses_a_birth_date_out_of_range(world, born):
    response = api(world.ministry_officer).post(
        URL, {**PATIENT_DATA, "birth_date": born}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert list(response.json()) == ["birth_date"]
    assert not Patient.objects.exists()


def test_register_refuses_tomorrow_and_accepts_the_first_day_of_1900(world):
    client = api(world.ministry_officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    future = client.post(URL, {**PATIENT_DATA, "birth_date": tomorrow.isoformat()}, format="json")
    earliest = client.post(URL, {**PATIENT_DATA, "birth_date": "1900-01-01"}, format="json")

    assert future.status_code == 400, body(future)
    assert future.json()["birth_date"] == ["The date of birth cannot be in the future."]
    assert earliest.status_code == 201, body(earliest)


def test_change_refuses_a_birth_date_in_year_one(world):
    w = world
    patient = make_patient(w)

    response = api(w.ministry_officer).patch(
        f"{URL}{patient.pk}/", {"birth_date": "0001-01-01"}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert "birth_date" in response.json()
    patient.refresh_from_db()
    assert patient.birth_date == datetime.date(1980, 5, 17)


def test_the_database_refuses_a_birth_date_before_1900(world):
    patient = make_patient(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(birth_date=datetime.date(1800, 1, 1))


def test_register_refuses_a_too_long_address_naming_the_limit(world):
    response = api(world.ministry_officer).post(
        URL, {**PATIENT_DATA, "address": "Бишкек " * 100}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert response.json()["address"] == [
        f"Ensure this field has no more than {ADDRESS_MAX_LENGTH} characters."
    ]


def test_change_refuses_a_too_long_address(world):
    w = world
    patient = make_patient(w)

    response = api(w.ministry_officer).patch(
        f"{URL}{patient.pk}/", {"address": "x" * (ADDRESS_MAX_LENGTH + 1)}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert "address" in response.json()


def test_the_database_refuses_a_too_long_address(world):
    patient = make_patient(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=patient.pk).update(address="x" * (ADDRESS_MAX_LENGTH + 1))


def test_register_finds_the_patient_again_whatever_the_spelling(world):
    client = api(world.ministry_officer)
    first = client.post(URL, {**PATIENT_DATA, "document_number": "AC1234567"}, format="json")

    again = client.post(URL, {**PATIENT_DATA, "document_number": "  ac 123-45 67 "}, format="json")

    assert first.status_code == 201, body(first)
    assert again.status_code == 200, body(again)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["document_number"] == "AC1234567"


@pytest.mark.parametrize("typed", [" - ", "   "])
def test_register_refuses_a_document_number_of_separators_only(world, typed):
    response = api(world.ministry_officer).post(
        URL, {**PATIENT_DATA, "document_number": typed}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert "document_number" in response.json()


def test_the_finder_of_the_api_matches_a_loosely_typed_document(world):
    w = world
    patient = make_patient(w, document_number="AN3786021")

    response = api(w.ministry_officer).get(URL, {"q": " an 378-6021 "})

    assert [p["id"] for p in response.json()["results"]] == [patient.pk]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", datetime.date(1800, 1, 1)),
        ("birth_date", datetime.date(9999, 12, 31)),
        ("address", "x" * (ADDRESS_MAX_LENGTH + 1)),
    ],
)
def test_the_service_refuses_out_of_range_values_at_the_field(world, field, value):
    data = {**PATIENT_DATA, "birth_date": datetime.date(1979, 2, 11), field: value}

    with pytest.raises(ValidationError) as refused:
        patient_register(actor=world.ministry_officer, institution=world.ministry, data=data)

    assert list(refused.value.message_dict) == [field]
    assert not Patient.objects.exists()
