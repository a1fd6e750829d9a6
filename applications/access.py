"""Who may see applications, and take each step of their workflow.

Rights follow the channel (``quotas.access``): an application is visible with
its channel's cases; the table's *sender* steps are the channel's senders',
its *reviewer* steps the channel's reviewers'. Giving a slot back is for the
channel's managers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from common.access import NOTHING, VIEW, RestrictedQuerySet
from common.exceptions import PermissionDeniedError
from common.types import AnyUser
from common.workflow import PORTAL
from institutions.choices import SENDING_KINDS
from institutions.models import Institution
from institutions.selectors import officer_institution_ids
from quotas import access as quota_access

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from applications.models import Application
    from quotas.models import Channel

SENDER = "sender"
REVIEWER = "reviewer"
REVIEW = "review"

# The channel right behind each role of the table, in the order actions are offered.
ROLE_RIGHTS = {SENDER: quota_access.SEND, REVIEWER: quota_access.REVIEW}
# Actions outside the table, and the role that takes them.
OTHER_ACTIONS = {"update": SENDER, "add_document": SENDER, "refer": SENDER}
RELEASE = "release"


class ApplicationQuerySet(RestrictedQuerySet["Application"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if action == VIEW:
            return None if user.is_superuser else quota_access.case_visibility(user)
        if action == REVIEW:
            # The reviewer's worklists: every application of the channels the user
            # reviews, the whole waiting list included. Administrators review none.
            return Q(channel__issuing_institution__in=officer_institution_ids(user))
        return NOTHING


def _role(action: str) -> str:
    from applications.workflow import APPLICATION_WORKFLOW  # it imports the model, which imports us

    if action in OTHER_ACTIONS:
        return OTHER_ACTIONS[action]
    return APPLICATION_WORKFLOW[action].by


def can(user: AnyUser, action: str, obj: Any) -> bool:  # noqa: ANN401 (or a Channel: see below)
    """May ``user`` take ``action`` on the application ``obj``?

    ``create`` asks about a channel instead. The state is not looked at: the
    workflow refuses an action the table does not allow from the current state.
    """
    if action == RELEASE:
        return quota_access.can(user, quota_access.MANAGE, obj.channel)
    role = _role(action)
    if role == PORTAL:
        return False
    channel = obj if action == "create" else obj.channel
    return quota_access.can(user, ROLE_RIGHTS[role], channel)


def actions(user: AnyUser, application: Application) -> list[str]:
    """The steps the user may take now: what pages offer and the API lists."""
    from applications.workflow import APPLICATION_WORKFLOW

    offered: list[str] = []
    for role, right in ROLE_RIGHTS.items():
        if quota_access.can(user, right, application.channel):
            offered += [
                a
                for a in APPLICATION_WORKFLOW.actions_from(application.status, by=role)
                if a != "create"
            ]
    return offered


def authorise(user: AnyUser, action: str, obj: Any) -> None:  # noqa: ANN401 (as for can)
    """Refuse ``action`` with the role's reason unless ``can`` allows it."""
    if can(user, action, obj):
        return
    if action == RELEASE:
        raise PermissionDeniedError(_("Only officers of the channel can release its slots."))
    if action == "create":
        raise PermissionDeniedError(
            _("Only officers of the channel or of the sending ministry can apply on it.")
        )
    if _role(action) == REVIEWER:
        raise PermissionDeniedError(
            _("Only officers of the institution issuing the channel review its applications.")
        )
    raise PermissionDeniedError(
        _("Only officers of the channel or of the sending ministry can do this.")
    )


def sender_institution(user: AnyUser, channel: Channel) -> Institution:
    """The institution in whose name the user sends on this channel."""
    mine = officer_institution_ids(user)
    if channel.issuing_institution_id in mine and channel.issuing_institution.kind in SENDING_KINDS:
        return channel.issuing_institution
    candidates = mine & quota_access.sending_ministry_ids(channel.pool)
    if candidates:
        return Institution.objects.get(pk=min(candidates))
    return channel.issuing_institution  # administrators act on the channel's behalf
