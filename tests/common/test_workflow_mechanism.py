"""The one mechanism that moves state: table checks, history rows, notices, set-based moves.

Exercised on a table of its own over the real application model and history
table, so the portal's tables and notice writers are not involved.
"""

import pytest
from django.utils import timezone

from applications.choices import ApplicationStatus as S
from applications.models import Application, ApplicationEvent
from common.exceptions import DomainError
from common.workflow import NEW, PORTAL, Transition, Workflow
from tests.support.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def table() -> Workflow[Application]:
    return Workflow(
        model=Application,
        history=ApplicationEvent,
        history_fk="application",
        refusal="An application that is %(status)s cannot be %(action)s.",
        transitions=(
            Transition("open", frozenset({NEW}), frozenset({S.DRAFT}), "sender", "opened"),
            Transition("file", frozenset({S.DRAFT}), frozenset({S.SUBMITTED}), "sender", "filed"),
            Transition(
                "decide",
                frozenset({S.IN_REVIEW}),
                frozenset({S.APPROVED, S.WAITLISTED}),
                "reviewer",
                "decided",
            ),
            Transition("close", frozenset({S.APPROVED}), frozenset({S.LAPSED}), PORTAL, "closed"),
        ),
    )


def test_move_refuses_an_action_the_table_does_not_allow_from_the_state():
    application = ApplicationFactory(status=S.SUBMITTED)

    with pytest.raises(DomainError) as refused:
        table().move(application, action="file", actor=None)

    assert refused.value.code == "invalid_transition"
    assert "cannot be filed" in refused.value.message
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_move_refuses_a_target_outside_the_row_and_asks_to_name_one_of_several():
    application = ApplicationFactory(status=S.IN_REVIEW)

    with pytest.raises(ValueError, match="cannot lead to rejected"):
        table().move(application, action="decide", to=S.REJECTED, actor=None)
    with pytest.raises(ValueError, match="name the target"):
        table().move(application, action="decide", actor=None)


def test_move_writes_the_state_the_saved_fields_and_one_history_row():
    actor = UserFactory()
    application = ApplicationFactory(status=S.DRAFT, diagnosis_text="before")
    application.diagnosis_text = "not named, not saved"
    application.submitted_at = timezone.now()
    before = timezone.now()

    history = table().move(
        application,
        action="file",
        actor=actor,
        reason="complete",
        comment="All documents attached.",
        fields=["submitted_at"],
    )

    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.diagnosis_text) == (S.SUBMITTED, "before")
    assert stored.submitted_at is not None
    assert stored.status_changed_at >= before
    row = ApplicationEvent.objects.get(application=application)
    assert (row.pk, row.from_state, row.to_state, row.actor, row.reason, row.comment) == (
        history.pk,
        S.DRAFT,
        S.SUBMITTED,
        actor,
        "complete",
        "All documents attached.",
    )
    assert (row.from_label, row.to_label) == (S.DRAFT.label, S.SUBMITTED.label)


def test_the_creating_row_starts_from_nothing():
    # A withdrawn application leaves its patient free to apply again in the pool.
    earlier = ApplicationFactory(status=S.WITHDRAWN)
    application = Application(
        pool=earlier.pool,
        channel=earlier.channel,
        patient=earlier.patient,
        specialty=earlier.specialty,
        number="NEW-000001",
        diagnosis_code="C50.9",
        diagnosis_text="Malignant neoplasm of breast",
        medical_summary="Stage II.",
        created_by=earlier.created_by,
    )

    history = table().move(application, action="open", actor=None)

    assert Application.objects.get(pk=application.pk).status == S.DRAFT
    assert (history.from_state, history.to_state) == ("", S.DRAFT)


def test_move_many_moves_only_what_the_table_allows_with_one_history_row_each():
    moving = [ApplicationFactory(status=S.APPROVED) for _ in range(3)]
    staying = ApplicationFactory(status=S.WAITLISTED, waitlisted_at=timezone.now())
    heard: list = []
    workflow = table()
    workflow.notify_with(heard.append)

    moves = workflow.move_many(
        [*moving, staying], action="close", reason="deadline", also={"decision_reason": "deadline"}
    )

    assert [m.obj.pk for m in moves] == [a.pk for a in moving]
    assert all(m.in_bulk and m.action == "close" for m in moves)
    assert heard == [moves]
    assert set(Application.objects.filter(status=S.LAPSED).values_list("pk", flat=True)) == {
        a.pk for a in moving
    }
    assert Application.objects.get(pk=moving[0].pk).decision_reason == "deadline"
    assert Application.objects.get(pk=staying.pk).status == S.WAITLISTED
    assert ApplicationEvent.objects.filter(to_state=S.LAPSED, reason="deadline").count() == 3


def test_the_notice_writer_hears_each_single_move_once():
    heard: list = []
    workflow = table()
    workflow.notify_with(heard.append)
    workflow.notify_with(heard.append)  # registering twice changes nothing
    application = ApplicationFactory(status=S.DRAFT)

    workflow.move(application, action="file", actor=None)

    assert len(heard) == 1
    [move] = heard[0]
    assert (move.obj, move.action, move.in_bulk) == (application, "file", False)


def test_a_table_naming_an_action_twice_is_refused():
    row = Transition("file", frozenset({S.DRAFT}), frozenset({S.SUBMITTED}), "sender", "filed")

    with pytest.raises(ValueError, match="appears twice"):
        Workflow(
            model=Application,
            history=ApplicationEvent,
            history_fk="application",
            refusal="",
            transitions=(row, row),
        )


def test_actions_from_follow_the_table_and_the_role():
    workflow = table()

    assert workflow.actions_from(S.DRAFT, by="sender") == ["file"]
    assert workflow.actions_from(S.IN_REVIEW, by="sender") == []
    assert workflow.actions_from(S.IN_REVIEW, by="reviewer") == ["decide"]
