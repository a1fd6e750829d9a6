"""Medical documents: only real PDFs and images are kept, and only the entitled read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.choices import ApplicationStatus
from applications.models import ApplicationDocument
from audit.models import AccessAction, AccessRecord
from patients.documents import document_read
from tests.support.api import api, body, snapshot
from tests.support.applications import make_application
from tests.support.documents import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(user, application, name: str, content: bytes, kind: str | None = "medical_report"):
    data: dict = {"file": SimpleUploadedFile(name, content)}
    if kind is not None:
        data["kind"] = kind
    return api(user).post(
        f"/api/v1/applications/{application.pk}/documents/", data, format="multipart"
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("Asanova biopsy report.pdf", PDF, "application/pdf"),
        ("CT scan ASANOVA.png", PNG, "image/png"),
        # The name does not decide the type; the bytes do.
        ("scan.dat", PNG, "image/png"),
    ],
)
def test_document_upload_real_file_accepted(world, tmp_path, name, content, mime):
    w = world
    application = make_application(w)

    response = upload(w.ministry_officer, application, name, content)

    assert response.status_code == 201, body(response)
    data = response.json()
    assert (data["content_type"], data["size"], data["original_name"]) == (
        mime,
        len(content),
        name,
    )
    document = ApplicationDocument.objects.get(pk=data["id"])
    assert document.uploaded_by == w.ministry_officer
    assert document.application == application
    # Stored outside the web root under a random name: neither patient nor title shows.
    files = stored_files(tmp_path)
    assert files == [Path(document.file.path)]
    # Encrypted at rest: the bytes on disk are not the upload, reading gives it back.
    assert content not in files[0].read_bytes()
    assert document_read(document) == content
    assert "ASANOVA" not in document.file.name.upper()
    assert str(application.pk) in document.file.name
    assert AccessRecord.objects.filter(
        user=w.ministry_officer,
        action=AccessAction.CREATE,
        object_type="applicationdocument",
        patient_id=application.patient_id,
    ).exists()


def test_document_upload_at_limit_accepted_over_limit_refused(world, settings, tmp_path):
    w = world
    settings.MAX_DOCUMENT_MB = 1
    application = make_application(w)
    at_limit = PDF + b"0" * (1024 * 1024 - len(PDF))

    accepted = upload(w.ministry_officer, application, "big.pdf", at_limit)
    refused = upload(
        w.ministry_officer, application, "bigger.pdf", PDF + b"0" * (1536 * 1024 - len(PDF))
    )

    assert accepted.status_code == 201, body(accepted)
    assert refused.status_code == 400, body(refused)
    assert "file" in refused.json()
    assert ApplicationDocument.objects.count() == 1
    assert len(stored_files(tmp_path)) == 1


REFUSED_FILES = {
    "text-renamed-pdf": ("report.pdf", b"This is not a PDF, only text pretending.\n" * 20),
    "windows-executable": ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "linux-executable": ("scan.png", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
    "html": ("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "zip": ("report.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100),
    "pdf-marker-late": ("report.pdf", b"\n\n" + PDF),
    "empty": ("report.pdf", b""),
}


@pytest.mark.parametrize(("name", "content"), REFUSED_FILES.values(), ids=REFUSED_FILES.keys())
def test_document_upload_not_pdf_or_image_refused(world, tmp_path, name, content):
    w = world
    application = make_application(w)
    before = snapshot()
    records = AccessRecord.objects.count()

    response = upload(w.ministry_officer, application, name, content)

    assert response.status_code == 400, body(response)
    assert "file" in response.json(), body(response)
    assert snapshot() == before
    assert AccessRecord.objects.count() == records
    assert stored_files(tmp_path) == []


def test_document_upload_over_limit_refused(world, settings, tmp_path):
    w = world
    settings.MAX_DOCUMENT_MB = 1
    application = make_application(w)
    before = snapshot()

    response = upload(
        w.ministry_officer, application, "report.pdf", PDF + b"0" * (1536 * 1024 - len(PDF))
    )

    assert response.status_code == 400, body(response)
    assert "file" in response.json()
    assert snapshot() == before
    assert stored_files(tmp_path) == []


def test_document_upload_unknown_kind_refused(world, tmp_path):
    w = world
    application = make_application(w)

    response = upload(w.ministry_officer, application, "r.pdf", PDF, kind="selfie")

    assert response.status_code == 400, body(response)
    assert "kind" in response.json()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(tmp_path) == []


def test_document_upload_without_file_refused(world):
    w = world
    application = make_application(w)

    missing = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/documents/", {"kind": "imaging"}, format="multipart"
    )
    text = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"kind": "imaging", "file": "%PDF-1.4 not a file"},
        format="multipart",
    )

    assert missing.status_code == 400, body(missing)
    assert "file" in missing.json()
    assert text.status_code == 400, body(text)
    assert "file" in text.json()
    assert not ApplicationDocument.objects.exists()


def test_document_upload_as_json_refused(world):
    w = world
    application = make_application(w)

    response = api(w.ministry_officer).post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"file": "JVBERi0xLjQK", "kind": "imaging"},
        format="json",
    )

    assert response.status_code == 415, body(response)
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize("status", [ApplicationStatus.WITHDRAWN, ApplicationStatus.REJECTED])
def test_document_upload_to_closed_application_refused(world, tmp_path, status):
    w = world
    application = make_application(w, status=status)

    response = upload(w.ministry_officer, application, "r.pdf", PDF)

    assert response.status_code == 409, body(response)
    assert response.json()["code"] == "not_editable"
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("channel_name", "user_name", "expected"),
    [
        ("embassy_channel", "ministry_officer", 201),
        ("embassy_channel", "embassy_officer", 403),  # reviews, never sends
        ("embassy_channel", "clinic_coordinator", 404),
        ("embassy_channel", "outsider", 404),
        ("embassy_channel", None, 401),
        ("ministry_channel", "ministry_officer", 201),
        ("ministry_channel", "embassy_officer", 404),
    ],
)
def test_document_upload_by_role(world, tmp_path, channel_name, user_name, expected):
    w = world
    application = make_application(w, channel=getattr(w, channel_name))

    response = upload(getattr(w, user_name) if user_name else None, application, "r.pdf", PDF)

    if expected == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == expected, body(response)
    if expected != 201:
        assert not ApplicationDocument.objects.exists()
        assert stored_files(tmp_path) == []


# --- Download ----------------------------------------------------------------------


@pytest.fixture
def uploaded(world):
    """A PDF on an embassy-channel application, sent by the ministry."""
    application = make_application(world)
    response = upload(world.ministry_officer, application, "Biopsy report.pdf", PDF)
    assert response.status_code == 201, body(response)
    return application, response.json()


@pytest.mark.parametrize("user_name", ["ministry_officer", "embassy_officer"])
def test_document_download_by_sender_and_reviewer_recorded(world, uploaded, user_name):
    w = world
    application, document = uploaded
    user = getattr(w, user_name)

    response = api(user).get(document["download_url"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    record = AccessRecord.objects.get(user=user, action=AccessAction.DOWNLOAD)
    assert record.patient_id == application.patient_id
    assert record.object_id == str(document["id"])


def test_document_download_url_listed_in_detail(world, uploaded):
    w = world
    application, document = uploaded

    detail = api(w.embassy_officer).get(f"/api/v1/applications/{application.pk}/").json()

    assert [d["download_url"] for d in detail["documents"]] == [document["download_url"]]


@pytest.mark.parametrize("user_name", ["clinic_coordinator", "outsider"])
def test_document_download_by_stranger_not_found(world, uploaded, user_name):
    w = world
    _application, document = uploaded

    response = api(getattr(w, user_name)).get(document["download_url"])

    assert response.status_code == 404
    assert not AccessRecord.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_document_download_anonymous_refused(world, uploaded):
    _application, document = uploaded
    response = api().get(document["download_url"])
    assert response.status_code in (401, 403)
    assert not AccessRecord.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_document_download_through_another_application_not_found(world, uploaded):
    w = world
    _application, document = uploaded
    other = make_application(w)

    response = api(w.embassy_officer).get(
        f"/api/v1/applications/{other.pk}/documents/{document['id']}/"
    )
    unknown = api(w.embassy_officer).get(f"/api/v1/applications/{other.pk}/documents/999999/")

    assert response.status_code == 404
    assert unknown.status_code == 404
    assert not AccessRecord.objects.filter(action=AccessAction.DOWNLOAD).exists()


def test_document_list_read_recorded(world, uploaded):
    w = world
    application, _document = uploaded
    before = AccessRecord.objects.count()

    response = api(w.embassy_officer).get(f"/api/v1/applications/{application.pk}/documents/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert len(response.json()["results"]) == 1
    assert AccessRecord.objects.count() == before + 1
