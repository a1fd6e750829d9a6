from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from allocations import services as allocation_services
from allocations.choices import AllocationState
from allocations.forms import ReleaseForm
from allocations.workflow import RELEASABLE_STATES
from applications import access
from applications import services as applications
from applications.access import REVIEWER
from applications.choices import Urgency
from applications.filters import ApplicationFilter
from applications.forms import ApplicationForm, RejectForm, WithdrawForm
from applications.models import Application
from applications.progress import application_rows, open_question
from applications.selectors import (
    application_detail_queryset,
    application_list,
    pool_holders,
    review_queue,
    review_waitlist,
    reviewable_channel_list,
)
from applications.signals import application_page_sections
from applications.waitlist import waitlist_position
from applications.workflow import APPLICATION_WORKFLOW
from audit.models import AccessAction
from audit.services import access_record, access_record_list
from common import icd10
from common.confirmation import with_confirmation
from common.exceptions import DomainError
from common.forms import CommentForm, form_act, form_errors_from, form_submit, messages_from_form
from common.htmx import render_page
from common.types import AuthenticatedHttpRequest
from patients import services as patients
from patients.filters import PatientFilter
from patients.forms import DocumentForm
from patients.http import document_response
from patients.models import Patient
from patients.selectors import patient_list
from quotas import access as quota_access
from quotas.models import Channel

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import QueryDict

    from allocations.models import Allocation

# action -> (form, service)
ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "submit": (CommentForm, applications.application_submit),
    "answer": (CommentForm, applications.application_answer),
    "start_review": (CommentForm, applications.application_start_review),
    "request_info": (CommentForm, applications.application_request_info),
    "approve": (CommentForm, applications.application_approve),
    "reject": (RejectForm, applications.application_reject),
    "withdraw": (with_confirmation(WithdrawForm), applications.application_withdraw),
}
# Giving a slot back cannot be undone: the page asks to confirm it.
ConfirmedReleaseForm = with_confirmation(ReleaseForm)


@login_required
def application_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications_qs = application_list(user=request.user).order_by("-created_at", "-pk")
    filterset = ApplicationFilter(request.GET, queryset=applications_qs)
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    access_record_list(
        user=request.user,
        objects=shown,
        patient_ids=[a.patient_id for a in shown],
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "applications/application_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": application_rows(user=request.user, applications=shown),
            "query": query.urlencode(),
        },
    )


def _live_allocation(application: Application) -> Allocation | None:
    live = getattr(application, "live_allocations", [])
    return live[0] if live else None


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


def _finder_context(
    request: AuthenticatedHttpRequest, form: ApplicationForm, find: str
) -> dict[str, Any]:
    """The patients matching ``find``, each with what keeps them from applying again.

    The pools are those of the channel chosen on the form, or else of every channel
    the user may apply on.
    """
    matches = _patient_matches(request, find)
    channels = form.channel_choices()
    chosen = request.GET.get("channel", "")
    if chosen.isdigit() and channels.filter(pk=int(chosen)).exists():
        channels = channels.filter(pk=int(chosen))
    holders = pool_holders(
        patient_ids=[p.pk for p in matches],
        pool_ids=set(channels.values_list("pool_id", flat=True)),
    )
    return {
        "find": find,
        "matches": [(patient, holders.get(patient.pk, [])) for patient in matches],
    }


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
    return {name: getattr(patient, name) for name in ApplicationForm.PATIENT_FIELDS}


@login_required
def application_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.channel_choices().exists():
        messages.error(request, _("You cannot apply on any channel."))
        return redirect("application-list")
    find = request.GET.get("find", "").strip()[:64]
    if request.method == "GET" and request.htmx:
        # Only the list of matching patients changes while the officer types.
        return render_page(
            request,
            "applications/application_form.html",
            _finder_context(request, form, find),
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
                    institution=access.sender_institution(request.user, data["channel"]),
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
            # The service names the patient and the file; the form asks for them as
            # the identity document and the document upload.
            form_errors_from(form, error, fields={"patient": "document_number", "file": "document"})
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Application %(number)s created.") % {"number": application.number}
            )
            return redirect("application-detail", pk=application.pk)
    return render(
        request,
        "applications/application_form.html",
        {"form": form, "picked": bool(initial), **_finder_context(request, form, find)},
    )


