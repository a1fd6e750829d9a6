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
from patients.models import Patient, PatientRegistration

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


# A Latin passport series typed in Cyrillic: "АС" (Cyrillic А and С) is "AC".
# Н maps to N, not to the H it resembles: Kyrgyz passports are series "AN" and
# officers type them "АН"; no series of the region's passports uses H.
_CYRILLIC_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMNOPCTYXI")


def document_number_normalise(number: str) -> str:
    """ "AN 123-456", "an123456" and "АН123456" (Cyrillic) are one document."""
    upper = (number or "").upper().translate(_CYRILLIC_LOOKALIKES)
    return re.sub(r"[^0-9A-ZА-ЯЁ]", "", upper)


def _validate(patient: Patient) -> None:
    # Uniqueness of the document is settled by the database, not by a racy query.
    # The fields' own validators include the date of birth's range and the text limits.
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
    The institution's registration is noted, which lets it apply for the patient
    but not read the record (``patients.access``); callers show such an
    institution nothing of the stored record.
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
    if existing is None:
        patient = Patient(**values, registered_by=institution)
        _validate(patient)
        try:
            with transaction.atomic():
                patient.save()
        except IntegrityError:
            # Registered a moment ago by someone else: theirs is the record.
            existing = Patient.objects.get(**key)
    if existing is not None:
        # The institution holds the person's identity document: link it to the record.
        _registration_link(patient=existing, institution=institution, actor=actor)
        access_record(
            user=actor,
            action=AccessAction.VIEW,
            obj=existing,
            patient_id=existing.pk,
            detail="identity document presented again; the record is not shown",
        )
        return existing, False
    _registration_link(patient=patient, institution=institution, actor=actor)
    access_record(user=actor, action=AccessAction.CREATE, obj=patient, patient_id=patient.pk)
    return patient, True


def _registration_link(*, patient: Patient, institution: Institution, actor: User) -> None:
    PatientRegistration.objects.get_or_create(
        patient=patient, institution=institution, defaults={"registered_by": actor}
    )


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
