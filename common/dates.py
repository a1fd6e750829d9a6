"""Dates as CLDR writes them in each interface language (through babel).

One style per language: ``short`` (numeric), ``medium`` (the month abbreviated)
and ``long`` (the month in full), with times in CLDR's short style. The numeric
style always carries the full year (CLDR's ``yMd`` skeleton rather than its
``short`` pattern, which cuts the year to two digits in English, Kyrgyz, Kazakh,
Uzbek and Azerbaijani): a birth date in 1926 must never read like one in 2026. Django's
format strings cannot spell every CLDR pattern (Kyrgyz "2026-ж., 3-декабрь",
the lower-case months of Uzbek and Azerbaijani), so pages render dates through
these functions: the ``date`` template filter (``common.templatetags.dates``)
calls them.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

Style = Literal["short", "medium", "long"]


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE)


def reader_locale(language: str | None = None) -> Locale:
    """The CLDR locale of ``language``, by default the active one."""
    return _locale((language or get_language() or settings.LANGUAGE_CODE).split("-")[0].lower())


def _day(value: datetime.date, style: Style, locale: Locale) -> str:
    if style == "short":
        return format_skeleton("yMd", value, locale=locale)
    return format_date(value, style, locale=locale)


def date_display(value: datetime.date, style: Style = "medium", language: str | None = None) -> str:
    """The day in the language's CLDR style; a datetime is taken in the current time zone."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return _day(value, style, reader_locale(language))


def datetime_display(
    value: datetime.datetime, style: Style = "medium", language: str | None = None
) -> str:
    """The day in ``style`` and the time in CLDR's short style, joined as CLDR joins them."""
    locale = reader_locale(language)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    day = _day(value.date(), style, locale)
    time = format_time(value.time(), "short", locale=locale)
    return str(locale.datetime_formats[style]).replace("{1}", day).replace("{0}", time)


def month_day_display(value: datetime.date, language: str | None = None) -> str:
    """The day and the month, as CLDR writes them together ("23 ноября", "November 23")."""
    return format_skeleton("MMMMd", value, locale=reader_locale(language))


_PATTERN_TOKEN = re.compile(r"'((?:[^']|'')*)'|(w+)|(Y+)")


def week_display(monday: datetime.date, language: str | None = None) -> str:
    """The ISO week of ``monday`` as CLDR names a week of a year ("2026 yılının 49. haftası").

    The portal counts ISO weeks (Monday first, week 1 holds the first Thursday)
    whatever the language, so the number and year are the ISO ones, set into the
    language's pattern.
    """
    year, week, _weekday = monday.isocalendar()
    pattern = reader_locale(language).datetime_skeletons["yw"].pattern

    def token(match: re.Match[str]) -> str:
        literal, week_token, _year = match.groups()
        if literal is not None:
            return literal.replace("''", "'") if literal else "'"
        return str(week) if week_token else str(year)

    return _PATTERN_TOKEN.sub(token, pattern)
