import dataclasses
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from allocations.choices import LIVE_ALLOCATION_STATES
from allocations.models import Allocation
from applications.choices import ApplicationStatus
from applications.models import Application
from applications.selectors import application_list
from audit.models import AccessRecord
from demo import cases as demo_cases
from demo.seed import DEMO_YEAR
from institutions.models import Membership
from patients.models import Patient
from quotas.choices import ChannelChangeKind
from quotas.models import Channel, ChannelChange, QuotaPool
from referrals.choices import FundingSource, ReferralStatus
from referrals.filters import ReferralFilter
from referrals.models import Referral
from referrals.selectors import referral_list

DEMO_PASSWORD = "kopru-demo-2026"

# username -> (role, institution); admin acts for no institution.
DEMO_MEMBERSHIPS = {
    "admin": None,
    "ministry.kg": ("ministry_officer", "Ministry of Health of the Kyrgyz Republic"),
    "embassy.tr": ("embassy_officer", "Embassy of the Republic of Türkiye in Bishkek"),
    "clinic.tr": ("clinic_coordinator", "Ankara Bilkent City Hospital"),
    "clinic.kgtr": (
        "clinic_coordinator",
        "Kyrgyz-Turkish Hospital named after Recep Tayyip Erdoğan",
    ),
    "ministry.murmansk": ("ministry_officer", "Ministry of Health of the Murmansk Region"),
    "clinic.minsk": ("clinic_coordinator", "Minsk City Clinical Oncology Centre"),
    "sanatorium.kz": ("clinic_coordinator", "Okzhetpes Sanatorium"),
    "network.cis": (
        "network_coordinator",
        "National Medical Research Centre for Rehabilitation and Balneology"
        " of the Ministry of Health of Russia",
    ),
}


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The default hasher costs a second per few users; the logic under test is the same.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[dict]]:
    """Every row of the seeded tables, many-to-many tables included.

    With the cases: patients, applications, referrals, their history, the slots,
    the audit log and the notices the services wrote.
    """
    labels = [
        "institutions",
        "quotas",
        "auth",
        "patients",
        "applications",
        "allocations",
        "referrals",
        "audit",
        "notices",
    ]
    models = [
        model
        for label in labels
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


@pytest.mark.django_db
@pytest.mark.parametrize("args", [(), ("--password", DEMO_PASSWORD)])
def test_seed_demo_second_run_changes_nothing(args):
    seed(*args)
    first = snapshot()
    changes = ChannelChange.objects.count()

    output = seed(*args)

    assert snapshot() == first
    assert {label: len(rows) for label, rows in snapshot().items()} == {
        label: len(rows) for label, rows in first.items()
    }
    assert ChannelChange.objects.count() == changes == 5
    assert "nothing changed" in output
    assert first["applications.Application"]
    assert first["referrals.ReferralEvent"]
    assert first["audit.AccessRecord"]


@pytest.mark.django_db
def test_seed_demo_kg_tr_pool_split_embassy_100_ministry_50():
    seed()

    pool = QuotaPool.objects.get(code=f"KG-TR-{DEMO_YEAR}")
    channels = {c.issuing_institution.name: c.slots for c in pool.channels.all()}

    assert pool.total_slots == 150
    assert channels == {
        "Embassy of the Republic of Türkiye in Bishkek": 100,
        "Ministry of Health of the Kyrgyz Republic": 50,
    }
    opened = ChannelChange.objects.filter(channel__pool=pool, kind=ChannelChangeKind.OPENED)
    assert sorted(opened.values_list("slots_after", flat=True)) == [50, 100]


@pytest.mark.django_db
def test_seed_demo_users_have_their_membership_and_log_in():
    seed()

    for username, membership in DEMO_MEMBERSHIPS.items():
        user = get_user_model().objects.get(username=username)
        held = set(Membership.objects.filter(user=user).values_list("role", "institution__name"))
        assert held == ({membership} if membership else set()), username
        assert all((user.first_name, user.last_name, user.email)), username
        response = Client().post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, username
        assert response.url == reverse("home"), username

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.django_db
def test_seed_demo_network_coordinator_keeps_reference_data():
    seed()

    user = get_user_model().objects.get(username="network.cis")

    assert user.groups.filter(name="Reference data editors").exists()
    assert user.has_perm("quotas.change_quotapool")
    assert user.has_perm("institutions.add_institution")
    assert not user.has_perm("quotas.delete_agreement")
    assert Group.objects.get(name="Reference data editors").permissions.count() == 18


@pytest.mark.django_db
def test_seed_demo_password_option_changes_the_password():
    seed()

    seed("--password", "another-demo-pass")

    # Through the login page: the lockout backend needs the request a login comes with.
    def logs_in(password: str) -> bool:
        response = Client().post(reverse("login"), {"username": "clinic.tr", "password": password})
        return response.status_code == 302

    assert not logs_in(DEMO_PASSWORD)
    assert logs_in("another-demo-pass")


# --- The cases: patients, applications and referrals -------------------------------


def user(username):
    return get_user_model().objects.get(username=username)


def worklist(username: str, name: str):
    return ReferralFilter({"worklist": name}, queryset=referral_list(user=user(username))).qs


@pytest.mark.django_db
def test_seed_demo_has_every_application_and_referral_status():
    seed()

    application_statuses = set(Application.objects.values_list("status", flat=True))
    referral_statuses = set(Referral.objects.values_list("status", flat=True))

    assert application_statuses == set(ApplicationStatus.values)
    assert referral_statuses == set(ReferralStatus.values)


@pytest.mark.django_db
def test_seed_demo_cases_went_through_the_services():
    seed()

    for application in Application.objects.exclude(status=ApplicationStatus.DRAFT):
        steps = list(application.events.values_list("from_state", "to_state"))
        assert steps[0] == ("", ApplicationStatus.DRAFT), application.number
        assert steps[-1][1] == application.status, application.number
        assert all(e.actor_id for e in application.events.exclude(reason="waitlist_promotion"))
    for referral in Referral.objects.all():
        assert referral.events.last().to_state == referral.status, referral.number
    # Every patient, application and referral was created on the audit record.
    for model, object_type in ((Patient, "patient"), (Application, "application")):
        audited = set(
            AccessRecord.objects.filter(object_type=object_type, action="create").values_list(
                "object_id", flat=True
            )
        )
        assert {str(pk) for pk in model.objects.values_list("pk", flat=True)} <= audited
    sent = set(
        AccessRecord.objects.filter(object_type="referral", detail="send").values_list(
            "object_id", flat=True
        )
    )
    assert {str(pk) for pk in Referral.objects.values_list("pk", flat=True)} == sent


@pytest.mark.django_db
def test_seed_demo_slots_add_up():
    seed()

    for channel in Channel.objects.all():
        live = Allocation.objects.filter(channel=channel, state__in=LIVE_ALLOCATION_STATES)
        assert channel.live_allocations == live.count(), channel
        assert channel.live_allocations <= channel.slots
    # One held slot per approved application; none for the others.
    for application in Application.objects.all():
        live = application.allocations.filter(state__in=LIVE_ALLOCATION_STATES).count()
        assert live == (application.status == ApplicationStatus.APPROVED), application.number
    # The KG-TR split is the agreement's; the waiting list is Murmansk's full channel.
    kg_tr = {
        c.issuing_institution.name: c.slots
        for c in Channel.objects.filter(pool__code=f"KG-TR-{DEMO_YEAR}")
    }
    assert sorted(kg_tr.values()) == [50, 100]
    waitlisted = Application.objects.get(status=ApplicationStatus.WAITLISTED)
    assert waitlisted.pool.code == f"RU-MUR-BY-{DEMO_YEAR}"
    assert waitlisted.channel.live_allocations == waitlisted.channel.slots == 12
    assert Application.objects.get(status=ApplicationStatus.REJECTED).decision_reason


@pytest.mark.django_db
def test_seed_demo_dates_are_relative_to_today():
    seed()
    today = timezone.localdate()

    for referral in Referral.objects.filter(status=ReferralStatus.ACCEPTED):
        assert referral.admission_date > today, referral.number
    for referral in Referral.objects.filter(
        status__in=[ReferralStatus.ADMITTED, ReferralStatus.DISCHARGED]
    ):
        assert referral.admitted_on <= today, referral.number
    for referral in Referral.objects.filter(status=ReferralStatus.DISCHARGED):
        assert referral.admitted_on <= referral.discharged_on <= today, referral.number
        assert referral.outcome
        assert referral.discharge_summary
    for patient in Patient.objects.all():
        assert patient.birth_date < today
        assert patient.guardian_name or not patient.is_minor, patient


@pytest.mark.django_db
def test_seed_demo_kg_tr_pool_has_a_past_the_dashboard_draws():
    """Patients treated earlier in the year: their cases moved back whole, in order."""
    from dashboard.selectors import dashboard_pools
    from notices.models import Notice

    seed()
    pool = QuotaPool.objects.get(code=f"KG-TR-{DEMO_YEAR}")
    today = timezone.localdate()
    elapsed = (today - pool.period_start).days
    expected = [c for c in demo_cases.KG_TR_PAST_CASES if round(c.ago * elapsed)]
    past = Application.objects.filter(pool=pool, created_at__date__lt=today).order_by("number")
    assert [a.patient.name_latin for a in past] == [c.patient.name_latin for c in expected]
    numbers = [a.number for a in past]
    assert numbers == sorted(numbers), "numbers follow the dates"
    for application in past:
        assert application.created_at.date() >= pool.period_start
        assert application.created_at <= application.submitted_at <= application.status_changed_at
        history = list(application.events.values_list("created_at", flat=True))
        assert history == sorted(history)
        assert history[0].date() == application.created_at.date()
        referral = application.referrals.get()
        assert referral.status == ReferralStatus.DISCHARGED
        assert application.created_at.date() <= referral.admitted_on < referral.discharged_on
        assert referral.discharged_on < today
        steps = list(referral.events.values_list("created_at", flat=True))
        assert steps == sorted(steps)
        assert steps[-1].date() == referral.discharged_on
        assert not Notice.objects.filter(object_type="referral", object_id=str(referral.pk))
    officer = get_user_model().objects.get(username="ministry.kg")
    (dashboard,) = [d for d in dashboard_pools(user=officer) if d.pool.pk == pool.pk]
    levels = {point.split(",")[1] for point in dashboard.chart.points.split()}
    assert len(levels) >= len(expected) + 1, "the line climbs as the year's patients came"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["clinic.tr", "clinic.kgtr", "clinic.minsk", "sanatorium.kz"])
