"""The institution directory and the list of specialties: read-only, for every signed-in user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter

from institutions.api import serializers as s
from institutions.filters import InstitutionFilter
from institutions.models import Institution, Specialty
from institutions.selectors import institution_list


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Active institutions with the specialties they offer and their accreditations.

    Search by name or city with ``q``.
    """

    serializer_class = s.InstitutionSerializer
    filterset_class = InstitutionFilter
    # The FilterSet's ``q`` searches, as on the directory page.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["name", "country", "kind", "city"]

    def get_queryset(self) -> QuerySet[Institution]:
        return institution_list()


class SpecialtyViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    serializer_class = s.SpecialtySerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code"]

    def get_queryset(self) -> QuerySet[Specialty]:
        return Specialty.objects.order_by("code")
