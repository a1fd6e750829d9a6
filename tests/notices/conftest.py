"""Notices are delivered in-process here: eager tasks, e-mail into ``mail.outbox``.

No Celery worker and no broker are needed, except in test_delivery.py (marked
``worker``): it delivers through a real worker and is left alone here.

The world is the KG-TR one, with the people who must *not* hear of things: a
second officer at the embassy and at the ministry (who must), a coordinator of
another clinic, an officer of a ministry party to the agreement but of the host
country, an officer of a Kyrgyz authority not party to it, a network coordinator,
an inactive officer and the outsider.
"""

from __future__ import annotations

from typing import Any

import pytest

from config.celery_app import app as celery_app
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import InstitutionSpecialty
from tests.support.factories import InstitutionFactory, MembershipFactory, SpecialtyFactory
from tests.support.world import member

_UNSET = object()


@pytest.fixture(autouse=True)
def _deliver_in_process(request, settings):
    if request.node.get_closest_marker("worker"):
        # test_delivery.py delivers through a real Celery worker and Redis broker.
        yield
        return
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Celery reads Django's settings through, unless a test of another package
    # pinned its own value on the app (a worker test does): pin ours meanwhile.
    # Only a value pinned on the app counts (``in`` sees just those): ``changes.get``
    # reads the Django setting overridden above, and teardown would pin eager for good.
    pinned = "task_always_eager" in celery_app.conf.changes
    previous = celery_app.conf.task_always_eager if pinned else _UNSET
    celery_app.conf.task_always_eager = True
    yield
    if previous is _UNSET:
        celery_app.conf.changes.pop("task_always_eager", None)
    else:
        celery_app.conf.task_always_eager = previous


@pytest.fixture
def nw(kg_tr_world) -> Any:
    """The KG-TR world with everyone a notice could wrongly reach."""
    w = kg_tr_world
    w.oncology = SpecialtyFactory(code="oncology")
    InstitutionSpecialty.objects.create(institution=w.hospital, specialty=w.oncology)
    w.embassy_officer_2 = member(w.embassy, MembershipRole.EMBASSY_OFFICER, "embassy-officer-2")
    w.ministry_officer_2 = member(w.ministry, MembershipRole.MINISTRY_OFFICER, "ministry-officer-2")
    w.clinic_coordinator_2 = member(
        w.hospital, MembershipRole.CLINIC_COORDINATOR, "clinic-coordinator-2"
    )
    # Another eligible clinic offering oncology.
    w.second = InstitutionFactory(name="Hacettepe University Hospitals", country="TR")
    InstitutionSpecialty.objects.create(institution=w.second, specialty=w.oncology)
    w.pool.eligible_institutions.add(w.second)
    w.second_coordinator = member(
        w.second, MembershipRole.CLINIC_COORDINATOR, "second-clinic-coordinator"
    )
    # A ministry party to the agreement, but of the host country: not a sender.
    w.tr_ministry = InstitutionFactory(
        name="Ministry of Health of Türkiye", kind=InstitutionKind.MINISTRY_OF_HEALTH, country="TR"
    )
    w.agreement.party_institutions.add(w.tr_ministry)
    w.tr_ministry_officer = member(
        w.tr_ministry, MembershipRole.MINISTRY_OFFICER, "tr-ministry-officer"
    )
    # A Kyrgyz authority that is not party to the agreement.
    w.osh = InstitutionFactory(
        name="Osh Regional Health Department",
        kind=InstitutionKind.REGIONAL_HEALTH_AUTHORITY,
        country="KG",
    )
    w.osh_officer = member(w.osh, MembershipRole.MINISTRY_OFFICER, "osh-officer")
    # Someone of the sending ministry and of the clinic, but not in an officer's role.
    w.network_coordinator = member(
        w.ministry, MembershipRole.NETWORK_COORDINATOR, "network-coordinator"
    )
    MembershipFactory(
        user=w.network_coordinator, institution=w.hospital, role=MembershipRole.NETWORK_COORDINATOR
    )
    # An embassy officer who left.
    w.inactive_officer = member(w.embassy, MembershipRole.EMBASSY_OFFICER, "inactive-officer")
    w.inactive_officer.is_active = False
    w.inactive_officer.save(update_fields=["is_active"])
    # Who hears of what (before the actor is taken out).
    w.embassy_officers = {w.embassy_officer, w.embassy_officer_2}
    w.ministry_officers = {w.ministry_officer, w.ministry_officer_2}
    w.clinic = {w.clinic_coordinator, w.clinic_coordinator_2}
    return w
