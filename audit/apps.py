from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from axes.signals import user_locked_out  # type: ignore[import-untyped]

        from audit.lockouts import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="audit.record_lockout")
