"""Every main page of every role fits a phone and a desktop, in every interface language.

Each role signs in once; its session is then reused by one browser context per
language, which carries the language cookie the header's switch sets. Every page
is measured at 390 px (with the menu folded, then open) and at 1280 px with
``tests.support.layout.LAYOUT_PROBLEMS``: nothing wider than the screen or past
its edge, no two blocks on top of each other, no bare figure in a folded table.
One failure lists every offender by role, language, width and page.

The pages come from the URL configuration: a new page is either given to the
roles that use it here or named in ``NOT_PAGES`` with the reason it needs no check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import BrowserContext, Page, StorageState, ViewportSize

from applications import access as application_access
from applications.choices import ApplicationStatus
from applications.models import Application
from common.types import AnyUser
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import Institution, Membership
from quotas import access as quota_access
from quotas.models import Agreement, Channel
from referrals.letters import verification_token
from referrals.models import Referral
from tests.support.browser import PASSWORD, login
from tests.support.layout import LAYOUT_PROBLEMS, LayoutProblem, describe

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
# The folded header may take at most this share of a phone's screen.
PHONE_HEADER_SHARE = 0.12

# The URL names that are no page of their own, and why they need no layout check.
NOT_PAGES = {
    # Targets of forms: they answer a POST with a redirect to a checked page.
    "application-action",
    "application-document-upload",
    "allocation-release",
    "referral-action",
    "referral-document-upload",
    "notice-read",
    "notices-read-all",
    "language-switch",
    "logout",
    # A stored file, a redirect to what a notice concerns, a probe's plain text, an icon.
    "application-document",
    "referral-document",
    "notice-open",
    "healthz",
    "favicon",
    # A fragment htmx swaps into the application form, checked as part of that page.
    "diagnosis-picker",
}
# Outside the portal's own pages: Django's administration, the API, Django's i18n view.
FOREIGN_PREFIXES = ("admin/", "api/", "i18n/")

OFFICER_PAGES = (
    "home",
    "search",
    "application-list",
    "application-create",
    "review-queue",
    "application-detail",
    "patient-detail",
    "referral-send",
    "channel-transfer-page",
    "referral-list",
    "referral-detail",
    "referral-letter",
    "agreement-list",
    "agreement-detail",
    "inbox",
    "profile",
)
# Demo user -> the pages of their role. The institutions' directory is the same for
# every role, so one role checks it.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "ministry.kg": (*OFFICER_PAGES, "institution-list", "institution-detail"),
    # The embassy reviews on its channel and never refers: no referral form for it.
    "embassy.tr": tuple(name for name in OFFICER_PAGES if name != "referral-send"),
    "clinic.tr": (
        "home",
        "search",
        "referral-list",
        "referral-detail",
        "referral-letter",
        "admissions-calendar",
        "agreement-list",
        "agreement-detail",
        "inbox",
        "profile",
    ),
    "network.cis": (
        "home",
        "network",
        "referral-list",
        "agreement-list",
        "agreement-detail",
        "inbox",
        "profile",
    ),
    "admin": (
        "home",
        "application-list",
        "review-queue",
        "application-detail",
        "referral-list",
        "referral-detail",
        "agreement-list",
        "agreement-detail",
        "inbox",
        "profile",
    ),
}
# Seen without signing in.
PUBLIC_PAGES = ("login", "referral-verify")


def _richest_application(user: AnyUser) -> Application | None:
    """The visible application with the longest history: the fullest page."""
    applications = Application.objects.restrict(user).annotate(steps=Count("events"))
    return applications.order_by("-steps", "pk").first()


def _richest_referral(user: AnyUser) -> Referral | None:
    referrals = Referral.objects.restrict(user).annotate(steps=Count("events"))
    return referrals.order_by("-steps", "pk").first()


def _referable_application(user: AnyUser) -> Application | None:
    approved = Application.objects.restrict(user).filter(status=ApplicationStatus.APPROVED)
    return next(
        (a for a in approved.order_by("pk") if application_access.can(user, "refer", a)), None
    )


def _paths(name: str, user: AnyUser) -> list[str]:
    """The addresses of page ``name`` for ``user``; none when the demo has nothing to show."""
    if name == "review-queue":
        return [reverse(name), f"{reverse(name)}?worklist=waitlist"]
    if name == "search":
        case: Application | Referral | None = _richest_application(user) or _richest_referral(user)
        return [f"{reverse(name)}?q={quote(case.number)}"] if case else []
    if name == "referral-verify":
        # Public: the letter of any referral, read by whoever holds it.
        letter = Referral.objects.annotate(steps=Count("events")).order_by("-steps", "pk").first()
        return [reverse(name, args=[verification_token(letter)])] if letter else []
    if name in DETAIL_PAGES:
        pk = DETAIL_PAGES[name](user)
        return [reverse(name, args=[pk])] if pk is not None else []
    return [reverse(name)]


def _pk(obj: Application | Referral | Channel | Agreement | Institution | None) -> int | None:
    return obj.pk if obj else None


def _fullest_agreement(user: AnyUser) -> int | None:
    agreements = Agreement.objects.restrict(user).annotate(n=Count("pools"))
    return _pk(agreements.order_by("-n", "pk").first())


def _fullest_institution(user: AnyUser) -> int | None:
    institutions = Institution.objects.annotate(n=Count("offered_specialties"))
    return _pk(institutions.order_by("-n", "pk").first())


def _patient(user: AnyUser) -> int | None:
    application = _richest_application(user)
    return application.patient_id if application else None


def _managed_channel(user: AnyUser) -> int | None:
    return _pk(Channel.objects.restrict(user, quota_access.MANAGE).order_by("pk").first())


# Detail pages -> the object each shows a user: the fullest one they may see.
DETAIL_PAGES: dict[str, Callable[[AnyUser], int | None]] = {
    "application-detail": lambda user: _pk(_richest_application(user)),
    "patient-detail": _patient,
    "referral-send": lambda user: _pk(_referable_application(user)),
    "channel-transfer-page": _managed_channel,
    "referral-detail": lambda user: _pk(_richest_referral(user)),
    "referral-letter": lambda user: _pk(_richest_referral(user)),
    "agreement-detail": _fullest_agreement,
    "institution-detail": _fullest_institution,
}


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(FOREIGN_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern.url_patterns, route)
        elif pattern.name:
            yield pattern.name


def test_every_page_of_the_url_configuration_is_checked_or_named_as_no_page() -> None:
    checked = {name for pages in ROLE_PAGES.values() for name in pages} | set(PUBLIC_PAGES)
    unchecked = sorted(set(_url_names(get_resolver().url_patterns)) - checked - NOT_PAGES)
    assert not unchecked, f"pages without a layout check (add them to ROLE_PAGES): {unchecked}"


def _measure(page: Page, where: str) -> list[str]:
    offenders: list[LayoutProblem] = page.evaluate(LAYOUT_PROBLEMS)
    return [f"{where}: {describe(offender)}" for offender in offenders]


def _check_pages(context: BrowserContext, language: str, where: str, paths: list[str]) -> list[str]:
    """Each path at a phone's width, then a desktop's; the phone's menu open on the first.

    The header is the same on every page of a role and language, so its unfolded
    menu (and the page's language) is checked once.
    """
    problems: list[str] = []
    page = context.new_page()
    for index, path in enumerate(paths):
        page.set_viewport_size(PHONE)
        response = page.goto(path)
        here = f"{where} {path}"
        if response is None or not response.ok:
            problems.append(f"{here}: answered {response.status if response else 'nothing'}")
            continue
        problems += _measure(page, f"{here} at {PHONE['width']}px")
        if index == 0:
            if page.locator("html").get_attribute("lang") != language:
                problems.append(f"{here}: the page is not in {language}")
            menu = page.locator("details.menu-toggle summary")
            if menu.count():
                menu.click()
                problems += _measure(page, f"{here} at {PHONE['width']}px, menu open")
        page.set_viewport_size(DESKTOP)
        problems += _measure(page, f"{here} at {DESKTOP['width']}px")
    page.close()
    return problems


def _in_language(context: BrowserContext, url: str, language: str) -> BrowserContext:
    """The language cookie, as the header's language switch leaves it."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])
    return context


def _signed_in(new_context: Callable[..., BrowserContext], username: str) -> StorageState:
    """The session of one sign-in through the login form, for every language's context."""
    context = new_context()
    login(context.new_page(), username)
    session = context.storage_state()
    context.close()
    return session


# One world for every role: seeding it takes longer than checking a role's pages. On a
# machine busy with other work the pages can take longer than the suite's 300 s limit.
@pytest.mark.timeout(600)
def test_every_main_page_of_every_role_fits_a_phone_and_a_desktop_in_every_language(
    portal: Any, new_context: Callable[..., BrowserContext]
) -> None:
    started = time.monotonic()
    problems: list[str] = []
    for username, names in ROLE_PAGES.items():
        user = User.objects.get(username=username)
        missing = [name for name in names if not _paths(name, user)]
        assert not missing, f"the demo world gives {username} nothing to show on {missing}"
        paths = [path for name in names for path in _paths(name, user)]
        session = _signed_in(new_context, username)
        for language, _name in settings.LANGUAGES:
            context = _in_language(new_context(storage_state=session), portal.url, language)
            problems += _check_pages(context, language, f"{username} [{language}]", paths)
            context.close()
    public = [path for name in PUBLIC_PAGES for path in _paths(name, AnonymousUser())]
    for language, _name in settings.LANGUAGES:
        context = _in_language(new_context(), portal.url, language)
        problems += _check_pages(context, language, f"signed out [{language}]", public)
        context.close()
    print(f"the layout of every page in every language: {time.monotonic() - started:.0f}s")
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems)


