from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from audit.models import AccessAction
from audit.services import access_record, access_record_list
from common.access import VIEW
from common.api.permissions import acting_user
from patients import access
from patients import services as patients
from patients.api import serializers as s
from patients.filters import PatientFilter
from patients.models import Patient
from patients.selectors import patient_list


def _audit_page(request: Request, page: list[Any], patient_of: Callable[[Any], int]) -> None:
    access_record_list(
        user=request.user,
        objects=page,
        patient_ids=[patient_of(obj) for obj in page],
        request=request,
    )


class PatientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Patients of the user's institutions' applications. Registering a known
    identity document returns the existing patient's id (200) instead of a copy;
    unless the caller may already see that record, the answer holds only the id
    and what the caller sent, and grants no read of the record."""

    serializer_class = s.PatientSerializer
    filterset_class = PatientFilter
    search_fields: list[str] = []
    ordering_fields = ["name_latin", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Patient]:
        return patient_list(user=self.request.user).select_related("registered_by")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        return s.PatientRegisterSerializer if self.action == "create" else s.PatientSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # noqa: S101 (the API always paginates: settings)
        _audit_page(request, page, lambda p: p.pk)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.get_object()
        access_record(
            user=request.user,
            action=AccessAction.VIEW,
            obj=patient,
            patient_id=patient.pk,
            request=request,
        )
        return Response(self.get_serializer(patient).data)

    @extend_schema(
        responses={
            201: OpenApiResponse(s.PatientSerializer, description="Registered"),
            200: OpenApiResponse(
                s.PatientKnownSerializer,
                description=(
                    "Already registered by this identity document: the patient's id to apply"
                    " with; the stored record only if the caller may already see it, else"
                    " just the fields sent"
                ),
            ),
        }
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        institution = access.registering_institution(request.user, data.pop("institution", None))
        patient, created = patients.patient_register(
            actor=acting_user(request), institution=institution, data=data
        )
        shown: dict[str, Any]
        if created or access.can(request.user, VIEW, patient):
            shown = s.PatientSerializer(patient).data
        else:
            # Another's record: the id to apply with and what the caller typed, nothing stored.
            shown = {"id": patient.pk, **serializer.data}
        return Response(shown, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.get_object()
        if not access.can(request.user, access.CHANGE, patient):
            raise PermissionDenied(_("Only the registering institution changes a patient."))
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = patients.patient_update(
            actor=acting_user(request), patient=patient, data=dict(serializer.validated_data)
        )
        return Response(self.get_serializer(patient).data)
