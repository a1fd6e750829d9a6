from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    SLOT_ALLOCATED = "slot_allocated", _("Slot allocated")
    SLOT_WAITLISTED = "slot_waitlisted", _("Application waitlisted")
    SLOT_PROMOTED = "slot_promoted", _("Promoted from the waiting list")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_INFO_REQUESTED = "referral_info_requested", _("Information requested")
    REFERRAL_ANSWERED = "referral_answered", _("Information provided")
    REFERRAL_ADMITTED = "referral_admitted", _("Patient admitted")
    REFERRAL_DISCHARGED = "referral_discharged", _("Patient discharged")
    REFERRAL_NO_SHOW = "referral_no_show", _("Patient did not arrive")
    REFERRAL_CANCELLED = "referral_cancelled", _("Referral cancelled")
    ALLOCATION_EXPIRING = "allocation_expiring", _("Slot about to expire")
    ALLOCATION_EXPIRED = "allocation_expired", _("Slot expired")
    POOL_UNDERUSED = "pool_underused", _("Pool ending with free slots")
    CHANNEL_TRANSFER = "channel_transfer", _("Slots moved between channels")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No e-mail address")