def test_seed_demo_every_clinic_worklist_has_referrals(username):
    seed()

    for name in ("incoming", "awaiting_admission", "admitted"):
        assert worklist(username, name).exists(), (username, name)
    clinic = Membership.objects.get(user__username=username).institution
    assert not referral_list(user=user(username)).exclude(receiving_institution=clinic).exists()

    page = Client()
    page.force_login(user(username))
    response = page.get(reverse("referral-list"))
    assert response.status_code == 200
    assert worklist(username, "incoming").first().number in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["ministry.kg", "embassy.tr", "ministry.murmansk"])
def test_seed_demo_every_officer_worklist_has_referrals(username):
    seed()

    for name in ("awaiting_answer", "declined", "discharged"):
        assert worklist(username, name).exists(), (username, name)


@pytest.mark.django_db
def test_seed_demo_officers_have_applications_to_work_on():
    seed()

    def statuses(username):
        counts = application_list(user=user(username)).values("status").annotate(n=Count("id"))
        return {row["status"] for row in counts}

    assert {"submitted", "in_review", "needs_info", "rejected"} <= statuses("embassy.tr")
    assert {"draft", "submitted", "approved", "lapsed", "withdrawn"} <= statuses("ministry.kg")
    assert {"approved", "waitlisted"} <= statuses("ministry.murmansk")
    rehab = application_list(user=user("network.cis"))
    assert rehab.exists()
    assert not rehab.exclude(pool__code=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}").exists()
    assert worklist("network.cis", "awaiting_answer").exists()


