"""A destructive step on a page asks to be confirmed, without needing a script.

The step's form gets a required "I confirm" box: a post without it is refused at
the box and nothing changes. Pages may add ``hx-confirm`` as well; the box is
what holds when scripts do not run.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

F = TypeVar("F", bound=forms.Form)

CONFIRM_FIELD = "confirm"


def with_confirmation(form_class: type[F]) -> type[F]:
    """``form_class`` with a required "I confirm" box, left out of ``cleaned_data``.

    The box is left out so the data goes to the step's service as it did before.
    """

    def clean(self: F) -> dict[str, Any]:
        cleaned = form_class.clean(self) or self.cleaned_data
        cleaned.pop(CONFIRM_FIELD, None)
        return cleaned

    confirm = forms.BooleanField(
        label=_("I confirm this step; it cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm this step.")},
    )
    return type(
        f"Confirmed{form_class.__name__}",
        (form_class,),
        {CONFIRM_FIELD: confirm, "clean": clean, "__module__": form_class.__module__},
    )


def is_confirmed_form(form: forms.BaseForm) -> bool:
    """Whether the form asks to be confirmed (pages mark the step as destructive)."""
    return CONFIRM_FIELD in form.fields
