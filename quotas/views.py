"""Pages of the agreements and their quota pools, scoped to what the user may see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from common.exceptions import DomainError
from common.forms import form_errors_from
from common.types import AuthenticatedHttpRequest
from quotas import access as quota_access
from quotas import services
from quotas.filters import AgreementFilter
from quotas.forms import TransferForm
from quotas.selectors import (
    agreement_list,
    agreement_pools,
    channel_list,
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


@login_required
def channel_transfer_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(
        channel_list(user=request.user).select_related("pool", "issuing_institution"), pk=pk
    )
    if not quota_access.can(request.user, quota_access.MANAGE, source):
        raise Http404
    form = TransferForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_transfer(
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
    return render(request, "quotas/channel_transfer.html", {"form": form, "source": source})
