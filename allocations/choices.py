from django.db import models
from django.utils.translation import gettext_lazy as _


class AllocationState(models.TextChoices):
    HELD = "held", _("Held")
    CONFIRMED = "confirmed", _("Confirmed")
    USED = "used", _("Used")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Expired")


# A live allocation occupies a slot of its channel.
LIVE_ALLOCATION_STATES = (AllocationState.HELD, AllocationState.CONFIRMED, AllocationState.USED)


class ReleaseReason(models.TextChoices):
    PATIENT_DECLINED = "patient_declined", _("Patient declined treatment")
    NOT_FIT_TO_TRAVEL = "not_fit_to_travel", _("Patient not fit to travel")
    NO_CLINIC = "no_clinic", _("No clinic could accept the patient")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    REFERRAL_CANCELLED = "referral_cancelled", _("Referral cancelled")
    NO_SHOW = "no_show", _("Patient did not arrive")
    OTHER = "other", _("Other")
