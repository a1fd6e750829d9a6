"""The application page offers only the steps the user may take now, says why where a step
is not possible, and asks to confirm the steps that cannot be undone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from allocations.choices import AllocationState
from allocations.models import Allocation
from applications import access
from applications.choices import ApplicationStatus
from applications.models import Application
from referrals.choices import ReferralStatus
from tests.support.applications import make_application
from tests.support.referrals import advance, approved, referral_world, send

pytestmark = pytest.mark.django_db

STATUSES = [s for s in ApplicationStatus.values if s != ApplicationStatus.APPROVED]


def _page(client, application: Application) -> str:
    response = client.get(reverse("application-detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _offered(page: str) -> set[str]:
    return set(re.findall(r'id="action-([a-z_]+)"', page))


@pytest.mark.parametrize("who", ["ministry_officer", "embassy_officer"])
@pytest.mark.parametrize("status", STATUSES)
def test_the_page_offers_exactly_the_users_steps_of_the_table(world, login, who, status):
    application = make_application(world, status=status)
    user = getattr(world, who)
    assert _offered(_page(login(user), application)) == set(access.actions(user, application))


def test_a_lapsed_application_says_why_it_is_back_for_review(world, login):
    application = make_application(world, status=ApplicationStatus.LAPSED)
    page = _page(login(world.embassy_officer), application)
    assert "start_review" in _offered(page)
    assert 'id="lapsed-why"' in page
    assert "the approval lapsed" in page


def test_a_used_slot_offers_no_withdrawal_and_no_release_and_says_why(world, login):
    # On the ministry's own channel its officers send and manage the slots.
    application = approved(world, channel=world.ministry_channel)
    Allocation.objects.filter(application=application).update(state=AllocationState.USED)
    page = _page(login(world.ministry_officer), application)
    assert "withdraw" not in _offered(page)
    assert "it cannot be withdrawn" in page
    assert "Release the slot" not in page
    assert "it cannot be given back" in page


def test_a_live_referral_says_why_there_is_no_second_referral(world, login):
    w = referral_world(world)
    application = approved(w)
    send(w, application)
    page = _page(login(w.ministry_officer), application)
    assert "Refer to a clinic" not in page
    assert "Refer again only after the clinic declines" in page


def test_after_a_decline_the_sender_may_refer_again(world, login):
    w = referral_world(world)
    application = approved(w)
    advance(w, send(w, application), ReferralStatus.DECLINED)
    page = _page(login(w.ministry_officer), application)
    assert "Refer to a clinic" in page


# --- Confirmation of what cannot be undone ------------------------------------------


def _withdraw(client, application: Application, follow: str = "", **extra: str):
    data = {"withdraw-reason": "patient_declined", "withdraw-comment": "", **extra}
    url = reverse("application-action", args=[application.pk, "withdraw"])
    return client.post(url, data, follow=bool(follow))


def test_withdrawing_asks_for_a_confirmation_box(world, login):
    application = make_application(world, status=ApplicationStatus.IN_REVIEW)
    page = _page(login(world.ministry_officer), application)
    form = page.split('id="action-withdraw"')[1].split("</form>")[0]
    assert 'name="withdraw-confirm"' in form
    assert "required" in form.split('name="withdraw-confirm"')[1].split(">")[0]


def test_withdrawing_without_the_box_changes_nothing(world, login):
    application = approved(world)
    client = login(world.ministry_officer)
    response = _withdraw(client, application, follow="1")
    assert response.status_code in (200, 400)
    assert "Tick the box to confirm this step." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert Allocation.objects.get(application=application).state == AllocationState.HELD


def test_withdrawing_with_the_box_withdraws(world, login):
    application = approved(world)
    _withdraw(login(world.ministry_officer), application, **{"withdraw-confirm": "on"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def _release(client, application: Application, **extra: str):
    data = {"release-reason": "patient_declined", "release-comment": "", **extra}
    return client.post(reverse("allocation-release", args=[application.pk]), data)


def test_releasing_a_slot_needs_the_box(world, login):
    application = approved(world, channel=world.ministry_channel)
    client = login(world.ministry_officer)
    page = _page(client, application)
    assert 'name="release-confirm"' in page
    _release(client, application)
    assert Allocation.objects.get(application=application).state == AllocationState.HELD
    _release(client, application, **{"release-confirm": "on"})
    assert Allocation.objects.get(application=application).state == AllocationState.RELEASED


def test_the_review_queue_says_why_a_lapsed_application_is_back(world, login):
    application = make_application(world, status=ApplicationStatus.LAPSED)
    page = login(world.embassy_officer).get(reverse("review-queue")).content.decode()
    row = page.split(f">{application.number}<")[1].split("</tr>")[0]
    assert "Take into review" in row
    assert "Its slot ended before the admission" in row
