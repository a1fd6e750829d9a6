"""Demo data: the five stories of the news items, with their real institutions.

``seed_demo`` builds it in one transaction. Every row is found by its natural key
and written only where it differs from the data below, so a second run changes
nothing. Slot numbers are set only when a pool or channel is first created:
afterwards they belong to the quota services, and re-seeding never undoes a
transfer made while trying the portal. Capacities, accreditation numbers and
validity dates are illustrative.

The patients, applications and referrals of the stories, in every state, are in
``core.demo_cases``: played through the workflow services, once per patient.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import F

from applications.models import Application
from demo import names
from institutions.choices import AccreditationKind, InstitutionKind, MembershipRole
from institutions.models import (
    Accreditation,
    Institution,
    InstitutionSpecialty,
    Membership,
    Specialty,
)
from patients.models import Patient
from quotas import services as quota_services
from quotas.choices import AgreementKind, AgreementStatus, CooperationArea, PoolKind
from quotas.models import Agreement, Channel, QuotaPool
from referrals.models import Referral

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import ManyRelatedManager

DEFAULT_PASSWORD = "kopru-demo-2026"  # noqa: S105 (the demo's published password, see README)

# The stories' quotas are for 2026; once that year is over the demo pools follow the
# calendar, so a freshly seeded portal always has open pools to apply to.
DEMO_YEAR: int = max(2026, datetime.datetime.now().astimezone().year)
REFERENCE_EDITORS_GROUP = "Reference data editors"

M = TypeVar("M", bound=models.Model)

# --- The data -----------------------------------------------------------------


@dataclass(frozen=True)
class SpecialtyData:
    code: str
    ru: str
    en: str
    ky: str
    kk: str
    tr: str
    uz: str
    az: str


@dataclass(frozen=True)
class AccreditationData:
    kind: str
    issuer: str
    reference: str
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class InstitutionData:
    key: str  # a handle for the references below; the natural key is (country, name)
    name: str
    kind: str
    country: str
    city: str = ""
    # specialty code -> patients a year
    specialties: Mapping[str, int | None] = field(default_factory=dict)
    accreditations: tuple[AccreditationData, ...] = ()


@dataclass(frozen=True)
class AgreementData:
    title: str
    kind: str
    parties: tuple[str, ...]
    party_countries: tuple[str, ...]
    areas: tuple[str, ...]
    summary: str
    status: str = AgreementStatus.ACTIVE
    coordinator: str | None = None
    signed_on: datetime.date | None = None
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


@dataclass(frozen=True)
class PoolData:
    code: str
    agreement: str  # agreement title
    kind: str
    sending_country: str
    host_country: str
    total_slots: int
    specialties: tuple[str, ...]
    eligible: tuple[str, ...]
    channels: Mapping[str, int]  # issuing institution key -> slots
    period_start: datetime.date = datetime.date(DEMO_YEAR, 1, 1)
    period_end: datetime.date = datetime.date(DEMO_YEAR, 12, 31)
    hold_days: int = 30


@dataclass(frozen=True)
class UserData:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, str], ...] = ()  # (institution key, role)
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.username}@kopru.example"


SPECIALTIES = (
    SpecialtyData(
        "oncology",
        "Онкология",
        "Oncology",
        "Онкология",
        "Онкология",
        "Onkoloji",
        "Onkologiya",
        "Onkologiya",
    ),
    SpecialtyData(
        "transplantology",
        "Трансплантология",
        "Transplantology",
        "Трансплантология",
        "Трансплантология",
        "Organ nakli",
        "Transplantologiya",
        "Transplantologiya",
    ),
    SpecialtyData(
        "cardiac-surgery",
        "Кардиохирургия",
        "Cardiac surgery",
        "Кардиохирургия",
        "Кардиохирургия",
        "Kalp ve damar cerrahisi",
        "Kardiojarrohlik",
        "Kardiocərrahiyyə",
    ),
    SpecialtyData(
        "neurosurgery",
        "Нейрохирургия",
        "Neurosurgery",
        "Нейрохирургия",
        "Нейрохирургия",
        "Beyin ve sinir cerrahisi",
        "Neyrojarrohlik",
        "Neyrocərrahiyyə",
    ),
    SpecialtyData(
        "paediatric-oncology",
        "Детская онкология",
        "Paediatric oncology",
        "Балдар онкологиясы",
        "Балалар онкологиясы",
        "Çocuk onkolojisi",
        "Bolalar onkologiyasi",
        "Uşaq onkologiyası",
    ),
    SpecialtyData(
        "haematology",
        "Гематология",
        "Haematology",
        "Гематология",
        "Гематология",
        "Hematoloji",
        "Gematologiya",
        "Hematologiya",
    ),
    SpecialtyData(
        "orthopaedics",
        "Травматология и ортопедия",
        "Orthopaedics",
        "Травматология жана ортопедия",
        "Травматология және ортопедия",
        "Ortopedi ve travmatoloji",
        "Travmatologiya va ortopediya",
        "Travmatologiya və ortopediya",
    ),
    SpecialtyData(
        "proton-therapy",
        "Протонная терапия",
        "Proton therapy",
        "Протондук терапия",
        "Протондық терапия",
        "Proton tedavisi",
        "Proton terapiyasi",
        "Proton terapiyası",
    ),
    SpecialtyData(
        "rehabilitation",
        "Медицинская реабилитация",
        "Rehabilitation",
        "Медициналык реабилитация",
        "Медициналық оңалту",
        "Tıbbi rehabilitasyon",
        "Tibbiy reabilitatsiya",
        "Tibbi reabilitasiya",
    ),
    SpecialtyData(
        "sanatorium-treatment",
        "Санаторно-курортное лечение",
        "Sanatorium-resort treatment",
        "Санатордук-курорттук дарылоо",
        "Санаторий-курорттық емдеу",
        "Kaplıca ve sanatoryum tedavisi",
        "Sanatoriy-kurort davolash",
        "Sanatoriya-kurort müalicəsi",
    ),
    SpecialtyData(
        "palliative-care",
        "Паллиативная помощь",
        "Palliative care",
        "Паллиативдик жардам",
        "Паллиативтік көмек",
        "Palyatif bakım",
        "Palliativ yordam",
        "Palliativ yardım",
    ),
    SpecialtyData(
        "emergency-care",
        "Скорая медицинская помощь",
        "Emergency care",
        "Шашылыш медициналык жардам",
        "Жедел медициналық жәрдем",
        "Acil tıbbi bakım",
        "Shoshilinch tibbiy yordam",
        "Təcili tibbi yardım",
    ),
)

_MOH = InstitutionKind.MINISTRY_OF_HEALTH
_HOSPITAL = InstitutionKind.HOSPITAL


def _national_licence(reference: str) -> AccreditationData:
    return AccreditationData(
        kind=AccreditationKind.NATIONAL_LICENCE,
        issuer="Ministry of Health of the Republic of Türkiye",
        reference=reference,
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2028, 12, 31),
    )


INSTITUTIONS = (
    # Kyrgyzstan – Türkiye: 150 free treatment slots a year.
    InstitutionData(
        key="kg-moh",
        name="Ministry of Health of the Kyrgyz Republic",
        kind=_MOH,
        country="KG",
        city="Bishkek",
    ),
    InstitutionData(
        key="tr-embassy-bishkek",
        name="Embassy of the Republic of Türkiye in Bishkek",
        kind=InstitutionKind.EMBASSY,
        country="TR",
        city="Bishkek",
    ),
    InstitutionData(
        key="tr-moh",
        name="Ministry of Health of the Republic of Türkiye",
        kind=_MOH,
        country="TR",
        city="Ankara",
    ),
    InstitutionData(
        key="kg-tr-hospital",
        name="Kyrgyz-Turkish Hospital named after Recep Tayyip Erdoğan",
        kind=_HOSPITAL,
        country="KG",
        city="Bishkek",
        specialties={"transplantology": 20, "cardiac-surgery": 30, "oncology": 25},
        accreditations=(
            AccreditationData(
                kind=AccreditationKind.NATIONAL_LICENCE,
                issuer="Ministry of Health of the Kyrgyz Republic",
                reference="DEMO-KG-LIC-0417",
                valid_from=datetime.date(2024, 3, 1),
                valid_until=datetime.date(2029, 2, 28),
            ),
        ),
    ),
    InstitutionData(
        key="tr-bilkent",
        name="Ankara Bilkent City Hospital",
        kind=_HOSPITAL,
        country="TR",
        city="Ankara",
        specialties={
            "oncology": 40,
            "cardiac-surgery": 30,
            "transplantology": 15,
            "neurosurgery": 20,
            "paediatric-oncology": 15,
            "haematology": 20,
        },
        accreditations=(_national_licence("DEMO-TR-LIC-0601"),),
    ),
    InstitutionData(
        key="tr-basaksehir",
        name="Istanbul Başakşehir Çam and Sakura City Hospital",
        kind=_HOSPITAL,
        country="TR",
        city="Istanbul",
        specialties={
            "oncology": 30,
            "cardiac-surgery": 25,
            "neurosurgery": 20,
            "transplantology": 10,
            "haematology": 10,
        },
        accreditations=(_national_licence("DEMO-TR-LIC-3405"),),
    ),
    InstitutionData(
        key="tr-hacettepe",
        name="Hacettepe University Hospitals",
        kind=_HOSPITAL,
        country="TR",
        city="Ankara",
        specialties={
            "oncology": 25,
            "paediatric-oncology": 20,
            "haematology": 20,
            "transplantology": 15,
            "neurosurgery": 10,
        },
        accreditations=(
            AccreditationData(
                kind=AccreditationKind.JCI,
                issuer="Joint Commission International",
                reference="DEMO-JCI-0612",
                valid_from=datetime.date(2024, 6, 1),
                valid_until=datetime.date(2027, 5, 31),
            ),
            _national_licence("DEMO-TR-LIC-0611"),
        ),
    ),
    # Murmansk region – Minsk city: a regional agreement of 31 May 2024.
    InstitutionData(
        key="ru-murmansk-moh",
        name="Ministry of Health of the Murmansk Region",
        kind=InstitutionKind.REGIONAL_HEALTH_AUTHORITY,
        country="RU",
        city="Murmansk",
    ),
    InstitutionData(
        key="by-minsk-health",
        name="Health Committee of the Minsk City Executive Committee",
        kind=InstitutionKind.REGIONAL_HEALTH_AUTHORITY,
        country="BY",
        city="Minsk",
    ),
    InstitutionData(
        key="ru-murmansk-mdc",
        name="Murmansk Regional Clinical Multidisciplinary Centre",
        kind=_HOSPITAL,
        country="RU",
        city="Murmansk",
        specialties={
            "cardiac-surgery": 10,
            "neurosurgery": 10,
            "orthopaedics": 15,
            "emergency-care": None,
        },
    ),
    InstitutionData(
        key="ru-murmansk-onco",
        name="Murmansk Regional Oncology Dispensary",
        kind=_HOSPITAL,
        country="RU",
        city="Murmansk",
        specialties={"oncology": 15, "palliative-care": 10},
    ),
    InstitutionData(
        key="by-minsk-onco",
        name="Minsk City Clinical Oncology Centre",
        kind=_HOSPITAL,
        country="BY",
        city="Minsk",
        specialties={"oncology": 20, "haematology": 10, "palliative-care": 10},
    ),
    InstitutionData(
        key="by-minsk-emergency",
        name="Minsk City Clinical Emergency Hospital",
        kind=_HOSPITAL,
        country="BY",
        city="Minsk",
        specialties={"emergency-care": None, "neurosurgery": 10, "orthopaedics": 10},
    ),
    # The CIS network of rehabilitation and sanatorium-resort institutions.
    InstitutionData(
        key="ru-nmrc-rehab",
        name="National Medical Research Centre for Rehabilitation and Balneology"
        " of the Ministry of Health of Russia",
        kind=InstitutionKind.COORDINATING_BODY,
        country="RU",
        city="Moscow",
    ),
    InstitutionData(
        key="kz-okzhetpes",
        name="Okzhetpes Sanatorium",
        kind=InstitutionKind.SANATORIUM,
        country="KZ",
        city="Burabay",
        specialties={"rehabilitation": 150, "sanatorium-treatment": 400},
        accreditations=(
            AccreditationData(
                kind=AccreditationKind.EUROPESPA,
                issuer="European Spas Association",
                reference="DEMO-ESPA-KZ-001",
                valid_from=datetime.date(2024, 9, 1),
                valid_until=datetime.date(2027, 8, 31),
            ),
        ),
    ),
    InstitutionData(
        key="kz-mankent",
        name="Mankent Sanatorium",
        kind=InstitutionKind.SANATORIUM,
        country="KZ",
        city="Mankent",
        specialties={"rehabilitation": 100, "sanatorium-treatment": 300},
        accreditations=(
            AccreditationData(
                kind=AccreditationKind.OTHER,
                issuer="International accreditation",
                reference="DEMO-INTL-KZ-002",
                valid_from=datetime.date(2024, 11, 1),
                valid_until=datetime.date(2027, 10, 31),
            ),
        ),
    ),
    InstitutionData(
        key="kz-balneology-institute",
        name="Research Institute of Balneology and Medical Rehabilitation",
        kind=InstitutionKind.RESEARCH_CENTRE,
        country="KZ",
        city="",
        specialties={"rehabilitation": None, "sanatorium-treatment": None},
    ),
    InstitutionData(
        key="by-moh",
        name="Ministry of Health of the Republic of Belarus",
        kind=_MOH,
        country="BY",
        city="Minsk",
    ),
    InstitutionData(
        key="kz-moh",
        name="Ministry of Health of the Republic of Kazakhstan",
        kind=_MOH,
        country="KZ",
        city="Astana",
    ),
    InstitutionData(
        key="ru-moh",
        name="Ministry of Health of the Russian Federation",
        kind=_MOH,
        country="RU",
        city="Moscow",
    ),
    InstitutionData(
        key="tj-moh",
        name="Ministry of Health and Social Protection of Population of the Republic of Tajikistan",
        kind=_MOH,
        country="TJ",
        city="Dushanbe",
    ),
    InstitutionData(
        key="uz-moh",
        name="Ministry of Health of the Republic of Uzbekistan",
        kind=_MOH,
        country="UZ",
        city="Tashkent",
    ),
    # Kazakhstan: medical tourism, the only proton-therapy centre of Central Asia.
    InstitutionData(
        key="kz-nroc",
        name="National Research Oncology Center",
        kind=InstitutionKind.RESEARCH_CENTRE,
        country="KZ",
        city="Astana",
        specialties={"oncology": 60, "proton-therapy": 20, "paediatric-oncology": 20},
        accreditations=(
            AccreditationData(
                kind=AccreditationKind.NATIONAL_LICENCE,
                issuer="Ministry of Health of the Republic of Kazakhstan",
                reference="DEMO-KZ-LIC-0101",
                valid_from=datetime.date(2023, 1, 1),
                valid_until=datetime.date(2028, 12, 31),
            ),
        ),
    ),
    # Organization of Turkic States.
    InstitutionData(
        key="ots",
        name="Organization of Turkic States",
        kind=InstitutionKind.COORDINATING_BODY,
        country="TR",
        city="Istanbul",
    ),
    InstitutionData(
        key="az-moh",
        name="Ministry of Health of the Republic of Azerbaijan",
        kind=_MOH,
        country="AZ",
        city="Baku",
    ),
)

KG_TR_AGREEMENT = "Kyrgyz Republic – Republic of Türkiye: free treatment quotas for citizens of the Kyrgyz Republic"
MURMANSK_MINSK_AGREEMENT = (
    "Ministry of Health of the Murmansk Region – Health Committee of the Minsk City"
    " Executive Committee: cooperation in health care"
)
CIS_REHAB_AGREEMENT = "CIS network of medical rehabilitation and sanatorium-resort institutions"
OTS_AGREEMENT = (
    "Organization of Turkic States: health cooperation framework and action plan 2025–2026"
)

_Area = CooperationArea

AGREEMENTS = (
    AgreementData(
        title=KG_TR_AGREEMENT,
        kind=AgreementKind.INTERGOVERNMENTAL,
        parties=("kg-moh", "tr-moh", "tr-embassy-bishkek"),
        party_countries=("KG", "TR"),
        areas=(
            _Area.HIGH_TECH_CARE,
            _Area.TRANSPLANTATION,
            _Area.INTERNSHIPS,
            _Area.PHARMACEUTICALS,
        ),
        summary=(
            "150 free treatment slots a year in Turkish clinics for citizens of the Kyrgyz"
            " Republic: 100 through the Turkish embassy in Bishkek, 50 through the Kyrgyz"
            " Ministry of Health. Transplants at the Kyrgyz-Turkish hospital, 3–6 month"
            " internships of Kyrgyz specialists in Türkiye, pharmaceutical projects."
        ),
        valid_from=datetime.date(2026, 1, 1),
    ),
    AgreementData(
        title=MURMANSK_MINSK_AGREEMENT,
        kind=AgreementKind.REGIONAL,
        parties=("ru-murmansk-moh", "by-minsk-health"),
        party_countries=("BY", "RU"),
        areas=(
            _Area.HIGH_TECH_CARE,
            _Area.EMERGENCY_CARE,
            _Area.PALLIATIVE_CARE,
            _Area.INTERNSHIPS,
            _Area.CONFERENCES,
        ),
        summary=(
            "Specialised and high-tech care, emergency and palliative care, internships of"
            " doctors and joint conferences between the hospitals of the Murmansk region and"
            " of Minsk."
        ),
        signed_on=datetime.date(2024, 5, 31),
        valid_from=datetime.date(2024, 5, 31),
    ),
    AgreementData(
        title=CIS_REHAB_AGREEMENT,
        kind=AgreementKind.MULTILATERAL_FRAMEWORK,
        coordinator="ru-nmrc-rehab",
        parties=("by-moh", "kz-moh", "kg-moh", "ru-moh", "tj-moh", "uz-moh", "ru-nmrc-rehab"),
        party_countries=("BY", "KG", "KZ", "RU", "TJ", "UZ"),
        areas=(_Area.REHABILITATION, _Area.INTERNSHIPS, _Area.CONFERENCES),
        summary=(
            "One network of rehabilitation and sanatorium-resort institutions of the CIS,"
            " coordinated by Russia's national rehabilitation centre as the base organisation."
        ),
        valid_from=datetime.date(2026, 1, 1),
    ),
    AgreementData(
        title=OTS_AGREEMENT,
        kind=AgreementKind.MULTILATERAL_FRAMEWORK,
        coordinator="ots",
        parties=("az-moh", "kz-moh", "kg-moh", "tr-moh", "uz-moh"),
        party_countries=("AZ", "KG", "KZ", "TR", "UZ"),
        areas=(
            _Area.DIGITAL_HEALTH,
            _Area.MEDICAL_TOURISM,
            _Area.TRANSPLANTATION,
            _Area.PHARMACEUTICALS,
            _Area.EMERGENCY_CARE,
            _Area.INTERNSHIPS,
        ),
        summary=(
            "Digital health and e-prescriptions, cross-border exchange of patient data,"
            " medical tourism, pharmaceuticals, transplantology and emergency preparedness"
            " among the health ministries of the Organization of Turkic States."
        ),
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
    ),
)

_TURKISH_HOSPITALS = ("tr-bilkent", "tr-basaksehir", "tr-hacettepe")

POOLS = (
    PoolData(
        code=f"KG-TR-{DEMO_YEAR}",
        agreement=KG_TR_AGREEMENT,
        kind=PoolKind.TREATMENT,
        sending_country="KG",
        host_country="TR",
        total_slots=150,
        specialties=(
            "oncology",
            "transplantology",
            "cardiac-surgery",
            "neurosurgery",
            "paediatric-oncology",
            "haematology",
        ),
        eligible=(*_TURKISH_HOSPITALS, "kg-tr-hospital"),
        channels={"tr-embassy-bishkek": 100, "kg-moh": 50},
    ),
    PoolData(
        code=f"KG-TR-INT-{DEMO_YEAR}",
        agreement=KG_TR_AGREEMENT,
        kind=PoolKind.INTERNSHIP,
        sending_country="KG",
        host_country="TR",
        total_slots=20,
        specialties=("transplantology", "oncology", "cardiac-surgery"),
        eligible=_TURKISH_HOSPITALS,
        channels={"kg-moh": 20},
    ),
    PoolData(
        code=f"RU-MUR-BY-{DEMO_YEAR}",
        agreement=MURMANSK_MINSK_AGREEMENT,
        kind=PoolKind.TREATMENT,
        sending_country="RU",
        host_country="BY",
        total_slots=12,
        specialties=("oncology", "haematology", "neurosurgery", "palliative-care"),
        eligible=("by-minsk-onco", "by-minsk-emergency"),
        channels={"ru-murmansk-moh": 12},
    ),
    PoolData(
        code=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}",
        agreement=CIS_REHAB_AGREEMENT,
        kind=PoolKind.TREATMENT,
        sending_country="KG",
        host_country="KZ",
        total_slots=30,
        specialties=("rehabilitation", "sanatorium-treatment"),
        eligible=("kz-okzhetpes", "kz-mankent"),
        channels={"kg-moh": 30},
    ),
)

_Role = MembershipRole

USERS = (
    UserData("admin", "Portal", "Administrator", is_staff=True, is_superuser=True),
    UserData("ministry.kg", "Айгуль", "Осмонова", (("kg-moh", _Role.MINISTRY_OFFICER),)),
    UserData("embassy.tr", "Mehmet", "Yıldız", (("tr-embassy-bishkek", _Role.EMBASSY_OFFICER),)),
    UserData("clinic.tr", "Ayşe", "Demir", (("tr-bilkent", _Role.CLINIC_COORDINATOR),)),
    UserData(
        "clinic.kgtr", "Нурлан", "Абдыкадыров", (("kg-tr-hospital", _Role.CLINIC_COORDINATOR),)
    ),
    UserData(
        "ministry.murmansk", "Ольга", "Смирнова", (("ru-murmansk-moh", _Role.MINISTRY_OFFICER),)
    ),
    UserData("clinic.minsk", "Андрей", "Ковалёв", (("by-minsk-onco", _Role.CLINIC_COORDINATOR),)),
    UserData("sanatorium.kz", "Динара", "Сейткали", (("kz-okzhetpes", _Role.CLINIC_COORDINATOR),)),
    # Keeps the network's reference data, in the administration site.
    UserData(
        "network.cis",
        "Елена",
        "Петрова",
        (("ru-nmrc-rehab", _Role.NETWORK_COORDINATOR),),
        is_staff=True,
        groups=(REFERENCE_EDITORS_GROUP,),
    ),
)

# Group -> {app label: models}; each model gets add, change and view.
GROUP_PERMISSIONS = {
    REFERENCE_EDITORS_GROUP: {
        "quotas": ("agreement", "quotapool", "channel"),
        "institutions": ("institution", "specialty", "accreditation"),
    },
}

# --- The builder --------------------------------------------------------------


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    # Demo cases the portal refused (e.g. their pool's period has ended).
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _differs(model_field: models.Field[Any, Any], current: object, wanted: object) -> bool:
    before: object = model_field.get_prep_value(current)
    after: object = model_field.get_prep_value(wanted)
    return before != after


def _differing(obj: models.Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """The wanted values of the fields whose stored value differs."""
    changed = {}
    for name, wanted in values.items():
        model_field = obj._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # noqa: S101 (values name concrete fields only)
        if model_field.many_to_one:
            differs = getattr(obj, model_field.attname) != (wanted.pk if wanted else None)
        else:
            differs = _differs(model_field, getattr(obj, name), wanted)
        if differs:
            changed[name] = wanted
    return changed


def _sync(
    model: type[M],
    report: SeedReport,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    initial: Mapping[str, Any] | None = None,
) -> M:
    """Find the row by its natural key; create it, or write only the fields that differ.

    ``initial`` values are written only when the row is created. Unlike
    ``update_or_create``, an up-to-date row is not saved again, so ``auto_now``
    stamps stay as they are.
    """
    label = model._meta.label
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        report.created[label] += 1
        return model._default_manager.create(**lookup, **values, **(initial or {}))
    changed = list(_differing(obj, values))
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        changed += [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=changed)
        report.updated[label] += 1
    return obj


def _sync_by_service(
    model: type[M],
    report: SeedReport,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    *,
    create: Callable[[dict[str, Any]], M],
    update: Callable[[int, dict[str, Any]], M],
    initial: Mapping[str, Any] | None = None,
) -> M:
    """As ``_sync``, for rows whose writes their app records: through its services."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        report.created[model._meta.label] += 1
        return create({**lookup, **values, **(initial or {})})
    changed = _differing(obj, values)
    if not changed:
        return obj
    report.updated[model._meta.label] += 1
    return update(obj.pk, changed)


