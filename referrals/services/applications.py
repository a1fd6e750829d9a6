"""The application workflow: one function per action, each one transaction.

Every function locks the application row, checks the action against the one
table in ``referrals.transitions`` and the actor against ``referrals.permissions``,
writes the history row, and only then changes slots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessAction
from audit.services import access_record
from core.exceptions import DomainError, PermissionDeniedError
from institutions.models import Institution, Specialty
from notices import events as notice_events
from notices.choices import NoticeKind
from quotas.choices import AgreementStatus, AllocationState
from quotas.models import Allocation, Channel, QuotaPool

from ..choices import (
    CLOSED_APPLICATION_STATUSES,
    ApplicationStatus,
    MedicalDocumentKind,
    ReferralStatus,
    RejectionReason,
    Urgency,
    WithdrawalReason,
)
from ..models import Application, ApplicationDocument, Patient
from ..permissions import can_review_on_channel, can_send_on_channel
from ..transitions import REVIEWER, SENDER, transition_check
from .allocations import (
    _application_event,
    allocation_hold,
    allocation_release_locked,
    referrals_close_for_ended_slots,
    waitlist_position,
)
from .documents import document_store

ICD10_CODE = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_INFO)
EDITABLE_FIELDS = (
    "specialty",
    "diagnosis_code",
    "diagnosis_text",
    "urgency",
    "medical_summary",
    "preferred_host",
)


def diagnosis_code_clean(code: str) -> str:
    code = (code or "").strip().upper()
    if not ICD10_CODE.match(code):
        raise ValidationError({"diagnosis_code": _("Enter an ICD-10 code such as C50.9 or I25.1.")})
    return code


def _check_clinical_fields(
    *,
    pool: QuotaPool,
    specialty: Specialty | None,
    urgency: str,
    preferred_host: Institution | None,
    medical_summary: str,
    diagnosis_text: str,
) -> None:
    errors: dict[str, str] = {}
    if specialty is None:
        errors["specialty"] = _("Choose the requested specialty.")
    elif pool.specialties.exists() and not pool.specialties.filter(pk=specialty.pk).exists():
        errors["specialty"] = _("The pool does not cover this specialty.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose routine, urgent or emergency.")
    if preferred_host is not None:
        eligible = pool.eligible_institutions.all()
        if eligible.exists():
            if not eligible.filter(pk=preferred_host.pk).exists():
                errors["preferred_host"] = _("This institution is not eligible for the pool.")
        elif preferred_host.country != pool.host_country:
            errors["preferred_host"] = _("Choose an institution of the host country.")
    if not (medical_summary or "").strip():
        errors["medical_summary"] = _("Summarise the patient's condition.")
    if not (diagnosis_text or "").strip():
        errors["diagnosis_text"] = _("Describe the diagnosis.")
    if errors:
        raise ValidationError(errors)


def _number_next(pool: QuotaPool) -> str:
    # The UPDATE locks the pool row until commit: numbers are gap-free per pool.
    QuotaPool.objects.filter(pk=pool.pk).update(application_seq=F("application_seq") + 1)
    seq = QuotaPool.objects.values_list("application_seq", flat=True).get(pk=pool.pk)
    return f"{pool.code}-{seq:06d}"


def _duplicate_error(pool: QuotaPool, patient: Patient) -> DomainError:
    existing = (
        Application.objects.filter(pool=pool, patient=patient)
        .exclude(status__in=CLOSED_APPLICATION_STATUSES)
        .select_related("channel__issuing_institution")
        .first()
    )
    if existing is None:  # the other one was closed meanwhile; let the caller retry
        return DomainError(_("Please try again."), code="busy")
    return DomainError(
        _(
            "This patient already has a live application in the pool: %(number)s "
            "on the channel of %(channel)s."
        )
        % {"number": existing.number, "channel": existing.channel.issuing_institution.name},
        code="duplicate_application",
    )


@transaction.atomic
def application_create(
    *,
    actor: User,
    channel: Channel,
    patient: Patient,
    specialty: Specialty | None,
    diagnosis_code: str,
    diagnosis_text: str,
    medical_summary: str,
    urgency: str = Urgency.ROUTINE,
    preferred_host: Institution | None = None,
) -> Application:
    pool = channel.pool
    if not can_send_on_channel(actor, channel):
        raise PermissionDeniedError(
            _("Only officers of the channel or of the sending ministry can apply on it.")
        )
    if pool.period_end < timezone.localdate():
        raise ValidationError({"channel": _("The pool's period has ended.")})
    if pool.agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError({"channel": _("The pool's agreement is not in force.")})
    code = diagnosis_code_clean(diagnosis_code)
    _check_clinical_fields(
        pool=pool,
        specialty=specialty,
        urgency=urgency,
        preferred_host=preferred_host,
        medical_summary=medical_summary,
        diagnosis_text=diagnosis_text,
    )
    application = Application(
        pool=pool,
        channel=channel,
        patient=patient,
        specialty=specialty,
        diagnosis_code=code,
        diagnosis_text=diagnosis_text.strip(),
        medical_summary=medical_summary.strip(),
        urgency=urgency,
        preferred_host=preferred_host,
        status=ApplicationStatus.DRAFT,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            application.number = _number_next(pool)
            application.save()
    except IntegrityError as exc:
        if "application_one_live_per_patient_and_pool" in str(exc):
            raise _duplicate_error(pool, patient) from exc
        raise
    _application_event(application, to_status=ApplicationStatus.DRAFT, actor=actor, created=True)
    access_record(user=actor, action=AccessAction.CREATE, obj=application, patient_id=patient.pk)
    return application


def _lock(application_id: int) -> Application:
    # Joined rows are read, not locked (``of``); they are what the answer shows.
    return (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related(
            "pool", "channel__issuing_institution", "patient", "specialty", "preferred_host"
        )
        .get(pk=application_id)
    )


def _authorise(actor: User, application: Application, by: str) -> None:
    if by == SENDER and not can_send_on_channel(actor, application.channel):
        raise PermissionDeniedError(
            _("Only officers of the channel or of the sending ministry can do this.")
        )
    if by == REVIEWER and not can_review_on_channel(actor, application.channel):
        raise PermissionDeniedError(
            _("Only officers of the institution issuing the channel review its applications.")
        )


def _act(actor: User, application_id: int, action: str) -> tuple[Application, Any]:
    application = _lock(application_id)
    transition = transition_check(action=action, status=application.status)
    _authorise(actor, application, transition.by)
    return application, transition


def _audit(
    actor: User, application: Application, action: str, kind: str = AccessAction.TRANSITION
) -> None:
    access_record(
        user=actor,
        action=kind,
        obj=application,
        patient_id=application.patient_id,
        detail=action,
    )


@transaction.atomic
def application_update(*, actor: User, application_id: int, data: dict[str, Any]) -> Application:
    """Change the clinical fields of a draft, or of an application sent back for information."""
    application = _lock(application_id)
    _authorise(actor, application, SENDER)
    if application.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("Only drafts and applications sent back for information can be changed."),
            code="not_editable",
        )
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in unknown})
    for field, value in data.items():
        setattr(application, field, value)
    application.diagnosis_code = diagnosis_code_clean(application.diagnosis_code)
    _check_clinical_fields(
        pool=application.pool,
        specialty=application.specialty,
        urgency=application.urgency,
        preferred_host=application.preferred_host,
        medical_summary=application.medical_summary,
        diagnosis_text=application.diagnosis_text,
    )
    application.save()
    _audit(actor, application, "update", kind=AccessAction.UPDATE)
    return application


@transaction.atomic
def application_document_add(
    *,
    actor: User,
    application_id: int,
    upload: UploadedFile,
    kind: str = MedicalDocumentKind.MEDICAL_REPORT,
) -> ApplicationDocument:
    application = _lock(application_id)
    _authorise(actor, application, SENDER)
    if application.status in CLOSED_APPLICATION_STATUSES:
        raise DomainError(_("The application is closed."), code="not_editable")
    return document_store(
        ApplicationDocument(application=application),
        upload=upload,
        kind=kind,
        actor=actor,
        patient_id=application.patient_id,
    )


@transaction.atomic
def application_submit(*, actor: User, application_id: int, comment: str = "") -> Application:
    application, _t = _act(actor, application_id, "submit")
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at"])
    _application_event(
        application, to_status=ApplicationStatus.SUBMITTED, actor=actor, comment=comment
    )
    _audit(actor, application, "submit")
    return application


@transaction.atomic
def application_answer(*, actor: User, application_id: int, comment: str) -> Application:
    """The sender answers a request for information; review resumes."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Write the answer to the reviewer's question.")})
    application, _t = _act(actor, application_id, "answer")
    _application_event(
        application, to_status=ApplicationStatus.IN_REVIEW, actor=actor, comment=comment
    )
    _audit(actor, application, "answer")
    return application


