"""The referral workflow: a patient sent to a clinic, and the loop closed back.

Same shape as the application workflow: one function per action, one
transaction each, locks in the order application -> referral -> allocation ->
channel, rights from ``referrals.access``, every step through
``referrals.workflow.REFERRAL_WORKFLOW``. The allocation follows the referral:
confirmed on acceptance, used on admission, given back on cancellation or
no-show (after the referral moved, so the slot's end finds it closed already).

Dates follow the referral's timeline: an admission date from today to the
pool's last admission day (its period's end plus the admission grace), or within
``ADMISSION_HORIZON_DAYS`` without a quota; an admission recorded from the day the
referral was sent to today (earlier than the agreed date, too: patients arrive
early); a discharge from the admission to today. Texts are bounded: comments by
``COMMENT_MAX_LENGTH``, the discharge summary by ``DISCHARGE_SUMMARY_MAX_LENGTH``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allocations.choices import AllocationState, ReleaseReason
from allocations.models import Allocation
from allocations.services import (
    allocation_confirm,
    allocation_release_live,
    allocation_reschedule,
    allocation_use,
    end_of_day,
    pool_last_admission_day,
)
from applications import access as application_access
from applications.choices import ApplicationStatus, Urgency
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH, Application
from audit.models import AccessAction
from audit.services import access_record
from common.exceptions import DomainError, PermissionDeniedError
from common.icd10 import diagnosis_code_clean
from common.models import COMMENT_MAX_LENGTH
from institutions.choices import RECEIVING_KINDS
from institutions.models import Institution, InstitutionSpecialty, Specialty
from patients.choices import MedicalDocumentKind
from patients.documents import document_store
from patients.models import Patient
from quotas.models import Agreement
from referrals import access
from referrals.choices import (
    LIVE_REFERRAL_STATUSES,
    DeclineReason,
    DischargeOutcome,
    FundingSource,
    ReferralStatus,
    RescheduleReason,
)
from referrals.models import (
    COVERING_LETTER_MAX_LENGTH,
    DISCHARGE_SUMMARY_MAX_LENGTH,
    Referral,
    ReferralDocument,
    ReferralEvent,
)
from referrals.workflow import REFERRAL_WORKFLOW

# How far ahead a clinic may set the admission of a referral without a quota
# (a quota referral is bounded by its pool's period instead).
ADMISSION_HORIZON_DAYS = 365


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _length_check(
    errors: dict[str, str], field: str, value: str, limit: int = COMMENT_MAX_LENGTH
) -> None:
    """Note in ``errors`` a text longer than ``limit``, naming the limit."""
    if len(value or "") > limit:
        errors[field] = _("Write at most %(limit)d characters; this has %(length)d.") % {
            "limit": limit,
            "length": len(value),
        }


def _comment_checked(comment: str) -> str:
    """The comment as stored, or a ValidationError at ``comment`` if it is too long."""
    errors: dict[str, str] = {}
    _length_check(errors, "comment", comment)
    if errors:
        raise ValidationError(errors)
    return (comment or "").strip()


def _admission_date_error(admission_date: object) -> str | None:
    """What is wrong with an admission date whatever the referral, or None."""
    if not isinstance(admission_date, datetime.date):
        return _("Enter the admission date.")
    if admission_date < timezone.localdate():
        return _("The admission date cannot be in the past.")
    return None


def _admission_window_check(referral: Referral, admission_date: datetime.date) -> None:
    """Refuse an admission date outside the referral's pool period (plus grace).

    Without a quota there is no pool: the date must fall within
    ``ADMISSION_HORIZON_DAYS`` from today.
    """
    application = referral.application
    if application is None:
        today = timezone.localdate()
        if (admission_date - today).days > ADMISSION_HORIZON_DAYS:
            raise ValidationError(
                {
                    "admission_date": _("Choose a date no later than %(date)s.")
                    % {"date": _day(today + datetime.timedelta(days=ADMISSION_HORIZON_DAYS))}
                }
            )
        return
    pool = application.pool
    if admission_date < pool.period_start:
        raise ValidationError(
            {
                "admission_date": _("The pool's period starts on %(date)s: choose a later date.")
                % {"date": _day(pool.period_start)}
            }
        )
    last_day = pool_last_admission_day(pool)
    if admission_date > last_day:
        raise ValidationError(
            {
                "admission_date": _(
                    "Choose a date no later than %(date)s: the pool's period ends on "
                    "%(end)s, and admissions are taken up to %(grace)d days after it."
                )
                % {
                    "date": _day(last_day),
                    "end": _day(pool.period_end),
                    "grace": pool.admission_grace_days,
                }
            }
        )


def _slot_deadline(referral: Referral, admission_date: datetime.date) -> datetime.datetime:
    """How long the slot stays confirmed: the admission date plus the pool's grace.

    The date is already within the pool's last admission day, which bounds the
    deadline too.
    """
    assert referral.application is not None  # noqa: S101 (only quota referrals hold slots)
    pool = referral.application.pool
    room = (pool_last_admission_day(pool) - admission_date).days
    return end_of_day(
        admission_date + datetime.timedelta(days=min(pool.admission_grace_days, room))
    )


def _audit(actor: User, referral: Referral, action: str) -> None:
    access_record(
        user=actor,
        action=AccessAction.TRANSITION,
        obj=referral,
        patient_id=referral.patient_id,
        detail=action,
    )


def _check_receiver(
    *,
    institution: Institution,
    specialty: Specialty,
    eligible: Iterable[Institution] | None,
    host_country: str | None,
) -> None:
    if institution.kind not in RECEIVING_KINDS or not institution.is_active:
        raise ValidationError(
            {"receiving_institution": _("Choose an active hospital, clinic or sanatorium.")}
        )
    if eligible is not None and institution not in eligible:
        raise ValidationError(
            {"receiving_institution": _("This clinic is not eligible for the pool.")}
        )
    if host_country and institution.country != host_country:
        raise ValidationError(
            {"receiving_institution": _("Choose a clinic of the pool's host country.")}
        )
    offers = InstitutionSpecialty.objects.filter(institution=institution, specialty=specialty)
    if not offers.exists():
        raise ValidationError(
            {
                "receiving_institution": _("The clinic does not offer %(specialty)s.")
                % {"specialty": specialty.name}
            }
        )


def _live_referral_error(application: Application) -> DomainError:
    live = application.referrals.filter(
        status__in=[
            ReferralStatus.SENT,
            ReferralStatus.INFO_REQUESTED,
            ReferralStatus.ACCEPTED,
            ReferralStatus.ADMITTED,
        ]
    ).first()
    return DomainError(
        _("The application already has a live referral: %(number)s.")
        % {"number": live.number if live else "?"},
        code="live_referral_exists",
    )


@transaction.atomic
def referral_send(
    *,
    actor: User,
    application_id: int,
    receiving_institution: Institution,
    covering_letter: str,
    shared_document_ids: Iterable[int] = (),
) -> Referral:
    """Refer an approved application to a clinic; again to another after a decline."""
    application = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("pool", "channel", "specialty")
        .get(pk=application_id)
    )
    if not application_access.can(actor, "refer", application):
        raise PermissionDeniedError(_("Only the application's senders refer its patient."))
    if application.status != ApplicationStatus.APPROVED:
        raise DomainError(
            _("Only an approved application can be referred to a clinic."),
            code="invalid_transition",
        )
    if not (covering_letter or "").strip():
        raise ValidationError({"covering_letter": _("Write a covering letter to the clinic.")})
    errors: dict[str, str] = {}
    _length_check(errors, "covering_letter", covering_letter.strip(), COVERING_LETTER_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    allocation = (
        Allocation.objects.select_for_update(no_key=True)
        .filter(application=application, state=AllocationState.HELD)
        .first()
    )
    if allocation is None:
        if application.referrals.filter(status__in=LIVE_REFERRAL_STATUSES).exists():
            raise _live_referral_error(application)
        if Allocation.objects.filter(application=application, state=AllocationState.USED).exists():
            raise DomainError(
                _("The patient was admitted on this slot; the referral loop is closed."),
                code="slot_used",
            )
        raise DomainError(_("The application holds no slot to refer."), code="no_held_slot")
    pool = application.pool
    eligible = list(pool.eligible_institutions.all()) or None
    _check_receiver(
        institution=receiving_institution,
        specialty=application.specialty,
        eligible=eligible,
        host_country=None if eligible else pool.host_country.code,
    )
    documents = list(application.documents.filter(pk__in=list(shared_document_ids)))
    if len(documents) != len(set(shared_document_ids)):
        raise ValidationError({"shared_documents": _("Share only the application's documents.")})
    attempt = application.referrals.count() + 1
    referral = Referral(
        number=f"{application.number}-R{attempt}",
        application=application,
        allocation=allocation,
        patient_id=application.patient_id,
        sender=application.channel.issuing_institution,
        receiving_institution=receiving_institution,
        agreement_id=pool.agreement_id,
        funding_source=FundingSource.QUOTA,
        specialty=application.specialty,
        diagnosis_code=application.diagnosis_code,
        diagnosis_text=application.diagnosis_text,
        urgency=application.urgency,
        medical_summary=application.medical_summary,
        covering_letter=covering_letter.strip(),
        created_by=actor,
    )
    try:
        with transaction.atomic():
            REFERRAL_WORKFLOW.move(referral, action="send", actor=actor)
    except IntegrityError as exc:
        raise _live_referral_error(application) from exc
    referral.shared_documents.set(documents)
    _audit(actor, referral, "send")
    return referral


@transaction.atomic
def referral_send_without_quota(
    *,
    actor: User,
    sender: Institution,
    patient: Patient,
    receiving_institution: Institution,
    funding_source: str,
    specialty: Specialty,
    diagnosis_code: str,
    diagnosis_text: str,
    medical_summary: str,
    covering_letter: str,
    urgency: str = Urgency.ROUTINE,
    agreement: Agreement | None = None,
) -> Referral:
    """A self-paying, insured or state-funded patient: the same workflow, no slot."""
    access.authorise(actor, "send_without_quota", sender)
    errors: dict[str, str] = {}
    if funding_source not in FundingSource.values or funding_source == FundingSource.QUOTA:
        errors["funding_source"] = _("Choose state budget, insurance or self-paying.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose routine, urgent or emergency.")
    for field, value in (
        ("diagnosis_text", diagnosis_text),
        ("medical_summary", medical_summary),
        ("covering_letter", covering_letter),
    ):
        if not (value or "").strip():
            errors[field] = _("This field is required.")
    for field, value, limit in (
        ("diagnosis_text", diagnosis_text, 500),
        ("medical_summary", medical_summary, MEDICAL_SUMMARY_MAX_LENGTH),
        ("covering_letter", covering_letter, COVERING_LETTER_MAX_LENGTH),
    ):
        if field not in errors:
            _length_check(errors, field, value.strip(), limit)
    if errors:
        raise ValidationError(errors)
    if agreement is not None and not (
        agreement.coordinator_id == sender.pk
        or agreement.party_institutions.filter(pk=sender.pk).exists()
    ):
        raise ValidationError(
            {"agreement": _("The referring institution is not party to this agreement.")}
        )
    code = diagnosis_code_clean(diagnosis_code)
    _check_receiver(
        institution=receiving_institution, specialty=specialty, eligible=None, host_country=None
    )
    referral = Referral.objects.create(
        number=f"pending-{uuid.uuid4().hex}",  # replaced below, once the id is known
        patient=patient,
        sender=sender,
        receiving_institution=receiving_institution,
        agreement=agreement,
        funding_source=funding_source,
        specialty=specialty,
        diagnosis_code=code,
        diagnosis_text=diagnosis_text.strip(),
        urgency=urgency,
        medical_summary=medical_summary.strip(),
        covering_letter=covering_letter.strip(),
        created_by=actor,
    )
    # Numbered from the row's id: unique without a counter to contend on.
    referral.number = (
        f"{sender.country.code}-{receiving_institution.country.code}-"
        f"{timezone.localdate().year}-P{referral.pk:06d}"
    )
    REFERRAL_WORKFLOW.move(referral, action="send", actor=actor, fields=["number"])
    _audit(actor, referral, "send")
    return referral


def _lock(referral_id: int) -> Referral:
    """Lock the application (if any), then the referral: the one lock order."""
    application_id = Referral.objects.values_list("application_id", flat=True).get(pk=referral_id)
    if application_id is not None:
        Application.objects.select_for_update(no_key=True).filter(pk=application_id).first()
    return (
        Referral.objects.select_for_update(no_key=True, of=("self",))
        .select_related("application__channel", "application__pool", "allocation")
        .get(pk=referral_id)
    )


def _act(actor: User, referral_id: int, action: str) -> Referral:
    referral = _lock(referral_id)
    REFERRAL_WORKFLOW.check(referral.status, action)
    access.authorise(actor, action, referral)
    return referral


def _slot_give_back(referral: Referral, *, actor: User, reason: str, comment: str) -> None:
    """Give the referral's slot back to its channel; an approved application lapses."""
    if referral.application_id is not None:
        allocation_release_live(
            application_id=referral.application_id, actor=actor, reason=reason, comment=comment
        )


