"""The referral pages: the clinic's worklist and actions, sending and re-referring."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services as applications
from institutions.choices import AccreditationKind, MembershipRole
from institutions.models import Accreditation, InstitutionSpecialty
from referrals import services as referrals
from referrals.models import Referral
from tests.support.factories import ApplicationFactory, InstitutionFactory
from tests.support.world import member


@pytest.fixture
def approved(kg_tr_world):
    """An approved application on the embassy channel, with two eligible Turkish clinics."""
    w = kg_tr_world
    application = ApplicationFactory(channel=w.embassy_channel, status="in_review")
    applications.application_approve(actor=w.embassy_officer, application_id=application.pk)
    w.second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    for clinic in (w.hospital, w.second):
        InstitutionSpecialty.objects.create(institution=clinic, specialty=application.specialty)
        w.pool.eligible_institutions.add(clinic)
    Accreditation.objects.create(institution=w.second, kind=AccreditationKind.JCI)
    w.second_coordinator = member(w.second, MembershipRole.CLINIC_COORDINATOR)
    w.application = application
    return w


def _send(w, clinic):
    return referrals.referral_send(
        actor=w.ministry_officer,
        application_id=w.application.pk,
        receiving_institution=clinic,
        covering_letter="Please admit.",
    )


@pytest.mark.django_db
def test_officer_sends_a_referral_with_the_clinic_picker(approved, login):
    w = approved
    client = login(w.ministry_officer)
    url = reverse("referral-send", args=[w.application.pk])

    page = client.get(url, {"accreditation": "jci"}).content.decode()
    assert "Hacettepe University Hospitals" in page
    assert "Ankara City Hospital" not in page

    response = client.post(
        url, {"receiving_institution": w.second.pk, "covering_letter": "CABG, please."}
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.receiving_institution == w.second
    assert referral.status == "sent"


@pytest.mark.django_db
def test_clinic_declines_then_officer_refers_again_and_clinic_accepts(approved, login):
    w = approved
    first = _send(w, w.hospital)
    clinic = login(w.clinic_coordinator)
    worklist = clinic.get(reverse("referral-list")).content.decode()
    assert first.number in worklist

    clinic.post(
        reverse("referral-action", args=[first.pk, "decline"]),
        {"decline-reason": "no_capacity", "decline-comment": "", "decline-confirm": "on"},
    )
    first.refresh_from_db()
    assert first.status == "declined"

    officer = login(w.ministry_officer)
    declined = officer.get(reverse("referral-list"), {"worklist": "declined"}).content.decode()
    assert first.number in declined
    assert (
        "Refer to a clinic"
        in officer.get(reverse("application-detail", args=[w.application.pk])).content.decode()
    )
    officer.post(
        reverse("referral-send", args=[w.application.pk]),
        {"receiving_institution": w.second.pk, "covering_letter": "Second attempt."},
    )
    second = Referral.objects.get(receiving_institution=w.second)

    admission = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    login(w.second_coordinator).post(
        reverse("referral-action", args=[second.pk, "accept"]),
        {
            "accept-admission_date": admission,
            "accept-department": "Cardiac surgery",
            "accept-contact_person": "Dr. Demir",
        },
    )
    second.refresh_from_db()
    assert second.status == "accepted"
    assert second.allocation.state == "confirmed"


@pytest.mark.django_db
def test_a_clinic_cannot_read_another_clinics_referral(approved, login):
    referral = _send(approved, approved.hospital)
    other = login(approved.second_coordinator)

    assert other.get(reverse("referral-detail", args=[referral.pk])).status_code == 404
    assert referral.number not in other.get(reverse("referral-list")).content.decode()
    refused = other.post(reverse("referral-action", args=[referral.pk, "accept"]))
    assert refused.status_code == 404


@pytest.mark.django_db
def test_clinic_sees_the_referral_but_not_the_application(approved, login):
    referral = _send(approved, approved.hospital)
    clinic = login(approved.clinic_coordinator)

    page = clinic.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    assert approved.application.patient.name_latin in page
    assert approved.application.patient.document_number not in page
    assert (
        clinic.get(reverse("application-detail", args=[approved.application.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_worklist_runs_a_constant_number_of_queries(approved, login, django_assert_num_queries):
    w = approved
    clinic = login(w.clinic_coordinator)

    def refer_many(count):
        for _ in range(count):
            app = ApplicationFactory(channel=w.embassy_channel, status="in_review")
            applications.application_approve(actor=w.embassy_officer, application_id=app.pk)
            referrals.referral_send(
                actor=w.ministry_officer,
                application_id=app.pk,
                receiving_institution=w.hospital,
                covering_letter="Please admit.",
            )

    refer_many(2)
    clinic.get(reverse("referral-list"))
    with CaptureQueriesContext(connection) as few:
        clinic.get(reverse("referral-list"))
    refer_many(8)
    with django_assert_num_queries(len(few.captured_queries)):
        clinic.get(reverse("referral-list"))
