"""Open questions wait beside the answer box and on the main page of the side that must
answer; where a pool will end with free slots another channel could use, the main page
offers to move them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as applications
from applications.choices import ApplicationStatus
from audit.models import AccessRecord
from referrals.choices import ReferralStatus
from tests.support.applications import make_application
from tests.support.factories import ChannelFactory, QuotaPoolFactory
from tests.support.referrals import advance, approved, referral_world, send

pytestmark = pytest.mark.django_db

QUESTION = "Please add the latest biopsy report."


def _asked(w, **kwargs):
    """An application on the embassy channel sent by the ministry, sent back by the embassy."""
    application = make_application(w, status=ApplicationStatus.IN_REVIEW, **kwargs)
    applications.application_request_info(
        actor=w.embassy_officer, application_id=application.pk, comment=QUESTION
    )
    return application


def _attention(client) -> str:
    page = client.get(reverse("home")).content.decode()
    if 'id="warnings"' not in page:
        return ""
    return page.split('id="warnings"')[1].split("</section>")[0]


def test_the_reviewers_question_stands_beside_the_answer_box(world, login):
    application = _asked(world)
    page = login(world.ministry_officer).get(reverse("application-detail", args=[application.pk]))
    text = page.content.decode()
    question = text.split('id="open-question"')[1].split("</aside>")[0]
    assert QUESTION in question
    assert text.index('id="open-question"') < text.index('id="action-answer"')


def test_the_senders_main_page_lists_the_question_and_the_read_is_audited(world, login):
    application = _asked(world)
    attention = _attention(login(world.ministry_officer))
    assert application.number in attention
    assert QUESTION in attention
    assert AccessRecord.objects.filter(
        user=world.ministry_officer, object_id=str(application.pk), path="/"
    ).exists()


def test_the_reviewer_who_asked_is_not_asked_to_answer(world, login):
    application = _asked(world)
    assert application.number not in _attention(login(world.embassy_officer))


def test_an_answered_question_leaves_the_main_page(world, login):
    application = _asked(world)
    applications.application_answer(
        actor=world.ministry_officer, application_id=application.pk, comment="Attached."
    )
    assert application.number not in _attention(login(world.ministry_officer))


def test_a_clinics_question_is_listed_for_the_referring_side_not_the_clinic(world, login):
    w = referral_world(world)
    referral = advance(w, send(w, approved(w)), ReferralStatus.INFO_REQUESTED)
    attention = _attention(login(w.ministry_officer))
    assert referral.number in attention
    assert "Latest CT, please." in attention
    assert referral.number not in _attention(login(w.clinic_coordinator))


# --- Moving free slots ------------------------------------------------------------------


def _behind_pace(w):
    """A pool half way through its year with one slot taken of 40: it will end with free slots."""
    today = timezone.localdate()
    pool = QuotaPoolFactory(
        agreement=w.agreement,
        total_slots=40,
        period_start=today - datetime.timedelta(days=180),
        period_end=today + datetime.timedelta(days=180),
    )
    w.idle = ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=30)
    w.busy = ChannelFactory(pool=pool, issuing_institution=w.embassy, slots=1)
    approved(w, channel=w.busy)
    return pool


def _transfer_link(channel) -> str:
    return reverse("channel-transfer-page", args=[channel.pk])


def test_the_manager_of_a_channel_with_unused_slots_is_offered_to_move_them(world, login):
    _behind_pace(world)
    attention = _attention(login(world.ministry_officer))
    assert _transfer_link(world.idle) in attention
    # The embassy channel has none free; the ministry does not manage it anyway.
    assert _transfer_link(world.busy) not in attention


def test_no_transfer_is_offered_to_whoever_does_not_manage_the_channel(world, login):
    _behind_pace(world)
    assert _transfer_link(world.idle) not in _attention(login(world.embassy_officer))


def test_no_transfer_is_offered_when_no_other_channel_could_use_the_slots(world, login):
    _behind_pace(world)
    type(world.busy).objects.filter(pk=world.busy.pk).update(slots=5)
    assert _transfer_link(world.idle) not in _attention(login(world.ministry_officer))
