from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from allocations.signals import allocations_ended
        from applications import notices, receivers
        from applications.workflow import APPLICATION_WORKFLOW
        from notices import kinds as notice_kinds
        from patients.signals import patients_visible
        from quotas.signals import channel_slots_freed

        notice_kinds.register(notices.ApplicationNotice)
        APPLICATION_WORKFLOW.notify_with(notices.application_moved)
        channel_slots_freed.connect(receivers.slots_freed, dispatch_uid="applications.slots_freed")
        allocations_ended.connect(
            receivers.allocations_ended, dispatch_uid="applications.allocations_ended"
        )
        patients_visible.connect(receivers.patients_visible, dispatch_uid="applications.patients")
