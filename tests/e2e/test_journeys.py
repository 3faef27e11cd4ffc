"""The journeys of issue 11, each in English and in French, as each role makes them in a real browser.

The Removals Working Group's journey (open a country brief, switch language, download the PDF) is added
with the country brief pages: see ``test_rwg_member_reads_a_country_brief`` at the end of this file.
"""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from engagements.models import Department, Engagement
from mcee.models import ImportRun
from projects.models import Partner, PartnerReport, Project, ReportStatus
from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "fr"]


def t(language, text):
    """The text as the page shows it in that language (the project's catalogue, or Django's and Wagtail's)."""
    with translation.override(language):
        return gettext(text)


MODAL = ".modal[aria-hidden=false]"


def choose(page, field, name):
    """A Wagtail chooser: open the field's modal dialog, pick the row whose title holds ``name``."""
    page.locator(f"[data-field-input]:has(#id_{field}) button[data-chooser-action-choose]").click()
    modal = page.locator(MODAL)
    modal.locator("a[data-chooser-modal-choice]", has_text=name).first.click()
    modal.wait_for(state="detached")
    assert page.locator(f"#id_{field}").input_value() != ""


def shown(language, obj):
    """An object's name as the page shows it in that language."""
    with translation.override(language):
        return str(obj)


# --- MCET staff -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_mcet_staff_creates_a_project_with_funding_and_sees_it_in_table_1(new_page, person, language):
    staff = person("mcet_staff", language)
    page = new_page(language)
    sign_in(page, staff)

    page.goto("/admin/mcee-reports/priority-areas/")
    area = "Aide aux retours volontaires" if language == "fr" else "Assisted voluntary return"
    row = page.get_by_role("row", name=re.compile(area))
    assert row.get_by_role("cell").last.inner_text().strip() == "0"

    page.goto("/admin/snippets/projects/project/add/")
    page.locator("#id_reference").fill("MCEE-2025-E2E")
    choose(page, "partner", name=shown(language, Partner.objects.get(acronym="IOM")))
    page.locator("#id_status").select_option("active")
    page.locator("#id_title_en").fill("Return counselling in Xandria")
    page.locator("#id_title_fr").fill("Conseils au retour en Xandrie")
    page.locator("#id_approved_amount").fill("240000")
    page.locator("#id_planned_start").fill("2025-04-01")
    page.locator("#id_planned_end").fill("2027-03-31")
    page.locator("#id_priority_areas").select_option(label=area)
    choose(page, "country_shares-0-country", name="(XA)")
    page.locator("#id_country_shares-0-share").fill("100")
    for index, (year, planned) in enumerate([("2025", "120000"), ("2026", "120000")]):
        page.locator("#id_funding_lines-ADD").click()
        page.locator(f"#id_funding_lines-{index}-fiscal_year").fill(year)
        page.locator(f"#id_funding_lines-{index}-planned").fill(planned)
        page.locator(f"#id_funding_lines-{index}-disbursed").fill("0")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/snippets/projects/project/")

    project = Project.objects.get(reference="MCEE-2025-E2E")
    assert sorted(project.funding_lines.values_list("fiscal_year", "planned")) == [(2025, 120000), (2026, 120000)]
    assert list(project.priority_areas.values_list("code", flat=True)) == ["voluntary-return"]

    page.goto("/admin/mcee-reports/priority-areas/")
    row = page.get_by_role("row", name=re.compile(area))
    assert row.get_by_role("cell").last.inner_text().strip() == "1"
    assert page.get_by_role("heading", level=1).first.inner_text().strip() == t(language, "Projects by priority area")
    screenshot(page, "mcet-staff-table-1", language)


# --- Department officer ---------------------------------------------------------------------------------------


def fill_date(page, field, value):
    page.locator(f"#id_{field}").fill(value)
    page.keyboard.press("Escape")  # the date picker closes


