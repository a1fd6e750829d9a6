"""Forms of the application pages. They check input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from applications.models import ApplicationDocument
from common.countries import country_choices
from common.forms import DateInput
from common.models import COMMENT_MAX_LENGTH
from institutions.choices import AccreditationKind
from institutions.models import Institution
from referrals.choices import DeclineReason, DischargeOutcome, RescheduleReason
from referrals.models import COVERING_LETTER_MAX_LENGTH, DISCHARGE_SUMMARY_MAX_LENGTH

if TYPE_CHECKING:
    # Django's form fields are not subscriptable at run time; only the type checker sees this.
    _InstitutionChoiceField = forms.ModelChoiceField[Institution]
else:
    _InstitutionChoiceField = forms.ModelChoiceField


class ClinicChoiceField(_InstitutionChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        accreditations = ", ".join(a.get_kind_display() for a in obj.accreditations.all())
        place = f"{obj.city}, {obj.country.name}" if obj.city else str(obj.country.name)
        return f"{obj.name} — {place}" + (f" ({accreditations})" if accreditations else "")


class ClinicPickerForm(forms.Form):
    """Narrows the clinics offered for a referral: by country and accreditation."""

    # A callable: the names are those of the request's language, not of the import's.
    country = LazyTypedChoiceField(
        label=_("Country"), choices=lambda: [("", "—"), *country_choices()], required=False
    )
    accreditation = forms.ChoiceField(
        label=_("Accreditation"), choices=[("", "—"), *AccreditationKind.choices], required=False
    )


class ReferralSendForm(forms.Form):
    receiving_institution = ClinicChoiceField(
        queryset=Institution.objects.none(), label=_("Receiving clinic")
    )
    covering_letter = forms.CharField(
        label=_("Covering letter"), widget=forms.Textarea, max_length=COVERING_LETTER_MAX_LENGTH
    )
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
        cast(
            "forms.ModelMultipleChoiceField[ApplicationDocument]", self.fields["shared_documents"]
        ).queryset = documents
        self.fields["shared_documents"].initial = [d.pk for d in documents]


def _comment_field() -> forms.CharField:
    """A step's comment: optional here (the service says when one is needed), bounded."""
    return forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
    )


class StepCommentForm(forms.Form):
    comment = _comment_field()


class AcceptForm(forms.Form):
    admission_date = forms.DateField(label=_("Admission date"), widget=DateInput)
    department = forms.CharField(label=_("Department"), max_length=200)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    comment = _comment_field()


class RescheduleForm(forms.Form):
    admission_date = forms.DateField(label=_("New admission date"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=RescheduleReason.choices)
    comment = _comment_field()


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    comment = _comment_field()


class AdmitForm(forms.Form):
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput)
    comment = _comment_field()


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("Discharged on"), widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DischargeOutcome.choices)
    discharge_summary = forms.CharField(
        label=_("Discharge summary"),
        widget=forms.Textarea,
        max_length=DISCHARGE_SUMMARY_MAX_LENGTH,
    )
