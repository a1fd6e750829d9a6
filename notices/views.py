from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.types import AuthenticatedHttpRequest
from notices.selectors import notice_list
from notices.services import (
    notice_mark_read,
    notices_in_language,
    notices_mark_all_read,
    reader_language,
)


@login_required
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices = notice_list(user=request.user)
    unread_only = request.GET.get("unread", "").lower() in ("1", "true", "yes")
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    page.object_list = notices_in_language(page.object_list, language=reader_language())
    return render(
        request,
        "notices/inbox.html",
        {"page": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def notice_open_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to what it is about."""
    notice = get_object_or_404(notice_list(user=request.user), pk=pk)
    notice_mark_read(user=request.user, notice_id=notice.pk)
    return redirect(notice.link or "inbox")


@login_required
@require_POST
def notice_read_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notice_list(user=request.user), pk=pk)
    notice_mark_read(user=request.user, notice_id=notice.pk)
    if request.htmx:
        # In place: the notice loses its unread mark and the header its count, no reload.
        notice.refresh_from_db()
        notices_in_language([notice], language=reader_language())
        return render(request, "notices/_notice_read.html", {"notice": notice})
    return redirect("inbox")


@login_required
@require_POST
def notices_read_all_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices_mark_all_read(user=request.user)
    return redirect("inbox")
