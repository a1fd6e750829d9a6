from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from institutions.models import Institution
from patients.access import PatientQuerySet
from patients.choices import DocumentType, MedicalDocumentKind, Sex

# No one alive was born earlier; an earlier date is a typing slip (0001, 1800).
BIRTH_DATE_MIN = datetime.date(1900, 1, 1)
# A postal address, with room for a village, a district and directions.
ADDRESS_MAX_LENGTH = 500


def birth_date_validate(value: datetime.date) -> None:
    """A date of birth from ``BIRTH_DATE_MIN`` up to today."""
    if value < BIRTH_DATE_MIN:
        raise ValidationError(
            _("Enter a date of birth from %(earliest)s on."),
            code="birth_date_too_early",
            params={"earliest": date_format(BIRTH_DATE_MIN)},
        )
    if value > timezone.localdate():
        raise ValidationError(
            _("The date of birth cannot be in the future."), code="birth_date_in_future"
        )


class Patient(models.Model):
    """A person applying for treatment abroad, shared by all their applications.

    Identified by their identity document; the services normalise the number so
    "AN 123 456" and "an123456" are the same person.
    """

    name_native = models.CharField(_("full name (native script)"), max_length=300)
    name_latin = models.CharField(_("full name (Latin, as in the passport)"), max_length=300)
    birth_date = models.DateField(_("date of birth"), validators=[birth_date_validate])
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    citizenship = CountryField(_("citizenship"))
    document_type = models.CharField(
        _("identity document"), max_length=32, choices=DocumentType.choices
    )
    document_number = models.CharField(_("document number"), max_length=64)
    document_country = CountryField(_("issuing country"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(
        _("address"),
        blank=True,
        max_length=ADDRESS_MAX_LENGTH,
        validators=[MaxLengthValidator(ADDRESS_MAX_LENGTH)],
    )
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

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["name_latin", "id"]
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number", "document_country"],
                name="patient_unique_identity_document",
            ),
            # Not born in the future either: a rule of the services, as a check
            # constraint cannot read today's date.
            models.CheckConstraint(
                condition=Q(birth_date__gte=BIRTH_DATE_MIN), name="patient_birth_date_plausible"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("address"), ADDRESS_MAX_LENGTH),
                name="patient_address_length",
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
