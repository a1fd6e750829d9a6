"""The one table of allowed application transitions.

Each action names the states it may start from, the state it leads to, and who
may take it. Anything not in this table is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import DomainError

from .choices import ApplicationStatus as S
from .choices import ReferralStatus as R

SENDER = "sender"
REVIEWER = "reviewer"
PORTAL = "portal"  # the portal itself: waitlist promotion, slot expiry

OPEN_STATUSES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.WAITLISTED, S.APPROVED, S.LAPSED}
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    targets: frozenset[str]
    by: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", frozenset({S.DRAFT}), frozenset({S.SUBMITTED}), SENDER),
        # The sender answers a request for information; review resumes.
        Transition("answer", frozenset({S.NEEDS_INFO}), frozenset({S.IN_REVIEW}), SENDER),
        Transition(
            "start_review", frozenset({S.SUBMITTED, S.LAPSED}), frozenset({S.IN_REVIEW}), REVIEWER
        ),
        Transition("request_info", frozenset({S.IN_REVIEW}), frozenset({S.NEEDS_INFO}), REVIEWER),
        Transition(
            "approve", frozenset({S.IN_REVIEW}), frozenset({S.APPROVED, S.WAITLISTED}), REVIEWER
        ),
        Transition(
            "reject", frozenset({S.IN_REVIEW, S.WAITLISTED}), frozenset({S.REJECTED}), REVIEWER
        ),
        Transition("withdraw", OPEN_STATUSES, frozenset({S.WITHDRAWN}), SENDER),
        Transition("promote", frozenset({S.WAITLISTED}), frozenset({S.APPROVED}), PORTAL),
        Transition("lapse", frozenset({S.APPROVED}), frozenset({S.LAPSED}), PORTAL),
    )
}


def transition_check(*, action: str, status: str) -> Transition:
    """The transition for ``action`` from ``status``; a refusal with a clear code otherwise."""
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise DomainError(
            _("An application that is %(status)s cannot be %(action)s.")
            % {"status": S(status).label, "action": ACTION_LABELS[action]},
            code="invalid_transition",
        )
    return transition


def actions_from(status: str, *, by: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if status in t.sources and t.by == by]


ACTION_LABELS = {
    "submit": gettext_lazy("submitted"),
    "answer": gettext_lazy("answered"),
    "start_review": gettext_lazy("taken into review"),
    "request_info": gettext_lazy("sent back for information"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "withdraw": gettext_lazy("withdrawn"),
    "promote": gettext_lazy("promoted from the waiting list"),
    "lapse": gettext_lazy("lapsed"),
}


# --- Referrals -------------------------------------------------------------------

CLINIC = "clinic"

REFERRAL_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("accept", frozenset({R.SENT}), frozenset({R.ACCEPTED}), CLINIC),
        Transition("decline", frozenset({R.SENT}), frozenset({R.DECLINED}), CLINIC),
        Transition("request_info", frozenset({R.SENT}), frozenset({R.INFO_REQUESTED}), CLINIC),
        Transition("answer", frozenset({R.INFO_REQUESTED}), frozenset({R.SENT}), SENDER),
        Transition("admit", frozenset({R.ACCEPTED}), frozenset({R.ADMITTED}), CLINIC),
        Transition("discharge", frozenset({R.ADMITTED}), frozenset({R.DISCHARGED}), CLINIC),
        Transition("no_show", frozenset({R.ACCEPTED}), frozenset({R.NO_SHOW}), CLINIC),
        Transition(
            "cancel",
            frozenset({R.SENT, R.INFO_REQUESTED, R.ACCEPTED}),
            frozenset({R.CANCELLED}),
            SENDER,
        ),
    )
}

REFERRAL_ACTION_LABELS = {
    "accept": gettext_lazy("accepted"),
    "decline": gettext_lazy("declined"),
    "request_info": gettext_lazy("asked for information"),
    "answer": gettext_lazy("answered"),
    "admit": gettext_lazy("admitted"),
    "discharge": gettext_lazy("discharged"),
    "no_show": gettext_lazy("marked as not arrived"),
    "cancel": gettext_lazy("cancelled"),
}


def referral_transition_check(*, action: str, status: str) -> Transition:
    transition = REFERRAL_TRANSITIONS[action]
    if status not in transition.sources:
        raise DomainError(
            _("A referral that is %(status)s cannot be %(action)s.")
            % {"status": R(status).label, "action": REFERRAL_ACTION_LABELS[action]},
            code="invalid_transition",
        )
    return transition


def referral_actions_from(status: str, *, by: str) -> list[str]:
    return [t.action for t in REFERRAL_TRANSITIONS.values() if status in t.sources and t.by == by]
