from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modeltranslation.manager import MultilingualManager

from common.models import History, StateHistory
from institutions.models import Institution, Specialty
from quotas.access import AgreementQuerySet, ChannelQuerySet, PoolQuerySet
from quotas.choices import (
    AgreementKind,
    AgreementStatus,
    ChannelChangeKind,
    CooperationArea,
    PoolKind,
)

# The managers of the models with translated fields (``quotas/translation.py``):
# modeltranslation's, which reads those fields in the active language, with the
# app's access rules. Declared here, so modeltranslation keeps them as they are
# and the type checker sees their methods.
_AgreementManagerBase = models.Manager.from_queryset(AgreementQuerySet)
_PoolManagerBase = models.Manager.from_queryset(PoolQuerySet)


class AgreementManager(MultilingualManager["Agreement"], _AgreementManagerBase["Agreement"]):
    pass


class PoolManager(MultilingualManager["QuotaPool"], _PoolManagerBase["QuotaPool"]):
    pass


class Agreement(models.Model):
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=32, choices=AgreementKind.choices)
    # Moved only by ``quotas.workflow.AGREEMENT_WORKFLOW``.
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    party_institutions = models.ManyToManyField(
        Institution, related_name="agreements", verbose_name=_("party institutions"), blank=True
    )
    party_countries = CountryField(_("party countries"), multiple=True, blank=True)
    coordinator = models.ForeignKey(
        Institution,
        verbose_name=_("coordinating body"),
        help_text=_("For a multilateral framework: the base organisation that coordinates it."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_agreements",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    areas = models.JSONField(
        _("areas of cooperation"),
        default=list,
        blank=True,
        help_text=_("Codes from the list of cooperation areas."),
    )
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementManager()

    class Meta:
        ordering = ["-valid_from", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_areas_display(self) -> list[str]:
        labels = dict(CooperationArea.choices)
        return [str(labels.get(code, code)) for code in self.areas]


class QuotaPool(models.Model):
    """Slots of one kind for one period, from a sending country to a host country."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="pools", verbose_name=_("agreement")
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Prefix of application numbers, e.g. KG-TR-2026."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PoolKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    sending_country = CountryField(_("sending country"))
    host_country = CountryField(_("host country"))
    specialties = models.ManyToManyField(
        Specialty,
        related_name="pools",
        verbose_name=_("allowed specialties"),
        help_text=_("Empty: any specialty."),
        blank=True,
    )
    eligible_institutions: models.ManyToManyField[Institution, models.Model] = (
        models.ManyToManyField(
            Institution,
            related_name="eligible_pools",
            verbose_name=_("eligible host institutions"),
            help_text=_("Empty: any institution of the host country."),
            blank=True,
        )
    )
    total_slots = models.IntegerField(_("total slots"))
    hold_days = models.IntegerField(
        _("hold days"),
        default=30,
        help_text=_("Days an allocated slot is held before it returns to its channel."),
    )
    admission_grace_days = models.IntegerField(
        _("admission grace days"),
        default=14,
        help_text=_(
            "Days after the admission date a clinic has accepted that the slot stays confirmed."
        ),
    )
    application_seq = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("Last application number issued in the pool.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PoolManager()

    class Meta:
        ordering = ["-period_start", "code"]
        verbose_name = _("quota pool")
        verbose_name_plural = _("quota pools")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_slots__gte=0), name="pool_total_slots_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="pool_period_ordered"
            ),
            models.CheckConstraint(condition=Q(hold_days__gte=1), name="pool_hold_days_positive"),
            models.CheckConstraint(
                condition=Q(admission_grace_days__gte=0), name="pool_grace_days_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """The share of a pool issued by one institution, e.g. the embassy's 100 slots."""

    pool = models.ForeignKey(
        QuotaPool, on_delete=models.CASCADE, related_name="channels", verbose_name=_("pool")
    )
    issuing_institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="channels",
        verbose_name=_("issuing institution"),
    )
    slots = models.IntegerField(_("slots"))
    # Live allocations (held, confirmed, used), kept by the allocation services in
    # the same statement that takes or returns a slot. The check constraint below
    # is what makes overbooking impossible, whatever the code path.
    live_allocations = models.IntegerField(_("slots taken"), default=0, editable=False)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["pool", "-slots", "id"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [
            models.CheckConstraint(condition=Q(slots__gte=0), name="channel_slots_not_negative"),
            models.CheckConstraint(
                condition=Q(live_allocations__gte=0), name="channel_live_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(live_allocations__lte=F("slots")), name="channel_live_within_slots"
            ),
            models.UniqueConstraint(
                fields=["pool", "issuing_institution"], name="channel_one_per_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} · {self.issuing_institution}"


class ChannelChange(History):
    """The record of every change to a channel's slots: who, when, from, to, why."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=ChannelChangeKind.choices)
    slots_before = models.IntegerField()
    slots_after = models.IntegerField()
    counterpart = models.ForeignKey(
        Channel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The other channel of a transfer."),
    )
    # The officer's own words: a transfer's reason is free text, not a code.
    reason = models.TextField(blank=True)

    class Meta(History.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("channel change")
        verbose_name_plural = _("channel changes")

    def __str__(self) -> str:
        return f"{self.channel}: {self.slots_before} → {self.slots_after}"


class AgreementEvent(StateHistory):
    """One step of an agreement's status: entered, in force, expired, terminated."""

    states = AgreementStatus
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")

    class Meta(StateHistory.Meta):
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")


class Revision(History):
    """A write of an agreement's or a pool's fields: each changed field, before and after."""

    changes = models.JSONField(_("changes"), default=dict)

    class Meta(History.Meta):
        abstract = True


class AgreementRevision(Revision):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")

    class Meta(Revision.Meta):
        verbose_name = _("agreement revision")
        verbose_name_plural = _("agreement revisions")


class PoolRevision(Revision):
    pool = models.ForeignKey(QuotaPool, on_delete=models.CASCADE, related_name="revisions")

    class Meta(Revision.Meta):
        verbose_name = _("pool revision")
        verbose_name_plural = _("pool revisions")
