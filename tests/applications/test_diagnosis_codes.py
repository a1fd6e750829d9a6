"""The diagnosis of an application: a real ICD-10 code, picked by number or title, shown titled."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from applications import services as applications
from applications.choices import ApplicationStatus
from applications.models import Application
from referrals import services as referrals
from tests.support.api import api, application_payload, body, snapshot
from tests.support.applications import make_application, make_patient

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
BREAST = "Malignant neoplasm: Breast, unspecified"

Login = Callable[[User], Client]


def _form(w: Any, **overrides: str) -> dict[str, Any]:
    data = {
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
        "specialty": w.cardiac.pk,
        "diagnosis_code": "I25.1",
        "diagnosis_text": "Atherosclerotic heart disease",
        "urgency": "urgent",
        "medical_summary": "Three-vessel disease, CABG indicated.",
        "document_kind": "medical_report",
    }
    data.update(overrides)
    return data


# The form


def test_form_refuses_a_made_up_code_at_the_field_and_keeps_the_input(
    world: Any, login: Login
) -> None:
    response = login(world.ministry_officer).post(
        reverse("application-create"), _form(world, diagnosis_code="C99.9")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["diagnosis_code"] == ["C99.9 is not an ICD-10 code."]
    assert 'value="C99.9"' in response.content.decode()
    assert not Application.objects.exists()


def test_form_stores_the_normalised_code(world: Any, login: Login) -> None:
    response = login(world.ministry_officer).post(
        reverse("application-create"), _form(world, diagnosis_code=" i251 ")
    )

    assert response.status_code == 302
    assert Application.objects.get().diagnosis_code == "I25.1"


def test_form_offers_the_picker_on_the_diagnosis_field(kg_tr_world: Any, login: Login) -> None:
    page = login(kg_tr_world.ministry_officer).get(reverse("application-create")).content.decode()

    assert 'list="diagnosis-options"' in page
    assert f'hx-get="{reverse("diagnosis-picker")}"' in page
    assert 'hx-trigger="input changed delay:200ms"' in page
    assert '<datalist id="diagnosis-options" lang="en">' in page


# The API


def test_api_refuses_a_made_up_code_naming_the_field(world: Any) -> None:
    w = world
    payload = application_payload(w, make_patient(w), diagnosis_code="Z99.Z")
    before = snapshot()

    response = api(w.ministry_officer).post(URL, payload, format="json")

    assert response.status_code == 400, body(response)
    assert response.json()["diagnosis_code"] == ["Z99.Z is not an ICD-10 code."]
    assert snapshot() == before


@pytest.mark.parametrize("code", ["II", "C00-D48"])
def test_api_refuses_a_chapter_or_block(world: Any, code: str) -> None:
    w = world
    response = api(w.ministry_officer).post(
        URL, application_payload(w, make_patient(w), diagnosis_code=code), format="json"
    )

    assert response.status_code == 400, body(response)
    assert "diagnosis_code" in response.json()


def test_api_accepts_a_real_code_and_stores_it_normalised(world: Any) -> None:
    w = world
    response = api(w.ministry_officer).post(
        URL, application_payload(w, make_patient(w), diagnosis_code="c509"), format="json"
    )

    assert response.status_code == 201, body(response)
    assert Application.objects.get().diagnosis_code == "C50.9"


def test_api_update_refuses_a_made_up_code(world: Any) -> None:
    w = world
    application = make_application(w, status=ApplicationStatus.DRAFT)

    response = api(w.ministry_officer).patch(
        f"{URL}{application.pk}/", {"diagnosis_code": "C99.9"}, format="json"
    )

    assert response.status_code == 400, body(response)
    assert "diagnosis_code" in response.json()
    application.refresh_from_db()
    assert application.diagnosis_code == "C50.9"


# The services


def test_application_create_refuses_a_made_up_code(world: Any) -> None:
    w = world
    with pytest.raises(ValidationError) as refused:
        applications.application_create(
            actor=w.ministry_officer,
            channel=w.embassy_channel,
            patient=make_patient(w),
            specialty=w.oncology,
            diagnosis_code="C99.9",
            diagnosis_text="Breast cancer",
            medical_summary="Stage II.",
        )

    assert list(refused.value.message_dict) == ["diagnosis_code"]
    assert not Application.objects.exists()


def test_referral_without_quota_refuses_a_made_up_code(world: Any) -> None:
    w = world
    with pytest.raises(ValidationError) as refused:
        referrals.referral_send_without_quota(
            actor=w.ministry_officer,
            sender=w.ministry,
            patient=make_patient(w),
            receiving_institution=w.hospital,
            funding_source="self_pay",
            specialty=w.oncology,
            diagnosis_code="C99.9",
            diagnosis_text="Breast cancer",
            medical_summary="Stage II.",
            covering_letter="Please admit.",
        )

    assert refused.value.message_dict == {"diagnosis_code": ["C99.9 is not an ICD-10 code."]}


# The picker


def _pick(client: Client, typed: str) -> TestResponse:
    return client.get(
        reverse("diagnosis-picker"), {"diagnosis_code": typed}, headers={"HX-Request": "true"}
    )


def test_picker_finds_codes_by_their_number(kg_tr_world: Any, login: Login) -> None:
    response = _pick(login(kg_tr_world.ministry_officer), "c50")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'<option value="C50.9">C50.9 {BREAST}</option>' in html
    assert 'value="I25.1"' not in html


def test_picker_finds_codes_by_words_of_their_title(kg_tr_world: Any, login: Login) -> None:
    html = _pick(login(kg_tr_world.ministry_officer), "breast malig").content.decode()

    assert '<option value="C50.9">' in html
    assert html.count("<option") <= 20


def test_picker_shows_the_title_of_a_complete_code(kg_tr_world: Any, login: Login) -> None:
    html = _pick(login(kg_tr_world.ministry_officer), "C50.9").content.decode()

    assert f'<small class="icd10-title muted" lang="en">{BREAST}</small>' in html


@pytest.mark.parametrize(
    "typed", ["", "x" * 500, "\x00", "....", "C50.9.9", "†*", "-- ;", "ß" * 70]
)
def test_picker_answers_any_input_without_an_error(world: Any, login: Login, typed: str) -> None:
    response = _pick(login(world.ministry_officer), typed)

    assert response.status_code == 200
    assert response.content.decode().count("<option") <= 20


def test_picker_refuses_anonymous_users(client: Client) -> None:
    response = _pick(client, "c50")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_picker_refuses_users_who_may_not_apply(kg_tr_world: Any, login: Login) -> None:
    assert _pick(login(kg_tr_world.clinic_coordinator), "c50").status_code == 403


# The title beside the code


def test_application_page_shows_the_title_beside_the_code(world: Any, login: Login) -> None:
    application = make_application(world, channel=world.ministry_channel)

    page = (
        login(world.ministry_officer)
        .get(reverse("application-detail", args=[application.pk]))
        .content.decode()
    )

    assert f'<code>C50.9</code> <span class="icd10-title muted" lang="en">{BREAST}</span>' in page


def test_a_stored_code_unknown_to_icd10_is_shown_without_a_title(world: Any, login: Login) -> None:
    application = make_application(world, channel=world.ministry_channel, diagnosis_code="C99.9")

    page = (
        login(world.ministry_officer)
        .get(reverse("application-detail", args=[application.pk]))
        .content.decode()
    )

    assert "<code>C99.9</code>" in page
    assert 'class="icd10-title' not in page
