"""What a notice is rendered from, kept with it so it can be rendered again.

A notice is written in its reader's language when it is stored; when the reader
has since changed language, the inbox and the e-mail render it again from the
context stored here. The context holds references to the objects the event is
about (model and primary key, plus the values computed for the event, such as a
channel's free slots) and the event's own values (slots moved, days left): no
copy of a record, so no patient data sits in a notice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Model

_MODEL = "$model"
_DATE = "$date"
_DATETIME = "$datetime"
_SIMPLE = (str, int, float, bool, type(None))


class MissingObjectError(LookupError):
    """An object the notice is about no longer exists: keep the text as it was written."""


def _computed(obj: Model) -> dict[str, Any]:
    """Values a query computed onto the object for the event (annotations)."""
    stored = {field.attname for field in obj._meta.concrete_fields}
    return {
        name: value
        for name, value in vars(obj).items()
        if not name.startswith("_") and name not in stored and isinstance(value, _SIMPLE)
    }


def context_encode(value: Any) -> Any:  # noqa: ANN401 (any template value)
    """The JSON form of a template context: objects by reference, values as they are."""
    if isinstance(value, Model):
        return {_MODEL: value._meta.label_lower, "pk": value.pk, "computed": _computed(value)}
    if isinstance(value, Mapping):
        return {str(key): context_encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [context_encode(item) for item in value]
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, _SIMPLE):
        return value
    return str(value)


def _references(value: Any, found: dict[str, set[Any]]) -> None:  # noqa: ANN401
    if isinstance(value, dict):
        if _MODEL in value:
            found[value[_MODEL]].add(value["pk"])
            return
        for item in value.values():
            _references(item, found)
    elif isinstance(value, list):
        for item in value:
            _references(item, found)


def _decode(value: Any, objects: dict[str, dict[Any, Model]]) -> Any:  # noqa: ANN401
    if isinstance(value, dict):
        if _MODEL in value:
            obj = objects[value[_MODEL]].get(value["pk"])
            if obj is None:
                raise MissingObjectError(f"{value[_MODEL]} {value['pk']}")
            for name, computed in value.get("computed", {}).items():
                setattr(obj, name, computed)
            return obj
        if _DATETIME in value:
            return datetime.datetime.fromisoformat(value[_DATETIME])
        if _DATE in value:
            return datetime.date.fromisoformat(value[_DATE])
        return {key: _decode(item, objects) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item, objects) for item in value]
    return value


def context_decode(encoded: dict[str, Any]) -> dict[str, Any]:
    """The template context of one notice again, with the objects as they are now.

    One query per kind of object. Raises ``MissingObjectError`` when one is gone.
    """
    found: dict[str, set[Any]] = defaultdict(set)
    _references(encoded, found)
    objects = {
        label: apps.get_model(label)._default_manager.in_bulk(list(pks))
        for label, pks in found.items()
    }
    decoded: dict[str, Any] = _decode(encoded, objects)
    return decoded
