from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from applications.progress import application_rows
from applications.selectors import review_queue
from audit.models import AccessAction
from audit.services import access_record, access_record_list
from common.types import AuthenticatedHttpRequest
from dashboard.search import patient_record, search_results
from dashboard.selectors import clinic_next_steps, clinic_worklist_counts, dashboard_context
from institutions.choices import MembershipRole
from institutions.selectors import membership_list
from patients.selectors import patient_list

# Roles whose day is about slots: they get the pool dashboard on their main page.
POOL_ROLES = frozenset(
    {
        MembershipRole.MINISTRY_OFFICER,
        MembershipRole.EMBASSY_OFFICER,
        MembershipRole.NETWORK_COORDINATOR,
    }
)


REVIEWER_ROLES = frozenset({MembershipRole.MINISTRY_OFFICER, MembershipRole.EMBASSY_OFFICER})


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's main page: the pool dashboard for officers, the worklists for clinics."""
    user = request.user
    memberships = list(membership_list(user=user))
    roles = {m.role for m in memberships}
    context: dict[str, Any] = {"home_memberships": memberships}
    if roles & POOL_ROLES or user.is_superuser:
        context.update(dashboard_context(user=user))
        shown = [
            *(a.application for a in context["deadlines"]),
            *context["application_questions"],
            *context["referral_questions"],
        ]
        access_record_list(
            user=user, objects=shown, patient_ids=[o.patient_id for o in shown], request=request
        )
    if roles & REVIEWER_ROLES:
        context["review_count"] = review_queue(user=user).count()
    if MembershipRole.CLINIC_COORDINATOR in roles:
        context["clinic_counts"] = clinic_worklist_counts(user=user)
        context["clinic"] = next_steps = clinic_next_steps(user=user)
        shown = next_steps["incoming"] + next_steps["arriving"]
        access_record_list(
            user=user, objects=shown, patient_ids=[r.patient_id for r in shown], request=request
        )
    return render(request, "dashboard/home.html", context)


SEARCH_LIMIT = 20


@login_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find an application or referral by its number, or a patient by name or document.

    Only among what the user may see: a person the user may not see is "nothing
    found", as for one who does not exist. For numbers an exact match (ignoring
    case) wins; otherwise numbers containing the text. One match opens its page.
    """
    q = request.GET.get("q", "").strip()[:48]
    found = search_results(user=request.user, q=q, limit=SEARCH_LIMIT)
    if found.count == 1:
        return redirect(found.only_url())
    access_record_list(
        user=request.user,
        objects=[*found.applications, *found.referrals, *found.patients],
        patient_ids=[a.patient_id for a in found.applications]
        + [r.patient_id for r in found.referrals]
        + [p.pk for p in found.patients],
        request=request,
    )
    return render(
        request,
        "dashboard/search.html",
        {
            "q": q,
            "found": found,
            "applications": found.applications,
            "referrals": found.referrals,
            "patients": found.patients,
        },
    )


@login_required
def patient_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One patient's applications and referrals across pools and years, as far as the user sees."""
    patient = get_object_or_404(patient_list(user=request.user), pk=pk)
    access_record(
        user=request.user,
        action=AccessAction.VIEW,
        obj=patient,
        patient_id=patient.pk,
        request=request,
    )
    record = patient_record(user=request.user, patient=patient)
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "rows": application_rows(user=request.user, applications=record.applications),
            "referrals": record.referrals,
        },
    )


@require_GET
def favicon(_request: HttpRequest) -> HttpResponse:
    """The icon at the address clients ask for by habit; pages link the static files."""
    return redirect(static("favicon.ico"), permanent=True)
