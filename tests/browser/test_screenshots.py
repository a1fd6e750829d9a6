"""Each role's main page, in the browser, kept as pictures in docs/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot
from tests.support.layout import LAYOUT_PROBLEMS, describe

pytestmark = pytest.mark.browser

# Demo user -> the picture of their main page.
ROLES = {
    "ministry.kg": "ministry-officer",
    "embassy.tr": "embassy-officer",
    "clinic.tr": "clinic-coordinator",
    "network.cis": "network-coordinator",
}
# The worklists each role spends its day in, beyond the main page.
WORKLISTS = [
    ("embassy.tr", "/applications/queue/", "review-queue"),
    ("clinic.tr", "/referrals/calendar/", "admissions-calendar"),
]
PHONE = {"width": 390, "height": 844}


def _picture(page: Any, name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The page is complete (styles and scripts included) before the picture.
    page.wait_for_load_state("networkidle")
    path = screenshot(page, name)
    assert path.stat().st_size > 10_000, f"{path.name} looks empty"


def test_main_page_of_each_role(sign_in: Any) -> None:
    for username, picture in ROLES.items():
        page = sign_in(username)
        page.goto("/")
        _picture(page, picture)
        page.context.close()


def test_worklists_and_the_phone_layout(sign_in: Any) -> None:
    for username, path, picture in WORKLISTS:
        page = sign_in(username)
        page.goto(path)
        _picture(page, picture)
        page.context.close()
    # On a phone the tables fold into cards and the header into a menu button: nothing
    # may be wider than the screen (tests/browser/test_layout.py checks every page).
    page = sign_in("ministry.kg")
    page.set_viewport_size(PHONE)
    page.goto("/")
    problems = [describe(problem) for problem in page.evaluate(LAYOUT_PROBLEMS)]
    assert not problems, "the dashboard does not fit a phone:\n" + "\n".join(problems)
    _picture(page, "ministry-officer-phone")
    page.locator("details.menu-toggle summary").click()
    _picture(page, "ministry-officer-phone-menu")
    page.context.close()