@pytest.mark.parametrize("language", LANGUAGES)
def test_officer_logs_an_engagement_sees_it_on_the_country_page_and_is_refused_another_departments(
        new_page, person, language):
    officer = person("officer_cbsa", language)
    page = new_page(language)
    sign_in(page, officer)

    page.goto("/admin/snippets/engagements/engagement/add/")
    choose(page, "country", name="(XA)")
    fill_date(page, "date", "2025-05-12")
    page.locator("#id_status").select_option("held")
    page.locator("#id_kind").select_option("ottawa_bilateral")
    page.locator("#id_level").select_option("dg")
    choose(page, "lead_department", name=shown(language, Department.objects.get(code="cbsa")))
    page.locator("#id_counterpart_institution").fill("Xandrian Ministry of the Interior")
    page.locator("label", has_text="MCEE-2019-001").locator("input[type=checkbox]").check()
    page.locator("#id_summary").fill("Travel documents for three cases; the border information system came up.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/admin/snippets/engagements/engagement/")

    engagement = Engagement.objects.get(counterpart_institution="Xandrian Ministry of the Interior")
    assert engagement.lead_department.code == "cbsa" and engagement.created_by == officer
    assert list(engagement.projects_leveraged.values_list("reference", flat=True)) == ["MCEE-2019-001"]

    page.goto(f"/admin/snippets/countries/country/inspect/{engagement.country.pk}/")
    panel = page.get_by_role("region", name=t(language, "Engagements"))
    row = panel.get_by_role("row", name=re.compile("2025-05-12"))
    assert "MCEE-2019-001" in row.inner_text()
    assert t(language, "Held") in row.inner_text()
    # Another department's engagement is not in the officer's reach, here or by its address.
    gac_only = Engagement.objects.filter(lead_department__code="gac").exclude(
        participating_departments__code="cbsa").first()
    assert gac_only.date.isoformat() not in panel.inner_text() or gac_only.country_id != engagement.country_id
    screenshot(page, "officer-country-page", language)

    response = page.goto(f"/admin/snippets/engagements/engagement/edit/{gac_only.pk}/")
    assert response.status == 404
    assert gac_only.counterpart_institution not in page.content()
    assert page.locator(".security-marking").first.is_visible()
    Engagement.objects.get(pk=gac_only.pk)  # still there, unchanged by the visit


# --- Partner reporter -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_partner_reporter_submits_a_progress_report_and_sees_no_other_partners_project(new_page, person, language):
    reporter = person("iom_reporter", language)
    report = PartnerReport.objects.get(project__partner__acronym="IOM", status=ReportStatus.DRAFT)
    page = new_page(language)
    sign_in(page, reporter)

    page.goto("/admin/snippets/projects/project/")
    listed = page.locator("table.listing tbody").inner_text()
    assert "MCEE-2021-009" in listed
    for other in Project.objects.exclude(partner__acronym="IOM"):
        assert other.reference not in listed
    other = Project.objects.exclude(partner__acronym="IOM").first()
    assert page.goto(f"/admin/snippets/projects/project/inspect/{other.pk}/").status == 404
    assert other.title_en not in page.content()

    page.goto(f"/admin/snippets/projects/partnerreport/inspect/{report.pk}/")
    page.get_by_role("link", name=t(language, "Fill in the report")).click()
    page.locator("#id_narrative").fill("Two training sessions held; the labour pathway pilot opened.")
    for field in page.locator("input[name^=indicator_], textarea[name^=indicator_]").all():
        field.fill("12" if field.get_attribute("type") == "number" else "Held as planned.")
    page.locator("#id_risks").fill("Staff turnover at the ministry.")
    page.locator("#id_next_steps").fill("Second cohort in the spring.")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"/admin/snippets/projects/partnerreport/inspect/{report.pk}/")
    page.locator("form:has(input[name=to_status][value=submitted]) button[type=submit]").click()
    expect_message(page, t(language, "The report is submitted to MCET."))

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.narrative.startswith("Two training sessions")
    assert report.values.count() == report.project.results.values("indicators").count()
    screenshot(page, "partner-report-submitted", language)


def expect_message(page, text):
    page.locator(".messages").get_by_text(text).wait_for()


# --- Import -----------------------------------------------------------------------------------------------------

CASES_WITH_ERRORS = (
    "case_ref,country,requested_on,issued_on,outcome,document_type,validity_days,interview_required,priority\n"
    "CASE-E2E-1,XA,2024-03-04,2024-04-15,issued,passport,30,yes,high\n"
    "CASE-E2E-2,XA,04/03/2024,,pending,,,no,normal\n"
    "CASE-E2E-3,FR,2024-05-10,,refused,,,,\n"
)
CASES_FIXED = CASES_WITH_ERRORS.replace("04/03/2024", "2024-04-03").replace(",FR,", ",XB,")


