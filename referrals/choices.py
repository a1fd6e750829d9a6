from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ID_CARD = "id_card", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


# Waiting lists are served most urgent first.
URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Needs information")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("Waitlisted")
    LAPSED = "lapsed", _("Slot lapsed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Closed applications no longer block the patient from applying again in the pool.
CLOSED_APPLICATION_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
LIVE_APPLICATION_STATUSES = tuple(
    s for s in ApplicationStatus.values if s not in CLOSED_APPLICATION_STATUSES
)


class RejectionReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Patient not eligible under the agreement")
    NOT_INDICATED = "not_indicated", _("Treatment abroad not indicated")
    TREATABLE_AT_HOME = "treatable_at_home", _("Treatment available in the home country")
    INCOMPLETE_DOCUMENTS = "incomplete_documents", _("Documents incomplete")
    SPECIALTY_NOT_COVERED = "specialty_not_covered", _("Specialty not covered by the pool")
    DUPLICATE = "duplicate", _("Duplicate application")
    OTHER = "other", _("Other")


class WithdrawalReason(models.TextChoices):
    PATIENT_DECLINED = "patient_declined", _("Patient declined")
    TREATED_ELSEWHERE = "treated_elsewhere", _("Treated elsewhere")
    PATIENT_DIED = "patient_died", _("Patient died")
    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")
    OTHER = "other", _("Other")


class MedicalDocumentKind(models.TextChoices):
    MEDICAL_REPORT = "medical_report", _("Medical report")
    IMAGING = "imaging", _("Imaging")
    LABORATORY = "laboratory", _("Laboratory results")
    IDENTITY = "identity", _("Identity document")
    CONSENT = "consent", _("Consent")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    QUOTA = "quota", _("Quota")
    STATE_BUDGET = "state_budget", _("State budget")
    INSURANCE = "insurance", _("Insurance")
    SELF_PAY = "self_pay", _("Self-paying patient")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    INFO_REQUESTED = "info_requested", _("Information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ADMITTED = "admitted", _("Admitted")
    DISCHARGED = "discharged", _("Discharged")
    NO_SHOW = "no_show", _("Did not arrive")
    CANCELLED = "cancelled", _("Cancelled")


# A live referral is one the clinic still has to act on, or a patient in its care.
LIVE_REFERRAL_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.INFO_REQUESTED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.ADMITTED,
)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_INDICATED = "not_indicated", _("Treatment not indicated")
    FURTHER_TESTS = "further_tests", _("Further tests needed")
    OUTSIDE_PROFILE = "outside_profile", _("Outside the clinic's profile")
    OTHER = "other", _("Other")


class DischargeOutcome(models.TextChoices):
    TREATED = "treated", _("Treated")
    IMPROVED = "improved", _("Improved")
    UNCHANGED = "unchanged", _("Unchanged")
    REFERRED_ONWARD = "referred_onward", _("Referred onward")
    DIED = "died", _("Died")