def test_the_phone_menu_folds_and_opens_without_script(
    live_server: Any, settings: Any, new_context: Callable[..., BrowserContext]
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ministry = Institution.objects.create(
        name="Ministry of Health", kind=InstitutionKind.MINISTRY_OF_HEALTH, country="KG"
    )
    officer = User.objects.create_user(username="officer", password=PASSWORD)
    Membership.objects.create(
        user=officer, institution=ministry, role=MembershipRole.MINISTRY_OFFICER
    )
    context = new_context(
        storage_state=_signed_in(new_context, "officer"), java_script_enabled=False
    )
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    button = page.locator("summary", has_text="Menu")
    header = page.locator("header.topbar").bounding_box()
    assert header is not None
    assert header["height"] <= PHONE["height"] * PHONE_HEADER_SHARE, (
        f"the folded header is {header['height']:.0f}px of a {PHONE['height']}px screen"
    )
    assert not nav.is_visible(), "on a phone the navigation starts folded"
    button.click()
    assert nav.is_visible(), "the menu button unfolds the navigation without script"
    nav.get_by_role("link", name="Review queue").click()
    assert page.url.endswith(reverse("review-queue"))
    page.set_viewport_size(DESKTOP)
    assert nav.is_visible(), "a desktop shows the navigation"
    assert not button.is_visible(), "a desktop needs no menu button"
    context.close()
