"""The main pages: the pool dashboard of officers and network coordinators, the clinic's counters."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocation_services
from allocations.choices import AllocationState
from allocations.models import Allocation
from applications.choices import ApplicationStatus
from audit.models import AccessRecord
from dashboard.selectors import CHART_HEIGHT, dashboard_pools
from institutions.choices import MembershipRole
from institutions.models import InstitutionSpecialty
from referrals import services as referral_services
from referrals.choices import ReferralStatus
from referrals.models import Referral
from tests.support.applications import make_application
from tests.support.factories import ChannelFactory, QuotaPoolFactory
from tests.support.world import member

pytestmark = pytest.mark.django_db


def _approved(world, channel, *, state=AllocationState.HELD, **kwargs):
    application = make_application(world, channel=channel, status=ApplicationStatus.APPROVED)
    allocation = Allocation.objects.get(application=application, state=AllocationState.HELD)
    # Confirmed and used slots stay live: only the state label changes for these reads.
    Allocation.objects.filter(pk=allocation.pk).update(state=state, **kwargs)
    allocation.refresh_from_db()
    return allocation


@pytest.fixture
def busy(world):
    """Embassy channel: held, confirmed, used, two waitlisted; ministry channel: one held."""
    w = world
    w.held = _approved(w, w.embassy_channel)
    w.confirmed = _approved(w, w.embassy_channel, state=AllocationState.CONFIRMED)
    w.used = _approved(w, w.embassy_channel, state=AllocationState.USED)
    for _ in range(2):
        make_application(w, channel=w.embassy_channel, status=ApplicationStatus.WAITLISTED)
    w.ministry_held = _approved(w, w.ministry_channel)
    return w


def test_officer_home_shows_each_channels_figures(busy, login):
    response = login(busy.ministry_officer).get(reverse("home"))
    assert response.status_code == 200
    (dashboard,) = response.context["dashboards"]
    figures = {c.channel.pk: c for c in dashboard.channels}
    embassy = figures[busy.embassy_channel.pk]
    assert (embassy.total, embassy.held, embassy.confirmed, embassy.used) == (100, 1, 1, 1)
    assert (embassy.free, embassy.waitlisted) == (97, 2)
    ministry = figures[busy.ministry_channel.pk]
    assert (ministry.total, ministry.held, ministry.free, ministry.waitlisted) == (50, 1, 49, 0)
    assert dashboard.totals == {
        "total": 150,
        "held": 2,
        "confirmed": 1,
        "used": 1,
        "free": 146,
        "waitlisted": 2,
    }
    page = response.content.decode()
    assert busy.pool.name in page
    assert "<svg" in page
    assert 'class="taken"' in page


def test_a_clinic_gets_its_worklist_counters_not_the_dashboard(busy, login):
    response = login(busy.clinic_coordinator).get(reverse("home"))
    assert "dashboards" not in response.context
    assert response.context["clinic_counts"] == {
        "incoming": 0,
        "awaiting_admission": 0,
        "admitted": 0,
    }
    assert busy.pool.name not in response.content.decode()
    assert response.context["clinic"] == {"incoming": [], "arriving": []}


def _refer(w, urgency: str = "routine") -> Referral:
    application = make_application(
        w, channel=w.ministry_channel, status=ApplicationStatus.APPROVED, urgency=urgency
    )
    return referral_services.referral_send(
        actor=w.ministry_officer,
        application_id=application.pk,
        receiving_institution=w.hospital,
        covering_letter="Please admit for surgery.",
    )


def _accepted(w, in_days: int) -> Referral:
    referral = _refer(w)
    Referral.objects.filter(pk=referral.pk).update(
        status=ReferralStatus.ACCEPTED,
        admission_date=timezone.localdate() + datetime.timedelta(days=in_days),
    )
    return referral


def test_a_clinic_sees_new_referrals_most_urgent_first_and_who_arrives_this_week(world, login):
    w = world
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=w.oncology)

    def refer(urgency: str = "routine") -> Referral:
        return _refer(w, urgency)

    def accepted(in_days: int) -> Referral:
        return _accepted(w, in_days)

    routine = refer("routine")
    emergency = refer("emergency")
    soon, later = accepted(3), accepted(9)

    response = login(w.clinic_coordinator).get(reverse("home"))
    clinic = response.context["clinic"]
    assert [r.pk for r in clinic["incoming"]] == [emergency.pk, routine.pk]
    assert [r.pk for r in clinic["arriving"]] == [soon.pk]
    assert response.context["clinic_counts"]["awaiting_admission"] == 2
    page = response.content.decode()
    assert emergency.number in page
    assert later.number not in page
    assert AccessRecord.objects.filter(
        user=w.clinic_coordinator, object_id=str(emergency.pk), action="list"
    ).exists()
    # The sending ministry's officer is no clinic: no clinic lists on their page.
    assert "clinic" not in login(w.ministry_officer).get(reverse("home")).context


def test_an_outsider_sees_no_pool_of_others(busy):
    outsider = member(busy.unrelated, MembershipRole.MINISTRY_OFFICER)
    assert dashboard_pools(user=outsider) == []


def test_the_chart_follows_slots_taken_and_given_back(world):
    """Two slots taken 40 days ago, one given back 10 days ago: the line steps up, then down."""
    w = world
    today = timezone.localdate()
    first = _approved(w, w.embassy_channel)
    second = _approved(w, w.embassy_channel)
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Allocation.objects.filter(pk__in=[first.pk, second.pk]).update(created_at=long_ago)
    allocation_services.allocation_release(
        actor=w.embassy_officer, allocation_id=second.pk, reason="patient_declined"
    )
    Allocation.objects.filter(pk=second.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=10)
    )
    (dashboard,) = dashboard_pools(user=w.ministry_officer, today=today)
    chart = dashboard.chart
    levels = [float(point.split(",")[1]) for point in chart.points.split()]

    def y(slots: int) -> float:
        return round(CHART_HEIGHT * (1 - slots / chart.max_slots), 1)

    assert levels[0] == y(0)
    assert y(2) in levels
    assert levels[-1] == y(1) == y(dashboard.taken)
    assert chart.taken_now == 1
    # Half way through a year-long pool of 150, the even pace is about 75.
    assert 70 <= chart.pace_now <= 80


def test_pools_heading_to_end_with_free_slots_are_warned_about(world, login):
    w = world
    _approved(w, w.embassy_channel)  # 1 of 150 in half a year: far behind
    on_pace = QuotaPoolFactory(agreement=w.agreement, total_slots=2, name="Small pool on pace")
    small = ChannelFactory(pool=on_pace, issuing_institution=w.ministry, slots=2)
    _approved(w, small)  # 1 of 2 half way: the rest will go at this pace
    response = login(w.ministry_officer).get(reverse("home"))
    by_pool = {d.pool.pk: d for d in response.context["dashboards"]}
    assert by_pool[w.pool.pk].ends_with_free
    assert by_pool[w.pool.pk].projected_free > 140
    assert not by_pool[on_pace.pk].ends_with_free
    warnings = response.content.decode().split('class="warnings"')[1].split("</ul>")[0]
    assert w.pool.name in warnings
    assert on_pace.name not in warnings


def test_slots_near_their_deadline_are_listed_and_the_read_is_audited(world, login, settings):
    w = world
    settings.ALLOCATION_REMINDER_DAYS = 3
    soon = _approved(w, w.ministry_channel, held_until=timezone.now() + datetime.timedelta(days=2))
    later = _approved(w, w.ministry_channel, held_until=timezone.now() + datetime.timedelta(days=9))
    response = login(w.ministry_officer).get(reverse("home"))
    assert [a.pk for a in response.context["deadlines"]] == [soon.pk]
    page = response.content.decode()
    assert soon.application.number in page
    assert later.application.number not in page
    assert AccessRecord.objects.filter(
        user=w.ministry_officer, object_id=str(soon.application_id)
    ).exists()


def _pool_with_traffic(w, n: int):
    pool = QuotaPoolFactory(agreement=w.agreement, total_slots=40)
    for institution in (w.ministry, w.embassy):
        channel = ChannelFactory(pool=pool, issuing_institution=institution, slots=20)
        for _ in range(n):
            _approved(w, channel, held_until=timezone.now() + datetime.timedelta(days=1))
        make_application(w, channel=channel, status=ApplicationStatus.WAITLISTED)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_dashboard_runs_a_constant_number_of_queries(world, login):
    client = login(world.ministry_officer)
    _pool_with_traffic(world, 1)
    client.get(reverse("home"))  # the session and content types are read once
    one_pool = _home_queries(client)
    _pool_with_traffic(world, 3)
    _pool_with_traffic(world, 2)
    assert _home_queries(client) == one_pool


def test_the_clinic_main_page_runs_a_constant_number_of_queries(world, login):
    InstitutionSpecialty.objects.create(institution=world.hospital, specialty=world.oncology)
    client = login(world.clinic_coordinator)
    _refer(world)
    _accepted(world, 1)
    client.get(reverse("home"))
    few = _home_queries(client)
    for days in range(4):
        _refer(world, "urgent")
        _accepted(world, days)
    assert _home_queries(client) == few
