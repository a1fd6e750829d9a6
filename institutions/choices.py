from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    MINISTRY_OF_HEALTH = "ministry_of_health", _("Ministry of health")
    REGIONAL_HEALTH_AUTHORITY = "regional_health_authority", _("Regional health authority")
    EMBASSY = "embassy", _("Embassy")
    HOSPITAL = "hospital", _("Hospital")
    CLINIC = "clinic", _("Clinic")
    RESEARCH_CENTRE = "research_centre", _("Research centre")
    SANATORIUM = "sanatorium", _("Sanatorium")
    COORDINATING_BODY = "coordinating_body", _("Coordinating body")


# Kinds that send patients abroad and own their country's applications.
SENDING_KINDS = (InstitutionKind.MINISTRY_OF_HEALTH, InstitutionKind.REGIONAL_HEALTH_AUTHORITY)
# Kinds that receive referred patients.
RECEIVING_KINDS = (
    InstitutionKind.HOSPITAL,
    InstitutionKind.CLINIC,
    InstitutionKind.RESEARCH_CENTRE,
    InstitutionKind.SANATORIUM,
)


class AccreditationKind(models.TextChoices):
    JCI = "jci", _("Joint Commission International (JCI)")
    EUROPESPA = "europespa", _("EuropeSPA")
    NATIONAL_LICENCE = "national_licence", _("National licence")
    ISO = "iso", _("ISO certification")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("Ministry officer")
    EMBASSY_OFFICER = "embassy_officer", _("Embassy officer")
    CLINIC_COORDINATOR = "clinic_coordinator", _("Clinic coordinator")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