@transaction.atomic
def referral_accept(
    *,
    actor: User,
    referral_id: int,
    admission_date: datetime.date,
    department: str,
    contact_person: str,
    comment: str = "",
) -> Referral:
    """The clinic accepts the patient for a date; the slot is confirmed to that date."""
    errors: dict[str, str] = {}
    date_error = _admission_date_error(admission_date)
    if date_error:
        errors["admission_date"] = date_error
    if not (department or "").strip():
        errors["department"] = _("Name the admitting department.")
    if not (contact_person or "").strip():
        errors["contact_person"] = _("Name the contact person.")
    _length_check(errors, "department", department, 200)
    _length_check(errors, "contact_person", contact_person, 200)
    _length_check(errors, "comment", comment)
    if errors:
        raise ValidationError(errors)
    referral = _act(actor, referral_id, "accept")
    _admission_window_check(referral, admission_date)
    referral.admission_date = admission_date
    referral.department = department.strip()
    referral.contact_person = contact_person.strip()
    if referral.allocation is not None:
        allocation_confirm(
            allocation_id=referral.allocation.pk,
            actor=actor,
            held_until=_slot_deadline(referral, admission_date),
        )
    REFERRAL_WORKFLOW.move(
        referral,
        action="accept",
        actor=actor,
        comment=comment.strip(),
        fields=["admission_date", "department", "contact_person"],
    )
    _audit(actor, referral, "accept")
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str, comment: str = "") -> Referral:
    """The clinic declines; the slot stays held so the patient can go to another clinic."""
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if reason == DeclineReason.OTHER and not (comment or "").strip():
        raise ValidationError({"comment": _("Explain the reason in a comment.")})
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "decline")
    referral.decline_reason = reason
    REFERRAL_WORKFLOW.move(
        referral,
        action="decline",
        actor=actor,
        reason=reason,
        comment=comment,
        fields=["decline_reason"],
    )
    _audit(actor, referral, "decline")
    return referral


