import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from institutions.models import Specialty
from referrals.choices import FundingSource, ReferralStatus
from referrals.models import Referral


class ReferralFilter(django_filters.FilterSet):
    """Filters of the referral worklists, shared by the pages and the API."""

    WORKLISTS = {
        # clinics
        "incoming": [ReferralStatus.SENT, ReferralStatus.INFO_REQUESTED],
        "awaiting_admission": [ReferralStatus.ACCEPTED],
        "admitted": [ReferralStatus.ADMITTED],
        # officers
        "awaiting_answer": [ReferralStatus.SENT, ReferralStatus.INFO_REQUESTED],
        "declined": [ReferralStatus.DECLINED],
        "discharged": [ReferralStatus.DISCHARGED],
    }

    q = django_filters.CharFilter(method="filter_search", label=_("Number or patient"))
    worklist = django_filters.ChoiceFilter(
        method="filter_worklist",
        label=_("Worklist"),
        choices=[
            ("incoming", _("Incoming")),
            ("awaiting_admission", _("Accepted, awaiting admission")),
            ("admitted", _("Admitted")),
            ("awaiting_answer", _("Awaiting the clinic's answer")),
            ("declined", _("Declined, to refer again")),
            ("discharged", _("Discharged")),
        ],
    )
    status = django_filters.MultipleChoiceFilter(choices=ReferralStatus.choices, label=_("Status"))
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.all(), to_field_name="code", label=_("Specialty")
    )
    funding_source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Funding"))
    admission_from = django_filters.DateFilter(
        field_name="admission_date", lookup_expr="gte", label=_("Admission from")
    )
    admission_until = django_filters.DateFilter(
        field_name="admission_date", lookup_expr="lte", label=_("Admission until")
    )
    sent_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Sent from")
    )
    sent_until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Sent until")
    )

    class Meta:
        model = Referral
        fields = ["q", "worklist", "status", "specialty", "funding_source", "application"]

    def filter_search(
        self, queryset: QuerySet[Referral], name: str, value: str
    ) -> QuerySet[Referral]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(patient__name_latin__icontains=value)
            | Q(patient__name_native__icontains=value)
        )

    def filter_worklist(
        self, queryset: QuerySet[Referral], name: str, value: str
    ) -> QuerySet[Referral]:
        return queryset.filter(status__in=self.WORKLISTS.get(value, []))
