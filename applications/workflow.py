"""The application's table: from a draft to a held slot, or a refusal.

*Senders* (officers of the channel, or of the sending ministry) create, submit,
answer and withdraw; *reviewers* (officers of the channel's issuing
institution) take into review, ask for information, approve and reject. The
portal promotes from the waiting list and lapses an approval whose slot ended.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from applications.access import REVIEWER, SENDER
from applications.choices import ApplicationStatus as S
from applications.models import Application, ApplicationEvent
from common.workflow import NEW, PORTAL, Transition, Workflow

OPEN_STATUSES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.WAITLISTED, S.APPROVED, S.LAPSED}
)


def _on_enter(application: Application, to: str, reason: str, now: datetime.datetime) -> list[str]:
    # The latest step's reason (or none) is shown with the status; the waiting
    # list is served in the order applications joined it.
    application.decision_reason = reason
    if to == S.WAITLISTED:
        application.waitlisted_at = now
        return ["decision_reason", "waitlisted_at"]
    return ["decision_reason"]


APPLICATION_WORKFLOW = Workflow(
    model=Application,
    history=ApplicationEvent,
    history_fk="application",
    refusal=_("An application that is %(status)s cannot be %(action)s."),
    on_enter=_on_enter,
    transitions=(
        Transition("create", frozenset({NEW}), frozenset({S.DRAFT}), SENDER, _("created")),
        Transition(
            "submit", frozenset({S.DRAFT}), frozenset({S.SUBMITTED}), SENDER, _("submitted")
        ),
        # The sender answers a request for information; review resumes.
        Transition(
            "answer", frozenset({S.NEEDS_INFO}), frozenset({S.IN_REVIEW}), SENDER, _("answered")
        ),
        Transition(
            "start_review",
            frozenset({S.SUBMITTED, S.LAPSED}),
            frozenset({S.IN_REVIEW}),
            REVIEWER,
            _("taken into review"),
        ),
        Transition(
            "request_info",
            frozenset({S.IN_REVIEW}),
            frozenset({S.NEEDS_INFO}),
            REVIEWER,
            _("sent back for information"),
        ),
        Transition(
            "approve",
            frozenset({S.IN_REVIEW}),
            frozenset({S.APPROVED, S.WAITLISTED}),
            REVIEWER,
            _("approved"),
        ),
        Transition(
            "reject",
            frozenset({S.IN_REVIEW, S.WAITLISTED}),
            frozenset({S.REJECTED}),
            REVIEWER,
            _("rejected"),
        ),
        Transition("withdraw", OPEN_STATUSES, frozenset({S.WITHDRAWN}), SENDER, _("withdrawn")),
        Transition(
            "promote",
            frozenset({S.WAITLISTED}),
            frozenset({S.APPROVED}),
            PORTAL,
            _("promoted from the waiting list"),
        ),
        Transition("lapse", frozenset({S.APPROVED}), frozenset({S.LAPSED}), PORTAL, _("lapsed")),
    ),
)
