"""Pages of the referral workflow: worklists, the referral page, sending a referral."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications import access as application_access
from applications.choices import ApplicationStatus
from applications.models import Application
from applications.selectors import application_detail_queryset
from audit.models import AccessAction
from audit.services import access_record, access_record_list
from common.confirmation import with_confirmation
from common.exceptions import DomainError, PermissionDeniedError
from common.forms import form_errors_from, form_submit
from common.htmx import render_page
from common.types import AuthenticatedHttpRequest
from institutions.choices import RECEIVING_KINDS, MembershipRole
from institutions.models import Accreditation, Institution
from institutions.selectors import user_institution_ids
from patients.forms import DocumentForm
from patients.http import document_response
from referrals import access, services
from referrals.access import referral_access
from referrals.choices import ReferralStatus
from referrals.filters import ReferralFilter
from referrals.forms import (
    AcceptForm,
    AdmitForm,
    ClinicPickerForm,
    DeclineForm,
    DischargeForm,
    ReferralSendForm,
    RescheduleForm,
    StepCommentForm,
)
from referrals.letters import letter_languages, qr_svg, referral_id_from_token, verification_url
from referrals.models import Referral
from referrals.selectors import (
    admission_calendar,
    clinic_referral_list,
    open_question,
    referral_detail_queryset,
    referral_list,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "accept": (AcceptForm, services.referral_accept),
    "decline": (with_confirmation(DeclineForm), services.referral_decline),
    "request_info": (StepCommentForm, services.referral_request_info),
    "answer": (StepCommentForm, services.referral_answer),
    "reschedule": (RescheduleForm, services.referral_reschedule),
    "admit": (AdmitForm, services.referral_admit),
    "discharge": (DischargeForm, services.referral_discharge),
    "no_show": (StepCommentForm, services.referral_no_show),
    "cancel": (with_confirmation(StepCommentForm), services.referral_cancel),
}

ACTION_BUTTONS = {
    "accept": gettext_lazy("Accept"),
    "decline": gettext_lazy("Decline"),
    "request_info": gettext_lazy("Ask for information"),
    "answer": gettext_lazy("Answer the clinic"),
    "reschedule": gettext_lazy("Change the admission date"),
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


def _worklists(user: User) -> list[tuple[str, Any]]:
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


def _referral_page(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The referral page; after a failed step, with that step's form as it was sent."""
    referral = referral_access(request, pk)
    allowed = access.actions(request.user, referral)
    action_forms = []
    for name in allowed:
        form = failed[1] if failed and failed[0] == name else ACTIONS[name][0](prefix=name)
        action_forms.append((name, form, ACTION_BUTTONS[name]))
    if failed and failed[0] not in allowed:
        # The step is no longer offered (the referral moved meanwhile): say why above.
        for message in failed[1].non_field_errors():
            messages.error(request, str(message))
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "patient": referral.patient,
            "clinic_view": access.is_clinic_view(user=request.user, referral=referral),
            "action_forms": action_forms,
            "open_question": open_question(referral),
            "can_upload": access.can(request.user, "add_document", referral),
            "document_form": DocumentForm(prefix="document"),
        },
        status=status,
    )


@login_required
def referral_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _referral_page(request, pk)


