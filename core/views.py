from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.services import access_record_list
from core.types import AuthenticatedHttpRequest
from institutions.selectors import membership_list
from quotas.selectors import pool_list
from referrals.models import Application, Referral
from referrals.selectors import application_list, referral_list

from .health import broker_state, database_state


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    state = {"database": database_state(), "broker": broker_state()}
    healthy = all(value in ("ok", "in-process") for value in state.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **state}, status=200 if healthy else 503
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each user's own numbers: the pools they work with, and their institutions."""
    memberships = list(membership_list(user=request.user))
    return render(
        request,
        "core/home.html",
        {
            "home_memberships": memberships,
            "pools": pool_list(user=request.user),
        },
    )


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
        "core/search.html",
        {"q": q, "applications": applications, "referrals": referrals},
    )
