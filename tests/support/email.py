"""E-mail backends for the notice delivery tests.

``SlowFileBackend`` is for delivery tests run by a real Celery worker. It writes
each message to a file, like Django's file backend, after leaving a marker with
the worker process id and waiting a moment: the window in which a test can kill
the worker in the middle of a delivery.
"""

import os
import smtplib
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend


class FailingBackend(BaseEmailBackend):
    """A mail relay that refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPException("451 relay temporarily unavailable")


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        directory = Path(self.file_path)
        marker = directory / f"sending-{os.getpid()}-{uuid.uuid4().hex}.marker"
        marker.write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("KOPRU_TEST_EMAIL_DELAY", "0")))
        sent = super().send_messages(email_messages)
        marker.unlink(missing_ok=True)
        return sent

    def _get_filename(self) -> str:
        # One file per message, whatever the clock's resolution.
        return str(Path(self.file_path) / f"{uuid.uuid4().hex}.eml")
