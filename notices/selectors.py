from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from notices.models import Notice


def notice_list(*, user: User | AnonymousUser) -> QuerySet[Notice]:
    """The user's own notices, newest first; nobody reads another's inbox."""
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")
