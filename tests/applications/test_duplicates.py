"""One live application per patient and pool: the rule, its errors, the finder, the race."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications import services as applications
from applications.choices import ApplicationStatus
from applications.models import Application
from applications.services import _violates_one_live_per_pool
from patients.models import Patient
from referrals.choices import ReferralStatus
from tests.support.applications import make_application, make_patient
from tests.support.concurrency import run_concurrently
from tests.support.factories import ApplicationFactory, SpecialtyFactory
from tests.support.referrals import advance, referral_world, send

FORM = {
    "name_native": "Жумабаев Азамат",
    "name_latin": "ZHUMABAEV AZAMAT",
    "birth_date": "1979-09-18",
    "sex": "male",
    "citizenship": "KG",
    "document_type": "passport",
    "document_country": "KG",
    "preferred_language": "ru",
    "diagnosis_code": "N18.5",
    "diagnosis_text": "Chronic kidney disease, stage 5",
    "urgency": "routine",
    "medical_summary": "Haemodialysis for two years; a related donor is ready.",
    "document_kind": "medical_report",
}


def _form(w, channel, document_number: str) -> dict:
    return {
        **FORM,
        "channel": channel.pk,
        "document_number": document_number,
        "specialty": SpecialtyFactory(code="oncology").pk,
    }


def _discharged(w, patient: Patient) -> Application:
    """An application of ``patient`` whose referral ended with a discharge: its slot used."""
    referral_world(w)
    application = make_application(w, patient=patient, status=ApplicationStatus.APPROVED)
    advance(w, send(w, application), ReferralStatus.DISCHARGED)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_page_refuses_a_patient_admitted_on_another_channel_at_the_document(world, login):
    w = world
    patient = make_patient(w, document_number="AN5592031")
    referral_world(w)
    held = make_application(w, patient=patient, status=ApplicationStatus.APPROVED)
    advance(w, send(w, held), ReferralStatus.ADMITTED)

    response = login(w.ministry_officer).post(
        reverse("application-create"), _form(w, w.ministry_channel, "AN5592031")
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["document_number"]
    assert held.number in error
    assert "Approved" in error
    assert Application.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_page_refuses_a_discharged_patient_typed_loosely_on_the_same_channel(world, login):
    w = world
    patient = make_patient(w, document_number="AN3786021")
    discharged = _discharged(w, patient)

    response = login(w.ministry_officer).post(
        reverse("application-create"), _form(w, w.embassy_channel, " an 378 6021 ")
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert discharged.number in form.errors["document_number"][0]
    # What the officer typed is kept.
    assert form["document_number"].value() == " an 378 6021 "
    assert Application.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_the_status_is_named_in_the_reader_language(world, login):
    w = world
    patient = make_patient(w, document_number="AN1112223")
    held = make_application(w, patient=patient, status=ApplicationStatus.WAITLISTED)
    client = login(w.ministry_officer)
    client.cookies["django_language"] = "ru"

    response = client.post(
        reverse("application-create"),
        _form(w, w.ministry_channel, "AN1112223"),
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    [error] = response.context["form"].errors["document_number"]
    assert held.number in error
    assert "Waitlisted" not in error


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.DRAFT,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.LAPSED,
    ],
)
@pytest.mark.django_db
def test_service_refuses_while_an_application_in_the_pool_blocks(world, status):
    w = world
    patient = make_patient(w)
    make_application(w, patient=patient, status=status)

    with pytest.raises(ValidationError) as refused:
        applications.application_create(
            actor=w.ministry_officer,
            channel=w.ministry_channel,
            patient=patient,
            specialty=w.oncology,
            diagnosis_code="C50.9",
            diagnosis_text="Malignant neoplasm of breast",
            medical_summary="Stage II.",
        )

    assert list(refused.value.message_dict) == ["patient"]


@pytest.mark.django_db
def test_service_refuses_after_a_discharge_in_the_pool(world):
    w = world
    patient = make_patient(w)
    _discharged(w, patient)

    with pytest.raises(ValidationError) as refused:
        applications.application_create(
            actor=w.ministry_officer,
            channel=w.ministry_channel,
            patient=patient,
            specialty=w.oncology,
            diagnosis_code="C50.9",
            diagnosis_text="Malignant neoplasm of breast",
            medical_summary="Stage II.",
        )

    assert "patient" in refused.value.message_dict


@pytest.mark.parametrize("status", [ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN])
@pytest.mark.django_db
def test_a_new_application_is_allowed_after_a_closed_one(world, login, status):
    w = world
    patient = make_patient(w, document_number="AN4445556")
    make_application(w, patient=patient, status=status)

    response = login(w.ministry_officer).post(
        reverse("application-create"), _form(w, w.ministry_channel, "an-444-5556")
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.filter(patient=patient).count() == 2


@pytest.mark.django_db
def test_finder_shows_the_application_that_blocks_the_patient(world, login):
    w = world
    patient = make_patient(w, document_number="AN3786021", name_latin="ZHUMABAEV AZAMAT")
    held = make_application(w, patient=patient, status=ApplicationStatus.IN_REVIEW)
    free = make_patient(w, name_latin="ZHUMABAEVA AIGUL")
    client = login(w.ministry_officer)

    by_document = client.get(
        reverse("application-create"),
        {"find": " an 378 6021 ", "channel": w.ministry_channel.pk},
        HTTP_HX_REQUEST="true",
    )
    by_name = client.get(
        reverse("application-create"), {"find": "ZHUMABAEV"}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert f"Already applied in KG-TR-2026: {held.number} (In review)." in (
        by_document.content.decode()
    )
    assert by_name.count("Already applied") == 1
    assert free.name_latin in by_name


@pytest.mark.django_db
def test_finder_is_silent_about_other_pools(world, login):
    w = world
    patient = make_patient(w, document_number="AN7778889")
    other = ApplicationFactory(patient=patient, status=ApplicationStatus.IN_REVIEW)

    page = (
        login(w.ministry_officer)
        .get(reverse("application-create"), {"find": "AN7778889"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )

    assert patient.name_latin in page
    assert other.number not in page


@pytest.mark.django_db
def test_the_database_guard_is_recognised_on_both_databases(world):
    w = world
    patient = make_patient(w)
    make_application(w, patient=patient)

    with pytest.raises(IntegrityError) as postgres, transaction.atomic():
        ApplicationFactory(channel=w.ministry_channel, patient=patient, status="draft")
    sqlite = IntegrityError(
        "UNIQUE constraint failed: applications_application.pool_id, "
        "applications_application.patient_id"
    )

    assert _violates_one_live_per_pool(postgres.value)
    assert _violates_one_live_per_pool(sqlite)
    assert not _violates_one_live_per_pool(IntegrityError("UNIQUE constraint failed: x.number"))


@pytest.mark.django_db(transaction=True)
def test_one_patient_registered_on_both_channels_of_a_pool_at_once(kg_tr_world):
    w = kg_tr_world
    oncology = SpecialtyFactory(code="oncology")
    patient = make_patient(w)

    def apply(officer, channel):
        return lambda: applications.application_create(
            actor=officer,
            channel=channel,
            patient=patient,
            specialty=oncology,
            diagnosis_code="C50.9",
            diagnosis_text="Malignant neoplasm of breast",
            medical_summary="Stage II.",
        )

    outcomes = run_concurrently(
        [
            apply(w.ministry_officer, w.embassy_channel),
            apply(w.ministry_officer, w.ministry_channel),
        ]
    )

    created = [o for o in outcomes if isinstance(o, Application)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(created) == 1, outcomes
    assert len(refused) == 1, outcomes
    assert created[0].number in refused[0].message_dict["patient"][0]
    assert Application.objects.filter(patient=patient).count() == 1