@transaction.atomic
def application_start_review(*, actor: User, application_id: int, comment: str = "") -> Application:
    application, _t = _act(actor, application_id, "start_review")
    _application_event(
        application, to_status=ApplicationStatus.IN_REVIEW, actor=actor, comment=comment
    )
    _audit(actor, application, "start_review")
    return application


@transaction.atomic
def application_request_info(*, actor: User, application_id: int, comment: str) -> Application:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what information or documents are needed.")})
    application, _t = _act(actor, application_id, "request_info")
    _application_event(
        application, to_status=ApplicationStatus.NEEDS_INFO, actor=actor, comment=comment
    )
    _audit(actor, application, "request_info")
    return application


@dataclass(frozen=True)
class ApprovalOutcome:
    application: Application
    allocation: Allocation | None
    waitlist_position: int | None


@transaction.atomic
def application_approve(*, actor: User, application_id: int, comment: str = "") -> ApprovalOutcome:
    """Approve: hold a slot of the channel, or put the application on its waiting list."""
    application, _t = _act(actor, application_id, "approve")
    # Audited before the slot is taken: the channel row stays locked for less time.
    _audit(actor, application, "approve")
    allocation = allocation_hold(application=application, actor=actor)
    application.live_allocations = [allocation] if allocation else []  # type: ignore[attr-defined]
    if allocation is not None:
        event = _application_event(
            application, to_status=ApplicationStatus.APPROVED, actor=actor, comment=comment
        )
        position = None
    else:
        event = _application_event(
            application,
            to_status=ApplicationStatus.WAITLISTED,
            actor=actor,
            reason="channel_full",
            comment=comment,
        )
        position = waitlist_position(application)
    notice_events.application_slot_decided(
        application,
        kind=NoticeKind.SLOT_ALLOCATED if allocation else NoticeKind.SLOT_WAITLISTED,
        event_id=event.pk,
        actor=actor,
    )
    return ApprovalOutcome(application, allocation, position)


