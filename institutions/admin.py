from django.conf import settings
from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from institutions.models import (
    Accreditation,
    Institution,
    InstitutionSpecialty,
    Membership,
    Specialty,
)


@admin.register(Specialty)
class SpecialtyAdmin(TabbedTranslationAdmin[Specialty]):
    list_display = ["code", "name"]
    search_fields = ["code", *(f"name_{code}" for code, _name in settings.LANGUAGES)]


class InstitutionSpecialtyInline(admin.TabularInline[InstitutionSpecialty, Institution]):
    model = InstitutionSpecialty
    extra = 0
    autocomplete_fields = ["specialty"]


class AccreditationInline(admin.TabularInline[Accreditation, Institution]):
    model = Accreditation
    extra = 0


class MembershipInline(admin.TabularInline[Membership, Institution]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Institution)
class InstitutionAdmin(TabbedTranslationAdmin[Institution]):
    """Names and short names have a tab per interface language; the search reads them all."""

    list_display = ["name", "kind", "country", "city", "is_active"]
    list_filter = ["kind", "country", "is_active", "accreditations__kind"]
    search_fields = [
        *(
            f"{field}_{code}"
            for field in ("name", "short_name")
            for code, _name in settings.LANGUAGES
        ),
        "city",
    ]
    autocomplete_fields = ["parent"]
    inlines = [InstitutionSpecialtyInline, AccreditationInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role", "institution__country", "institution__kind"]
    search_fields = ["user__username", "user__email", "institution__name"]
    autocomplete_fields = ["user", "institution"]
    list_select_related = ["user", "institution"]


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin[Accreditation]):
    list_display = ["institution", "kind", "issuer", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["institution__name", "issuer", "reference"]
    autocomplete_fields = ["institution"]
    list_select_related = ["institution"]
