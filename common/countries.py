"""Country names in the reader's language, from CLDR, as each country names itself.

django-countries' own catalogues leave many names in English or Russian in the
portal's languages (about sixty in Turkish, Kyrgyzstan as "Киргизия" in three of
them). The portal takes every name from CLDR (through babel) in the language
active when the name is shown, and corrects the few where CLDR differs from the
name the country uses for itself. ``COUNTRIES_OVERRIDE`` in the settings hands
these names to django-countries, so every field, form, filter, serializer and
admin list shows them; choice lists are sorted by the Unicode collation
algorithm (pyuca), which django-countries uses when it is installed.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language
from django_countries.data import COUNTRIES

# Where CLDR's name is not the one the country itself uses in that language.
# Kyrgyzstan has been "Кыргызстан" in Russian since 1993; CLDR keeps the Soviet
# "Киргизия" in Russian and the Kazakh spelling in Kazakh.
SELF_NAMES: dict[str, dict[str, str]] = {
    "KG": {"ru": "Кыргызстан", "ky": "Кыргызстан", "kk": "Кыргызстан"},
}


@lru_cache(maxsize=32)
def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return dict(locale.territories)


def country_name(code: str, language: str | None = None) -> str:
    """The name of the country ``code`` in ``language`` (default: the active language).

    The country's own name where ``SELF_NAMES`` has one, else CLDR's, else the
    English name django-countries ships.
    """
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    base = language.split("-")[0]
    own = SELF_NAMES.get(code, {}).get(base)
    if own:
        return own
    return _territories(base).get(code) or str(COUNTRIES.get(code, code))


_lazy_country_name = lazy(country_name, str)


def country_names_override() -> dict[str, str]:
    """Every country django-countries knows, named lazily in the reader's language
    (each value is a lazy string, evaluated when it is shown)."""
    return {code: _lazy_country_name(code) for code in COUNTRIES}


def country_choices() -> list[tuple[str, str]]:
    """The country list in the active language, for a form field's ``choices``.

    Give the function itself, not its result: Django calls it each time the form is
    shown. (django-countries' ``countries`` object given as ``choices`` is iterated
    once, when the form class is defined, in the language active at import.)
    """
    from django_countries import countries

    return [(code, name) for code, name in countries]