def _adopt_untranslated(model: type[models.Model], field: str) -> None:
    """Rows seeded before names were translated hold their English name in the base
    column only: give it to the English column, which the seed finds rows by."""
    model._default_manager.rewrite(False).filter(  # type: ignore[attr-defined]
        **{f"{field}_en__isnull": True}
    ).update(**{f"{field}_en": F(field)})


def _other_languages(columns: dict[str, str]) -> dict[str, str]:
    """The columns but the English one, which is the natural key the row is found by."""
    return {column: text for column, text in columns.items() if not column.endswith("_en")}


def _pool_names(code: str) -> names.Names:
    """The pool's names in every language, for its code without the year."""
    prefix, year = code.rsplit("-", 1)
    return names.POOL_NAMES[prefix].format(year=year)


def _agreement_create(values: dict[str, Any], *, parties: list[Institution]) -> Agreement:
    # Created with its parties, so its first revision lists them.
    return quota_services.agreement_create(
        actor=None, data={**values, "party_institutions": parties}
    )


def _pool_create(values: dict[str, Any], *, relations: dict[str, list[Any]]) -> QuotaPool:
    return quota_services.pool_create(actor=None, data={**values, **relations})


def _link(
    report: SeedReport, relation: ManyRelatedManager[Any, Any], targets: Iterable[models.Model]
) -> None:
    """Add the missing targets to a many-to-many relation; links added since are kept."""
    present = set(relation.values_list("pk", flat=True))
    missing = [target for target in targets if target.pk not in present]
    if missing:
        relation.add(*missing)
        report.created[f"{relation.through._meta.label}"] += len(missing)


