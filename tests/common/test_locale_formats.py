"""Dates and numbers follow the reader's language, Kazakh included."""

import datetime

import pytest
from django.utils import formats, translation

DAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("language", "short_date", "number"),
    [
        ("ru", "23.11.2026", "1\xa0234,5"),
        ("en", "11/23/2026", "1,234.5"),
        ("ky", "23.11.2026", "1\xa0234.5"),
        ("kk", "23.11.2026", "1\xa0234,5"),
        ("tr", "23 Kas 2026", "1.234,5"),
    ],
)
def test_dates_and_numbers_in_the_users_locale(settings, language, short_date, number):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == short_date
        assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True) == number


@pytest.mark.parametrize(
    ("language", "long_date"),
    [
        ("ru", "23 ноября 2026 г."),
        ("ky", "23 Ноябрь 2026 ж."),
        ("kk", "23 Қараша 2026 ж."),
        ("tr", "23 Kasım 2026"),
    ],
)
def test_long_dates_name_the_month_in_the_language(language, long_date):
    with translation.override(language):
        assert formats.date_format(DAY, "DATE_FORMAT") == long_date
