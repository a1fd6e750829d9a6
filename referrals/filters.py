import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from institutions.models import Specialty
from quotas.choices import AllocationState
from quotas.models import Allocation

from .choices import ApplicationStatus, FundingSource, ReferralStatus, Urgency
from .models import Application, Patient, Referral
from .services.patients import document_number_normalise


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Number or patient"))
    status = django_filters.MultipleChoiceFilter(
        choices=ApplicationStatus.choices, label=_("Status")
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.all(), to_field_name="code", label=_("Specialty")
    )
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("Created from")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("Created until")
    )

    class Meta:
        model = Application
        fields = ["q", "status", "urgency", "specialty", "pool", "channel"]

    def filter_search(
        self, queryset: QuerySet[Application], name: str, value: str
    ) -> QuerySet[Application]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__iexact=value)
            | Q(number__icontains=value)
            | Q(patient__name_latin__icontains=value)
            | Q(patient__name_native__icontains=value)
        )


class PatientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name or document"))

    class Meta:
        model = Patient
        fields = ["q", "citizenship", "document_type", "document_country"]

    def filter_search(
        self, queryset: QuerySet[Patient], name: str, value: str
    ) -> QuerySet[Patient]:
        value = value.strip()
        return queryset.filter(
            Q(name_latin__icontains=value)
            | Q(name_native__icontains=value)
            | Q(document_number=document_number_normalise(value))
        )


class AllocationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=AllocationState.choices)
    held_until_before = django_filters.IsoDateTimeFilter(field_name="held_until", lookup_expr="lte")

    class Meta:
        model = Allocation
        fields = ["state", "channel", "held_until_before"]


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
