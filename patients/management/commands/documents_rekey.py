"""Re-encrypt every stored medical document with the newest key."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from patients.documents import DocumentIntegrityError, document_keys, document_reseal
from patients.models import MedicalDocument


class Command(BaseCommand):
    help = (
        "Re-encrypt every medical document with the first key of DOCUMENT_ENCRYPTION_KEYS, "
        "including files stored before encryption. Safe to run again or after an interruption: "
        "files already under the newest key are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        newest = document_keys()[0].key_id
        counts = {"resealed": 0, "current": 0, "missing": 0, "failed": 0}
        document_models = [
            model
            for model in apps.get_models()
            if issubclass(model, MedicalDocument) and not model._meta.abstract
        ]
        for model in document_models:
            for document in model._default_manager.order_by("pk").iterator(chunk_size=200):
                label = f"{model._meta.label} #{document.pk}"
                try:
                    changed = document_reseal(document)
                except FileNotFoundError:
                    counts["missing"] += 1
                    self.stderr.write(f"{label}: file {document.file.name} is missing")
                    continue
                except (OSError, DocumentIntegrityError) as error:
                    counts["failed"] += 1
                    self.stderr.write(f"{label}: {error}")
                    continue
                counts["resealed" if changed else "current"] += 1
        self.stdout.write(
            f"Key {newest}: {counts['resealed']} re-encrypted, {counts['current']} already "
            f"current, {counts['missing']} missing, {counts['failed']} failed."
        )
        if counts["missing"] or counts["failed"]:
            raise CommandError("Some documents were not re-encrypted; keep the old keys.")
