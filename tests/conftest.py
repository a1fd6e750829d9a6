import pytest
from django.test import Client

from institutions.choices import InstitutionKind, MembershipRole
from tests.factories import (
    AgreementFactory,
    ChannelFactory,
    InstitutionFactory,
    MembershipFactory,
    QuotaPoolFactory,
    SpecialtyFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English text unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


def member(institution, role: str, username: str | None = None):
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, institution=institution, role=role)
    return user


@pytest.fixture
def kg_tr_world(db):
    """The Kyrgyz–Turkish story in miniature: one pool split embassy 100 / ministry 50.

    Returns a namespace of the institutions, pool, channels and one user per role.
    """

    class World:
        pass

    w = World()
    w.ministry = InstitutionFactory(
        name="Ministry of Health of the Kyrgyz Republic",
        kind=InstitutionKind.MINISTRY_OF_HEALTH,
        country="KG",
        city="Bishkek",
    )
    w.embassy = InstitutionFactory(
        name="Embassy of Türkiye in Bishkek", kind=InstitutionKind.EMBASSY, country="TR"
    )
    w.hospital = InstitutionFactory(name="Ankara City Hospital", country="TR")
    w.unrelated = InstitutionFactory(
        name="Minsk City Clinical Oncology Centre", country="BY", city="Minsk"
    )
    w.agreement = AgreementFactory(
        title="Kyrgyzstan–Türkiye treatment quotas", parties=[w.ministry, w.embassy]
    )
    w.pool = QuotaPoolFactory(agreement=w.agreement, total_slots=150, code="KG-TR-2026")
    w.pool.eligible_institutions.add(w.hospital)
    w.embassy_channel = ChannelFactory(pool=w.pool, issuing_institution=w.embassy, slots=100)
    w.ministry_channel = ChannelFactory(pool=w.pool, issuing_institution=w.ministry, slots=50)
    w.ministry_officer = member(w.ministry, MembershipRole.MINISTRY_OFFICER)
    w.embassy_officer = member(w.embassy, MembershipRole.EMBASSY_OFFICER)
    w.clinic_coordinator = member(w.hospital, MembershipRole.CLINIC_COORDINATOR)
    w.outsider = member(w.unrelated, MembershipRole.CLINIC_COORDINATOR)
    return w


@pytest.fixture
def world(kg_tr_world):
    """The KG-TR world with the specialties its applications name."""
    w = kg_tr_world
    w.oncology = SpecialtyFactory(code="oncology")
    w.cardiac = SpecialtyFactory(code="cardiac_surgery")
    return w


@pytest.fixture
def login():
    """A test client logged in as the given user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login
