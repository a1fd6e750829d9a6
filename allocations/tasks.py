"""The periodic work on slots, run by Celery beat: thin, each calls one service."""

from celery import shared_task

from allocations.services import allocations_expire_due, allocations_remind_expiring


@shared_task
def allocations_expire() -> int:
    return allocations_expire_due()


@shared_task
def allocations_remind() -> int:
    return allocations_remind_expiring()
