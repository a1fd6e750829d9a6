from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from common.models import COMMENT_MAX_LENGTH


def form_errors_from(
    form: forms.BaseForm, error: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError at the form's fields (or above the form).

    ``fields`` names the form field that shows a service field the form calls otherwise.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (fields or {}).get(field, field)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def messages_from_error(request: HttpRequest, error: ValidationError | DomainError) -> None:
    """Show a service's refusal or validation error as messages on the next page."""
    if isinstance(error, DomainError):
        messages.error(request, error.message)
        return
    for message in error.messages:
        messages.error(request, message)


def messages_from_form(request: HttpRequest, form: forms.BaseForm) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


def form_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], object],
    success: Callable[[], str],
) -> None:
    """Run a service with the form's data and show the outcome as messages."""
    if not form.is_valid():
        messages_from_form(request, form)
        return
    try:
        act(form.cleaned_data)
    except (ValidationError, DomainError) as error:
        messages_from_error(request, error)
    else:
        messages.success(request, success())


def form_act(form: forms.BaseForm, act: Callable[[dict[str, Any]], object]) -> bool:
    """Run a service with the form's data; on a refusal, show it on the form.

    Returns whether the service ran. The caller renders the form again when it did
    not, so what the user typed stays, with the errors at the fields.
    """
    if not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    except DomainError as error:
        form.add_error(None, error.message)
        return False
    return True


class DateInput(forms.DateInput):
    input_type = "date"


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
    )
