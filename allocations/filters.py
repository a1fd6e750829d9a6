import django_filters

from allocations.choices import AllocationState
from allocations.models import Allocation


class AllocationFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=AllocationState.choices)
    held_until_before = django_filters.IsoDateTimeFilter(field_name="held_until", lookup_expr="lte")

    class Meta:
        model = Allocation
        fields = ["state", "channel", "held_until_before"]
