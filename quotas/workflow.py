"""The agreement's table: entered as it stands, then in force, expired or terminated.

An agreement is often entered after it was signed, so its first step may put
it in any status; later steps follow its life. Pools and channels have no
states: their writes are recorded as revisions and channel changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.workflow import NEW, Transition, Workflow
from quotas.choices import AgreementStatus as A
from quotas.models import Agreement, AgreementEvent

# Reference-data editors: staff with the agreement permissions (``ModelPermissionsOrReadOnly``).
EDITOR = "editor"

AGREEMENT_WORKFLOW = Workflow(
    model=Agreement,
    history=AgreementEvent,
    history_fk="agreement",
    refusal=_("An agreement that is %(status)s cannot be %(action)s."),
    transitions=(
        Transition(
            "enter",
            frozenset({NEW}),
            frozenset({A.DRAFT, A.ACTIVE, A.EXPIRED, A.TERMINATED}),
            EDITOR,
            _("entered"),
        ),
        Transition(
            "activate", frozenset({A.DRAFT}), frozenset({A.ACTIVE}), EDITOR, _("put in force")
        ),
        Transition("expire", frozenset({A.ACTIVE}), frozenset({A.EXPIRED}), EDITOR, _("expired")),
        Transition(
            "terminate",
            frozenset({A.DRAFT, A.ACTIVE}),
            frozenset({A.TERMINATED}),
            EDITOR,
            _("terminated"),
        ),
        Transition("renew", frozenset({A.EXPIRED}), frozenset({A.ACTIVE}), EDITOR, _("renewed")),
    ),
)


def agreement_step(current: str, wanted: str) -> str | None:
    """The table's step that leads from ``current`` to ``wanted``, if there is one."""
    for transition in AGREEMENT_WORKFLOW:
        if (
            NEW not in transition.sources
            and current in transition.sources
            and wanted in transition.targets
        ):
            return transition.action
    return None
