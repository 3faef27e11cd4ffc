"""Safe spreadsheets: every CSV/XLSX the system writes starts with the security marking and runs no
formula (mcee.spreadsheets), and a file the system wrote can be imported back."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from countries.imports import asylum_import
from countries.models import AsylumStatistic, Country
from mcee.imports import ImportRejected
from mcee.spreadsheets import neutralise, write_csv, xlsx_bytes
from projects.models import Partner, Project
from tests.spreadsheets import after_marking, export_text, xlsx_sheet_rows

TRIGGERS = ["=1+1", "+A1*2", "-A1+3", "@SUM(A1:A9)", "\tcmd", "\rcmd", "=HYPERLINK(\"http://x.invalid\",\"x\")"]


@pytest.mark.parametrize("text", TRIGGERS)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [Decimal("-5000"), -5000, -1.5, Decimal("0"), "-5000", "+12.50", "12", "",
                                   None, "Border training", "a=b", dt.date(2024, 4, 1), "'=already quoted"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise(value) == value


def test_text_starting_like_a_number_but_more_is_neutralised():
    assert neutralise("-5000+A1") == "'-5000+A1"
    assert neutralise("-1e5") == "'-1e5"  # not a plain decimal number: Excel would compute it


def test_csv_has_the_marking_row_then_headings_and_neutralised_cells():
    out = io.StringIO()
    write_csv(out, ["code", "=name"], [["XA", "=cmd|' /C calc'!A0"], ["XB", Decimal("-5000")], ["XC", None]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["PROTECTED B"], ["code", "'=name"], ["XA", "'=cmd|' /C calc'!A0"], ["XB", "-5000"],
                    ["XC", ""]]


@pytest.mark.parametrize("text", TRIGGERS)
def test_each_leading_character_is_neutralised_in_csv(text):
    out = io.StringIO()
    write_csv(out, ["label", "amount"], [[text, -12.5]])
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    # Still one cell with its apostrophe (a carriage return inside a cell is written as a line break).
    assert rows[2] == ["'" + text.replace("\r", "\n"), "-12.5"]


def test_csv_marking_in_french():
    out = io.StringIO()
    write_csv(out, ["code"], [["XA"]], language="fr")
    assert out.getvalue().splitlines()[0] == "PROTÉGÉ B"


@pytest.mark.parametrize("text", TRIGGERS)
def test_xlsx_cells_are_text_with_the_apostrophe_and_numbers_stay_numbers(text):
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["label", "amount"], [[text, Decimal("-5000.25")], ["x", -3]]))).active
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == ["PROTECTED B", None]  # the marking alone on its row
    label, amount = cells[2]
    assert (label.value, label.data_type) == ("'" + text, "s")
    assert amount.data_type == "n" and amount.value == pytest.approx(-5000.25)
    assert cells[3][1].value == -3


# --- through the admin and the command ----------------------------------------------------------------

@pytest.fixture
def formula_project(db):
    partner = Partner.objects.create(acronym="IOM", name_en="IOM", organisation_type="40")
    return Project.objects.create(
        reference="MCEE-F-001", title_en='=HYPERLINK("http://evil.invalid","Click")', title_fr="@SUM(A1)",
        partner=partner, status="active", approved_amount=Decimal("250000.00"), planned_start=dt.date(2024, 4, 1),
        planned_end=dt.date(2025, 3, 31))


def test_the_admin_listing_csv_neutralises_text_under_the_marking(admin_client, formula_project):
    response = admin_client.get("/admin/snippets/projects/project/", {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(export_text(response))))
    [row] = rows
    assert row["Title (English)"] == "'=HYPERLINK(\"http://evil.invalid\",\"Click\")"
    assert row["Title (French)"] == "'@SUM(A1)"
    assert row["Approved amount (CAD)"] == "250000.00"


def test_the_admin_listing_xlsx_neutralises_text_and_keeps_numbers(admin_client, formula_project):
    response = admin_client.get("/admin/snippets/projects/project/", {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    header, row = xlsx_sheet_rows(content)
    values = dict(zip(header, row, strict=True))
    assert values["Title (English)"].startswith("'=HYPERLINK(")
    assert values["Title (French)"] == "'@SUM(A1)"
    assert values["Approved amount (CAD)"] == 250000


def test_the_audit_trail_export_is_marked_and_safe(admin_client, db):
    Partner.objects.create(acronym="=1+2", name_en="Formula partner", organisation_type="40")
    response = admin_client.get(reverse("audit_trail:index") + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(export_text(response))))
    assert "'=1+2" in {row["Record"] for row in rows}  # the partner's name in its entry, neutralised
    assert "=1+2" not in {row["Record"] for row in rows}


def test_the_report_command_writes_the_marking_in_the_files_language(db, tmp_path):
    out = tmp_path / "areas.xlsx"
    call_command("mcee_report", "priority-areas", "--format", "xlsx", "--out", str(out), "--lang", "fr")
    assert xlsx_sheet_rows(out.read_bytes(), "fr")[0] == ("code", "priority_area", "projects")


# --- reading back what the system wrote ----------------------------------------------------------------

def test_an_exported_file_with_its_marking_row_imports(db, tmp_path):
    Country.objects.create(code="XA")
    path = tmp_path / "asylum.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_csv(fh, ["country", "year", "claims", "irb_decided", "irb_rejected"], [["XA", 2024, 10, 5, 2]])
    asylum_import(path=path)
    assert AsylumStatistic.objects.get().claims == 10


def test_row_numbers_below_a_marking_row_are_those_the_spreadsheet_shows(db, tmp_path):
    path = tmp_path / "asylum.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_csv(fh, ["country", "year", "claims", "irb_decided", "irb_rejected"],
                  [["XA", 2024, 10, 5, 2], ["XA", 2023, -4, 5, 2]])
    with pytest.raises(ImportRejected) as caught:
        asylum_import(path=path)
    [error] = caught.value.errors
    assert (error.row, error.column) == (4, "claims")  # marking row 1, header row 2, data from row 3
    assert not AsylumStatistic.objects.exists()


def test_a_marking_row_is_recognised_only_alone_in_the_first_row(db, tmp_path):
    path = tmp_path / "asylum.csv"
    path.write_text("PROTECTED B,extra,,,\ncountry,year,claims,irb_decided,irb_rejected\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        asylum_import(path=path)
    assert caught.value.errors[0].row == 1  # read as a (wrong) header, not skipped


def test_the_travel_document_case_import_skips_the_marking_row_too(db, tmp_path):
    from countries.imports import td_cases_import

    Country.objects.create(code="XA")
    path = tmp_path / "td-cases.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_csv(fh, ["case_ref", "country", "requested_on", "issued_on", "outcome", "document_type",
                       "validity_days", "interview_required", "priority"],
                  [["C-1", "XA", "2024-04-01", "", "pending", "", "", "", ""],
                   ["C-2", "XA", "2024-04-02", "2024-03-01", "issued", "", "", "", ""]])
    with pytest.raises(ImportRejected) as caught:
        td_cases_import(path=path)
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "issued_on")]
    after_marking(path.read_text(encoding="utf-8"))  # the file did start with the marking


def test_wagtails_own_downloads_are_safe_too(admin_client, db):
    """The site history report is Wagtail's view: its export gets the marking row and neutralised text."""
    from wagtail.admin.views.reports.aging_pages import AgingPagesView
    from wagtail.admin.views.reports.audit_logging import LogEntriesView

    from mcee.spreadsheets import SafeSpreadsheetExportMixin

    assert issubclass(LogEntriesView, SafeSpreadsheetExportMixin) and issubclass(AgingPagesView,
                                                                               SafeSpreadsheetExportMixin)
    partner = Partner.objects.create(acronym="@SUM(9)", name_en="Formula partner", organisation_type="40")
    from wagtail.log_actions import log

    log(instance=partner, action="wagtail.create", user=None)
    response = admin_client.get("/admin/reports/site-history/", {"export": "csv"})
    text = export_text(response)
    assert "'@SUM(9)" in text and ",@SUM(9)" not in text