@transaction.atomic
def referral_request_info(*, actor: User, referral_id: int, comment: str) -> Referral:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say what information or documents are needed.")})
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "request_info")
    REFERRAL_WORKFLOW.move(referral, action="request_info", actor=actor, comment=comment)
    _audit(actor, referral, "request_info")
    return referral


@transaction.atomic
def referral_answer(*, actor: User, referral_id: int, comment: str) -> Referral:
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Write the answer to the clinic's question.")})
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "answer")
    REFERRAL_WORKFLOW.move(referral, action="answer", actor=actor, comment=comment)
    _audit(actor, referral, "answer")
    return referral


@transaction.atomic
def referral_reschedule(
    *,
    actor: User,
    referral_id: int,
    admission_date: datetime.date,
    reason: str,
    comment: str = "",
) -> Referral:
    """The clinic moves an accepted patient's admission to a new date, with a reason.

    The new date follows the rules of acceptance; the slot stays confirmed to the
    new date (plus grace), and the referring side is told. The history row keeps
    the date replaced and the new one.
    """
    errors: dict[str, str] = {}
    date_error = _admission_date_error(admission_date)
    if date_error:
        errors["admission_date"] = date_error
    if reason not in RescheduleReason.values:
        errors["reason"] = _("Choose a reason from the list.")
    elif reason == RescheduleReason.OTHER and not (comment or "").strip():
        errors["comment"] = _("Explain the reason in a comment.")
    _length_check(errors, "comment", comment)
    if errors:
        raise ValidationError(errors)
    referral = _act(actor, referral_id, "reschedule")
    if admission_date == referral.admission_date:
        raise ValidationError(
            {"admission_date": _("The patient is already expected on this date.")}
        )
    _admission_window_check(referral, admission_date)
    previous = referral.admission_date
    referral.admission_date = admission_date
    if referral.allocation_id is not None:
        allocation_reschedule(
            allocation_id=referral.allocation_id,
            actor=actor,
            held_until=_slot_deadline(referral, admission_date),
        )
    history = REFERRAL_WORKFLOW.move(
        referral,
        action="reschedule",
        actor=actor,
        reason=reason,
        comment=comment.strip(),
        fields=["admission_date"],
    )
    # The dates are the step's own record, beside the shared shape of a history row.
    ReferralEvent.objects.filter(pk=history.pk).update(
        rescheduled_from=previous, rescheduled_to=admission_date
    )
    _audit(actor, referral, "reschedule")
    return referral


