"""The demo's specialties read in every interface language, with no fallback to Russian."""

from __future__ import annotations

import dataclasses

import pytest
from django.conf import settings
from django.utils import translation

from demo.seed import SPECIALTIES, DemoBuilder, SpecialtyData
from institutions.models import Specialty

INTERFACE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_demo_specialty_data_has_one_name_per_interface_language() -> None:
    names = {field.name for field in dataclasses.fields(SpecialtyData)} - {"code"}

    assert names == set(INTERFACE_LANGUAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_demo_specialties_are_named_in_every_interface_language(language: str) -> None:
    DemoBuilder(password=None)._specialties()
    expected = {data.code: getattr(data, language) for data in SPECIALTIES}

    with translation.override(language):
        names = {specialty.code: specialty.name for specialty in Specialty.objects.all()}

    assert names == expected
