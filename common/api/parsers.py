"""The API's JSON parser, with limits that keep a hostile body from costing a 500.

JSON nested deeper than ``JSON_MAX_DEPTH`` (no request of ours needs more than a
few levels) and bodies larger than Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are
refused before anything is decoded: a body of 20,000 ``[`` would otherwise exhaust
the decoder's recursion, and a huge one the worker's memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

JSON_MAX_DEPTH = 32

# A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


def body_too_large_message() -> str:
    return _("The request body is larger than %(limit)d bytes.") % {
        "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether the JSON text nests arrays and objects more than ``limit`` deep."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(body):
        bracket = match.group()
        if len(bracket) != 1:
            continue  # a string
        if bracket[0] in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing too large bodies (413) and too deep nesting (400)."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:  # noqa: ANN401 (any JSON value)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestBodyTooLarge(body_too_large_message())
        if json_depth_exceeds(body, JSON_MAX_DEPTH):
            raise ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.")
                % {"depth": JSON_MAX_DEPTH}
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # a guard beside the depth check, never expected
            raise ParseError(_("JSON parse error - nested too deeply.")) from None
