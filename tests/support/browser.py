"""Helpers for the browser tests (tests/browser): signing in, choosing, screenshots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling Google's services, which a closed
    # network answers only with time-outs.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "kopru-demo-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
# Each step and each check waits at most this long for the page. The portal answers
# locally in well under a second; the margin is for a CI machine busy with other work.
STEP_TIMEOUT_MS = 15_000


def login(page: Page, username: str, password: str = PASSWORD) -> Page:
    """Sign in through the login form and make sure the interface is in English."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # The log-out button shows the session is open, whatever the language.
    expect(page.locator("form[action$='/accounts/logout/'] button")).to_be_visible()
    if page.locator("html").get_attribute("lang") != "en":
        switch_language(page, "en")
    return page


def switch_language(page: Page, code: str) -> None:
    """The header's language selector submits itself on change and reloads the page."""
    page.locator("#language-select").select_option(code)
    expect(page.locator("html")).to_have_attribute("lang", code)


def select_containing(select: Locator, text: str) -> str:
    """Choose the option whose label contains ``text``; its value is returned.

    Option labels carry live numbers (free slots) and places, so tests match a part.
    """
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    value = option.get_attribute("value")
    assert value is not None
    select.select_option(value)
    return value


def status_badge(page: Page) -> Locator:
    return page.locator("h1 .badge")


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot into docs/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
