import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from applications.choices import ApplicationStatus, Urgency
from applications.models import Application
from institutions.models import Specialty


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
