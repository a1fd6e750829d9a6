"""Countries in the reader's language, from CLDR, as each country names itself;
the reader's own countries first in every list."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel import Locale
from django.forms import ChoiceField
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_countries import countries
from django_countries.fields import Country

from applications.forms import ApplicationForm
from common.countries import SELF_NAMES
from referrals.forms import ClinicPickerForm

pytestmark = pytest.mark.django_db


def page(client: Client, language: str, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def country_options(html: str) -> list[tuple[str, str]]:
    """(code, name) of the options of the page's first country list."""
    select = re.search(r'<select name="country"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no country list on the page"
    return [
        (code, name.strip())
        for code, name in re.findall(r'<option value="([A-Z]*)"[^>]*>([^<]*)</option>', select[1])
        if code
    ]


@pytest.mark.parametrize("language", ["ru", "ky", "kk"])
def test_kyrgyzstan_is_called_as_it_calls_itself(language: str) -> None:
    with translation.override(language):
        assert Country("KG").name == "Кыргызстан"
        assert "Киргизия" not in dict(countries).values()


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", {"KG": "Kyrgyzstan", "TR": "Türkiye", "DE": "Germany"}),
        ("tr", {"KG": "Kırgızistan", "DE": "Almanya", "US": "Amerika Birleşik Devletleri"}),
        ("ky", {"AZ": "Азербайжан", "KZ": "Казакстан", "UZ": "Өзбекстан"}),
        ("kk", {"AZ": "Әзірбайжан", "KZ": "Қазақстан", "AF": "Ауғанстан"}),
        ("uz", {"KG": "Qirgʻiziston", "DE": "Germaniya", "TR": "Turkiya"}),
        ("az", {"KG": "Qırğızıstan", "DE": "Almaniya", "TR": "Türkiyə"}),
    ],
)
def test_country_names_come_from_cldr_in_the_language(language: str, names: dict[str, str]) -> None:
    with translation.override(language):
        shown = dict(countries)
    for code, name in names.items():
        assert shown[code] == name


@pytest.mark.parametrize("language", ["tr", "ky", "kk", "uz", "az"])
def test_every_name_is_cldrs_but_the_countries_own(language: str) -> None:
    cldr = Locale.parse(language).territories
    with translation.override(language):
        shown = dict(countries)
    own = {
        code
        for code, names in SELF_NAMES.items()
        if language in names and names[language] != cldr[code]
    }
    assert {code for code, name in shown.items() if name != cldr[code]} == own
    # Left in English ("Bahamas (The)") or in Russian by Django's catalogues.
    assert shown["BS"] == cldr["BS"] != "Bahamas (The)"


def test_clinic_picker_lists_countries_in_the_language_of_the_request() -> None:
    for language, expected, foreign in (
        ("en", "Kyrgyzstan", "Кыргызстан"),
        ("ru", "Кыргызстан", "Kyrgyzstan"),
    ):
        with translation.override(language):
            field = ClinicPickerForm().fields["country"]
            assert isinstance(field, ChoiceField)
            choices = dict(field.choices)
        assert choices["KG"] == expected
        assert foreign not in choices.values()


@pytest.mark.parametrize("field", ["citizenship", "document_country"])
def test_application_form_lists_countries_in_the_language_of_the_request(field: str) -> None:
    with translation.override("en"):
        english = list(ApplicationForm.base_fields[field].choices)  # type: ignore[attr-defined]
    with translation.override("tr"):
        turkish = dict(ApplicationForm.base_fields[field].choices)  # type: ignore[attr-defined]
    assert english[0] == ("AF", "Afghanistan")
    assert dict(english)["KG"] == "Kyrgyzstan"
    assert turkish["KG"] == "Kırgızistan"


def test_lists_start_with_the_readers_country_then_alphabetical(
    kg_tr_world: Any, login: Any
) -> None:
    html = page(login(kg_tr_world.ministry_officer), "en", reverse("institution-list"))
    options = country_options(html)
    assert options[0] == ("KG", "Kyrgyzstan")
    rest = [name for _code, name in options[1:]]
    assert "Kyrgyzstan" not in rest
    assert rest.index("Afghanistan") < rest.index("Åland Islands") < rest.index("Albania")
    assert rest[-1] == "Zimbabwe"


def test_russian_list_is_in_russian_alphabetical_order(kg_tr_world: Any, login: Any) -> None:
    options = country_options(
        page(login(kg_tr_world.embassy_officer), "ru", reverse("institution-list"))
    )
    assert options[0] == ("TR", "Турция")
    rest = [name for _code, name in options[1:]]
    assert rest.index("Австралия") < rest.index("Австрия") < rest.index("Кыргызстан")
    assert rest[-1] == "Япония"


def test_pages_show_the_country_in_the_readers_language(kg_tr_world: Any, login: Any) -> None:
    url = reverse("institution-detail", args=[kg_tr_world.ministry.pk])
    client = login(kg_tr_world.outsider)
    assert "Кыргызстан" in page(client, "ru", url)
    assert "Kırgızistan" in page(client, "tr", url)
    assert "Киргизия" not in page(client, "kk", url)
