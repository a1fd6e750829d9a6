"""Rescheduling: the clinic moves an accepted admission to a new date, with a reason.

Allowed and refused by role and status (the full matrix is in
test_referral_transitions.py), the new date checked as on acceptance, the slot
held to match, on the record with both dates, and the referring side told.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from allocations.models import Allocation, AllocationEvent
from allocations.services import end_of_day
from notices.models import Notice
from quotas.models import QuotaPool
from referrals.choices import ReferralStatus
from referrals.models import ReferralEvent
from tests.support.api import api, body
from tests.support.notice_kinds import K
from tests.support.notices import mark, told
from tests.support.referrals import (
    days,
    post_action,
    referral_in,
    referral_world,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db

R = ReferralStatus


@pytest.fixture
def rw(world: Any) -> Any:
    return referral_world(world)


def reschedule(user: Any, referral: Any, **data: Any) -> Any:
    payload = {"admission_date": days(14).isoformat(), "reason": "patient_request", **data}
    return post_action(user, referral, "reschedule", payload)


def test_clinic_reschedules_an_accepted_referral(rw):
    referral = referral_in(rw, R.ACCEPTED)
    assert referral.admission_date == days(10)

    response = reschedule(rw.clinic_coordinator, referral, comment="The patient's visa is late.")

    assert response.status_code == 200, body(response)
    data = response.json()
    assert (data["status"], data["admission_date"]) == (R.ACCEPTED, days(14).isoformat())
    referral.refresh_from_db()
    assert (referral.status, referral.admission_date) == (R.ACCEPTED, days(14))
    event = referral.events.order_by("created_at", "id").last()
    assert (event.from_state, event.to_state, event.reason, event.actor_id) == (
        R.ACCEPTED,
        R.ACCEPTED,
        "patient_request",
        rw.clinic_coordinator.pk,
    )
    assert (event.rescheduled_from, event.rescheduled_to) == (days(10), days(14))
    assert event.comment == "The patient's visa is late."
    history = data["history"][-1]
    assert (history["rescheduled_from"], history["rescheduled_to"]) == (
        days(10).isoformat(),
        days(14).isoformat(),
    )


def test_the_slot_is_held_to_the_new_date(rw):
    referral = referral_in(rw, R.ACCEPTED)

    reschedule(rw.clinic_coordinator, referral, admission_date=days(20).isoformat())

    allocation = Allocation.objects.get(pk=referral.allocation_id)
    assert allocation.state == "confirmed"
    assert allocation.held_until == end_of_day(days(20 + rw.pool.admission_grace_days))
    assert allocation.reminder_sent_at is None
    step = AllocationEvent.objects.filter(allocation=allocation).order_by("id").last()
    assert (step.from_state, step.to_state) == ("confirmed", "confirmed")


def test_an_earlier_date_shortens_the_hold(rw):
    referral = referral_in(rw, R.ACCEPTED)

    reschedule(rw.clinic_coordinator, referral, admission_date=days(2).isoformat())

    allocation = Allocation.objects.get(pk=referral.allocation_id)
    assert allocation.held_until == end_of_day(days(2 + rw.pool.admission_grace_days))


def test_a_referral_without_a_quota_is_rescheduled_too(rw):
    referral = referral_in(rw, R.ACCEPTED, quota=False)

    response = reschedule(rw.clinic_coordinator, referral)

    assert response.status_code == 200, body(response)
    referral.refresh_from_db()
    assert referral.admission_date == days(14)


def test_the_referring_side_is_told_without_the_patient(rw):
    referral = referral_in(rw, R.ACCEPTED)
    since = mark()

    reschedule(rw.clinic_coordinator, referral, comment="Bed freed on the oncology ward.")

    kinds = told(since)
    assert (rw.embassy_officer.username, K.REFERRAL_RESCHEDULED) in kinds
    assert (rw.ministry_officer.username, K.REFERRAL_RESCHEDULED) in kinds
    assert all(kind == K.REFERRAL_RESCHEDULED for _, kind in kinds)
    assert rw.clinic_coordinator.username not in {user for user, _ in kinds}
    notice = Notice.objects.filter(pk__gt=since).first()
    assert notice is not None
    text = f"{notice.subject} {notice.body_text} {notice.body_html}"
    patient = referral.patient
    for secret in (patient.name_latin, patient.name_native, referral.diagnosis_text):
        assert secret not in text
    assert "Bed freed" not in text  # the free-text comment stays on the referral
    assert referral.number in text


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("ministry_officer", 403),
        ("embassy_officer", 403),
        ("second_coordinator", 404),
        ("outsider", 404),
    ],
)
def test_only_the_receiving_clinic_reschedules(rw, user, expected):
    referral = referral_in(rw, R.ACCEPTED)
    before = snapshot()

    response = reschedule(getattr(rw, user), referral)

    assert response.status_code == expected, body(response)
    assert snapshot() == before


@pytest.mark.parametrize("status", [R.SENT, R.ADMITTED, R.DISCHARGED, R.CANCELLED])
def test_only_an_accepted_referral_is_rescheduled(rw, status):
    referral = referral_in(rw, status)
    before = snapshot()

    response = reschedule(rw.clinic_coordinator, referral)

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "invalid_transition"
    assert snapshot() == before


BAD_INPUT = {
    "past": ({"admission_date": days(-1).isoformat()}, "admission_date"),
    "far-future": ({"admission_date": "9999-12-31"}, "admission_date"),
    "same-date": ({"admission_date": days(10).isoformat()}, "admission_date"),
    "not-a-date": ({"admission_date": "soon"}, "admission_date"),
    "no-reason": ({"reason": ""}, "reason"),
    "unknown-reason": ({"reason": "bored"}, "reason"),
    "other-without-comment": ({"reason": "other"}, "comment"),
    "long-comment": ({"comment": "x" * 2001}, "comment"),
}


@pytest.mark.parametrize(("data", "field"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_names_the_field_and_changes_nothing(rw, data, field):
    referral = referral_in(rw, R.ACCEPTED)
    before = snapshot()

    response = reschedule(rw.clinic_coordinator, referral, **data)

    assert response.status_code == 400, body(response)
    assert field in response.json(), body(response)
    assert snapshot() == before


def test_a_date_after_the_pools_last_admission_day_is_refused(rw):
    QuotaPool.objects.filter(pk=rw.pool.pk).update(period_end=days(12), admission_grace_days=3)
    referral = referral_in(rw, R.ACCEPTED)

    too_late = reschedule(rw.clinic_coordinator, referral, admission_date=days(16).isoformat())
    last_day = reschedule(rw.clinic_coordinator, referral, admission_date=days(15).isoformat())

    assert too_late.status_code == 400, body(too_late)
    assert "admission_date" in too_late.json()
    assert last_day.status_code == 200, body(last_day)
    allocation = Allocation.objects.get(pk=referral.allocation_id)
    assert allocation.held_until == end_of_day(days(15))


def test_the_page_offers_rescheduling_to_the_clinic_only(rw, login):
    referral = referral_in(rw, R.ACCEPTED)
    page = reverse("referral-detail", args=[referral.pk])

    clinic = login(rw.clinic_coordinator).get(page).content.decode()
    sender = login(rw.ministry_officer).get(page).content.decode()

    assert 'id="action-reschedule"' in clinic
    assert 'id="action-reschedule"' not in sender


def test_rescheduling_on_the_page_shows_both_dates_in_the_history(rw, login):
    referral = referral_in(rw, R.ACCEPTED)
    clinic = login(rw.clinic_coordinator)

    response = clinic.post(
        reverse("referral-action", args=[referral.pk, "reschedule"]),
        {
            "reschedule-admission_date": days(14).isoformat(),
            "reschedule-reason": "clinic_capacity",
            "reschedule-comment": "",
        },
    )

    assert response.status_code == 302
    page = clinic.get(reverse("referral-detail", args=[referral.pk])).content.decode()
    history = page[page.index("<table") :]
    assert "rescheduled" in history
    assert ReferralEvent.objects.filter(referral=referral, rescheduled_to=days(14)).exists()
    # Both dates appear in the row, in the page's date format.
    row = history[history.index('class="rescheduled"') :]
    row = row[: row.index("</td>")]
    assert row.count("→") == 1
    assert str(days(10).day) in row
    assert str(days(14).day) in row


def test_a_failed_rescheduling_on_the_page_keeps_the_input(rw, login):
    referral = referral_in(rw, R.ACCEPTED)

    response = login(rw.clinic_coordinator).post(
        reverse("referral-action", args=[referral.pk, "reschedule"]),
        {
            "reschedule-admission_date": days(-2).isoformat(),
            "reschedule-reason": "other",
            "reschedule-comment": "The ward is closed for disinfection.",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_reschedule-admission_date_error"' in page
    assert "The ward is closed for disinfection." in page
    referral.refresh_from_db()
    assert referral.admission_date == days(10)


def test_api_lists_rescheduling_among_the_clinics_actions(rw):
    referral = referral_in(rw, R.ACCEPTED)

    seen = api(rw.clinic_coordinator).get(url(referral)).json()

    assert "reschedule" in seen["actions"]
