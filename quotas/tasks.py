from celery import shared_task

from quotas import notices


@shared_task
def pools_underuse() -> int:
    return notices.pools_underused_check()
