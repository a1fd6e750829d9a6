"""The referral API: send, the clinic's answers, admission and discharge, cancellation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AccessAction
from audit.services import access_record, access_record_list
from common.api.permissions import acting_user
from common.api.schema import path_choice, path_number
from common.api.workflow import ActionEndpoint, workflow_actions
from patients.http import document_response
from referrals import access, services
from referrals.api import serializers as s
from referrals.filters import ReferralFilter
from referrals.models import Referral
from referrals.selectors import referral_detail_queryset, referral_list
from referrals.workflow import REFERRAL_WORKFLOW

# The steps of ``REFERRAL_WORKFLOW`` people take, as POST /referrals/{id}/<step>/.
STEP_ENDPOINTS = {
    "accept": ActionEndpoint(services.referral_accept, s.AcceptSerializer),
    "decline": ActionEndpoint(services.referral_decline, s.DeclineSerializer),
    "request_info": ActionEndpoint(services.referral_request_info, s.RequiredStepCommentSerializer),
    "answer": ActionEndpoint(services.referral_answer, s.RequiredStepCommentSerializer),
    "reschedule": ActionEndpoint(services.referral_reschedule, s.RescheduleSerializer),
    "admit": ActionEndpoint(services.referral_admit, s.AdmitSerializer),
    "discharge": ActionEndpoint(services.referral_discharge, s.DischargeSerializer),
    "no_show": ActionEndpoint(services.referral_no_show, s.StepCommentSerializer),
    "cancel": ActionEndpoint(services.referral_cancel, s.RequiredStepCommentSerializer),
}


@workflow_actions(REFERRAL_WORKFLOW, STEP_ENDPOINTS, id_field="referral_id")
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Any],
):
    """Referrals to receiving clinics. Create with ``application`` for a quota
    referral, or with ``sender``, ``patient`` and ``funding_source`` without one."""

    serializer_class = s.ReferralSerializer
    filterset_class = ReferralFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at", "admission_date", "status_changed_at", "number"]

    def get_queryset(self) -> QuerySet[Referral]:
        if self.action == "list":
            return referral_list(user=self.request.user)
        return referral_detail_queryset(user=self.request.user)

    answer_serializer = s.ReferralDetailSerializer

    def action_answer(self, referral_id: int) -> Response:
        referral = get_object_or_404(
            referral_detail_queryset(user=self.request.user), pk=referral_id
        )
        referral.actions = access.actions(self.request.user, referral)  # type: ignore[attr-defined]
        return Response(s.ReferralDetailSerializer(referral).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # noqa: S101 (the API always paginates: settings)
        access_record_list(
            user=request.user,
            objects=page,
            patient_ids=[r.patient_id for r in page],
            request=request,
        )
        return self.get_paginated_response(s.ReferralSerializer(page, many=True).data)

    @extend_schema(responses=s.ReferralDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        referral = self.get_object()
        access_record(
            user=request.user,
            action=AccessAction.VIEW,
            obj=referral,
            patient_id=referral.patient_id,
            request=request,
        )
        return self.action_answer(referral.pk)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="ReferralCreate",
            serializers=[s.ReferralSendSerializer, s.ReferralWithoutQuotaSerializer],
            resource_type_field_name=None,
        ),
        responses={201: s.ReferralDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = acting_user(request)
        if not isinstance(request.data, Mapping):
            raise ValidationError({"non_field_errors": ["Send a JSON object."]})
        if "application" in request.data:
            quota = s.ReferralSendSerializer(data=request.data, context={"request": request})
            quota.is_valid(raise_exception=True)
            data = quota.validated_data
            referral = services.referral_send(
                actor=actor,
                application_id=data["application"].pk,
                receiving_institution=data["receiving_institution"],
                covering_letter=data["covering_letter"],
                shared_document_ids=data["shared_documents"],
            )
        else:
            other = s.ReferralWithoutQuotaSerializer(
                data=request.data, context={"request": request}
            )
            other.is_valid(raise_exception=True)
            referral = services.referral_send_without_quota(actor=actor, **other.validated_data)
        response = self.action_answer(referral.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        methods=["POST"],
        request=s.ReferralDocumentUploadSerializer,
        responses={201: s.ReferralDocumentOutSerializer},
    )
    # Paged like every list of the API; the list's filters do not apply here.
    @extend_schema(methods=["GET"], responses=s.ReferralDocumentSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def documents(self, request: Request, pk: str | None = None) -> Response:
        referral = self.get_object()
        if request.method == "GET":
            access_record(
                user=request.user,
                action=AccessAction.LIST,
                obj=referral,
                patient_id=referral.patient_id,
                request=request,
                detail="documents",
            )
            # DRF pages any sequence; its stubs ask for a queryset.
            page = self.paginate_queryset(s.referral_documents(referral))  # type: ignore[arg-type]
            assert page is not None  # noqa: S101 (the API always paginates: settings)
            return self.get_paginated_response(page)
        serializer = s.ReferralDocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.referral_document_add(
            actor=acting_user(request),
            referral_id=referral.pk,
            upload=serializer.validated_data["file"],
            kind=serializer.validated_data["kind"],
        )
        return Response(
            s.ReferralDocumentOutSerializer(document).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            path_choice(
                "origin",
                ["application", "referral"],
                "Shared from the application, or the referral's own.",
            ),
            path_number("document_id", "One of the referral's documents of that origin."),
        ],
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<origin>application|referral)/(?P<document_id>\d+)",
        url_name="document-download",
    )
    def document_download(
        self,
        request: Request,
        pk: str | None = None,
        origin: str | None = None,
        document_id: str | None = None,
    ) -> FileResponse:
        referral = self.get_object()
        documents = (
            referral.shared_documents.all() if origin == "application" else referral.documents.all()
        )
        document = documents.filter(pk=document_id).first()
        if document is None:
            raise Http404
        return document_response(
            request, document, patient_id=referral.patient_id, as_attachment=True
        )
