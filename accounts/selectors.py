from collections.abc import Iterable

from django.conf import settings

from accounts.models import Profile


def user_languages(*, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's language; the portal's default for those who never chose one."""
    ids = list(user_ids)
    chosen = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {user_id: chosen.get(user_id, settings.LANGUAGE_CODE) for user_id in ids}
