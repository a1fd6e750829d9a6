"""Pages of the application workflow: list, new application, application page, actions.

Views read through the selectors and write through the services; a refused
action comes back as a message, bad input as errors at the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessAction
from audit.services import access_record, access_record_list
from core.exceptions import DomainError
from core.forms import form_errors_from, form_submit
from core.htmx import render_page
from core.types import AuthenticatedHttpRequest
from institutions.models import Institution
from quotas.choices import AllocationState
from quotas.selectors import channel_list

from .. import forms as f
from ..choices import LIVE_REFERRAL_STATUSES
from ..filters import ApplicationFilter, PatientFilter
from ..http import document_response
from ..models import Application, Patient
from ..permissions import (
    can_manage_channel,
    can_review_on_channel,
    can_send_on_channel,
    officer_institution_ids,
    sending_ministry_ids,
)
from ..selectors import application_detail_queryset, application_list, patient_list
from ..services import allocations, applications, patients
from ..transitions import REVIEWER, SENDER, actions_from

# action -> (form, service)
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "submit": (f.CommentForm, applications.application_submit),
    "answer": (f.CommentForm, applications.application_answer),
    "start_review": (f.CommentForm, applications.application_start_review),
    "request_info": (f.CommentForm, applications.application_request_info),
    "approve": (f.CommentForm, applications.application_approve),
    "reject": (f.RejectForm, applications.application_reject),
    "withdraw": (f.WithdrawForm, applications.application_withdraw),
}


@login_required
def application_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications_qs = application_list(user=request.user).order_by("-created_at", "-pk")
    filterset = ApplicationFilter(request.GET, queryset=applications_qs)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    access_record_list(
        user=request.user,
        objects=page.object_list,
        patient_ids=[a.patient_id for a in page.object_list],
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "referrals/application_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def _live_allocation(application: Application) -> Any:
    live = getattr(application, "live_allocations", [])
    return live[0] if live else None


def _sender_institution(user: Any, channel: Any) -> Institution:
    """The institution in whose name the user registers the patient for this channel."""
    mine = officer_institution_ids(user)
    if channel.issuing_institution_id in mine:
        return channel.issuing_institution
    candidates = mine & sending_ministry_ids(channel.pool)
    if candidates:
        return Institution.objects.get(pk=min(candidates))
    return channel.issuing_institution  # administrators act on the channel's behalf


PATIENT_MATCHES = 10


def _patient_matches(request: AuthenticatedHttpRequest, find: str) -> list[Patient]:
    """Registered patients the user may see, by name or document number; the read is audited."""
    if len(find) < 2:
        return []
    found = PatientFilter({"q": find}, queryset=patient_list(user=request.user)).qs
    matches = list(found.order_by("name_latin", "pk")[:PATIENT_MATCHES])
    access_record_list(
        user=request.user,
        objects=matches,
        patient_ids=[p.pk for p in matches],
        request=request,
    )
    return matches


def _picked_patient(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """The form's patient fields filled from the patient the user picked (``?patient=``)."""
    try:
        pk = int(request.GET.get("patient", ""))
    except ValueError:
        return {}
    patient = patient_list(user=request.user).filter(pk=pk).first()
    if patient is None:
        return {}
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=patient,
        patient_id=patient.pk,
        request=request,
    )
    return {name: getattr(patient, name) for name in f.ApplicationForm.PATIENT_FIELDS}


