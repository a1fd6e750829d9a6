"""Pages of the referral workflow: worklists, the referral page, sending a referral."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import access_record_list
from core.exceptions import DomainError
from core.forms import form_errors_from, form_submit
from core.htmx import render_page
from core.types import AuthenticatedHttpRequest
from institutions.choices import RECEIVING_KINDS, MembershipRole
from institutions.models import Accreditation, Institution
from institutions.selectors import user_institution_ids

from .. import forms as f
from ..choices import ApplicationStatus
from ..filters import ReferralFilter
from ..http import document_response, referral_access
from ..models import Application
from ..permissions import can_act_for_clinic, can_send_on_channel, can_send_referral
from ..selectors import (
    application_detail_queryset,
    referral_detail_queryset,
    referral_is_clinic_view,
    referral_list,
)
from ..services import referrals as services
from ..transitions import CLINIC, SENDER, referral_actions_from

ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "accept": (f.AcceptForm, services.referral_accept),
    "decline": (f.DeclineForm, services.referral_decline),
    "request_info": (f.CommentForm, services.referral_request_info),
    "answer": (f.CommentForm, services.referral_answer),
    "admit": (f.AdmitForm, services.referral_admit),
    "discharge": (f.DischargeForm, services.referral_discharge),
    "no_show": (f.CommentForm, services.referral_no_show),
    "cancel": (f.CommentForm, services.referral_cancel),
}

ACTION_BUTTONS = {
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "request_info": gettext_lazy("Ask for information"),
    "answer": gettext_lazy("Answer the clinic"),
    "admit": gettext_lazy("Record admission"),
    "discharge": gettext_lazy("Record discharge"),
    "no_show": gettext_lazy("Patient did not arrive"),
    "cancel": gettext_lazy("Cancel the referral"),
}

CLINIC_WORKLISTS = [
    ("incoming", gettext_lazy("Incoming")),
    ("awaiting_admission", gettext_lazy("Awaiting admission")),
    ("admitted", gettext_lazy("Admitted")),
]
OFFICER_WORKLISTS = [
    ("awaiting_answer", gettext_lazy("Awaiting the clinic")),
    ("declined", gettext_lazy("Declined: refer again")),
    ("discharged", gettext_lazy("Discharged")),
]


def _worklists(user: Any) -> list[tuple[str, Any]]:
    clinic = bool(user_institution_ids(user, roles=[MembershipRole.CLINIC_COORDINATOR]))
    officer = bool(
        user_institution_ids(
            user, roles=[MembershipRole.MINISTRY_OFFICER, MembershipRole.EMBASSY_OFFICER]
        )
    )
    tabs = (CLINIC_WORKLISTS if clinic else []) + (OFFICER_WORKLISTS if officer else [])
    return tabs or OFFICER_WORKLISTS


@login_required
def referral_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    tabs = _worklists(request.user)
    params = request.GET.copy()
    if "worklist" not in params:
        params["worklist"] = tabs[0][0]
    referrals = referral_list(user=request.user).order_by("admission_date", "-created_at", "-pk")
    filterset = ReferralFilter(params, queryset=referrals)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    access_record_list(
        user=request.user,
        objects=page.object_list,
        patient_ids=[r.patient_id for r in page.object_list],
        request=request,
    )
    query = params.copy()
    query.pop("page", None)
    return render_page(
        request,
        "referrals/referral_list.html",
        {
            "tabs": tabs,
            "current": params["worklist"],
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
def referral_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_access(request, pk)
    allowed: list[str] = []
    is_clinic = can_act_for_clinic(request.user, referral.receiving_institution_id)
    is_sender = can_send_referral(request.user, referral)
    if is_clinic:
        allowed += referral_actions_from(referral.status, by=CLINIC)
    if is_sender:
        allowed += referral_actions_from(referral.status, by=SENDER)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "patient": referral.patient,
            "clinic_view": referral_is_clinic_view(user=request.user, referral=referral),
            "action_forms": [
                (name, ACTIONS[name][0](prefix=name), ACTION_BUTTONS[name]) for name in allowed
            ],
            "can_upload": (is_clinic or is_sender),
            "document_form": f.DocumentForm(prefix="document"),
        },
    )


@login_required
@require_POST
def referral_action_view(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    referral = get_object_or_404(referral_list(user=request.user), pk=pk)
    form_class, service = ACTIONS[action]

    def now() -> str:
        referral.refresh_from_db()
        return _("Referral %(number)s is now: %(status)s.") % {
            "number": referral.number,
            "status": referral.get_status_display(),
        }

    form_submit(
        request,
        form_class(request.POST, prefix=action),
        lambda data: service(actor=request.user, referral_id=referral.pk, **data),
        now,
    )
    return redirect("referral-detail", pk=pk)


@login_required
@require_POST
def referral_document_upload_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(referral_list(user=request.user), pk=pk)
    form_submit(
        request,
        f.DocumentForm(request.POST, request.FILES, prefix="document"),
        lambda data: services.referral_document_add(
            actor=request.user, referral_id=referral.pk, upload=data["file"], kind=data["kind"]
        ),
        lambda: _("Document added."),
    )
    return redirect("referral-detail", pk=pk)


@login_required
def referral_document_view(
    request: AuthenticatedHttpRequest, pk: int, origin: str, document_id: int
) -> FileResponse:
    referral = get_object_or_404(referral_detail_queryset(user=request.user), pk=pk)
    documents = (
        referral.shared_documents.all() if origin == "application" else referral.documents.all()
    )
    document: Any = get_object_or_404(documents, pk=document_id)
    return document_response(request, document, patient_id=referral.patient_id)


def _candidate_clinics(
    application: Application, picker: f.ClinicPickerForm
) -> QuerySet[Institution]:
    """Active receiving institutions offering the specialty, eligible for the pool."""
    clinics = Institution.objects.filter(
        is_active=True,
        kind__in=RECEIVING_KINDS,
        offered_specialties__specialty=application.specialty,
    )
    eligible = application.pool.eligible_institutions.all()
    clinics = (
        clinics.filter(pk__in=eligible)
        if eligible.exists()
        else clinics.filter(country=application.pool.host_country)
    )
    if picker.is_valid():
        if picker.cleaned_data.get("country"):
            clinics = clinics.filter(country=picker.cleaned_data["country"])
        if picker.cleaned_data.get("accreditation"):
            clinics = clinics.filter(accreditations__kind=picker.cleaned_data["accreditation"])
    return (
        clinics.distinct()
        .prefetch_related(
            Prefetch("accreditations", queryset=Accreditation.objects.order_by("kind"))
        )
        .order_by("country", "name")
    )


@login_required
def referral_send_view(request: AuthenticatedHttpRequest, application_pk: int) -> HttpResponse:
    """Refer an approved application to a clinic, or refer it again after a decline."""
    application = get_object_or_404(
        application_detail_queryset(user=request.user).select_related("specialty"),
        pk=application_pk,
    )
    if not can_send_on_channel(request.user, application.channel):
        raise Http404
    if application.status != ApplicationStatus.APPROVED:
        messages.error(request, _("Only an approved application can be referred to a clinic."))
        return redirect("application-detail", pk=application.pk)
    picker = f.ClinicPickerForm(request.GET or None)
    form = f.ReferralSendForm(
        request.POST or None,
        clinics=_candidate_clinics(application, picker),
        documents=application.documents.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.user,
                application_id=application.pk,
                receiving_institution=form.cleaned_data["receiving_institution"],
                covering_letter=form.cleaned_data["covering_letter"],
                shared_document_ids=[d.pk for d in form.cleaned_data["shared_documents"]],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Referral %(number)s sent.") % {"number": referral.number})
            return redirect("referral-detail", pk=referral.pk)
    return render(
        request,
        "referrals/referral_send.html",
        {"application": application, "picker": picker, "form": form},
    )
