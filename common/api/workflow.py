"""API action endpoints generated from a workflow's table.

``workflow_actions`` adds to a viewset one ``POST /{id}/<action>/`` per step a
person takes in the table (``by`` is not the portal, and not the creating
step), with its request serializer and schema. Each step names its service and
request serializer in an ``ActionEndpoint``; a table row without one is a
configuration error at start-up, so a new step cannot be forgotten in the API.
The answer is the viewset's ``action_answer(obj_id)`` (the object as read
after the change) unless the endpoint says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from common.api.permissions import acting_user
from common.workflow import NEW, PORTAL, Transition, Workflow


class _Answers(Protocol):
    def action_answer(self, obj_id: int) -> Response: ...


@dataclass(frozen=True)
class ActionEndpoint:
    """How the API takes one step of a table."""

    # Called as ``service(actor=user, <id_field>=obj.pk, **validated_request)``.
    service: Callable[..., Any]
    request: type[serializers.Serializer[Any]]
    # The answer's schema; None: the viewset's ``answer_serializer``.
    response: type[serializers.Serializer[Any]] | None = None
    # Builds the answer from the service's result; None: ``action_answer``.
    answer: Callable[[Any], Response] | None = None


V = TypeVar("V", bound=type[GenericViewSet[Any]])


def person_steps(workflow: Workflow[Any]) -> list[Transition]:
    """The table's steps a person takes on an existing object."""
    return [t for t in workflow if t.by != PORTAL and NEW not in t.sources]


def step_description(transition: Transition) -> str:
    """What the schema says of a step: who takes it, from which states, to which."""
    return (
        f"Taken by the {transition.by}, from {', '.join(sorted(transition.sources))}; "
        f"leads to {', '.join(sorted(transition.targets))}. From any other state the "
        "answer is 409 with the code `invalid_transition`."
    )


def _endpoint_method(
    transition: Transition, endpoint: ActionEndpoint, id_field: str
) -> Callable[..., Response]:
    def take_step(self: GenericViewSet[Any], request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()  # a 404 for an object the user may not see
        serializer = endpoint.request(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = endpoint.service(
            actor=acting_user(request), **{id_field: obj.pk}, **serializer.validated_data
        )
        if endpoint.answer is not None:
            return endpoint.answer(result)
        return cast(_Answers, self).action_answer(obj.pk)

    take_step.__name__ = transition.action
    return take_step


def workflow_actions(
    workflow: Workflow[Any], endpoints: Mapping[str, ActionEndpoint], *, id_field: str
) -> Callable[[V], V]:
    """Class decorator: one action endpoint per person's step of ``workflow``'s table."""

    def decorate(viewset: V) -> V:
        steps = person_steps(workflow)
        missing = {t.action for t in steps} - set(endpoints)
        unknown = set(endpoints) - {t.action for t in steps}
        if missing or unknown:
            raise ImproperlyConfigured(
                f"{viewset.__name__}: steps without an endpoint {sorted(missing)}, "
                f"endpoints without a step {sorted(unknown)}"
            )
        # An answer of its own needs its own schema, or the schema would promise the object.
        unschemed = sorted(a for a, e in endpoints.items() if e.answer and not e.response)
        if unschemed:
            raise ImproperlyConfigured(
                f"{viewset.__name__}: endpoints answering without a response schema {unschemed}"
            )
        for transition in steps:
            endpoint = endpoints[transition.action]
            method = action(
                detail=True, methods=["post"], url_path=transition.action.replace("_", "-")
            )(_endpoint_method(transition, endpoint, id_field))
            method = extend_schema(
                description=step_description(transition),
                request=endpoint.request,
                responses=endpoint.response or viewset.answer_serializer,  # type: ignore[attr-defined]
            )(method)
            setattr(viewset, transition.action, method)
        return viewset

    return decorate
