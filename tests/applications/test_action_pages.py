"""A step refused on the application's page keeps what the user typed, with the error at the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.choices import ApplicationStatus
from applications.models import ApplicationEvent
from tests.support.applications import make_application

pytestmark = pytest.mark.django_db


def _act(client, application, step: str, **fields):
    return client.post(
        reverse("application-action", args=[application.pk, step]),
        {f"{step}-{name}": value for name, value in fields.items()},
    )


def _failed_form(response, step: str):
    return dict(response.context["action_forms"])[step]


def test_reject_with_a_too_long_comment_keeps_the_text_at_the_field(world, login):
    w = world
    application = make_application(w)
    comment = "Not eligible under article 4." * 230

    response = _act(
        login(w.embassy_officer), application, "reject", reason="not_eligible", comment=comment
    )

    assert response.status_code == 200
    form = _failed_form(response, "reject")
    assert form.errors["comment"] == [
        f"Ensure this value has at most 2000 characters (it has {len(comment)})."
    ]
    assert form["comment"].value() == comment
    assert form["reason"].value() == "not_eligible"
    page = response.content.decode()
    assert 'id="action-reject"' in page
    assert "Not eligible under article 4." in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW


def test_reject_without_a_comment_shows_the_error_at_the_comment(world, login):
    w = world
    application = make_application(w)

    response = _act(
        login(w.embassy_officer), application, "reject", reason="treatable_at_home", comment=""
    )

    form = _failed_form(response, "reject")
    assert list(form.errors) == ["comment"]
    assert form["reason"].value() == "treatable_at_home"


def test_a_request_for_documents_refused_by_the_service_keeps_the_form(world, login):
    w = world
    application = make_application(w)

    response = _act(login(w.embassy_officer), application, "request_info", comment="   ")

    assert response.status_code == 200
    form = _failed_form(response, "request_info")
    assert form.errors["comment"] == ["Say what information or documents are needed."]
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_a_step_no_longer_offered_is_explained_on_the_page(world, login):
    w = world
    application = make_application(w, status=ApplicationStatus.REJECTED)

    response = _act(login(w.embassy_officer), application, "request_info", comment="CT, please.")

    assert response.status_code == 200
    assert "request_info" not in dict(response.context["action_forms"])
    assert "cannot be sent back for information" in response.content.decode()


def test_a_step_that_succeeds_still_redirects(world, login):
    w = world
    application = make_application(w)

    response = _act(login(w.embassy_officer), application, "request_info", comment="CT, please.")

    assert response.status_code == 302
    assert response.url == reverse("application-detail", args=[application.pk])


def test_a_long_medical_summary_folds_on_the_page(world, login):
    w = world
    long = make_application(w, medical_summary="Relapse after ABVD. " * 200)
    short = make_application(w, medical_summary="Stage II.")
    client = login(w.embassy_officer)

    folded = client.get(reverse("application-detail", args=[long.pk])).content.decode()
    plain = client.get(reverse("application-detail", args=[short.pk])).content.decode()

    assert '<details class="long-text">' in folded
    assert "Show all" in folded
    assert '<details class="long-text">' not in plain
