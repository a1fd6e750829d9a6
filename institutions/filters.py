import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from institutions.choices import AccreditationKind, InstitutionKind
from institutions.models import Institution, Specialty


def in_any_language(field: str, value: str) -> Q:
    """Rows whose translated ``field`` contains ``value`` in any interface language."""
    found = Q()
    for code, _name in settings.LANGUAGES:
        found |= Q(**{f"{field}_{code}__icontains": value})
    return found


class InstitutionFilter(django_filters.FilterSet):
    """The directory's filters, shared by the page and the API."""

    q = django_filters.CharFilter(method="filter_search", label=_("Name or city"))
    country = django_filters.ChoiceFilter(choices=countries, label=_("Country"))
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices, label=_("Kind"))
    specialty = django_filters.ModelChoiceFilter(
        queryset=Specialty.objects.all(),
        field_name="specialties",
        to_field_name="code",
        label=_("Specialty"),
    )
    accreditation = django_filters.ChoiceFilter(
        choices=AccreditationKind.choices,
        field_name="accreditations__kind",
        distinct=True,
        label=_("Accreditation"),
    )

    class Meta:
        model = Institution
        fields = ["q", "country", "kind", "specialty", "accreditation"]

    def filter_search(
        self, queryset: QuerySet[Institution], name: str, value: str
    ) -> QuerySet[Institution]:
        value = value.strip()
        if not value:
            return queryset
        # A name is found in whichever language the reader types it.
        return queryset.filter(
            in_any_language("name", value)
            | in_any_language("short_name", value)
            | Q(city__icontains=value)
        )
