"""Reads of patients, always scoped to the user (``patients.access``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from common.types import AnyUser
from institutions.selectors import officer_institution_ids
from patients.models import Patient, PatientRegistration


def patient_list(*, user: AnyUser) -> QuerySet[Patient]:
    return Patient.objects.restrict(user)


def patients_to_apply_for(*, user: AnyUser) -> QuerySet[Patient]:
    """The patients the user may name on a new application.

    Those they may see, and those one of their institutions registered by identity
    document even when the record is another's: the officer holds the document
    and was given the patient's id. Naming a patient reveals nothing of the record;
    only the application, once made, lets the institution see it.
    """
    registered = PatientRegistration.objects.filter(
        institution__in=officer_institution_ids(user)
    ).values("patient_id")
    return Patient.objects.filter(
        Q(pk__in=patient_list(user=user).values("pk")) | Q(pk__in=registered)
    )
