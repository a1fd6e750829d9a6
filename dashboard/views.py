from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from applications.models import Application
from applications.selectors import application_list, review_queue
from audit.services import access_record_list
from common.types import AuthenticatedHttpRequest
from dashboard.selectors import clinic_next_steps, clinic_worklist_counts, dashboard_context
from institutions.choices import MembershipRole
from institutions.selectors import membership_list
from referrals.models import Referral
from referrals.selectors import referral_list

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
        deadlines = context["deadlines"]
        access_record_list(
            user=user,
            objects=[a.application for a in deadlines],
            patient_ids=[a.application.patient_id for a in deadlines],
            request=request,
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
    """Find an application or referral by its number, among those the user may see.

    An exact match (ignoring case) wins; otherwise numbers containing the text.
    One match opens its page straight away.
    """
    q = request.GET.get("q", "").strip()[:48]
    applications: list[Application] = []
    referrals: list[Referral] = []
    if q:
        for lookup in ("number__iexact", "number__icontains"):
            applications = list(
                application_list(user=request.user)
                .filter(**{lookup: q})
                .order_by("number")[:SEARCH_LIMIT]
            )
            referrals = list(
                referral_list(user=request.user)
                .filter(**{lookup: q})
                .order_by("number")[: SEARCH_LIMIT - len(applications)]
            )
            if applications or referrals:
                break
    if len(applications) + len(referrals) == 1:
        if applications:
            return redirect(reverse("application-detail", args=[applications[0].pk]))
        return redirect(reverse("referral-detail", args=[referrals[0].pk]))
    access_record_list(
        user=request.user,
        objects=[*applications, *referrals],
        patient_ids=[a.patient_id for a in applications] + [r.patient_id for r in referrals],
        request=request,
    )
    return render(
        request,
        "dashboard/search.html",
        {"q": q, "applications": applications, "referrals": referrals},
    )
