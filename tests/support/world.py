"""Helpers for building the people of a test world."""

from tests.support.factories import MembershipFactory, UserFactory


def member(institution, role: str, username: str | None = None):
    kwargs = {"username": username} if username else {}
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, institution=institution, role=role)
    return user
