"""The one pagination of the API's lists: ``?page=`` and ``?page_size=`` in [1, 200]."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

MAX_PAGE_SIZE = 200


class StandardPagination(PageNumberPagination):
    """Pages of ``PAGE_SIZE`` rows unless ``page_size`` asks for 1 to ``MAX_PAGE_SIZE``.

    A ``page_size`` that is not a whole number in that range is refused (400 naming
    the parameter) rather than quietly replaced: a client asking for 99999 rows
    must learn that it gets at most 200.
    """

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        asked = request.query_params.get(self.page_size_query_param)
        if asked is None or asked == "":
            return self.page_size
        if not (asked.isascii() and asked.isdigit()) or not 1 <= int(asked) <= MAX_PAGE_SIZE:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
                    ]
                }
            )
        return int(asked)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:  # noqa: ANN401
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE_SIZE})
                parameter["description"] = _("Number of results per page, from 1 to %(max)d.") % {
                    "max": MAX_PAGE_SIZE
                }
        return parameters
