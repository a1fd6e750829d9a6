"""The inbox: the page, the header count and the API. Everyone sees their own notices only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notices.models import Notice
from tests.support.factories import UserFactory
from tests.support.notices import notice_for

pytestmark = pytest.mark.django_db

API = "/api/v1/notices/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def inbox_of(user, count: int, *, start: int = 1, read: int = 0) -> list[Notice]:
    """``count`` notices for ``user``, one minute apart, the first the oldest; the
    first ``read`` of them already read."""
    now = timezone.now()
    notices = []
    for i in range(count):
        n = start + i
        notice = notice_for(user, n)
        Notice.objects.filter(pk=notice.pk).update(
            created_at=now - datetime.timedelta(minutes=count - i),
            read_at=now if i < read else None,
        )
        notice.refresh_from_db()
        notices.append(notice)
    return notices


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


def subjects(html: str) -> list[str]:
    return re.findall(r'class="link notice-subject">([^<]+)</button>', html)


def header_count(html: str) -> str | None:
    found = re.search(r'<span class="inbox-count"[^>]*>(\d+)</span>', html)
    return found.group(1) if found else None


# --- The page ---------------------------------------------------------------------------


def test_inbox_shows_only_my_notices_newest_first(alice, bob, login):
    mine = inbox_of(alice, 3)
    inbox_of(bob, 2, start=10)

    response = login(alice).get(reverse("inbox"))

    assert response.status_code == 200
    assert subjects(response.content.decode()) == [n.subject for n in reversed(mine)]


def test_inbox_needs_a_login(db, client):
    response = client.get(reverse("inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("flag", ["1", "true"])
def test_inbox_unread_filter(alice, login, flag):
    notices = inbox_of(alice, 3, read=1)

    response = login(alice).get(reverse("inbox"), {"unread": flag})

    assert subjects(response.content.decode()) == [notices[2].subject, notices[1].subject]


def test_unread_count_is_in_the_header_of_every_page(alice, bob, login):
    inbox_of(alice, 3, read=1)
    inbox_of(bob, 5, start=10)
    client = login(alice)

    for url in (reverse("home"), reverse("inbox"), reverse("agreement-list")):
        html = client.get(url).content.decode()
        assert header_count(html) == "2", url
        assert 'aria-label="2 unread notices"' in html

    client.post(reverse("notices-read-all"))
    assert header_count(client.get(reverse("home")).content.decode()) is None


def test_mark_one_read(alice, login):
    first, second = inbox_of(alice, 2)

    response = login(alice).post(reverse("notice-read", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("inbox")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_htmx_marks_one_read_in_place_and_updates_the_header_count(alice, login):
    first, *_others = inbox_of(alice, 3)

    response = login(alice).post(
        reverse("notice-read", args=[first.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.strip().startswith('<li class="notice-item">'), html[:80]
    assert first.subject in html
    assert reverse("notice-read", args=[first.pk]) not in html
    # The header's count, swapped out of band: two still unread.
    assert '<span id="inbox-count" hx-swap-oob="true">' in html
    assert header_count(html) == "2"
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_read_keeps_the_first_reading_time(alice, login):
    notice = inbox_of(alice, 1, read=1)[0]
    read_at = notice.read_at

    login(alice).post(reverse("notice-read", args=[notice.pk]))

    notice.refresh_from_db()
    assert notice.read_at == read_at


def test_mark_all_read_marks_only_mine(alice, bob, login):
    inbox_of(alice, 3)
    inbox_of(bob, 2, start=10)

    response = login(alice).post(reverse("notices-read-all"))

    assert response.status_code == 302
    assert not Notice.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=bob, read_at__isnull=True).count() == 2


def test_opening_a_notice_marks_it_read_and_goes_to_its_subject(alice, login):
    notice = inbox_of(alice, 1)[0]

    response = login(alice).post(reverse("notice-open", args=[notice.pk]))

    assert response.status_code == 302
    assert response["Location"] == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_opening_a_notice_without_a_link_goes_back_to_the_inbox(alice, login):
    notice = notice_for(alice, link="")

    response = login(alice).post(reverse("notice-open", args=[notice.pk]))

    assert response["Location"] == reverse("inbox")


@pytest.mark.parametrize("name", ["notice-open", "notice-read"])
def test_another_users_notice_is_not_found_and_left_alone(alice, bob, login, name):
    theirs = inbox_of(bob, 1)[0]

    response = login(alice).post(reverse(name, args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["notice-open", "notice-read", "notices-read-all"])
def test_marking_needs_a_post(alice, login, name):
    notice = inbox_of(alice, 1)[0]
    args = [] if name == "notices-read-all" else [notice.pk]

    response = login(alice).get(reverse(name, args=args))

    assert response.status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize("count", [3, 13])
def test_inbox_page_runs_a_fixed_number_of_queries(alice, login, django_assert_num_queries, count):
    inbox_of(alice, count, read=1)
    client = login(alice)

    # Session, user, page count, memberships and unread count for the header, the page.
    with django_assert_num_queries(INBOX_PAGE_QUERIES):
        response = client.get(reverse("inbox"))

    assert len(subjects(response.content.decode())) == count


# --- The API ------------------------------------------------------------------------------


def test_api_lists_only_my_notices_newest_first(alice, bob):
    mine = inbox_of(alice, 3)
    inbox_of(bob, 2, start=10)

    response = api(alice).get(API)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [n["id"] for n in body["results"]] == [n.pk for n in reversed(mine)]
    first = body["results"][0]
    assert set(first) == {
        "id",
        "kind",
        "subject",
        "body_text",
        "link",
        "object_type",
        "object_id",
        "read_at",
        "email_state",
        "created_at",
    }
    assert first["subject"] == mine[-1].subject
    assert first["link"] == mine[-1].link


def test_api_needs_authentication(db):
    assert APIClient().get(API).status_code in (401, 403)


@pytest.mark.parametrize(
    "flag",
    [
        "true",
        "1",
    ],
)
def test_api_unread_filter(alice, flag):
    notices = inbox_of(alice, 3, read=1)

    body = api(alice).get(API, {"unread": flag}).json()

    assert [n["id"] for n in body["results"]] == [notices[2].pk, notices[1].pk]


def test_api_read_filter_and_kind_filter(alice):
    notices = inbox_of(alice, 3, read=1)
    Notice.objects.filter(pk=notices[1].pk).update(kind="referral_received")

    read = api(alice).get(API, {"unread": "false"}).json()
    received = api(alice).get(API, {"kind": "referral_received"}).json()

    assert [n["id"] for n in read["results"]] == [notices[0].pk]
    assert [n["id"] for n in received["results"]] == [notices[1].pk]


def test_api_another_users_notice_is_not_found(alice, bob):
    theirs = inbox_of(bob, 1)[0]
    client = api(alice)

    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.post(f"{API}{theirs.pk}/read/").status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_mark_one_read(alice):
    first, second = inbox_of(alice, 2)

    response = api(alice).post(f"{API}{first.pk}/read/")

    assert response.status_code == 200
    assert response.json()["id"] == first.pk
    assert response.json()["read_at"] is not None
    second.refresh_from_db()
    assert second.read_at is None


def test_api_mark_all_read_marks_only_mine(alice, bob):
    inbox_of(alice, 3, read=1)
    inbox_of(bob, 2, start=10)

    response = api(alice).post(f"{API}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert not Notice.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=bob, read_at__isnull=True).count() == 2
    assert api(alice).post(f"{API}read-all/").json() == {"marked": 0}


def test_api_notices_are_read_only(alice):
    notice = inbox_of(alice, 1)[0]
    client = api(alice)

    assert client.post(API, {"subject": "forged"}, format="json").status_code == 405
    assert client.delete(f"{API}{notice.pk}/").status_code == 405
    assert client.patch(f"{API}{notice.pk}/", {"read_at": None}, format="json").status_code == 405


@pytest.mark.parametrize("count", [3, 13])
def test_api_list_runs_a_fixed_number_of_queries(alice, django_assert_num_queries, count):
    inbox_of(alice, count)
    client = api(alice)

    # The count and the page; no query per notice.
    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get(API)

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [3, 13])
def test_api_unread_list_runs_a_fixed_number_of_queries(alice, django_assert_num_queries, count):
    inbox_of(alice, count)
    client = api(alice)

    with django_assert_num_queries(API_LIST_QUERIES):
        response = client.get(API, {"unread": "true"})

    assert len(response.json()["results"]) == count


INBOX_PAGE_QUERIES = 6
API_LIST_QUERIES = 2
