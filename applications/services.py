"""The application workflow: one function per action, each one transaction.

Every function locks the application row, asks ``applications.access`` whether
the actor may act, and moves the application through
``applications.workflow.APPLICATION_WORKFLOW``, which checks the table, writes
the history row and the notices; only then are slots taken or given back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allocations.choices import AllocationState, ReleaseReason
from allocations.models import Allocation
from allocations.services import allocation_hold, allocation_release_live
from applications import access
from applications.choices import (
    CLOSED_APPLICATION_STATUSES,
    LIVE_APPLICATION_STATUSES,
    ApplicationStatus,
    RejectionReason,
    Urgency,
    WithdrawalReason,
)
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH, Application, ApplicationDocument
from applications.waitlist import waitlist_position
from applications.workflow import APPLICATION_WORKFLOW
from audit.models import AccessAction
from audit.services import access_record
from common.exceptions import DomainError
from common.icd10 import diagnosis_code_clean
from common.models import COMMENT_MAX_LENGTH
from institutions.models import Institution, Specialty
from patients.choices import MedicalDocumentKind
from patients.documents import document_store
from patients.models import Patient
from quotas.choices import AgreementStatus
from quotas.models import Channel, QuotaPool

EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_INFO)
EDITABLE_FIELDS = (
    "specialty",
    "diagnosis_code",
    "diagnosis_text",
    "urgency",
    "medical_summary",
    "preferred_host",
)


def _too_long(value: str, limit: int) -> ValidationError | None:
    """Django's own message, naming the limit and the length, if ``value`` exceeds it."""
    try:
        MaxLengthValidator(limit)(value or "")
    except ValidationError as error:
        return error
    return None


def text_limit_check(*, field: str, value: str, limit: int) -> None:
    """Refuse a text longer than ``limit``, naming the field, the limit and the length."""
    error = _too_long(value, limit)
    if error is not None:
        raise ValidationError({field: error})


def _comment_check(comment: str) -> None:
    text_limit_check(field="comment", value=comment, limit=COMMENT_MAX_LENGTH)


def _check_clinical_fields(
    *,
    pool: QuotaPool,
    specialty: Specialty | None,
    urgency: str,
    preferred_host: Institution | None,
    medical_summary: str,
    diagnosis_text: str,
) -> None:
    errors: dict[str, str | ValidationError] = {}
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
    elif too_long := _too_long(medical_summary, MEDICAL_SUMMARY_MAX_LENGTH):
        errors["medical_summary"] = too_long
    if not (diagnosis_text or "").strip():
        errors["diagnosis_text"] = _("Describe the diagnosis.")
    if errors:
        raise ValidationError(errors)


def _number_next(pool: QuotaPool) -> str:
    # The UPDATE locks the pool row until commit: numbers are gap-free per pool.
    QuotaPool.objects.filter(pk=pool.pk).update(application_seq=F("application_seq") + 1)
    seq = QuotaPool.objects.values_list("application_seq", flat=True).get(pk=pool.pk)
    return f"{pool.code}-{seq:06d}"


# The constraint that keeps one live application per patient and pool.
ONE_LIVE_PER_POOL = "application_one_live_per_patient_and_pool"
# SQLite does not name a partial unique index that fails, only its columns.
_ONE_LIVE_PER_POOL_COLUMNS = "applications_application.pool_id, applications_application.patient_id"


def _pool_holder(*, pool_id: int, patient_id: int) -> Application | None:
    """The patient's application in the pool that keeps them from applying again, if any."""
    return (
        Application.objects.filter(
            pool_id=pool_id, patient_id=patient_id, status__in=LIVE_APPLICATION_STATUSES
        )
        .select_related("channel__issuing_institution")
        .first()
    )


def _duplicate_error(existing: Application) -> ValidationError:
    return ValidationError(
        {
            "patient": ValidationError(
                _(
                    "This patient already has application %(number)s in this pool "
                    "(%(status)s, on the channel of %(channel)s). A new application is "
                    "possible only once that one is rejected or withdrawn."
                ),
                code="duplicate_application",
                params={
                    "number": existing.number,
                    "status": existing.get_status_display(),
                    "channel": existing.channel.issuing_institution.name,
                },
            )
        }
    )


