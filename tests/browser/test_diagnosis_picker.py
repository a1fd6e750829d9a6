"""The diagnosis field lists ICD-10 codes as the officer types, and names the chosen one."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_typing_title_words_lists_the_codes_and_a_code_shows_its_title(sign_in: Any) -> None:
    page = sign_in("ministry.kg")
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="New application").click()
    field = page.get_by_label("Diagnosis (ICD-10 code)")

    with page.expect_response(re.compile(r"/applications/new/diagnoses/\?")) as answer:
        field.press_sequentially("breast malig")
    assert answer.value.request.headers.get("hx-request") == "true"
    options = page.locator("#diagnosis-options option")
    expect(options.filter(has_text="C50.9")).to_have_count(1)
    assert options.count() <= 20

    field.fill("")
    with page.expect_response(re.compile(r"diagnosis_code=c509")):
        field.press_sequentially("c509")
    expect(page.locator("#diagnosis-picker .icd10-title")).to_have_text(
        "Malignant neoplasm: Breast, unspecified"
    )
