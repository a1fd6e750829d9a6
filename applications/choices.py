from django.db import models
from django.utils.translation import gettext_lazy as _


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


# Closed applications no longer block the patient from applying again in the pool:
# no slot of the pool was used for them.
CLOSED_APPLICATION_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


# The rest keep the patient from a second application in the pool (a database
# constraint): one under way, an approval (whose slot may have been used for the
# pool's treatment: a follow-up goes to a later pool), and a lapsed one, which the
# reviewer may take back into review; its sender withdraws it to apply anew.
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
