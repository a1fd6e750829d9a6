"""The fields kept in every interface language (django-modeltranslation).

A translated field reads in the active language, falling back to Russian and
then English (``MODELTRANSLATION_FALLBACK_LANGUAGES``); Russian and English are
required where an administrator writes them.
"""

from modeltranslation.translator import TranslationOptions, register

from institutions.models import Institution, Specialty


@register(Specialty)
class SpecialtyTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru", "en")


@register(Institution)
class InstitutionTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")
    required_languages = {"ru": ("name",), "en": ("name",)}
