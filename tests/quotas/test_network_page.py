"""The network coordinator's page: the network's members, agreements and pools with their use."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from institutions.choices import InstitutionKind, MembershipRole
from tests.support.factories import (
    AgreementFactory,
    ChannelFactory,
    InstitutionFactory,
    QuotaPoolFactory,
)
from tests.support.world import member

pytestmark = pytest.mark.django_db


def _network(name: str, members: int = 2):
    body = InstitutionFactory(name=name, kind=InstitutionKind.COORDINATING_BODY, country="RU")
    parties = [
        InstitutionFactory(kind=InstitutionKind.MINISTRY_OF_HEALTH, name=f"{name} ministry {i}")
        for i in range(members)
    ]
    agreement = AgreementFactory(title=f"{name} framework", coordinator=body, parties=parties)
    pool = QuotaPoolFactory(agreement=agreement, total_slots=30, name=f"{name} pool")
    sanatorium = InstitutionFactory(kind=InstitutionKind.SANATORIUM, name=f"{name} sanatorium")
    pool.eligible_institutions.add(sanatorium)
    ChannelFactory(pool=pool, issuing_institution=parties[0], slots=20)
    return body, agreement, pool, [*parties, sanatorium]


def test_the_coordinator_sees_its_network_and_no_other(login):
    body, agreement, pool, members = _network("Rehabilitation")
    _other_body, other_agreement, other_pool, other_members = _network("Oncology")
    coordinator = member(body, MembershipRole.NETWORK_COORDINATOR)
    response = login(coordinator).get(reverse("network"))
    assert response.status_code == 200
    page = response.content.decode()
    for institution in members:
        assert institution.name in page
    assert agreement.title in page
    assert pool.name in page
    assert [p.pk for p in response.context["pools"]] == [pool.pk]
    assert other_agreement.title not in page
    assert other_pool.name not in page
    for institution in other_members:
        assert institution.name not in page


def test_someone_who_coordinates_no_network_is_told_so(world, login):
    _network("Rehabilitation")
    page = login(world.ministry_officer).get(reverse("network")).content.decode()
    assert "You do not coordinate a network." in page
    assert "Rehabilitation pool" not in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("network")).status_code == 200
    return len(queries)


def test_the_network_page_runs_a_constant_number_of_queries(login):
    body, agreement, _pool, _members = _network("Rehabilitation", members=1)
    client = login(member(body, MembershipRole.NETWORK_COORDINATOR))
    client.get(reverse("network"))
    few = _queries(client)
    for i in range(4):
        pool = QuotaPoolFactory(agreement=agreement, name=f"Extra pool {i}")
        pool.eligible_institutions.add(InstitutionFactory(kind=InstitutionKind.HOSPITAL))
        agreement.party_institutions.add(InstitutionFactory())
        AgreementFactory(coordinator=body, parties=[InstitutionFactory()])
    assert _queries(client) == few
