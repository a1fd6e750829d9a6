from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental")
    INTERMINISTERIAL = "interministerial", _("Interministerial")
    REGIONAL = "regional", _("Regional")
    MULTILATERAL_FRAMEWORK = "multilateral_framework", _("Multilateral framework")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class CooperationArea(models.TextChoices):
    HIGH_TECH_CARE = "high_tech_care", _("Specialised and high-tech care")
    EMERGENCY_CARE = "emergency_care", _("Emergency care")
    PALLIATIVE_CARE = "palliative_care", _("Palliative care")
    REHABILITATION = "rehabilitation", _("Rehabilitation and sanatorium-resort treatment")
    TRANSPLANTATION = "transplantation", _("Transplantation")
    INTERNSHIPS = "internships", _("Internships and training")
    CONFERENCES = "conferences", _("Joint conferences")
    DIGITAL_HEALTH = "digital_health", _("Digital health and data exchange")
    PHARMACEUTICALS = "pharmaceuticals", _("Pharmaceuticals")
    MEDICAL_TOURISM = "medical_tourism", _("Medical tourism")


class PoolKind(models.TextChoices):
    TREATMENT = "treatment", _("Treatment")
    INTERNSHIP = "internship", _("Internship")


class ChannelChangeKind(models.TextChoices):
    OPENED = "opened", _("Channel opened")
    RESIZED = "resized", _("Slots changed")
    TRANSFER_OUT = "transfer_out", _("Slots transferred out")
    TRANSFER_IN = "transfer_in", _("Slots transferred in")
