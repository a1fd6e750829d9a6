"""Who may see agreements, pools and channels, and act on a channel's cases.

- A pool is visible to members of the institutions party to its agreement, of
  its eligible host institutions and of its channels' issuing institutions, and
  to the network coordinators of the body that coordinates its agreement.
- On a channel, *senders* (officers of the issuing institution when it is a
  health authority, or of a ministry of the sending country party to the pool's
  agreement) apply, withdraw and refer; an embassy only reviews on its channel;
  *reviewers* (officers of the issuing institution) review and allocate;
  *managers* (its officers, and administrators) give slots back and move them.
- The cases of a channel (applications, their slots) are visible to its issuing
  institution's members, to officers of the sending country's ministries party
  to the agreement, and to the network coordinators of that agreement.

Administrators see everything and may send on any channel, but review none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from common.access import NOTHING, VIEW, RestrictedQuerySet
from common.types import AnyUser
from institutions.choices import SENDING_KINDS
from institutions.models import Institution
from institutions.selectors import (
    network_institution_ids,
    officer_institution_ids,
    user_institution_ids,
)

if TYPE_CHECKING:  # the models module imports this one
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from quotas.models import Agreement, Channel, QuotaPool  # noqa: F401 (named in the bases)

SEND = "send"
REVIEW = "review"
MANAGE = "manage"


def sending_ministry_ids(pool: QuotaPool) -> set[int]:
    """Party institutions of the pool's agreement that send patients from its country."""
    return set(
        Institution.objects.filter(
            agreements=pool.agreement_id,
            kind__in=SENDING_KINDS,
            country=pool.sending_country,
        ).values_list("pk", flat=True)
    )


def _pool_visibility(user: AnyUser, pools: QuerySet[QuotaPool]) -> Q:
    institutions = user_institution_ids(user)
    # Subqueries rather than joins: a pool reachable by several paths appears once.
    return (
        Q(pk__in=pools.filter(agreement__party_institutions__in=institutions).values("pk"))
        | Q(pk__in=pools.filter(eligible_institutions__in=institutions).values("pk"))
        | Q(pk__in=pools.filter(channels__issuing_institution__in=institutions).values("pk"))
        | Q(agreement__coordinator__in=network_institution_ids(user))
    )


def case_visibility(user: AnyUser, *, channel: str = "channel", pool: str = "pool") -> Q:
    """The cases of channels the user may see, for a model reaching them by these paths."""
    visible = Q(**{f"{channel}__issuing_institution__in": user_institution_ids(user)})
    for ministry_id, country in Institution.objects.filter(
        pk__in=officer_institution_ids(user), kind__in=SENDING_KINDS
    ).values_list("pk", "country"):
        visible |= Q(
            **{
                f"{pool}__sending_country": country,
                f"{pool}__agreement__in": Institution.agreements.through.objects.filter(
                    institution_id=ministry_id
                ).values("agreement_id"),
            }
        )
    networks = network_institution_ids(user)
    if networks:
        visible |= Q(**{f"{pool}__agreement__coordinator__in": networks})
    return visible


class AgreementQuerySet(RestrictedQuerySet["Agreement"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if user.is_superuser:
            return None
        if action != VIEW:
            return NOTHING
        from quotas.models import QuotaPool  # the model module imports this one

        pools = QuotaPool.objects.all()
        return (
            Q(
                pk__in=self.model.objects.filter(
                    party_institutions__in=user_institution_ids(user)
                ).values("pk")
            )
            | Q(coordinator__in=network_institution_ids(user))
            | Q(pk__in=pools.filter(_pool_visibility(user, pools)).values("agreement_id"))
        )


class PoolQuerySet(RestrictedQuerySet["QuotaPool"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if user.is_superuser:
            return None
        if action != VIEW:
            return NOTHING
        return _pool_visibility(user, self.model.objects.all())


class ChannelQuerySet(RestrictedQuerySet["Channel"]):
    def permitted(self, user: User, action: str) -> Q | None:
        if action == VIEW:
            if user.is_superuser:
                return None
            from quotas.models import QuotaPool  # the model module imports this one

            pools = QuotaPool.objects.all()
            return Q(pool__in=pools.filter(_pool_visibility(user, pools)))
        if action == REVIEW:  # administrators review none
            return Q(issuing_institution__in=officer_institution_ids(user))
        if user.is_superuser:
            return None
        mine = officer_institution_ids(user)
        if action == MANAGE:
            return Q(issuing_institution__in=mine)
        if action == SEND:
            ministries = Institution.objects.filter(pk__in=mine, kind__in=SENDING_KINDS)
            # An embassy issues its channel and reviews on it; only health authorities send.
            condition = Q(issuing_institution__in=ministries)
            for ministry_id, country in ministries.values_list("pk", "country"):
                condition |= Q(
                    pk__in=self.model.objects.filter(
                        pool__sending_country=country,
                        pool__agreement__party_institutions=ministry_id,
                    ).values("pk")
                )
            return condition
        return NOTHING


def can(user: AnyUser, action: str, channel: Channel) -> bool:
    """May ``user`` take ``action`` (send, review, manage) on this channel's cases?"""
    if not user.is_authenticated:
        return False
    mine = officer_institution_ids(user)
    if action == REVIEW:
        return channel.issuing_institution_id in mine
    if user.is_superuser:
        return True
    if action == MANAGE:
        return channel.issuing_institution_id in mine
    if action == SEND:
        sending = set(
            Institution.objects.filter(pk__in=mine, kind__in=SENDING_KINDS).values_list(
                "pk", flat=True
            )
        )
        return channel.issuing_institution_id in sending or bool(
            sending & sending_ministry_ids(channel.pool)
        )
    return False
