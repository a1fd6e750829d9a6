"""Demo cases: patients, applications and referrals in every state, across the stories.

Every case is played through the workflow services, acting as the demo user whose
job the step is (the sending officer, the channel's reviewer, the clinic's
coordinator), so the history rows, slots and audit records are those the portal
itself would write. A case is keyed on its patient's identity document: when that
patient already has an application in the case's pool (or, for a referral without
a quota, a referral to the case's clinic), the whole case is skipped, without a
single query that writes, so running the seed again changes nothing.

The cases are played in one go, with the real clock: admitted and discharged
patients were accepted for today (a clinic cannot accept for a past date), so
their stays are today's; the discharged cases are day cases. Accepted patients
are expected within the next weeks.

A case that the portal refuses (its pool's period has ended, the channel was
filled while trying the portal, ...) is rolled back and reported, never half done.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from allocations import services as allocation_services
from allocations.choices import AllocationState, ReleaseReason
from allocations.models import Allocation, AllocationEvent
from applications import services as application_services
from applications.choices import RejectionReason, Urgency, WithdrawalReason
from applications.models import Application
from common.exceptions import DomainError
from demo.seed import DEMO_YEAR
from institutions.models import Institution
from patients.choices import DocumentType, Sex
from patients.models import Patient
from patients.services import document_number_normalise, patient_register
from referrals import services as referral_services
from referrals.choices import (
    DeclineReason,
    DischargeOutcome,
    FundingSource,
    ReferralStatus,
    RescheduleReason,
)
from referrals.models import Referral, ReferralEvent

if TYPE_CHECKING:
    from demo.seed import DEMO_YEAR, DemoBuilder


# --- Who does what ---------------------------------------------------------------

# The officers who review a channel's applications and manage its slots.
CHANNEL_REVIEWERS = {
    "tr-embassy-bishkek": "embassy.tr",
    "kg-moh": "ministry.kg",
    "ru-murmansk-moh": "ministry.murmansk",
}
# The coordinators who answer a clinic's referrals. Referrals to clinics without
# a demo user (Hacettepe, Başakşehir, the Minsk emergency hospital, the Kazakh
# oncology centre) stay with the clinic: sent, waiting for its answer.
CLINIC_COORDINATORS = {
    "tr-bilkent": "clinic.tr",
    "kg-tr-hospital": "clinic.kgtr",
    "by-minsk-onco": "clinic.minsk",
    "kz-okzhetpes": "sanatorium.kz",
}

# --- The steps of a case ------------------------------------------------------------


@dataclass(frozen=True)
class Submit:
    comment: str = ""


@dataclass(frozen=True)
class StartReview:
    comment: str = ""


@dataclass(frozen=True)
class RequestInfo:
    comment: str


@dataclass(frozen=True)
class Approve:
    comment: str = ""


@dataclass(frozen=True)
class Reject:
    reason: str
    comment: str


@dataclass(frozen=True)
class Withdraw:
    reason: str
    comment: str


@dataclass(frozen=True)
class Release:
    """The channel's officer gives the held slot back: the application lapses."""

    reason: str
    comment: str


@dataclass(frozen=True)
class Refer:
    clinic: str  # institution key of core.demo
    letter: str


@dataclass(frozen=True)
class Accept:
    in_days: int  # admission date, days from today
    department: str
    contact: str
    comment: str = ""


@dataclass(frozen=True)
class Reschedule:
    in_days: int  # the new admission date, days from today
    reason: str
    comment: str = ""


@dataclass(frozen=True)
class Decline:
    reason: str
    comment: str


@dataclass(frozen=True)
class ClinicAsks:
    comment: str


@dataclass(frozen=True)
class Admit:
    comment: str = ""


@dataclass(frozen=True)
class Discharge:
    outcome: str
    summary: str


@dataclass(frozen=True)
class NoShow:
    comment: str


@dataclass(frozen=True)
class Cancel:
    comment: str


Step = (
    Submit
    | StartReview
    | RequestInfo
    | Approve
    | Reject
    | Withdraw
    | Release
    | Refer
    | Accept
    | Reschedule
    | Decline
    | ClinicAsks
    | Admit
    | Discharge
    | NoShow
    | Cancel
)


def approved(comment: str = "", *, submit: str = "") -> tuple[Step, ...]:
    """Submitted by the sender, taken into review and approved by the channel's officer."""
    return (Submit(submit), StartReview(), Approve(comment))


# --- The data -----------------------------------------------------------------------


@dataclass(frozen=True)
class PatientData:
    name_native: str
    name_latin: str
    sex: str
    citizenship: str
    document_number: str
    birth_date: datetime.date | None = None
    # A child's age in years on the day of seeding (with ``born_on`` as month, day):
    # a fixed birth date would turn the child into an adult in a few years.
    age: int | None = None
    born_on: tuple[int, int] = (1, 1)
    document_type: str = DocumentType.PASSPORT
    address: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    preferred_language: str = "ru"

    def birth(self, today: datetime.date) -> datetime.date:
        if self.birth_date is not None:
            return self.birth_date
        assert self.age is not None, self.name_latin  # noqa: S101 (each case gives one of the two)
        month, day = self.born_on
        born = datetime.date(today.year - self.age, month, day)
        # Not yet had this year's birthday: one year earlier keeps the age.
        return (
            born if (month, day) <= (today.month, today.day) else born.replace(year=born.year - 1)
        )

    def fields(self, today: datetime.date) -> dict[str, object]:
        return {
            "name_native": self.name_native,
            "name_latin": self.name_latin,
            "birth_date": self.birth(today),
            "sex": self.sex,
            "citizenship": self.citizenship,
            "document_type": self.document_type,
            "document_number": self.document_number,
            "document_country": self.citizenship,
            "address": self.address,
            "guardian_name": self.guardian_name,
            "guardian_relation": self.guardian_relation,
            "preferred_language": self.preferred_language,
        }


@dataclass(frozen=True)
class CaseData:
    """One patient's application on a channel, and what became of it."""

    story: str
    patient: PatientData
    pool: str  # pool code
    channel: str  # issuing institution key
    sender: str  # username of the officer who registers, applies and refers
    specialty: str
    diagnosis_code: str
    diagnosis_text: str
    medical_summary: str
    steps: tuple[Step, ...]
    urgency: str = Urgency.ROUTINE
    preferred_host: str | None = None
    # A case closed earlier in the pool's period: how far back it was opened, as a share
    # of the days the period has run (0 is today), and how many days the patient stayed.
    ago: float = 0.0
    stay_days: int = 0


@dataclass(frozen=True)
class DirectCaseData:
    """A referral without a quota: self-paying, insured or state-funded."""

    story: str
    patient: PatientData
    sender: str  # username
    sender_institution: str  # institution key
    clinic: str  # institution key
    funding_source: str
    agreement: str | None  # agreement title
    specialty: str
    diagnosis_code: str
    diagnosis_text: str
    medical_summary: str
    letter: str
    steps: tuple[Step, ...] = ()
    urgency: str = Urgency.ROUTINE


_KG = "Кыргызстан → Турция"
_MUR = "Мурманск → Минск"
_CIS = "СНГ: реабилитация"

_F, _M = Sex.FEMALE, Sex.MALE
_EMBASSY, _KG_MOH, _MURMANSK = "tr-embassy-bishkek", "kg-moh", "ru-murmansk-moh"

