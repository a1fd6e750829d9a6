from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from applications.choices import RejectionReason, Urgency, WithdrawalReason
from common.forms import DateInput
from institutions.models import Institution, Specialty
from patients.choices import DocumentType, MedicalDocumentKind, Sex
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
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    citizenship = LazyTypedChoiceField(label=_("Citizenship"), choices=countries)
    document_type = forms.ChoiceField(label=_("Identity document"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=64)
    document_country = LazyTypedChoiceField(label=_("Issuing country"), choices=countries)
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
        label=_("Diagnosis (ICD-10 code)"), max_length=8, help_text=_("For example C50.9")
    )
    diagnosis_text = forms.CharField(label=_("Diagnosis"), max_length=500)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    medical_summary = forms.CharField(label=_("Medical summary"), widget=forms.Textarea)
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

    def channel_choices(self) -> QuerySet[Channel]:
        return cast(QuerySet[Channel], cast(ChannelChoiceField, self.fields["channel"]).queryset)

    def patient_data(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.PATIENT_FIELDS}


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=WithdrawalReason.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
