"""One patient's page: every application and referral across pools and years, as far as the
user may see; found from the header search by name or document number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessAction, AccessRecord
from tests.support.applications import make_application, make_patient
from tests.support.factories import ChannelFactory, QuotaPoolFactory
from tests.support.referrals import approved, referral_world, send, send_without_quota

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    """One patient with an application in each of two pools, a referral and a self-paid one."""
    w = referral_world(world)
    w.patient = make_patient(w, name_latin="ZHUMABEKOVA AIGUL", document_number="AN1234567")
    w.first = approved(w, patient=w.patient)
    w.referral = send(w, w.first)
    next_year = QuotaPoolFactory(agreement=w.agreement, total_slots=10, code="KG-TR-2027")
    w.later_channel = ChannelFactory(pool=next_year, issuing_institution=w.ministry, slots=10)
    w.second = make_application(w, channel=w.later_channel, patient=w.patient)
    w.self_paid = send_without_quota(w, patient=w.patient)
    return w


def _patient_page(client, w):
    return client.get(reverse("patient-detail", args=[w.patient.pk]))


def test_the_page_lists_every_application_and_referral_of_the_patient(w, login):
    response = _patient_page(login(w.ministry_officer), w)
    assert response.status_code == 200
    page = response.content.decode()
    for number in (w.first.number, w.second.number, w.referral.number, w.self_paid.number):
        assert number in page


def test_the_page_lists_only_what_the_user_may_see(w, login):
    # The embassy sees its own channel's application and referral, not the ministry's.
    page = _patient_page(login(w.embassy_officer), w).content.decode()
    assert w.first.number in page
    assert w.referral.number in page
    assert w.second.number not in page
    assert w.self_paid.number not in page


def test_a_patient_the_user_may_not_see_is_not_found(w, login):
    assert _patient_page(login(w.outsider), w).status_code == 404
    assert _patient_page(login(w.kz_officer), w).status_code == 404


def test_every_view_of_the_page_is_audited(w, login):
    client = login(w.ministry_officer)
    for _ in range(2):
        _patient_page(client, w)
    assert (
        AccessRecord.objects.filter(
            user=w.ministry_officer,
            action=AccessAction.VIEW,
            object_type="patient",
            patient_id=w.patient.pk,
        ).count()
        == 2
    )


def test_the_application_list_links_each_patient_to_their_page(w, login):
    page = login(w.ministry_officer).get(reverse("application-list")).content.decode()
    assert reverse("patient-detail", args=[w.patient.pk]) in page


# --- The header search ------------------------------------------------------------------


def _search(client, q: str):
    return client.get(reverse("search"), {"q": q})


@pytest.mark.parametrize("q", ["zhumabekova", "AN 1234567", "an1234567"])
def test_a_name_or_document_number_opens_the_patients_page(w, login, q):
    response = _search(login(w.ministry_officer), q)
    assert response.status_code == 302
    assert response["Location"] == reverse("patient-detail", args=[w.patient.pk])


def test_several_patients_are_listed_and_the_read_is_audited(w, login):
    other = make_patient(w, name_latin="ZHUMABEKOV ASKAR")
    make_application(w, channel=w.ministry_channel, patient=other)
    client = login(w.ministry_officer)
    response = _search(client, "zhumabek")
    assert response.status_code == 200
    assert [p.pk for p in response.context["patients"]] == [other.pk, w.patient.pk]
    assert AccessRecord.objects.filter(
        user=w.ministry_officer, patient_id=other.pk, path__startswith=reverse("search")
    ).exists()


def test_a_person_the_user_may_not_see_is_nothing_found_as_a_stranger(w, login):
    client = login(w.outsider)
    hidden = _search(client, "ZHUMABEKOVA").content.decode()
    missing = _search(client, "NOBODY-BY-THIS-NAME").content.decode()
    assert "Nothing found." in hidden
    assert "Nothing found." in missing
    assert w.patient.name_latin not in hidden

    # The same answer, whether the person exists or not.
    def main(page: str, q: str) -> str:
        return page.split('<main id="main">')[1].split("</main>")[0].replace(q, "")

    assert main(hidden, "ZHUMABEKOVA") == main(missing, "NOBODY-BY-THIS-NAME")


def test_a_clinic_finds_its_referrals_by_the_patients_name(w, login):
    client = login(w.clinic_coordinator)
    response = _search(client, "zhumabekova")
    assert response.status_code == 200
    found = {r.pk for r in response.context["referrals"]}
    assert found == {w.referral.pk, w.self_paid.pk}
    assert response.context["patients"] == []


def test_the_page_runs_a_constant_number_of_queries(w, login, django_assert_num_queries):
    client = login(w.ministry_officer)
    _patient_page(client, w)  # the session and content types are read once
    with CaptureQueriesContext(connection) as few:
        _patient_page(client, w)
    for code in ("KG-TR-2028", "KG-TR-2029"):
        pool = QuotaPoolFactory(agreement=w.agreement, total_slots=5, code=code)
        channel = ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=5)
        send(w, approved(w, channel=channel, patient=w.patient))
    with django_assert_num_queries(len(few.captured_queries)):
        _patient_page(client, w)
