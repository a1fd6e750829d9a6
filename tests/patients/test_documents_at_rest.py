"""Medical documents at rest: sealed with AES-GCM, bound to their name, rekeyed in place."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from applications import services as applications
from applications.models import ApplicationDocument
from patients.checks import document_keys_check, document_keys_deploy_check
from patients.document_keys import key_entry
from patients.documents import DocumentIntegrityError, document_read, sealed_key_id
from tests.support.api import api
from tests.support.applications import make_application
from tests.support.documents import PDF, PNG

pytestmark = pytest.mark.django_db

OLD_KEY = key_entry("k0", secrets.token_bytes(32))
NEW_KEY = key_entry("k1", secrets.token_bytes(32))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def store(w, content: bytes = PDF, name: str = "Biopsy report.pdf") -> ApplicationDocument:
    application = make_application(w)
    return applications.application_document_add(
        application_id=application.pk,
        upload=SimpleUploadedFile(name, content),
        kind="medical_report",
        actor=w.ministry_officer,
    )


def on_disk(document: ApplicationDocument) -> bytes:
    return Path(document.file.path).read_bytes()


def download(w, document: ApplicationDocument):
    url = reverse("application-document-download", args=[document.application_id, document.pk])
    return api(w.ministry_officer).get(url)


def test_stored_bytes_are_not_the_plaintext_served_bytes_are(world):
    document = store(world)

    assert PDF not in on_disk(document)
    assert sealed_key_id(on_disk(document)) == "test"
    response = download(world, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_tampered_file_refused_not_served(world, caplog):
    document = store(world)
    blob = bytearray(on_disk(document))
    blob[-1] ^= 0x01
    Path(document.file.path).write_bytes(bytes(blob))

    with pytest.raises(DocumentIntegrityError):
        document_read(document)
    response = download(world, document)
    assert response.status_code == 404
    assert bytes(blob) not in response.content
    assert "refused" in caplog.text


def test_file_swapped_for_another_documents_refused(world):
    first, second = store(world), store(world, PNG, "scan.png")
    Path(first.file.path).write_bytes(on_disk(second))

    with pytest.raises(DocumentIntegrityError):
        document_read(first)


def test_old_key_still_reads_after_a_new_key_is_added(world, settings):
    settings.DOCUMENT_ENCRYPTION_KEYS = [OLD_KEY]
    document = store(world)

    settings.DOCUMENT_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    assert sealed_key_id(on_disk(document)) == "k0"
    assert document_read(document) == PDF
    assert sealed_key_id(on_disk(store(world))) == "k1"


def test_rekey_moves_every_file_to_the_newest_key_then_old_key_can_go(world, settings):
    settings.DOCUMENT_ENCRYPTION_KEYS = [OLD_KEY]
    sealed = store(world)
    legacy = store(world, PNG, "scan.png")
    Path(legacy.file.path).write_bytes(PNG)  # stored before encryption
    assert document_read(legacy) == PNG
    settings.DOCUMENT_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    out = StringIO()
    call_command("documents_rekey", stdout=out)
    assert "2 re-encrypted, 0 already current" in out.getvalue()

    again = StringIO()
    call_command("documents_rekey", stdout=again)
    assert "0 re-encrypted, 2 already current" in again.getvalue()

    settings.DOCUMENT_ENCRYPTION_KEYS = [NEW_KEY]
    for document, content in [(sealed, PDF), (legacy, PNG)]:
        assert sealed_key_id(on_disk(document)) == "k1"
        assert document_read(document) == content


def test_rekey_reports_a_file_it_cannot_read(world, settings):
    document = store(world)
    Path(document.file.path).write_bytes(b"not a document")

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("documents_rekey", stdout=StringIO(), stderr=err)
    assert f"#{document.pk}" in err.getvalue()
    assert on_disk(document) == b"not a document"


def test_plain_file_not_matching_its_document_refused(world):
    document = store(world)
    Path(document.file.path).write_bytes(PNG)  # plain, but not the recorded PDF

    with pytest.raises(DocumentIntegrityError):
        document_read(document)


def test_unknown_key_refused(world, settings):
    document = store(world)
    settings.DOCUMENT_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(DocumentIntegrityError):
        document_read(document)


def test_production_without_key_fails_the_deployment_check(settings):
    settings.DEBUG = False
    settings.DOCUMENT_ENCRYPTION_KEYS = []

    errors = document_keys_deploy_check()

    assert [e.id for e in errors] == ["patients.E002"]
    assert isinstance(errors[0], Error)
    # Commands that touch no document still run without a key.
    assert document_keys_check() == []


def test_makemigrations_runs_without_a_key_but_check_deploy_refuses(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "DOCUMENT_ENCRYPTION_KEYS": "",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py")]

    migrations = subprocess.run(
        [*manage, "makemigrations", "--check", "--dry-run"], env=env, capture_output=True, text=True
    )
    deploy = subprocess.run([*manage, "check", "--deploy"], env=env, capture_output=True, text=True)

    assert migrations.returncode == 0, migrations.stderr
    assert deploy.returncode != 0
    assert "patients.E002" in deploy.stderr


def test_storing_a_document_without_a_key_refuses(world, settings):
    settings.DOCUMENT_ENCRYPTION_KEYS = []

    with pytest.raises(ImproperlyConfigured):
        store(world)
    assert not ApplicationDocument.objects.exists()


@pytest.mark.parametrize(
    "entry",
    [
        "no-separator",
        "k1:" + base64.b64encode(b"short").decode(),
        "bad id:" + base64.b64encode(bytes(32)).decode(),
        "k1:not base64!",
    ],
)
def test_malformed_key_refuses_to_start(settings, entry):
    settings.DOCUMENT_ENCRYPTION_KEYS = [entry]

    assert [e.id for e in document_keys_check()] == ["patients.E001"]


def test_configured_key_passes_the_check():
    assert document_keys_check() == []