@login_required
def application_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = f.ApplicationForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.channel_choices().exists():
        messages.error(request, _("You cannot apply on any channel."))
        return redirect("application-list")
    find = request.GET.get("find", "").strip()[:64]
    if request.method == "GET" and request.htmx:
        # Only the list of matching patients changes while the officer types.
        return render_page(
            request,
            "referrals/application_form.html",
            {"find": find, "matches": _patient_matches(request, find)},
            block="patient_matches",
        )
    initial = _picked_patient(request) if request.method == "GET" else {}
    form.initial.update(initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                patient, _created = patients.patient_register(
                    actor=request.user,
                    institution=_sender_institution(request.user, data["channel"]),
                    data=form.patient_data(),
                )
                application = applications.application_create(
                    actor=request.user,
                    channel=data["channel"],
                    patient=patient,
                    specialty=data["specialty"],
                    diagnosis_code=data["diagnosis_code"],
                    diagnosis_text=data["diagnosis_text"],
                    medical_summary=data["medical_summary"],
                    urgency=data["urgency"],
                    preferred_host=data["preferred_host"],
                )
                if data["document"]:
                    applications.application_document_add(
                        actor=request.user,
                        application_id=application.pk,
                        upload=data["document"],
                        kind=data["document_kind"],
                    )
                if data["submit_now"]:
                    applications.application_submit(
                        actor=request.user, application_id=application.pk
                    )
        except ValidationError as error:
            form_errors_from(form, error)
            if "file" in getattr(error, "message_dict", {}):
                for message in error.message_dict["file"]:
                    form.add_error("document", message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Application %(number)s created.") % {"number": application.number}
            )
            return redirect("application-detail", pk=application.pk)
    return render(
        request,
        "referrals/application_form.html",
        {
            "form": form,
            "find": find,
            "matches": _patient_matches(request, find),
            "picked": bool(initial),
        },
    )


@login_required
def application_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(application_detail_queryset(user=request.user), pk=pk)
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=application,
        patient_id=application.patient_id,
        request=request,
    )
    allowed: list[str] = []
    is_sender = can_send_on_channel(request.user, application.channel)
    if is_sender:
        allowed += actions_from(application.status, by=SENDER)
    if can_review_on_channel(request.user, application.channel):
        allowed += actions_from(application.status, by=REVIEWER)
    live = _live_allocation(application)
    action_forms = [(name, ACTIONS[name][0](prefix=name)) for name in allowed if name in ACTIONS]
    return render(
        request,
        "referrals/application_detail.html",
        {
            "application": application,
            "patient": application.patient,
            "allocation": live,
            "waitlist_position": allocations.waitlist_position(application),
            "action_forms": action_forms,
            "can_upload": is_sender,
            # A held slot and no live referral: the patient can be (re)referred.
            "can_refer": is_sender
            and live is not None
            and live.state == AllocationState.HELD
            and not any(r.status in LIVE_REFERRAL_STATUSES for r in application.referrals.all()),
            "document_form": f.DocumentForm(prefix="document"),
            "release_form": f.ReleaseForm(prefix="release")
            if live and can_manage_channel(request.user, application.channel)
            else None,
        },
    )


@login_required
@require_POST
def application_action_view(
    request: AuthenticatedHttpRequest, pk: int, action: str
) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form_class, service = ACTIONS[action]

    def now() -> str:
        application.refresh_from_db()
        return _("Application %(number)s is now: %(status)s.") % {
            "number": application.number,
            "status": application.get_status_display(),
        }

    form_submit(
        request,
        form_class(request.POST, prefix=action),
        lambda data: service(actor=request.user, application_id=application.pk, **data),
        now,
    )
    # A reviewer working down the queue stays in it; elsewhere the application's page.
    back = request.POST.get("next", "")
    if back.startswith(reverse("review-queue")) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("application-detail", pk=pk)


@login_required
@require_POST
def application_document_upload_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form_submit(
        request,
        f.DocumentForm(request.POST, request.FILES, prefix="document"),
        lambda data: applications.application_document_add(
            actor=request.user,
            application_id=application.pk,
            upload=data["file"],
            kind=data["kind"],
        ),
        lambda: _("Document added."),
    )
    return redirect("application-detail", pk=pk)


@login_required
def application_document_view(
    request: AuthenticatedHttpRequest, pk: int, document_id: int
) -> FileResponse:
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    document = get_object_or_404(application.documents.all(), pk=document_id)
    return document_response(request, document, patient_id=application.patient_id)


@login_required
@require_POST
def allocation_release_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(application_detail_queryset(user=request.user), pk=pk)
    live = _live_allocation(application)
    if live is None:
        messages.error(request, _("The application holds no slot."))
        return redirect("application-detail", pk=pk)
    form_submit(
        request,
        f.ReleaseForm(request.POST, prefix="release"),
        lambda data: allocations.allocation_release(
            allocation_id=live.pk, actor=request.user, **data
        ),
        lambda: _("The slot went back to the channel."),
    )
    return redirect("application-detail", pk=pk)


@login_required
def channel_transfer_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(
        channel_list(user=request.user).select_related("pool", "issuing_institution"), pk=pk
    )
    if not can_manage_channel(request.user, source):
        raise Http404
    form = f.TransferForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            allocations.channel_transfer(
                source=source,
                target=form.cleaned_data["target"],
                slots=form.cleaned_data["slots"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        except DomainError as error:
            form.add_error("slots", error.message)
        else:
            messages.success(request, _("Slots moved."))
            return redirect("agreement-detail", pk=source.pool.agreement_id)
    return render(request, "referrals/channel_transfer.html", {"form": form, "source": source})
