"""Reads about institutions and about whom a user acts for."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from common.types import AnyUser
from institutions.choices import MembershipRole
from institutions.models import Accreditation, Institution, InstitutionSpecialty, Membership

OFFICER_ROLES = (MembershipRole.MINISTRY_OFFICER, MembershipRole.EMBASSY_OFFICER)


def officer_institution_ids(user: AnyUser) -> frozenset[int]:
    return user_institution_ids(user, roles=OFFICER_ROLES)


def user_institution_ids(user: AnyUser, *, roles: Iterable[str] | None = None) -> frozenset[int]:
    """Ids of the institutions the user acts for, optionally in the given roles.

    Cached on the user object: one query per request whatever the number of calls.
    """
    wanted = set(roles) if roles is not None else None
    return frozenset(
        i for i, role, _country in _memberships(user) if wanted is None or role in wanted
    )


def user_country_codes(user: AnyUser) -> list[str]:
    """The countries of the institutions the user acts for, from the same cached query."""
    return sorted({country for _id, _role, country in _memberships(user)})


def _memberships(user: AnyUser) -> list[tuple[int, str, str]]:
    """(institution id, role, institution country) of each membership, cached on the user."""
    if not user.is_authenticated:
        return []
    cache: list[tuple[int, str, str]] | None = getattr(user, "member_idship_cache", None)
    if cache is None:
        cache = list(
            Membership.objects.filter(user_id=user.pk).values_list(
                "institution_id", "role", "institution__country"
            )
        )
        setattr(user, "member_idship_cache", cache)  # noqa: B010
    return cache


def user_sees_everything(user: AnyUser) -> bool:
    """Portal administrators read all records."""
    return bool(user.is_authenticated and user.is_superuser)


def network_institution_ids(user: AnyUser) -> frozenset[int]:
    return user_institution_ids(user, roles=[MembershipRole.NETWORK_COORDINATOR])


def membership_list(*, user: AnyUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("institution")


def institution_list() -> QuerySet[Institution]:
    """The directory: every active institution with what it offers and holds."""
    return (
        Institution.objects.filter(is_active=True)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "offered_specialties",
                queryset=InstitutionSpecialty.objects.select_related("specialty"),
            ),
            Prefetch("accreditations", queryset=Accreditation.objects.order_by("kind")),
        )
    )


def member_ids(institution_ids: Iterable[int], roles: Iterable[str]) -> set[int]:
    return set(
        Membership.objects.filter(
            institution_id__in=list(institution_ids), role__in=list(roles), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def clinic_coordinators(institution_id: int) -> set[int]:
    return member_ids([institution_id], [MembershipRole.CLINIC_COORDINATOR])
