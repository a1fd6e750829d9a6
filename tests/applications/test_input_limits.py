"""An application's bad input: too long texts, far dates; refused at the field, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications import services as applications
from applications.choices import ApplicationStatus
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH, Application, ApplicationEvent
from common.models import COMMENT_MAX_LENGTH
from tests.support.api import api, application_payload, body, snapshot
from tests.support.applications import make_application, make_patient
from tests.support.factories import SpecialtyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"


def new_application_form(w, **overrides) -> dict:
    return {
        "channel": w.ministry_channel.pk,
        "name_native": "Сыдыков Нурлан",
        "name_latin": "SYDYKOV NURLAN",
        "birth_date": "1968-09-30",
        "sex": "male",
        "citizenship": "KG",
        "document_type": "passport",
        "document_number": "AN 7654321",
        "document_country": "KG",
        "preferred_language": "ru",
        "specialty": SpecialtyFactory(code="oncology").pk,
        "diagnosis_code": "I25.1",
        "diagnosis_text": "Atherosclerotic heart disease",
        "urgency": "urgent",
        "medical_summary": "Three-vessel disease, CABG indicated.",
        "document_kind": "medical_report",
        **overrides,
    }


def test_create_refuses_a_medical_summary_of_four_megabytes(world):
    w = world
    patient = make_patient(w)
    before = snapshot()

    response = api(w.ministry_officer).post(
        URL,
        application_payload(w, patient, medical_summary="x" * 4_000_000),
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert response.json()["medical_summary"] == [
        "Ensure this field has no more than 10000 characters."
    ]
    assert snapshot() == before


def test_change_refuses_a_too_long_medical_summary(world):
    w = world
    application = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.DRAFT)

    response = api(w.ministry_officer).patch(
        f"{URL}{application.pk}/",
        {"medical_summary": "x" * (MEDICAL_SUMMARY_MAX_LENGTH + 1)},
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert "medical_summary" in response.json()


def test_service_names_the_limit_and_the_length_of_the_summary(world):
    w = world
    application = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.DRAFT)

    with pytest.raises(ValidationError) as refused:
        applications.application_update(
            actor=w.ministry_officer,
            application_id=application.pk,
            data={"medical_summary": "x" * 12_345},
        )

    assert refused.value.message_dict["medical_summary"] == [
        "Ensure this value has at most 10000 characters (it has 12345)."
    ]


def test_reject_refuses_a_comment_of_6800_characters(world):
    w = world
    application = make_application(w)
    before = snapshot()

    response = api(w.embassy_officer).post(
        f"{URL}{application.pk}/reject/",
        {"reason": "not_eligible", "comment": "x" * 6800},
        format="json",
    )

    assert response.status_code == 400, body(response)
    assert response.json()["comment"] == ["Ensure this field has no more than 2000 characters."]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("step", "status", "extra"),
    [
        ("submit", ApplicationStatus.DRAFT, {}),
        ("start_review", ApplicationStatus.SUBMITTED, {}),
        ("request_info", ApplicationStatus.IN_REVIEW, {}),
        ("answer", ApplicationStatus.NEEDS_INFO, {}),
        ("approve", ApplicationStatus.IN_REVIEW, {}),
        ("reject", ApplicationStatus.IN_REVIEW, {"reason": "not_eligible"}),
        ("withdraw", ApplicationStatus.IN_REVIEW, {"reason": "other"}),
    ],
)
def test_every_step_service_refuses_a_too_long_comment(world, step, status, extra):
    w = world
    application = make_application(w, channel=w.ministry_channel, status=status)
    service = getattr(applications, f"application_{step}")

    with pytest.raises(ValidationError) as refused:
        service(
            actor=w.ministry_officer,
            application_id=application.pk,
            comment="x" * 6800,
            **extra,
        )

    assert refused.value.message_dict["comment"] == [
        "Ensure this value has at most 2000 characters (it has 6800)."
    ]
    application.refresh_from_db()
    assert application.status == status


def test_the_database_refuses_too_long_texts(world):
    application = make_application(world)

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            medical_summary="x" * (MEDICAL_SUMMARY_MAX_LENGTH + 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationEvent.objects.create(
            application=application, to_state="in_review", comment="x" * (COMMENT_MAX_LENGTH + 1)
        )


def test_a_limit_long_summary_and_comment_are_accepted(world):
    w = world
    application = make_application(w, channel=w.ministry_channel, status=ApplicationStatus.DRAFT)
    client = api(w.ministry_officer)

    changed = client.patch(
        f"{URL}{application.pk}/",
        {"medical_summary": "я" * MEDICAL_SUMMARY_MAX_LENGTH},
        format="json",
    )
    submitted = client.post(
        f"{URL}{application.pk}/submit/", {"comment": "я" * COMMENT_MAX_LENGTH}, format="json"
    )

    assert changed.status_code == 200, body(changed)
    assert submitted.status_code == 200, body(submitted)


# --- Dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("bound", ["created_after", "created_before"])
def test_list_filters_take_far_dates_without_error(world, login, day, bound):
    w = world
    make_application(w)

    answer = api(w.embassy_officer).get(URL, {bound: day})
    page = login(w.embassy_officer).get(reverse("application-list"), {bound: day})

    assert answer.status_code == 200, body(answer)
    assert page.status_code == 200


@pytest.mark.parametrize("born", ["0001-01-01", "1800-01-01", "9999-12-31"])
def test_form_refuses_a_birth_date_out_of_range_at_the_field(world, login, born):
    w = world

    response = login(w.ministry_officer).post(
        reverse("application-create"), new_application_form(w, birth_date=born)
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["birth_date"]
    assert not Application.objects.exists()


def test_form_refuses_a_too_long_summary_at_the_field_and_keeps_it(world, login):
    w = world
    summary = "Three-vessel disease." * 520

    response = login(w.ministry_officer).post(
        reverse("application-create"), new_application_form(w, medical_summary=summary)
    )

    form = response.context["form"]
    assert list(form.errors) == ["medical_summary"]
    assert "at most 10000 characters (it has 10920)" in form.errors["medical_summary"][0]
    assert form["medical_summary"].value() == summary
