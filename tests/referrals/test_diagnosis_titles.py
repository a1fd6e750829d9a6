"""The referral page and the printable letter show the WHO title beside the diagnosis code."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.support.referrals import approved, referral_world, send

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]

TITLED = (
    '<code>C50.9</code> <span class="icd10-title muted" lang="en">'
    "Malignant neoplasm: Breast, unspecified</span>"
)


@pytest.fixture
def referral(world: Any) -> Any:
    w = referral_world(world)
    w.referral = send(w, approved(w))
    return w


def test_letter_shows_the_title_beside_the_code_in_each_language(
    referral: Any, login: Login
) -> None:
    w = referral
    page = (
        login(w.clinic_coordinator)
        .get(reverse("referral-letter", args=[w.referral.pk]))
        .content.decode()
    )

    halves = page.count('<section class="half"')
    assert halves >= 1
    assert page.count(TITLED) == halves


@pytest.mark.parametrize("who", ["ministry_officer", "clinic_coordinator"])
def test_referral_page_shows_the_title_beside_the_code(
    referral: Any, login: Login, who: str
) -> None:
    w = referral
    page = (
        login(getattr(w, who))
        .get(reverse("referral-detail", args=[w.referral.pk]))
        .content.decode()
    )

    assert TITLED in page
