"""The header's language switcher names each language in itself, and every language serves pages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import get_language_info

OWN_NAMES = {
    "ru": "Русский",
    "en": "English",
    "ky": "Кыргызча",
    "kk": "Қазақ",
    "tr": "Türkçe",
    "uz": "Oʻzbekcha",
    "az": "Azərbaycanca",
}


def test_every_offered_language_has_its_own_name() -> None:
    assert {code for code, _name in settings.LANGUAGES} == set(OWN_NAMES)


@pytest.mark.django_db
def test_switcher_lists_every_language_by_its_own_name(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()

    options = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page))

    assert options == OWN_NAMES


@pytest.mark.parametrize("language", ["uz", "az"])
def test_latin_turkic_languages_read_left_to_right(language: str) -> None:
    assert get_language_info(language)["bidi"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("uz", "Kirish"), ("az", "Daxil ol"), ("tr", "Giriş yap")]
)
def test_switching_language_serves_the_page_in_it(
    client: Client, language: str, heading: str
) -> None:
    login = reverse("login")

    client.post(reverse("language-switch"), {"language": language, "next": login})
    page = client.get(login).content.decode()

    assert f'<html lang="{language}">' in page
    assert f"<h1>{heading}</h1>" in page
