"""The OpenAPI schema of every operation, with the error answers the portal gives.

drf-spectacular documents only the success of an operation. The portal's
refusals have two shapes (``common.api.exceptions``): a refusal with ``detail``
(and a ``code`` where the portal refuses a step), and a validation error naming
each field with its messages. Each operation lists the refusals it can give:

- 400 where it reads a body or query parameters (a bad field, filter or JSON);
- 401 and 403 where it needs a signed-in user (none, or not allowed);
- 404 where it names an object in its path, or pages a list (an unknown page);
- 409 where it writes (a step the table refuses, a record locked by someone else);
- 429 where it is rate limited (and, on the token endpoint, for a locked-out login).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

ERROR = {
    "type": "object",
    "description": "A refusal: why, and for a refused step its code.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail"],
}
VALIDATION_ERRORS = {
    "type": "object",
    "description": (
        "The fields that were refused, each with its messages (a nested field's by its "
        "position or name); ``non_field_errors`` for the request as a whole."
    ),
    "additionalProperties": {
        "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]
    },
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's schema, with each operation's error answers documented."""

    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: Any,  # noqa: ANN401 (drf-spectacular's own signature)
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses: dict[str, Any] = operation["responses"]
        for code, schema, description in self._refusals(operation):
            responses.setdefault(
                code,
                {"description": description, "content": {"application/json": {"schema": schema}}},
            )
        return operation

    def get_auth(self) -> list[dict[str, Any]]:
        auths: list[dict[str, Any]] = super().get_auth()
        # A view open to anyone (signing in to get a token) needs no credentials.
        if not self.view.get_permissions() and {} not in auths:
            auths.append({})
        return auths

    def _refusals(self, operation: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
        error = self._component("Error", ERROR)
        refusals: list[tuple[str, dict[str, Any], str]] = []
        if "requestBody" in operation or any(
            p["in"] == "query" for p in operation.get("parameters", [])
        ):
            invalid = {"oneOf": [self._component("ValidationErrors", VALIDATION_ERRORS), error]}
            refusals.append(("400", invalid, "Invalid fields, filters or body"))
        security = operation.get("security", [])
        signed_in = bool(security) and {} not in security
        if signed_in:
            refusals.append(("401", error, "Not signed in"))
            refusals.append(("403", error, "Not allowed for this user"))
        if "{" in self.path or self._is_paginated_list():
            refusals.append(("404", error, "Not found, or not visible to this user"))
        if signed_in and self.method in WRITE_METHODS:
            refusals.append(("409", error, "Refused in the object's state, or busy: retry"))
        if self.view.get_throttles():
            refusals.append(("429", error, "Too many requests or failed logins: see Retry-After"))
        return refusals

    def _is_paginated_list(self) -> bool:
        paginated = getattr(self.view, "pagination_class", None) is not None
        return self.method == "GET" and paginated and self._is_list_view()

    def _component(self, name: str, schema: dict[str, Any]) -> dict[str, str]:
        # drf-spectacular ships its plumbing untyped.
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name
        )
        self.registry.register_on_missing(component)
        return component.ref


def path_number(name: str, description: str) -> OpenApiParameter:
    """A number in the path, as a ``\\d+`` URL pattern takes it: never negative."""
    return OpenApiParameter(
        name, {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description=description
    )


def path_choice(name: str, choices: list[str], description: str) -> OpenApiParameter:
    """A word in the path that its URL pattern takes from a fixed list."""
    return OpenApiParameter(name, str, OpenApiParameter.PATH, enum=choices, description=description)
