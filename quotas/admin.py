from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin

from quotas import services
from quotas.models import Agreement, Channel, ChannelChange, QuotaPool

M = TypeVar("M", bound=models.Model)


def _actor(request: HttpRequest) -> User:
    """The administration site serves signed-in staff only."""
    return cast(User, request.user)


def _form_data(form: ModelForm[Any], change: bool) -> dict[str, Any]:
    """What the admin's form writes: every field of a new object, the changed ones otherwise."""
    names = form.changed_data if change else list(form.cleaned_data)
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class _WrittenByServices(TabbedTranslationAdmin[M]):
    """Agreements and pools are written by the quota services, so every write is recorded.

    Their names have a tab per interface language.
    """

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formsets: Iterable[BaseInlineFormSet[Any, Any, Any]],
        change: bool,
    ) -> None:
        # The service set the relations already; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _adopt(self, obj: models.Model, saved: models.Model) -> None:
        obj.pk = saved.pk
        obj._state.adding = False


class ChannelInlineFormSet(BaseInlineFormSet[Channel, QuotaPool, Any]):
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


class ChannelInline(admin.TabularInline[Channel, QuotaPool]):
    model = Channel
    formset = ChannelInlineFormSet
    extra = 0
    autocomplete_fields = ["issuing_institution"]


@admin.register(QuotaPool)
class QuotaPoolAdmin(_WrittenByServices[QuotaPool]):
    list_display = ["code", "name", "kind", "period_start", "period_end", "total_slots"]
    list_filter = ["kind", "sending_country", "host_country", "agreement__status"]
    search_fields = ["code", "name", "agreement__title"]
    autocomplete_fields = ["agreement", "eligible_institutions", "specialties"]
    date_hierarchy = "period_start"
    inlines = [ChannelInline]

    def save_model(
        self, request: HttpRequest, obj: QuotaPool, form: ModelForm[Any], change: bool
    ) -> None:
        data = _form_data(form, change)
        if change:
            services.pool_update(actor=_actor(request), pool_id=obj.pk, data=data)
        else:
            self._adopt(obj, services.pool_create(actor=_actor(request), data=data))

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
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
                actor=_actor(request),
                reason=_("Changed in the administration site"),
            )
        for channel in formset.new_objects:
            services.channel_open(
                pool=form.instance,
                issuing_institution=channel.issuing_institution,
                slots=channel.slots,
                actor=_actor(request),
                reason=_("Opened in the administration site"),
            )
        return None


@admin.register(Agreement)
class AgreementAdmin(_WrittenByServices[Agreement]):
    list_display = ["title", "kind", "status", "signed_on", "valid_from", "valid_until"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "summary", "party_institutions__name"]
    autocomplete_fields = ["party_institutions", "coordinator"]
    date_hierarchy = "valid_from"

    def save_model(
        self, request: HttpRequest, obj: Agreement, form: ModelForm[Any], change: bool
    ) -> None:
        data = _form_data(form, change)
        if change:
            services.agreement_update(actor=_actor(request), agreement_id=obj.pk, data=data)
        else:
            self._adopt(obj, services.agreement_create(actor=_actor(request), data=data))


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = ["pool", "issuing_institution", "slots"]
    list_filter = ["pool__kind", "pool__sending_country", "pool__host_country"]
    search_fields = ["pool__code", "pool__name", "issuing_institution__name"]
    list_select_related = ["pool", "issuing_institution"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # channels are opened in their pool, where the sum is checked

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(ChannelChange)
class ChannelChangeAdmin(admin.ModelAdmin[ChannelChange]):
    list_display = ["created_at", "channel", "kind", "slots_before", "slots_after", "actor"]
    list_filter = ["kind"]
    search_fields = ["channel__pool__code", "reason"]
    list_select_related = ["channel__pool", "channel__issuing_institution", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
