import pytest
from django.urls import reverse

from quotas.choices import ChannelChangeKind
from quotas.models import Channel, ChannelChange
from tests.support.factories import (
    ChannelFactory,
    InstitutionFactory,
    QuotaPoolFactory,
    UserFactory,
)


@pytest.fixture
def admin_client_(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _pool_form(pool, channels, extra=()):
    """The admin change form's POST for a pool with its channel inline."""
    rows = [*channels, *extra]
    data = {
        "agreement": pool.agreement_id,
        # The name has a tab per language; Russian and English are required.
        "name_ru": pool.name,
        "name_en": pool.name,
        "code": pool.code,
        "kind": pool.kind,
        "period_start": pool.period_start.isoformat(),
        "period_end": pool.period_end.isoformat(),
        "sending_country": pool.sending_country.code,
        "host_country": pool.host_country.code,
        "total_slots": pool.total_slots,
        "hold_days": pool.hold_days,
        "admission_grace_days": pool.admission_grace_days,
        "channels-TOTAL_FORMS": len(rows),
        "channels-INITIAL_FORMS": len(channels),
        "channels-MIN_NUM_FORMS": 0,
        "channels-MAX_NUM_FORMS": 1000,
    }
    for index, (pk, institution_id, slots) in enumerate(rows):
        prefix = f"channels-{index}-"
        data[prefix + "id"] = pk or ""
        data[prefix + "pool"] = pool.pk
        data[prefix + "issuing_institution"] = institution_id
        data[prefix + "slots"] = slots
    return data


@pytest.mark.django_db
def test_admin_refuses_channels_adding_up_to_more_than_the_pool(admin_client_):
    pool = QuotaPoolFactory(total_slots=150)
    embassy = ChannelFactory(pool=pool, slots=100)
    newcomer = InstitutionFactory()
    url = reverse("admin:quotas_quotapool_change", args=[pool.pk])

    response = admin_client_.post(
        url,
        _pool_form(
            pool, [(embassy.pk, embassy.issuing_institution_id, 100)], [(None, newcomer.pk, 51)]
        ),
    )

    assert response.status_code == 200
    assert "more than the pool" in response.content.decode()
    assert Channel.objects.filter(pool=pool).count() == 1


@pytest.mark.django_db
def test_admin_channel_changes_go_on_the_record(admin_client_):
    pool = QuotaPoolFactory(total_slots=150)
    embassy = ChannelFactory(pool=pool, slots=100)
    ministry = InstitutionFactory()
    url = reverse("admin:quotas_quotapool_change", args=[pool.pk])

    response = admin_client_.post(
        url,
        _pool_form(
            pool, [(embassy.pk, embassy.issuing_institution_id, 90)], [(None, ministry.pk, 60)]
        ),
    )

    assert response.status_code == 302
    assert sorted(Channel.objects.filter(pool=pool).values_list("slots", flat=True)) == [60, 90]
    kinds = set(ChannelChange.objects.values_list("kind", flat=True))
    assert kinds == {ChannelChangeKind.RESIZED, ChannelChangeKind.OPENED}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [
        "institutions.institution",
        "institutions.specialty",
        "institutions.membership",
        "institutions.accreditation",
        "quotas.agreement",
        "quotas.quotapool",
        "quotas.channel",
        "quotas.channelchange",
    ],
)
def test_admin_changelists_search_and_filter(admin_client_, kg_tr_world, model):
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.get(url, {"q": "Kyrgyz"}).status_code == 200
