"""Who is told what: for every state change, exactly the listed notices, to exactly the
listed people, and never to the one who acted.

Each step is compared as a set of (recipient, kind) against the expected set, so a
notice to anyone else (the second clinic, the host-country ministry, a Kyrgyz
authority not party to the agreement, a network coordinator, an inactive officer,
the outsider) or of another kind fails the test.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from allocations import services as allocation_services
from allocations.models import Allocation
from allocations.services import allocation_release, allocations_expire_due
from applications import services as applications
from applications.choices import ApplicationStatus
from notices.models import Notice
from quotas import notices as quota_notices
from quotas.models import Channel
from quotas.services import channel_transfer
from referrals import services as referral_services
from referrals.choices import ReferralStatus
from referrals.models import Referral
from tests.support.factories import ChannelFactory, QuotaPoolFactory
from tests.support.notice_kinds import K
from tests.support.notices import (
    DIAGNOSIS_TEXT,
    MEDICAL_SUMMARY,
    approve,
    approved,
    expect,
    in_review,
    make_patient,
    mark,
    send,
    told,
)

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def senders(w):
    """The referring side of a quota referral on the embassy's channel."""
    return w.embassy_officers | w.ministry_officers


def all_officers(w):
    return w.embassy_officers | w.ministry_officers


def set_slots(channel: Channel, slots: int) -> None:
    Channel.objects.filter(pk=channel.pk).update(slots=slots)
    channel.refresh_from_db()


def held_until(application, when: datetime.datetime) -> Allocation:
    allocation = Allocation.objects.get(application=application, state__in=["held", "confirmed"])
    Allocation.objects.filter(pk=allocation.pk).update(held_until=when)
    allocation.refresh_from_db()
    return allocation


# --- The application workflow ---------------------------------------------------------


def test_application_steps_before_the_decision_tell_nobody_then_approval_tells_the_officers(nw):
    w = nw
    step = mark()
    application = applications.application_create(
        actor=w.ministry_officer,
        channel=w.embassy_channel,
        patient=make_patient(w),
        specialty=w.oncology,
        diagnosis_code="C50.9",
        diagnosis_text=DIAGNOSIS_TEXT,
        medical_summary=MEDICAL_SUMMARY,
    )
    assert told(step) == set(), "create"
    pk = application.pk
    applications.application_submit(actor=w.ministry_officer, application_id=pk)
    assert told(step) == set(), "submit"
    applications.application_start_review(actor=w.embassy_officer, application_id=pk)
    assert told(step) == set(), "start review"
    applications.application_request_info(
        actor=w.embassy_officer, application_id=pk, comment="The latest CT, please."
    )
    assert told(step) == set(), "request info"
    applications.application_answer(actor=w.ministry_officer, application_id=pk, comment="Sent.")
    assert told(step) == set(), "answer"

    outcome = applications.application_approve(actor=w.embassy_officer, application_id=pk)

    assert outcome.allocation is not None
    # The embassy's other officer and the sending ministry's officers; not the approver.
    assert told(step) == expect(all_officers(w), K.SLOT_ALLOCATED, but=w.embassy_officer)
    notice = Notice.objects.filter(pk__gt=step).first()
    assert notice.object_type == "application"
    assert notice.object_id == str(pk)
    assert notice.link == reverse("application-detail", args=[pk])


def test_approval_on_the_ministry_channel_tells_only_the_ministry_officers(nw):
    w = nw
    application = in_review(w, w.ministry_channel)
    step = mark()

    approve(w, application)

    # Channel and sending ministry are one institution here; the embassy is not told.
    assert told(step) == expect(w.ministry_officers, K.SLOT_ALLOCATED, but=w.ministry_officer)


