"""The shape of "who may see or do what", in NetBox's manner.

Each stateful or private model's manager is a ``RestrictedQuerySet`` declared in
its app's ``access.py``: ``Model.objects.restrict(user, action)`` is every
object the user may take ``action`` on, and the same module's
``can(user, action, obj)`` answers for one object. Views, serializers, forms,
selectors and services ask only these, so the actions a page offers and the
check that refuses them are one rule.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q

from common.types import AnyUser

VIEW = "view"

M = TypeVar("M", bound=models.Model)


class RestrictedQuerySet(models.QuerySet[M]):
    """A queryset that can be narrowed to what one user may do."""

    def restrict(self, user: AnyUser, action: str = VIEW) -> RestrictedQuerySet[M]:
        if not user.is_authenticated:
            return self.none()
        condition = self.permitted(user, action)
        if condition is None:  # no restriction: the user may act on every object
            return self
        return self.filter(condition)

    def permitted(self, user: User, action: str) -> Q | None:
        """The condition on the rows ``user`` may ``action``; None for all rows.

        ``user`` is signed in. Answer ``Q(pk__in=[])`` for none.
        """
        raise NotImplementedError


NOTHING = Q(pk__in=[])
