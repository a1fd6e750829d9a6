import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from institutions.filters import in_any_language
from quotas.choices import AgreementKind, AgreementStatus, PoolKind
from quotas.models import Agreement, Channel, QuotaPool


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Title"))
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices, label=_("Status"))
    country = django_filters.ChoiceFilter(
        choices=countries, method="filter_country", label=_("Party country")
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "country"]

    def filter_search(
        self, queryset: QuerySet[Agreement], name: str, value: str
    ) -> QuerySet[Agreement]:
        return queryset.filter(in_any_language("title", value) | Q(summary__icontains=value))

    def filter_country(
        self, queryset: QuerySet[Agreement], name: str, value: str
    ) -> QuerySet[Agreement]:
        # party_countries is stored as a comma-separated list of two-letter codes
        return queryset.filter(
            Q(party_countries__regex=rf"(^|,){value}(,|$)") | Q(party_institutions__country=value)
        ).distinct()


class QuotaPoolFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PoolKind.choices, label=_("Kind"))
    sending_country = django_filters.ChoiceFilter(choices=countries, label=_("Sending country"))
    host_country = django_filters.ChoiceFilter(choices=countries, label=_("Host country"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Active on"))

    class Meta:
        model = QuotaPool
        fields = ["agreement", "kind", "sending_country", "host_country", "active_on"]

    def filter_active_on(
        self, queryset: QuerySet[QuotaPool], name: str, value: datetime.date
    ) -> QuerySet[QuotaPool]:
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class ChannelFilter(django_filters.FilterSet):
    class Meta:
        model = Channel
        fields = ["pool", "issuing_institution"]
