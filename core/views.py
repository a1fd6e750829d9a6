from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from institutions.selectors import membership_list
from quotas.selectors import pool_list

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
