"""The ``date`` filter of every template, speaking CLDR's date styles.

Loaded as a template builtin (``TEMPLATES`` in the settings), so it takes the
place of Django's own ``date`` filter in every page, e-mail and the admin:
``|date:"SHORT_DATE_FORMAT"`` is CLDR's short style, ``|date`` and
``|date:"DATE_FORMAT"`` the medium one, ``|date:"LONG_DATE_FORMAT"`` the long
one, ``DATETIME_FORMAT`` and ``SHORT_DATETIME_FORMAT`` the same with the time,
``MONTH_DAY_FORMAT`` the day and month as CLDR joins them.
Any other format string (``"Y-m-d"`` for a ``datetime`` attribute, ``"l"``)
goes to Django's filter unchanged. ``|week_label`` names an ISO week.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.template import defaultfilters

from common.dates import (
    Style,
    date_display,
    datetime_display,
    month_day_display,
    week_display,
)

register = template.Library()

_DATE_STYLES: dict[str, Style] = {
    "": "medium",
    "DATE_FORMAT": "medium",
    "SHORT_DATE_FORMAT": "short",
    "LONG_DATE_FORMAT": "long",
}
_DATETIME_STYLES: dict[str, Style] = {
    "DATETIME_FORMAT": "medium",
    "SHORT_DATETIME_FORMAT": "short",
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:  # noqa: ANN401 (any template value)
    """A date or datetime in the reader's language, in CLDR's style for ``arg``."""
    name = arg or ""
    if isinstance(value, datetime.date) and name == "MONTH_DAY_FORMAT":
        return month_day_display(value)
    if isinstance(value, datetime.date) and (name in _DATE_STYLES or name in _DATETIME_STYLES):
        if name in _DATETIME_STYLES:
            if isinstance(value, datetime.datetime):
                return datetime_display(value, _DATETIME_STYLES[name])
            return date_display(value, _DATETIME_STYLES[name])
        return date_display(value, _DATE_STYLES[name])
    return defaultfilters.date(value, arg)


@register.filter
def week_label(monday: Any) -> str:  # noqa: ANN401 (any template value)
    """The ISO week of the day as the reader's language names a week of a year."""
    if not isinstance(monday, datetime.date):
        return ""
    return week_display(monday)
