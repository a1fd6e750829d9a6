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


class MedicalDocumentKind(models.TextChoices):
    MEDICAL_REPORT = "medical_report", _("Medical report")
    IMAGING = "imaging", _("Imaging")
    LABORATORY = "laboratory", _("Laboratory results")
    IDENTITY = "identity", _("Identity document")
    CONSENT = "consent", _("Consent")
    OTHER = "other", _("Other")
