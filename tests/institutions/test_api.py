"""The directory API: institutions with what they offer and hold, and the specialties."""

import datetime

import pytest
from rest_framework.test import APIClient

from institutions.choices import AccreditationKind, InstitutionKind
from institutions.models import Accreditation, InstitutionSpecialty
from tests.support.factories import InstitutionFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def offer(institution, specialty, capacity=None) -> None:
    InstitutionSpecialty.objects.create(
        institution=institution, specialty=specialty, annual_capacity=capacity
    )


@pytest.fixture
def directory(kg_tr_world):
    """The world's institutions, plus a Kazakh proton-therapy centre and sanatorium."""
    w = kg_tr_world
    w.oncology = SpecialtyFactory(code="oncology", name_en="Oncology")
    w.proton = SpecialtyFactory(code="proton-therapy", name_en="Proton therapy")
    w.proton_centre = InstitutionFactory(
        name="Proton Therapy Centre",
        kind=InstitutionKind.RESEARCH_CENTRE,
        country="KZ",
        city="Astana",
    )
    w.sanatorium = InstitutionFactory(
        name="Sanatorium Okzhetpes", kind=InstitutionKind.SANATORIUM, country="KZ", city="Burabay"
    )
    w.closed = InstitutionFactory(name="Closed Clinic", country="KZ", is_active=False)
    offer(w.hospital, w.oncology, capacity=40)
    offer(w.proton_centre, w.proton, capacity=120)
    offer(w.proton_centre, w.oncology)
    Accreditation.objects.create(
        institution=w.hospital,
        kind=AccreditationKind.JCI,
        issuer="Joint Commission International",
        reference="JCI-2024-117",
        valid_from=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2027, 2, 28),
    )
    Accreditation.objects.create(institution=w.sanatorium, kind=AccreditationKind.EUROPESPA)
    return w


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return sorted(i["name"] for i in response.json()["results"])


def test_institution_carries_its_specialties_and_accreditations(directory):
    w = directory

    body = api(w.outsider).get(f"/api/v1/institutions/{w.hospital.pk}/").json()

    assert (body["name"], body["kind"], body["country"]) == (
        "Ankara City Hospital",
        "hospital",
        "TR",
    )
    assert body["specialties"] == [{"code": "oncology", "name": "Oncology", "annual_capacity": 40}]
    assert body["accreditations"] == [
        {
            "kind": "jci",
            "issuer": "Joint Commission International",
            "reference": "JCI-2024-117",
            "valid_from": "2024-03-01",
            "valid_until": "2027-02-28",
        }
    ]


def test_directory_lists_every_active_institution_to_any_user(directory):
    w = directory

    listed = names(api(w.outsider).get("/api/v1/institutions/"))

    assert "Closed Clinic" not in listed
    assert len(listed) == 6
    assert api(w.outsider).get(f"/api/v1/institutions/{w.closed.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", ["Proton Therapy Centre", "Sanatorium Okzhetpes"]),
        ("kind=embassy", ["Embassy of Türkiye in Bishkek"]),
        ("specialty=oncology", ["Ankara City Hospital", "Proton Therapy Centre"]),
        ("specialty=proton-therapy", ["Proton Therapy Centre"]),
        ("accreditation=jci", ["Ankara City Hospital"]),
        ("accreditation=europespa", ["Sanatorium Okzhetpes"]),
        (
            "q=bishkek",
            ["Embassy of Türkiye in Bishkek", "Ministry of Health of the Kyrgyz Republic"],
        ),
        ("q=astana", ["Proton Therapy Centre"]),
        ("country=KZ&specialty=oncology", ["Proton Therapy Centre"]),
        ("country=BY&accreditation=jci", []),
    ],
)
def test_institution_filters(directory, query, expected):
    assert names(api(directory.outsider).get(f"/api/v1/institutions/?{query}")) == expected


@pytest.mark.parametrize(
    "query", ["country=XX", "kind=spaceport", "specialty=no-such-code", "accreditation=iso9"]
)
def test_institution_filter_with_a_bad_value_is_a_400_naming_it(directory, query):
    response = api(directory.outsider).get(f"/api/v1/institutions/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_institutions_ordered_on_request(directory):
    response = api(directory.outsider).get("/api/v1/institutions/?country=KZ&ordering=-name")

    assert [i["name"] for i in response.json()["results"]] == [
        "Sanatorium Okzhetpes",
        "Proton Therapy Centre",
    ]


def test_specialties_listed_and_searched(directory):
    client = api(directory.outsider)

    listed = client.get("/api/v1/specialties/").json()["results"]
    searched = client.get("/api/v1/specialties/?search=proton").json()["results"]

    assert [s["code"] for s in listed] == ["oncology", "proton-therapy"]
    assert searched == [
        {"id": directory.proton.pk, "code": "proton-therapy", "name": "Proton therapy"}
    ]


@pytest.mark.parametrize("url", ["/api/v1/institutions/", "/api/v1/specialties/"])
def test_directory_refused_to_anonymous_and_read_only(directory, url):
    assert api().get(url).status_code == 401
    assert api(directory.outsider).post(url, {"name": "New"}, format="json").status_code == 405


@pytest.mark.parametrize("count", [3, 13])
def test_institution_list_query_count_does_not_grow_with_rows(
    kg_tr_world, django_assert_num_queries, count
):
    oncology = SpecialtyFactory(code="oncology")
    for n in range(count):
        clinic = InstitutionFactory(name=f"Clinic {n}", country="KZ")
        offer(clinic, oncology, capacity=n)
        Accreditation.objects.create(institution=clinic, kind=AccreditationKind.NATIONAL_LICENCE)
    client = api(kg_tr_world.outsider)

    # count, institutions, their specialties, their accreditations
    with django_assert_num_queries(4):
        response = client.get("/api/v1/institutions/?country=KZ")

    assert len(response.json()["results"]) == count
