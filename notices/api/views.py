from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.permissions import acting_user
from notices import kinds
from notices.api.serializers import NoticeSerializer, ReadAllSerializer
from notices.models import Notice
from notices.selectors import notice_list
from notices.services import (
    notice_mark_read,
    notices_in_language,
    notices_mark_all_read,
    reader_language,
)


class NoticeFilter(django_filters.FilterSet):
    # BooleanWidget reads 1/0 and true/false, as API clients send them.
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", widget=django_filters.widgets.BooleanWidget()
    )
    kind = django_filters.ChoiceFilter(choices=kinds.choices())

    class Meta:
        model = Notice
        fields = ["unread", "kind"]


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]):
    """The requesting user's inbox, each notice in the request's language (Accept-Language)."""

    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    search_fields: list[str] = []
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Notice]:
        return notice_list(user=self.request.user)

    def paginate_queryset(self, queryset: QuerySet[Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else notices_in_language(page, language=reader_language())

    def get_object(self) -> Notice:
        notice: Notice = super().get_object()
        notices_in_language([notice], language=reader_language())
        return notice

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        notice_mark_read(user=acting_user(request), notice_id=notice.pk)
        notice.refresh_from_db()
        notices_in_language([notice], language=reader_language())
        return Response(NoticeSerializer(notice).data)

    @extend_schema(request=None, responses=ReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": notices_mark_all_read(user=acting_user(request))})
