"""The application form finds a registered patient and fills the form in from the register."""

import pytest
from django.urls import reverse

from audit.models import AccessRecord
from tests.support.factories import PatientFactory, PatientRegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(kg_tr_world):
    """A patient the ministry registered, and one only an unrelated clinic knows."""
    w = kg_tr_world
    w.patient = PatientFactory(
        name_latin="ASANOVA GULNAZ",
        name_native="Асанова Гулназ",
        document_number="AC1234567",
        registered_by=w.ministry,
    )
    w.stranger = PatientFactory(
        name_latin="ASANOV BOLOT", document_number="AC7654321", registered_by=w.unrelated
    )
    return w


def test_typing_a_name_lists_the_patients_the_officer_may_see(registered, login):
    client = login(registered.ministry_officer)
    response = client.get(
        reverse("application-create"), {"find": "asanov"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="patient-matches"' in html
    assert f"?patient={registered.patient.pk}" in html
    # Another institution's patient stays out of sight, even with a similar name.
    assert "ASANOV BOLOT" not in html
    assert AccessRecord.objects.filter(
        user=registered.ministry_officer, patient_id=registered.patient.pk, action="list"
    ).exists()


def test_a_document_number_finds_the_patient_without_javascript(registered, login):
    page = (
        login(registered.ministry_officer)
        .get(reverse("application-create"), {"find": "АС 1234567"})
        .content.decode()
    )
    assert "<html" in page
    assert f"?patient={registered.patient.pk}" in page


def test_no_match_says_to_fill_the_patient_in(registered, login):
    page = (
        login(registered.ministry_officer)
        .get(reverse("application-create"), {"find": "nobody"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "No registered patient matches" in page


def test_picking_a_patient_fills_the_form_and_is_audited(registered, login):
    response = login(registered.ministry_officer).get(
        reverse("application-create"), {"patient": registered.patient.pk}
    )
    form = response.context["form"]
    assert form["name_latin"].value() == "ASANOVA GULNAZ"
    assert form["document_number"].value() == "AC1234567"
    assert 'value="ASANOVA GULNAZ"' in response.content.decode()
    assert AccessRecord.objects.filter(
        user=registered.ministry_officer, patient_id=registered.patient.pk, action="view"
    ).exists()


@pytest.mark.parametrize("value", ["stranger", "999999", "x", "", "-1", "99999999999999999999999"])
def test_a_patient_the_officer_may_not_see_fills_nothing(registered, login, value):
    pk = registered.stranger.pk if value == "stranger" else value
    response = login(registered.ministry_officer).get(
        reverse("application-create"), {"patient": pk}
    )
    assert response.status_code == 200
    assert response.context["form"]["name_latin"].value() is None
    assert "ASANOV BOLOT" not in response.content.decode()


def test_who_cannot_apply_cannot_search_patients_either(registered, login):
    response = login(registered.clinic_coordinator).get(
        reverse("application-create"), {"find": "asanov"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 302
    assert not AccessRecord.objects.filter(patient_id=registered.patient.pk).exists()


def test_a_patient_the_institution_only_registered_again_is_not_found(registered, login):
    """Presenting another's patient's document earlier does not put them in the finder."""
    PatientRegistrationFactory(patient=registered.stranger, institution=registered.ministry)
    for find in ("asanov bolot", "AC7654321"):
        html = (
            login(registered.ministry_officer)
            .get(reverse("application-create"), {"find": find}, headers={"HX-Request": "true"})
            .content.decode()
        )
        assert "ASANOV BOLOT" not in html
        assert f"?patient={registered.stranger.pk}" not in html
