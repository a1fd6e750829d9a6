"""factory_boy factories for the domain; every test builds its own world."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from institutions.choices import InstitutionKind, MembershipRole
from institutions.models import Institution, Membership, Specialty
from quotas.choices import AgreementKind, AgreementStatus, PoolKind
from quotas.models import Agreement, Channel, QuotaPool


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret-pass-123")


class SpecialtyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialty
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"specialty-{n}")
    name_ru = factory.LazyAttribute(lambda s: s.code)
    name_en = factory.LazyAttribute(lambda s: s.code)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    kind = InstitutionKind.HOSPITAL
    country = "TR"
    city = "Ankara"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = MembershipRole.MINISTRY_OFFICER


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Agreement {n}")
    kind = AgreementKind.INTERGOVERNMENTAL
    status = AgreementStatus.ACTIVE
    valid_from = datetime.date(2026, 1, 1)
    valid_until = datetime.date(2030, 12, 31)

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create and extracted:
            self.party_institutions.add(*extracted)


class QuotaPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuotaPool

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"Pool {n}")
    code = factory.Sequence(lambda n: f"KG-TR-{2026 + n}")
    kind = PoolKind.TREATMENT
    # Open around today, whatever the year the suite runs in.
    period_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=180))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    sending_country = "KG"
    host_country = "TR"
    total_slots = 150
    hold_days = 30


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    pool = factory.SubFactory(QuotaPoolFactory)
    issuing_institution = factory.SubFactory(InstitutionFactory, kind=InstitutionKind.EMBASSY)
    slots = 10


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Patient"
        skip_postgeneration_save = True  # the registration row needs no second save

    name_native = factory.Sequence(lambda n: f"Асанов Бакыт {n}")
    name_latin = factory.Sequence(lambda n: f"ASANOV BAKYT {n}")
    birth_date = datetime.date(1980, 5, 17)
    sex = "male"
    citizenship = "KG"
    document_type = "passport"
    document_number = factory.Sequence(lambda n: f"AN{n:07d}")
    document_country = "KG"
    registered_by = factory.SubFactory(
        InstitutionFactory, kind=InstitutionKind.MINISTRY_OF_HEALTH, country="KG"
    )
    registration = factory.RelatedFactory(
        "tests.support.factories.PatientRegistrationFactory",
        factory_related_name="patient",
        institution=factory.SelfAttribute("..registered_by"),
    )


class PatientRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.PatientRegistration"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application written straight to the table, in the given status.

    For tests of later steps; the workflow itself is tested through the services.
    """

    class Meta:
        model = "applications.Application"

    channel = factory.SubFactory(ChannelFactory)
    pool = factory.LazyAttribute(lambda a: a.channel.pool)
    patient = factory.SubFactory(PatientFactory)
    specialty = factory.SubFactory(SpecialtyFactory, code="oncology")
    number = factory.Sequence(lambda n: f"TEST-{n:06d}")
    diagnosis_code = "C50.9"
    diagnosis_text = "Malignant neoplasm of breast"
    medical_summary = "Stage II, surgery indicated."
    urgency = "routine"
    status = "in_review"
    created_by = factory.SubFactory(UserFactory)