def test_reject_and_withdraw_tell_nobody(nw):
    w = nw
    rejected, withdrawn, approved_then_withdrawn = in_review(w), in_review(w), approved(w)
    step = mark()

    applications.application_reject(
        actor=w.embassy_officer,
        application_id=rejected.pk,
        reason="not_eligible",
        comment="Not covered by the agreement.",
    )
    applications.application_withdraw(
        actor=w.ministry_officer, application_id=withdrawn.pk, reason="treated_elsewhere"
    )
    # Its slot goes back to a channel with nobody waiting: still nobody to tell.
    applications.application_withdraw(
        actor=w.ministry_officer,
        application_id=approved_then_withdrawn.pk,
        reason="patient_declined",
    )

    assert told(step) == set()


def test_rejecting_a_waitlisted_application_tells_nobody(nw):
    w = nw
    set_slots(w.embassy_channel, 0)
    waiting = in_review(w)
    approve(w, waiting)
    step = mark()

    applications.application_reject(
        actor=w.embassy_officer,
        application_id=waiting.pk,
        reason="not_eligible",
        comment="Not covered by the agreement.",
    )

    assert told(step) == set()


def test_full_channel_waitlists_and_a_release_promotes_telling_all_officers(nw):
    w = nw
    set_slots(w.embassy_channel, 1)
    first = in_review(w)
    step = mark()
    approve(w, first)
    assert told(step) == expect(all_officers(w), K.SLOT_ALLOCATED, but=w.embassy_officer)

    second = in_review(w)
    step = mark()
    outcome = approve(w, second)
    assert outcome.allocation is None
    assert outcome.waitlist_position == 1
    assert told(step) == expect(all_officers(w), K.SLOT_WAITLISTED, but=w.embassy_officer)

    step = mark()
    allocation_release(
        allocation_id=Allocation.objects.get(application=first).pk,
        actor=w.embassy_officer,
        reason="patient_declined",
    )

    second.refresh_from_db()
    assert second.status == ApplicationStatus.APPROVED
    # The portal promoted it: nobody's own action, so every officer is told, and only
    # of the promotion (the released application's lapse tells nobody).
    assert told(step) == expect(all_officers(w), K.SLOT_PROMOTED)
    assert set(Notice.objects.filter(pk__gt=step).values_list("object_id", flat=True)) == {
        str(second.pk)
    }


def test_withdrawing_a_slot_holder_promotes_the_waiting_list(nw):
    w = nw
    set_slots(w.embassy_channel, 1)
    holder = approved(w)
    waiting = in_review(w)
    approve(w, waiting)
    step = mark()

    applications.application_withdraw(
        actor=w.ministry_officer, application_id=holder.pk, reason="patient_declined"
    )

    assert told(step) == expect(all_officers(w), K.SLOT_PROMOTED)


def test_channel_transfer_tells_the_officers_of_both_channels_but_the_actor(nw):
    w = nw
    step = mark()

    channel_transfer(
        source=w.embassy_channel,
        target=w.ministry_channel,
        slots=5,
        actor=w.embassy_officer,
        reason="The embassy will not use them this year.",
    )

    assert told(step) == expect(all_officers(w), K.CHANNEL_TRANSFER, but=w.embassy_officer)
    notice = Notice.objects.filter(pk__gt=step).first()
    assert notice.subject == "5 slots moved between channels of KG-TR-2026"
    assert (
        "5 slots moved from the channel of Embassy of Türkiye in Bishkek to the channel of "
        "Ministry of Health of the Kyrgyz Republic" in notice.body_text
    )
    assert notice.link == reverse("agreement-detail", args=[w.agreement.pk]) + f"#pool-{w.pool.pk}"


# --- The referral workflow -----------------------------------------------------------


