"""Dates against the referral's timeline, through the API and the pages alike.

An admission date from today to the pool's last admission day (its period's end
plus the admission grace); an admission recorded from the day the referral was
sent to today; a discharge from the admission to today; no slot held past the
pool's last admission day.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from allocations.models import Allocation
from allocations.services import end_of_day
from applications import services as applications
from applications.choices import ApplicationStatus
from quotas.models import QuotaPool
from referrals.choices import ReferralStatus
from referrals.models import Referral
from tests.support.api import body
from tests.support.applications import make_application, reviewer_of
from tests.support.referrals import (
    action_body,
    advance,
    approved,
    days,
    post_action,
    referral_in,
    referral_world,
    send,
    snapshot,
    today,
)

pytestmark = pytest.mark.django_db

R = ReferralStatus
FAR_FUTURE = "9999-12-31"


@pytest.fixture
def rw(world: Any) -> Any:
    return referral_world(world)


def pool_ends_in(w: Any, period_days: int, grace_days: int) -> QuotaPool:
    QuotaPool.objects.filter(pk=w.pool.pk).update(
        period_end=days(period_days), admission_grace_days=grace_days
    )
    w.pool.refresh_from_db()
    return w.pool


def accept_with(w: Any, referral: Referral, admission_date: str) -> Any:
    return post_action(
        w.clinic_coordinator,
        referral,
        "accept",
        {**action_body("accept"), "admission_date": admission_date},
    )


def page_post(client: Any, referral: Referral, action: str, data: dict[str, str]) -> Any:
    return client.post(
        reverse("referral-action", args=[referral.pk, action]),
        {f"{action}-{key}": value for key, value in data.items()},
    )


# --- The admission date ------------------------------------------------------------------


@pytest.mark.parametrize("quota", [True, False], ids=["quota", "self_pay"])
def test_accept_far_future_date_is_a_400_naming_the_field(rw, quota):
    referral = referral_in(rw, R.SENT, quota=quota)
    before = snapshot()

    response = accept_with(rw, referral, FAR_FUTURE)

    assert response.status_code == 400, body(response)
    assert "admission_date" in response.json(), body(response)
    assert snapshot() == before


def test_accept_far_future_date_on_the_page_shows_the_error_at_the_field(rw, login):
    referral = referral_in(rw, R.SENT)
    clinic = login(rw.clinic_coordinator)

    response = page_post(
        clinic,
        referral,
        "accept",
        {"admission_date": FAR_FUTURE, "department": "Oncology", "contact_person": "Dr. Demir"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_accept-admission_date_error"' in page
    assert f'value="{FAR_FUTURE}"' in page
    assert 'value="Dr. Demir"' in page
    referral.refresh_from_db()
    assert referral.status == R.SENT


def test_accept_after_the_pools_last_admission_day_is_refused(rw):
    pool = pool_ends_in(rw, 20, 5)
    referral = referral_in(rw, R.SENT)
    before = snapshot()

    response = accept_with(rw, referral, days(26).isoformat())

    assert response.status_code == 400, body(response)
    message = " ".join(response.json()["admission_date"])
    assert str(pool.admission_grace_days) in message
    assert snapshot() == before


def test_accept_on_the_pools_last_admission_day_holds_the_slot_no_longer(rw):
    pool_ends_in(rw, 20, 5)
    referral = referral_in(rw, R.SENT)

    response = accept_with(rw, referral, days(25).isoformat())

    assert response.status_code == 200, body(response)
    allocation = Allocation.objects.get(pk=referral.allocation_id)
    # Admission date plus grace would be day 30; the pool's last admission day is day 25.
    assert allocation.held_until == end_of_day(days(25))


def test_accept_before_the_pools_period_starts_is_refused(rw):
    QuotaPool.objects.filter(pk=rw.pool.pk).update(period_start=days(30))
    referral = referral_in(rw, R.SENT)

    response = accept_with(rw, referral, days(10).isoformat())

    assert response.status_code == 400, body(response)
    assert "admission_date" in response.json()


def test_accept_without_a_quota_beyond_a_year_is_refused(rw):
    referral = referral_in(rw, R.SENT, quota=False)

    too_far = accept_with(rw, referral, days(366).isoformat())
    within = accept_with(rw, referral, days(365).isoformat())

    assert too_far.status_code == 400, body(too_far)
    assert "admission_date" in too_far.json()
    assert within.status_code == 200, body(within)


# --- The slot's deadline --------------------------------------------------------------------


def test_a_slot_held_on_approval_ends_with_the_pools_last_admission_day(rw):
    pool_ends_in(rw, 3, 2)
    application = make_application(rw, status=ApplicationStatus.IN_REVIEW)
    applications.application_approve(
        actor=reviewer_of(rw, rw.embassy_channel), application_id=application.pk
    )

    allocation = Allocation.objects.get(application=application)
    # The pool holds slots for 30 days, but admissions end on day 5.
    assert allocation.held_until == end_of_day(days(5))


def test_a_slot_well_inside_the_pool_keeps_its_hold_days(rw):
    application = approved(rw)

    allocation = Allocation.objects.get(application=application)

    expected = timezone.now() + datetime.timedelta(days=rw.pool.hold_days)
    assert abs(allocation.held_until - expected) < datetime.timedelta(minutes=1)


# --- Admission and discharge ---------------------------------------------------------------


def test_admission_before_the_referral_was_sent_is_refused(rw):
    referral = referral_in(rw, R.ACCEPTED)
    before = snapshot()

    response = post_action(
        rw.clinic_coordinator, referral, "admit", {"admitted_on": days(-1).isoformat()}
    )

    assert response.status_code == 400, body(response)
    assert "admitted_on" in response.json()
    assert snapshot() == before


def test_admission_earlier_than_the_agreed_date_is_recorded(rw):
    referral = referral_in(rw, R.ACCEPTED)
    assert referral.admission_date == days(10)

    response = post_action(rw.clinic_coordinator, referral, "admit", {"admitted_on": today()})

    assert response.status_code == 200, body(response)
    referral.refresh_from_db()
    assert (referral.status, referral.admitted_on) == (R.ADMITTED, today())


def test_admission_on_the_day_it_was_sent_is_recorded(rw):
    referral = send(rw, approved(rw))
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    advance(rw, referral, R.ACCEPTED)

    response = post_action(
        rw.clinic_coordinator, referral, "admit", {"admitted_on": days(-3).isoformat()}
    )

    assert response.status_code == 200, body(response)


@pytest.mark.parametrize(
    ("discharged_on", "admitted_days_ago"),
    [(1, 0), (-3, 2)],
    ids=["future", "before-admission"],
)
def test_discharge_out_of_the_timeline_on_the_page_keeps_the_summary(
    rw, login, discharged_on, admitted_days_ago
):
    referral = send(rw, approved(rw))
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5)
    )
    advance(rw, referral, R.ACCEPTED)
    post_action(
        rw.clinic_coordinator,
        referral,
        "admit",
        {"admitted_on": days(-admitted_days_ago).isoformat()},
    )
    clinic = login(rw.clinic_coordinator)
    summary = "Lumpectomy on day two; drain removed on day four; follow-up in six weeks."

    response = page_post(
        clinic,
        referral,
        "discharge",
        {
            "discharged_on": days(discharged_on).isoformat(),
            "outcome": "treated",
            "discharge_summary": summary,
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_discharge-discharged_on_error"' in page
    assert summary in page
    referral.refresh_from_db()
    assert referral.status == R.ADMITTED


def test_discharge_summary_length_is_backed_by_the_database(rw):
    referral = referral_in(rw, R.DISCHARGED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(discharge_summary="x" * 20_001)