@pytest.mark.django_db
def test_seed_demo_stories():
    seed()
    referrals = Referral.objects.select_related("receiving_institution", "sender")

    # A transplant at the Kyrgyz-Turkish hospital, admitted.
    assert referrals.filter(
        receiving_institution__short_name_ru__startswith="Кыргызско-Турецкая",
        specialty__code="transplantology",
        status=ReferralStatus.ADMITTED,
        diagnosis_code="N18.5",
    ).exists()
    # Declined by one clinic, re-referred to another and accepted: one application.
    rereferred = Application.objects.annotate(
        declined=Count("referrals", filter=Q(referrals__status=ReferralStatus.DECLINED)),
        accepted=Count("referrals", filter=Q(referrals__status=ReferralStatus.ACCEPTED)),
    ).filter(declined=1, accepted=1)
    assert rereferred.filter(pool__code=f"KG-TR-{DEMO_YEAR}").exists()
    # The self-paying patient at the proton-therapy centre: no quota, no slot.
    proton = referrals.get(specialty__code="proton-therapy")
    assert proton.funding_source == FundingSource.SELF_PAY
    assert proton.application_id is None
    assert proton.allocation_id is None
    assert proton.receiving_institution.name == "National Research Oncology Center"
    # Rehabilitation at Okzhetpes under the CIS network pool; Murmansk to the Minsk centre.
    assert referrals.filter(
        application__pool__code=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}",
        receiving_institution__name="Okzhetpes Sanatorium",
    ).exists()
    assert referrals.filter(
        application__pool__code=f"RU-MUR-BY-{DEMO_YEAR}",
        receiving_institution__name="Minsk City Clinical Oncology Centre",
    ).exists()
    # Patients carry both scripts and a normalised identity document.
    for patient in Patient.objects.all():
        assert patient.name_native != patient.name_latin
        assert patient.name_latin.isascii()
        assert patient.document_number.isalnum()


@pytest.mark.django_db
def test_seed_demo_refused_case_is_reported_and_rolled_back(monkeypatch):
    seed()
    # Referred to a clinic while still waiting for review: the portal refuses the referral.
    early = dataclasses.replace(
        demo_cases.MURMANSK_CASES[0],
        story="Мурманск → Минск: направление до одобрения",
        patient=dataclasses.replace(
            demo_cases.MURMANSK_CASES[0].patient, document_number="47 16 000001"
        ),
        steps=(demo_cases.Submit(), demo_cases.Refer("by-minsk-onco", "Просим принять.")),
    )
    monkeypatch.setattr(demo_cases, "CASES", (*demo_cases.CASES, early))
    before = snapshot()

    output = seed()

    assert "направление до одобрения: not created (Only an approved application" in output
    assert "nothing changed" in output
    assert snapshot() == before
