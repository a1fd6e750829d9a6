from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField[Any]):
    """A related id resolved only among the objects the requesting user may see.

    An id outside the user's scope is answered like an unknown one: 400 naming the field.
    """

    def __init__(self, *, scope: Callable[..., QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:  # noqa: ANN401 (DRF's own signature)
        # JSON 7.5 or true would otherwise be taken for the object with id 7 or 1.
        if isinstance(data, bool | float):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)

    def get_queryset(self) -> QuerySet[Any]:
        return self.scope(user=self.context["request"].user)
