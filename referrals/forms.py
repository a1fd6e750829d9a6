"""Forms of the application pages. They check input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from institutions.choices import AccreditationKind
from institutions.models import Institution, Specialty
from quotas.choices import ReleaseReason
from quotas.models import Channel
from quotas.selectors import channel_list

from .choices import (
    DeclineReason,
    DischargeOutcome,
    DocumentType,
    MedicalDocumentKind,
    RejectionReason,
    Sex,
    Urgency,
    WithdrawalReason,
)
from .models import ApplicationDocument
from .permissions import can_send_on_channel


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pool.code} · {obj.issuing_institution.name} ({obj.slots})"


class DateInput(forms.DateInput):
    input_type = "date"


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
        field = cast(forms.ModelChoiceField, self.fields["channel"])
        field.queryset = Channel.objects.filter(
            pk__in=[c.pk for c in channels if can_send_on_channel(user, c)]
        ).select_related("pool", "issuing_institution")

    def channel_choices(self) -> QuerySet[Channel]:
        return cast(QuerySet[Channel], cast(ChannelChoiceField, self.fields["channel"]).queryset)

    def patient_data(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.PATIENT_FIELDS}


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=WithdrawalReason.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReleaseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReleaseReason.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or image)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MedicalDocumentKind.choices)


class TransferForm(forms.Form):
    target = ChannelChoiceField(queryset=Channel.objects.none(), label=_("To channel"))
    slots = forms.IntegerField(label=_("Slots"), min_value=1)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, source: Channel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["target"])
        field.queryset = (
            Channel.objects.filter(pool_id=source.pool_id)
            .exclude(pk=source.pk)
            .select_related("pool", "issuing_institution")
        )


# --- Referrals -------------------------------------------------------------------


class ClinicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        accreditations = ", ".join(a.get_kind_display() for a in obj.accreditations.all())
        place = f"{obj.city}, {obj.country.name}" if obj.city else str(obj.country.name)
        return f"{obj.name} — {place}" + (f" ({accreditations})" if accreditations else "")


class ClinicPickerForm(forms.Form):
    """Narrows the clinics offered for a referral: by country and accreditation."""

    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )
    accreditation = forms.ChoiceField(
        label=_("Accreditation"), choices=[("", "—"), *AccreditationKind.choices], required=False
    )


class ReferralSendForm(forms.Form):
    receiving_institution = ClinicChoiceField(
        queryset=Institution.objects.none(), label=_("Receiving clinic")
    )
    covering_letter = forms.CharField(label=_("Covering letter"), widget=forms.Textarea)
    shared_documents = forms.ModelMultipleChoiceField(
        queryset=ApplicationDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Documents shared with the clinic"),
    )

    def __init__(
        self,
        *args: Any,
        clinics: QuerySet[Institution],
        documents: QuerySet[ApplicationDocument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(ClinicChoiceField, self.fields["receiving_institution"]).queryset = clinics
        cast(forms.ModelMultipleChoiceField, self.fields["shared_documents"]).queryset = documents
        self.fields["shared_documents"].initial = [d.pk for d in documents]


class AcceptForm(forms.Form):
    admission_date = forms.DateField(label=_("Admission date"), widget=DateInput)
    department = forms.CharField(label=_("Department"), max_length=200)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AdmitForm(forms.Form):
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DischargeOutcome.choices)
    discharge_summary = forms.CharField(label=_("Discharge summary"), widget=forms.Textarea)
