"""Celery tasks: thin, they take ids and call the services.

Delivery is acknowledged late and requeued if the worker dies mid-task; the
service's row lock and state check make a second run harmless.
"""

from celery import shared_task

from notices import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(services.NoticeDeliveryError,),
    retry_backoff=10,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=8,
)
def notice_deliver(notice_id: int) -> str:
    return services.notice_deliver_email(notice_id=notice_id)


@shared_task
def notices_relay() -> int:
    return services.notices_relay_pending()
