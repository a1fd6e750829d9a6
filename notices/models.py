from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notices import kinds
from notices.choices import DeliveryState


class Notice(models.Model):
    """A message to one person about one event: stored first, then e-mailed.

    Written in the same transaction as the change it reports (an outbox), so a
    rolled-back change leaves no notice, and a broker outage only delays the
    e-mail. ``key`` (event × recipient) makes the same event unable to notify
    the same person twice.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    # One of the kinds the apps register (``notices.kinds``).
    kind = models.CharField(_("kind"), max_length=32)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    link = models.CharField(_("link"), max_length=300, blank=True)
    language = models.CharField(max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    # What the text is rendered from (``notices.context``): references to the objects
    # and the event's values. Subject and bodies are the rendering in ``language``,
    # rendered again when the reader reads in another.
    context = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notice_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["created_at"],
                name="notice_email_pending",
                condition=Q(email_state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} · {self.kind} · {self.subject}"

    def get_kind_display(self) -> str:
        return kinds.label(self.kind)
