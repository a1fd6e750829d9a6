from modeltranslation.translator import TranslationOptions, register

from institutions.models import Specialty


@register(Specialty)
class SpecialtyTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru", "en")
