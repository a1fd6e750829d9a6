"""The diagnosis code as pages and letters print it: the code and its WHO title.

``{% load icd10 %}``, then ``{% diagnosis_code referral.diagnosis_code %}`` for
the code with its title beside it, or ``{{ code|icd10_title }}`` for the title
alone. The title is the WHO's English one in every interface language, so it is
marked ``lang="en"``.
"""

from __future__ import annotations

from django import template

from common import icd10

register = template.Library()


@register.filter
def icd10_title(code: str | None) -> str:
    """The WHO English title of the code, or ``""`` for a code ICD-10 does not have."""
    return icd10.title(code or "")


@register.inclusion_tag("includes/_diagnosis_code.html")
def diagnosis_code(code: str) -> dict[str, str]:
    """The code, and its title when ICD-10 has the code."""
    return {"code": code, "title": icd10.title(code)}
