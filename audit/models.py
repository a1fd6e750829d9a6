from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DOWNLOAD = "download", _("Downloaded")
    TRANSITION = "transition", _("Changed status")
    LOCKOUT = "lockout", _("Locked out of login")


class AccessRecord(models.Model):
    """One read or change of patient data. Append-only: no portal user can edit it.

    On PostgreSQL a trigger refuses UPDATE and DELETE on this table (see the
    migration), so not even a bug in the portal can rewrite history.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    patient_id = models.BigIntegerField(null=True, db_index=True)
    detail = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"