@login_required
def diagnosis_picker_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The ICD-10 codes matching what the officer types in the diagnosis field.

    Offered to those who may apply on some channel, like the form it serves; it
    shows the classification only, no patient data, so nothing is audited.
    """
    if not Channel.objects.restrict(request.user, quota_access.SEND).exists():
        raise PermissionDenied
    typed = request.GET.get("diagnosis_code", "")[:64]
    return render(
        request,
        "applications/_diagnosis_picker.html",
        {"diagnoses": icd10.search(typed), "chosen_title": icd10.title(typed)},
    )


@login_required
def application_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(
    request: AuthenticatedHttpRequest, pk: int, *, failed: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    """The application's page; ``failed`` is a step's form shown again with its errors."""
    application = get_object_or_404(application_detail_queryset(user=request.user), pk=pk)
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=application,
        patient_id=application.patient_id,
        request=request,
    )
    live = _live_allocation(application)
    allowed, refusals = _offered(request.user, application, live)
    sections = [
        answer
        for _receiver, answer in application_page_sections.send(
            sender=Application, application=application, user=request.user
        )
        if answer
    ]
    action_forms = [(name, ACTIONS[name][0](prefix=name)) for name in allowed if name in ACTIONS]
    can_release = live is not None and access.can(request.user, access.RELEASE, application)
    if can_release and live is not None and live.state not in RELEASABLE_STATES:
        can_release = False
        refusals.append(_("The slot was used by the admission; it cannot be given back."))
    if failed is not None:
        failed_name, failed_form = failed
        if failed_name in dict(action_forms):
            action_forms = [
                (name, failed_form if name == failed_name else form) for name, form in action_forms
            ]
        else:  # the step is no longer offered (the application moved meanwhile)
            messages_from_form(request, failed_form)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "patient": application.patient,
            "allocation": live,
            "waitlist_position": waitlist_position(application),
            "action_forms": action_forms,
            "refusals": refusals,
            "open_question": open_question(application),
            "can_upload": access.can(request.user, "add_document", application),
            "sections": sections,
            "document_form": DocumentForm(prefix="document"),
            "release_form": ConfirmedReleaseForm(prefix="release") if can_release else None,
        },
    )


def _offered(
    user: User, application: Application, live: Allocation | None
) -> tuple[list[str], list[str]]:
    """The steps the page offers (``access.actions``), and why others the user would
    expect are not possible now."""
    allowed = access.actions(user, application)
    refusals: list[str] = []
    if "withdraw" in allowed and live is not None and live.state == AllocationState.USED:
        allowed.remove("withdraw")
        refusals.append(
            _("The patient was admitted on this application's slot; it cannot be withdrawn.")
        )
    return allowed, refusals


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

    # A reviewer working down the queue stays in it; elsewhere the application's page.
    back = request.POST.get("next", "")
    from_queue = back.startswith(reverse("review-queue")) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    form = form_class(request.POST, prefix=action)
    if form_act(
        form, lambda data: service(actor=request.user, application_id=application.pk, **data)
    ):
        messages.success(request, now())
    elif not from_queue:
        # The page again, with what the user typed and the errors at the fields.
        return _detail_page(request, pk, failed=(action, form))
    else:  # the queue's one-click steps carry nothing typed
        messages_from_form(request, form)
    return redirect(back if from_queue else reverse("application-detail", args=[pk]))


@login_required
@require_POST
def application_document_upload_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(application_list(user=request.user), pk=pk)
    form_submit(
        request,
        DocumentForm(request.POST, request.FILES, prefix="document"),
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


REVIEW_WORKLISTS = [
    ("review", gettext_lazy("To review")),
    ("waitlist", gettext_lazy("Waiting list")),
]


# Reviewer actions that need nothing but a click, so a row can offer them as a button
# posting to the application's action URL. The others (request information, reject)
# need a comment or a reason: the row links to the application page for them.
QUICK_ACTIONS = {
    "start_review": gettext_lazy("Take into review"),
    "approve": gettext_lazy("Approve"),
}


class ReviewQueueFilterForm(forms.Form):
    channel = forms.TypedChoiceField(
        label=gettext_lazy("Channel"), required=False, coerce=int, empty_value=None
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        required=False,
        choices=[("", gettext_lazy("Any urgency")), *Urgency.choices],
    )

    def __init__(self, data: QueryDict, *, channels: list[Channel]) -> None:
        super().__init__(data)
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            ("", _("All my channels")),
            *((c.pk, f"{c.pool.code} · {c.issuing_institution}") for c in channels),
        ]


@dataclass(frozen=True)
class QueueRow:
    application: Application
    waiting_days: int
    quick_action: str | None
    quick_action_label: str


def _quick_action(status: str) -> str | None:
    # Read from the one table of transitions, so a button never offers a refused step.
    return next(
        (a for a in APPLICATION_WORKFLOW.actions_from(status, by=REVIEWER) if a in QUICK_ACTIONS),
        None,
    )


def _queue_rows(applications: list[Application]) -> list[QueueRow]:
    now = timezone.now()
    rows = []
    for application in applications:
        since: datetime.datetime = application.waiting_since  # type: ignore[attr-defined]
        action = _quick_action(application.status)
        rows.append(
            QueueRow(
                application=application,
                # Whole days elapsed: "less than a day" until 24 hours have passed.
                waiting_days=(now - since).days,
                quick_action=action,
                quick_action_label=str(QUICK_ACTIONS[action]) if action else "",
            )
        )
    return rows


@login_required
def review_queue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The applications awaiting the user's review, and the waiting lists of their channels."""
    channels = list(reviewable_channel_list(user=request.user))
    worklist = request.GET.get("worklist", "")
    if worklist not in dict(REVIEW_WORKLISTS):
        worklist = "review"
    form = ReviewQueueFilterForm(request.GET, channels=channels)
    # A value that is not offered (a stale bookmark, a channel no longer theirs) is
    # dropped: the page shows the wider list rather than an error.
    form.is_valid()
    channel_id = form.cleaned_data.get("channel")
    urgency = form.cleaned_data.get("urgency")

    context: dict[str, Any] = {
        "channels": channels,
        "form": form,
        "tabs": REVIEW_WORKLISTS,
        "current": worklist,
        "page": None,
        "rows": [],
    }
    if not channels:
        return render_page(request, "applications/review_queue.html", context)

    queue = review_queue(user=request.user)
    waitlist = review_waitlist(user=request.user)
    if channel_id:
        queue = queue.filter(channel_id=channel_id)
        waitlist = waitlist.filter(channel_id=channel_id)
    if urgency:
        # Not the waiting list: positions count the channel's whole list (see
        # review_waitlist), which is in urgency order already.
        queue = queue.filter(urgency=urgency)

    shown = queue if worklist == "review" else waitlist
    page = Paginator(shown, 25).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    access_record_list(
        user=request.user,
        objects=applications,
        patient_ids=[a.patient_id for a in applications],
        request=request,
    )
    counts = {
        "review": page.paginator.count if worklist == "review" else queue.count(),
        "waitlist": page.paginator.count if worklist == "waitlist" else waitlist.count(),
    }
    query = request.GET.copy()
    query.pop("page", None)
    query["worklist"] = worklist
    tab_query = query.copy()
    tab_query.pop("worklist", None)
    context.update(
        {
            "page": page,
            "rows": _queue_rows(applications) if worklist == "review" else [],
            "counts": counts,
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
        }
    )
    return render_page(request, "applications/review_queue.html", context)


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
        ConfirmedReleaseForm(request.POST, prefix="release"),
        lambda data: allocation_services.allocation_release(
            allocation_id=live.pk, actor=request.user, **data
        ),
        lambda: _("The slot went back to the channel."),
    )
    return redirect("application-detail", pk=pk)
