"""Storing, rendering and e-mailing notices: in the change's transaction, once per
recipient, in the recipient's language, without patient details; delivered at most
once, retried on failure, and relayed when left behind."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Profile
from allocations.models import Allocation
from allocations.services import allocations_expire_due
from applications import services as applications
from notices import tasks
from notices.choices import DeliveryState
from notices.models import Notice
from notices.services import (
    NoticeDeliveryError,
    notice_deliver_email,
    notices_emit,
    notices_relay_pending,
)
from referrals import services as referral_services
from tests.support.factories import UserFactory
from tests.support.notice_kinds import K
from tests.support.notices import (
    DIAGNOSIS_TEXT,
    MEDICAL_SUMMARY,
    approve,
    approved,
    in_review,
    notice_for,
    send,
)

pytestmark = pytest.mark.django_db

FAILING = "tests.support.email.FailingBackend"
CYRILLIC = re.compile("[А-Яа-яЁё]")


def emit(w, application, recipients, event_key="test-event:1", **kwargs):
    return notices_emit(
        kind=K.SLOT_ALLOCATED,
        event_key=event_key,
        recipient_ids=[u.pk for u in recipients],
        obj=application,
        link=reverse("application-detail", args=[application.pk]),
        context={"application": application, "channel": application.channel, "pool": w.pool},
        **kwargs,
    )


# --- Stored with the change ------------------------------------------------------------


def test_a_rolled_back_approval_leaves_no_notice_and_sends_no_email(
    nw, django_capture_on_commit_callbacks
):
    w = nw
    application = in_review(w)

    stored_meanwhile = []

    def approve_then_fail() -> None:
        with transaction.atomic():
            applications.application_approve(actor=w.embassy_officer, application_id=application.pk)
            stored_meanwhile.append(Notice.objects.count())
            raise RuntimeError("the caller fails after the approval")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        approve_then_fail()

    assert stored_meanwhile == [3]  # written in the change's transaction
    assert callbacks == []
    assert Notice.objects.count() == 0
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.status == "in_review"
    assert not Allocation.objects.exists()


def test_emails_go_out_after_commit_only(nw, django_capture_on_commit_callbacks):
    w = nw
    application = in_review(w)

    with django_capture_on_commit_callbacks(execute=True):
        applications.application_approve(actor=w.embassy_officer, application_id=application.pk)
        assert Notice.objects.count() == 3
        assert mail.outbox == []  # nothing leaves before the change is committed

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (w.embassy_officer_2, w.ministry_officer, w.ministry_officer_2)
    )
    assert set(Notice.objects.values_list("email_state", flat=True)) == {DeliveryState.SENT}


def test_a_broker_outage_neither_undoes_the_change_nor_loses_the_notice(
    nw, django_capture_on_commit_callbacks, monkeypatch
):
    w = nw
    application = in_review(w)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.notice_deliver, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            outcome = applications.application_approve(
                actor=w.embassy_officer, application_id=application.pk
            )

    assert outcome.allocation is not None
    assert mail.outbox == []
    assert Notice.objects.filter(email_state=DeliveryState.PENDING).count() == 3

    # The relay finds them and hands them over once the broker is back.
    assert notices_relay_pending(older_than=datetime.timedelta(0)) == 3
    assert len(mail.outbox) == 3
    assert set(Notice.objects.values_list("email_state", flat=True)) == {DeliveryState.SENT}


# --- Once per recipient -------------------------------------------------------------------


def test_emitting_the_same_event_twice_stores_one_notice_per_recipient(
    nw, django_capture_on_commit_callbacks
):
    w = nw
    application = in_review(w)
    people = [w.embassy_officer_2, w.ministry_officer]

    with django_capture_on_commit_callbacks(execute=True):
        first = emit(w, application, people)
        second = emit(w, application, people)

    assert len(first) == 2
    assert second == []  # the event's notices exist already: nothing new to store or send
    assert Notice.objects.count() == 2
    assert sorted(Notice.objects.values_list("key", flat=True)) == sorted(
        f"test-event:1:{u.pk}" for u in people
    )
    assert len(mail.outbox) == 2  # the duplicate delivery found them sent

    # Emitted again later: nothing new stored, nothing sent again.
    with django_capture_on_commit_callbacks(execute=True):
        assert emit(w, application, people) == []
    assert Notice.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_actor_is_left_out_and_a_doubly_listed_recipient_told_once(
    nw, django_capture_on_commit_callbacks
):
    w = nw
    application = in_review(w)
    people = [w.embassy_officer, w.embassy_officer_2, w.embassy_officer_2]

    with django_capture_on_commit_callbacks() as callbacks:
        emit(w, application, people, exclude=w.embassy_officer)
        assert (
            emit(w, application, [w.embassy_officer], "test-event:2", exclude=w.embassy_officer)
            == []
        )

    assert list(Notice.objects.values_list("recipient__username", flat=True)) == [
        w.embassy_officer_2.username
    ]
    assert len(callbacks) == 1  # nobody to tell: nothing queued


def test_two_events_about_one_object_are_two_notices(nw):
    w = nw
    application = in_review(w)

    emit(w, application, [w.ministry_officer], "test-event:1")
    emit(w, application, [w.ministry_officer], "test-event:2")

    assert Notice.objects.filter(recipient=w.ministry_officer).count() == 2


def test_expiry_run_twice_emails_once(nw, django_capture_on_commit_callbacks):
    w = nw
    application = approved(w)
    Allocation.objects.filter(application=application).update(
        held_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert allocations_expire_due() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert allocations_expire_due() == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in w.embassy_officers)


# --- Language and content -----------------------------------------------------------------


def test_each_recipient_reads_the_notice_in_their_own_language(nw, settings):
    w = nw
    settings.LANGUAGE_CODE = "ru"  # the portal's default, for those who never chose
    Profile.objects.create(user=w.embassy_officer_2, language="en")
    Profile.objects.create(user=w.ministry_officer, language="ru")
    application = in_review(w)

    approve(w, application)

    by_user = {n.recipient_id: n for n in Notice.objects.all()}
    english = by_user[w.embassy_officer_2.pk]
    assert english.language == "en"
    assert english.subject == f"Slot allocated to application {application.number}"
    assert 'lang="en"' in english.body_html
    for russian_reader in (w.ministry_officer, w.ministry_officer_2):
        notice = by_user[russian_reader.pk]
        assert notice.language == "ru"
        assert application.number in notice.subject
        catalogue = Path(django_settings.BASE_DIR) / "locale/ru/LC_MESSAGES/django.mo"
        if not catalogue.exists():
            pytest.skip("no compiled Russian catalogue yet")
        assert CYRILLIC.search(notice.subject), notice.subject
        assert notice.subject == f"Место выделено по заявке {application.number}"
        assert CYRILLIC.search(notice.body_text)
        assert 'lang="ru"' in notice.body_html


def test_notices_carry_numbers_and_links_but_no_patient_details(nw, settings):
    w = nw
    settings.PORTAL_URL = "https://kopru.example.org/"
    application = approved(w)
    patient = application.patient
    referral = send(w, application)
    clinic = w.clinic_coordinator
    referral_services.referral_request_info(
        actor=clinic, referral_id=referral.pk, comment="The latest CT, please."
    )
    referral_services.referral_answer(
        actor=w.ministry_officer, referral_id=referral.pk, comment="Uploaded the CT."
    )
    referral_services.referral_accept(
        actor=clinic,
        referral_id=referral.pk,
        admission_date=timezone.localdate(),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )
    referral_services.referral_admit(
        actor=clinic, referral_id=referral.pk, admitted_on=timezone.localdate()
    )
    referral_services.referral_discharge(
        actor=clinic,
        referral_id=referral.pk,
        discharged_on=timezone.localdate(),
        outcome="treated",
        discharge_summary="Mastectomy; sentinel nodes negative.",
    )
    second = in_review(w, w.ministry_channel)
    approve(w, second)
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert {K.SLOT_ALLOCATED, K.REFERRAL_RECEIVED, K.REFERRAL_DISCHARGED} <= kinds

    secrets = [
        patient.name_native,
        patient.name_latin,
        patient.document_number,
        DIAGNOSIS_TEXT,
        MEDICAL_SUMMARY,
        application.diagnosis_code,
        "sentinel nodes",
        "latest CT",
    ]
    numbers = {
        ("application", str(application.pk)): application.number,
        ("application", str(second.pk)): second.number,
        ("referral", str(referral.pk)): referral.number,
    }
    for notice in Notice.objects.all():
        for part in (notice.subject, notice.body_text, notice.body_html):
            for secret in secrets:
                assert secret not in part, (notice.kind, secret)
        number = numbers[notice.object_type, notice.object_id]
        assert number in notice.subject, notice.kind
        assert number in notice.body_text, notice.kind
        url = "https://kopru.example.org" + notice.link
        assert notice.link.startswith("/")
        assert url in notice.body_text
        assert f'href="{url}"' in notice.body_html
    received = Notice.objects.filter(kind=K.REFERRAL_RECEIVED).first()
    assert received.link == reverse("referral-detail", args=[referral.pk])


# --- Delivery ----------------------------------------------------------------------------


def test_delivery_sends_once_and_records_it(nw):
    w = nw
    notice = notice_for(w.ministry_officer)

    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.SENT
    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.SENT

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [w.ministry_officer.email]
    assert message.subject == notice.subject
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.body == notice.body_text
    assert message.alternatives == [(notice.body_html, "text/html")]
    raw = message.message()
    assert raw.is_multipart()
    assert [p.get_content_type() for p in raw.get_payload()] == ["text/plain", "text/html"]
    notice.refresh_from_db()
    assert notice.email_state == DeliveryState.SENT
    assert notice.sent_at is not None
    assert notice.attempts == 1
    assert notice.last_error == ""


def test_message_id_is_stable_per_notice(nw, settings):
    w = nw
    settings.NOTICE_MESSAGE_ID_DOMAIN = "mail.kopru.example"
    notice, other = notice_for(w.ministry_officer, 1), notice_for(w.ministry_officer, 2)

    notice_deliver_email(notice_id=notice.pk)
    Notice.objects.filter(pk=notice.pk).update(email_state=DeliveryState.PENDING)
    notice_deliver_email(notice_id=notice.pk)  # sent again, as after a lost acknowledgement
    notice_deliver_email(notice_id=other.pk)

    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids[0] == ids[1] != ids[2]
    assert re.fullmatch(r"<notice-[0-9a-f]{32}@mail\.kopru\.example>", ids[0])
    assert mail.outbox[0].message()["Message-ID"] == ids[0]


def test_recipient_without_email_is_skipped(nw):
    w = nw
    nobody = UserFactory(username="no-mail", email="")
    notice = notice_for(nobody)

    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.SKIPPED
    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.SKIPPED

    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.email_state == DeliveryState.SKIPPED
    assert notice.attempts == 0
    assert w  # the world exists; the notice is the test's own


def test_missing_notice_is_reported(db):
    assert notice_deliver_email(notice_id=987654) == "missing"


def test_failing_relay_is_retried_then_given_up(nw, settings):
    w = nw
    settings.EMAIL_BACKEND = FAILING
    settings.NOTICE_MAX_ATTEMPTS = 3
    notice = notice_for(w.ministry_officer)

    for attempt in (1, 2):
        with pytest.raises(NoticeDeliveryError, match="relay temporarily unavailable"):
            notice_deliver_email(notice_id=notice.pk)
        notice.refresh_from_db()
        assert notice.attempts == attempt
        assert notice.email_state == DeliveryState.PENDING
        assert "SMTPException" in notice.last_error
        assert "relay temporarily unavailable" in notice.last_error
        assert notice.sent_at is None

    # The last allowed attempt: recorded as failed, and no retry is asked for.
    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.FAILED
    notice.refresh_from_db()
    assert notice.attempts == 3
    assert notice.email_state == DeliveryState.FAILED
    assert notice.sent_at is None
    assert mail.outbox == []


def test_a_retry_after_a_failure_sends_and_clears_the_error(nw, settings):
    w = nw
    settings.EMAIL_BACKEND = FAILING
    notice = notice_for(w.ministry_officer)
    with pytest.raises(NoticeDeliveryError):
        notice_deliver_email(notice_id=notice.pk)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notice_deliver_email(notice_id=notice.pk) == DeliveryState.SENT

    notice.refresh_from_db()
    assert notice.attempts == 2
    assert notice.last_error == ""
    assert notice.sent_at is not None
    assert len(mail.outbox) == 1


def test_the_delivery_task_calls_the_service(nw):
    w = nw
    notice = notice_for(w.ministry_officer)

    # In-process (eager): the result is there at once, whatever else ran in this process.
    assert (
        tasks.notice_deliver.delay(notice.pk).get(disable_sync_subtasks=False) == DeliveryState.SENT
    )

    assert len(mail.outbox) == 1


# --- Relay -----------------------------------------------------------------------------------


def test_relay_queues_only_pending_notices_older_than_the_threshold(nw):
    w = nw
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    left_behind = notice_for(w.ministry_officer, 1)
    fresh = notice_for(w.ministry_officer, 2)
    sent = notice_for(w.ministry_officer, 3, email_state=DeliveryState.SENT)
    failed = notice_for(w.ministry_officer, 4, email_state=DeliveryState.FAILED, attempts=8)
    skipped = notice_for(w.ministry_officer, 5, email_state=DeliveryState.SKIPPED)
    Notice.objects.filter(pk__in=[left_behind.pk, sent.pk, failed.pk, skipped.pk]).update(
        created_at=long_ago
    )

    assert notices_relay_pending(older_than=datetime.timedelta(minutes=5)) == 1

    assert [m.subject for m in mail.outbox] == [left_behind.subject]
    states = dict(Notice.objects.values_list("pk", "email_state"))
    assert states == {
        left_behind.pk: DeliveryState.SENT,
        fresh.pk: DeliveryState.PENDING,
        sent.pk: DeliveryState.SENT,
        failed.pk: DeliveryState.FAILED,
        skipped.pk: DeliveryState.SKIPPED,
    }
    # Nothing left behind any more.
    assert notices_relay_pending(older_than=datetime.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 1


def test_relay_default_threshold_comes_from_the_settings(nw, settings):
    w = nw
    settings.NOTICE_RELAY_AFTER_SECONDS = 120
    older = notice_for(w.ministry_officer, 1)
    newer = notice_for(w.ministry_officer, 2)
    Notice.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=180)
    )
    Notice.objects.filter(pk=newer.pk).update(
        created_at=timezone.now() - datetime.timedelta(seconds=60)
    )

    assert tasks.notices_relay.delay().get(disable_sync_subtasks=False) == 1

    assert [m.subject for m in mail.outbox] == [older.subject]


def test_relay_takes_the_oldest_first_in_batches(nw):
    w = nw
    notices = [notice_for(w.ministry_officer, n) for n in range(1, 4)]
    for age, notice in zip((30, 20, 10), notices, strict=True):
        Notice.objects.filter(pk=notice.pk).update(
            created_at=timezone.now() - datetime.timedelta(minutes=age)
        )

    assert notices_relay_pending(older_than=datetime.timedelta(minutes=5), batch_size=2) == 2

    assert [m.subject for m in mail.outbox] == [notices[0].subject, notices[1].subject]
