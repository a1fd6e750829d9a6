"""Notices delivered by a real Celery worker through a real Redis broker.

Each test commits real rows (``transaction=True``) that the worker process reads
from the test database; e-mails land as files, one per message.
"""

import datetime
import os
import signal
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from allocations import services as allocations
from allocations.models import Allocation
from applications import services as applications
from applications.models import Application
from institutions.choices import MembershipRole
from notices.choices import DeliveryState
from notices.models import Notice
from notices.services import notices_relay_pending
from quotas import notices as quota_notices
from tests.support.celery_worker import (
    PrivateRedis,
    Worker,
    free_port,
    point_celery_at,
    point_celery_back,
    wait_for,
)
from tests.support.factories import ApplicationFactory
from tests.support.world import member

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

EMAIL_DELAY = 2.0  # seconds a delivery takes: room to kill the worker in the middle of one


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    redis = PrivateRedis(free_port(), tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.stop()
    point_celery_back()


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def worker(broker, mail_dir, tmp_path_factory, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        process = Worker(
            broker_url=broker.url,
            mail_dir=mail_dir,
            log=tmp_path_factory.mktemp("worker") / "worker.log",
            email_delay=EMAIL_DELAY,
        )
        process.start()
    yield process
    process.stop()


@pytest.fixture(autouse=True)
def _publish_to_the_private_broker(broker, worker, mail_dir, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    point_celery_at(broker.url)
    for leftover in mail_dir.iterdir():
        leftover.unlink()
    yield
    wait_for(
        lambda: not Notice.objects.filter(email_state=DeliveryState.PENDING).exists(),
        timeout=60,
        what="the worker to finish before the database is flushed",
    )


def mails(mail_dir: Path) -> list[str]:
    return [p.read_text(errors="replace") for p in mail_dir.glob("*.eml")]


def all_sent() -> bool:
    return (
        Notice.objects.exists()
        and not Notice.objects.exclude(email_state=DeliveryState.SENT).exists()
    )


@pytest.fixture
def world(kg_tr_world):
    """Approving on the embassy channel tells a second embassy officer and the ministry."""
    kg_tr_world.second_embassy_officer = member(kg_tr_world.embassy, MembershipRole.EMBASSY_OFFICER)
    return kg_tr_world


def approve(world, count=1) -> list[Application]:
    approved = []
    for _ in range(count):
        application = ApplicationFactory(channel=world.embassy_channel, status="in_review")
        applications.application_approve(actor=world.embassy_officer, application_id=application.pk)
        approved.append(application)
    return approved


def test_an_approvals_notices_are_emailed_and_marked_sent(world, mail_dir):
    (application,) = approve(world)

    wait_for(all_sent, timeout=60, what="the notices to be sent")

    notices = list(Notice.objects.select_related("recipient"))
    assert {n.recipient.username for n in notices} == {
        world.second_embassy_officer.username,
        world.ministry_officer.username,
    }
    delivered = mails(mail_dir)
    assert len(delivered) == len(notices) == 2
    assert all(application.number in text for text in delivered)
    assert all(n.sent_at is not None and n.attempts == 1 for n in notices)


def test_broker_down_approvals_commit_and_notices_go_out_once_it_is_back(world, broker, mail_dir):
    broker.stop()
    try:
        approved = approve(world, count=3)

        assert (
            Application.objects.filter(pk__in=[a.pk for a in approved], status="approved").count()
            == 3
        )
        assert Notice.objects.count() == 6
        assert not Notice.objects.exclude(email_state=DeliveryState.PENDING).exists()
    finally:
        broker.start()
    point_celery_at(broker.url)

    assert notices_relay_pending(older_than=datetime.timedelta(0)) == 6

    wait_for(all_sent, timeout=90, what="the relayed notices to be sent")
    assert len(mails(mail_dir)) == 6


def test_worker_killed_mid_delivery_sends_each_notice_exactly_once(world, mail_dir):
    approve(world)
    wait_for(
        lambda: any(mail_dir.glob("sending-*.marker")),
        timeout=30,
        what="a delivery to start",
    )
    marker = next(mail_dir.glob("sending-*.marker"))
    os.kill(int(marker.read_text()), signal.SIGKILL)

    wait_for(all_sent, timeout=90, what="the notices to be delivered after the kill")

    delivered = mails(mail_dir)
    recipients = sorted(
        line.split(":", 1)[1].strip()
        for text in delivered
        for line in text.splitlines()
        if line.startswith("To:")
    )
    assert recipients == sorted([world.second_embassy_officer.email, world.ministry_officer.email])


def test_a_rolled_back_approval_sends_nothing(world, mail_dir):
    application = ApplicationFactory(channel=world.embassy_channel, status="in_review")

    def approve_then_fail() -> None:
        with transaction.atomic():
            applications.application_approve(
                actor=world.embassy_officer, application_id=application.pk
            )
            raise RuntimeError("the officer's session ended mid-way")

    with pytest.raises(RuntimeError):
        approve_then_fail()

    assert not Notice.objects.exists()
    assert notices_relay_pending(older_than=datetime.timedelta(0)) == 0
    application.refresh_from_db()
    assert application.status == "in_review"
    assert mails(mail_dir) == []


def test_expiry_sweep_run_twice_notifies_once(world, mail_dir):
    approve(world, count=2)
    wait_for(all_sent, timeout=60, what="the approval notices")
    Notice.objects.all().delete()
    for leftover in mail_dir.iterdir():
        leftover.unlink()
    Allocation.objects.update(held_until=timezone.now() - datetime.timedelta(minutes=5))

    assert allocations.allocations_expire_due() == 2
    assert allocations.allocations_expire_due() == 0

    wait_for(all_sent, timeout=60, what="the expiry notices")
    # Two slots expired; each tells the embassy channel's two officers.
    assert Notice.objects.filter(kind="allocation_expired").count() == 4
    assert len(mails(mail_dir)) == 4


def test_underuse_check_run_twice_notifies_once(world, mail_dir):

    end = world.pool.period_end
    today = end - datetime.timedelta(days=25)

    assert quota_notices.pools_underused_check(today=today) == 1
    assert quota_notices.pools_underused_check(today=today) == 0

    wait_for(all_sent, timeout=60, what="the under-use notices")
    # Every officer of both channels: two at the embassy, one at the ministry.
    assert Notice.objects.filter(kind="pool_underused").count() == 3
    delivered = mails(mail_dir)
    assert len(delivered) == 3
    assert all(world.pool.code in text for text in delivered)
