from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from institutions.models import Institution, Specialty
from quotas.models import Channel, QuotaPool

from .choices import (
    LIVE_APPLICATION_STATUSES,
    LIVE_REFERRAL_STATUSES,
    ApplicationStatus,
    DeclineReason,
    DischargeOutcome,
    DocumentType,
    FundingSource,
    MedicalDocumentKind,
    ReferralStatus,
    Sex,
    Urgency,
)


class Patient(models.Model):
    """A person applying for treatment abroad, shared by all their applications.

    Identified by their identity document; the services normalise the number so
    "AN 123 456" and "an123456" are the same person.
    """

    name_native = models.CharField(_("full name (native script)"), max_length=300)
    name_latin = models.CharField(_("full name (Latin, as in the passport)"), max_length=300)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    citizenship = CountryField(_("citizenship"))
    document_type = models.CharField(
        _("identity document"), max_length=32, choices=DocumentType.choices
    )
    document_number = models.CharField(_("document number"), max_length=64)
    document_country = CountryField(_("issuing country"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    guardian_name = models.CharField(_("guardian"), max_length=300, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=100, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    registered_by = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="registered_patients",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_latin", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number", "document_country"],
                name="patient_unique_identity_document",
            ),
        ]

    def __str__(self) -> str:
        return self.name_latin

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        return self.age < 18


class PatientRegistration(models.Model):
    """An institution that registered the patient by presenting their identity document.

    The first registration creates the patient; a later one by another institution
    links it to the same record, which it may then read and apply for.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="registrations")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="patient_registrations"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("patient registration")
        verbose_name_plural = _("patient registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "institution"], name="patient_registration_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} · {self.institution_id}"


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
    medical_summary = models.TextField(_("medical summary"))
    preferred_host = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred host institution"),
    )
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
        ]
        indexes = [
            models.Index(fields=["channel", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationEvent(models.Model):
    """One step of an application's history: who moved it, when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the portal itself acted, e.g. a waitlist promotion."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '·'} → {self.to_status}"


def _document_path(instance: MedicalDocument, filename: str) -> str:
    # A random name: the stored path reveals neither the patient nor the file's title.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"{instance.folder()}/{uuid.uuid4().hex}{suffix}"


class MedicalDocument(models.Model):
    """A medical document, stored outside the web root, served only to those entitled."""

    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=MedicalDocumentKind.choices,
        default=MedicalDocumentKind.MEDICAL_REPORT,
    )
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def folder(self) -> str:
        raise NotImplementedError


class ApplicationDocument(MedicalDocument):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")

    class Meta(MedicalDocument.Meta):
        verbose_name = _("medical document")
        verbose_name_plural = _("medical documents")

    def folder(self) -> str:
        return f"applications/{self.application_id}"


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
        "quotas.Allocation",
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
    medical_summary = models.TextField(_("medical summary"))
    covering_letter = models.TextField(_("covering letter"))
    shared_documents = models.ManyToManyField(
        ApplicationDocument,
        blank=True,
        related_name="shared_in_referrals",
        verbose_name=_("documents shared with the clinic"),
    )
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
    discharge_summary = models.TextField(_("discharge summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

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
        ]
        indexes = [
            models.Index(fields=["receiving_institution", "status"]),
            models.Index(fields=["sender", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class ReferralEvent(models.Model):
    """One step of a referral's history: who, when, from, to, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status or '·'} → {self.to_status}"


def _referral_document_path(instance: ReferralDocument, filename: str) -> str:
    """Kept for the migration that first created ReferralDocument."""
    return _document_path(instance, filename)


class ReferralDocument(MedicalDocument):
    """A document added to a referral: an answer to the clinic, or the discharge papers."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="documents")

    class Meta(MedicalDocument.Meta):
        verbose_name = _("referral document")
        verbose_name_plural = _("referral documents")

    def folder(self) -> str:
        return f"referrals/{self.referral_id}"
