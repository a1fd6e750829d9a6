"""Writes to a user's own settings."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Profile


def profile_set_language(*, user: User, language: str) -> Profile:
    """Store the language of the user's pages and notices; one of settings.LANGUAGES."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    profile, created = Profile.objects.get_or_create(user=user, defaults={"language": language})
    if not created and profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile
