from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from applications import access
from applications import services as applications
from applications.api import serializers as s
from applications.filters import ApplicationFilter
from applications.models import Application
from applications.selectors import application_detail_queryset, application_list, application_scope
from applications.waitlist import waitlist_position
from applications.workflow import APPLICATION_WORKFLOW
from audit.models import AccessAction
from audit.services import access_record
from common.api.permissions import acting_user
from common.api.schema import path_number
from common.api.serializers import CommentSerializer, RequiredCommentSerializer
from common.api.workflow import ActionEndpoint, workflow_actions
from patients.api.serializers import DocumentUploadSerializer
from patients.api.views import _audit_page
from patients.http import document_response


def _approval(outcome: applications.ApprovalOutcome) -> Response:
    """Approving answers whether a slot was held or the application waits, and where."""
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


# The steps of ``APPLICATION_WORKFLOW`` people take, as POST /applications/{id}/<step>/.
STEP_ENDPOINTS = {
    "submit": ActionEndpoint(applications.application_submit, CommentSerializer),
    "answer": ActionEndpoint(applications.application_answer, RequiredCommentSerializer),
    "start_review": ActionEndpoint(applications.application_start_review, CommentSerializer),
    "request_info": ActionEndpoint(
        applications.application_request_info, RequiredCommentSerializer
    ),
    "approve": ActionEndpoint(
        applications.application_approve,
        CommentSerializer,
        response=s.ApprovalSerializer,
        answer=_approval,
    ),
    "reject": ActionEndpoint(applications.application_reject, s.RejectSerializer),
    "withdraw": ActionEndpoint(applications.application_withdraw, s.WithdrawSerializer),
}


@workflow_actions(APPLICATION_WORKFLOW, STEP_ENDPOINTS, id_field="application_id")
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Any],
):
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at", "status_changed_at", "number", "urgency"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Application]:
        if self.action == "list":
            return application_list(user=self.request.user)
        if self.action == "retrieve":
            return application_detail_queryset(user=self.request.user)
        # Actions only need to know the application is visible; the service loads it.
        return application_scope(user=self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        by_action: dict[str, type[BaseSerializer[Any]]] = {
            "retrieve": s.ApplicationDetailSerializer,
            "create": s.ApplicationCreateSerializer,
            "partial_update": s.ApplicationUpdateSerializer,
        }
        return by_action.get(self.action, s.ApplicationSerializer)

    answer_serializer = s.ApplicationDetailSerializer

    def action_answer(self, application_id: int) -> Response:
        application = get_object_or_404(
            application_detail_queryset(user=self.request.user), pk=application_id
        )
        application.waitlist_position = waitlist_position(application)  # type: ignore[attr-defined]
        application.actions = access.actions(self.request.user, application)  # type: ignore[attr-defined]
        return Response(s.ApplicationDetailSerializer(application).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # noqa: S101 (the API always paginates: settings)
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
        return self.action_answer(application.pk)

    @extend_schema(
        request=s.ApplicationCreateSerializer, responses={201: s.ApplicationDetailSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.ApplicationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        application = applications.application_create(
            actor=acting_user(request), **serializer.validated_data
        )
        response = self.action_answer(application.pk)
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
        return self.action_answer(application.pk)

    # Paged like every list of the API; the list's filters do not apply here.
    @extend_schema(responses=s.ApplicationEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
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
        page = self.paginate_queryset(application.events.all())
        assert page is not None  # noqa: S101 (the API always paginates: settings)
        return self.get_paginated_response(s.ApplicationEventSerializer(page, many=True).data)

    @extend_schema(
        methods=["POST"], request=DocumentUploadSerializer, responses={201: s.DocumentSerializer}
    )
    @extend_schema(methods=["GET"], responses=s.DocumentSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
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
            page = self.paginate_queryset(application.documents.all())
            assert page is not None  # noqa: S101 (the API always paginates: settings)
            return self.get_paginated_response(s.DocumentSerializer(page, many=True).data)
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = applications.application_document_add(
            actor=acting_user(request),
            application_id=application.pk,
            upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[path_number("document_id", "One of the application's documents.")],
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")},
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