@login_required
@require_POST
def referral_action_view(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Take a step; on success back to the page, on failure the page again with the
    form as typed and the errors at its fields (400; 403 or 409 for a refusal)."""
    if action not in ACTIONS:
        raise Http404
    referral = get_object_or_404(referral_list(user=request.user), pk=pk)
    form_class, service = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        try:
            service(actor=request.user, referral_id=referral.pk, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        except PermissionDeniedError as error:
            form.add_error(None, error.message)
            status = 403
        except DomainError as error:
            form.add_error(None, error.message)
            status = 409
        else:
            referral.refresh_from_db()
            messages.success(
                request,
                _("Referral %(number)s is now: %(status)s.")
                % {"number": referral.number, "status": referral.get_status_display()},
            )
            return redirect("referral-detail", pk=pk)
    return _referral_page(request, pk, failed=(action, form), status=status)


@login_required
@require_POST
def referral_document_upload_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(referral_list(user=request.user), pk=pk)
    form_submit(
        request,
        DocumentForm(request.POST, request.FILES, prefix="document"),
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


def _candidate_clinics(application: Application, picker: ClinicPickerForm) -> QuerySet[Institution]:
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
    if not application_access.can(request.user, "refer", application):
        raise Http404
    # The page shows the patient's name and diagnosis: a read of patient data.
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=application,
        patient_id=application.patient_id,
        request=request,
        detail="refer",
    )
    if application.status != ApplicationStatus.APPROVED:
        messages.error(request, _("Only an approved application can be referred to a clinic."))
        return redirect("application-detail", pk=application.pk)
    picker = ClinicPickerForm(request.GET or None)
    form = ReferralSendForm(
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


@never_cache
@login_required
def referral_letter_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = referral_access(request, pk, detail="letter")
    url = verification_url(referral)
    return render(
        request,
        "referrals/referral_letter.html",
        {
            "referral": referral,
            "patient": referral.patient,
            "languages": letter_languages(referral),
            "issued_on": timezone.localdate(referral.created_at),
            "verify_url": url,
            "qr": qr_svg(url),
        },
    )


@never_cache
def referral_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public: confirms a printed letter is genuine, and shows nothing about the patient."""
    referral_id = referral_id_from_token(token)
    if referral_id is None:
        raise Http404
    referral = get_object_or_404(
        Referral.objects.select_related("receiving_institution"), pk=referral_id
    )
    response = render(
        request,
        "referrals/referral_verify.html",
        {"referral": referral, "issued_on": timezone.localdate(referral.created_at)},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)


def week_monday(value: str) -> datetime.date | None:
    """The Monday of an ISO week written as ``2026-W48``; None if it is not one."""
    match = ISO_WEEK.match(value.strip())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    # Keep a week on either side inside the calendar, for the previous and next links.
    if not datetime.MINYEAR < year < datetime.MAXYEAR:
        return None
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:  # week 00, or 53 in a year of 52 weeks
        return None


def week_code(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class CalendarDay:
    date: datetime.date
    is_today: bool
    referrals: list[Referral] = field(default_factory=list)


@login_required
def admissions_calendar_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One ISO week of the user's clinics' admissions, Monday to Sunday."""
    today = timezone.localdate()
    asked = request.GET.get("week", "").strip()
    monday = week_monday(asked) if asked else None
    invalid_week = bool(asked) and monday is None
    if monday is None:
        monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)

    days = [
        CalendarDay(date=day, is_today=day == today)
        for day in (monday + datetime.timedelta(days=n) for n in range(7))
    ]
    context: dict[str, Any] = {
        "days": days,
        "monday": monday,
        "sunday": sunday,
        "week": week_code(monday),
        "week_number": monday.isocalendar()[1],
        "previous_week": week_code(monday - datetime.timedelta(days=7)),
        "next_week": week_code(monday + datetime.timedelta(days=7)),
        "current_week": week_code(today),
        "invalid_week": asked if invalid_week else "",
        "is_clinic": False,
        "undated": 0,
    }
    clinics = user_institution_ids(request.user, roles=[MembershipRole.CLINIC_COORDINATOR])
    if clinics:
        referrals = list(admission_calendar(user=request.user, first=monday, last=sunday))
        for day in days:
            day.referrals = [r for r in referrals if r.admission_date == day.date]
        access_record_list(
            user=request.user,
            objects=referrals,
            patient_ids=[r.patient_id for r in referrals],
            request=request,
        )
        context.update(
            {
                "is_clinic": True,
                # Name the clinic on each row only when the user answers for several.
                "several_clinics": len(clinics) > 1,
                # The accept step always sets a date; a row without one was changed
                # by other means and would never show on the calendar.
                "undated": clinic_referral_list(user=request.user)
                .filter(status=ReferralStatus.ACCEPTED, admission_date__isnull=True)
                .count(),
            }
        )
    return render_page(request, "referrals/admissions_calendar.html", context, block="calendar")