def test_referral_story_tells_each_side_of_the_other_sides_steps(nw):
    w = nw
    application = approved(w)

    step = mark()
    referral = send(w, application)
    assert told(step) == expect(w.clinic, K.REFERRAL_RECEIVED), "send"

    step = mark()
    referral_services.referral_request_info(
        actor=w.clinic_coordinator, referral_id=referral.pk, comment="The latest CT, please."
    )
    assert told(step) == expect(senders(w), K.REFERRAL_INFO_REQUESTED), "request info"

    step = mark()
    referral_services.referral_answer(
        actor=w.ministry_officer, referral_id=referral.pk, comment="Uploaded."
    )
    assert told(step) == expect(w.clinic, K.REFERRAL_ANSWERED), "answer"

    step = mark()
    referral_services.referral_accept(
        actor=w.clinic_coordinator_2,
        referral_id=referral.pk,
        admission_date=today() + datetime.timedelta(days=10),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )
    assert told(step) == expect(senders(w), K.REFERRAL_ACCEPTED), "accept"

    step = mark()
    referral_services.referral_admit(
        actor=w.clinic_coordinator, referral_id=referral.pk, admitted_on=today()
    )
    assert told(step) == expect(senders(w), K.REFERRAL_ADMITTED), "admit"

    step = mark()
    referral_services.referral_discharge(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        discharged_on=today(),
        outcome="treated",
        discharge_summary="Mastectomy, uneventful recovery.",
    )
    assert told(step) == expect(senders(w), K.REFERRAL_DISCHARGED), "discharge"
    assert set(
        Notice.objects.filter(object_type="referral").values_list("object_id", flat=True)
    ) == {str(referral.pk)}


def test_decline_tells_the_referring_officers(nw):
    w = nw
    referral = send(w, approved(w))
    step = mark()

    referral_services.referral_decline(
        actor=w.clinic_coordinator, referral_id=referral.pk, reason="no_capacity"
    )

    assert told(step) == expect(senders(w), K.REFERRAL_DECLINED)


def test_a_second_referral_after_a_decline_goes_to_the_other_clinic_only(nw):
    w = nw
    application = approved(w)
    first = send(w, application)
    referral_services.referral_decline(
        actor=w.clinic_coordinator, referral_id=first.pk, reason="no_capacity"
    )
    step = mark()

    send(w, application, clinic=w.second)

    assert told(step) == expect({w.second_coordinator}, K.REFERRAL_RECEIVED)


def test_no_show_tells_the_referring_officers(nw):
    w = nw
    referral = send(w, approved(w))
    referral_services.referral_accept(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        admission_date=today(),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )
    step = mark()

    referral_services.referral_no_show(actor=w.clinic_coordinator, referral_id=referral.pk)

    # The slot goes back to a channel with nobody waiting: nothing else to tell.
    assert told(step) == expect(senders(w), K.REFERRAL_NO_SHOW)


@pytest.mark.parametrize("status", ["sent", "info_requested", "accepted"])
def test_cancel_tells_the_clinic(nw, status):
    w = nw
    referral = send(w, approved(w))
    if status == "info_requested":
        referral_services.referral_request_info(
            actor=w.clinic_coordinator, referral_id=referral.pk, comment="The latest CT."
        )
    elif status == "accepted":
        referral_services.referral_accept(
            actor=w.clinic_coordinator,
            referral_id=referral.pk,
            admission_date=today() + datetime.timedelta(days=3),
            department="Oncosurgery",
            contact_person="Dr. Ayşe Yılmaz",
        )
    step = mark()

    referral_services.referral_cancel(
        actor=w.ministry_officer, referral_id=referral.pk, comment="Not fit to travel."
    )

    assert told(step) == expect(w.clinic, K.REFERRAL_CANCELLED)


def test_cancelling_a_referral_promotes_the_waiting_list_too(nw):
    w = nw
    set_slots(w.embassy_channel, 1)
    referral = send(w, approved(w))
    waiting = in_review(w)
    approve(w, waiting)
    step = mark()

    referral_services.referral_cancel(
        actor=w.ministry_officer, referral_id=referral.pk, comment="Not fit to travel."
    )

    assert told(step) == expect(w.clinic, K.REFERRAL_CANCELLED) | expect(
        all_officers(w), K.SLOT_PROMOTED
    )


