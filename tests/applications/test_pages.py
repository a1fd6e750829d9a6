"""The application pages: create with a document, act, and who sees what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationDocument
from audit.models import AccessRecord
from tests.support.factories import ApplicationFactory, SpecialtyFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _new_application_form(world, **overrides):
    data = {
        "channel": world.ministry_channel.pk,
        "name_native": "Сыдыков Нурлан",
        "name_latin": "SYDYKOV NURLAN",
        "birth_date": "1968-09-30",
        "sex": "male",
        "citizenship": "KG",
        "document_type": "passport",
        "document_number": "AN 7654321",
        "document_country": "KG",
        "preferred_language": "ru",
        "specialty": SpecialtyFactory(code="cardiac-surgery").pk,
        "diagnosis_code": "I25.1",
        "diagnosis_text": "Atherosclerotic heart disease",
        "urgency": "urgent",
        "medical_summary": "Three-vessel disease, CABG indicated.",
        "document_kind": "medical_report",
        "submit_now": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_ministry_officer_creates_and_submits_an_application_with_a_document(
    kg_tr_world, login, media
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(kg_tr_world.ministry_officer)
    data = _new_application_form(kg_tr_world)
    data["document"] = SimpleUploadedFile("echo.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("application-create"), data)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("application-detail", args=[application.pk])
    assert application.status == "submitted"
    assert application.number == "KG-TR-2026-000001"
    document = ApplicationDocument.objects.get(application=application)
    assert document.content_type == "application/pdf"
    page = client.get(response.url)
    assert "SYDYKOV NURLAN" in page.content.decode()
    download = client.get(reverse("application-document", args=[application.pk, document.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AccessRecord.objects.filter(action="download", object_id=str(document.pk)).exists()


@pytest.mark.django_db
def test_bad_input_is_shown_at_the_field_and_nothing_is_written(kg_tr_world, login, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(kg_tr_world.ministry_officer)
    data = _new_application_form(kg_tr_world, diagnosis_code="heart")
    data["document"] = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")

    response = client.post(reverse("application-create"), data)

    assert response.status_code == 200
    assert "ICD-10" in response.content.decode()
    assert not Application.objects.exists()

    data = _new_application_form(kg_tr_world)
    data["document"] = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(reverse("application-create"), data)
    assert response.status_code == 200
    assert "Upload a PDF or an image" in response.content.decode()
    assert not Application.objects.exists()
    assert not list(media.rglob("*.pdf"))


@pytest.mark.django_db
def test_embassy_officer_reviews_and_approves_on_the_page(kg_tr_world, login):
    application = ApplicationFactory(channel=kg_tr_world.embassy_channel, status="submitted")
    client = login(kg_tr_world.embassy_officer)
    detail = reverse("application-detail", args=[application.pk])

    assert 'id="action-start_review"' in client.get(detail).content.decode()
    client.post(reverse("application-action", args=[application.pk, "start_review"]))
    client.post(reverse("application-action", args=[application.pk, "approve"]))

    application.refresh_from_db()
    assert application.status == "approved"
    assert "Release the slot" in client.get(detail).content.decode()


@pytest.mark.django_db
def test_refused_action_is_a_message_not_an_error(kg_tr_world, login):
    application = ApplicationFactory(channel=kg_tr_world.embassy_channel, status="draft")
    client = login(kg_tr_world.embassy_officer)

    response = client.post(
        reverse("application-action", args=[application.pk, "approve"]), follow=True
    )

    assert response.status_code == 200
    assert "cannot be approved" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "clinic_coordinator"])
def test_others_cannot_see_or_act_on_applications(kg_tr_world, login, who):
    application = ApplicationFactory(channel=kg_tr_world.embassy_channel, status="in_review")
    client = login(getattr(kg_tr_world, who))

    assert client.get(reverse("application-detail", args=[application.pk])).status_code == 404
    refused = client.post(reverse("application-action", args=[application.pk, "approve"]))
    assert refused.status_code == 404
    assert application.number not in client.get(reverse("application-list")).content.decode()
    application.refresh_from_db()
    assert application.status == "in_review"


@pytest.mark.django_db
def test_application_list_runs_a_constant_number_of_queries(
    kg_tr_world, login, django_assert_num_queries
):
    client = login(kg_tr_world.ministry_officer)
    ApplicationFactory.create_batch(3, channel=kg_tr_world.ministry_channel)
    client.get(reverse("application-list"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("application-list"))
    ApplicationFactory.create_batch(10, channel=kg_tr_world.ministry_channel)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("application-list"))


@pytest.mark.django_db
def test_transfer_page_moves_slots(kg_tr_world, login):
    client = login(kg_tr_world.embassy_officer)
    url = reverse("channel-transfer-page", args=[kg_tr_world.embassy_channel.pk])

    response = client.post(
        url, {"target": kg_tr_world.ministry_channel.pk, "slots": 10, "reason": "Unused"}
    )

    assert response.status_code == 302
    kg_tr_world.embassy_channel.refresh_from_db()
    kg_tr_world.ministry_channel.refresh_from_db()
    assert (kg_tr_world.embassy_channel.slots, kg_tr_world.ministry_channel.slots) == (90, 60)
    refused = login(kg_tr_world.ministry_officer).get(url)
    assert refused.status_code == 404
