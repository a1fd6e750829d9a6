"""The clinic's admissions calendar: one ISO week of accepted and admitted referrals."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessAction, AccessRecord
from institutions.choices import MembershipRole
from referrals.choices import FundingSource, ReferralStatus
from referrals.models import Referral
from referrals.views import week_code, week_monday
from tests.support.factories import (
    InstitutionFactory,
    MembershipFactory,
    PatientFactory,
    SpecialtyFactory,
)
from tests.support.world import member

URL = reverse("admissions-calendar")
_numbers = itertools.count(1)

# ISO week 48 of 2026: Monday 23 to Sunday 29 November.
MONDAY = datetime.date(2026, 11, 23)
SUNDAY = datetime.date(2026, 11, 29)


def referral(
    w,
    *,
    admission_date: datetime.date | None,
    status: str = ReferralStatus.ACCEPTED,
    clinic=None,
    urgency: str = "routine",
) -> Referral:
    """A self-paying referral written straight in ``status``: no quota, no application."""
    return Referral.objects.create(
        number=f"REF-TEST-{next(_numbers):05d}",
        patient=PatientFactory(registered_by=w.ministry),
        sender=w.ministry,
        receiving_institution=clinic or w.hospital,
        funding_source=FundingSource.SELF_PAY,
        specialty=SpecialtyFactory(code="oncology"),
        diagnosis_code="C50.9",
        diagnosis_text="Malignant neoplasm of breast",
        urgency=urgency,
        medical_summary="Stage II, surgery indicated.",
        covering_letter="Please admit.",
        status=status,
        admission_date=admission_date,
        created_by=w.ministry_officer,
    )


def numbers_by_day(response) -> dict[datetime.date, list[str]]:
    return {day.date: [r.number for r in day.referrals] for day in response.context["days"]}


@pytest.mark.parametrize(
    ("value", "monday"),
    [
        ("2026-W48", datetime.date(2026, 11, 23)),
        ("2026-w01", datetime.date(2025, 12, 29)),
        ("2026-W53", datetime.date(2026, 12, 28)),
        ("2020-W53", datetime.date(2020, 12, 28)),
        ("2021-W53", None),
        ("2026-W00", None),
        ("2026-W54", None),
        ("9999-W01", None),
        ("2026-48", None),
        ("next week", None),
        ("", None),
    ],
)
def test_week_monday_reads_iso_weeks_only(value, monday):
    assert week_monday(value) == monday
    if monday is not None:
        assert week_code(monday) == value.upper()


@pytest.mark.django_db
def test_the_week_asked_shows_its_admissions_day_by_day(kg_tr_world, login):
    w = kg_tr_world
    monday = referral(w, admission_date=MONDAY)
    sunday_admitted = referral(w, admission_date=SUNDAY, status=ReferralStatus.ADMITTED)
    wednesday_routine = referral(w, admission_date=MONDAY + datetime.timedelta(days=2))
    wednesday_emergency = referral(
        w, admission_date=MONDAY + datetime.timedelta(days=2), urgency="emergency"
    )
    # Outside the week, or not (or no longer) coming.
    referral(w, admission_date=MONDAY - datetime.timedelta(days=1))
    referral(w, admission_date=SUNDAY + datetime.timedelta(days=1))
    for status in (ReferralStatus.SENT, ReferralStatus.DISCHARGED, ReferralStatus.NO_SHOW):
        referral(w, admission_date=MONDAY, status=status)

    response = login(w.clinic_coordinator).get(URL, {"week": "2026-W48"})

    assert response.status_code == 200
    days = numbers_by_day(response)
    assert list(days) == [MONDAY + datetime.timedelta(days=n) for n in range(7)]
    assert days[MONDAY] == [monday.number]
    assert days[MONDAY + datetime.timedelta(days=2)] == [
        wednesday_emergency.number,
        wednesday_routine.number,
    ]
    assert days[SUNDAY] == [sunday_admitted.number]
    assert sum(len(numbers) for numbers in days.values()) == 4
    page = response.content.decode()
    assert "Week 48" in page
    assert "?week=2026-W47" in page
    assert "?week=2026-W49" in page
    assert reverse("referral-detail", args=[monday.pk]) in page


@pytest.mark.django_db
def test_the_links_cross_the_year_between_iso_weeks(kg_tr_world, login):
    response = login(kg_tr_world.clinic_coordinator).get(URL, {"week": "2027-W01"})

    assert response.context["previous_week"] == "2026-W53"
    assert response.context["next_week"] == "2027-W02"
    assert response.context["days"][0].date == datetime.date(2027, 1, 4)


@pytest.mark.django_db
def test_without_a_week_the_current_one_is_shown_with_today_marked(kg_tr_world, login):
    w = kg_tr_world
    today = timezone.localdate()
    coming = referral(w, admission_date=today)

    response = login(w.clinic_coordinator).get(URL)

    days = response.context["days"]
    assert days[0].date.weekday() == 0
    assert [d.date for d in days if d.is_today] == [today]
    assert numbers_by_day(response)[today] == [coming.number]
    page = response.content.decode()
    assert page.count('aria-current="date"') == 1
    assert "is not a week" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("week", ["2026-W60", "2021-W53", "garbage", "2026-11-23", "9999-W52"])
def test_an_invalid_week_shows_the_current_week_and_says_so(kg_tr_world, login, week):
    today = timezone.localdate()

    response = login(kg_tr_world.clinic_coordinator).get(URL, {"week": week})

    assert response.status_code == 200
    assert response.context["days"][0].date == today - datetime.timedelta(days=today.weekday())
    assert "is not a week" in response.content.decode()


@pytest.mark.django_db
def test_a_clinic_sees_only_its_own_admissions(kg_tr_world, login):
    w = kg_tr_world
    ours = referral(w, admission_date=MONDAY)
    theirs = referral(w, admission_date=MONDAY, clinic=w.unrelated)

    ours_page = login(w.clinic_coordinator).get(URL, {"week": "2026-W48"})
    theirs_page = login(w.outsider).get(URL, {"week": "2026-W48"})

    assert numbers_by_day(ours_page)[MONDAY] == [ours.number]
    assert numbers_by_day(theirs_page)[MONDAY] == [theirs.number]
    assert theirs.number not in ours_page.content.decode()
    assert ours.number not in theirs_page.content.decode()


@pytest.mark.django_db
def test_the_sender_is_not_shown_the_clinic_calendar(kg_tr_world, login):
    w = kg_tr_world
    sent = referral(w, admission_date=MONDAY)

    response = login(w.ministry_officer).get(URL, {"week": "2026-W48"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "you coordinate none" in page
    assert sent.number not in page
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_a_coordinator_of_two_clinics_sees_both_and_which_is_which(kg_tr_world, login):
    w = kg_tr_world
    second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    coordinator = member(w.hospital, MembershipRole.CLINIC_COORDINATOR)
    MembershipFactory(user=coordinator, institution=second, role=MembershipRole.CLINIC_COORDINATOR)
    one = referral(w, admission_date=MONDAY)
    two = referral(w, admission_date=MONDAY, clinic=second)

    response = login(coordinator).get(URL, {"week": "2026-W48"})

    assert sorted(numbers_by_day(response)[MONDAY]) == sorted([one.number, two.number])
    assert "to Hacettepe University Hospitals" in response.content.decode()


@pytest.mark.django_db
def test_accepted_referrals_without_a_date_are_counted(kg_tr_world, login):
    w = kg_tr_world
    referral(w, admission_date=None)
    referral(w, admission_date=None, clinic=w.unrelated)

    page = login(w.clinic_coordinator).get(URL).content.decode()

    assert "1 accepted referral has no admission date" in page


@pytest.mark.django_db
def test_htmx_asks_for_the_calendar_only(kg_tr_world, login):
    w = kg_tr_world
    coming = referral(w, admission_date=MONDAY)

    response = login(w.clinic_coordinator).get(
        URL, {"week": "2026-W48"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="calendar"')
    assert coming.number in body
    assert 'hx-get="/referrals/calendar/?week=2026-W49"' in body
    assert 'href="/referrals/calendar/?week=2026-W49"' in body


@pytest.mark.django_db
def test_days_are_named_in_the_users_language(kg_tr_world, login):
    client = login(kg_tr_world.clinic_coordinator)
    client.cookies["django_language"] = "ru"

    page = client.get(URL, {"week": "2026-W48"}).content.decode().lower()

    assert "понедельник" in page
    assert "ноября" in page


@pytest.mark.django_db
def test_every_admission_shown_is_recorded_in_the_audit_log(kg_tr_world, login):
    w = kg_tr_world
    shown = [referral(w, admission_date=MONDAY + datetime.timedelta(days=n)) for n in range(3)]
    referral(w, admission_date=MONDAY + datetime.timedelta(days=7))

    login(w.clinic_coordinator).get(URL, {"week": "2026-W48"})

    records = AccessRecord.objects.filter(user=w.clinic_coordinator, action=AccessAction.LIST)
    assert sorted(records.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in shown)
    assert set(records.values_list("object_type", flat=True)) == {"referral"}
    assert {r.patient_id for r in records} == {r.patient_id for r in shown}


@pytest.mark.django_db
def test_the_calendar_runs_a_constant_number_of_queries(
    kg_tr_world, login, django_assert_num_queries
):
    w = kg_tr_world
    client = login(w.clinic_coordinator)

    def add(count: int) -> None:
        for n in range(count):
            referral(
                w,
                admission_date=MONDAY + datetime.timedelta(days=n % 7),
                status=[ReferralStatus.ACCEPTED, ReferralStatus.ADMITTED][n % 2],
            )

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"week": "2026-W48"})
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"week": "2026-W48"})
    assert sum(len(day.referrals) for day in response.context["days"]) == 12
