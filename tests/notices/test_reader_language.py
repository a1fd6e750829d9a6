"""A notice reads in its reader's language of the moment: in the inbox, the API and
the e-mail, whatever language the reader had when it was written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Profile
from common.dates import datetime_display
from notices.models import Notice
from notices.services import notice_deliver_email
from tests.support.api import api
from tests.support.notice_kinds import K
from tests.support.notices import approved, notice_for

pytestmark = pytest.mark.django_db

RUSSIAN_NAME = "Посольство Турецкой Республики в Бишкеке"
TURKISH_NAME = "Türkiye Cumhuriyeti Bişkek Büyükelçiliği"


@pytest.fixture
def written_in_russian(nw: Any) -> Any:
    """A slot-allocated notice to the ministry's officer, written while they read Russian."""
    w = nw
    w.embassy.name_ru, w.embassy.name_tr = RUSSIAN_NAME, TURKISH_NAME
    w.embassy.save()
    Profile.objects.create(user=w.ministry_officer, language="ru")
    w.application = approved(w)
    w.notice = Notice.objects.get(recipient=w.ministry_officer, kind=K.SLOT_ALLOCATED)
    assert w.notice.language == "ru"
    assert RUSSIAN_NAME in w.notice.body_text
    # The reader switches to Turkish afterwards.
    Profile.objects.filter(user=w.ministry_officer).update(language="tr")
    return w


def test_inbox_reads_an_older_notice_in_the_language_chosen_since(
    written_in_russian: Any, login: Any
) -> None:
    w = written_in_russian
    response = login(w.ministry_officer).get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="tr")

    html = response.content.decode()
    assert TURKISH_NAME in html
    assert RUSSIAN_NAME not in html
    w.notice.refresh_from_db()
    assert (w.notice.language, TURKISH_NAME in w.notice.body_text) == ("tr", True)


def test_api_reads_the_notice_in_the_requests_language(written_in_russian: Any) -> None:
    w = written_in_russian
    response = api(w.ministry_officer).get("/api/v1/notices/", HTTP_ACCEPT_LANGUAGE="tr")

    [notice] = [n for n in response.json()["results"] if n["id"] == w.notice.pk]
    assert TURKISH_NAME in notice["body_text"]


def test_email_sent_after_the_switch_is_in_the_new_language(written_in_russian: Any) -> None:
    w = written_in_russian
    allocation = w.application.allocations.get()

    assert notice_deliver_email(notice_id=w.notice.pk) == "sent"

    [message] = mail.outbox
    assert TURKISH_NAME in message.body
    assert RUSSIAN_NAME not in message.body
    assert datetime_display(allocation.held_until, "medium", "tr") in message.body
    w.notice.refresh_from_db()
    assert w.notice.language == "tr"


def test_a_notice_stored_without_its_context_keeps_its_text(nw: Any, login: Any) -> None:
    notice = notice_for(nw.ministry_officer, language="ru", subject="Старое уведомление")

    html = login(nw.ministry_officer).get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="tr")

    assert "Старое уведомление" in html.content.decode()
    notice.refresh_from_db()
    assert notice.language == "ru"
