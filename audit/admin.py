from django.contrib import admin
from django.http import HttpRequest

from audit.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin[AccessRecord]):
    """Read-only: administrators may search the log; nobody may change it."""

    list_display = ["at", "user", "action", "object_type", "object_id", "patient_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "user__username", "path"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessRecord | None = None) -> bool:
        return False