@transaction.atomic
def application_reject(
    *, actor: User, application_id: int, reason: str, comment: str = ""
) -> Application:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Explain the decision to the sender.")})
    application, _t = _act(actor, application_id, "reject")
    _application_event(
        application,
        to_status=ApplicationStatus.REJECTED,
        actor=actor,
        reason=reason,
        comment=comment,
    )
    _audit(actor, application, "reject")
    return application


@transaction.atomic
def application_withdraw(
    *, actor: User, application_id: int, reason: str, comment: str = ""
) -> Application:
    """Withdraw an open application; a slot it holds goes back to the channel."""
    if reason not in WithdrawalReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if reason == WithdrawalReason.OTHER and not (comment or "").strip():
        raise ValidationError({"comment": _("Explain the reason in a comment.")})
    application, _t = _act(actor, application_id, "withdraw")
    if Allocation.objects.filter(application=application, state=AllocationState.USED).exists():
        raise DomainError(
            _("The patient was admitted on this application's slot; it cannot be withdrawn."),
            code="slot_used",
        )
    released = allocation_release_locked(
        application=application, actor=actor, reason="application_withdrawn", comment=comment
    )
    if released is not None:
        referrals_close_for_ended_slots(
            allocation_ids=[released.allocation.pk],
            accepted_to=ReferralStatus.CANCELLED,
            actor=actor,
            reason="application_withdrawn",
            comment=comment,
        )
    _application_event(
        application,
        to_status=ApplicationStatus.WITHDRAWN,
        actor=actor,
        reason=reason,
        comment=comment,
    )
    _audit(actor, application, "withdraw")
    return application
