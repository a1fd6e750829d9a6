"""Notices: written with the change that causes them, e-mailed after commit.

- ``notices_emit`` renders one notice per recipient in their language and
  stores it in the caller's transaction, with the context it was rendered from;
  delivery is queued on commit.
- ``notices_in_language`` renders again, in the reader's language of the moment,
  the notices written in another (the inbox, the API); ``notice_deliver_email``
  does so for the recipient's profile language before it sends.
- ``notice_deliver_email`` sends one notice under its row lock and records the
  outcome; a duplicate task finds it sent and does nothing.
- ``notices_relay_pending`` re-queues what was left behind (broker down at
  commit, a crash between commit and publish).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Model, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from render_block import render_block_to_string

from accounts.selectors import user_languages
from notices.choices import DeliveryState
from notices.context import MissingObjectError, context_decode, context_encode
from notices.models import Notice

logger = logging.getLogger(__name__)


class NoticeDeliveryError(Exception):
    """An e-mail could not be handed over; the attempt is on the record, retry later."""


def _render(kind: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    template = f"notices/{kind}.html"
    with translation.override(language):
        subject = " ".join(render_block_to_string(template, "subject", context).split())
        text = render_block_to_string(template, "text", context).strip()
        html = render_to_string(
            "notices/email.html",
            {
                "subject": subject,
                "content": render_block_to_string(template, "html", context),
                "link": context.get("url", ""),
                "LANGUAGE_CODE": language,
            },
        )
    return subject, text, html


def notices_emit(
    *,
    kind: str,
    event_key: str,
    recipient_ids: Iterable[int],
    obj: Model,
    link: str,
    context: dict[str, Any],
    exclude: User | None = None,
) -> list[int]:
    """Store one notice per recipient for this event; queue their e-mail on commit.

    The acting user is not told about their own action. Emitting the same event
    twice stores nothing new. Returns the ids of the notices created now.
    """
    recipients = sorted(set(recipient_ids) - ({exclude.pk} if exclude else set()))
    if not recipients:
        return []
    languages = user_languages(user_ids=recipients)
    stored_context = context_encode(context)
    context = {**context, "url": _portal_url(link)}
    rendered: dict[str, tuple[str, str, str]] = {}
    notices = []
    for user_id in recipients:
        language = languages[user_id]
        if language not in rendered:
            rendered[language] = _render(kind, language, context)
        subject, text, html = rendered[language]
        notices.append(
            Notice(
                key=f"{event_key}:{user_id}"[:200],
                recipient_id=user_id,
                kind=kind,
                object_type=obj.__class__.__name__.lower(),
                object_id=str(obj.pk),
                link=link,
                language=language,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                context=stored_context,
            )
        )
    keys = [n.key for n in notices]
    existing = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    # ignore_conflicts still guards a concurrent emitter of the same event.
    Notice.objects.bulk_create([n for n in notices if n.key not in existing], ignore_conflicts=True)
    ids = list(Notice.objects.filter(key__in=set(keys) - existing).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: notices_queue(ids))
    return ids


def _portal_url(link: str) -> str:
    portal: str = settings.PORTAL_URL
    return portal.rstrip("/") + link


def _written_in(notice: Notice, language: str) -> bool:
    """Render the notice in ``language`` from its stored context; False if it cannot be.

    A notice stored before contexts were kept, about an object since deleted or of
    a kind no longer rendered, keeps the text it was written with.
    """
    if notice.language == language or not notice.context:
        return False
    try:
        context = context_decode(notice.context)
        subject, text, html = _render(
            notice.kind, language, {**context, "url": _portal_url(notice.link)}
        )
    except (MissingObjectError, LookupError, ValueError, TemplateDoesNotExist):
        logger.info("Notice %s kept in %s: it cannot be rendered again", notice.pk, notice.language)
        return False
    notice.language, notice.subject, notice.body_text, notice.body_html = (
        language,
        subject[:300],
        text,
        html,
    )
    return True


def notices_in_language(notices: Iterable[Notice], *, language: str) -> list[Notice]:
    """The notices, each in ``language``: those written in another are rendered again.

    What is rendered again is stored, so the next reading in the same language
    costs nothing; a reader who switches language sees every notice in the new one.
    """
    notices = list(notices)
    for notice in notices:
        if _written_in(notice, language):
            Notice.objects.filter(pk=notice.pk).update(
                language=notice.language,
                subject=notice.subject,
                body_text=notice.body_text,
                body_html=notice.body_html,
            )
    return notices


def reader_language() -> str:
    """The language of the page being rendered, one of the interface languages."""
    default: str = settings.LANGUAGE_CODE
    language = (translation.get_language() or default).split("-")[0]
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else default


def notices_queue(notice_ids: Iterable[int]) -> int:
    """Publish a delivery task per notice. A broker that is down only delays them:
    the relay finds them pending and publishes them again."""
    from notices.tasks import notice_deliver

    queued = 0
    for notice_id in notice_ids:
        try:
            notice_deliver.apply_async(
                args=(notice_id,),
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            )
        except Exception:  # a broker outage must never undo or break the change
            logger.warning("Notice %s not queued; the relay will retry", notice_id, exc_info=True)
            continue
        queued += 1
    return queued


def _message_id(notice: Notice) -> str:
    # Stable per notice: a mail system that sees the same notice twice can drop the copy.
    digest = hashlib.sha256(notice.key.encode()).hexdigest()[:32]
    return f"<notice-{digest}@{settings.NOTICE_MESSAGE_ID_DOMAIN}>"


def notice_deliver_email(*, notice_id: int) -> str:
    """E-mail one notice, at most once; returns its delivery state."""
    error: Exception | None = None
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(no_key=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None:
            return "missing"
        if notice.email_state != DeliveryState.PENDING:  # sent, skipped, or given up on
            return notice.email_state
        if not notice.recipient.email:
            notice.email_state = DeliveryState.SKIPPED
            notice.save(update_fields=["email_state"])
            return notice.email_state
        # In the recipient's language now, whichever they read in when it was written.
        language = user_languages(user_ids=[notice.recipient_id])[notice.recipient_id]
        rendered = ["language", "subject", "body_text", "body_html"]
        written = _written_in(notice, language)
        notice.attempts += 1
        message = EmailMultiAlternatives(
            subject=notice.subject,
            body=notice.body_text,
            to=[notice.recipient.email],
            headers={"Message-ID": _message_id(notice)},
        )
        message.attach_alternative(notice.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:  # any transport failure: record it, retry with backoff
            error = exc
            notice.last_error = repr(exc)[:2000]
            if notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
                notice.email_state = DeliveryState.FAILED
        else:
            notice.email_state = DeliveryState.SENT
            notice.sent_at = timezone.now()
            notice.last_error = ""
        notice.save(
            update_fields=[
                "attempts",
                "email_state",
                "sent_at",
                "last_error",
                *(rendered if written else []),
            ]
        )
    if error is not None and notice.email_state == DeliveryState.PENDING:
        raise NoticeDeliveryError(str(error)) from error
    return notice.email_state


def notices_relay_pending(
    *, older_than: datetime.timedelta | None = None, batch_size: int = 500
) -> int:
    """Queue again the notices still pending after a while; returns how many."""
    if older_than is None:  # not ``or``: a zero delay is a valid choice
        older_than = datetime.timedelta(seconds=settings.NOTICE_RELAY_AFTER_SECONDS)
    ids = list(
        Notice.objects.filter(
            email_state=DeliveryState.PENDING, created_at__lte=timezone.now() - older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    return notices_queue(ids)


def notice_mark_read(*, user: User, notice_id: int) -> int:
    return Notice.objects.filter(pk=notice_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notices_mark_all_read(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(*, user: User) -> int:
    return Notice.objects.filter(Q(recipient=user) & Q(read_at__isnull=True)).count()
