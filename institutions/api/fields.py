"""A translated name as the API shows it beside the name in the request's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@extend_schema_field(
    {
        "type": "object",
        "description": "The text in each interface language; null where none is written.",
        "properties": {code: {"type": "string", "nullable": True} for code in LANGUAGE_CODES},
        "required": LANGUAGE_CODES,
        "readOnly": True,
    }
)
class TranslationsField(serializers.Field[Model, Any, dict[str, str | None], Model]):
    """Every language's text of a translated model field, without fallbacks: ``{"ru": ..., ...}``."""

    def __init__(self, field: str, **kwargs: Any) -> None:
        self.translated = field
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, value: Model) -> dict[str, str | None]:
        return {
            code: getattr(value, f"{self.translated}_{code}", None) or None
            for code in LANGUAGE_CODES
        }
