"""The directory pages: filters, pagination, the institution page, and who may open them."""

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from institutions.choices import AccreditationKind, InstitutionKind
from institutions.models import Accreditation, InstitutionSpecialty
from tests.support.factories import InstitutionFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


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
        name="Sanatorium Okzhetpes",
        kind=InstitutionKind.SANATORIUM,
        country="KZ",
        city="Burabay",
        parent=w.proton_centre,
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
    Accreditation.objects.create(
        institution=w.sanatorium, kind=AccreditationKind.EUROPESPA, reference="renewal"
    )
    return w


def listed(client, **params) -> list[str]:
    response = client.get(reverse("institution-list"), params)
    assert response.status_code == 200
    return [institution.name for institution in response.context["page"].object_list]


def test_directory_lists_every_active_institution(directory, login):
    client = login(directory.outsider)

    assert sorted(listed(client)) == sorted(
        [
            "Ministry of Health of the Kyrgyz Republic",
            "Embassy of Türkiye in Bishkek",
            "Ankara City Hospital",
            "Minsk City Clinical Oncology Centre",
            "Proton Therapy Centre",
            "Sanatorium Okzhetpes",
        ]
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "KZ"}, ["Proton Therapy Centre", "Sanatorium Okzhetpes"]),
        ({"country": "KG"}, ["Ministry of Health of the Kyrgyz Republic"]),
        ({"kind": InstitutionKind.SANATORIUM}, ["Sanatorium Okzhetpes"]),
        ({"kind": InstitutionKind.EMBASSY}, ["Embassy of Türkiye in Bishkek"]),
        ({"specialty": "proton-therapy"}, ["Proton Therapy Centre"]),
        ({"specialty": "oncology"}, ["Ankara City Hospital", "Proton Therapy Centre"]),
        ({"accreditation": AccreditationKind.JCI}, ["Ankara City Hospital"]),
        # two EuropeSPA certificates, one row
        ({"accreditation": AccreditationKind.EUROPESPA}, ["Sanatorium Okzhetpes"]),
        ({"q": "astana"}, ["Proton Therapy Centre"]),
        ({"q": "oncology"}, ["Minsk City Clinical Oncology Centre"]),
        ({"country": "KZ", "kind": InstitutionKind.RESEARCH_CENTRE}, ["Proton Therapy Centre"]),
        ({"country": "BY", "specialty": "proton-therapy"}, []),
    ],
)
def test_directory_filters(directory, login, params, expected):
    client = login(directory.ministry_officer)

    assert sorted(listed(client, **params)) == sorted(expected)


def test_directory_shows_specialties_with_capacity_and_accreditations(directory, login):
    response = login(directory.outsider).get(reverse("institution-list"), {"country": "TR"})

    assertContains(response, '<span class="badge">Oncology · 40</span>', html=True)
    assertContains(response, "Joint Commission International (JCI)")
    assertContains(response, "<td>Hospital</td>", html=True)
    assertContains(response, "<td>Türkiye</td>", count=2, html=True)


def test_directory_filter_fields_are_labelled(directory, login):
    response = login(directory.outsider).get(reverse("institution-list"))

    for name in ("q", "country", "kind", "specialty", "accreditation"):
        assertContains(response, f'<label for="id_{name}"')


def test_directory_pages_keep_the_filter(kg_tr_world, login):
    for n in range(30):
        InstitutionFactory(name=f"Clinic {n:02d}", country="KZ")
    client = login(kg_tr_world.outsider)

    first = client.get(reverse("institution-list"), {"country": "KZ"})
    second = client.get(reverse("institution-list"), {"country": "KZ", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assertContains(first, "?country=KZ&amp;page=2")
    assert len(second.context["page"].object_list) == 5
    assertContains(second, "?country=KZ&amp;page=1")
    assert all(i.country == "KZ" for i in second.context["page"].object_list)


def test_institution_page_shows_parent_specialties_and_accreditations(directory, login):
    client = login(directory.outsider)

    hospital = client.get(reverse("institution-detail", args=[directory.hospital.pk]))
    sanatorium = client.get(reverse("institution-detail", args=[directory.sanatorium.pk]))

    assertContains(hospital, "Ankara City Hospital")
    assertContains(hospital, '<th scope="row">Oncology</th>', html=True)
    assertContains(
        hospital,
        '<td class="num" data-label="Annual capacity for foreign patients">40</td>',
        html=True,
    )
    assertContains(hospital, "JCI-2024-117")
    # CLDR's short English dates.
    assertContains(hospital, "3/1/2024")
    assertContains(hospital, "2/28/2027")
    parent_url = reverse("institution-detail", args=[directory.proton_centre.pk])
    assertContains(sanatorium, f'<a href="{parent_url}">Proton Therapy Centre</a>', html=True)
    assertContains(sanatorium, '<th scope="row">EuropeSPA</th>', count=2, html=True)


def test_inactive_or_unknown_institution_is_not_found(directory, login):
    client = login(directory.outsider)

    assert client.get(reverse("institution-detail", args=[directory.closed.pk])).status_code == 404
    assert client.get(reverse("institution-detail", args=[999999])).status_code == 404
    assertNotContains(client.get(reverse("institution-list")), "Closed Clinic")


@pytest.mark.parametrize("name", ["institution-list", "institution-detail"])
def test_directory_pages_send_anonymous_users_to_login(kg_tr_world, client, name):
    args = [kg_tr_world.hospital.pk] if name == "institution-detail" else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [3, 13])
def test_directory_query_count_does_not_grow_with_rows(
    kg_tr_world, login, django_assert_num_queries, count
):
    oncology = SpecialtyFactory(code="oncology")
    parent = InstitutionFactory(name="Parent Network", country="KZ")
    for n in range(count):
        clinic = InstitutionFactory(name=f"Clinic {n}", country="KZ", parent=parent)
        offer(clinic, oncology, capacity=n)
        Accreditation.objects.create(institution=clinic, kind=AccreditationKind.NATIONAL_LICENCE)
    client = login(kg_tr_world.outsider)

    # session, user, memberships and unread notices for the header, specialty choices of the filter form,
    # the reader's countries (first in the country list), count, institutions with parents,
    # their specialties, their accreditations
    with django_assert_num_queries(10):
        response = client.get(reverse("institution-list"), {"country": "KZ"})

    assert len(response.context["page"].object_list) == count + 1
