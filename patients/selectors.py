"""Reads of patients, always scoped to the user (``patients.access``)."""

from __future__ import annotations

from django.db.models import QuerySet

from common.types import AnyUser
from patients.models import Patient


def patient_list(*, user: AnyUser) -> QuerySet[Patient]:
    return Patient.objects.restrict(user)
