"""Registering patients. A patient is one identity document, shared by applications."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.models import AccessAction
from audit.services import access_record
from institutions.models import Institution

from ..models import Patient

PATIENT_FIELDS = (
    "name_native",
    "name_latin",
    "birth_date",
    "sex",
    "citizenship",
    "document_type",
    "document_number",
    "document_country",
    "phone",
    "email",
    "address",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "preferred_language",
)


def document_number_normalise(number: str) -> str:
    """ "AN 123-456" and "an123456" are one document: keep letters and digits, upper-cased."""
    return re.sub(r"[^0-9A-Za-zА-Яа-яЁё]", "", number or "").upper()


def _validate(patient: Patient) -> None:
    # Uniqueness of the document is settled by the database, not by a racy query.
    patient.full_clean(exclude=["registered_by"], validate_unique=False, validate_constraints=False)
    if patient.is_minor and not patient.guardian_name:
        raise ValidationError({"guardian_name": _("A minor's guardian is required.")})


@transaction.atomic
def patient_register(
    *, actor: User, institution: Institution, data: dict[str, Any]
) -> tuple[Patient, bool]:
    """The patient holding this identity document; registered now if new.

    Returns ``(patient, created)``. An existing patient is returned unchanged: a
    second officer registering the same person must not overwrite the first's data.
    """
    unknown = set(data) - set(PATIENT_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    values = dict(data)
    values["document_number"] = document_number_normalise(str(values.get("document_number", "")))
    if not values["document_number"]:
        raise ValidationError({"document_number": _("Enter the document number.")})
    key = {
        "document_type": values.get("document_type"),
        "document_number": values["document_number"],
        "document_country": values.get("document_country"),
    }
    existing = Patient.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    patient = Patient(**values, registered_by=institution)
    _validate(patient)
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        # Registered a moment ago by someone else: theirs is the record.
        return Patient.objects.get(**key), False
    access_record(user=actor, action=AccessAction.CREATE, obj=patient, patient_id=patient.pk)
    return patient, True


@transaction.atomic
def patient_update(*, actor: User, patient: Patient, data: dict[str, Any]) -> Patient:
    unknown = set(data) - set(PATIENT_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    patient = Patient.objects.select_for_update(no_key=True).get(pk=patient.pk)
    for field, value in data.items():
        setattr(patient, field, value)
    if "document_number" in data:
        patient.document_number = document_number_normalise(str(patient.document_number))
    _validate(patient)
    clash = (
        Patient.objects.filter(
            document_type=patient.document_type,
            document_number=patient.document_number,
            document_country=patient.document_country,
        )
        .exclude(pk=patient.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {"document_number": _("Another patient is registered with this document.")}
        )
    patient.save()
    access_record(
        user=actor,
        action=AccessAction.UPDATE,
        obj=patient,
        patient_id=patient.pk,
        detail=",".join(sorted(data)),
    )
    return patient