class DemoBuilder:
    def __init__(self, *, password: str | None) -> None:
        self.password = password
        self.report = SeedReport()
        self.specialties: dict[str, Specialty] = {}
        self.institutions: dict[str, Institution] = {}
        self.agreements: dict[str, Agreement] = {}
        self.pools: dict[str, QuotaPool] = {}
        self.groups: dict[str, Group] = {}
        self.users: dict[str, User] = {}

    def build(self) -> SeedReport:
        from demo.cases import cases_seed

        self._specialties()
        self._institutions()
        self._agreements()
        self._pools()
        self._groups()
        self._users()
        cases_seed(self)
        return self.report

    def _specialties(self) -> None:
        for data in SPECIALTIES:
            self.specialties[data.code] = _sync(
                Specialty,
                self.report,
                {"code": data.code},
                {
                    "name_ru": data.ru,
                    "name_en": data.en,
                    "name_ky": data.ky,
                    "name_kk": data.kk,
                    "name_tr": data.tr,
                    "name_uz": data.uz,
                    "name_az": data.az,
                },
            )

    def _institutions(self) -> None:
        _adopt_untranslated(Institution, "name")
        for data in INSTITUTIONS:
            institution = _sync(
                Institution,
                self.report,
                {"country": data.country, "name_en": data.name},
                {
                    **_other_languages(names.INSTITUTIONS[data.key].name.columns("name")),
                    **names.INSTITUTIONS[data.key].short_name.columns("short_name"),
                    "kind": data.kind,
                    "city": data.city,
                },
            )
            self.institutions[data.key] = institution
            for code, capacity in data.specialties.items():
                _sync(
                    InstitutionSpecialty,
                    self.report,
                    {"institution": institution, "specialty": self.specialties[code]},
                    {"annual_capacity": capacity},
                )
            for accreditation in data.accreditations:
                _sync(
                    Accreditation,
                    self.report,
                    {
                        "institution": institution,
                        "kind": accreditation.kind,
                        "issuer": accreditation.issuer,
                    },
                    {
                        "reference": accreditation.reference,
                        "valid_from": accreditation.valid_from,
                        "valid_until": accreditation.valid_until,
                    },
                )

    def _agreements(self) -> None:
        _adopt_untranslated(Agreement, "title")
        for data in AGREEMENTS:
            parties = [self.institutions[key] for key in data.parties]
            agreement = _sync_by_service(
                Agreement,
                self.report,
                {"title_en": data.title},
                {
                    **names.AGREEMENT_TITLES[data.title].columns("title"),
                    "kind": data.kind,
                    "status": data.status,
                    "party_countries": list(data.party_countries),
                    "coordinator": self.institutions[data.coordinator]
                    if data.coordinator
                    else None,
                    "signed_on": data.signed_on,
                    "valid_from": data.valid_from,
                    "valid_until": data.valid_until,
                    "areas": [str(area) for area in data.areas],
                    "summary": data.summary,
                },
                create=partial(_agreement_create, parties=parties),
                update=lambda pk, values: quota_services.agreement_update(
                    actor=None, agreement_id=pk, data=values
                ),
            )
            _link(
                self.report,
                agreement.party_institutions,
                (self.institutions[key] for key in data.parties),
            )
            self.agreements[data.title] = agreement

    def _pools(self) -> None:
        for data in POOLS:
            relations: dict[str, list[Any]] = {
                "specialties": [self.specialties[code] for code in data.specialties],
                "eligible_institutions": [self.institutions[key] for key in data.eligible],
            }
            pool = _sync_by_service(
                QuotaPool,
                self.report,
                {"code": data.code},
                {
                    "agreement": self.agreements[data.agreement],
                    **_pool_names(data.code).columns("name"),
                    "kind": data.kind,
                    "period_start": data.period_start,
                    "period_end": data.period_end,
                    "sending_country": data.sending_country,
                    "host_country": data.host_country,
                    "hold_days": data.hold_days,
                },
                create=partial(_pool_create, relations=relations),
                update=lambda pk, values: quota_services.pool_update(
                    actor=None, pool_id=pk, data=values
                ),
                initial={"total_slots": data.total_slots},
            )
            _link(self.report, pool.specialties, (self.specialties[c] for c in data.specialties))
            _link(
                self.report,
                pool.eligible_institutions,
                (self.institutions[key] for key in data.eligible),
            )
            for key, slots in data.channels.items():
                self._channel(pool, self.institutions[key], slots)
            self.pools[data.code] = pool

    def _channel(self, pool: QuotaPool, institution: Institution, slots: int) -> None:
        if Channel.objects.filter(pool=pool, issuing_institution=institution).exists():
            return
        # Through the service, so the opening is on the channel's record.
        quota_services.channel_open(
            pool=pool,
            issuing_institution=institution,
            slots=slots,
            actor=None,
            reason="Opened with the demo data",
        )
        self.report.created[Channel._meta.label] += 1

    def _groups(self) -> None:
        for name, grants in GROUP_PERMISSIONS.items():
            group, created = Group.objects.get_or_create(name=name)
            if created:
                self.report.created[Group._meta.label] += 1
            wanted = {
                (app_label, f"{action}_{model}")
                for app_label, model_names in grants.items()
                for model in model_names
                for action in ("add", "change", "view")
            }
            permissions = [
                permission
                for permission in Permission.objects.filter(
                    content_type__app_label__in=grants, codename__in=[c for _, c in wanted]
                ).select_related("content_type")
                if (permission.content_type.app_label, permission.codename) in wanted
            ]
            if len(permissions) != len(wanted):
                raise ImproperlyConfigured(
                    "Permissions are missing; run `manage.py migrate` before seed_demo."
                )
            _link(self.report, group.permissions, permissions)
            self.groups[name] = group

    def _users(self) -> None:
        for data in USERS:
            user = User.objects.filter(username=data.username).first()
            values = {
                "first_name": data.first_name,
                "last_name": data.last_name,
                "email": data.email,
                "is_staff": data.is_staff,
                "is_superuser": data.is_superuser,
                "is_active": True,
            }
            if user is None:
                user = User(username=data.username, **values)
                user.set_password(self.password or DEFAULT_PASSWORD)
                user.save()
                self.report.created[User._meta.label] += 1
            else:
                user = _sync(User, self.report, {"username": data.username}, values)
                # Hashing again would rewrite the row on every run: only when it differs.
                if self.password is not None and not user.check_password(self.password):
                    user.set_password(self.password)
                    user.save(update_fields=["password"])
                    self.report.updated[User._meta.label] += 1
            for key, role in data.memberships:
                _sync(
                    Membership,
                    self.report,
                    {"user": user, "institution": self.institutions[key], "role": role},
                    {},
                )
            _link(self.report, user.groups, (self.groups[name] for name in data.groups))
            self.users[data.username] = user


@transaction.atomic
def seed_demo(*, password: str | None = None) -> SeedReport:
    """Create or bring up to date the demo data and users; idempotent.

    ``password`` is set on users created now, and on existing demo users whose
    password differs from it; ``None`` gives new users ``DEFAULT_PASSWORD`` and
    leaves existing passwords alone.
    """
    return DemoBuilder(password=password).build()


def demo_counts() -> dict[str, int]:
    """Rows of the demo's main tables, for the command's summary."""
    return {
        "specialties": Specialty.objects.count(),
        "institutions": Institution.objects.count(),
        "agreements": Agreement.objects.count(),
        "pools": QuotaPool.objects.count(),
        "channels": Channel.objects.count(),
        "users": User.objects.count(),
        "patients": Patient.objects.count(),
        "applications": Application.objects.count(),
        "referrals": Referral.objects.count(),
    }
