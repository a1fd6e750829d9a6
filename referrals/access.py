"""Who may see referrals, and take each step of their workflow.

- The receiving clinic's coordinators see the referrals addressed to it and
  take the *clinic* steps (accept, decline, ask, admit, discharge, no-show).
- The referring side sees and takes the *sender* steps (answer, cancel): the
  senders of the application's channel, or, without a quota, officers of the
  referring institution.
- Whoever sees the application sees its referrals; network coordinators see
  those under the agreements their body coordinates. Administrators see all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from applications import access as application_access
from applications.models import Application
from audit.models import AccessAction
from audit.services import access_record
from common.access import NOTHING, VIEW, RestrictedQuerySet
from common.exceptions import PermissionDeniedError
from common.types import AnyUser
from common.workflow import PORTAL
from institutions.choices import MembershipRole
from institutions.selectors import (
    network_institution_ids,
    officer_institution_ids,
    user_institution_ids,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.request import Request

    from referrals.models import Referral

CLINIC = "clinic"
SENDER = application_access.SENDER
# The clinics' own worklists: only the referrals addressed to them.
CLINIC_WORKLIST = "clinic_worklist"


def _clinic_ids(user: AnyUser) -> frozenset[int]:
    return user_institution_ids(user, roles=[MembershipRole.CLINIC_COORDINATOR])


class ReferralQuerySet(RestrictedQuerySet["Referral"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if action == CLINIC_WORKLIST:
            return Q(receiving_institution__in=_clinic_ids(user))
        if action != VIEW:
            return NOTHING
        if user.is_superuser:
            return None
        return (
            Q(receiving_institution__in=user_institution_ids(user))
            | Q(sender__in=officer_institution_ids(user))
            | Q(application__in=Application.objects.restrict(user, VIEW))
            | Q(agreement__coordinator__in=network_institution_ids(user))
        )


def _is_clinic(user: AnyUser, referral: Referral) -> bool:
    return user.is_authenticated and referral.receiving_institution_id in _clinic_ids(user)


def _is_sender(user: AnyUser, referral: Referral) -> bool:
    if not user.is_authenticated:
        return False
    if referral.application_id is not None:
        return application_access.can(user, "refer", referral.application)
    return user.is_superuser or referral.sender_id in officer_institution_ids(user)


def _role(action: str) -> str:
    from referrals.workflow import REFERRAL_WORKFLOW  # it imports the model, which imports us

    return REFERRAL_WORKFLOW[action].by


def can(user: AnyUser, action: str, obj: Any) -> bool:  # noqa: ANN401 (or an Institution: see below)
    """May ``user`` take ``action`` on the referral ``obj``?

    ``send_without_quota`` asks about the referring institution instead. Adding
    a document is for either side. The state is the workflow's to check.
    """
    if action == "send_without_quota":
        return user.is_authenticated and (
            user.is_superuser or obj.pk in officer_institution_ids(user)
        )
    if action == "add_document":
        return _is_clinic(user, obj) or _is_sender(user, obj)
    role = _role(action)
    if role == CLINIC:
        return _is_clinic(user, obj)
    if role == SENDER:
        return _is_sender(user, obj)
    assert role == PORTAL  # noqa: S101 (the table has no other roles)
    return False


def actions(user: AnyUser, referral: Referral) -> list[str]:
    """The steps the user may take now: what pages offer and the API lists."""
    from referrals.workflow import REFERRAL_WORKFLOW

    offered: list[str] = []
    for role, allowed in ((CLINIC, _is_clinic), (SENDER, _is_sender)):
        if allowed(user, referral):
            offered += [
                a for a in REFERRAL_WORKFLOW.actions_from(referral.status, by=role) if a != "send"
            ]
    return offered


def authorise(user: AnyUser, action: str, obj: Any) -> None:  # noqa: ANN401 (as for can)
    if can(user, action, obj):
        return
    if action == "send_without_quota":
        raise PermissionDeniedError(_("You do not act for the referring institution."))
    if action == "add_document":
        raise PermissionDeniedError(_("Only the referring side and the clinic add documents."))
    if _role(action) == CLINIC:
        raise PermissionDeniedError(_("Only coordinators of the receiving clinic can do this."))
    raise PermissionDeniedError(_("Only the referring institution can do this."))


def is_clinic_view(*, user: AnyUser, referral: Referral) -> bool:
    """True when the user sees the referral only as its receiving clinic."""
    if user.is_authenticated and user.is_superuser:
        return False
    return referral.receiving_institution_id in user_institution_ids(user) and not (
        referral.sender_id in officer_institution_ids(user)
        or (
            referral.application_id is not None
            and Application.objects.restrict(user, VIEW).filter(pk=referral.application_id).exists()
        )
    )


def referral_access(request: HttpRequest | Request, pk: int, *, detail: str = "") -> Referral:
    """The referral, if the user may see it (404 otherwise), with the read on the record."""
    from referrals.selectors import referral_detail_queryset

    referral = get_object_or_404(referral_detail_queryset(user=request.user), pk=pk)
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=referral,
        patient_id=referral.patient_id,
        request=request,
        detail=detail,
    )
    return referral
