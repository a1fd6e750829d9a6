"""A slot's deadline never passes its pool's last admission day; a release's comment is bounded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from allocations.models import Allocation
from allocations.services import end_of_day, pool_last_admission_day
from common.models import COMMENT_MAX_LENGTH
from quotas.models import QuotaPool
from tests.support.api import api, body
from tests.support.applications import make_application

pytestmark = pytest.mark.django_db


def test_the_last_admission_day_is_the_period_end_plus_grace(world):
    pool = QuotaPool(period_end=datetime.date(2027, 6, 30), admission_grace_days=14)

    assert pool_last_admission_day(pool) == datetime.date(2027, 7, 14)


def test_a_period_ending_with_the_calendar_does_not_overflow(world):
    pool = QuotaPool(period_end=datetime.date(9999, 12, 30), admission_grace_days=14)

    assert pool_last_admission_day(pool) == datetime.date.max


def test_a_hold_near_the_pools_end_stops_at_its_last_admission_day(world):
    last_day = timezone.localdate() + datetime.timedelta(days=4)
    QuotaPool.objects.filter(pk=world.pool.pk).update(
        period_end=last_day - datetime.timedelta(days=1), admission_grace_days=1, hold_days=30
    )

    allocation = Allocation.objects.get(application=make_application(world, status="approved"))

    assert allocation.held_until == end_of_day(last_day)


def test_release_comment_over_the_limit_is_a_400_naming_it(world):
    allocation = Allocation.objects.get(application=make_application(world, status="approved"))

    response = api(world.embassy_officer).post(
        f"/api/v1/allocations/{allocation.pk}/release/",
        {"reason": "other", "comment": "x" * (COMMENT_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert str(COMMENT_MAX_LENGTH) in " ".join(response.json()["comment"])
    allocation.refresh_from_db()
    assert allocation.state == "held"
