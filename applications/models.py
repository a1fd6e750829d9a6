from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.access import ApplicationQuerySet
from applications.choices import LIVE_APPLICATION_STATUSES, ApplicationStatus, Urgency
from common.models import COMMENT_MAX_LENGTH, StateHistory
from institutions.models import Institution, Specialty
from patients.models import MedicalDocument, Patient
from quotas.models import Channel, QuotaPool

# A referral letter's clinical summary: several pages of text, not a whole record.
MEDICAL_SUMMARY_MAX_LENGTH = 10_000


class Application(models.Model):
    """A request for treatment abroad (or an internship) for one person, on one channel."""

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    pool = models.ForeignKey(
        QuotaPool, on_delete=models.PROTECT, related_name="applications", verbose_name=_("pool")
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="applications", verbose_name=_("channel")
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="applications", verbose_name=_("patient")
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    diagnosis_code = models.CharField(_("diagnosis (ICD-10)"), max_length=8)
    diagnosis_text = models.CharField(_("diagnosis"), max_length=500)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    medical_summary = models.TextField(
        _("medical summary"),
        max_length=MEDICAL_SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(MEDICAL_SUMMARY_MAX_LENGTH)],
    )
    preferred_host = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred host institution"),
    )
    # Moved only by ``applications.workflow.APPLICATION_WORKFLOW``.
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    decision_reason = models.CharField(_("reason"), max_length=64, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One live application per person and pool, whichever channel it came through.
            models.UniqueConstraint(
                fields=["pool", "patient"],
                condition=Q(status__in=LIVE_APPLICATION_STATUSES),
                name="application_one_live_per_patient_and_pool",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.WAITLISTED, waitlisted_at__isnull=False)
                | ~Q(status=ApplicationStatus.WAITLISTED),
                name="application_waitlisted_has_time",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("medical_summary"), MEDICAL_SUMMARY_MAX_LENGTH),
                name="application_medical_summary_length",
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationEvent(StateHistory):
    """One step of an application's history: who moved it, when, from, to, why."""

    states = ApplicationStatus
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(StateHistory.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="application_event_comment_length",
            ),
        ]


class ApplicationDocument(MedicalDocument):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")

    class Meta(MedicalDocument.Meta):
        verbose_name = _("medical document")
        verbose_name_plural = _("medical documents")

    def folder(self) -> str:
        return f"applications/{self.application_id}"
