"""Model shapes every app shares: one history row per change, on the record."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest comment a person may write with a step (a reason, a question, an
# answer): a few paragraphs. Forms and the API refuse more; apps back it with a
# check constraint on their history table.
COMMENT_MAX_LENGTH = 2000


class History(models.Model):
    """Who changed something, when, and why. The concrete model says what changed."""

    reason = models.CharField(_("reason"), max_length=64, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the portal itself acted, e.g. a waitlist promotion."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class StateHistory(History):
    """One step of a workflow: from which state to which. Written by ``common.workflow`` only."""

    # The concrete model's state choices, for the labels shown in the history table.
    states: ClassVar[type[models.TextChoices]]

    from_state = models.CharField(_("from"), max_length=16, blank=True)
    to_state = models.CharField(_("to"), max_length=16)

    class Meta(History.Meta):
        abstract = True

    def __str__(self) -> str:
        return f"{self.from_state or '·'} → {self.to_state}"

    def _label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    @property
    def from_label(self) -> str:
        return self._label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)
