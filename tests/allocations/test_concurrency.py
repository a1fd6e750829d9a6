"""Slots never overbook: real concurrent PostgreSQL connections, counted from the table."""

import datetime
import random
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from allocations import services as allocations
from allocations.choices import LIVE_ALLOCATION_STATES, AllocationState
from allocations.models import Allocation
from applications import services as applications
from applications.models import Application
from applications.waitlist import waitlist_position
from common.exceptions import DomainError
from patients.services import patient_register
from quotas import services as quota_services
from quotas.models import Channel
from tests.support.concurrency import run_concurrently
from tests.support.factories import ApplicationFactory, ChannelFactory, QuotaPoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def live_in(channel: Channel) -> int:
    return Allocation.objects.filter(channel=channel, state__in=LIVE_ALLOCATION_STATES).count()


def test_approvals_three_times_the_slots_fill_each_channel_exactly(kg_tr_world):
    w = kg_tr_world
    pool = QuotaPoolFactory(total_slots=16, code="KG-TR-RACE")
    embassy = ChannelFactory(pool=pool, issuing_institution=w.embassy, slots=10)
    ministry = ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=6)
    reviewers = {embassy.pk: w.embassy_officer, ministry.pk: w.ministry_officer}
    pending = [ApplicationFactory(channel=embassy) for _ in range(30)] + [
        ApplicationFactory(channel=ministry) for _ in range(18)
    ]
    random.shuffle(pending)

    outcomes = run_concurrently(
        [
            lambda a=a: applications.application_approve(
                actor=reviewers[a.channel_id], application_id=a.pk
            )
            for a in pending
        ]
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert live_in(embassy) == 10
    assert live_in(ministry) == 6
    statuses = Application.objects.filter(pool=pool).values_list("channel_id", "status")
    assert sum(1 for c, s in statuses if c == embassy.pk and s == "waitlisted") == 20
    assert sum(1 for c, s in statuses if c == ministry.pk and s == "waitlisted") == 12
    for channel in (embassy, ministry):
        channel.refresh_from_db()
        assert channel.live_allocations == live_in(channel)
        positions = sorted(
            waitlist_position(a)
            for a in Application.objects.filter(channel=channel, status="waitlisted")
        )
        assert positions == list(range(1, len(positions) + 1))


def test_releases_expiries_transfers_and_approvals_racing_never_overbook(kg_tr_world):
    w = kg_tr_world
    pool = QuotaPoolFactory(total_slots=20, code="KG-TR-MIX")
    embassy = ChannelFactory(pool=pool, issuing_institution=w.embassy, slots=8)
    ministry = ChannelFactory(pool=pool, issuing_institution=w.ministry, slots=8)
    # Half of each channel held already, some past their deadline.
    held = []
    for channel, officer in ((embassy, w.embassy_officer), (ministry, w.ministry_officer)):
        for _ in range(5):
            app = ApplicationFactory(channel=channel)
            held.append(applications.application_approve(actor=officer, application_id=app.pk))
    Allocation.objects.filter(pk__in=[o.allocation.pk for o in held[::3]]).update(
        held_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    waiting = [ApplicationFactory(channel=embassy) for _ in range(14)] + [
        ApplicationFactory(channel=ministry) for _ in range(14)
    ]
    reviewers = {embassy.pk: w.embassy_officer, ministry.pk: w.ministry_officer}

    jobs: list[Callable[[], object]] = [
        lambda a=a: applications.application_approve(
            actor=reviewers[a.channel_id], application_id=a.pk
        )
        for a in waiting
    ]
    jobs += [
        lambda o=o: allocations.allocation_release(
            allocation_id=o.allocation.pk,
            actor=reviewers[o.allocation.channel_id],
            reason="patient_declined",
        )
        for o in held[1::3]
    ]
    jobs += [lambda: allocations.allocations_expire_due() for _ in range(3)]
    jobs += [
        lambda: quota_services.channel_transfer(
            source=embassy, target=ministry, slots=1, actor=w.embassy_officer, reason="Balance"
        ),
        lambda: quota_services.channel_transfer(
            source=ministry, target=embassy, slots=2, actor=w.ministry_officer, reason="Balance"
        ),
    ]
    outcomes = run_concurrently(jobs)

    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DomainError)
    ]
    assert not unexpected
    for channel in (embassy, ministry):
        channel.refresh_from_db()
        assert live_in(channel) <= channel.slots
        assert channel.live_allocations == live_in(channel)
    assert embassy.slots + ministry.slots == 16
    # Whatever is free is free only because nobody waits for it.
    for channel in (embassy, ministry):
        free = channel.slots - live_in(channel)
        waitlisted = Application.objects.filter(channel=channel, status="waitlisted").count()
        assert free == 0 or waitlisted == 0
    assert not Allocation.objects.filter(
        state=AllocationState.HELD, held_until__lte=timezone.now()
    ).exists()


def test_same_document_twice_in_one_pool_exactly_one_accepted(kg_tr_world):
    w = kg_tr_world
    specialty = ApplicationFactory(channel=w.embassy_channel).specialty
    documents = {"document_type": "passport", "document_country": "KG"}
    # The ministry sends on both channels of the pool, under every spelling at once.
    officers = [(w.ministry_officer, w.embassy_channel, w.ministry)] * 16 + [
        (w.ministry_officer, w.ministry_channel, w.ministry)
    ] * 16

    def apply(officer, channel, institution, spelling):
        patient, _created = patient_register(
            actor=officer,
            institution=institution,
            data={
                "name_native": "Токтосунова Айгуль",
                "name_latin": "TOKTOSUNOVA AIGUL",
                "birth_date": datetime.date(1975, 3, 2),
                "sex": "female",
                "citizenship": "KG",
                "document_number": spelling,
                **documents,
            },
        )
        return applications.application_create(
            actor=officer,
            channel=channel,
            patient=patient,
            specialty=specialty,
            diagnosis_code="C50.9",
            diagnosis_text="Breast cancer",
            medical_summary="Surgery indicated",
        )

    spellings = ["ID 1234567", "id1234567", "ID-1234567", "Id 123 4567"]
    outcomes = run_concurrently(
        [lambda o=o, i=i: apply(*o, spellings[i % len(spellings)]) for i, o in enumerate(officers)]
    )

    created = [o for o in outcomes if isinstance(o, Application)]
    assert [o for o in outcomes if not isinstance(o, Application | ValidationError)] == []
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(created) == 1
    assert len(refused) == 31
    # Each refusal is at the patient and names the application that won.
    assert all(created[0].number in r.message_dict["patient"][0] for r in refused)
    assert Application.objects.filter(patient__document_number="ID1234567").count() == 1
