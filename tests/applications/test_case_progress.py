"""The application list says where each case stands, for how long a slot is held, and whose
move it is."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations.models import Allocation
from applications.choices import ApplicationStatus
from applications.models import Application
from referrals.choices import ReferralStatus
from tests.support.applications import make_application
from tests.support.referrals import advance, approved, referral_world, send

pytestmark = pytest.mark.django_db


def _row(page: str, application: Application) -> str:
    """The text of the list's row for ``application``, tags removed."""
    row = page.split(f">{application.number}</a>")[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


@pytest.fixture
def w(world):
    return referral_world(world)


def _list(w) -> str:
    return _page(w, reverse("application-list"))


def _page(w, url: str) -> str:
    response = w.client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("status", "stage", "waits_on"),
    [
        (ApplicationStatus.DRAFT, "Draft, not yet submitted", "Sending side"),
        (ApplicationStatus.SUBMITTED, "Submitted, awaiting review", "Reviewer"),
        (ApplicationStatus.IN_REVIEW, "In review", "Reviewer"),
        (ApplicationStatus.NEEDS_INFO, "Reviewer asked for information", "Sending side"),
        (ApplicationStatus.WAITLISTED, "On the waiting list", "A free slot"),
        (ApplicationStatus.LAPSED, "Slot lapsed: to be reviewed again", "Reviewer"),
        (ApplicationStatus.REJECTED, "Rejected", "Nothing"),
    ],
)
def test_the_list_says_where_the_review_stands_and_whose_move_it_is(
    w, login, status, stage, waits_on
):
    application = make_application(w, status=status)
    w.client = login(w.ministry_officer)
    row = _row(_list(w), application)
    assert stage in row
    assert waits_on in row


def test_an_approved_application_not_yet_referred_waits_on_the_sender_with_days_held(w, login):
    application = approved(w)
    Allocation.objects.filter(application=application).update(
        created_at=timezone.now() - datetime.timedelta(days=5, hours=2)
    )
    w.client = login(w.ministry_officer)
    row = _row(_list(w), application)
    assert "Approved, not yet referred to a clinic" in row
    assert "held 5 days" in row
    assert "Sending side" in row
    assert "Approved" in row  # the status stays beside the stage


@pytest.mark.parametrize(
    ("status", "stage", "waits_on"),
    [
        (ReferralStatus.SENT, "Referred to Ankara City Hospital", "Clinic"),
        (ReferralStatus.INFO_REQUESTED, "Ankara City Hospital asked for information", "Sending"),
        (ReferralStatus.ACCEPTED, "Accepted by Ankara City Hospital for ", "Clinic"),
        (ReferralStatus.ADMITTED, "Admitted to Ankara City Hospital on ", "Clinic"),
        (ReferralStatus.DISCHARGED, "Discharged from Ankara City Hospital on ", "Nothing"),
        (ReferralStatus.DECLINED, "Declined by Ankara City Hospital: to be referred", "Sending"),
    ],
)
def test_past_approval_the_list_follows_the_referral(w, login, status, stage, waits_on):
    w.hospital.short_name = ""
    w.hospital.save()
    application = approved(w)
    advance(w, send(w, application), status)
    w.client = login(w.ministry_officer)
    row = _row(_list(w), application)
    assert stage in row
    assert waits_on in row


def test_the_latest_referral_tells_the_stage(w, login):
    application = approved(w)
    advance(w, send(w, application, w.hospital), ReferralStatus.DECLINED)
    send(w, application, w.second)
    w.client = login(w.ministry_officer)
    row = _row(_list(w), application)
    assert "Referred to Hacettepe University Hospitals" in row
    assert "Clinic" in row


def test_the_list_runs_a_constant_number_of_queries_with_referrals(w, login):
    w.client = login(w.ministry_officer)
    for _ in range(2):
        advance(w, send(w, approved(w)), ReferralStatus.ACCEPTED)
    make_application(w, status=ApplicationStatus.IN_REVIEW)
    _list(w)  # the session and content types are read once
    with CaptureQueriesContext(connection) as few:
        _list(w)
    for status in (ReferralStatus.SENT, ReferralStatus.ADMITTED, ReferralStatus.DECLINED):
        advance(w, send(w, approved(w)), status)
    approved(w)
    make_application(w, status=ApplicationStatus.WAITLISTED)
    with CaptureQueriesContext(connection) as more:
        _list(w)
    assert len(more.captured_queries) == len(few.captured_queries)
