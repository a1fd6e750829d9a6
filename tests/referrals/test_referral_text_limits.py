"""What people write on a referral is bounded, in the API, the pages and the database;
the limit is named in the error, and what was typed stays on a failed page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.models import MEDICAL_SUMMARY_MAX_LENGTH
from common.models import COMMENT_MAX_LENGTH
from referrals.choices import ReferralStatus
from referrals.models import (
    COVERING_LETTER_MAX_LENGTH,
    DISCHARGE_SUMMARY_MAX_LENGTH,
    Referral,
    ReferralEvent,
)
from tests.support.api import api, body
from tests.support.applications import make_patient
from tests.support.referrals import (
    action_body,
    approved,
    post_action,
    referral_in,
    referral_world,
    snapshot,
)

pytestmark = pytest.mark.django_db

R = ReferralStatus

# action -> (status it starts from, the long field, its limit, the rest of a valid body)
LONG_TEXTS = {
    "discharge": (R.ADMITTED, "discharge_summary", DISCHARGE_SUMMARY_MAX_LENGTH),
    "decline": (R.SENT, "comment", COMMENT_MAX_LENGTH),
    "cancel": (R.ACCEPTED, "comment", COMMENT_MAX_LENGTH),
    "request_info": (R.SENT, "comment", COMMENT_MAX_LENGTH),
    "answer": (R.INFO_REQUESTED, "comment", COMMENT_MAX_LENGTH),
    "accept": (R.SENT, "comment", COMMENT_MAX_LENGTH),
    "reschedule": (R.ACCEPTED, "comment", COMMENT_MAX_LENGTH),
}


@pytest.fixture
def rw(world: Any) -> Any:
    return referral_world(world)


def actor_of(w: Any, action: str) -> Any:
    return w.ministry_officer if action in ("answer", "cancel") else w.clinic_coordinator


@pytest.mark.parametrize(("action", "case"), LONG_TEXTS.items(), ids=LONG_TEXTS)
def test_api_refuses_a_text_over_its_limit_naming_the_limit(rw, action, case):
    status, field, limit = case
    referral = referral_in(rw, status)
    before = snapshot()

    response = post_action(
        actor_of(rw, action), referral, action, {**action_body(action), field: "x" * (limit + 1)}
    )

    assert response.status_code == 400, body(response)
    assert str(limit) in " ".join(response.json()[field]), body(response)
    assert snapshot() == before


@pytest.mark.parametrize("action", ["discharge", "decline"])
def test_api_takes_a_text_of_exactly_the_limit(rw, action):
    status, field, limit = LONG_TEXTS[action]
    referral = referral_in(rw, status)

    response = post_action(
        actor_of(rw, action), referral, action, {**action_body(action), field: "x" * limit}
    )

    assert response.status_code == 200, body(response)


@pytest.mark.parametrize(("action", "case"), LONG_TEXTS.items(), ids=LONG_TEXTS)
def test_page_refuses_a_text_over_its_limit_and_keeps_it(rw, login, action, case):
    status, field, limit = case
    referral = referral_in(rw, status)
    typed = "y" * (limit + 1)
    # "confirm": the box destructive steps ask for; other steps' forms ignore it.
    data = {**action_body(action), field: typed, "confirm": "on"}

    response = login(actor_of(rw, action)).post(
        reverse("referral-action", args=[referral.pk, action]),
        {f"{action}-{key}": value for key, value in data.items()},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{action}-{field}_error"' in page
    assert f"{limit}" in page.replace("\u00a0", "").replace(",", "")
    assert typed in page
    referral.refresh_from_db()
    assert referral.status == status


def test_page_decline_other_without_comment_stays_on_the_page(rw, login):
    referral = referral_in(rw, R.SENT)

    response = login(rw.clinic_coordinator).post(
        reverse("referral-action", args=[referral.pk, "decline"]),
        {"decline-reason": "other", "decline-comment": "", "decline-confirm": "on"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_decline-comment_error"' in page
    assert '<option value="other" selected>' in page


def test_page_refusal_by_state_is_a_409_on_the_same_page(rw, login):
    referral = referral_in(rw, R.ACCEPTED)
    clinic = login(rw.clinic_coordinator)

    response = clinic.post(
        reverse("referral-action", args=[referral.pk, "decline"]),
        {"decline-reason": "no_capacity", "decline-confirm": "on"},
    )

    assert response.status_code == 409
    assert referral.number in response.content.decode()


def test_history_comment_length_is_backed_by_the_database(rw):
    referral = referral_in(rw, R.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralEvent.objects.filter(referral=referral).update(
            comment="x" * (COMMENT_MAX_LENGTH + 1)
        )


def test_a_long_discharge_summary_folds_on_the_referral_page(rw, login):
    referral = referral_in(rw, R.ADMITTED)
    summary = "Uneventful recovery. " * 100
    post_action(
        rw.clinic_coordinator,
        referral,
        "discharge",
        {**action_body("discharge"), "discharge_summary": summary},
    )

    page = login(rw.ministry_officer).get(reverse("referral-detail", args=[referral.pk]))

    html = page.content.decode()
    section = html[html.index('class="summary discharge-summary"') :]
    assert section.index("<details") < section.index("</div>")


# --- Sending: the covering letter and the medical summary ------------------------------


def test_a_quota_referral_with_a_covering_letter_over_its_limit_is_refused(rw):
    application = approved(rw)
    before = snapshot()

    response = api(rw.ministry_officer).post(
        "/api/v1/referrals/",
        {
            "application": application.pk,
            "receiving_institution": rw.hospital.pk,
            "covering_letter": "x" * (COVERING_LETTER_MAX_LENGTH + 1),
        },
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert str(COVERING_LETTER_MAX_LENGTH) in " ".join(response.json()["covering_letter"])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("medical_summary", MEDICAL_SUMMARY_MAX_LENGTH),
        ("covering_letter", COVERING_LETTER_MAX_LENGTH),
    ],
)
def test_a_referral_without_quota_over_a_text_limit_is_refused(rw, field, limit):
    payload = {
        "sender": rw.ministry.pk,
        "patient": make_patient(rw).pk,
        "receiving_institution": rw.hospital.pk,
        "funding_source": "self_pay",
        "specialty": "oncology",
        "diagnosis_code": "C50.9",
        "diagnosis_text": "Malignant neoplasm of breast",
        "medical_summary": "Stage II, surgery indicated.",
        "covering_letter": "Self-paying patient, please admit.",
        field: "x" * (limit + 1),
    }

    response = api(rw.ministry_officer).post("/api/v1/referrals/", payload, format="json")

    assert response.status_code == 400, body(response)
    assert str(limit) in " ".join(response.json()[field])
    assert not Referral.objects.exists()


def test_the_send_page_keeps_a_covering_letter_over_its_limit(rw, login):
    application = approved(rw)
    typed = "z" * (COVERING_LETTER_MAX_LENGTH + 1)

    response = login(rw.ministry_officer).post(
        reverse("referral-send", args=[application.pk]),
        {"receiving_institution": rw.hospital.pk, "covering_letter": typed},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "has-error" in page
    assert str(COVERING_LETTER_MAX_LENGTH) in page
    assert typed in page
    assert not Referral.objects.exists()
