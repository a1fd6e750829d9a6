"""The Kyrgyz–Turkish story, end to end, through the pages in a real browser.

The Kyrgyz Ministry of Health registers two patients: one on its own channel with a
medical report, one on the Turkish embassy's channel. Each channel's officers approve
their application, which holds a slot. The ministry refers both patients to Ankara
Bilkent City Hospital; the hospital declines one and accepts, admits and discharges
the other. The ministry reads the discharge summary and finds every step in its inbox,
prints the referral letter, and reads the portal in Kyrgyz and in Turkish.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from allocations.choices import AllocationState
from applications.models import Application
from demo.seed import DEMO_YEAR
from referrals.models import Referral
from tests.support.browser import screenshot, select_containing, status_badge, switch_language

pytestmark = pytest.mark.browser

POOL = f"KG-TR-{DEMO_YEAR}"
HOSPITAL = "Ankara Bilkent City Hospital"
# A minimal but well-formed PDF: the portal judges uploads by their bytes.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n"
    b"%%EOF\n"
)

# Two patients of this story only: the demo's own cases never carry these names.
ON_MINISTRY_CHANNEL = {
    "name_native": "Бейшеналиева Жылдыз",
    "name_latin": "BEISHENALIEVA ZHYLDYZ",
    "birth_date": "1974-05-19",
    "sex": "Female",
    "document_number": "AC 4206170",
    "specialty": "Neurosurgery",
    "diagnosis_code": "D32.0",
    "diagnosis_text": "Meningioma of the cerebral meninges",
    "urgency": "Urgent",
    "summary": "Convexity meningioma, 4 cm, progressive headaches; resection advised.",
}
ON_EMBASSY_CHANNEL = {
    "name_native": "Жунушев Талант",
    "name_latin": "ZHUNUSHEV TALANT",
    "birth_date": "1963-11-02",
    "sex": "Male",
    "document_number": "AN 9080706",
    "specialty": "Cardiac surgery",
    "diagnosis_code": "I25.1",
    "diagnosis_text": "Atherosclerotic heart disease, three vessels",
    "urgency": "Routine",
    "summary": "Stable angina, three-vessel disease on angiography; CABG indicated.",
}
DISCHARGE_SUMMARY = "CABG x3 on cardiopulmonary bypass, uneventful recovery. Follow-up at 3 months."


def register(page: Page, patient: dict[str, str], *, channel: str, document: bool) -> str:
    """Fill in the new-application form and submit it for review; the number is returned."""
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="New application").click()
    expect(page.get_by_role("heading", name="New application")).to_be_visible()
    # The application form itself, not the patient finder above it.
    form = page.locator("form[enctype='multipart/form-data']")
    select_containing(form.get_by_label("Channel"), f"{POOL} · {channel}")
    form.get_by_label("Full name (native script)").fill(patient["name_native"])
    form.get_by_label("Full name (Latin, as in the passport)").fill(patient["name_latin"])
    form.get_by_label("Date of birth").fill(patient["birth_date"])
    form.get_by_label("Sex").select_option(label=patient["sex"])
    form.get_by_label("Citizenship").select_option("KG")
    form.get_by_label("Identity document").select_option(label="Passport")
    form.get_by_label("Document number").fill(patient["document_number"])
    form.get_by_label("Issuing country").select_option("KG")
    form.get_by_label("Requested specialty").select_option(label=patient["specialty"])
    form.get_by_label("Diagnosis (ICD-10 code)").fill(patient["diagnosis_code"])
    form.get_by_label("Diagnosis *", exact=True).fill(patient["diagnosis_text"])
    form.get_by_label("Urgency").select_option(label=patient["urgency"])
    form.get_by_label("Medical summary").fill(patient["summary"])
    if document:
        form.get_by_label("Medical document (PDF or image)").set_input_files(
            {"name": "neurosurgery-report.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        form.get_by_label("Kind of document").select_option(label="Medical report")
    expect(form.get_by_label("Submit for review now")).to_be_checked()
    page.get_by_role("button", name="Create application").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Application {POOL}-")
    expect(status_badge(page)).to_have_text("Submitted")
    number = heading.inner_text().removeprefix("Application ").split()[0]
    expect(page.locator(".messages")).to_contain_text(f"Application {number} created.")
    return number


def open_by_number(page: Page, number: str) -> None:
    """The header's search opens the one application or referral with that number."""
    page.get_by_role("banner").get_by_role("searchbox").fill(number)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def review_and_approve(page: Page, number: str) -> None:
    open_by_number(page, number)
    page.get_by_role("button", name="Take into review").click()
    expect(status_badge(page)).to_have_text("In review")
    page.locator("#action-approve").get_by_label("Comment").fill("Indication confirmed.")
    page.get_by_role("button", name="Approve").click()
    expect(status_badge(page)).to_have_text("Approved")
    # Approval holds a slot of the channel for the patient.
    expect(page.get_by_text(re.compile(r"^Held until "))).to_be_visible()


