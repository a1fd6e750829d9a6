import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from institutions.choices import InstitutionKind
from quotas import services
from quotas.choices import ChannelChangeKind
from quotas.models import Channel, ChannelChange
from tests.support.factories import ChannelFactory, InstitutionFactory, QuotaPoolFactory


@pytest.mark.django_db
def test_channel_open_records_the_change(kg_tr_world):
    pool = QuotaPoolFactory(total_slots=20)
    issuer = InstitutionFactory(kind=InstitutionKind.EMBASSY)

    channel = services.channel_open(
        pool=pool, issuing_institution=issuer, slots=12, actor=kg_tr_world.ministry_officer
    )

    change = ChannelChange.objects.get(channel=channel)
    assert (change.kind, change.slots_before, change.slots_after) == (
        ChannelChangeKind.OPENED,
        0,
        12,
    )
    assert change.actor == kg_tr_world.ministry_officer


@pytest.mark.django_db
def test_channel_open_refused_when_channels_exceed_pool():
    pool = QuotaPoolFactory(total_slots=150)
    ChannelFactory(pool=pool, slots=100)
    ChannelFactory(pool=pool, slots=50)

    with pytest.raises(ValidationError) as refused:
        services.channel_open(
            pool=pool, issuing_institution=InstitutionFactory(), slots=1, actor=None
        )

    assert "slots" in refused.value.message_dict
    assert Channel.objects.filter(pool=pool).count() == 2


@pytest.mark.django_db
def test_channel_set_slots_refused_over_pool_and_allowed_within():
    pool = QuotaPoolFactory(total_slots=150)
    embassy = ChannelFactory(pool=pool, slots=100)
    ChannelFactory(pool=pool, slots=50)

    with pytest.raises(ValidationError):
        services.channel_set_slots(channel=embassy, slots=101, actor=None)
    services.channel_set_slots(channel=embassy, slots=90, actor=None, reason="Unused")

    embassy.refresh_from_db()
    assert embassy.slots == 90
    assert embassy.changes.get(kind=ChannelChangeKind.RESIZED).reason == "Unused"


@pytest.mark.django_db
@pytest.mark.parametrize("slots", [-1, "10", None, 2.5])
def test_channel_open_refuses_bad_slot_values(slots):
    pool = QuotaPoolFactory(total_slots=10)
    with pytest.raises(ValidationError) as refused:
        services.channel_open(
            pool=pool, issuing_institution=InstitutionFactory(), slots=slots, actor=None
        )
    assert "slots" in refused.value.message_dict


@pytest.mark.django_db
def test_same_institution_cannot_issue_two_channels_of_a_pool():
    channel = ChannelFactory(slots=5)
    with pytest.raises(ValidationError) as refused:
        services.channel_open(
            pool=channel.pool, issuing_institution=channel.issuing_institution, slots=1, actor=None
        )
    assert "issuing_institution" in refused.value.message_dict


@pytest.mark.django_db
def test_pool_total_cannot_drop_below_its_channels():
    pool = QuotaPoolFactory(total_slots=150)
    ChannelFactory(pool=pool, slots=100)
    with pytest.raises(ValidationError) as refused:
        services.pool_set_total_slots(pool=pool, total_slots=99)
    assert "total_slots" in refused.value.message_dict
    assert services.pool_set_total_slots(pool=pool, total_slots=100).total_slots == 100


@pytest.mark.django_db
def test_database_refuses_negative_slots():
    channel = ChannelFactory(slots=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.filter(pk=channel.pk).update(slots=-1)


@pytest.mark.django_db
def test_database_refuses_negative_pool_total():
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaPoolFactory(total_slots=-5)


@pytest.mark.django_db
def test_database_refuses_period_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaPoolFactory(
            period_start=datetime.date(2026, 12, 31), period_end=datetime.date(2026, 1, 1)
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_channel_openings_never_exceed_the_pool():
    """32 institutions race to open 10-slot channels on a 100-slot pool: exactly 10 win."""
    pool = QuotaPoolFactory(total_slots=100)
    issuers = [InstitutionFactory() for _ in range(32)]
    barrier = threading.Barrier(len(issuers))
    outcomes: list[str] = []

    def open_channel(issuer):
        try:
            barrier.wait()
            services.channel_open(pool=pool, issuing_institution=issuer, slots=10, actor=None)
            outcomes.append("opened")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=open_channel, args=(i,)) for i in issuers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("opened") == 10
    assert outcomes.count("refused") == 22
    assert Channel.objects.filter(pool=pool).aggregate(s=Sum("slots"))["s"] == 100
