from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotasConfig(AppConfig):
    name = "quotas"
    verbose_name = _("Agreements and quotas")

    def ready(self) -> None:
        from notices import kinds as notice_kinds
        from quotas.notices import QuotaNotice

        notice_kinds.register(QuotaNotice)
