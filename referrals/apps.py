from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from allocations.signals import allocation_watchers, allocations_ended
        from applications.signals import application_list_stages, application_page_sections
        from notices import kinds as notice_kinds
        from referrals import notices, receivers
        from referrals.workflow import REFERRAL_WORKFLOW

        notice_kinds.register(notices.ReferralNotice)
        REFERRAL_WORKFLOW.notify_with(notices.referral_moved)
        allocations_ended.connect(
            receivers.allocations_ended, dispatch_uid="referrals.allocations_ended"
        )
        allocation_watchers.connect(
            receivers.allocation_watchers, dispatch_uid="referrals.allocation_watchers"
        )
        application_page_sections.connect(
            receivers.application_page_section, dispatch_uid="referrals.application_page"
        )
        application_list_stages.connect(
            receivers.application_list_stages, dispatch_uid="referrals.application_list"
        )
