from django.db import models
from django.utils.translation import gettext_lazy as _


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


class RescheduleReason(models.TextChoices):
    PATIENT_REQUEST = "patient_request", _("At the patient's request")
    CLINIC_CAPACITY = "clinic_capacity", _("The clinic has no bed on that date")
    MEDICAL = "medical", _("Medical reasons")
    TRAVEL = "travel", _("Travel or visa delay")
    OTHER = "other", _("Other")
