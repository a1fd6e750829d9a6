"""The one way a stateful object changes state.

Each stateful model declares one ``Workflow``: its state field, its history
model and one table of ``Transition`` rows (action, source states, target
states, who takes it). ``Workflow.move`` is the only code that assigns the
state field. It runs inside the caller's transaction, on a row the caller has
locked, and in one call:

1. checks the table: the action exists, the object is in one of its sources,
   and the target is one of its targets;
2. assigns the state (and the time of the change) and saves the named fields;
3. writes the history row (from, to, actor, reason, comment, at);
4. hands the move to the workflow's notice writer, which stores the notices in
   the same transaction (they are e-mailed after commit).

``Workflow.move_many`` does the same set-based, for sweeps: one UPDATE, one
bulk INSERT of history rows, one call of the notice writer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from common.exceptions import DomainError
from common.models import StateHistory

if TYPE_CHECKING:
    from django.contrib.auth.models import User

M = TypeVar("M", bound=models.Model)

# ``by`` of a transition no person takes: the portal does, as the consequence of
# another action (a slot given back, a deadline passed).
PORTAL = "portal"
# The source state of an object not yet created: a table's creating action.
NEW = ""


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table."""

    action: str
    sources: frozenset[str]
    targets: frozenset[str]
    by: str
    # The action done, for refusals: "approved" in "... cannot be approved."
    label: str | Promise

    @property
    def target(self) -> str:
        """The one target of a transition that has one."""
        if len(self.targets) != 1:
            raise ValueError(f"{self.action} leads to {sorted(self.targets)}: name the target")
        return next(iter(self.targets))


@dataclass(frozen=True)
class Move(Generic[M]):
    """One object moved, with its history row; what the notice writer is given."""

    obj: M
    action: str
    history: StateHistory
    actor: User | None
    # True for a set-based move (a sweep, or the consequence of a slot ending).
    in_bulk: bool = False


NoticeWriter = Callable[[Sequence[Move[Any]]], None]


@dataclass
class Workflow(Generic[M]):
    """A stateful model's table of transitions and the mechanism that applies it."""

    model: type[M]
    history: type[StateHistory]
    # The history model's foreign key to ``model``.
    history_fk: str
    transitions: Sequence[Transition]
    # Refusal, formatted with ``state`` or ``status`` (the label of the current
    # state) and ``action`` (the transition's label).
    refusal: str | Promise
    state_field: str = "status"
    changed_at_field: str = "status_changed_at"
    # Extra fields to set on entering a state: ``(obj, to_state, reason, now) -> names``.
    on_enter: Callable[[M, str, str, datetime.datetime], Iterable[str]] | None = None
    _table: dict[str, Transition] = field(init=False, repr=False)
    _notice_writers: list[NoticeWriter] = field(init=False, repr=False, default_factory=list)

    def __post_init__(self) -> None:
        self._table = {t.action: t for t in self.transitions}
        if len(self._table) != len(self.transitions):
            raise ValueError(f"{self.model.__name__}: an action appears twice in its table")

    # --- The table ---------------------------------------------------------------

    def __getitem__(self, action: str) -> Transition:
        return self._table[action]

    def __iter__(self) -> Iterator[Transition]:
        return iter(self._table.values())

    @property
    def states(self) -> type[models.TextChoices]:
        return self.history.states

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.state_field))

    def check(self, state: str, action: str) -> Transition:
        """The transition for ``action`` from ``state``; a refusal with a clear code otherwise."""
        transition = self._table[action]
        if state not in transition.sources:
            label = self._state_label(state)
            raise DomainError(
                # Refusals name the current state as "state" or as "status".
                str(self.refusal) % {"state": label, "status": label, "action": transition.label},
                code="invalid_transition",
            )
        return transition

    def actions_from(self, state: str, *, by: str) -> list[str]:
        """The actions of role ``by`` that the table allows from ``state``, in table order."""
        return [t.action for t in self._table.values() if state in t.sources and t.by == by]

    def sources_of(self, action: str) -> frozenset[str]:
        return self._table[action].sources

    def _state_label(self, state: str) -> str:
        states = self.states
        return str(states(state).label) if state in states.values else state

    def _target(self, transition: Transition, to: str | None) -> str:
        target = transition.target if to is None else to
        if target not in transition.targets:
            raise ValueError(f"{transition.action} cannot lead to {target}")
        return target

    # --- Moving ------------------------------------------------------------------

    def notify_with(self, writer: NoticeWriter) -> None:
        """Register the function that writes this workflow's notices (from AppConfig.ready)."""
        if writer not in self._notice_writers:
            self._notice_writers.append(writer)

    def _notify(self, moves: Sequence[Move[M]]) -> None:
        if not moves:
            return
        for writer in self._notice_writers:
            writer(moves)

    def move(
        self,
        obj: M,
        *,
        action: str,
        actor: User | None,
        to: str | None = None,
        reason: str = "",
        comment: str = "",
        fields: Iterable[str] = (),
        now: datetime.datetime | None = None,
    ) -> StateHistory:
        """Move ``obj`` (locked by the caller) by ``action``; save it with ``fields``.

        An object not yet in the database (or not yet started) is moved from ``NEW``
        by the table's creating action and inserted whole.
        """
        now = now or timezone.now()
        current = self.state_of(obj) if obj.pk is not None and action not in self._creating else NEW
        transition = self.check(current, action)
        target = self._target(transition, to)
        setattr(obj, self.state_field, target)
        setattr(obj, self.changed_at_field, now)
        extra = list(self.on_enter(obj, target, reason, now)) if self.on_enter else []
        if obj.pk is None:
            obj.save()
        else:
            obj.save(update_fields=[self.state_field, self.changed_at_field, *fields, *extra])
        history = self.history(
            **{self.history_fk: obj},
            from_state=current,
            to_state=target,
            reason=reason,
            comment=comment,
            actor=actor,
        )
        history.save()
        self._notify([Move(obj, action, history, actor)])
        return history

    def move_many(
        self,
        objects: Sequence[M],
        *,
        action: str,
        to: str | None = None,
        actor: User | None = None,
        reason: str = "",
        comment: str = "",
        now: datetime.datetime | None = None,
        also: Mapping[str, Any] | None = None,
    ) -> list[Move[M]]:
        """Move the (locked) objects that the table allows, set-based; the others stay.

        One UPDATE and one INSERT of history rows whatever the number of objects.
        """
        now = now or timezone.now()
        transition = self._table[action]
        target = self._target(transition, to)
        movable = [o for o in objects if self.state_of(o) in transition.sources]
        if not movable:
            return []
        self.model._default_manager.filter(pk__in=[o.pk for o in movable]).update(
            **{self.state_field: target, self.changed_at_field: now, **(also or {})}
        )
        histories = [
            self.history(
                **{self.history_fk: o},
                from_state=self.state_of(o),
                to_state=target,
                reason=reason,
                comment=comment,
                actor=actor,
            )
            for o in movable
        ]
        self.history._default_manager.bulk_create(histories)
        moves = []
        for obj, history in zip(movable, histories, strict=True):
            setattr(obj, self.state_field, target)
            setattr(obj, self.changed_at_field, now)
            for name, value in (also or {}).items():
                setattr(obj, name, value)
            moves.append(Move(obj, action, history, actor, in_bulk=True))
        self._notify(moves)
        return moves

    @property
    def _creating(self) -> frozenset[str]:
        return frozenset(t.action for t in self._table.values() if NEW in t.sources)
