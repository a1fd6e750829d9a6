"""Every page a role works in is usable with a screen reader and a keyboard.

Checked in the rendered page: the language is declared, there is one main heading,
every form control has an accessible name, every image a text alternative, and
the first Tab reaches the skip link to the content.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "ministry.kg": [
        "/",
        "/applications/",
        "/applications/new/",
        "/applications/queue/",
        "/referrals/",
        "/inbox/",
        "/profile/",
    ],
    "embassy.tr": ["/", "/applications/queue/?worklist=waitlist"],
    "clinic.tr": ["/", "/referrals/?worklist=incoming", "/referrals/calendar/"],
    "network.cis": ["/", "/network/", "/agreements/", "/institutions/"],
}

# Controls without an accessible name: neither a <label>, nor aria-label(ledby), nor a title.
UNLABELLED = """
() => [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'
)].filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby') && !el.title)
  .map(el => el.outerHTML.slice(0, 120))
"""
BUTTONS_WITHOUT_NAME = """
() => [...document.querySelectorAll('button, a[href]')]
  .filter(el => !(el.innerText || '').trim() && !el.getAttribute('aria-label') && !el.title)
  .map(el => el.outerHTML.slice(0, 120))
"""
IMAGES_WITHOUT_ALT = """
() => [...document.querySelectorAll('img:not([alt]), svg:not([aria-hidden=true])')]
  .filter(el => el.tagName === 'IMG' || !(el.getAttribute('aria-label') || el.querySelector('title')))
  .map(el => el.outerHTML.slice(0, 120))
"""


def test_pages_are_labelled_for_screen_readers_and_keyboards(sign_in: Any) -> None:
    problems: list[str] = []
    for username, paths in PAGES.items():
        page = sign_in(username)
        for path in paths:
            page.goto(path)
            where = f"{username} {path}"
            if not page.locator("html").get_attribute("lang"):
                problems.append(f"{where}: no lang on <html>")
            if page.locator("h1").count() != 1:
                problems.append(f"{where}: {page.locator('h1').count()} <h1>")
            problems += [f"{where}: unlabelled {html}" for html in page.evaluate(UNLABELLED)]
            problems += [
                f"{where}: nameless {html}" for html in page.evaluate(BUTTONS_WITHOUT_NAME)
            ]
            problems += [f"{where}: no alt {html}" for html in page.evaluate(IMAGES_WITHOUT_ALT)]
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.getAttribute('href')")
            if focused != "#main":
                problems.append(f"{where}: the first Tab goes to {focused}, not the skip link")
        page.context.close()
    assert not problems, "\n".join(problems)
