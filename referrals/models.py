from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.choices import Urgency
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH, Application, ApplicationDocument
from common.models import COMMENT_MAX_LENGTH, StateHistory
from institutions.models import Institution, Specialty
from patients.models import MedicalDocument, Patient
from referrals.access import ReferralQuerySet
from referrals.choices import (
    LIVE_REFERRAL_STATUSES,
    DeclineReason,
    DischargeOutcome,
    FundingSource,
    ReferralStatus,
)

# A discharge summary is a few pages, a covering letter one or two; the medical
# summary follows the application's, comments ``COMMENT_MAX_LENGTH``.
DISCHARGE_SUMMARY_MAX_LENGTH = 20_000
COVERING_LETTER_MAX_LENGTH = 5_000


class Referral(models.Model):
    """A patient sent to one receiving clinic; what the clinic sees of the case.

    Quota referrals come from an approved application and carry its allocation;
    referrals without a quota (self-paying, insurance, state budget) have none.
    The clinical fields are copied from the application when it is sent, so the
    clinic reads the referral, never the application.
    """

    number = models.CharField(_("number"), max_length=48, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("application"),
    )
    allocation = models.ForeignKey(
        "allocations.Allocation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("allocation"),
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("patient")
    )
    sender = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="sent_referrals",
        verbose_name=_("referring institution"),
    )
    receiving_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="received_referrals",
        verbose_name=_("receiving institution"),
    )
    agreement = models.ForeignKey(
        "quotas.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("agreement"),
    )
    funding_source = models.CharField(_("funding"), max_length=16, choices=FundingSource.choices)
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("specialty")
    )
    diagnosis_code = models.CharField(_("diagnosis (ICD-10)"), max_length=8)
    diagnosis_text = models.CharField(_("diagnosis"), max_length=500)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    medical_summary = models.TextField(_("medical summary"), max_length=MEDICAL_SUMMARY_MAX_LENGTH)
    covering_letter = models.TextField(_("covering letter"), max_length=COVERING_LETTER_MAX_LENGTH)
    shared_documents = models.ManyToManyField(
        ApplicationDocument,
        blank=True,
        related_name="shared_in_referrals",
        verbose_name=_("documents shared with the clinic"),
    )
    # Moved only by ``referrals.workflow.REFERRAL_WORKFLOW``.
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    # The clinic's answer
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    # The closed loop
    admitted_on = models.DateField(_("admitted on"), null=True, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=32, choices=DischargeOutcome.choices, blank=True
    )
    discharge_summary = models.TextField(
        _("discharge summary"), max_length=DISCHARGE_SUMMARY_MAX_LENGTH, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=LIVE_REFERRAL_STATUSES),
                name="referral_one_live_per_application",
            ),
            models.CheckConstraint(
                condition=Q(funding_source=FundingSource.QUOTA, application__isnull=False)
                | ~Q(funding_source=FundingSource.QUOTA),
                name="referral_quota_has_application",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    Length("discharge_summary"), DISCHARGE_SUMMARY_MAX_LENGTH
                ),
                name="referral_discharge_summary_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("medical_summary"), MEDICAL_SUMMARY_MAX_LENGTH),
                name="referral_medical_summary_length",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("covering_letter"), COVERING_LETTER_MAX_LENGTH),
                name="referral_covering_letter_length",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_institution", "status"]),
            models.Index(fields=["sender", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class ReferralEvent(StateHistory):
    """One step of a referral's history: who, when, from, to, why."""

    states = ReferralStatus
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    # Set by a rescheduling: the admission date it replaced, and the new one.
    rescheduled_from = models.DateField(_("admission date before"), null=True, blank=True)
    rescheduled_to = models.DateField(_("admission date after"), null=True, blank=True)

    class Meta(StateHistory.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="referral_event_comment_length",
            ),
        ]


class ReferralDocument(MedicalDocument):
    """A document added to a referral: an answer to the clinic, or the discharge papers."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")

    class Meta(MedicalDocument.Meta):
        verbose_name = _("referral document")
        verbose_name_plural = _("referral documents")

    def folder(self) -> str:
        return f"referrals/{self.referral_id}"
