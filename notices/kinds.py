"""The kinds of notice, declared by the apps whose events they report.

Each domain app lists its kinds as a ``TextChoices`` in its ``notices.py`` and
registers them from its ``AppConfig.ready()``; notices stores, renders (the
template ``notices/<kind>.html``) and delivers them without knowing any app.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise

_KINDS: dict[str, str | Promise] = {}


def register(kinds: type[models.TextChoices]) -> None:
    """Add an app's kinds; a code claimed by two apps is a configuration error."""
    for kind in kinds:
        known = _KINDS.get(kind.value)
        if known is not None and known != kind.label:
            raise ValueError(f"notice kind {kind.value!r} is declared twice")
        _KINDS[kind.value] = kind.label


def label(kind: str) -> str:
    """The kind's name in the reader's language; the code itself for an unknown kind."""
    return str(_KINDS.get(kind, kind))


def choices() -> list[tuple[str, str | Promise]]:
    """Every registered kind, with its name in the reader's language when shown.

    Read by modules imported after the apps are ready (the API's filters and fields).
    """
    return list(_KINDS.items())
