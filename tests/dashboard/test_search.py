"""The header's search: a number finds only what the user may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services as applications
from audit.models import AccessAction, AccessRecord
from institutions.choices import MembershipRole
from institutions.models import InstitutionSpecialty
from referrals import services as referrals
from tests.support.factories import ApplicationFactory, ChannelFactory, InstitutionFactory
from tests.support.world import member


@pytest.fixture
def sent(kg_tr_world):
    """An application approved on the embassy channel and referred to the Ankara hospital."""
    w = kg_tr_world
    w.application = ApplicationFactory(
        channel=w.embassy_channel, status="in_review", number="KG-2026-000777"
    )
    applications.application_approve(actor=w.embassy_officer, application_id=w.application.pk)
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=w.application.specialty)
    w.referral = referrals.referral_send(
        actor=w.ministry_officer,
        application_id=w.application.pk,
        receiving_institution=w.hospital,
        covering_letter="Please admit.",
    )
    return w


def _search(client, q):
    return client.get(reverse("search"), {"q": q})


@pytest.mark.django_db
def test_an_exact_number_opens_the_application(sent, login):
    response = _search(login(sent.embassy_officer), sent.application.number.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("application-detail", args=[sent.application.pk])


@pytest.mark.django_db
def test_an_exact_number_opens_the_referral(sent, login):
    response = _search(login(sent.ministry_officer), sent.referral.number)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral-detail", args=[sent.referral.pk])


@pytest.mark.django_db
def test_an_exact_match_wins_over_numbers_containing_it(kg_tr_world, login):
    exact = ApplicationFactory(channel=kg_tr_world.ministry_channel, number="KG-1")
    ApplicationFactory(channel=kg_tr_world.ministry_channel, number="KG-10")
    response = _search(login(kg_tr_world.ministry_officer), "kg-1")
    assert response["Location"] == reverse("application-detail", args=[exact.pk])


@pytest.mark.django_db
def test_a_partial_number_lists_the_matches_and_records_the_listing(kg_tr_world, login):
    found = ApplicationFactory.create_batch(3, channel=kg_tr_world.ministry_channel)
    ApplicationFactory(channel=kg_tr_world.ministry_channel, number="OTHER-1")
    response = _search(login(kg_tr_world.ministry_officer), "TEST-")

    assert response.status_code == 200
    page = response.content.decode()
    for application in found:
        assert application.number in page
    assert "OTHER-1" not in page
    listed = AccessRecord.objects.filter(
        action=AccessAction.LIST, user=kg_tr_world.ministry_officer
    )
    assert sorted(listed.values_list("patient_id", flat=True)) == sorted(
        a.patient_id for a in found
    )


@pytest.mark.django_db
def test_at_most_twenty_matches_are_listed(kg_tr_world, login):
    ApplicationFactory.create_batch(25, channel=kg_tr_world.ministry_channel)
    response = _search(login(kg_tr_world.ministry_officer), "TEST-")
    assert len(response.context["applications"]) + len(response.context["referrals"]) == 20


@pytest.mark.django_db
def test_nothing_found(kg_tr_world, login):
    response = _search(login(kg_tr_world.ministry_officer), "NO-SUCH-NUMBER")
    assert response.status_code == 200
    assert "Nothing found" in response.content.decode()
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_an_empty_query_shows_the_form_only(kg_tr_world, login):
    response = _search(login(kg_tr_world.ministry_officer), "  ")
    assert response.status_code == 200
    assert "Nothing found" not in response.content.decode()


@pytest.mark.django_db
def test_another_institutions_records_never_appear(sent, login):
    elsewhere = ApplicationFactory(channel=ChannelFactory(), number="KG-2026-000778")
    officer = login(sent.ministry_officer)
    page = _search(officer, "KG-2026-00077").content.decode()
    assert sent.application.number in page
    assert elsewhere.number not in page
    assert _search(officer, elsewhere.number).status_code == 200

    outsider = login(sent.outsider)
    for number in (sent.application.number, sent.referral.number, "KG-2026", elsewhere.number):
        response = _search(outsider, number)
        assert response.status_code == 200
        assert response.context["applications"] == []
        assert response.context["referrals"] == []
        assert "Nothing found" in response.content.decode()


@pytest.mark.django_db
def test_a_clinic_finds_its_referral_but_not_the_application(sent, login):
    clinic = login(sent.clinic_coordinator)
    response = _search(clinic, sent.referral.number)
    assert response.status_code == 302
    assert response["Location"] == reverse("referral-detail", args=[sent.referral.pk])

    # The referral's number contains the application's: that finds the referral only.
    for number in (sent.application.number, "KG-2026"):
        response = _search(clinic, number)
        assert response["Location"] == reverse("referral-detail", args=[sent.referral.pk])
    other = ApplicationFactory(channel=sent.embassy_channel, number="KG-2026-000999")
    response = _search(clinic, other.number)
    assert response.status_code == 200
    assert response.context["applications"] == []
    assert "Nothing found" in response.content.decode()

    other_clinic = login(member(InstitutionFactory(), MembershipRole.CLINIC_COORDINATOR))
    assert "Nothing found" in _search(other_clinic, sent.referral.number).content.decode()


def test_search_requires_login(client):
    response = client.get(reverse("search"), {"q": "x"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_the_results_page_runs_a_constant_number_of_queries(
    kg_tr_world, login, django_assert_num_queries
):
    client = login(kg_tr_world.ministry_officer)
    ApplicationFactory.create_batch(3, channel=kg_tr_world.ministry_channel)
    _search(client, "TEST-")  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert _search(client, "TEST-").status_code == 200
    ApplicationFactory.create_batch(10, channel=kg_tr_world.ministry_channel)
    with django_assert_num_queries(len(few.captured_queries)):
        response = _search(client, "TEST-")
    assert len(response.context["applications"]) == 13
