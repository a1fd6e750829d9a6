from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from quotas import services
from quotas.models import Agreement, Channel, ChannelChange, QuotaPool


class ChannelInlineFormSet(BaseInlineFormSet):
    """Refuses channels that add up to more than the pool, with the pool row locked.

    The admin validates and saves inside one transaction, so the lock taken here
    holds until the channels are written.
    """

    def clean(self) -> None:
        super().clean()
        pool = self.instance
        if pool.pk:
            services.pool_lock(pool_id=pool.pk)
        total = 0
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            total += form.cleaned_data.get("slots") or 0
        if pool.total_slots is not None and total > pool.total_slots:
            raise ValidationError(
                _("The channels add up to %(sum)d slots, more than the pool's %(total)d.")
                % {"sum": total, "total": pool.total_slots}
            )


class ChannelInline(admin.TabularInline):
    model = Channel
    formset = ChannelInlineFormSet
    extra = 0
    autocomplete_fields = ["issuing_institution"]


@admin.register(QuotaPool)
class QuotaPoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "period_start", "period_end", "total_slots"]
    list_filter = ["kind", "sending_country", "host_country", "agreement__status"]
    search_fields = ["code", "name", "agreement__title"]
    autocomplete_fields = ["agreement", "eligible_institutions", "specialties"]
    date_hierarchy = "period_start"
    inlines = [ChannelInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Channel:
            return super().save_formset(request, form, formset, change)
        # Channels go through the services so every change is on the record;
        # shrinking ones first, so a move between two channels never overshoots.
        # save(commit=False) writes nothing; it fills the lists the admin's
        # change message is built from.
        formset.save(commit=False)
        for channel in formset.deleted_objects:
            channel.delete()
        resized = sorted(
            formset.changed_objects,
            key=lambda pair: pair[0].slots - Channel.objects.get(pk=pair[0].pk).slots,
        )
        for channel, _fields in resized:
            services.channel_set_slots(
                channel=channel,
                slots=channel.slots,
                actor=request.user,
                reason=_("Changed in the administration site"),
            )
        for channel in formset.new_objects:
            services.channel_open(
                pool=form.instance,
                issuing_institution=channel.issuing_institution,
                slots=channel.slots,
                actor=request.user,
                reason=_("Opened in the administration site"),
            )
        return None


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "signed_on", "valid_from", "valid_until"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "summary", "party_institutions__name"]
    autocomplete_fields = ["party_institutions", "coordinator"]
    date_hierarchy = "valid_from"


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["pool", "issuing_institution", "slots"]
    list_filter = ["pool__kind", "pool__sending_country", "pool__host_country"]
    search_fields = ["pool__code", "pool__name", "issuing_institution__name"]
    list_select_related = ["pool", "issuing_institution"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # channels are opened in their pool, where the sum is checked

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChannelChange)
class ChannelChangeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "kind", "slots_before", "slots_after", "actor"]
    list_filter = ["kind"]
    search_fields = ["channel__pool__code", "reason"]
    list_select_related = ["channel__pool", "channel__issuing_institution", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
