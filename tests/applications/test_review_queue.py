"""The review queue: what awaits a channel's reviewers, in order, and its waiting lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.choices import ApplicationStatus as S
from applications.models import Application, ApplicationDocument
from applications.selectors import review_waitlist
from applications.waitlist import waitlist_position
from audit.models import AccessAction, AccessRecord
from institutions.choices import InstitutionKind, MembershipRole
from tests.support.applications import make_application
from tests.support.factories import InstitutionFactory, MembershipFactory
from tests.support.world import member

URL = reverse("review-queue")


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def submitted(w, *, days: float, urgency: str = "routine", status: str = S.IN_REVIEW, **kwargs):
    return make_application(
        w, status=status, urgency=urgency, submitted_at=days_ago(days), **kwargs
    )


def waitlisted(w, *, channel, urgency: str, at: datetime.datetime) -> Application:
    return make_application(
        w, channel=channel, status=S.WAITLISTED, urgency=urgency, waitlisted_at=at
    )


def shown(response) -> list[str]:
    """Application numbers of the listed rows, in the order shown."""
    page = response.context["page"]
    return [a.number for a in page.object_list] if page is not None else []


@pytest.mark.django_db
def test_emergencies_come_first_then_the_longest_waiting(world, login):
    w = world
    routine_old = submitted(w, days=20)
    routine_new = submitted(w, days=2, status=S.SUBMITTED)
    urgent = submitted(w, days=5, urgency="urgent", status=S.NEEDS_INFO)
    emergency_new = submitted(w, days=0.1, urgency="emergency")
    emergency_old = submitted(w, days=3, urgency="emergency", status=S.LAPSED)
    # Not awaiting review: drafts, decided ones, and the waiting list (its own tab).
    make_application(w, status=S.DRAFT)
    make_application(w, status=S.APPROVED)
    make_application(w, status=S.REJECTED)
    waitlisted(w, channel=w.embassy_channel, urgency="emergency", at=days_ago(30))

    response = login(w.embassy_officer).get(URL)

    assert response.status_code == 200
    assert shown(response) == [
        emergency_old.number,
        emergency_new.number,
        urgent.number,
        routine_old.number,
        routine_new.number,
    ]
    page = response.content.decode()
    assert "20 days" in page
    assert "Less than a day" in page


@pytest.mark.django_db
def test_each_row_offers_only_the_step_the_reviewer_can_take_now(world, login):
    w = world
    fresh = submitted(w, days=1, status=S.SUBMITTED)
    in_review = submitted(w, days=1)
    asked = submitted(w, days=1, status=S.NEEDS_INFO)
    client = login(w.embassy_officer)

    page = client.get(URL).content.decode()

    assert reverse("application-action", args=[fresh.pk, "start_review"]) in page
    assert reverse("application-action", args=[in_review.pk, "approve"]) in page
    assert f"/applications/{asked.pk}/act/" not in page
    assert "With the sender" in page

    # The buttons post the page they came from, and the reviewer stays in the queue.
    queue = f"{URL}?urgency=routine"
    started = client.post(
        reverse("application-action", args=[fresh.pk, "start_review"]), {"next": queue}
    )
    assert started.status_code == 302
    assert started.url == queue
    approved = client.post(reverse("application-action", args=[in_review.pk, "approve"]))
    assert approved.url == reverse("application-detail", args=[in_review.pk])
    fresh.refresh_from_db()
    in_review.refresh_from_db()
    assert fresh.status == S.IN_REVIEW
    assert in_review.status == S.APPROVED
    assert f"{in_review.number} is now: Approved" in client.get(queue).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["https://elsewhere.example/applications/queue/", "/inbox/"])
def test_an_action_never_redirects_outside_the_queue(world, login, next_url):
    w = world
    fresh = submitted(w, days=1, status=S.SUBMITTED)
    response = login(w.embassy_officer).post(
        reverse("application-action", args=[fresh.pk, "start_review"]), {"next": next_url}
    )
    assert response.url == reverse("application-detail", args=[fresh.pk])


@pytest.mark.django_db
def test_waitlist_positions_are_those_the_slots_are_served_in(world, login):
    w = world
    base = timezone.now() - datetime.timedelta(days=10)
    at = [base + datetime.timedelta(hours=n) for n in range(6)]
    apps = [
        waitlisted(w, channel=w.embassy_channel, urgency="routine", at=at[0]),
        waitlisted(w, channel=w.embassy_channel, urgency="emergency", at=at[3]),
        waitlisted(w, channel=w.embassy_channel, urgency="urgent", at=at[1]),
        waitlisted(w, channel=w.embassy_channel, urgency="routine", at=at[2]),
        # Same urgency, same moment: the older row goes first.
        waitlisted(w, channel=w.embassy_channel, urgency="routine", at=at[2]),
        waitlisted(w, channel=w.embassy_channel, urgency="urgent", at=at[5]),
    ]
    # Another channel has its own list, numbered from 1; the embassy does not review it.
    waitlisted(w, channel=w.ministry_channel, urgency="emergency", at=at[0])

    response = login(w.embassy_officer).get(URL, {"worklist": "waitlist"})

    rows = list(response.context["page"].object_list)
    assert [a.pk for a in rows] == [a.pk for a in sorted(apps, key=waitlist_position)]
    assert [a.waitlist_position for a in rows] == [1, 2, 3, 4, 5, 6]
    for row in rows:
        assert row.waitlist_position == waitlist_position(row)
    assert response.context["counts"] == {"review": 0, "waitlist": 6}


@pytest.mark.django_db
def test_waitlist_positions_hold_per_channel_and_under_the_channel_filter(world):
    w = world
    # One user reviewing both channels.
    reviewer = member(w.ministry, MembershipRole.MINISTRY_OFFICER)
    MembershipFactory(user=reviewer, institution=w.embassy, role=MembershipRole.EMBASSY_OFFICER)
    base = timezone.now() - datetime.timedelta(days=3)
    for n, urgency in enumerate(["routine", "emergency", "urgent", "routine"]):
        waitlisted(
            w, channel=w.embassy_channel, urgency=urgency, at=base + datetime.timedelta(hours=n)
        )
        waitlisted(
            w, channel=w.ministry_channel, urgency=urgency, at=base - datetime.timedelta(hours=n)
        )

    everything = list(review_waitlist(user=reviewer))
    only_ministry = list(review_waitlist(user=reviewer).filter(channel=w.ministry_channel))

    assert len(everything) == 8
    for row in everything + only_ministry:
        assert row.waitlist_position == waitlist_position(row)
    assert [a.waitlist_position for a in only_ministry] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_reviewers_see_only_the_channels_their_institution_issues(world, login):
    w = world
    on_embassy = submitted(w, days=1)
    on_ministry = submitted(w, days=1, channel=w.ministry_channel)

    embassy_page = login(w.embassy_officer).get(URL)
    ministry_page = login(w.ministry_officer).get(URL)

    assert shown(embassy_page) == [on_embassy.number]
    # The ministry may read the embassy's applications, but it does not review them.
    assert shown(ministry_page) == [on_ministry.number]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "clinic_coordinator", "other_ministry"])
def test_a_user_reviewing_no_channel_gets_an_empty_queue(world, login, who):
    w = world
    application = submitted(w, days=1)
    if who == "other_ministry":
        other = InstitutionFactory(kind=InstitutionKind.MINISTRY_OF_HEALTH, country="KZ")
        user = member(other, MembershipRole.MINISTRY_OFFICER)
    else:
        user = getattr(w, who)

    response = login(user).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "You review no channel" in page
    assert application.number not in page
    assert not AccessRecord.objects.exists()


@pytest.mark.django_db
def test_filters_narrow_the_queue_by_channel_and_urgency(world, login):
    w = world
    reviewer = w.embassy_officer
    MembershipFactory(user=reviewer, institution=w.ministry, role=MembershipRole.MINISTRY_OFFICER)
    embassy_urgent = submitted(w, days=1, urgency="urgent")
    embassy_routine = submitted(w, days=2)
    ministry_urgent = submitted(w, days=3, urgency="urgent", channel=w.ministry_channel)
    client = login(reviewer)

    assert shown(client.get(URL, {"channel": w.ministry_channel.pk})) == [ministry_urgent.number]
    assert shown(client.get(URL, {"urgency": "urgent"})) == [
        ministry_urgent.number,
        embassy_urgent.number,
    ]
    assert shown(client.get(URL, {"channel": w.embassy_channel.pk, "urgency": "routine"})) == [
        embassy_routine.number
    ]


@pytest.mark.django_db
def test_a_bad_query_string_shows_the_whole_queue(world, login):
    w = world
    application = submitted(w, days=1)

    response = login(w.embassy_officer).get(
        URL, {"worklist": "bogus", "channel": "abc", "urgency": "x", "page": "zz"}
    )

    assert response.status_code == 200
    assert shown(response) == [application.number]
    other_channel = login(w.embassy_officer).get(URL, {"channel": w.ministry_channel.pk})
    assert shown(other_channel) == [application.number]


@pytest.mark.django_db
def test_htmx_asks_for_the_results_only(world, login):
    w = world
    application = submitted(w, days=1)

    response = login(w.embassy_officer).get(
        URL, {"urgency": "routine"}, headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert application.number in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_the_queue_is_paged_by_25(world, login):
    w = world
    for n in range(27):
        submitted(w, days=30 - n)

    client = login(w.embassy_officer)
    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(shown(first)) == 25
    assert len(shown(second)) == 2
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("worklist", ["review", "waitlist"])
def test_every_listed_patient_is_recorded_in_the_audit_log(world, login, worklist):
    w = world
    listed = [submitted(w, days=n + 1) for n in range(2)] + [
        waitlisted(w, channel=w.embassy_channel, urgency="routine", at=days_ago(n + 1))
        for n in range(3)
    ]

    response = login(w.embassy_officer).get(URL, {"worklist": worklist})

    rows = list(response.context["page"].object_list)
    records = AccessRecord.objects.filter(user=w.embassy_officer, action=AccessAction.LIST)
    assert sorted(records.values_list("object_id", flat=True)) == sorted(str(a.pk) for a in rows)
    assert set(records.values_list("object_type", flat=True)) == {"application"}
    assert {r.patient_id for r in records} == {a.patient_id for a in rows}
    assert len(rows) == (2 if worklist == "review" else 3)
    assert {a.pk for a in listed} >= {a.pk for a in rows}


@pytest.mark.django_db
@pytest.mark.parametrize("worklist", ["review", "waitlist"])
def test_the_queue_runs_a_constant_number_of_queries(
    world, login, django_assert_num_queries, worklist
):
    w = world
    client = login(w.embassy_officer)

    def add(count: int) -> None:
        for n in range(count):
            application = submitted(w, days=n + 1, urgency=["routine", "urgent"][n % 2])
            ApplicationDocument.objects.create(
                application=application,
                file="applications/x.pdf",
                original_name="report.pdf",
                content_type="application/pdf",
                size=10,
                uploaded_by=w.embassy_officer,
            )
            waitlisted(w, channel=w.embassy_channel, urgency="routine", at=days_ago(n + 1))

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"worklist": worklist})
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"worklist": worklist})
    assert len(response.context["page"].object_list) == 12


@pytest.mark.django_db
def test_the_queue_speaks_the_readers_language_in_its_buttons_and_filters(world, login):
    """Labels are translated per request, not once when the module is first imported."""
    make_application(world, status=S.SUBMITTED)

    page = login(world.embassy_officer).get(URL, HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "İncelemeye al</button>" in page
    assert "Tüm kanallarım" in page
    assert "Tüm aciliyet düzeyleri" in page
    assert "İncelenecekler" in page
