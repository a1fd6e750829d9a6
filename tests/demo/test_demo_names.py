"""The demo names every institution, agreement and pool in all seven languages."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Model, Q
from django.utils import translation

from institutions.models import Institution
from quotas.models import Agreement, QuotaPool

pytestmark = pytest.mark.django_db

LANGUAGES = ("ru", "en", "ky", "kk", "tr", "uz", "az")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("seeded_in", ["ru", "tr"])
def test_every_demo_name_is_written_in_every_language(seeded_in: str) -> None:
    with translation.override(seeded_in):
        call_command("seed_demo", stdout=StringIO())

    checks: list[tuple[type[Model], tuple[str, ...]]] = [
        (Institution, ("name", "short_name")),
        (Agreement, ("title",)),
        (QuotaPool, ("name",)),
    ]
    for model, fields in checks:
        missing = Q()
        for field in fields:
            for language in LANGUAGES:
                missing |= Q(**{f"{field}_{language}__isnull": True}) | Q(
                    **{f"{field}_{language}": ""}
                )
        assert not model._default_manager.filter(missing).exists(), model.__name__

    bilkent = Institution.objects.get(name_en="Ankara Bilkent City Hospital")
    assert bilkent.name_tr == "Ankara Bilkent Şehir Hastanesi"
    assert bilkent.name_ky == "Анкара Билкент шаардык ооруканасы"
    with translation.override("tr"):
        assert str(bilkent) == "Ankara Bilkent Şehir Hastanesi"