_TO_BILKENT = (
    "Уважаемые коллеги! Направляем пациента в рамках ежегодной безвозмездной квоты"
    " Турецкой Республики для граждан Кыргызской Республики. Выписки и снимки приложены"
    " к заявке; сопровождающий — член семьи. Просим сообщить дату госпитализации."
)
_TO_KGTR = (
    "Уважаемые коллеги! Направляем пациента по квоте Кыргызстан – Турция 2026 года."
    " Медицинская документация приложена к заявке. Просим сообщить дату госпитализации."
)
_TO_MINSK = (
    "Уважаемые коллеги! Направляем пациента Мурманской области в соответствии с соглашением"
    " о сотрудничестве между Министерством здравоохранения Мурманской области и комитетом"
    " по здравоохранению Мингорисполкома. Выписки, гистология и снимки приложены."
)
_TO_OKZHETPES = (
    "Уважаемые коллеги! Направляем пациента на медицинскую реабилитацию в рамках сети"
    " реабилитационных и санаторно-курортных учреждений СНГ (квота Кыргызстан → Казахстан"
    " 2026). Выписной эпикриз приложен."
)


def _treated_earlier(
    *,
    ago: float,
    stay_days: int,
    patient: PatientData,
    channel: str,
    specialty: str,
    diagnosis_code: str,
    diagnosis_text: str,
    medical_summary: str,
    department: str,
    outcome: str,
    discharge_summary: str,
    urgency: str = Urgency.ROUTINE,
) -> CaseData:
    """A Kyrgyz patient treated at Bilkent earlier this year: the pool's slots used so far."""
    return CaseData(
        story=f"{_KG}: пролечен ранее в этом году",
        patient=patient,
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=channel,
        sender="ministry.kg",
        specialty=specialty,
        diagnosis_code=diagnosis_code,
        diagnosis_text=diagnosis_text,
        medical_summary=medical_summary,
        preferred_host="tr-bilkent",
        urgency=urgency,
        steps=(
            *approved(),
            Refer("tr-bilkent", _TO_BILKENT),
            Accept(0, department, "Ayşe Demir"),
            Admit(),
            Discharge(outcome, discharge_summary),
        ),
        ago=ago,
        stay_days=stay_days,
    )


# Played first, so that their numbers come before this month's cases as their dates do.
KG_TR_PAST_CASES: tuple[CaseData, ...] = (
    _treated_earlier(
        ago=0.92,
        stay_days=9,
        patient=PatientData(
            "Жээнбеков Улан Асанович",
            "ZHEENBEKOV ULAN",
            _M,
            "KG",
            "AN3120457",
            birth_date=datetime.date(1971, 3, 14),
            address="Ош, ул. Курманжан Датки",
        ),
        channel=_EMBASSY,
        specialty="cardiac-surgery",
        diagnosis_code="I25.1",
        diagnosis_text="ИБС: многососудистое поражение коронарных артерий",
        medical_summary="Стенокардия III ФК, стеноз ствола ЛКА 70 %, ПНА 90 %. Показано АКШ.",
        department="Cardiovascular Surgery",
        outcome=DischargeOutcome.TREATED,
        discharge_summary=(
            "CABG x3 (LIMA-LAD, SVG-OM, SVG-RCA) on bypass; uneventful recovery."
            " Aspirin, atorvastatin, bisoprolol. Cardiology follow-up in Osh in one month."
        ),
    ),
    _treated_earlier(
        ago=0.8,
        stay_days=7,
        patient=PatientData(
            "Абдыраева Жазгуль Токтогуловна",
            "ABDYRAEVA ZHAZGUL",
            _F,
            "KG",
            "AN2894410",
            birth_date=datetime.date(1983, 7, 2),
            address="Бишкек, мкр. Джал",
        ),
        channel=_EMBASSY,
        specialty="oncology",
        diagnosis_code="C50.4",
        diagnosis_text="Рак левой молочной железы, T2N1M0",
        medical_summary="Гистология: инвазивная карцинома, HER2+. После 4 курсов неоадъювантной ХТ.",
        department="Surgical Oncology",
        outcome=DischargeOutcome.TREATED,
        discharge_summary=(
            "Left modified radical mastectomy after neoadjuvant chemotherapy; margins clear."
            " Adjuvant trastuzumab and radiotherapy to continue at the National Oncology"
            " Centre in Bishkek."
        ),
    ),
    _treated_earlier(
        ago=0.68,
        stay_days=26,
        patient=PatientData(
            "Исаков Нурсултан Бакытович",
            "ISAKOV NURSULTAN",
            _M,
            "KG",
            "AN5103372",
            age=9,
            born_on=(4, 17),
            guardian_name="Исакова Айгерим Бакытовна",
            guardian_relation="мать",
            address="Каракол",
        ),
        channel=_EMBASSY,
        specialty="paediatric-oncology",
        diagnosis_code="C91.0",
        diagnosis_text="Острый лимфобластный лейкоз, рецидив",
        medical_summary="Ранний костномозговой рецидив ОЛЛ. Показана высокодозная ХТ в центре с ТГСК.",
        department="Paediatric Haematology and Oncology",
        outcome=DischargeOutcome.IMPROVED,
        discharge_summary=(
            "Relapse protocol block completed; bone marrow in remission (MRD negative)."
            " HLA typing of the sister done: a full match. Return for transplantation"
            " planned within two months."
        ),
        urgency=Urgency.URGENT,
    ),
    _treated_earlier(
        ago=0.57,
        stay_days=10,
        patient=PatientData(
            "Токтосунова Бермет Маратовна",
            "TOKTOSUNOVA BERMET",
            _F,
            "KG",
            "AN4417702",
            birth_date=datetime.date(1990, 11, 20),
            address="Бишкек, Свердловский район",
        ),
        channel=_KG_MOH,
        specialty="neurosurgery",
        diagnosis_code="D33.3",
        diagnosis_text="Вестибулярная шваннома справа, 28 мм",
        medical_summary="Снижение слуха справа, атаксия. МРТ: вестибулярная шваннома 28 мм.",
        department="Neurosurgery",
        outcome=DischargeOutcome.TREATED,
        discharge_summary=(
            "Retrosigmoid resection of the right vestibular schwannoma, gross total;"
            " facial nerve function House-Brackmann II. MRI control in six months."
        ),
    ),
    _treated_earlier(
        ago=0.45,
        stay_days=12,
        patient=PatientData(
            "Маматов Эрлан Кубанычбекович",
            "MAMATOV ERLAN",
            _M,
            "KG",
            "AN1987315",
            birth_date=datetime.date(1958, 1, 9),
            address="Джалал-Абад",
        ),
        channel=_EMBASSY,
        specialty="cardiac-surgery",
        diagnosis_code="I35.0",
        diagnosis_text="Критический аортальный стеноз",
        medical_summary="Одышка при минимальной нагрузке. ЭхоКГ: площадь АК 0,7 см², градиент 68 мм рт. ст.",
        department="Cardiovascular Surgery",
        outcome=DischargeOutcome.TREATED,
        discharge_summary=(
            "Aortic valve replacement with a bioprosthesis; good valve function on echo."
            " Warfarin for three months, then aspirin. Follow-up in Jalal-Abad."
        ),
    ),
    _treated_earlier(
        ago=0.33,
        stay_days=21,
        patient=PatientData(
            "Сатыбалдиева Гулмира Эсеновна",
            "SATYBALDIEVA GULMIRA",
            _F,
            "KG",
            "AN2250983",
            birth_date=datetime.date(1967, 5, 27),
            address="Нарын",
        ),
        channel=_EMBASSY,
        specialty="haematology",
        diagnosis_code="C83.3",
        diagnosis_text="Диффузная В-крупноклеточная лимфома, рецидив",
        medical_summary="Рецидив ДВККЛ после R-CHOP. Показана ВДХТ с аутологичной ТГСК.",
        department="Haematology — Stem Cell Transplantation Unit",
        outcome=DischargeOutcome.IMPROVED,
        discharge_summary=(
            "Salvage R-DHAP x2, then BEAM and autologous stem cell transplantation;"
            " engraftment on day 11. PET-CT in three months."
        ),
    ),
    _treated_earlier(
        ago=0.2,
        stay_days=16,
        patient=PatientData(
            "Жумабаев Азамат Садырбекович",
            "ZHUMABAEV AZAMAT",
            _M,
            "KG",
            "AN3786021",
            birth_date=datetime.date(1979, 9, 18),
            address="Токмок",
        ),
        channel=_KG_MOH,
        specialty="transplantology",
        diagnosis_code="N18.5",
        diagnosis_text="ХБП 5 стадии, программный гемодиализ",
        medical_summary="Гемодиализ 2 года. Родственный донор — брат, совместимость подтверждена.",
        department="Organ Transplantation Centre",
        outcome=DischargeOutcome.TREATED,
        discharge_summary=(
            "Living related kidney transplantation (donor: brother); creatinine 110 µmol/L"
            " at discharge. Tacrolimus, mycophenolate, prednisolone; levels in Bishkek weekly."
        ),
    ),
)

