"""Every API answer matches the OpenAPI schema, for each of the three main roles.

Schemathesis generates requests from the served schema for every operation and
sends them in-process (WSGI) to the portal, against the real test database with a
world of pools, channels, applications and referrals in several states. Each
answer is checked: no server error, a documented status code and content type,
and a body that matches the documented schema.

The run is bounded: a few examples per operation and no shrinking; once the time
budget is spent, each operation left still gets its first example, so every
operation is checked and the run stays within about two minutes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Model
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from allocations.models import Allocation
from allocations.services import allocations_expire_due
from applications import services as application_services
from applications.choices import ApplicationStatus
from applications.models import Application, ApplicationDocument
from config.wsgi import application as wsgi_application
from institutions.models import Institution, Specialty
from notices.models import Notice
from patients.models import Patient
from quotas.models import Agreement, Channel, QuotaPool
from referrals import services as referral_services
from referrals.choices import ReferralStatus
from referrals.models import Referral, ReferralDocument
from tests.support.applications import make_application, past
from tests.support.documents import PDF
from tests.support.referrals import action_body, referral_in, referral_world

SCHEMA_URL = "/api/schema/"
ROLES = ("ministry_officer", "embassy_officer", "clinic_coordinator")
# Examples per operation and role, and the seconds after which one example each is left.
MAX_EXAMPLES = 4
BUDGET_SECONDS = 90

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# The objects behind each collection's ``{id}``: real ids, so that generated
# requests reach the objects' answers and not only 404s.
RESOURCES: dict[str, type[Model]] = {
    "agreements": Agreement,
    "allocations": Allocation,
    "applications": Application,
    "channels": Channel,
    "institutions": Institution,
    "notices": Notice,
    "patients": Patient,
    "pools": QuotaPool,
    "referrals": Referral,
    "specialties": Specialty,
}


@pytest.fixture(scope="module")
def api_schema() -> Any:
    """The schema as the portal serves it (to anyone: no database is needed to read it).

    The connection a previous test opened is left alone, as the tests' own requests do.
    """
    with in_test_transaction():
        return schemathesis.openapi.from_wsgi(
            SCHEMA_URL, wsgi_application, headers={"Accept-Encoding": "identity"}
        )


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords: None) -> None:
    """Users are made by the dozen here; nobody logs in with a password."""


@pytest.fixture
def conformance_world(world: Any, settings: Any, tmp_path: Path) -> Any:
    """The KG-TR world with applications and referrals in several states, and documents."""
    settings.MEDIA_ROOT = tmp_path
    w = referral_world(world)
    for application_status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.NEEDS_INFO,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ):
        make_application(w, status=application_status)
        make_application(w, channel=w.ministry_channel, status=application_status)
    for referral_status in ReferralStatus.values:
        referral_in(w, referral_status)
    referral_in(w, ReferralStatus.SENT, quota=False)
    referral_in(w, ReferralStatus.DECLINED, quota=False)
    with_documents = make_application(w, channel=w.ministry_channel, status="approved")
    shared = application_services.application_document_add(
        actor=w.ministry_officer,
        application_id=with_documents.pk,
        upload=SimpleUploadedFile("biopsy report.pdf", PDF),
    )
    referral = referral_services.referral_send(
        actor=w.ministry_officer,
        application_id=with_documents.pk,
        receiving_institution=w.hospital,
        covering_letter="Biopsy attached.",
        shared_document_ids=[shared.pk],
    )
    referral_services.referral_document_add(
        actor=w.clinic_coordinator,
        referral_id=referral.pk,
        upload=SimpleUploadedFile("discharge letter.pdf", PDF),
    )
    # A slot past its deadline: the portal's own steps, with no actor, in the histories.
    lapsing = make_application(w, channel=w.ministry_channel, status="approved")
    Allocation.objects.filter(application=lapsing).update(held_until=past())
    assert allocations_expire_due() == 1
    return w


@contextmanager
def in_test_transaction() -> Iterator[None]:
    """Keep the test's database transaction open across in-process requests.

    The WSGI handler closes the connection at each request's start and end, which
    would end the transaction the test's world lives in; Django's own test client
    disconnects the same receiver for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def collection_of(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def path_parameters(operation: Any) -> st.SearchStrategy[dict[str, Any]] | None:
    """Real ids for the operation's path, or None where it has no ``{id}``."""
    names = {p.name for p in operation.path_parameters}
    if "id" not in names:
        return None
    model = RESOURCES[collection_of(operation.path)]
    ids = list(model._default_manager.values_list("pk", flat=True))
    strategy: dict[str, st.SearchStrategy[Any]] = {"id": st.sampled_from(ids)}
    if "document_id" in names:
        documents = [
            *ApplicationDocument.objects.values_list("pk", flat=True),
            *ReferralDocument.objects.values_list("pk", flat=True),
        ]
        strategy["document_id"] = st.sampled_from(documents)
    return st.fixed_dictionaries(strategy)


def cases(operation: Any) -> st.SearchStrategy[Any]:
    """Generated requests: some on random ids, most on the world's own objects."""
    anywhere: st.SearchStrategy[Any] = operation.as_strategy()
    real = path_parameters(operation)
    if real is None:
        return anywhere
    on_real = real.flatmap(lambda params: operation.as_strategy(path_parameters=params))
    return st.one_of(on_real, anywhere, on_real)


def check_operation(operation: Any, headers: dict[str, str], examples: int) -> None:
    """Send ``examples`` generated requests; raise on the first answer a check refuses."""

    @given(case=cases(operation))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def role_headers(user: Any) -> dict[str, str]:
    return {
        "Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}",
        # The in-process transport hands over the body as sent; a gzipped one it cannot read.
        "Accept-Encoding": "identity",
    }


@pytest.mark.timeout(BUDGET_SECONDS * 3)
def test_every_answer_matches_the_schema_for_each_role(
    api_schema: Any, conformance_world: Any
) -> None:
    w = conformance_world
    deadline = time.monotonic() + BUDGET_SECONDS
    failures: list[str] = []

    with in_test_transaction():
        results = list(api_schema.get_all_operations())
        operations = [result.ok() for result in results if isinstance(result, Ok)]
        assert len(operations) == len(results), "an operation the schema describes invalidly"
        assert len(operations) > 40
        for role in ROLES:
            headers = role_headers(getattr(w, role))
            for operation in operations:
                examples = MAX_EXAMPLES if time.monotonic() < deadline else 1
                try:
                    check_operation(operation, headers, examples)
                except (Exception, BaseExceptionGroup) as failure:  # each finding listed
                    failures.append(f"{role}, {operation.label}:\n{failure}")

    assert not failures, f"{len(failures)} answers outside the schema:\n\n" + "\n\n".join(failures)


# Each step a person takes on a referral, from a state it starts from, by its role.
REFERRAL_STEPS = [
    ("accept", ReferralStatus.SENT, "clinic_coordinator"),
    ("decline", ReferralStatus.SENT, "clinic_coordinator"),
    ("request_info", ReferralStatus.SENT, "clinic_coordinator"),
    ("answer", ReferralStatus.INFO_REQUESTED, "ministry_officer"),
    ("admit", ReferralStatus.ACCEPTED, "clinic_coordinator"),
    ("discharge", ReferralStatus.ADMITTED, "clinic_coordinator"),
    ("no_show", ReferralStatus.ACCEPTED, "clinic_coordinator"),
    ("cancel", ReferralStatus.SENT, "ministry_officer"),
]


@pytest.mark.parametrize(("step", "start", "role"), REFERRAL_STEPS)
def test_referral_step_answer_matches_the_schema(
    api_schema: Any, world: Any, step: str, start: str, role: str
) -> None:
    """A step taken with a valid body answers the referral as its schema says."""
    w = referral_world(world)
    referral = referral_in(w, start)
    headers = role_headers(getattr(w, role))

    with in_test_transaction():
        operation = api_schema[f"/api/v1/referrals/{{id}}/{step.replace('_', '-')}/"]["POST"]
        case = operation.Case(
            path_parameters={"id": referral.pk},
            body=action_body(step),
            media_type="application/json",
        )
        response = case.call_and_validate(headers=headers, checks=CHECKS)

    assert response.status_code == 200, response.text
    assert response.json()["id"] == referral.pk
