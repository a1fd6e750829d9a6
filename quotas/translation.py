"""The fields kept in every interface language (django-modeltranslation).

Read in the active language, falling back to Russian and then English; Russian
and English are required where an administrator writes them.
"""

from modeltranslation.translator import TranslationOptions, register

from quotas.models import Agreement, QuotaPool


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("ru", "en")


@register(QuotaPool)
class QuotaPoolTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru", "en")
