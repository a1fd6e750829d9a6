from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllocationsConfig(AppConfig):
    name = "allocations"
    verbose_name = _("Slots")

    def ready(self) -> None:
        from allocations.notices import AllocationNotice
        from notices import kinds as notice_kinds

        notice_kinds.register(AllocationNotice)
