"""The agreement pages: who sees which agreement and pool, and the pool's numbers."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from institutions.choices import InstitutionKind, MembershipRole
from quotas.choices import AgreementStatus, CooperationArea
from tests.support.factories import (
    AgreementFactory,
    ChannelFactory,
    InstitutionFactory,
    QuotaPoolFactory,
    SpecialtyFactory,
)
from tests.support.world import member

pytestmark = pytest.mark.django_db

INSIDERS = ["ministry_officer", "embassy_officer", "clinic_coordinator"]


@pytest.fixture
def world(kg_tr_world):
    """The Kyrgyz–Turkish world with a recognisable pool name and agreement details."""
    w = kg_tr_world
    w.pool.name = "Kyrgyzstan to Türkiye treatment 2026"
    w.pool.save()
    w.pool.specialties.add(SpecialtyFactory(code="transplantology", name_en="Transplantology"))
    w.agreement.party_countries = ["KG", "TR"]
    w.agreement.areas = [CooperationArea.HIGH_TECH_CARE, CooperationArea.TRANSPLANTATION]
    w.agreement.summary = "150 free treatment slots a year in Turkish clinics."
    w.agreement.save()
    return w


def agreements_listed(client, **params) -> list[str]:
    response = client.get(reverse("agreement-list"), params)
    assert response.status_code == 200
    return [agreement.title for agreement in response.context["page"].object_list]


@pytest.mark.parametrize("role", INSIDERS)
def test_agreement_listed_for_everyone_concerned(world, login, role):
    client = login(getattr(world, role))

    assert agreements_listed(client) == ["Kyrgyzstan–Türkiye treatment quotas"]


@pytest.mark.parametrize("role", INSIDERS)
def test_agreement_page_shows_parties_and_pool(world, login, role):
    response = login(getattr(world, role)).get(
        reverse("agreement-detail", args=[world.agreement.pk])
    )

    assert response.status_code == 200
    assertContains(response, f'id="pool-{world.pool.pk}"')
    assertContains(response, "Kyrgyzstan to Türkiye treatment 2026")
    assertContains(response, "KG-TR-2026")
    assertContains(response, "Ministry of Health of the Kyrgyz Republic")
    assertContains(response, "Embassy of Türkiye in Bishkek")
    assertContains(response, "Kyrgyzstan, Türkiye")
    assertContains(response, "Intergovernmental")
    assertContains(response, '<span class="badge">Transplantation</span>', html=True)
    assertContains(response, "150 free treatment slots a year in Turkish clinics.")


def test_pool_numbers_and_channels_are_shown(world, login):
    response = login(world.ministry_officer).get(
        reverse("agreement-detail", args=[world.agreement.pk])
    )

    # total, allotted to channels, used, free
    assertContains(
        response,
        '<tbody><tr><td class="num" data-label="Total">150</td>'
        '<td class="num" data-label="Allotted to channels">150</td>'
        '<td class="num" data-label="Used">0</td>'
        '<td class="num" data-label="Free"><strong>150</strong></td></tr></tbody>',
        html=True,
    )
    embassy = reverse("institution-detail", args=[world.embassy.pk])
    ministry = reverse("institution-detail", args=[world.ministry.pk])
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{embassy}">Embassy of Türkiye in Bishkek</a></th>'
        '<td class="num" data-label="Slots">100</td><td class="num" data-label="Used">0</td>'
        '<td class="num" data-label="Free">100</td></tr>',
        html=True,
    )
    assertContains(
        response,
        f'<tr><th scope="row"><a href="{ministry}">Ministry of Health of the Kyrgyz Republic</a>'
        '</th><td class="num" data-label="Slots">50</td><td class="num" data-label="Used">0</td>'
        '<td class="num" data-label="Free">50</td></tr>',
        html=True,
    )
    hospital = reverse("institution-detail", args=[world.hospital.pk])
    assertContains(response, f'<a href="{hospital}">Ankara City Hospital</a>', html=True)
    assertContains(response, '<span class="badge">Transplantology</span>', html=True)


def test_outsider_sees_no_agreement_and_no_pool(world, login):
    client = login(world.outsider)

    listing = client.get(reverse("agreement-list"))
    detail = client.get(reverse("agreement-detail", args=[world.agreement.pk]))

    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []
    assertNotContains(listing, "Kyrgyzstan–Türkiye treatment quotas")
    assert detail.status_code == 404
    for response in (listing, detail):
        assert "Kyrgyzstan to Türkiye treatment 2026" not in response.content.decode()
        assert "KG-TR-2026" not in response.content.decode()


def test_unknown_agreement_is_not_found(world, login):
    response = login(world.ministry_officer).get(reverse("agreement-detail", args=[999999]))

    assert response.status_code == 404


def test_agreement_list_filters_by_status_and_country(world, login):
    draft = AgreementFactory(
        title="Murmansk–Minsk regional agreement",
        status=AgreementStatus.DRAFT,
        parties=[world.ministry],
    )
    draft.party_countries = ["RU", "BY"]
    draft.save()
    client = login(world.ministry_officer)

    assert agreements_listed(client, status=AgreementStatus.DRAFT) == [draft.title]
    assert agreements_listed(client, country="BY") == [draft.title]
    assert agreements_listed(client, country="TR") == [world.agreement.title]
    assert agreements_listed(client, q="Murmansk") == [draft.title]


def test_agreement_list_filter_fields_are_labelled(world, login):
    response = login(world.ministry_officer).get(reverse("agreement-list"))

    for name in ("q", "kind", "status", "country"):
        assertContains(response, f'<label for="id_{name}"')


def test_agreement_list_pages_keep_the_filter(world, login):
    for n in range(30):
        AgreementFactory(title=f"Agreement {n:02d}", kind="regional", parties=[world.ministry])
    client = login(world.ministry_officer)

    first = client.get(reverse("agreement-list"), {"kind": "regional"})
    second = client.get(reverse("agreement-list"), {"kind": "regional", "page": 2})

    assert len(first.context["page"].object_list) == 25
    assertContains(first, "?kind=regional&amp;page=2")
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("name", ["agreement-list", "agreement-detail"])
def test_agreement_pages_send_anonymous_users_to_login(world, client, name):
    args = [world.agreement.pk] if name == "agreement-detail" else []

    response = client.get(reverse(name, args=args))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("count", [3, 13])
def test_agreement_list_query_count_does_not_grow_with_rows(
    kg_tr_world, login, django_assert_num_queries, count
):
    w = kg_tr_world
    coordinator = InstitutionFactory(kind=InstitutionKind.COORDINATING_BODY, country="RU")
    for _ in range(count):
        agreement = AgreementFactory(parties=[w.ministry, InstitutionFactory()])
        agreement.coordinator = coordinator
        agreement.save()
        QuotaPoolFactory(agreement=agreement)
    client = login(w.ministry_officer)

    # session, user, memberships and unread notices for the header, the user's institutions,
    # count, agreements with coordinators and pool counts, their party institutions
    with django_assert_num_queries(8):
        response = client.get(reverse("agreement-list"))

    assert len(response.context["page"].object_list) == count + 1


@pytest.mark.parametrize("count", [1, 6])
def test_agreement_page_query_count_does_not_grow_with_pools(
    kg_tr_world, login, django_assert_num_queries, count
):
    w = kg_tr_world
    oncology = SpecialtyFactory(code="oncology")
    for _ in range(count):
        pool = QuotaPoolFactory(agreement=w.agreement, total_slots=20)
        pool.specialties.add(oncology)
        pool.eligible_institutions.add(w.hospital, InstitutionFactory())
        ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=10)
        ChannelFactory(pool=pool, slots=5)
    client = login(member(w.ministry, MembershipRole.MINISTRY_OFFICER))

    # session, user, memberships and unread notices for the header, the user's institutions, the agreement,
    # its party institutions, pools with their counts, their channels, specialties and
    # eligible institutions
    with django_assert_num_queries(11):
        response = client.get(reverse("agreement-detail", args=[w.agreement.pk]))

    assert len(response.context["pools"]) == count + 1
