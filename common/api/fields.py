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


class BlankAsNullMixin:
    """An optional text the model stores as "" is answered as null, as its schema says.

    An empty string would break the field's format or enum (an e-mail, a URL, a
    reason chosen from a list), so "none given" is one value for every client: null.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:  # noqa: ANN401 (DRF's own signature)
        if value == "":
            return None
        return super().to_representation(value)  # type: ignore[misc]


class OptionalEmailField(BlankAsNullMixin, serializers.EmailField):
    """An e-mail address, or null where none is recorded."""


class OptionalURLField(BlankAsNullMixin, serializers.URLField):
    """A web address, or null where none is recorded."""


class OptionalChoiceField(BlankAsNullMixin, serializers.ChoiceField):
    """One of the choices, or null where none applies (yet)."""