def test_referral_without_quota_tells_the_clinic_and_then_the_senders_institution_only(nw):
    w = nw
    step = mark()
    referral = referral_services.referral_send_without_quota(
        actor=w.ministry_officer,
        sender=w.ministry,
        patient=make_patient(w),
        receiving_institution=w.hospital,
        funding_source="self_pay",
        specialty=w.oncology,
        diagnosis_code="C50.9",
        diagnosis_text=DIAGNOSIS_TEXT,
        medical_summary=MEDICAL_SUMMARY,
        covering_letter="Self-paying patient, please admit.",
    )
    assert told(step) == expect(w.clinic, K.REFERRAL_RECEIVED)

    step = mark()
    referral_services.referral_accept(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        admission_date=today() + datetime.timedelta(days=5),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )

    # No channel: the officers of the sending institution, not the embassy's.
    assert told(step) == expect(w.ministry_officers, K.REFERRAL_ACCEPTED)


# --- Deadlines: reminder and expiry ------------------------------------------------------


def test_expiring_slot_is_reminded_once_to_the_channel_officers(nw, settings):
    w = nw
    settings.ALLOCATION_REMINDER_DAYS = 5
    now = timezone.now()
    due = approved(w)
    held_until(due, now + datetime.timedelta(days=4))
    later = approved(w)
    held_until(later, now + datetime.timedelta(days=6))
    step = mark()

    assert allocation_services.allocations_remind_expiring() == 1
    assert allocation_services.allocations_remind_expiring() == 0

    assert told(step) == expect(w.embassy_officers, K.ALLOCATION_EXPIRING)
    assert set(Notice.objects.filter(pk__gt=step).values_list("object_id", flat=True)) == {
        str(due.pk)
    }


def test_reminder_of_a_slot_with_an_open_referral_tells_the_clinic_too(nw):
    w = nw
    application = approved(w)
    send(w, application)
    held_until(application, timezone.now() + datetime.timedelta(days=2))
    step = mark()

    assert allocation_services.allocations_remind_expiring() == 1
    allocation_services.allocations_remind_expiring()

    assert told(step) == expect(w.embassy_officers | w.clinic, K.ALLOCATION_EXPIRING)


def test_a_new_deadline_earns_a_new_reminder(nw):
    w = nw
    application = approved(w)
    referral = send(w, application)
    held_until(application, timezone.now() + datetime.timedelta(days=2))
    allocation_services.allocations_remind_expiring()
    # The clinic accepts: a new deadline, from the admission date.
    referral_services.referral_accept(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        admission_date=today(),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )
    allocation = held_until(application, timezone.now() + datetime.timedelta(days=1))
    assert allocation.reminder_sent_at is None
    step = mark()

    assert allocation_services.allocations_remind_expiring() == 1

    assert told(step) == expect(w.embassy_officers | w.clinic, K.ALLOCATION_EXPIRING)


def test_expiry_tells_the_channel_officers_once(nw):
    w = nw
    application = approved(w)
    held_until(application, timezone.now() - datetime.timedelta(minutes=1))
    step = mark()

    assert allocations_expire_due() == 1
    assert allocations_expire_due() == 0

    # The channel's officers, not the sending ministry's.
    assert told(step) == expect(w.embassy_officers, K.ALLOCATION_EXPIRED)


def test_expiry_with_a_sent_referral_tells_the_clinic_of_the_slot_and_the_cancellation(nw):
    w = nw
    application = approved(w)
    referral = send(w, application)
    held_until(application, timezone.now() - datetime.timedelta(minutes=1))
    step = mark()

    allocations_expire_due()
    allocations_expire_due()

    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.CANCELLED
    assert told(step) == expect(w.embassy_officers | w.clinic, K.ALLOCATION_EXPIRED) | expect(
        w.clinic, K.REFERRAL_CANCELLED
    )


def test_expiry_of_an_accepted_referral_is_a_no_show_for_both_sides(nw):
    w = nw
    application = approved(w)
    referral = send(w, application)
    referral_services.referral_accept(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        admission_date=today(),
        department="Oncosurgery",
        contact_person="Dr. Ayşe Yılmaz",
    )
    held_until(application, timezone.now() - datetime.timedelta(minutes=1))
    step = mark()

    allocations_expire_due()
    allocations_expire_due()

    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.NO_SHOW
    assert told(step) == expect(w.embassy_officers | w.clinic, K.ALLOCATION_EXPIRED) | expect(
        senders(w) | w.clinic, K.REFERRAL_NO_SHOW
    )


