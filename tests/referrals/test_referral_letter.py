"""The printable referral letter and the public page that verifies it."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from applications import services as applications
from audit.models import AccessRecord
from institutions.choices import MembershipRole
from institutions.models import Institution, InstitutionSpecialty
from referrals import services as referrals
from referrals.letters import (
    country_language,
    letter_languages,
    referral_id_from_token,
    verification_token,
)
from tests.support.factories import ApplicationFactory, InstitutionFactory
from tests.support.world import member


@pytest.fixture
def referral(kg_tr_world):
    """A referral from the Kyrgyz ministry to Ankara City Hospital, and a second clinic."""
    w = kg_tr_world
    application = ApplicationFactory(channel=w.ministry_channel, status="in_review")
    applications.application_approve(actor=w.ministry_officer, application_id=application.pk)
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=application.specialty)
    w.second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    w.second_coordinator = member(w.second, MembershipRole.CLINIC_COORDINATOR)
    w.referral = referrals.referral_send(
        actor=w.ministry_officer,
        application_id=application.pk,
        receiving_institution=w.hospital,
        covering_letter="Please admit for surgery.",
    )
    w.patient = application.patient
    return w


def _letter(client, referral):
    return client.get(reverse("referral-letter", args=[referral.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ministry_officer", "clinic_coordinator"])
def test_sender_and_clinic_get_the_letter(referral, login, who):
    w = referral
    response = _letter(login(getattr(w, who)), w.referral)

    assert response.status_code == 200
    page = response.content.decode()
    assert w.referral.number in page
    assert w.patient.name_native in page
    assert w.patient.name_latin in page
    assert "Ankara City Hospital" in page
    assert "Ministry of Health of the Kyrgyz Republic" in page
    assert "C50.9" in page
    assert "Please admit for surgery." in page
    assert w.patient.document_number not in page
    assert 'class="topbar"' not in page  # standalone, not the portal's navigation
    assert "@media print" not in page  # the print rules live in letter.css
    assert "css/letter.css" in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["second_coordinator", "outsider"])
def test_other_clinics_and_outsiders_get_404(referral, login, who):
    response = _letter(login(getattr(referral, who)), referral.referral)

    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(referral, client):
    response = _letter(client, referral.referral)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_the_letter_carries_a_qr_code_of_the_verification_link(referral, login):
    w = referral
    page = _letter(login(w.clinic_coordinator), w.referral).content.decode()

    verify_path = reverse("referral-verify", args=[verification_token(w.referral)])
    assert "<svg" in page
    assert settings.PORTAL_URL.rstrip("/") + verify_path in page
    assert "<script" not in page


@pytest.mark.django_db
def test_the_letter_shows_the_clinics_answer_once_accepted(referral, login):
    w = referral
    admission = timezone.localdate() + datetime.timedelta(days=10)
    referrals.referral_accept(
        actor=w.clinic_coordinator,
        referral_id=w.referral.pk,
        admission_date=admission,
        department="Cardiac surgery ward",
        contact_person="Dr. Demir",
    )

    page = _letter(login(w.ministry_officer), w.referral).content.decode()

    assert "Cardiac surgery ward" in page
    assert "Dr. Demir" in page


@pytest.mark.django_db
def test_the_letter_is_bilingual_sender_then_clinic(referral, login):
    page = _letter(login(referral.ministry_officer), referral.referral).content.decode()

    kyrgyz = page.index('<section class="half" lang="ky">')
    turkish = page.index('<section class="half" lang="tr">')
    assert kyrgyz < turkish
    assert "Туулган күнү" in page[kyrgyz:turkish]  # "Date of birth" in Kyrgyz
    assert "Doğum tarihi" in page[turkish:]  # and in Turkish


@pytest.mark.django_db
def test_one_language_when_both_sides_share_it(referral, login):
    w = referral
    Institution.objects.filter(pk=w.hospital.pk).update(country="KG")
    w.referral.refresh_from_db()

    page = _letter(login(w.clinic_coordinator), w.referral).content.decode()

    assert letter_languages(w.referral) == ["ky"]
    assert page.count('<section class="half"') == 1
    assert '<section class="half" lang="ky">' in page


def test_country_languages():
    assert country_language("KG") == "ky"
    assert country_language("KZ") == "kk"
    assert country_language("TR") == "tr"
    assert country_language("AZ") == "az"
    assert country_language("UZ") == "uz"
    assert country_language("BY") == "ru"
    assert country_language("DE") == "en"


@pytest.mark.django_db
def test_the_letter_is_audited(referral, login):
    w = referral
    _letter(login(w.clinic_coordinator), w.referral)

    record = AccessRecord.objects.get(detail="letter")
    assert record.user_id == w.clinic_coordinator.pk
    assert record.action == "view"
    assert record.object_type == "referral"
    assert record.object_id == str(w.referral.pk)
    assert record.patient_id == w.patient.pk


@pytest.mark.django_db
def test_the_referral_page_links_to_the_letter(referral, login):
    w = referral
    page = login(w.clinic_coordinator).get(reverse("referral-detail", args=[w.referral.pk]))

    assert reverse("referral-letter", args=[w.referral.pk]) in page.content.decode()


@pytest.mark.django_db
def test_verify_page_is_public_and_shows_no_patient_data(referral, client):
    w = referral
    response = client.get(reverse("referral-verify", args=[verification_token(w.referral)]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Referral {w.referral.number} is authentic" in page
    assert "Sent" in page
    assert "Ankara City Hospital" in page
    assert w.patient.name_latin not in page
    assert w.patient.name_native not in page
    assert w.patient.document_number not in page
    assert "C50.9" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["swap_id", "garbage", "unsigned"])
def test_a_tampered_token_is_404(referral, client, tamper):
    w = referral
    token = verification_token(w.referral)
    _, signature = token.split(":", 1)
    forged = {
        "swap_id": f"{w.referral.pk + 1}:{signature}",
        "garbage": "not-a-token",
        "unsigned": str(w.referral.pk),
    }[tamper]

    assert referral_id_from_token(forged) is None
    assert client.get(reverse("referral-verify", args=[forged])).status_code == 404
