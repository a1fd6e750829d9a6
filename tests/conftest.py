import secrets

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from institutions.choices import InstitutionKind, MembershipRole
from patients.document_keys import key_entry
from tests.support.factories import (
    AgreementFactory,
    ChannelFactory,
    InstitutionFactory,
    QuotaPoolFactory,
    SpecialtyFactory,
)
from tests.support.world import member

TEST_DOCUMENT_KEY = key_entry("test", secrets.token_bytes(32))


@pytest.fixture(autouse=True)
def _document_key(settings):
    """Documents are encrypted as in production, with a key made for the test run."""
    settings.DOCUMENT_ENCRYPTION_KEYS = [TEST_DOCUMENT_KEY]


@pytest.fixture(autouse=True)
def _api_throttles_out_of_the_way(monkeypatch):
    """The suite calls the API far faster than any client; tests of the limits set their own.

    DRF's throttles read their rates once at import, so the class attribute is patched.
    """
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100000/min", "user": "100000/min", "auth-token": "100000/min"},
    )


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests read English text unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


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


@pytest.fixture
def fast_passwords(settings):
    """Users are made by the dozen; nobody logs in with a password.

    The workflow tests' folders (applications, allocations, patients, referrals)
    use it for every test through an autouse fixture in their conftest.py.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
