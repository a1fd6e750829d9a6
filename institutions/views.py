"""Pages of the institution directory: reference data for every signed-in user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from common.types import AuthenticatedHttpRequest
from institutions.filters import InstitutionFilter
from institutions.selectors import institution_list

PAGE_SIZE = 25


@login_required
def institution_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = InstitutionFilter(request.GET, queryset=institution_list())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "institutions/institution_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@login_required
def institution_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    institution = get_object_or_404(institution_list(), pk=pk)
    return render(request, "institutions/institution_detail.html", {"institution": institution})
