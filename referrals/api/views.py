"""The API of patients, applications, allocations and channel transfers.

Querysets come from the selectors, so an object the user may not see is a 404.
Every action is one service call; the services' errors become 400/403/409 in
``core.api.exceptions``. Every read of patient data is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AccessAction
from audit.services import access_record, access_record_list
from core.api.permissions import acting_user
from institutions.models import Institution
from quotas.selectors import channel_list

from ..filters import AllocationFilter, ApplicationFilter, PatientFilter
from ..http import document_response
from ..models import Application, Patient
from ..permissions import can_review_on_channel, can_send_on_channel, officer_institution_ids
from ..selectors import (
    allocation_list,
    application_detail_queryset,
    application_list,
    application_scope,
    patient_list,
)
from ..services import allocations, applications, patients
from ..transitions import REVIEWER, SENDER, actions_from
from . import serializers as s


def _audit_page(request: Request, page: list[Any], patient_of: Any) -> None:
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
    viewsets.GenericViewSet,
):
    """Patients of the user's institutions' applications. Registering a known
    identity document returns the existing patient (200) instead of a copy."""

    serializer_class = s.PatientSerializer
    filterset_class = PatientFilter
    search_fields: list[str] = []
    ordering_fields = ["name_latin", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Patient]:
        return patient_list(user=self.request.user).select_related("registered_by")

    def get_serializer_class(self) -> Any:
        return s.PatientRegisterSerializer if self.action == "create" else s.PatientSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
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

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        institution = data.pop("institution", None)
        mine = officer_institution_ids(request.user)
        if institution is None:
            if len(mine) != 1:
                raise PermissionDenied(
                    _("Say for which of your institutions you register the patient.")
                    if mine
                    else _("Only ministry and embassy officers register patients.")
                )
            institution = Institution.objects.get(pk=next(iter(mine)))
        elif institution.pk not in mine and not request.user.is_superuser:
            raise PermissionDenied(_("You do not act for this institution."))
        patient, created = patients.patient_register(
            actor=acting_user(request), institution=institution, data=data
        )
        return Response(
            s.PatientSerializer(patient).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.get_object()
        if patient.registered_by_id not in officer_institution_ids(request.user):
            raise PermissionDenied(_("Only the registering institution changes a patient."))
        serializer = self.get_serializer(patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = patients.patient_update(
            actor=acting_user(request), patient=patient, data=dict(serializer.validated_data)
        )
        return Response(self.get_serializer(patient).data)


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at", "status_changed_at", "number", "urgency"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Application]:
        if self.action == "list":
            return application_list(user=self.request.user)
        if self.action == "retrieve":
            return application_detail_queryset(user=self.request.user)
        # Actions only need to know the application is visible; the service loads it.
        return application_scope(user=self.request.user)

    def get_serializer_class(self) -> Any:
        return {
            "retrieve": s.ApplicationDetailSerializer,
            "create": s.ApplicationCreateSerializer,
            "partial_update": s.ApplicationUpdateSerializer,
        }.get(self.action, s.ApplicationSerializer)

    def _detail(self, application_id: int) -> Response:
        application = get_object_or_404(
            application_detail_queryset(user=self.request.user), pk=application_id
        )
        application.waitlist_position = allocations.waitlist_position(application)  # type: ignore[attr-defined]
        actions: list[str] = []
        if can_send_on_channel(self.request.user, application.channel):
            actions += actions_from(application.status, by=SENDER)
        if can_review_on_channel(self.request.user, application.channel):
            actions += actions_from(application.status, by=REVIEWER)
        application.actions = actions  # type: ignore[attr-defined]
        return Response(s.ApplicationDetailSerializer(application).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None
        _audit_page(request, page, lambda a: a.patient_id)
        return self.get_paginated_response(s.ApplicationSerializer(page, many=True).data)

    @extend_schema(responses=s.ApplicationDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        access_record(
            user=request.user,
            action=AccessAction.VIEW,
            obj=application,
            patient_id=application.patient_id,
            request=request,
        )
        return self._detail(application.pk)

    @extend_schema(
        request=s.ApplicationCreateSerializer, responses={201: s.ApplicationDetailSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ApplicationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        application = applications.application_create(
            actor=acting_user(request), **serializer.validated_data
        )
        response = self._detail(application.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=s.ApplicationUpdateSerializer, responses=s.ApplicationDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        application = self.get_object()
        serializer = s.ApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        applications.application_update(
            actor=acting_user(request),
            application_id=application.pk,
            data=dict(serializer.validated_data),
        )
        return self._detail(application.pk)

    def _transition(self, request: Request, service: Any, serializer_class: Any) -> Response:
        application = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(
            actor=acting_user(request), application_id=application.pk, **serializer.validated_data
        )
        return self._detail(application.pk)

    @extend_schema(request=s.CommentSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, applications.application_submit, s.CommentSerializer)

    @extend_schema(request=s.RequiredCommentSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(
            request, applications.application_answer, s.RequiredCommentSerializer
        )

    @extend_schema(request=s.CommentSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, applications.application_start_review, s.CommentSerializer)

    @extend_schema(request=s.RequiredCommentSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(
            request, applications.application_request_info, s.RequiredCommentSerializer
        )

    @extend_schema(request=s.CommentSerializer, responses=s.ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = applications.application_approve(
            actor=acting_user(request), application_id=application.pk, **serializer.validated_data
        )
        return Response(
            s.ApprovalSerializer(
                {
                    "status": outcome.application.status,
                    "application": outcome.application,
                    "allocation": outcome.allocation,
                    "waitlist_position": outcome.waitlist_position,
                }
            ).data
        )

    @extend_schema(request=s.RejectSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, applications.application_reject, s.RejectSerializer)

    @extend_schema(request=s.WithdrawSerializer, responses=s.ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, applications.application_withdraw, s.WithdrawSerializer)

    @extend_schema(responses=s.ApplicationEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        access_record(
            user=request.user,
            action=AccessAction.VIEW,
            obj=application,
            patient_id=application.patient_id,
            request=request,
            detail="history",
        )
        return Response(s.ApplicationEventSerializer(application.events.all(), many=True).data)

    @extend_schema(
        methods=["POST"], request=s.DocumentUploadSerializer, responses={201: s.DocumentSerializer}
    )
    @extend_schema(methods=["GET"], responses=s.DocumentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        if request.method == "GET":
            access_record(
                user=request.user,
                action=AccessAction.LIST,
                obj=application,
                patient_id=application.patient_id,
                request=request,
                detail="documents",
            )
            return Response(s.DocumentSerializer(application.documents.all(), many=True).data)
        serializer = s.DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = applications.application_document_add(
            actor=acting_user(request),
            application_id=application.pk,
            upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)",
        url_name="document-download",
    )
    def document_download(
        self, request: Request, pk: str | None = None, document_id: str | None = None
    ) -> FileResponse:
        application = self.get_object()
        document = get_object_or_404(application.documents.all(), pk=document_id)
        return document_response(
            request, document, patient_id=application.patient_id, as_attachment=True
        )


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AllocationSerializer
    filterset_class = AllocationFilter
    search_fields: list[str] = []
    ordering_fields = ["held_until", "created_at"]

    def get_queryset(self) -> Any:
        return allocation_list(user=self.request.user)

    @extend_schema(request=s.ReleaseSerializer, responses=s.AllocationSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str | None = None) -> Response:
        allocation = self.get_object()
        serializer = s.ReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocations.allocation_release(
            allocation_id=allocation.pk, actor=acting_user(request), **serializer.validated_data
        )
        return Response(s.AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data)


class ChannelTransferView(APIView):
    """Move unused slots of a channel to another channel of the same pool."""

    @extend_schema(request=s.TransferSerializer, responses=s.TransferResultSerializer)
    def post(self, request: Request, pk: int) -> Response:
        source = get_object_or_404(channel_list(user=request.user), pk=pk)
        serializer = s.TransferSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        source, target = allocations.channel_transfer(
            source=source, actor=acting_user(request), **serializer.validated_data
        )
        return Response(
            s.TransferResultSerializer({"from_channel": source, "to_channel": target}).data
        )
