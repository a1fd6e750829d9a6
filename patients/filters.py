import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from patients.models import Patient
from patients.services import document_number_normalise


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
