"""The referral's table: a patient sent to a clinic, and the loop closed back.

The *clinic* (coordinators of the receiving institution) accepts, declines,
asks for information, moves an accepted admission to a new date, admits,
discharges or records a no-show; the *sender*
(the referring side) answers and cancels. The portal closes the referrals
still open on a slot that ended: those not yet accepted are cancelled, an
accepted one is cancelled, or a no-show if the slot expired without an admission.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.workflow import NEW, PORTAL, Transition, Workflow
from referrals.access import CLINIC, SENDER
from referrals.choices import ReferralStatus as R
from referrals.models import Referral, ReferralEvent

REFERRAL_WORKFLOW = Workflow(
    model=Referral,
    history=ReferralEvent,
    history_fk="referral",
    refusal=_("A referral that is %(status)s cannot be %(action)s."),
    transitions=(
        Transition("send", frozenset({NEW}), frozenset({R.SENT}), SENDER, _("sent")),
        Transition("accept", frozenset({R.SENT}), frozenset({R.ACCEPTED}), CLINIC, _("accepted")),
        Transition("decline", frozenset({R.SENT}), frozenset({R.DECLINED}), CLINIC, _("declined")),
        Transition(
            "request_info",
            frozenset({R.SENT}),
            frozenset({R.INFO_REQUESTED}),
            CLINIC,
            _("asked for information"),
        ),
        Transition(
            "answer", frozenset({R.INFO_REQUESTED}), frozenset({R.SENT}), SENDER, _("answered")
        ),
        # A new admission date for an accepted patient; the slot is held to match.
        Transition(
            "reschedule",
            frozenset({R.ACCEPTED}),
            frozenset({R.ACCEPTED}),
            CLINIC,
            _("rescheduled"),
        ),
        Transition(
            "admit", frozenset({R.ACCEPTED}), frozenset({R.ADMITTED}), CLINIC, _("admitted")
        ),
        Transition(
            "discharge", frozenset({R.ADMITTED}), frozenset({R.DISCHARGED}), CLINIC, _("discharged")
        ),
        Transition(
            "no_show",
            frozenset({R.ACCEPTED}),
            frozenset({R.NO_SHOW}),
            CLINIC,
            _("marked as not arrived"),
        ),
        Transition(
            "cancel",
            frozenset({R.SENT, R.INFO_REQUESTED, R.ACCEPTED}),
            frozenset({R.CANCELLED}),
            SENDER,
            _("cancelled"),
        ),
        # The slot ended under a referral the clinic had not yet accepted.
        Transition(
            "lapse",
            frozenset({R.SENT, R.INFO_REQUESTED}),
            frozenset({R.CANCELLED}),
            PORTAL,
            _("cancelled"),
        ),
        # The slot ended under an accepted referral: released, or expired unused.
        Transition(
            "lapse_accepted",
            frozenset({R.ACCEPTED}),
            frozenset({R.CANCELLED, R.NO_SHOW}),
            PORTAL,
            _("cancelled"),
        ),
    ),
)
