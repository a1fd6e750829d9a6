"""Pages of the agreements and their quota pools, scoped to what the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from core.types import AuthenticatedHttpRequest

from .filters import AgreementFilter
from .selectors import (
    agreement_list,
    agreement_pools,
    network_coordinators,
    network_members,
    network_pools,
)

PAGE_SIZE = 25


@login_required
def agreement_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = AgreementFilter(request.GET, queryset=agreement_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quotas/agreement_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def agreement_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Fetched through the scoped list: an agreement the user may not see does not exist.
    agreement = get_object_or_404(agreement_list(user=request.user), pk=pk)
    return render(
        request,
        "quotas/agreement_detail.html",
        {
            "agreement": agreement,
            "pools": agreement_pools(agreement=agreement, user=request.user),
        },
    )


@login_required
def network_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A network coordinator's view of the network: its members, agreements and pools' use."""
    coordinators = network_coordinators(user=request.user)
    members = Paginator(network_members(coordinators=coordinators), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "quotas/network.html",
        {
            "coordinators": list(coordinators),
            "agreements": agreement_list(user=request.user).filter(coordinator__in=coordinators),
            "pools": network_pools(coordinators=coordinators),
            "page": members,
            "query": "",
        },
    )
