"""Every notice kind under one name, as the tests compare them: ``K.SLOT_ALLOCATED``."""

from types import SimpleNamespace

from allocations.notices import AllocationNotice
from applications.notices import ApplicationNotice
from quotas.notices import QuotaNotice
from referrals.notices import ReferralNotice

K = SimpleNamespace(
    **{
        kind.name: kind
        for kinds in (ApplicationNotice, AllocationNotice, ReferralNotice, QuotaNotice)
        for kind in kinds
    }
)
