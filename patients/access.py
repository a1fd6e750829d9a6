"""Who may see and change a patient's record, and register one.

A patient is visible to the institution that created the record and to whoever
the apps above grant through ``patients.signals.patients_visible`` (those who
may see one of the patient's applications). Presenting a known identity document
again (a ``PatientRegistration`` of another institution) grants nothing: else
guessing a passport number would open a stranger's record. Such an institution
may still apply for the patient (``patients.selectors.patients_to_apply_for``); the application,
once made, is what lets it see them. Only the registering institution changes
the record. Ministry and embassy officers register patients, for one of their
institutions. Administrators see everything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from common.access import NOTHING, VIEW, RestrictedQuerySet
from common.exceptions import PermissionDeniedError
from common.types import AnyUser
from institutions.models import Institution
from institutions.selectors import officer_institution_ids, user_institution_ids
from patients.signals import patients_visible

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from patients.models import Patient

CHANGE = "change"


class PatientQuerySet(RestrictedQuerySet["Patient"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if action == CHANGE:
            return Q(registered_by__in=officer_institution_ids(user))
        if action != VIEW:
            return NOTHING
        if user.is_superuser:
            return None
        condition = Q(registered_by__in=user_institution_ids(user))
        for _receiver, patient_ids in patients_visible.send(sender=self.model, user=user):
            condition |= Q(pk__in=patient_ids)
        return condition


def can(user: AnyUser, action: str, patient: Patient) -> bool:
    if not user.is_authenticated:
        return False
    if action == CHANGE:
        return patient.registered_by_id in officer_institution_ids(user)
    return type(patient).objects.restrict(user, action).filter(pk=patient.pk).exists()


def registering_institution(user: AnyUser, institution: Institution | None) -> Institution:
    """The institution the user registers a patient for; refused if they act for none."""
    mine = officer_institution_ids(user)
    if institution is None:
        if len(mine) != 1:
            raise PermissionDeniedError(
                _("Say for which of your institutions you register the patient.")
                if mine
                else _("Only ministry and embassy officers register patients.")
            )
        return Institution.objects.get(pk=next(iter(mine)))
    if institution.pk not in mine and not (user.is_authenticated and user.is_superuser):
        raise PermissionDeniedError(_("You do not act for this institution."))
    return institution
