"""Every write of an agreement or a pool is on the record; an agreement's status follows its table."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from quotas.models import Agreement, AgreementEvent, AgreementRevision, PoolRevision

pytestmark = pytest.mark.django_db


def editor(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="quotas", codename__in=codenames)
    )
    client = APIClient()
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


AGREEMENT = {
    "title": "Kazakhstan–Türkiye rehabilitation protocol",
    "kind": "interministerial",
    "party_countries": ["KZ", "TR"],
    "valid_from": "2026-03-01",
    "valid_until": "2028-02-29",
    "areas": ["rehabilitation"],
}


def test_agreement_entered_in_force_is_recorded_with_its_first_step(kg_tr_world):
    w = kg_tr_world
    client = editor(w.ministry_officer, "add_agreement")

    response = client.post(
        "/api/v1/agreements/",
        {**AGREEMENT, "status": "active", "party_institutions": [w.ministry.pk]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    agreement = Agreement.objects.get(pk=response.json()["id"])
    step = AgreementEvent.objects.get(agreement=agreement)
    assert (step.from_state, step.to_state, step.actor) == ("", "active", w.ministry_officer)
    revision = AgreementRevision.objects.get(agreement=agreement)
    assert revision.reason == "created"
    assert revision.changes["title"] == [None, AGREEMENT["title"]]
    assert revision.changes["party_institutions"] == [None, [w.ministry.pk]]
    assert revision.changes["status"] == [None, "active"]


@pytest.mark.parametrize(
    ("start", "wanted", "step"),
    [
        ("draft", "active", "activate"),
        ("active", "expired", "expire"),
        ("active", "terminated", "terminate"),
        ("draft", "terminated", "terminate"),
        ("expired", "active", "renew"),
    ],
)
def test_status_change_is_a_step_of_the_table_on_the_record(kg_tr_world, start, wanted, step):
    w = kg_tr_world
    client = editor(w.ministry_officer, "add_agreement", "change_agreement")
    # A party to it, so the editor sees what they entered.
    created = client.post(
        "/api/v1/agreements/",
        {**AGREEMENT, "status": start, "party_institutions": [w.ministry.pk]},
        format="json",
    )
    agreement_id = created.json()["id"]

    response = client.patch(
        f"/api/v1/agreements/{agreement_id}/", {"status": wanted}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == wanted
    last = AgreementEvent.objects.filter(agreement_id=agreement_id).last()
    assert (last.from_state, last.to_state) == (start, wanted)
    change = AgreementRevision.objects.filter(agreement_id=agreement_id).last()
    assert (change.reason, change.changes) == ("changed", {"status": [start, wanted]})


@pytest.mark.parametrize(("start", "wanted"), [("terminated", "active"), ("expired", "draft")])
def test_status_change_outside_the_table_is_refused_and_changes_nothing(kg_tr_world, start, wanted):
    w = kg_tr_world
    client = editor(w.ministry_officer, "add_agreement", "change_agreement")
    agreement_id = client.post(
        "/api/v1/agreements/",
        {**AGREEMENT, "status": start, "party_institutions": [w.ministry.pk]},
        format="json",
    ).json()["id"]

    response = client.patch(
        f"/api/v1/agreements/{agreement_id}/",
        {"status": wanted, "summary": "Renewed by exchange of notes."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    agreement = Agreement.objects.get(pk=agreement_id)
    assert (agreement.status, agreement.summary) == (start, "")
    assert AgreementRevision.objects.filter(agreement=agreement).count() == 1


def test_pool_writes_are_recorded_field_by_field(kg_tr_world):
    w = kg_tr_world
    client = editor(w.ministry_officer, "change_quotapool")

    response = client.patch(
        f"/api/v1/pools/{w.pool.pk}/", {"total_slots": 160, "hold_days": 21}, format="json"
    )

    assert response.status_code == 200, response.json()
    revision = PoolRevision.objects.get(pool=w.pool)
    assert revision.actor == w.ministry_officer
    assert revision.changes == {"total_slots": [150, 160], "hold_days": [30, 21]}


def test_pool_write_that_changes_nothing_leaves_no_revision(kg_tr_world):
    w = kg_tr_world
    client = editor(w.ministry_officer, "change_quotapool")

    response = client.patch(f"/api/v1/pools/{w.pool.pk}/", {"name": w.pool.name}, format="json")

    assert response.status_code == 200
    assert not PoolRevision.objects.filter(pool=w.pool).exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", "не может перейти в статус"),
        ("tr", "durumuna geçemez"),
        ("ky", "абалына өтө албайт"),
        ("kk", "күйіне өте алмайды"),
        ("en", "cannot become"),
    ],
)
def test_refused_status_change_is_said_in_the_readers_language(kg_tr_world, language, words):
    w = kg_tr_world
    client = editor(w.ministry_officer, "add_agreement", "change_agreement")
    agreement_id = client.post(
        "/api/v1/agreements/",
        {**AGREEMENT, "status": "terminated", "party_institutions": [w.ministry.pk]},
        format="json",
    ).json()["id"]

    response = client.patch(
        f"/api/v1/agreements/{agreement_id}/",
        {"status": "active"},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 409
    assert words in response.json()["detail"]


@pytest.mark.parametrize("status", ["bogus", 7, None, ["active"]])
def test_unknown_status_is_a_400_naming_the_field(kg_tr_world, status):
    w = kg_tr_world
    client = editor(w.ministry_officer, "add_agreement")

    response = client.post(
        "/api/v1/agreements/",
        {**AGREEMENT, "status": status, "party_institutions": [w.ministry.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert "status" in response.json()
    assert not Agreement.objects.filter(title=AGREEMENT["title"]).exists()
