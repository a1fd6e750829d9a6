from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from allocations.choices import ReleaseReason


class ReleaseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReleaseReason.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