def refer(page: Page, number: str, letter: str) -> str:
    """From the application page to the clinic picker and on to the sent referral."""
    open_by_number(page, number)
    page.get_by_role("link", name="Refer to a clinic").click()
    expect(page.get_by_role("heading", name="Refer to a clinic")).to_be_visible()
    # Narrow the clinics to Türkiye, then choose the hospital.
    page.get_by_label("Country").select_option("TR")
    page.get_by_role("button", name="Show clinics").click()
    expect(page).to_have_url(re.compile(r"country=TR"))
    select_containing(page.get_by_label("Receiving clinic"), HOSPITAL)
    page.get_by_label("Covering letter").fill(letter)
    page.get_by_role("button", name="Send the referral").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"Referral {number}-R1")
    expect(status_badge(page)).to_have_text("Sent")
    return f"{number}-R1"


def open_incoming(page: Page, referral: str) -> None:
    """The clinic's incoming worklist lists the referral; its number opens it."""
    page.get_by_role("link", name="Referrals", exact=True).click()
    worklist = page.locator("#results")
    worklist.get_by_role("link", name=referral, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(referral)


# Written out here, not read from the catalogues: a test that only compared the
# catalogue with itself would pass with any translation, even an empty one.
KEY_PAGE_WORDS = {
    "ky": {
        "home": "Башкы бет",
        "applications": "Арыздар",
        "pools": "Квота пулдары",
        "taken": "Ээленген орундар",
        "discharged": "Ооруканадан чыгарылды",
    },
    "tr": {
        "home": "Ana sayfa",
        "applications": "Başvurular",
        "pools": "Kota havuzları",
        "taken": "Dolu yerler",
        "discharged": "Taburcu edildi",
    },
}


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_kyrgyz_turkish_story_through_the_pages(sign_in: Any) -> None:
    today = timezone.localdate()
    ministry = sign_in("ministry.kg")

    # 1. The ministry registers a patient on its own channel, with a medical report.
    first = register(
        ministry,
        ON_MINISTRY_CHANNEL,
        channel="Ministry of Health of the Kyrgyz Republic",
        document=True,
    )
    expect(ministry.get_by_role("link", name="neurosurgery-report.pdf")).to_be_visible()
    application = Application.objects.get(number=first)
    assert application.patient.name_latin == ON_MINISTRY_CHANNEL["name_latin"]
    assert application.channel.issuing_institution.name.startswith("Ministry of Health")
    assert application.diagnosis_code == "D32.0"
    [document] = application.documents.all()
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)

    # ... and a second one on the embassy's channel, without documents yet.
    second = register(
        ministry,
        ON_EMBASSY_CHANNEL,
        channel="Embassy of the Republic of Türkiye in Bishkek",
        document=False,
    )

    # 2. The embassy reviews and approves the application on its channel: a slot is held.
    embassy = sign_in("embassy.tr")
    review_and_approve(embassy, second)
    # The ministry's own channel is reviewed by the ministry's officers.
    review_and_approve(ministry, first)
    for number in (first, second):
        allocation = Application.objects.get(number=number).allocations.get()
        assert allocation.state == AllocationState.HELD

    # 3. The ministry refers both patients to the Turkish hospital.
    declined = refer(ministry, first, "Please assess for resection of a convexity meningioma.")
    shared = ministry.locator("section").filter(has_text="Documents")
    expect(shared.get_by_role("link", name="neurosurgery-report.pdf")).to_be_visible()
    accepted = refer(ministry, second, "Please admit for coronary artery bypass grafting.")

    # 4. The hospital declines one with a reason ...
    clinic = sign_in("clinic.tr")
    open_incoming(clinic, declined)
    decline = clinic.locator("#action-decline")
    decline.get_by_label("Reason").select_option(label="No capacity")
    decline.get_by_label("Comment").fill("No neurosurgical beds before the autumn.")
    decline.get_by_label("I confirm this step; it cannot be undone.").check()
    decline.get_by_role("button", name="Decline").click()
    expect(status_badge(clinic)).to_have_text("Declined")
    expect(clinic.get_by_text("No capacity")).to_be_visible()

    # ... accepts the other with an admission date, admits and discharges the patient.
    open_incoming(clinic, accepted)
    accept = clinic.locator("#action-accept")
    accept.get_by_label("Admission date").fill(today.isoformat())
    accept.get_by_label("Department").fill("Cardiovascular surgery")
    accept.get_by_label("Contact person").fill("Dr. Elif Kaya")
    accept.get_by_role("button", name="Accept").click()
    expect(status_badge(clinic)).to_have_text("Accepted")

    clinic.locator("#action-admit").get_by_label("Admitted on").fill(today.isoformat())
    clinic.get_by_role("button", name="Record admission").click()
    expect(status_badge(clinic)).to_have_text("Admitted")

    discharge = clinic.locator("#action-discharge")
    discharge.get_by_label("Discharged on").fill(today.isoformat())
    discharge.get_by_label("Outcome").select_option(label="Treated")
    discharge.get_by_label("Discharge summary").fill(DISCHARGE_SUMMARY)
    clinic.get_by_role("button", name="Record discharge").click()
    expect(status_badge(clinic)).to_have_text("Discharged")

    assert Referral.objects.get(number=declined).decline_reason == "no_capacity"
    done = Referral.objects.get(number=accepted)
    assert (done.status, done.outcome, done.discharged_on) == ("discharged", "treated", today)
    assert done.allocation is not None
    assert done.allocation.state == AllocationState.USED

    # 5. The ministry finds every step in its inbox; the discharge notice opens the
    # referral, where the discharge summary is.
    ministry.get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(ministry.get_by_role("heading", level=1)).to_contain_text("Inbox")
    inbox = ministry.locator("ul.notices")
    for subject in (
        f"Slot allocated to application {second}",
        f"Referral {declined} declined",
        f"Referral {accepted} accepted",
        f"Patient admitted: referral {accepted}",
        f"Patient discharged: referral {accepted}",
    ):
        expect(inbox.get_by_role("button", name=subject)).to_be_visible()
    inbox.get_by_role("button", name=f"Patient discharged: referral {accepted}").click()
    expect(ministry.get_by_role("heading", level=1)).to_contain_text(f"Referral {accepted}")
    expect(ministry.get_by_role("heading", name="Discharge", exact=True)).to_be_visible()
    expect(ministry.locator(".discharge-summary")).to_have_text(DISCHARGE_SUMMARY)
    expect(ministry.locator("dd", has_text="Treated")).to_be_visible()

    # The declined patient waits in the ministry's worklist to be referred again.
    ministry.get_by_role("link", name="Referrals", exact=True).click()
    ministry.get_by_role("link", name="Declined: refer again").click()
    expect(ministry.locator("#results").get_by_role("link", name=declined)).to_be_visible()

    # The referral letter, as printed for the patient to carry.
    open_by_number(ministry, accepted)
    ministry.get_by_role("link", name="Print the referral letter").click()
    expect(ministry.locator(".number")).to_contain_text(accepted)
    screenshot(ministry, "referral-letter")
    ministry.get_by_role("link", name="Back to the referral").click()

    # 6. The header's selector turns the interface to Kyrgyz and Turkish, and back.
    ministry.get_by_role("link", name="Applications", exact=True).click()
    # The header's main menu (its own name is translated too).
    nav = ministry.locator("header nav").first
    for language in ("ky", "tr"):
        switch_language(ministry, language)
        for label in ("Home", "Applications", "Referrals", "Inbox"):
            text = translated(language, label)
            assert text != label, f"{label!r} is not translated to {language}"
            # The inbox link carries the unread count after its label.
            link = nav.get_by_role("link", name=re.compile("^" + re.escape(text)))
            expect(link).to_be_visible()
        heading = translated(language, "Applications")
        expect(ministry.get_by_role("heading", level=1)).to_have_text(heading)
        # The patients and numbers stay as they were written.
        expect(ministry.locator("#results")).to_contain_text(second)
        # The key pages in the words a Kyrgyz or Turkish officer reads.
        words = KEY_PAGE_WORDS[language]
        expect(ministry.get_by_role("heading", level=1)).to_have_text(words["applications"])
        ministry.get_by_role("link", name=words["home"], exact=True).click()
        expect(ministry.locator("#pools")).to_have_text(words["pools"])
        expect(ministry.locator("figcaption").first).to_contain_text(words["taken"])
        ministry.locator("#header-search").fill(accepted)
        ministry.locator("#header-search").press("Enter")
        expect(status_badge(ministry)).to_have_text(words["discharged"])
        ministry.get_by_role("link", name=words["applications"], exact=True).click()
    switch_language(ministry, "en")
    expect(nav.get_by_role("link", name="Applications", exact=True)).to_be_visible()
