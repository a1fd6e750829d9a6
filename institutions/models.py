from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from institutions.choices import AccreditationKind, InstitutionKind, MembershipRole

if TYPE_CHECKING:
    from modeltranslation.manager import MultilingualManager


class Specialty(models.Model):
    """A field of care or training; ``name`` is translated (see translation.py)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    # modeltranslation puts its manager in place at run time (translation.py); this tells
    # the type checker, which cannot see that.
    objects: ClassVar[MultilingualManager[Specialty]]

    class Meta:
        ordering = ["code"]
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    specialties: models.ManyToManyField[Specialty, InstitutionSpecialty] = models.ManyToManyField(
        Specialty,
        through="InstitutionSpecialty",
        related_name="institutions",
        verbose_name=_("specialties offered"),
        blank=True,
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    # modeltranslation's manager, put in place at run time (translation.py).
    objects: ClassVar[MultilingualManager[Institution]]

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="institution_unique_name"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="institution_not_own_parent"),
        ]
        indexes = [models.Index(fields=["kind", "country"])]

    def __str__(self) -> str:
        return self.name


class InstitutionSpecialty(models.Model):
    """A specialty an institution offers, with its yearly capacity for foreign patients."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="offered_specialties"
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+")
    annual_capacity = models.PositiveIntegerField(
        _("annual capacity"),
        null=True,
        blank=True,
        help_text=_("Patients a year the institution can take in this specialty."),
    )

    class Meta:
        verbose_name = _("specialty offered")
        verbose_name_plural = _("specialties offered")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "specialty"], name="institution_specialty_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} · {self.specialty}"


class Accreditation(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="accreditations"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=AccreditationKind.choices)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    reference = models.CharField(_("certificate or licence number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["institution", "kind"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="accreditation_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.institution}"


class Membership(models.Model):
    """A user acting for an institution in one role; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=MembershipRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution}"
