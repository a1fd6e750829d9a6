"""Institution, agreement and pool names in the reader's language: pages, API, admin;
the existing names kept as the default language's by the migration."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from institutions.models import Institution
from quotas.models import Agreement, QuotaPool
from tests.support.api import api
from tests.support.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ru", "en", "ky", "kk", "tr", "uz", "az"]


@pytest.fixture
def bilkent(kg_tr_world: Any) -> Institution:
    hospital: Institution = kg_tr_world.hospital
    hospital.name_ru = "Городская больница Анкара Билкент"
    hospital.name_en = "Ankara Bilkent City Hospital"
    hospital.name_ky = "Анкара Билкент шаардык ооруканасы"
    hospital.name_tr = "Ankara Bilkent Şehir Hastanesi"
    hospital.short_name_tr = "Bilkent Şehir Hastanesi"
    hospital.save()
    return hospital


def page(client: Client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("tr", "Ankara Bilkent Şehir Hastanesi", "Городская больница Анкара Билкент"),
        ("ky", "Анкара Билкент шаардык ооруканасы", "Ankara Bilkent Şehir Hastanesi"),
        # No Kazakh name: Russian first, then English.
        ("kk", "Городская больница Анкара Билкент", "Ankara Bilkent City Hospital"),
    ],
)
def test_institution_page_names_it_in_the_readers_language(
    bilkent: Institution, kg_tr_world: Any, login: Any, language: str, shown: str, not_shown: str
) -> None:
    html = page(
        login(kg_tr_world.outsider), reverse("institution-detail", args=[bilkent.pk]), language
    )
    assert shown in html
    assert not_shown not in html


def test_english_is_the_last_fallback(kg_tr_world: Any, login: Any) -> None:
    clinic = InstitutionFactory(country="TR", name="placeholder")
    Institution.objects.filter(pk=clinic.pk).update(name_ru=None, name_en="Only English")
    html = page(login(kg_tr_world.outsider), reverse("institution-detail", args=[clinic.pk]), "tr")
    assert "Only English" in html


def test_api_names_in_the_requests_language_and_every_language(
    bilkent: Institution, kg_tr_world: Any
) -> None:
    response = api(kg_tr_world.outsider).get(
        f"/api/v1/institutions/{bilkent.pk}/", HTTP_ACCEPT_LANGUAGE="tr"
    )
    body = response.json()
    assert body["name"] == "Ankara Bilkent Şehir Hastanesi"
    assert body["short_name"] == "Bilkent Şehir Hastanesi"
    assert list(body["names"]) == LANGUAGES
    assert body["names"]["ru"] == "Городская больница Анкара Билкент"
    assert body["names"]["kk"] is None


def test_pool_and_agreement_read_in_the_requests_language(kg_tr_world: Any) -> None:
    w = kg_tr_world
    QuotaPool.objects.filter(pk=w.pool.pk).update(
        name_ru="Кыргызстан → Турция: лечение", name_tr="Kırgızistan → Türkiye: tedavi"
    )
    Agreement.objects.filter(pk=w.agreement.pk).update(
        title_ru="Кыргызстан – Турция: квоты", title_tr="Kırgızistan – Türkiye: kontenjanlar"
    )
    client = api(w.ministry_officer)

    pool = client.get(f"/api/v1/pools/{w.pool.pk}/", HTTP_ACCEPT_LANGUAGE="tr").json()
    agreement = client.get(
        f"/api/v1/agreements/{w.agreement.pk}/", HTTP_ACCEPT_LANGUAGE="tr"
    ).json()

    assert (pool["name"], pool["agreement_title"]) == (
        "Kırgızistan → Türkiye: tedavi",
        "Kırgızistan – Türkiye: kontenjanlar",
    )
    assert pool["names"]["ru"] == "Кыргызстан → Турция: лечение"
    assert agreement["titles"]["tr"] == "Kırgızistan – Türkiye: kontenjanlar"


def test_admin_has_a_tab_per_language(bilkent: Institution, client: Client) -> None:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = page(client, reverse("admin:institutions_institution_change", args=[bilkent.pk]), "en")
    for language in LANGUAGES:
        assert f'name="name_{language}"' in html
        assert f'name="short_name_{language}"' in html
    assert "tabbed_translation_fields.js" in html


def test_migration_keeps_existing_names_as_the_default_languages() -> None:
    state = MigrationLoader(connection).project_state(
        ("institutions", "0004_institution_names_in_default_language")
    )
    historical = state.apps.get_model("institutions", "Institution")
    row = historical.objects.create(
        name="Legacy Clinic", short_name="LC", kind="clinic", country="KZ"
    )
    migration = MigrationLoader(connection).get_migration(
        "institutions", "0004_institution_names_in_default_language"
    )
    copy = migration.operations[0].code

    copy(state.apps, connection.schema_editor())

    row.refresh_from_db()
    assert (row.name_ru, row.short_name_ru) == ("Legacy Clinic", "LC")


def test_directory_finds_a_name_typed_in_another_language(
    bilkent: Institution, kg_tr_world: Any, login: Any
) -> None:
    response = login(kg_tr_world.outsider).get(
        reverse("institution-list"), {"q": "Şehir Hastanesi"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert [i.pk for i in response.context["page"].object_list] == [bilkent.pk]


def test_migration_keeps_existing_titles_and_pool_names_as_the_default_languages() -> None:
    target = ("quotas", "0003_agreement_pool_names_in_default_language")
    loader = MigrationLoader(connection)
    state = loader.project_state(target)
    agreement = state.apps.get_model("quotas", "Agreement").objects.create(
        title="Legacy agreement", kind="intergovernmental"
    )
    copy = loader.get_migration(*target).operations[0].code

    copy(state.apps, connection.schema_editor())

    agreement.refresh_from_db()
    assert agreement.title_ru == "Legacy agreement"