@transaction.atomic
def referral_admit(
    *, actor: User, referral_id: int, admitted_on: datetime.date, comment: str = ""
) -> Referral:
    """The patient arrived: the slot is used.

    The day of arrival is recorded as it was: from the day the referral was sent
    to today, before the agreed admission date too.
    """
    if not isinstance(admitted_on, datetime.date):
        raise ValidationError({"admitted_on": _("Enter the admission date.")})
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": _("The admission cannot be in the future.")})
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "admit")
    sent_on = timezone.localdate(referral.created_at)
    if admitted_on < sent_on:
        raise ValidationError(
            {
                "admitted_on": _("The admission cannot be before the referral was sent (%(date)s).")
                % {"date": _day(sent_on)}
            }
        )
    referral.admitted_on = admitted_on
    if referral.allocation_id is not None:
        allocation_use(allocation_id=referral.allocation_id, actor=actor)
    REFERRAL_WORKFLOW.move(
        referral, action="admit", actor=actor, comment=comment, fields=["admitted_on"]
    )
    _audit(actor, referral, "admit")
    return referral


@transaction.atomic
def referral_discharge(
    *,
    actor: User,
    referral_id: int,
    discharged_on: datetime.date,
    outcome: str,
    discharge_summary: str,
) -> Referral:
    """The loop closes: the outcome and summary go back to the sender."""
    errors: dict[str, str] = {}
    if outcome not in DischargeOutcome.values:
        errors["outcome"] = _("Choose the outcome from the list.")
    if not (discharge_summary or "").strip():
        errors["discharge_summary"] = _("Write the discharge summary.")
    else:
        _length_check(
            errors, "discharge_summary", discharge_summary.strip(), DISCHARGE_SUMMARY_MAX_LENGTH
        )
    if not isinstance(discharged_on, datetime.date):
        errors["discharged_on"] = _("Enter the discharge date.")
    elif discharged_on > timezone.localdate():
        errors["discharged_on"] = _("The discharge cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    referral = _act(actor, referral_id, "discharge")
    if referral.admitted_on and discharged_on < referral.admitted_on:
        raise ValidationError({"discharged_on": _("The discharge cannot be before the admission.")})
    referral.discharged_on = discharged_on
    referral.outcome = outcome
    referral.discharge_summary = discharge_summary.strip()
    REFERRAL_WORKFLOW.move(
        referral,
        action="discharge",
        actor=actor,
        reason=outcome,
        fields=["discharged_on", "outcome", "discharge_summary"],
    )
    _audit(actor, referral, "discharge")
    return referral


@transaction.atomic
def referral_no_show(*, actor: User, referral_id: int, comment: str = "") -> Referral:
    """The patient did not arrive: the slot goes back to the channel."""
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "no_show")
    REFERRAL_WORKFLOW.move(referral, action="no_show", actor=actor, comment=comment)
    _slot_give_back(referral, actor=actor, reason=ReleaseReason.NO_SHOW, comment=comment)
    _audit(actor, referral, "no_show")
    return referral