def run_import_worker():
    """`manage.py db_worker --backend imports --batch`: the background worker takes what is queued and
    exits (the real path; its signal handlers are put back afterwards)."""
    import signal

    from django.core.management import call_command

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--backend", "imports", "--batch", "--no-startup-delay", "--no-reload",
                     verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def upload(page, name, content):
    page.locator("#id_kind").select_option("td_cases")
    page.locator("#id_file").set_input_files(files=[{"name": name, "mimeType": "text/csv",
                                                     "buffer": content.encode("utf-8")}])
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/mcee-imports/\d+/$"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_import_a_spreadsheet_read_its_row_errors_fix_it_and_import(new_page, person, language):
    from countries.models import TravelDocumentCase

    staff = person("mcet_staff", language)
    page = new_page(language)
    sign_in(page, staff)

    # Settings -> Import a file, through the menu.
    page.get_by_role("button", name=t(language, "Settings")).click()
    page.get_by_role("link", name=t(language, "Import a file")).click()
    page.wait_for_url("**/admin/mcee-imports/new/")

    upload(page, "td-cases.csv", CASES_WITH_ERRORS)
    run_import_worker()
    problems = page.get_by_role("table", name=t(language, "Problems found in the file"))
    problems.wait_for()
    assert ImportRun.objects.get().status == "rejected" and TravelDocumentCase.objects.count() == 0
    rows = problems.locator("tbody tr")
    assert rows.count() == 2
    assert "04/03/2024" in rows.nth(0).inner_text() and "requested_on" in rows.nth(0).inner_text()
    assert "FR" in rows.nth(1).inner_text() and "country" in rows.nth(1).inner_text()

    page.goto("/admin/mcee-imports/new/")
    upload(page, "td-cases-fixed.csv", CASES_FIXED)
    run_import_worker()
    page.get_by_role("table", name=t(language, "What the import did")).wait_for()
    assert TravelDocumentCase.objects.count() == 3
    assert ImportRun.objects.filter(status="succeeded").count() == 1
    screenshot(page, "import-fixed", language)


# --- Removals Working Group member ---------------------------------------------------------------------------
# PLACEHOLDER (issue 11, the country brief journey): "open a country brief, switch language, download the
# PDF" comes with the country brief pages. Add it here as
# ``test_rwg_member_reads_a_country_brief(new_page, person, language)``, parametrized by LANGUAGES, signing in
# as ``person("rwg_member", language)``, ending with ``screenshot(page, "rwg-country-brief", language)``; and
# add the brief pages (English and French, and the PDF link) to tests/e2e/test_accessibility.py.


@pytest.mark.parametrize("language", LANGUAGES)
def test_rwg_member_reads_a_country_brief_switches_language_and_downloads_the_pdf(new_page, person, language):
    import io

    from pypdf import PdfReader

    from countries.models import Country

    member = person("rwg_member", language)
    other = "fr" if language == "en" else "en"
    page = new_page(language)
    sign_in(page, member)
    page.goto(f"/{language}/")
    page.get_by_role("link", name=t(language, "Country briefs")).click()
    xa = Country.objects.get(code="XA")
    with translation.override(language):
        name = str(xa.code.name)
    page.get_by_role("link", name=name, exact=True).click()
    heading = page.get_by_role("heading", level=1)
    with translation.override(language):
        assert heading.inner_text() == gettext("Country brief: %(country)s") % {"country": name}
    # The escalation step is there for the RWG, in the summary.
    assert page.get_by_text(t(language, "Escalation step")).first.is_visible()

    # Switch language: the same brief in the other language.
    page.get_by_role("link", name="Français" if language == "en" else "English").click()
    with translation.override(other):
        assert page.get_by_role("heading", level=1).inner_text() == gettext("Country brief: %(country)s") % {
            "country": str(xa.code.name)}
    assert page.locator("html").get_attribute("lang") == other

    # Download the PDF (A4) and read it.
    page.locator("#paper").select_option("a4")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=t(other, "Download the PDF")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"brief-xa-{other}-") and download.suggested_filename.endswith(
        ".pdf")
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    first = reader.pages[0].extract_text()
    assert ("PROTÉGÉ B" if other == "fr" else "PROTECTED B") in first
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
    screenshot(page, "rwg-country-brief", language)
