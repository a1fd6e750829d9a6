"""Filters refresh only the results, in place, and the address keeps the filter."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from applications.selectors import application_list

pytestmark = pytest.mark.browser

PAGE_SIZE = 25


def mark_page(page: Page) -> None:
    """A value that only lives as long as this document: a full reload loses it."""
    page.evaluate("window.__kopruMarker = 1")


def still_same_page(page: Page) -> None:
    assert page.evaluate("window.__kopruMarker") == 1, "the whole page was reloaded"
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.locator("#results")).to_have_count(1)


def test_application_filter_swaps_the_results_and_pushes_the_url(sign_in: Any) -> None:
    page = sign_in("ministry.kg")
    page.get_by_role("link", name="Applications", exact=True).click()
    results = page.locator("#results")
    expect(results.locator("tbody tr").first).to_be_visible()
    mark_page(page)

    # Only the results fragment is asked for, by htmx.
    with page.expect_response(re.compile(r"/applications/\?.*urgency=urgent")) as answer:
        page.get_by_label("Urgency").select_option("urgent")
    assert answer.value.request.headers.get("hx-request") == "true"
    assert "<header" not in answer.value.text()

    expect(page).to_have_url(re.compile(r"/applications/\?(.*&)?urgency=urgent(&|$)"))
    officer = get_user_model().objects.get(username="ministry.kg")
    urgent = application_list(user=officer).filter(urgency="urgent").count()
    assert urgent, "the demo has urgent applications of the ministry"
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(min(urgent, PAGE_SIZE))
    expect(rows.locator("td:nth-child(4)").filter(has_not_text="Urgent")).to_have_count(0)
    still_same_page(page)


def test_referral_filter_swaps_the_worklist_in_place(sign_in: Any) -> None:
    page = sign_in("ministry.kg")
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name="Discharged").click()
    expect(page).to_have_url(re.compile(r"worklist=discharged"))
    mark_page(page)

    page.get_by_label("Funding").select_option(index=1)
    # The worklist stays; the filter joins it in the address.
    expect(page).to_have_url(re.compile(r"funding_source=\w+"))
    expect(page).to_have_url(re.compile(r"worklist=discharged"))
    still_same_page(page)


def test_the_patient_finder_lists_matches_as_the_officer_types(sign_in: Any) -> None:
    page = sign_in("ministry.kg")
    page.goto("/applications/new/")
    mark_page(page)
    officer = get_user_model().objects.get(username="ministry.kg")
    application = application_list(user=officer).select_related("patient").first()
    assert application is not None
    patient = application.patient
    with page.expect_response(re.compile(r"/applications/new/\?(.*&)?find=")) as answer:
        page.get_by_role("searchbox", name="Name or document number").fill(patient.name_latin[:6])
    assert answer.value.request.headers.get("hx-request") == "true"
    match = page.locator("#patient-matches").get_by_role("link", name=patient.name_latin)
    expect(match).to_be_visible()
    assert page.evaluate("window.__kopruMarker") == 1, "the whole page was reloaded"

    # Picking the patient fills the form in from the register.
    match.click()
    form = page.locator("form[enctype='multipart/form-data']")
    expect(form.get_by_label("Full name (Latin, as in the passport)")).to_have_value(
        patient.name_latin
    )
    expect(form.get_by_label("Document number")).to_have_value(patient.document_number)


def test_marking_a_notice_read_updates_it_and_the_header_in_place(sign_in: Any) -> None:
    page = sign_in("ministry.kg")
    page.goto("/inbox/?unread=1")
    count = page.locator("#inbox-count .inbox-count")
    before = int(count.inner_text())
    assert before >= 1, "the demo leaves the ministry unread notices"
    mark_page(page)
    first = page.locator("li.notice-item.unread").first
    # The form that opens the notice stays after it is read: it names this notice.
    opens = first.locator("form").first.get_attribute("action")
    first.get_by_role("button", name="Mark as read").click()

    read = page.locator(f'li.notice-item:has(form[action="{opens}"])')
    expect(read).not_to_have_class(re.compile(r"\bunread\b"))
    expect(read.get_by_role("button", name="Mark as read")).to_have_count(0)
    if before > 1:
        expect(count).to_have_text(str(before - 1))
    else:
        expect(count).to_have_count(0)
    assert page.evaluate("window.__kopruMarker") == 1, "the whole page was reloaded"
