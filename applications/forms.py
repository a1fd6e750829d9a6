from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from applications.choices import RejectionReason, Urgency, WithdrawalReason
from applications.models import MEDICAL_SUMMARY_MAX_LENGTH
from common import icd10
from common.countries import country_choices
from common.forms import DateInput
from common.models import COMMENT_MAX_LENGTH
from institutions.models import Institution, Specialty
from patients.choices import DocumentType, MedicalDocumentKind, Sex
from patients.models import birth_date_validate
from patients.services import document_number_normalise
from quotas import access as quota_access
from quotas.forms import ChannelChoiceField
from quotas.models import Channel
from quotas.selectors import channel_list


class ApplicationForm(forms.Form):
    """A new application: the patient (found again by their document), the case, a document."""

    channel = ChannelChoiceField(queryset=Channel.objects.none(), label=_("Channel"))
    # The patient
    name_native = forms.CharField(label=_("Full name (native script)"), max_length=300)
    name_latin = forms.CharField(label=_("Full name (Latin, as in the passport)"), max_length=300)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=DateInput, validators=[birth_date_validate]
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    # The function, not the list: the names are those of the request's language.
    citizenship = LazyTypedChoiceField(label=_("Citizenship"), choices=country_choices)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=64)
    document_country = LazyTypedChoiceField(label=_("Issuing country"), choices=country_choices)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    guardian_name = forms.CharField(
        label=_("Guardian (for a minor)"), max_length=300, required=False
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="ru"
    )
    # The case
    specialty = forms.ModelChoiceField(
        queryset=Specialty.objects.all(), label=_("Requested specialty")
    )
    diagnosis_code = forms.CharField(
        label=_("Diagnosis (ICD-10 code)"),
        # Room for the words of a title, which the picker searches by.
        max_length=64,
        help_text=_(
            "Type the code, such as C50.9, or words of its title and choose from the list."
        ),
        validators=[icd10.diagnosis_code_validator],
        widget=forms.TextInput(
            attrs={
                "list": "diagnosis-options",
                "autocomplete": "off",
                "spellcheck": "false",
                "hx-get": reverse_lazy("diagnosis-picker"),
                "hx-trigger": "input changed delay:200ms",
                "hx-target": "#diagnosis-picker",
                "hx-sync": "this:replace",
            }
        ),
    )
    diagnosis_text = forms.CharField(label=_("Diagnosis"), max_length=500)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    medical_summary = forms.CharField(
        label=_("Medical summary"), widget=forms.Textarea, max_length=MEDICAL_SUMMARY_MAX_LENGTH
    )
    preferred_host = forms.ModelChoiceField(
        queryset=Institution.objects.filter(is_active=True),
        required=False,
        label=_("Preferred host institution"),
    )
    document = forms.FileField(label=_("Medical document (PDF or image)"), required=False)
    document_kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=MedicalDocumentKind.choices,
        initial=MedicalDocumentKind.MEDICAL_REPORT,
    )
    submit_now = forms.BooleanField(label=_("Submit for review now"), required=False, initial=True)

    PATIENT_FIELDS = (
        "name_native",
        "name_latin",
        "birth_date",
        "sex",
        "citizenship",
        "document_type",
        "document_number",
        "document_country",
        "phone",
        "guardian_name",
        "preferred_language",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channels = channel_list(user=user).select_related("pool__agreement")
        field = cast("forms.ModelChoiceField[Channel]", self.fields["channel"])
        field.queryset = Channel.objects.filter(
            pk__in=[c.pk for c in channels if quota_access.can(user, quota_access.SEND, c)]
        ).select_related("pool", "issuing_institution")

    def clean_document_number(self) -> str:
        # Compared as the register stores it: " an 378-6021 " is AN3786021.
        number = document_number_normalise(self.cleaned_data["document_number"])
        if not number:
            raise forms.ValidationError(_("Enter the document number."))
        return number

    def channel_choices(self) -> QuerySet[Channel]:
        return cast(QuerySet[Channel], cast(ChannelChoiceField, self.fields["channel"]).queryset)

    def patient_data(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.PATIENT_FIELDS}


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=COMMENT_MAX_LENGTH,
    )


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=WithdrawalReason.choices)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
    )