def test_expiry_promotes_the_waiting_list(nw):
    w = nw
    set_slots(w.embassy_channel, 1)
    holder = approved(w)
    waiting = in_review(w)
    approve(w, waiting)
    held_until(holder, timezone.now() - datetime.timedelta(minutes=1))
    step = mark()

    assert allocations_expire_due() == 1
    assert allocations_expire_due() == 0

    assert told(step) == expect(w.embassy_officers, K.ALLOCATION_EXPIRED) | expect(
        all_officers(w), K.SLOT_PROMOTED
    )


# --- Pools ending with free slots -------------------------------------------------------


def pool_notices(pool):
    return Notice.objects.filter(kind=K.POOL_UNDERUSED, object_type="quotapool", object_id=pool.pk)


def test_underused_pool_tells_every_channels_officers_once_per_threshold(nw):
    w = nw
    approved(w)  # one embassy slot in use
    end = w.pool.period_end
    step = mark()

    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=85))
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=85))
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=61))

    assert told(step) == expect(all_officers(w), K.POOL_UNDERUSED)
    assert pool_notices(w.pool).count() == 4
    notice = pool_notices(w.pool).first()
    assert notice.subject == "KG-TR-2026 ends in 85 days with free slots"
    assert "149 of its 150 slots are still free" in notice.body_text
    assert "Embassy of Türkiye in Bishkek: 99 free of 100" in notice.body_text
    assert "Ministry of Health of the Kyrgyz Republic: 50 free of 50" in notice.body_text
    assert notice.link == reverse("agreement-detail", args=[w.agreement.pk]) + f"#pool-{w.pool.pk}"

    # The 60-day threshold is crossed: told again, once.
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=55))
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=55))
    assert pool_notices(w.pool).count() == 8
    assert set(
        pool_notices(w.pool)
        .filter(subject__contains="55 days")
        .values_list("recipient__username", flat=True)
    ) == {u.username for u in all_officers(w)}

    # And the 30-day one.
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=20))
    quota_notices.pools_underused_check(today=end - datetime.timedelta(days=1))
    assert pool_notices(w.pool).count() == 12


def test_pool_ending_later_than_the_first_threshold_or_already_ended_tells_nobody(nw):
    w = nw
    end = w.pool.period_end

    assert quota_notices.pools_underused_check(today=end - datetime.timedelta(days=91)) == 0
    assert quota_notices.pools_underused_check(today=end + datetime.timedelta(days=1)) == 0

    assert not Notice.objects.exists()


def test_pool_without_a_free_slot_tells_nobody(nw):
    w = nw
    full = QuotaPoolFactory(agreement=w.agreement, code="KG-TR-2026-S", total_slots=1)
    channel = ChannelFactory(pool=full, issuing_institution=w.embassy, slots=1)
    approved(w, channel)
    assert Channel.objects.get(pk=channel.pk).live_allocations == 1

    quota_notices.pools_underused_check(today=full.period_end - datetime.timedelta(days=10))

    assert not pool_notices(full).exists()
    assert pool_notices(w.pool).exists()  # the check did run: the other pool has free slots


def test_underuse_thresholds_follow_the_setting(nw, settings):
    w = nw
    settings.POOL_UNDERUSE_DAYS = [14]
    end = w.pool.period_end

    assert quota_notices.pools_underused_check(today=end - datetime.timedelta(days=20)) == 0
    assert quota_notices.pools_underused_check(today=end - datetime.timedelta(days=10)) == 1

    assert pool_notices(w.pool).count() == 4


def test_second_underuse_check_on_the_same_day_reports_nothing_notified(nw):
    w = nw
    day = w.pool.period_end - datetime.timedelta(days=85)

    assert quota_notices.pools_underused_check(today=day) == 1
    assert quota_notices.pools_underused_check(today=day) == 0
