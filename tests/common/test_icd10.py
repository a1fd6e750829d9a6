"""The WHO ICD-10 classification: which codes exist, how input is normalised, the search."""

import time

import pytest
from django.core.exceptions import ValidationError

from common import icd10


@pytest.mark.parametrize("code", ["C50", "C50.9", "I25.1", "N18.5", "U07.1", "B18.00"])
def test_real_codes_exist(code: str) -> None:
    assert icd10.exists(code)


@pytest.mark.parametrize(
    "code",
    [
        "C99.9",  # the shape of a code, not in the classification
        "Z99.Z",
        "C50.99",
        "II",  # a chapter
        "C00-D48",  # a block
        "C00-C97",
        "",
        "breast",
    ],
)
def test_made_up_codes_chapters_and_blocks_do_not_exist(code: str) -> None:
    assert not icd10.exists(icd10.normalise(code))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("c509", "C50.9"),
        (" C 50.9 ", "C50.9"),
        ("i251", "I25.1"),
        ("С50,9", "C50.9"),  # a Cyrillic С and a decimal comma
        ("a17.0†", "A17.0"),
        ("G01*", "G01"),
        ("c50", "C50"),
    ],
)
def test_input_is_normalised_to_the_code_as_written(typed: str, code: str) -> None:
    assert icd10.diagnosis_code_clean(typed) == code


def test_a_made_up_code_is_refused_naming_the_field_and_the_code() -> None:
    with pytest.raises(ValidationError) as refused:
        icd10.diagnosis_code_clean("C99.9")

    assert refused.value.message_dict == {"diagnosis_code": ["C99.9 is not an ICD-10 code."]}


def test_an_empty_code_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        icd10.diagnosis_code_clean("  ")

    assert list(refused.value.message_dict) == ["diagnosis_code"]


def test_title_is_the_who_english_title() -> None:
    assert icd10.title("c509") == "Malignant neoplasm: Breast, unspecified"
    assert icd10.title("C99.9") == ""


def test_search_by_code_prefix_lists_the_category_and_its_subcategories() -> None:
    found = [d.code for d in icd10.search("c50")]

    assert found[0] == "C50"
    assert "C50.9" in found
    assert all(code.startswith("C50") for code in found)
    assert [d.code for d in icd10.search("С509")] == ["C50.9"]  # Cyrillic, no dot


def test_search_by_title_words_finds_the_codes_whose_title_has_them() -> None:
    found = icd10.search("breast malig")

    assert icd10.Diagnosis("C50.9", "Malignant neoplasm: Breast, unspecified") in found
    assert all("breast" in d.title.casefold() for d in found)
    assert "I25.1" in [d.code for d in icd10.search("atheroscl heart")]


def test_search_combines_a_code_prefix_and_title_words() -> None:
    assert [d.code for d in icd10.search("I25 athero")] == ["I25.0", "I25.1"]


def test_search_returns_at_most_the_limit_and_never_chapters_or_blocks() -> None:
    found = icd10.search("neoplasm")

    assert len(found) == icd10.SEARCH_LIMIT
    assert all(icd10.exists(d.code) for d in found)


@pytest.mark.parametrize("query", ["", " ", "a", "C", "zzzz", "C99.9"])
def test_search_without_a_match_is_empty(query: str) -> None:
    assert icd10.search(query) == []


def test_a_search_takes_well_under_a_millisecond_on_average() -> None:
    icd10.search("c50")  # the index is built once per process, on first use
    queries = ["c50", "I25.1", "breast malig", "heart", "chronic kidney", "lymphoma", "s72"]
    started = time.perf_counter()
    for _ in range(100):
        for query in queries:
            icd10.search(query)
    average = (time.perf_counter() - started) / (100 * len(queries))

    # Measured at about 0.05 ms; the bound leaves room for a busy machine.
    assert average < 0.005