@transaction.atomic
def referral_cancel(*, actor: User, referral_id: int, comment: str) -> Referral:
    """The sender cancels before admission: the slot goes back to the channel."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the referral is cancelled.")})
    comment = _comment_checked(comment)
    referral = _act(actor, referral_id, "cancel")
    REFERRAL_WORKFLOW.move(referral, action="cancel", actor=actor, comment=comment)
    _slot_give_back(referral, actor=actor, reason=ReleaseReason.REFERRAL_CANCELLED, comment=comment)
    _audit(actor, referral, "cancel")
    return referral


@transaction.atomic
def referral_document_add(
    *,
    actor: User,
    referral_id: int,
    upload: UploadedFile,
    kind: str = MedicalDocumentKind.MEDICAL_REPORT,
) -> ReferralDocument:
    """A document from either side: the sender's answer, or the clinic's discharge papers."""
    referral = _lock(referral_id)
    access.authorise(actor, "add_document", referral)
    if referral.status in (ReferralStatus.CANCELLED, ReferralStatus.NO_SHOW):
        raise DomainError(_("The referral is closed."), code="not_editable")
    return document_store(
        ReferralDocument(referral=referral),
        upload=upload,
        kind=kind,
        actor=actor,
        patient_id=referral.patient_id,
    )
