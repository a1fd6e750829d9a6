"""Every page that shows patient data writes it to the audit log: one record per patient shown.

The pages are those whose templates show a patient (their name, document or
diagnosis): each is opened with one patient on it, and the log must grow by one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from applications.choices import ApplicationStatus
from audit.models import AccessRecord
from referrals.choices import ReferralStatus
from tests.support.applications import make_application
from tests.support.referrals import advance, approved, days, referral_world, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    """One patient, approved on the embassy channel and referred to the Ankara hospital."""
    w = referral_world(world)
    w.application = approved(w)
    w.referral = send(w, w.application)
    return w


PAGES: dict[str, tuple[str, Callable[[Any], str]]] = {
    "application list": ("ministry_officer", lambda w: reverse("application-list")),
    "application page": (
        "ministry_officer",
        lambda w: reverse("application-detail", args=[w.application.pk]),
    ),
    "referral form": (
        "ministry_officer",
        lambda w: reverse("referral-send", args=[w.application.pk]),
    ),
    "patient page": (
        "ministry_officer",
        lambda w: reverse("patient-detail", args=[w.application.patient_id]),
    ),
    # One patient found opens their page straight away: the search itself shows nothing.
    "search by name": (
        "ministry_officer",
        lambda w: reverse("search") + "?q=" + w.application.patient.name_latin[:6],
    ),
    "referral list": ("ministry_officer", lambda w: reverse("referral-list")),
    "referral page": (
        "ministry_officer",
        lambda w: reverse("referral-detail", args=[w.referral.pk]),
    ),
    "referral letter": (
        "ministry_officer",
        lambda w: reverse("referral-letter", args=[w.referral.pk]),
    ),
    "clinic's referral list": ("clinic_coordinator", lambda w: reverse("referral-list")),
    "clinic's referral page": (
        "clinic_coordinator",
        lambda w: reverse("referral-detail", args=[w.referral.pk]),
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_showing_a_patient_writes_one_access_record(w, login, name):
    who, url = PAGES[name]
    client = login(getattr(w, who))
    before = AccessRecord.objects.count()
    response = client.get(url(w), follow=True)
    assert response.status_code == 200
    assert w.application.patient.name_latin in response.content.decode()
    records = AccessRecord.objects.order_by("pk")[before:]
    assert [(r.user_id, r.patient_id) for r in records] == [
        (getattr(w, who).pk, w.application.patient_id)
    ]


def test_the_review_queue_writes_one_access_record(world, login):
    application = make_application(world, status=ApplicationStatus.IN_REVIEW)
    client = login(world.embassy_officer)
    before = AccessRecord.objects.count()
    assert application.patient.name_latin in client.get(reverse("review-queue")).content.decode()
    assert AccessRecord.objects.count() == before + 1


def test_the_admissions_calendar_writes_one_access_record(w, login):
    advance(w, w.referral, ReferralStatus.ACCEPTED)
    client = login(w.clinic_coordinator)
    before = AccessRecord.objects.count()
    monday = days(10) - datetime.timedelta(days=days(10).weekday())
    page = client.get(reverse("admissions-calendar"), {"week": monday.strftime("%G-W%V")})
    assert w.application.patient.name_latin in page.content.decode()
    assert AccessRecord.objects.count() == before + 1


def test_the_main_page_writes_one_access_record_per_patient_it_shows(world, login):
    w = referral_world(world)
    referral = advance(w, send(w, approved(w)), ReferralStatus.INFO_REQUESTED)
    client = login(w.ministry_officer)
    before = AccessRecord.objects.count()
    assert referral.patient.name_latin in client.get(reverse("home")).content.decode()
    assert list(
        AccessRecord.objects.order_by("pk")[before:].values_list("patient_id", flat=True)
    ) == [referral.patient_id]
