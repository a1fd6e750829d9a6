from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from institutions.models import Membership
from quotas.choices import ChannelChangeKind
from quotas.models import ChannelChange, QuotaPool

DEMO_PASSWORD = "kopru-demo-2026"

# username -> (role, institution); admin acts for no institution.
DEMO_MEMBERSHIPS = {
    "admin": None,
    "ministry.kg": ("ministry_officer", "Ministry of Health of the Kyrgyz Republic"),
    "embassy.tr": ("embassy_officer", "Embassy of the Republic of Türkiye in Bishkek"),
    "clinic.tr": ("clinic_coordinator", "Ankara Bilkent City Hospital"),
    "clinic.kgtr": (
        "clinic_coordinator",
        "Kyrgyz-Turkish Hospital named after Recep Tayyip Erdoğan",
    ),
    "ministry.murmansk": ("ministry_officer", "Ministry of Health of the Murmansk Region"),
    "clinic.minsk": ("clinic_coordinator", "Minsk City Clinical Oncology Centre"),
    "sanatorium.kz": ("clinic_coordinator", "Okzhetpes Sanatorium"),
    "network.cis": (
        "network_coordinator",
        "National Medical Research Centre for Rehabilitation and Balneology"
        " of the Ministry of Health of Russia",
    ),
}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The default hasher costs a second per few users; the logic under test is the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the seeded tables, many-to-many tables included."""
    models = [
        *apps.get_app_config("institutions").get_models(include_auto_created=True),
        *apps.get_app_config("quotas").get_models(include_auto_created=True),
        *apps.get_app_config("auth").get_models(include_auto_created=True),
    ]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


@pytest.mark.django_db
@pytest.mark.parametrize("args", [(), ("--password", DEMO_PASSWORD)])
def test_seed_demo_second_run_changes_nothing(args):
    seed(*args)
    first = snapshot()
    changes = ChannelChange.objects.count()

    output = seed(*args)

    assert snapshot() == first
    assert {label: len(rows) for label, rows in snapshot().items()} == {
        label: len(rows) for label, rows in first.items()
    }
    assert ChannelChange.objects.count() == changes == 5
    assert "nothing changed" in output


@pytest.mark.django_db
def test_seed_demo_kg_tr_pool_split_embassy_100_ministry_50():
    seed()

    pool = QuotaPool.objects.get(code="KG-TR-2026")
    channels = {c.issuing_institution.name: c.slots for c in pool.channels.all()}

    assert pool.total_slots == 150
    assert channels == {
        "Embassy of the Republic of Türkiye in Bishkek": 100,
        "Ministry of Health of the Kyrgyz Republic": 50,
    }
    opened = ChannelChange.objects.filter(channel__pool=pool, kind=ChannelChangeKind.OPENED)
    assert sorted(opened.values_list("slots_after", flat=True)) == [50, 100]


@pytest.mark.django_db
def test_seed_demo_users_have_their_membership_and_log_in():
    seed()

    for username, membership in DEMO_MEMBERSHIPS.items():
        user = get_user_model().objects.get(username=username)
        held = set(Membership.objects.filter(user=user).values_list("role", "institution__name"))
        assert held == ({membership} if membership else set()), username
        assert all((user.first_name, user.last_name, user.email)), username
        assert Client().login(username=username, password=DEMO_PASSWORD), username

        response = Client().post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response.url == reverse("home"), username

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.django_db
def test_seed_demo_network_coordinator_keeps_reference_data():
    seed()

    user = get_user_model().objects.get(username="network.cis")

    assert user.groups.filter(name="Reference data editors").exists()
    assert user.has_perm("quotas.change_quotapool")
    assert user.has_perm("institutions.add_institution")
    assert not user.has_perm("quotas.delete_agreement")
    assert Group.objects.get(name="Reference data editors").permissions.count() == 18


@pytest.mark.django_db
def test_seed_demo_password_option_changes_the_password():
    seed()

    seed("--password", "another-demo-pass")

    assert Client().login(username="clinic.tr", password="another-demo-pass")
    assert not Client().login(username="clinic.tr", password=DEMO_PASSWORD)