def _violates_one_live_per_pool(exc: IntegrityError) -> bool:
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    if constraint is not None:  # PostgreSQL
        return bool(constraint == ONE_LIVE_PER_POOL)
    return ONE_LIVE_PER_POOL in str(exc) or _ONE_LIVE_PER_POOL_COLUMNS in str(exc)


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
    access.authorise(actor, "create", channel)
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
        created_by=actor,
    )
    try:
        with transaction.atomic():
            # Numbering locks the pool row: creations in one pool take turns from here
            # on, so the check below sees every application committed before it.
            application.number = _number_next(pool)
            existing = _pool_holder(pool_id=pool.pk, patient_id=patient.pk)
            if existing is not None:
                raise _duplicate_error(existing)
            APPLICATION_WORKFLOW.move(application, action="create", actor=actor)
    except IntegrityError as exc:
        # The database's own guard, should a write ever bypass the pool lock.
        if not _violates_one_live_per_pool(exc):
            raise
        existing = _pool_holder(pool_id=pool.pk, patient_id=patient.pk)
        if existing is None:  # the other one was closed meanwhile; let the caller retry
            raise DomainError(_("Please try again."), code="busy") from exc
        raise _duplicate_error(existing) from exc
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


def _act(actor: User, application_id: int, action: str) -> Application:
    application = _lock(application_id)
    APPLICATION_WORKFLOW.check(application.status, action)
    access.authorise(actor, action, application)
    return application


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
    access.authorise(actor, "update", application)
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
    access.authorise(actor, "add_document", application)
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
    _comment_check(comment)
    application = _act(actor, application_id, "submit")
    application.submitted_at = timezone.now()
    APPLICATION_WORKFLOW.move(
        application, action="submit", actor=actor, comment=comment, fields=["submitted_at"]
    )
    _audit(actor, application, "submit")
    return application


@transaction.atomic
def application_answer(*, actor: User, application_id: int, comment: str) -> Application:
    """The sender answers a request for information; review resumes."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Write the answer to the reviewer's question.")})
    _comment_check(comment)
    application = _act(actor, application_id, "answer")
    APPLICATION_WORKFLOW.move(application, action="answer", actor=actor, comment=comment)
    _audit(actor, application, "answer")
    return application


@transaction.atomic
def application_start_review(*, actor: User, application_id: int, comment: str = "") -> Application:
    _comment_check(comment)
    application = _act(actor, application_id, "start_review")
    APPLICATION_WORKFLOW.move(application, action="start_review", actor=actor, comment=comment)
    _audit(actor, application, "start_review")
    return application


@transaction.atomic
def application_request_info(*, actor: User, application_id: int, comment: str) -> Application:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what information or documents are needed.")})
    _comment_check(comment)
    application = _act(actor, application_id, "request_info")
    APPLICATION_WORKFLOW.move(application, action="request_info", actor=actor, comment=comment)
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
    _comment_check(comment)
    application = _act(actor, application_id, "approve")
    # Audited before the slot is taken: the channel row stays locked for less time.
    _audit(actor, application, "approve")
    allocation = allocation_hold(
        channel_id=application.channel_id,
        application_id=application.pk,
        hold_days=application.pool.hold_days,
        actor=actor,
    )
    application.live_allocations = [allocation] if allocation else []  # type: ignore[attr-defined]
    if allocation is not None:
        APPLICATION_WORKFLOW.move(
            application,
            action="approve",
            to=ApplicationStatus.APPROVED,
            actor=actor,
            comment=comment,
        )
        position = None
    else:
        APPLICATION_WORKFLOW.move(
            application,
            action="approve",
            to=ApplicationStatus.WAITLISTED,
            actor=actor,
            reason="channel_full",
            comment=comment,
        )
        position = waitlist_position(application)
    return ApprovalOutcome(application, allocation, position)


@transaction.atomic
def application_reject(
    *, actor: User, application_id: int, reason: str, comment: str = ""
) -> Application:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Explain the decision to the sender.")})
    _comment_check(comment)
    application = _act(actor, application_id, "reject")
    APPLICATION_WORKFLOW.move(
        application, action="reject", actor=actor, reason=reason, comment=comment
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
    _comment_check(comment)
    application = _act(actor, application_id, "withdraw")
    if Allocation.objects.filter(application=application, state=AllocationState.USED).exists():
        raise DomainError(
            _("The patient was admitted on this application's slot; it cannot be withdrawn."),
            code="slot_used",
        )
    APPLICATION_WORKFLOW.move(
        application, action="withdraw", actor=actor, reason=reason, comment=comment
    )
    # Withdrawn first, so that the slot's end lapses nothing; a referral on the
    # slot is cancelled (``referrals.receivers``).
    allocation_release_live(
        application_id=application.pk,
        actor=actor,
        reason=ReleaseReason.APPLICATION_WITHDRAWN,
        comment=comment,
    )
    _audit(actor, application, "withdraw")
    return application
