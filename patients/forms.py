from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from patients.choices import MedicalDocumentKind


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MedicalDocumentKind.choices)
