"""Worklist pages: the reviewer's queue and the clinic's admissions calendar.

Both read through the scoped selectors, record every patient they show in the
audit log, and answer an htmx request with only the part of the page that changes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import access_record_list
from core.htmx import render_page
from core.types import AuthenticatedHttpRequest
from institutions.choices import MembershipRole
from institutions.selectors import user_institution_ids
from quotas.models import Channel

from ..choices import ReferralStatus, Urgency
from ..models import Application, Referral
from ..selectors import (
    admission_calendar,
    clinic_referral_list,
    review_queue,
    review_waitlist,
    reviewable_channel_list,
)
from ..transitions import REVIEWER, actions_from

# --- The review queue ---------------------------------------------------------------

REVIEW_WORKLISTS = [
    ("review", _("To review")),
    ("waitlist", _("Waiting list")),
]

# Reviewer actions that need nothing but a click, so a row can offer them as a button
# posting to the application's action URL. The others (request information, reject)
# need a comment or a reason: the row links to the application page for them.
QUICK_ACTIONS = {
    "start_review": _("Take into review"),
    "approve": _("Approve"),
}


class ReviewQueueFilterForm(forms.Form):
    channel = forms.TypedChoiceField(
        label=_("Channel"), required=False, coerce=int, empty_value=None
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        required=False,
        choices=[("", _("Any urgency")), *Urgency.choices],
    )

    def __init__(self, data: Any, *, channels: list[Channel]) -> None:
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
    return next((a for a in actions_from(status, by=REVIEWER) if a in QUICK_ACTIONS), None)


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
        return render_page(request, "referrals/review_queue.html", context)

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
    return render_page(request, "referrals/review_queue.html", context)


# --- The admissions calendar --------------------------------------------------------

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