KG_TR_CASES: tuple[CaseData, ...] = (
    # --- The Turkish embassy's channel: reviewed by embassy.tr ----------------------
    CaseData(
        story=f"{_KG}: онкология, отказ и повторное направление",
        patient=PatientData(
            "Осмоналиева Гульнара Асановна",
            "OSMONALIEVA GULNARA",
            _F,
            "KG",
            "AN4517382",
            birth_date=datetime.date(1979, 3, 14),
            address="Бишкек, мкр. Джал, 23",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C50.9",
        diagnosis_text="Рак левой молочной железы cT2N1M0, HER2-положительный",
        medical_summary=(
            "Трепан-биопсия 08/2026: инвазивная протоковая карцинома, ER+/PR+, HER2 3+,"
            " Ki-67 40 %. Показана неоадъювантная химиотерапия с двойной анти-HER2"
            " блокадой (трастузумаб + пертузумаб) и органосохраняющая операция с биопсией"
            " сигнального лимфоузла; в республике в нужные сроки недоступно."
        ),
        urgency=Urgency.URGENT,
        preferred_host="kg-tr-hospital",
        steps=(
            *approved("Eligible under the quota: HER2-positive early breast cancer, urgent."),
            Refer("kg-tr-hospital", _TO_KGTR),
            Decline(
                DeclineReason.OUTSIDE_PROFILE,
                "Двойная анти-HER2 терапия в нашем онкологическом отделении сейчас недоступна;"
                " рекомендуем направить пациентку в онкологический центр Турции.",
            ),
            Refer(
                "tr-bilkent",
                _TO_BILKENT + " Кыргызско-Турецкая больница отказала: нет двойной анти-HER2"
                " терапии.",
            ),
            Accept(
                14,
                "Medical Oncology Clinic",
                "Ayşe Demir, International Patient Office",
                "Neoadjuvant TCHP will start on admission; surgery planned after six cycles.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: детская онкология, ждёт ответа клиники",
        patient=PatientData(
            "Токтогулов Эмир Бакытович",
            "TOKTOGULOV EMIR",
            _M,
            "KG",
            "AC3098415",
            age=7,
            born_on=(5, 9),
            address="Бишкек, ул. Ахунбаева",
            guardian_name="Токтогулова Айпери Маратовна",
            guardian_relation="мать",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="paediatric-oncology",
        diagnosis_code="C91.0",
        diagnosis_text="Острый лимфобластный лейкоз, B-линейный, ранний рецидив",
        medical_summary=(
            "ОЛЛ диагностирован в 2024 году, лечение по протоколу ALL IC-BFM 2009, ремиссия."
            " Ранний костномозговой рецидив 09/2026. Показана противорецидивная терапия и"
            " аллогенная трансплантация гемопоэтических стволовых клеток; сиблинг HLA-"
            " совместим (типирование приложено)."
        ),
        urgency=Urgency.URGENT,
        preferred_host="tr-bilkent",
        steps=(
            *approved("Paediatric relapse: urgent, approved."),
            Refer("tr-bilkent", _TO_BILKENT + " Ребёнка сопровождает мать."),
        ),
    ),
    CaseData(
        story=f"{_KG}: нейрохирургия, отказ клиники — направить снова",
        patient=PatientData(
            "Мамытов Нурбек Жолдошевич",
            "MAMYTOV NURBEK",
            _M,
            "KG",
            "AN5120947",
            birth_date=datetime.date(1988, 11, 2),
            address="Каракол",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="neurosurgery",
        diagnosis_code="C71.9",
        diagnosis_text="Опухоль правой лобной доли, подозрение на глиому высокой степени",
        medical_summary=(
            "Эпиприступы с 07/2026. МРТ: внутримозговое образование правой лобной доли"
            " 4,2 см с кольцевидным накоплением контраста и перифокальным отёком."
            " Показано микрохирургическое удаление с нейронавигацией и интраоперационным"
            " мониторингом."
        ),
        urgency=Urgency.URGENT,
        steps=(
            *approved(),
            Refer("tr-bilkent", _TO_BILKENT),
            Decline(
                DeclineReason.FURTHER_TESTS,
                "Please send a contrast-enhanced MRI not older than four weeks and an MR"
                " spectroscopy; we will review the case again on receipt.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: отклонена — лечение доступно дома",
        patient=PatientData(
            "Абдрахманова Жылдыз Токтосуновна",
            "ABDRAKHMANOVA ZHYLDYZ",
            _F,
            "KG",
            "AN3386120",
            birth_date=datetime.date(1969, 7, 21),
            address="Нарын",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C73",
        diagnosis_text="Папиллярный рак щитовидной железы, T1bN0M0",
        medical_summary=(
            "Узел правой доли 1,4 см, ТАБ: Bethesda VI. Регионарные лимфоузлы по УЗИ не"
            " изменены. Планируется тиреоидэктомия."
        ),
        steps=(
            Submit(),
            StartReview(),
            Reject(
                RejectionReason.TREATABLE_AT_HOME,
                "Thyroidectomy for low-risk papillary carcinoma is performed at the National"
                " Centre of Oncology and Haematology in Bishkek; treatment abroad is not needed.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: подана, ждёт рассмотрения посольством",
        patient=PatientData(
            "Юсупов Шерзод Рустамович",
            "YUSUPOV SHERZOD",
            _M,
            "KG",
            "AN6104472",
            birth_date=datetime.date(1983, 2, 11),
            address="Ош",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="haematology",
        diagnosis_code="C92.1",
        diagnosis_text="Хронический миелолейкоз, BCR-ABL1+, резистентность к иматинибу",
        medical_summary=(
            "ХМЛ с 2021 года. Потеря большого молекулярного ответа на иматинибе, мутация"
            " T315I. Нужна консультация о терапии понатинибом и об аллогенной трансплантации."
        ),
        steps=(Submit("Документы полные, просим рассмотреть."),),
    ),
    CaseData(
        story=f"{_KG}: на рассмотрении в посольстве",
        patient=PatientData(
            "Кадырова Бурулай Эркиновна",
            "KADYROVA BURULAI",
            _F,
            "KG",
            "AN2875539",
            birth_date=datetime.date(1991, 5, 30),
            address="Талас",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C53.9",
        diagnosis_text="Рак шейки матки, FIGO IIB",
        medical_summary=(
            "Плоскоклеточный рак шейки матки, FIGO IIB. Показана химиолучевая терапия с"
            " брахитерапией; аппарат для брахитерапии в республике на ремонте."
        ),
        steps=(Submit(), StartReview()),
    ),
    CaseData(
        story=f"{_KG}: посольство запросило документы",
        patient=PatientData(
            "Сыдыков Азамат Курманбекович",
            "SYDYKOV AZAMAT",
            _M,
            "KG",
            "AC1945763",
            birth_date=datetime.date(1975, 9, 17),
            address="Джалал-Абад",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="cardiac-surgery",
        diagnosis_code="I34.0",
        diagnosis_text="Тяжёлая неревматическая митральная недостаточность",
        medical_summary=(
            "Пролапс задней створки митрального клапана, митральная регургитация IV степени,"
            " ФВ 55 %, одышка при умеренной нагрузке. Показана пластика митрального клапана."
        ),
        steps=(
            Submit(),
            StartReview(),
            RequestInfo(
                "Please attach a transoesophageal echocardiogram and a coronary angiography"
                " not older than three months."
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: направление отменено, квота вернулась",
        patient=PatientData(
            "Бейшеналиев Таалайбек Осмонович",
            "BEISHENALIEV TAALAIBEK",
            _M,
            "KG",
            "AN1739024",
            birth_date=datetime.date(1958, 12, 5),
            address="Токмок",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C22.0",
        diagnosis_text="Гепатоцеллюлярный рак, BCLC B, на фоне HBV-цирроза",
        medical_summary=(
            "Многоочаговый ГЦР правой доли печени, цирроз Child-Pugh A. Показана"
            " трансартериальная химиоэмболизация."
        ),
        steps=(
            *approved(),
            Refer("tr-basaksehir", _TO_BILKENT),
            Cancel(
                "Состояние пациента ухудшилось (асцит, желтуха), перелёт противопоказан."
                " Квота возвращается в канал."
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: кардиохирургия, выписан — петля замкнулась",
        patient=PatientData(
            "Алыкулов Бакыт Сагынбекович",
            "ALYKULOV BAKYT",
            _M,
            "KG",
            "AN4062218",
            birth_date=datetime.date(1964, 6, 28),
            address="Бишкек, Октябрьский район",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="cardiac-surgery",
        diagnosis_code="I25.1",
        diagnosis_text="ИБС: критический стеноз проксимального отдела ПНА, стенокардия III ФК",
        medical_summary=(
            "Стабильная стенокардия напряжения III ФК на фоне оптимальной медикаментозной"
            " терапии. Стресс-ЭхоКГ: ишемия передней стенки. Показаны коронарография и"
            " чрескожное коронарное вмешательство."
        ),
        preferred_host="tr-bilkent",
        steps=(
            *approved(),
            Refer("tr-bilkent", _TO_BILKENT),
            Accept(0, "Cardiology — Interventional Cardiology Unit", "Ayşe Demir"),
            Admit(),
            Discharge(
                DischargeOutcome.TREATED,
                "Coronary angiography through the right radial artery: 90 % stenosis of the"
                " proximal LAD. PCI with one drug-eluting stent, TIMI 3 flow, no complications;"
                " discharged the same evening as planned (same-day PCI). Aspirin 100 mg and"
                " clopidogrel 75 mg for 12 months, atorvastatin 80 mg. Follow-up by the"
                " cardiologist in Bishkek in one month, stress test in six months.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: гематология, госпитализирована",
        patient=PatientData(
            "Турдубаева Айнура Шаршеновна",
            "TURDUBAEVA AINURA",
            _F,
            "KG",
            "AN5592031",
            birth_date=datetime.date(1986, 1, 19),
            address="Бишкек, Первомайский район",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_EMBASSY,
        sender="ministry.kg",
        specialty="haematology",
        diagnosis_code="C81.1",
        diagnosis_text="Классическая лимфома Ходжкина, нодулярный склероз, рецидив",
        medical_summary=(
            "Рецидив через 10 месяцев после 6 курсов ABVD; после двух курсов DHAP —"
            " частичный метаболический ответ. Показана высокодозная химиотерапия с"
            " аутологичной трансплантацией стволовых клеток."
        ),
        urgency=Urgency.URGENT,
        steps=(
            *approved(),
            Refer("tr-bilkent", _TO_BILKENT),
            Accept(0, "Haematology — Stem Cell Transplantation Unit", "Ayşe Demir"),
            Admit("Admitted for stem-cell mobilisation and apheresis."),
        ),
    ),
    # --- The Kyrgyz ministry's channel: reviewed by ministry.kg -----------------------
    CaseData(
        story=f"{_KG}: трансплантация почки в Кыргызско-Турецкой больнице",
        patient=PatientData(
            "Асанов Руслан Бекташевич",
            "ASANOV RUSLAN",
            _M,
            "KG",
            "AN3920417",
            birth_date=datetime.date(1991, 8, 8),
            address="Кант",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="transplantology",
        diagnosis_code="N18.5",
        diagnosis_text="Хроническая болезнь почек 5 стадии, программный гемодиализ",
        medical_summary=(
            "Хронический гломерулонефрит, гемодиализ с 2023 года. Живой родственный донор —"
            " брат, 35 лет; группа крови совместима, HLA-типирование и кросс-матч приложены."
            " Показана трансплантация почки от живого донора."
        ),
        preferred_host="kg-tr-hospital",
        steps=(
            *approved("Донор обследован, показания подтверждены."),
            Refer("kg-tr-hospital", _TO_KGTR + " Донор — брат пациента."),
            Accept(0, "Центр трансплантации органов", "Нурлан Абдыкадыров"),
            Admit("Пациент и донор госпитализированы, операция запланирована."),
        ),
    ),
    CaseData(
        story=f"{_KG}: трансплантация печени, ждёт госпитализации",
        patient=PatientData(
            "Эсенгулова Чолпон Жумабековна",
            "ESENGULOVA CHOLPON",
            _F,
            "KG",
            "AN2218854",
            birth_date=datetime.date(1972, 4, 3),
            address="Чолпон-Ата",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="transplantology",
        diagnosis_code="K74.6",
        diagnosis_text="Цирроз печени в исходе хронического гепатита B+D, MELD 19",
        medical_summary=(
            "Декомпенсированный цирроз (Child-Pugh C), рефрактерный асцит. Живой донор —"
            " дочь, 27 лет, обследована. Показана трансплантация правой доли печени от"
            " живого донора."
        ),
        urgency=Urgency.URGENT,
        preferred_host="kg-tr-hospital",
        steps=(
            *approved(),
            Refer("kg-tr-hospital", _TO_KGTR + " Донор — дочь пациентки."),
            Accept(
                21,
                "Центр трансплантации органов",
                "Нурлан Абдыкадыров",
                "Госпитализация пациентки и донора в один день, натощак.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: трансплантация почки, клиника запросила данные",
        patient=PatientData(
            "Кубатбекова Мээрим Алмазбековна",
            "KUBATBEKOVA MEERIM",
            _F,
            "KG",
            "AC2704619",
            birth_date=datetime.date(1996, 10, 12),
            address="Баткен",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="transplantology",
        diagnosis_code="N18.5",
        diagnosis_text="Хроническая болезнь почек 5 стадии, перитонеальный диализ",
        medical_summary=(
            "Поликистоз почек, перитонеальный диализ с 2025 года. Живой донор — мать, 52 года."
        ),
        preferred_host="kg-tr-hospital",
        steps=(
            *approved(),
            Refer("kg-tr-hospital", _TO_KGTR + " Донор — мать пациентки."),
            ClinicAsks(
                "Просим прислать HLA-типирование и перекрёстную пробу реципиента и донора,"
                " а также КТ-ангиографию почек донора."
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: пациент не прибыл, квота вернулась",
        patient=PatientData(
            "Исмаилов Данияр Абдыкалыкович",
            "ISMAILOV DANIYAR",
            _M,
            "KG",
            "AN4830176",
            birth_date=datetime.date(1980, 3, 25),
            address="Узген",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="cardiac-surgery",
        diagnosis_code="I35.0",
        diagnosis_text="Тяжёлый аортальный стеноз, симптомный",
        medical_summary=(
            "Кальцинированный аортальный стеноз: площадь отверстия 0,7 см², средний"
            " градиент 52 мм рт. ст.; синкопе при нагрузке. Показано протезирование"
            " аортального клапана."
        ),
        steps=(
            *approved(),
            Refer("tr-bilkent", _TO_BILKENT),
            Accept(0, "Cardiovascular Surgery Clinic", "Ayşe Demir"),
            NoShow(
                "The patient did not arrive on the agreed admission date and could not be"
                " reached; the Ministry has been informed."
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: квота освобождена, пациентка не может лететь",
        patient=PatientData(
            "Жумалиева Салтанат Кенешовна",
            "ZHUMALIEVA SALTANAT",
            _F,
            "KG",
            "AN1607358",
            birth_date=datetime.date(1967, 11, 29),
            address="Бишкек, Ленинский район",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C56",
        diagnosis_text="Рак яичника, FIGO IIIC, после неоадъювантной химиотерапии",
        medical_summary=(
            "Серозная карцинома высокой степени, BRCA1+. После трёх курсов карбоплатин +"
            " паклитаксел — частичный ответ. Показана интервальная циторедуктивная операция."
        ),
        steps=(
            *approved(),
            Release(
                ReleaseReason.NOT_FIT_TO_TRAVEL,
                "Фебрильная нейтропения после последнего курса, перелёт противопоказан на"
                " несколько недель. Подадим заявку повторно после восстановления.",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: отозвана — пролечен дома",
        patient=PatientData(
            "Орозбаев Улан Нурланович",
            "OROZBAEV ULAN",
            _M,
            "KG",
            "AN2590483",
            birth_date=datetime.date(1970, 8, 16),
            address="Балыкчы",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="oncology",
        diagnosis_code="C18.7",
        diagnosis_text="Рак сигмовидной кишки, cT3N0M0",
        medical_summary="Аденокарцинома сигмовидной кишки G2. Показана резекция.",
        steps=(
            Submit(),
            StartReview(),
            Withdraw(
                WithdrawalReason.TREATED_ELSEWHERE,
                "Прооперирован в Национальном центре онкологии и гематологии (лапароскопическая"
                " резекция сигмовидной кишки).",
            ),
        ),
    ),
    CaseData(
        story=f"{_KG}: черновик заявки",
        patient=PatientData(
            "Сатыбалдиева Айзада Нурбековна",
            "SATYBALDIEVA AIZADA",
            _F,
            "KG",
            "AC4451296",
            age=13,
            born_on=(2, 17),
            address="Бишкек, мкр. Асанбай",
            guardian_name="Сатыбалдиев Нурбек Жыргалбекович",
            guardian_relation="отец",
            preferred_language="ky",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="paediatric-oncology",
        diagnosis_code="C71.6",
        diagnosis_text="Медуллобластома мозжечка, состояние после удаления",
        medical_summary=(
            "Субтотальное удаление опухоли 10/2026; гистология — медуллобластома. Нужна"
            " краниоспинальная лучевая и химиотерапия. Ждём заключение молекулярной группы."
        ),
        urgency=Urgency.URGENT,
        preferred_host="tr-hacettepe",
        steps=(),
    ),
    CaseData(
        story=f"{_KG}: подана в канал министерства",
        patient=PatientData(
            "Мусаев Бекзат Таалайбекович",
            "MUSAEV BEKZAT",
            _M,
            "KG",
            "AN6271305",
            birth_date=datetime.date(2000, 2, 14),
            address="Кара-Балта",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="haematology",
        diagnosis_code="D61.9",
        diagnosis_text="Апластическая анемия, тяжёлая форма",
        medical_summary=(
            "Панцитопения, гипоклеточный костный мозг (трепанобиопсия). Трансфузионная"
            " зависимость. HLA-совместимый сиблинг — сестра. Показана аллогенная ТГСК."
        ),
        urgency=Urgency.URGENT,
        steps=(Submit(),),
    ),
    CaseData(
        story=f"{_KG}: одобрена, ждёт направления в клинику",
        patient=PatientData(
            "Жакупова Айгерим Сериковна",
            "ZHAKUPOVA AIGERIM",
            _F,
            "KG",
            "AC5037148",
            age=15,
            born_on=(9, 23),
            address="Каракол",
            guardian_name="Жакупова Гульнар Ерлановна",
            guardian_relation="мать",
        ),
        pool=f"KG-TR-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="paediatric-oncology",
        diagnosis_code="C40.2",
        diagnosis_text="Остеосаркома дистального отдела левой бедренной кости",
        medical_summary=(
            "Остеосаркома, высокая степень злокачественности; после трёх курсов MAP —"
            " хороший клинический ответ. Показана органосохраняющая операция с"
            " эндопротезированием."
        ),
        urgency=Urgency.URGENT,
        preferred_host="tr-hacettepe",
        steps=approved("Одобрено; согласуем клинику."),
    ),
)

CIS_REHAB_CASES: tuple[CaseData, ...] = (
    CaseData(
        story=f"{_CIS}: рассеянный склероз, ждёт заезда в «Оқжетпес»",
        patient=PatientData(
            "Алиева Наргиза Маратовна",
            "ALIEVA NARGIZA",
            _F,
            "KG",
            "AN3518066",
            birth_date=datetime.date(1990, 9, 4),
            address="Бишкек, мкр. Восток-5",
        ),
        pool=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="rehabilitation",
        diagnosis_code="G35",
        diagnosis_text="Рассеянный склероз, ремиттирующее течение, EDSS 4,0",
        medical_summary=(
            "Обострение 08/2026 (нижний парапарез), пульс-терапия. Передвигается без опоры"
            " до 300 м. Показана нейрореабилитация: кинезиотерапия, эрготерапия, ходьба."
        ),
        preferred_host="kz-okzhetpes",
        steps=(
            *approved(),
            Refer("kz-okzhetpes", _TO_OKZHETPES),
            Accept(
                18,
                "Отделение неврологической реабилитации",
                "Динара Сейткали",
                "Заезд 21 день; взять обувь для ходьбы и выписку невролога.",
            ),
        ),
    ),
    CaseData(
        story=f"{_CIS}: перелом шейки бедра, в санатории",
        patient=PatientData(
            "Кожомкулов Эсенбек Асылбекович",
            "KOZHOMKULOV ESENBEK",
            _M,
            "KG",
            "AN0973841",
            birth_date=datetime.date(1952, 1, 15),
            address="Бишкек, Свердловский район",
            preferred_language="ky",
        ),
        pool=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="rehabilitation",
        diagnosis_code="S72.0",
        diagnosis_text="Перелом шейки бедра справа, эндопротезирование 6 недель назад",
        medical_summary=(
            "Тотальное эндопротезирование правого тазобедренного сустава 10/2026."
            " Ходит с ходунками. Показана реабилитация второго этапа."
        ),
        preferred_host="kz-okzhetpes",
        steps=(
            *approved(),
            Refer("kz-okzhetpes", _TO_OKZHETPES),
            Accept(0, "Отделение ортопедической реабилитации", "Динара Сейткали"),
            Admit(),
        ),
    ),
    CaseData(
        story=f"{_CIS}: последствия инсульта, ждёт ответа санатория",
        patient=PatientData(
            "Ибраимова Гульмира Токтобековна",
            "IBRAIMOVA GULMIRA",
            _F,
            "KG",
            "AN2049573",
            birth_date=datetime.date(1961, 6, 6),
            address="Талас",
            preferred_language="ky",
        ),
        pool=f"CIS-REHAB-KG-KZ-{DEMO_YEAR}",
        channel=_KG_MOH,
        sender="ministry.kg",
        specialty="rehabilitation",
        diagnosis_code="I69.3",
        diagnosis_text="Последствия ишемического инсульта, правосторонний гемипарез",
        medical_summary=(
            "Ишемический инсульт в бассейне левой СМА 08/2026, тромболизис. Умеренный"
            " правосторонний гемипарез, моторная афазия регрессирует. Показана реабилитация."
        ),
        preferred_host="kz-okzhetpes",
        steps=(*approved(), Refer("kz-okzhetpes", _TO_OKZHETPES)),
    ),
)

# Murmansk region -> Minsk: the channel's 12 slots are all taken by the first twelve
# cases (held, confirmed or used), so the thirteenth waits for a slot. None of the
# twelve ends its slot (no cancellation, no no-show): that would promote it.
MURMANSK_CASES: tuple[CaseData, ...] = (
    CaseData(
        story=f"{_MUR}: рак лёгкого, госпитализирован",
        patient=PatientData(
            "Соколов Виктор Павлович",
            "SOKOLOV VIKTOR",
            _M,
            "RU",
            "47 09 318452",
            birth_date=datetime.date(1962, 2, 23),
            address="Мурманск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C34.1",
        diagnosis_text="Аденокарцинома верхней доли правого лёгкого, cT2aN1M0",
        medical_summary=(
            "ПЭТ-КТ: опухоль 3,8 см, поражение корневых лимфоузлов, отдалённых метастазов"
            " нет. ФВД позволяет лобэктомию. Показана видеоторакоскопическая лобэктомия."
        ),
        preferred_host="by-minsk-onco",
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            Accept(0, "Торакальное хирургическое отделение", "Андрей Ковалёв"),
            Admit(),
        ),
    ),
    CaseData(
        story=f"{_MUR}: рак молочной железы, ждёт госпитализации",
        patient=PatientData(
            "Кузнецова Елена Викторовна",
            "KUZNETSOVA ELENA",
            _F,
            "RU",
            "47 12 604177",
            birth_date=datetime.date(1975, 8, 11),
            address="Мончегорск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C50.4",
        diagnosis_text="Рак верхненаружного квадранта правой молочной железы, после НАХТ",
        medical_summary=(
            "Люминальный B HER2-отрицательный рак, cT2N1M0; после неоадъювантной"
            " химиотерапии — выраженный ответ. Показана органосохраняющая операция."
        ),
        preferred_host="by-minsk-onco",
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            Accept(12, "Отделение опухолей молочной железы", "Андрей Ковалёв"),
            Reschedule(
                19,
                RescheduleReason.CLINIC_CAPACITY,
                "Операционный день перенесён: освободится место через неделю.",
            ),
        ),
    ),
    CaseData(
        story=f"{_MUR}: рак прямой кишки, ждёт ответа клиники",
        patient=PatientData(
            "Морозов Алексей Игоревич",
            "MOROZOV ALEKSEI",
            _M,
            "RU",
            "47 03 771025",
            birth_date=datetime.date(1958, 5, 3),
            address="Апатиты",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C20",
        diagnosis_text="Рак прямой кишки, cT3N1M0, после химиолучевой терапии",
        medical_summary=(
            "Аденокарцинома среднеампулярного отдела. Пролонгированная химиолучевая"
            " терапия завершена 10/2026. Показана тотальная мезоректумэктомия."
        ),
        steps=(*approved(), Refer("by-minsk-onco", _TO_MINSK)),
    ),
    CaseData(
        story=f"{_MUR}: миеломная болезнь, клиника запросила данные",
        patient=PatientData(
            "Иванова Татьяна Сергеевна",
            "IVANOVA TATIANA",
            _F,
            "RU",
            "47 13 240586",
            birth_date=datetime.date(1968, 12, 19),
            address="Североморск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="haematology",
        diagnosis_code="C90.0",
        diagnosis_text="Множественная миелома, IgG-каппа, ISS II",
        medical_summary=(
            "После четырёх курсов VRd — очень хороший частичный ответ. Показана"
            " высокодозная химиотерапия с аутологичной трансплантацией."
        ),
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            ClinicAsks(
                "Просим прислать заключение трепанобиопсии, свободные лёгкие цепи сыворотки"
                " и низкодозную КТ всего скелета."
            ),
        ),
    ),
    CaseData(
        story=f"{_MUR}: менингиома, направлен в больницу скорой помощи",
        patient=PatientData(
            "Григорьев Дмитрий Олегович",
            "GRIGORYEV DMITRII",
            _M,
            "RU",
            "47 10 905263",
            birth_date=datetime.date(1979, 7, 7),
            address="Кандалакша",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="neurosurgery",
        diagnosis_code="D32.0",
        diagnosis_text="Менингиома конвекситальной поверхности левой лобной доли, 4 см",
        medical_summary=(
            "Рост опухоли на 8 мм за год, головные боли, фокальные приступы. Показано"
            " микрохирургическое удаление."
        ),
        steps=(*approved(), Refer("by-minsk-emergency", _TO_MINSK)),
    ),
    CaseData(
        story=f"{_MUR}: рак желудка, отказ клиники — направить снова",
        patient=PatientData(
            "Нургалиев Ерлан Маратович",
            "NURGALIEV ERLAN",
            _M,
            "RU",
            "47 11 482930",
            birth_date=datetime.date(1971, 10, 30),
            address="Мурманск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C16.0",
        diagnosis_text="Рак кардиального отдела желудка, после периоперационной FLOT",
        medical_summary=(
            "Аденокарцинома кардии, cT3N1M0; четыре курса FLOT, стабилизация. Показана"
            " гастрэктомия с D2-лимфодиссекцией."
        ),
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            Decline(
                DeclineReason.NO_CAPACITY,
                "В отделении абдоминальной онкохирургии нет свободных коек до февраля;"
                " просим направить в другую клинику или повторно позже.",
            ),
        ),
    ),
    CaseData(
        story=f"{_MUR}: рак почки, одобрена",
        patient=PatientData(
            "Ким Светлана Владимировна",
            "KIM SVETLANA",
            _F,
            "RU",
            "47 14 118307",
            birth_date=datetime.date(1983, 4, 15),
            address="Мурманск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C64",
        diagnosis_text="Почечно-клеточный рак правой почки, cT1bN0M0",
        medical_summary="Опухоль 5 см в нижнем полюсе. Показана резекция почки.",
        steps=approved(),
    ),
    CaseData(
        story=f"{_MUR}: лимфома, выписана — петля замкнулась",
        patient=PatientData(
            "Волкова Ирина Николаевна",
            "VOLKOVA IRINA",
            _F,
            "RU",
            "47 05 663814",
            birth_date=datetime.date(1980, 1, 27),
            address="Полярные Зори",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="haematology",
        diagnosis_code="C83.3",
        diagnosis_text="Диффузная B-крупноклеточная лимфома, стадия IIIA",
        medical_summary=(
            "Биопсия шейного лимфоузла: ДВКЛ, non-GCB. Нужны стадирование ПЭТ-КТ и план"
            " лечения; ПЭТ-КТ в области недоступна."
        ),
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            Accept(0, "Дневной стационар гематологии", "Андрей Ковалёв"),
            Admit(),
            Discharge(
                DischargeOutcome.REFERRED_ONWARD,
                "Дневной стационар: ПЭТ-КТ (Deauville 5, узлы по обе стороны диафрагмы,"
                " костный мозг не поражён), онкоконсилиум — R-CHOP × 6. Первый курс проведён"
                " в тот же день, перенесён хорошо. Курсы 2–6 — в Мурманском областном"
                " онкологическом диспансере по приложенному протоколу; промежуточная ПЭТ-КТ"
                " после 4-го курса в Минске.",
            ),
        ),
    ),
    CaseData(
        story=f"{_MUR}: рак предстательной железы, одобрена",
        patient=PatientData(
            "Лебедев Павел Андреевич",
            "LEBEDEV PAVEL",
            _M,
            "RU",
            "47 08 279154",
            birth_date=datetime.date(1966, 3, 9),
            address="Кировск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C61",
        diagnosis_text="Аденокарцинома предстательной железы, Глисон 4+3, cT2c",
        medical_summary="ПСА 14 нг/мл, МРТ: без экстракапсулярного распространения.",
        steps=approved(),
    ),
    CaseData(
        story=f"{_MUR}: миелодиспластический синдром, одобрена",
        patient=PatientData(
            "Орлова Наталья Геннадьевна",
            "ORLOVA NATALIA",
            _F,
            "RU",
            "47 07 840361",
            birth_date=datetime.date(1973, 6, 22),
            address="Мурманск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="haematology",
        diagnosis_code="D46.9",
        diagnosis_text="Миелодиспластический синдром высокого риска (IPSS-R 5,5)",
        medical_summary="Трансфузионная зависимость; нужен подбор терапии и оценка для ТГСК.",
        steps=approved(),
    ),
    CaseData(
        story=f"{_MUR}: рак пищевода, ждёт госпитализации",
        patient=PatientData(
            "Никитин Сергей Валерьевич",
            "NIKITIN SERGEI",
            _M,
            "RU",
            "47 06 193720",
            birth_date=datetime.date(1969, 11, 12),
            address="Оленегорск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C15.5",
        diagnosis_text="Рак нижней трети пищевода, после химиолучевой терапии",
        medical_summary=(
            "Плоскоклеточный рак, cT3N1M0; химиолучевая терапия по схеме CROSS завершена."
            " Показана эзофагэктомия."
        ),
        steps=(
            *approved(),
            Refer("by-minsk-onco", _TO_MINSK),
            Accept(20, "Торакальное хирургическое отделение", "Андрей Ковалёв"),
        ),
    ),
    CaseData(
        story=f"{_MUR}: рак эндометрия, одобрена",
        patient=PatientData(
            "Захарова Людмила Петровна",
            "ZAKHAROVA LIUDMILA",
            _F,
            "RU",
            "47 02 557406",
            birth_date=datetime.date(1957, 9, 1),
            address="Заполярный",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C54.1",
        diagnosis_text="Рак эндометрия, FIGO II",
        medical_summary="Эндометриоидная аденокарцинома G2. Показана лапароскопическая операция.",
        steps=approved(),
    ),
    CaseData(
        story=f"{_MUR}: меланома, в листе ожидания — все 12 квот заняты",
        patient=PatientData(
            "Белов Артём Константинович",
            "BELOV ARTEM",
            _M,
            "RU",
            "47 15 902618",
            birth_date=datetime.date(1994, 3, 18),
            address="Мурманск",
        ),
        pool=f"RU-MUR-BY-{DEMO_YEAR}",
        channel=_MURMANSK,
        sender="ministry.murmansk",
        specialty="oncology",
        diagnosis_code="C43.5",
        diagnosis_text="Меланома кожи спины, стадия IIIB, после широкого иссечения",
        medical_summary=(
            "Толщина по Бреслоу 2,4 мм, изъязвление; сигнальный лимфоузел подмышечной"
            " области положителен, BRAF V600E. Нужны решение о лимфодиссекции и"
            " адъювантная терапия."
        ),
        steps=approved("Показания подтверждены; квоты канала на 2026 год заняты."),
    ),
)

# A self-paying patient to the only proton-therapy centre of Central Asia. The
# Kazakh ministry promotes medical tourism but is the host: it does not refer
# patients to its own centre. A referral comes from the patient's side, so the
# Kyrgyz Ministry of Health refers a Kyrgyz citizen who pays for himself, under
# the Organization of Turkic States framework (medical tourism and cross-border
# exchange of patient data; both countries are parties), and follows the case
# in the portal like its quota patients.
DIRECT_CASES: tuple[DirectCaseData, ...] = (
    DirectCaseData(
        story="Казахстан: протонная терапия, пациент за свой счёт",
        patient=PatientData(
            "Кулматов Алмазбек Шейшенбекович",
            "KULMATOV ALMAZBEK",
            _M,
            "KG",
            "AN1186420",
            birth_date=datetime.date(1963, 5, 12),
            address="Бишкек, Первомайский район",
        ),
        sender="ministry.kg",
        sender_institution="kg-moh",
        clinic="kz-nroc",
        funding_source=FundingSource.SELF_PAY,
        agreement="OTS",
        specialty="proton-therapy",
        diagnosis_code="C61",
        diagnosis_text="Аденокарцинома предстательной железы, Глисон 3+4, cT2b, ПСА 11 нг/мл",
        medical_summary=(
            "Рак предстательной железы промежуточного риска; пациент выбрал лучевое лечение."
            " Сопутствующая болезнь Крона с поражением прямой кишки — для снижения дозы на"
            " прямую кишку рекомендована протонная терапия."
        ),
        letter=(
            "Уважаемые коллеги! Направляем пациента на консультацию и протонную терапию."
            " Лечение оплачивает сам пациент (медицинский туризм); просим прислать смету."
        ),
    ),
)

CASES: tuple[CaseData, ...] = (
    *KG_TR_PAST_CASES,
    *KG_TR_CASES,
    *CIS_REHAB_CASES,
    *MURMANSK_CASES,
)

# --- Playing the cases ----------------------------------------------------------------


def _tracked_models() -> list[type[models.Model]]:
    """The tables the cases write to, for the seed's report."""
    tracked: list[type[models.Model]] = [Allocation, AllocationEvent]
    for label in ("referrals", "audit", "notices"):
        if apps.is_installed(label):
            tracked += apps.get_app_config(label).get_models(include_auto_created=True)
    return tracked


class CaseError(Exception):
    """A case the portal refused; it is rolled back and reported."""


class CasePlayer:
    def __init__(self, builder: DemoBuilder) -> None:
        from demo.seed import OTS_AGREEMENT, USERS

        self.builder = builder
        self.today = timezone.localdate()
        self.agreement_titles = {"OTS": OTS_AGREEMENT}
        # A demo user registers patients for the first institution they act for.
        self.home = {u.username: u.memberships[0][0] for u in USERS if u.memberships}

    # -- lookups --

    def user(self, username: str) -> User:
        return self.builder.users[username]

    def institution(self, key: str) -> Institution:
        return self.builder.institutions[key]

    def _patient(self, data: PatientData) -> Patient | None:
        return Patient.objects.filter(
            document_type=data.document_type,
            document_number=document_number_normalise(data.document_number),
            document_country=data.citizenship,
        ).first()

    def _done(self, case: CaseData | DirectCaseData) -> bool:
        """Whether the case is already there: reads only, so a skipped case writes nothing."""
        patient = self._patient(case.patient)
        if patient is None:
            return False
        if isinstance(case, CaseData):
            return Application.objects.filter(
                patient=patient, pool=self.builder.pools[case.pool]
            ).exists()
        return Referral.objects.filter(
            patient=patient,
            receiving_institution=self.institution(case.clinic),
            application__isnull=True,
        ).exists()

    # -- the run --

    def play(self) -> None:
        before = {model: model._default_manager.count() for model in _tracked_models()}
        cases: tuple[CaseData | DirectCaseData, ...] = (*CASES, *DIRECT_CASES)
        for case in cases:
            if self._done(case):
                continue
            try:
                with transaction.atomic():
                    if isinstance(case, CaseData):
                        self._application_case(case)
                    else:
                        self._direct_case(case)
            except (DomainError, ValidationError) as exc:
                self.builder.report.notes.append(f"{case.story}: not created ({_message(exc)})")
        for model, count in before.items():
            created = model._default_manager.count() - count
            if created > 0:
                self.builder.report.created[model._meta.label] += created

    def _register(self, data: PatientData, username: str) -> Patient:
        patient, _created = patient_register(
            actor=self.user(username),
            institution=self.institution(self.home[username]),
            data=data.fields(self.today),
        )
        return patient

    def _application_case(self, case: CaseData) -> None:
        pool = self.builder.pools[case.pool]
        channel = pool.channels.get(issuing_institution=self.institution(case.channel))
        sender = self.user(case.sender)
        reviewer = self.user(CHANNEL_REVIEWERS[case.channel])
        application = application_services.application_create(
            actor=sender,
            channel=channel,
            patient=self._register(case.patient, case.sender),
            specialty=self.builder.specialties[case.specialty],
            diagnosis_code=case.diagnosis_code,
            diagnosis_text=case.diagnosis_text,
            medical_summary=case.medical_summary,
            urgency=case.urgency,
            preferred_host=self.institution(case.preferred_host) if case.preferred_host else None,
        )
        referral: Referral | None = None
        for step in case.steps:
            match step:
                case Submit(comment):
                    application_services.application_submit(
                        actor=sender, application_id=application.pk, comment=comment
                    )
                case StartReview(comment):
                    application_services.application_start_review(
                        actor=reviewer, application_id=application.pk, comment=comment
                    )
                case RequestInfo(comment):
                    application_services.application_request_info(
                        actor=reviewer, application_id=application.pk, comment=comment
                    )
                case Approve(comment):
                    outcome = application_services.application_approve(
                        actor=reviewer, application_id=application.pk, comment=comment
                    )
                    if outcome.allocation is None:
                        # The channel is full: the case waits for a slot here.
                        break
                case Reject(reason, comment):
                    application_services.application_reject(
                        actor=reviewer,
                        application_id=application.pk,
                        reason=reason,
                        comment=comment,
                    )
                case Withdraw(reason, comment):
                    application_services.application_withdraw(
                        actor=sender, application_id=application.pk, reason=reason, comment=comment
                    )
                case Release(reason, comment):
                    allocation = application.allocations.get(state=AllocationState.HELD)
                    allocation_services.allocation_release(
                        allocation_id=allocation.pk, actor=reviewer, reason=reason, comment=comment
                    )
                case Refer(clinic, letter):
                    referral = referral_services.referral_send(
                        actor=sender,
                        application_id=application.pk,
                        receiving_institution=self.institution(clinic),
                        covering_letter=letter,
                    )
                case _:
                    if referral is None:
                        raise CaseError(f"{case.story}: {step!r} before a referral")
                    referral = self._referral_step(step, referral, sender)
        if case.ago:
            self._move_back(application, case)

    def _move_back(self, application: Application, case: CaseData) -> None:
        """Move a finished case back to when it happened, all its dates and times together.

        The audit records stay as they are: they record this seeding. The case's
        notices are dropped: sent today with today's dates, they would tell old news
        as new.
        """
        # Read afresh: the services changed the rows since this instance was made.
        application = Application.objects.select_related("pool", "patient").get(pk=application.pk)
        elapsed = max((self.today - application.pool.period_start).days, 0)
        back = datetime.timedelta(days=round(case.ago * elapsed))
        if not back:
            return
        referrals = list(application.referrals.all())
        allocations = list(application.allocations.all())
        patient = application.patient
        _move_dates(
            [
                application,
                *application.events.all(),
                *allocations,
                *AllocationEvent.objects.filter(allocation__in=allocations),
                *referrals,
                *ReferralEvent.objects.filter(referral__in=referrals),
                patient,
                *patient.registrations.all(),
            ],
            back,
        )
        # The patient stayed a while: the discharge comes that many days after admission.
        stay = datetime.timedelta(days=case.stay_days)
        for referral in referrals:
            if referral.status == ReferralStatus.DISCHARGED:
                Referral.objects.filter(pk=referral.pk).update(
                    discharged_on=F("discharged_on") + stay,
                    status_changed_at=F("status_changed_at") + stay,
                )
                ReferralEvent.objects.filter(
                    referral=referral, to_state=ReferralStatus.DISCHARGED
                ).update(created_at=F("created_at") + stay)
        if apps.is_installed("notices"):
            notice = apps.get_model("notices", "Notice")
            for obj in (application, *referrals):
                notice._default_manager.filter(
                    object_type=obj._meta.model_name, object_id=str(obj.pk)
                ).delete()

    def _direct_case(self, case: DirectCaseData) -> None:
        sender = self.user(case.sender)
        referral = referral_services.referral_send_without_quota(
            actor=sender,
            sender=self.institution(case.sender_institution),
            patient=self._register(case.patient, case.sender),
            receiving_institution=self.institution(case.clinic),
            funding_source=case.funding_source,
            specialty=self.builder.specialties[case.specialty],
            diagnosis_code=case.diagnosis_code,
            diagnosis_text=case.diagnosis_text,
            medical_summary=case.medical_summary,
            covering_letter=case.letter,
            urgency=case.urgency,
            agreement=(
                self.builder.agreements[self.agreement_titles[case.agreement]]
                if case.agreement
                else None
            ),
        )
        for step in case.steps:
            referral = self._referral_step(step, referral, sender)

    def _admission_date(self, referral: Referral, in_days: int) -> datetime.date:
        """``in_days`` from today; near the year's end, the pool's last admission day."""
        admission_date = self.today + datetime.timedelta(days=in_days)
        if referral.application is None:
            return admission_date
        last_day = allocation_services.pool_last_admission_day(referral.application.pool)
        return min(admission_date, last_day)

    def _referral_step(self, step: Step, referral: Referral, sender: User) -> Referral:
        clinic_key = next(
            key
            for key, institution in self.builder.institutions.items()
            if institution.pk == referral.receiving_institution_id
        )
        clinic = self.user(CLINIC_COORDINATORS[clinic_key]) if step_by_clinic(step) else sender
        match step:
            case Accept(in_days, department, contact, comment):
                return referral_services.referral_accept(
                    actor=clinic,
                    referral_id=referral.pk,
                    admission_date=self._admission_date(referral, in_days),
                    department=department,
                    contact_person=contact,
                    comment=comment,
                )
            case Reschedule(in_days, reason, comment):
                new_date = self._admission_date(referral, in_days)
                if new_date == referral.admission_date:
                    return referral  # both dates fell on the pool's last admission day
                return referral_services.referral_reschedule(
                    actor=clinic,
                    referral_id=referral.pk,
                    admission_date=new_date,
                    reason=reason,
                    comment=comment,
                )
            case Decline(reason, comment):
                return referral_services.referral_decline(
                    actor=clinic, referral_id=referral.pk, reason=reason, comment=comment
                )
            case ClinicAsks(comment):
                return referral_services.referral_request_info(
                    actor=clinic, referral_id=referral.pk, comment=comment
                )
            case Admit(comment):
                # Admitted on the day the clinic accepted for: today (see the module's note).
                assert referral.admission_date is not None  # noqa: S101 (set by the accept before)
                return referral_services.referral_admit(
                    actor=clinic,
                    referral_id=referral.pk,
                    admitted_on=min(referral.admission_date, self.today),
                    comment=comment,
                )
            case Discharge(outcome, summary):
                return referral_services.referral_discharge(
                    actor=clinic,
                    referral_id=referral.pk,
                    discharged_on=self.today,
                    outcome=outcome,
                    discharge_summary=summary,
                )
            case NoShow(comment):
                return referral_services.referral_no_show(
                    actor=clinic, referral_id=referral.pk, comment=comment
                )
            case Cancel(comment):
                return referral_services.referral_cancel(
                    actor=sender, referral_id=referral.pk, comment=comment
                )
        raise CaseError(f"{step!r} is not a referral step")


def _moved(field: models.Field[Any, Any]) -> bool:
    """The dates and times of what happened; never a birth date."""
    return isinstance(field, models.DateField) and (
        field.name.endswith(("_at", "_on")) or field.name in ("admission_date", "held_until")
    )


def _move_dates(rows: list[models.Model], back: datetime.timedelta) -> None:
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, same in by_model.items():
        names = [f.name for f in model._meta.concrete_fields if _moved(f)]
        for row in same:
            for name in names:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, value - back)
        # A bulk update: no save(), so no auto_now stamp puts today back.
        model._default_manager.bulk_update(same, names)


def step_by_clinic(step: Step) -> bool:
    return isinstance(step, Accept | Reschedule | Decline | ClinicAsks | Admit | Discharge | NoShow)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in exc.message_dict.items()
        )
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def cases_seed(builder: DemoBuilder) -> None:
    """Play the demo cases that are not there yet."""
    CasePlayer(builder).play()
