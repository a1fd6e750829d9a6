"""The printable referral letter: its languages, its verification link and QR code.

The letter is printed in the languages of the referring institution and of the
receiving clinic. Its QR code carries a link to a public page that confirms the
referral is authentic; the link holds the referral's id signed with the secret
key, so changing the number on a forged letter cannot make it verify.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from referrals.models import Referral

if TYPE_CHECKING:
    from django_countries.fields import Country

LETTER_SALT = "referral-letter"

# A letter is printed in the language of the institution's country, among the
# portal's interface languages; Russian, the CIS's common language, elsewhere in it.
COUNTRY_LANGUAGES = {
    "KG": "ky",
    "KZ": "kk",
    "TR": "tr",
    "AZ": "az",
    "UZ": "uz",
    "RU": "ru",
    "BY": "ru",
    "TJ": "ru",
}
FALLBACK_LANGUAGE = "en"


def country_language(country: Country | str | None) -> str:
    """The language a letter is printed in for an institution in this country."""
    code = str(getattr(country, "code", country) or "").upper()
    return COUNTRY_LANGUAGES.get(code, FALLBACK_LANGUAGE)


def letter_languages(referral: Referral) -> list[str]:
    """The sender's language, then the clinic's; one language when both are the same."""
    languages = [
        country_language(referral.sender.country),
        country_language(referral.receiving_institution.country),
    ]
    return list(dict.fromkeys(languages))


def verification_token(referral: Referral) -> str:
    return signing.Signer(salt=LETTER_SALT).sign(str(referral.pk))


def referral_id_from_token(token: str) -> int | None:
    """The referral id a token was signed for, or None when it is not genuine."""
    try:
        value = signing.Signer(salt=LETTER_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def verification_url(referral: Referral) -> str:
    path = reverse("referral-verify", args=[verification_token(referral)])
    return str(settings.PORTAL_URL).rstrip("/") + path


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code of ``data``, sized by the stylesheet."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=4, border=2, omitsize=True, svgclass="qr")
    # segno writes the markup itself, of a URL the portal built: nothing to escape.
    return mark_safe(svg)  # noqa: S308 (segno's own markup, see above)
