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
from playwright.sync_api import BrowserContext, Page, expect

from config.celery_app import app as celery_app
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    STEP_TIMEOUT_MS,
    VIEWPORT,
    login,
)

# Playwright's sync API keeps an asyncio event loop running in the main thread, and
# Django refuses ORM calls from a thread with a running loop. The test code's ORM
# reads are plain synchronous calls between browser steps, so the guard is lifted.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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
    # Only a value pinned on the app counts (``in`` sees just those): ``changes.get``
    # reads the Django setting overridden above, and teardown would pin eager for good.
    pinned = "task_always_eager" in (celery_app.conf.changes or {})
    previous = celery_app.conf.task_always_eager if pinned else _UNSET
    celery_app.conf.task_always_eager = True
    call_command("seed_demo", password=PASSWORD, stdout=StringIO())
    yield live_server
    if previous is _UNSET:
        (celery_app.conf.changes or {}).pop("task_always_eager", None)
    else:
        celery_app.conf.task_always_eager = previous


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
