"""Reads behind the header search and the patient's page, always scoped to the user.

Applications, referrals and patients each come from their own ``restrict``:
what the search finds and what the patient's page lists is what the user may
open anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from applications.models import Application
from applications.selectors import application_list
from common.types import AnyUser
from patients.models import Patient
from patients.selectors import patient_list
from patients.services import document_number_normalise
from referrals.models import Referral
from referrals.selectors import referral_list

# Shorter text finds too many names to mean anything.
NAME_MIN_LENGTH = 2


@dataclass
class SearchResults:
    applications: list[Application] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    patients: list[Patient] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.applications) + len(self.referrals) + len(self.patients)

    def only_url(self) -> str:
        """The page of the one thing found."""
        if self.applications:
            return reverse("application-detail", args=[self.applications[0].pk])
        if self.referrals:
            return reverse("referral-detail", args=[self.referrals[0].pk])
        return reverse("patient-detail", args=[self.patients[0].pk])


def _named(value: str, prefix: str = "") -> Q:
    """A person by a part of either spelling of their name."""
    return Q(**{f"{prefix}name_latin__icontains": value}) | Q(
        **{f"{prefix}name_native__icontains": value}
    )


def search_results(*, user: AnyUser, q: str, limit: int) -> SearchResults:
    """What ``q`` finds among what the user may see, at most ``limit`` rows.

    A number (exact, else contained) finds applications and referrals; a name or
    document number finds the patients the user may see. A clinic, which sees
    referrals but not patients' records, finds its referrals by the patient's name.
    """
    found = SearchResults()
    if not q:
        return found
    for lookup in ("number__iexact", "number__icontains"):
        found.applications = list(
            application_list(user=user).filter(**{lookup: q}).order_by("number")[:limit]
        )
        found.referrals = list(
            referral_list(user=user)
            .filter(**{lookup: q})
            .order_by("number")[: limit - len(found.applications)]
        )
        if found.applications or found.referrals:
            return found
    if len(q) < NAME_MIN_LENGTH:
        return found
    person = _named(q) | Q(document_number=document_number_normalise(q))
    found.patients = list(
        patient_list(user=user).filter(person).order_by("name_latin", "pk")[:limit]
    )
    # The patients' own referrals are on their pages; by name only, as a clinic is
    # not shown the patient's identity document.
    found.referrals = list(
        referral_list(user=user)
        .filter(_named(q, "patient__"))
        .exclude(patient__in=[p.pk for p in found.patients])
        .order_by("-created_at", "pk")[: limit - len(found.patients)]
    )
    return found


@dataclass
class PatientRecord:
    applications: list[Application]
    referrals: list[Referral]


def patient_record(*, user: AnyUser, patient: Patient) -> PatientRecord:
    """Every application and referral of the patient the user may see, newest first."""
    return PatientRecord(
        applications=list(
            application_list(user=user).filter(patient=patient).order_by("-created_at", "-pk")
        ),
        referrals=list(
            referral_list(user=user).filter(patient=patient).order_by("-created_at", "-pk")
        ),
    )
