from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from quotas.models import Channel


class ChannelChoiceField(forms.ModelChoiceField[Any]):
    def label_from_instance(self, obj: Channel) -> str:
        return f"{obj.pool.code} · {obj.issuing_institution.name} ({obj.slots})"


class TransferForm(forms.Form):
    target = ChannelChoiceField(queryset=Channel.objects.none(), label=_("To channel"))
    slots = forms.IntegerField(label=_("Slots"), min_value=1)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, source: Channel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Channel], self.fields["target"])
        field.queryset = (
            Channel.objects.filter(pool_id=source.pool_id)
            .exclude(pk=source.pk)
            .select_related("pool", "issuing_institution")
        )
