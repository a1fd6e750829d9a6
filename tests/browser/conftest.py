"""End-to-end tests: a real Chromium drives the portal served by ``live_server``.

The browser is Debian's Chromium at /usr/bin/chromium (``.ci/run`` installs it);
Playwright never downloads one. Without it these tests fail rather than skip, so a
CI machine that lost its browser cannot pass unnoticed.

Every test gets the demo world (``seed_demo``) in a database that is emptied after
it, and acts only through the pages: the login form, links, buttons and forms.
Reading the database to check an outcome is fine; writing to it is not.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Locator, Page, expect

from config.celery_app import app as celery_app

# Playwright's sync API keeps an asyncio event loop running in the main thread, and
# Django refuses ORM calls from a thread with a running loop. The test code's ORM
# reads are plain synchronous calls between browser steps, so the guard is lifted.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
expect.set_options(timeout=STEP_TIMEOUT_MS)

_UNSET = object()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: "
            "apt-get install chromium (the browser tests never download one).",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    # English first in Accept-Language: the story reads the English interface.
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": VIEWPORT,
        "locale": "en-US",
    }


@pytest.fixture
def portal(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[Any]:
    """The demo world behind the live server, with notices delivered in-process."""
    # Logins hash passwords: the fast hasher keeps a dozen logins cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No Celery worker runs here: notices' e-mails go out in-process, not to Redis.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.changes.get("task_always_eager", _UNSET)
    celery_app.conf.task_always_eager = True
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())
    yield live_server
    if previous is _UNSET:
        celery_app.conf.changes.pop("task_always_eager", None)
    else:
        celery_app.conf.task_always_eager = previous


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


@pytest.fixture
def sign_in(portal: Any, new_context: Callable[..., BrowserContext]) -> Callable[[str], Page]:
    """A page in a browser context of its own, signed in as ``username``.

    Separate contexts keep separate cookies, so several people work side by side.
    """

    def _sign_in(username: str) -> Page:
        context = new_context()
        context.set_default_timeout(STEP_TIMEOUT_MS)
        return login(context.new_page(), username)

    return _sign_in


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
