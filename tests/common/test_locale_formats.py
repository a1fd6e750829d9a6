"""Dates and numbers follow the reader's language: one CLDR date style per language."""

import datetime
from typing import Any

import pytest
from django.template import engines
from django.utils import formats, translation

DAY = datetime.date(2026, 11, 23)
NNBSP = "\u202f"  # CLDR's narrow no-break space

# CLDR's numeric (its yMd skeleton: the full year), medium and long dates of
# 23 November 2026, written out.
CLDR_DATES = {
    "ru": ("23.11.2026", f"23 нояб. 2026{NNBSP}г.", f"23 ноября 2026{NNBSP}г."),
    "en": ("11/23/2026", "Nov 23, 2026", "November 23, 2026"),
    "ky": ("23.11.2026", "2026-ж., 23-ноя.", "2026-ж., 23-ноябрь"),
    "kk": ("23.11.2026", f"2026{NNBSP}ж. 23 қар.", f"2026{NNBSP}ж. 23 қараша"),
    "tr": ("23.11.2026", "23 Kas 2026", "23 Kasım 2026"),
    "uz": ("23/11/2026", "23-noy, 2026", "23-noyabr, 2026"),
    "az": ("23.11.2026", "23 noy 2026", "23 noyabr 2026"),
}


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize("language", list(CLDR_DATES))
def test_pages_write_dates_in_the_cldr_styles_of_the_language(language: str) -> None:
    short, medium, long = CLDR_DATES[language]
    with translation.override(language):
        assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=DAY) == short
        assert render("{{ day|date }}", day=DAY) == medium
        assert render('{{ day|date:"DATE_FORMAT" }}', day=DAY) == medium
        assert render('{{ day|date:"LONG_DATE_FORMAT" }}', day=DAY) == long


@pytest.mark.parametrize("language", list(CLDR_DATES))
def test_short_dates_outside_templates_are_the_same(language: str) -> None:
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == CLDR_DATES[language][0]


def test_kyrgyz_long_date_is_cldrs_not_a_nominative_month_after_the_day() -> None:
    with translation.override("ky"):
        rendered = render('{{ day|date:"LONG_DATE_FORMAT" }}', day=datetime.date(2026, 12, 3))
    assert rendered == "2026-ж., 3-декабрь"
    assert "Декабрь" not in rendered


def test_english_has_one_medium_style_for_dates_and_times(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Bishkek"
    moment = datetime.datetime(2026, 12, 31, 8, 30, tzinfo=datetime.UTC)
    with translation.override("en"):
        assert render('{{ day|date:"DATE_FORMAT" }}', day=datetime.date(2026, 12, 31)) == (
            "Dec 31, 2026"
        )
        # 14:30 in Bishkek: the time is shown in the portal's time zone.
        assert render('{{ at|date:"DATETIME_FORMAT" }}', at=moment) == (
            f"Dec 31, 2026, 2:30{NNBSP}PM"
        )


def test_other_format_strings_are_djangos() -> None:
    with translation.override("tr"):
        assert render('{{ day|date:"Y-m-d" }}', day=DAY) == "2026-11-23"


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ru", "49-я неделя 2026 г."),
        ("en", "Week 49 of 2026"),
        ("ky", "2026-жылдын 49-аптасы"),
        ("kk", "2026 жылдың 49-аптасы"),
        ("tr", "2026 yılının 49. haftası"),
        ("uz", "2026, 49-hafta"),
        ("az", "2026, həftə 49"),
    ],
)
def test_week_label_names_the_iso_week_in_the_language(language: str, label: str) -> None:
    with translation.override(language):
        rendered = render("{{ monday|week_label|capfirst }}", monday=datetime.date(2026, 11, 30))
    assert rendered == label


@pytest.mark.parametrize(
    ("language", "number"),
    [
        ("ru", "1\xa0234,5"),
        ("en", "1,234.5"),
        ("ky", "1\xa0234.5"),
        ("kk", "1\xa0234,5"),
        ("tr", "1.234,5"),
    ],
)
def test_numbers_in_the_users_locale(settings: Any, language: str, number: str) -> None:
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True) == number


@pytest.mark.parametrize(
    ("language", "month_day"),
    [("ru", "23 ноября"), ("en", "November 23"), ("ky", "23-ноябрь"), ("tr", "23 Kasım")],
)
def test_day_and_month_as_cldr_joins_them(language: str, month_day: str) -> None:
    with translation.override(language):
        assert render('{{ day|date:"MONTH_DAY_FORMAT" }}', day=DAY) == month_day
