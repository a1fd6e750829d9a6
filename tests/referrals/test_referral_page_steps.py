"""On the referral page: the clinic's open question beside the answer box, and the steps
that cannot be undone (decline, cancel) asked to be confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.choices import ReferralStatus
from tests.support.referrals import advance, approved, referral_world, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    return referral_world(world)


def _page(client, referral) -> str:
    response = client.get(reverse("referral-detail", args=[referral.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _step(client, referral, action: str, data: dict[str, str]):
    url = reverse("referral-action", args=[referral.pk, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


def test_the_clinics_question_stands_beside_the_answer_box(w, login):
    referral = advance(w, send(w, approved(w)), ReferralStatus.INFO_REQUESTED)
    page = _page(login(w.ministry_officer), referral)
    question = page.split('id="open-question"')[1].split("</aside>")[0]
    assert "Latest CT, please." in question
    # Beside the answer: the question comes right before the actions.
    assert page.index('id="open-question"') < page.index('id="action-answer"')


def test_an_answered_question_is_no_longer_open(w, login):
    referral = advance(w, send(w, approved(w)), ReferralStatus.INFO_REQUESTED)
    client = login(w.ministry_officer)
    _step(client, referral, "answer", {"comment": "CT attached."})
    assert 'id="open-question"' not in _page(client, referral)


def test_declining_needs_the_confirmation_box(w, login):
    referral = send(w, approved(w))
    client = login(w.clinic_coordinator)
    assert 'name="decline-confirm"' in _page(client, referral)
    refused = _step(client, referral, "decline", {"reason": "no_capacity"})
    assert refused.status_code == 400
    assert "Tick the box to confirm this step." in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    _step(client, referral, "decline", {"reason": "no_capacity", "confirm": "on"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_cancelling_needs_the_confirmation_box(w, login):
    referral = send(w, approved(w))
    client = login(w.ministry_officer)
    assert 'name="cancel-confirm"' in _page(client, referral)
    _step(client, referral, "cancel", {"comment": "Not fit to travel."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    _step(client, referral, "cancel", {"comment": "Not fit to travel.", "confirm": "on"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_steps_that_can_be_undone_ask_no_confirmation(w, login):
    referral = send(w, approved(w))
    page = _page(login(w.clinic_coordinator), referral)
    accept = page.split('id="action-accept"')[1].split("</form>")[0]
    assert "confirm" not in accept
