"""Notices seen from the tests: what a step created, for whom, and the story that makes them.

The story is built through the services, in the KG-TR world of the ``nw`` fixture
(tests/notices/conftest.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from notices.models import Notice


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
    from tests.support.factories import PatientFactory

    kwargs.setdefault("registered_by", w.ministry)
    return PatientFactory(**kwargs)


def in_review(w: Any, channel: Any = None, **kwargs: Any) -> Any:
    """An application in review on ``channel`` (the embassy's by default)."""
    from tests.support.factories import ApplicationFactory

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
