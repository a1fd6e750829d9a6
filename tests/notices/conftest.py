"""Notices are delivered in-process here: eager tasks, e-mail into ``mail.outbox``.

No Celery worker and no broker are needed. The world is the KG-TR one, with the
people who must *not* hear of things: a second officer at the embassy and at the
ministry (who must), a coordinator of another clinic, an officer of a ministry
party to the agreement but of the host country, an officer of a Kyrgyz authority
not party to it, a network coordinator, an inactive officer and the outsider.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max

from config.celery_app import app as celery_app
from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import InstitutionSpecialty
from notices.models import Notice
from tests.conftest import member
from tests.factories import InstitutionFactory, MembershipFactory, SpecialtyFactory

_UNSET = object()


@pytest.fixture(autouse=True)
def _deliver_in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Celery reads Django's settings through, unless a test of another package
    # pinned its own value on the app (a worker test does): pin ours meanwhile.
    previous = celery_app.conf.changes.get("task_always_eager", _UNSET)
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


def mark() -> int:
    """The newest notice's id now: what a step creates has a higher one."""
    return Notice.objects.aggregate(m=Max("pk"))["m"] or 0


def told(since: int = 0, **filters: Any) -> set[tuple[str, str]]:
    """(recipient username, kind) of the notices created after ``since``."""
    return set(
        Notice.objects.filter(pk__gt=since, **filters).values_list("recipient__username", "kind")
    )


def expect(users: Any, kind: str, *, but: Any = None) -> set[tuple[str, str]]:
    """(username, kind) for ``users``, leaving out the actor ``but``."""
    return {(u.username, kind) for u in users if but is None or u.pk != but.pk}


# --- Building the story through the services ----------------------------------------

DIAGNOSIS_TEXT = "Malignant neoplasm of the left breast"
MEDICAL_SUMMARY = "Stage IIB, HER2-positive; mastectomy indicated."


def make_patient(w: Any, **kwargs: Any) -> Any:
    from tests.factories import PatientFactory

    kwargs.setdefault("registered_by", w.ministry)
    return PatientFactory(**kwargs)


def in_review(w: Any, channel: Any = None, **kwargs: Any) -> Any:
    """An application in review on ``channel`` (the embassy's by default)."""
    from tests.factories import ApplicationFactory

    kwargs.setdefault("patient", make_patient(w))
    return ApplicationFactory(
        channel=channel or w.embassy_channel,
        specialty=w.oncology,
        status="in_review",
        diagnosis_text=DIAGNOSIS_TEXT,
        medical_summary=MEDICAL_SUMMARY,
        created_by=w.ministry_officer,
        **kwargs,
    )


def reviewer(w: Any, channel: Any) -> Any:
    return (
        w.embassy_officer if channel.issuing_institution_id == w.embassy.pk else w.ministry_officer
    )


def approve(w: Any, application: Any) -> Any:
    from applications.services import application_approve

    outcome = application_approve(
        actor=reviewer(w, application.channel), application_id=application.pk
    )
    application.refresh_from_db()
    return outcome


def approved(w: Any, channel: Any = None, **kwargs: Any) -> Any:
    application = in_review(w, channel, **kwargs)
    assert approve(w, application).allocation is not None, "the channel has no free slot"
    return application


def send(w: Any, application: Any, clinic: Any = None) -> Any:
    from referrals.services import referral_send

    return referral_send(
        actor=w.ministry_officer,
        application_id=application.pk,
        receiving_institution=clinic or w.hospital,
        covering_letter="Please admit for surgery.",
    )


def notice_for(user: Any, n: int = 1, **kwargs: Any) -> Notice:
    """A stored notice, as ``notices_emit`` would write it."""
    fields: dict[str, Any] = {
        "key": f"test-event:{n}:{user.pk}",
        "recipient": user,
        "kind": "slot_allocated",
        "object_type": "application",
        "object_id": str(n),
        "link": f"/applications/{n}/",
        "language": "en",
        "subject": f"Slot allocated to application TEST-{n:06d}",
        "body_text": f"Application TEST-{n:06d} was approved.\n\nhttp://portal/applications/{n}/",
        "body_html": f"<p>Application TEST-{n:06d} was approved.</p>",
    }
    fields.update(kwargs)
    return Notice.objects.create(**fields)
