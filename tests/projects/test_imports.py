"""The portfolio import: all or nothing, every bad row reported, idempotent, from XLSX or CSV."""

import copy
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from countries.models import Country
from mcee.imports import ImportRejected
from projects.imports import portfolio_import
from projects.management.commands.import_portfolio import Command
from projects.models import FundingLine, Partner, Project, ProjectCountry
from tests.factories import CountryFactory, PartnerFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

VALID = {
    "partners": [
        ["acronym", "name_en", "name_fr", "acronym_fr", "organisation_type", "iati_ref"],
        ["TPA", "Test Partner A", "Partenaire d’essai A", "PEA", "40", "XM-TEST-1"],
        ["TPB", "Test Partner B", "", "", "70", ""],
    ],
    "projects": [
        ["reference", "title_en", "title_fr", "summary_en", "summary_fr", "partner", "status", "approved_amount",
         "planned_start", "planned_end", "actual_start", "actual_end"],
        ["MCEE-T-001", "Border training", "Formation frontalière", "Training, with commas.", "", "TPA", "active",
         "500000.00", "2021-04-01", "2023-03-31", "", ""],
        ["MCEE-T-002", "Registration capacity", "Capacité d’enregistrement", "", "", "TPB", "pipeline", "1200000",
         "2022-04-01", "2025-03-31", "2022-05-01", ""],
    ],
    "project_countries": [
        ["project", "country", "share"],
        ["MCEE-T-001", "XA", "100"],
        ["MCEE-T-002", "XB", "60"],
        ["MCEE-T-002", "XC", "40"],
    ],
    "project_priority_areas": [
        ["project", "priority_area"],
        ["MCEE-T-001", "border-management"],
        ["MCEE-T-002", "national-policy"],
        ["MCEE-T-002", "regular-migration"],
    ],
    "funding": [
        ["project", "fiscal_year", "planned", "disbursed"],
        ["MCEE-T-001", "2021-22", "250000", "250000"],
        ["MCEE-T-001", "2022-23", "250000.00", "100000"],
        ["MCEE-T-002", "2022-23", "400000", ""],
    ],
}


def valid():
    return copy.deepcopy(VALID)


def set_cell(sheets, sheet, row, column, value):
    """Change one cell, addressed as a person would: row 1 is the header."""
    sheets[sheet][row - 1][sheets[sheet][0].index(column)] = value


def write_xlsx(path: Path, sheets) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
    workbook.save(path)
    return path


def write_csv_folder(path: Path, sheets) -> Path:
    path.mkdir()
    for name, rows in sheets.items():
        with open(path / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return path


@pytest.fixture(params=["xlsx", "csv"])
def write(request, tmp_path):
    """Write a workbook in either form; a test using this runs once for each."""
    counter = iter(range(100))

    def _write(sheets):
        n = next(counter)
        if request.param == "xlsx":
            return write_xlsx(tmp_path / f"portfolio-{n}.xlsx", sheets)
        return write_csv_folder(tmp_path / f"portfolio-{n}", sheets)
    return _write


def snapshot():
    """Everything the import may write, updated_at included."""
    return {
        "partners": list(Partner.objects.order_by("pk").values()),
        "projects": list(Project.objects.order_by("pk").values()),
        "countries": list(Country.objects.order_by("pk").values()),
        "shares": list(ProjectCountry.objects.order_by("pk").values()),
        "areas": list(Project.priority_areas.through.objects.order_by("pk").values()),
        "funding": list(FundingLine.objects.order_by("pk").values()),
    }


def counts(result):
    return {name: (c.created, c.updated, c.unchanged, c.deleted) for name, c in result.sheets.items()}


def rejected(path):
    with pytest.raises(ImportRejected) as caught:
        portfolio_import(path=path)
    return [(e.sheet, e.row, e.column, e.reason) for e in caught.value.errors]


# --- happy paths ------------------------------------------------------------------------------------

def test_a_valid_workbook_is_imported(write):
    result = portfolio_import(path=write(valid()))

    assert counts(result) == {
        "partners": (2, 0, 0, 0),
        "projects": (2, 0, 0, 0),
        "project_countries": (3, 0, 0, 0),
        "project_priority_areas": (3, 0, 0, 0),
        "funding": (3, 0, 0, 0),
    }
    assert result.countries_created == ["XA", "XB", "XC"]
    partner = Partner.objects.get(acronym="TPA")
    assert (partner.name_fr, partner.acronym_fr, partner.organisation_type, partner.iati_ref) == (
        "Partenaire d’essai A", "PEA", "40", "XM-TEST-1")
    project = Project.objects.get(reference="MCEE-T-002")
    assert project.partner.acronym == "TPB"
    assert project.title_fr == "Capacité d’enregistrement"
    assert project.status == "pipeline"
    assert project.approved_amount == Decimal("1200000")
    assert (project.planned_start, project.planned_end) == (dt.date(2022, 4, 1), dt.date(2025, 3, 31))
    assert (project.actual_start, project.actual_end) == (dt.date(2022, 5, 1), None)
    assert Project.objects.get(reference="MCEE-T-001").summary_en == "Training, with commas."
    assert sorted((s.country.code.code, s.share) for s in project.country_shares.all()) == [
        ("XB", Decimal("60")), ("XC", Decimal("40"))]
    assert sorted(a.code for a in project.priority_areas.all()) == ["national-policy", "regular-migration"]
    assert [(f.fiscal_year, f.planned, f.disbursed) for f in project.funding_lines.all()] == [
        (2022, Decimal("400000"), Decimal("0"))]
    assert FundingLine.objects.filter(project__reference="MCEE-T-001").count() == 2


@pytest.mark.parametrize("example", ["portfolio.xlsx", "portfolio"])
def test_the_documented_examples_import(example):
    result = portfolio_import(path=EXAMPLES / example)
    assert counts(result)["projects"] == (4, 0, 0, 0)
    assert counts(result)["funding"] == (10, 0, 0, 0)
    assert set(Country.objects.values_list("code", flat=True)) <= {f"X{c}" for c in "ABCDEFGHJKLM"}


def test_the_two_documented_examples_hold_the_same_data():
    portfolio_import(path=EXAMPLES / "portfolio.xlsx")
    before = snapshot()
    result = portfolio_import(path=EXAMPLES / "portfolio")
    assert not result.changed
    assert snapshot() == before


def test_partners_and_projects_already_recorded_are_updated_and_lines_replaced(write):
    portfolio_import(path=write(valid()))
    untouched = Project.objects.get(reference="MCEE-T-001").updated_at
    sheets = valid()
    set_cell(sheets, "partners", 3, "name_en", "Test Partner B, renamed")
    set_cell(sheets, "projects", 3, "status", "active")
    set_cell(sheets, "project_countries", 4, "country", "XD")  # was XC
    sheets["project_priority_areas"].pop()  # MCEE-T-002 leaves regular-migration
    set_cell(sheets, "funding", 4, "disbursed", "150000")

    result = portfolio_import(path=write(sheets))

    assert counts(result) == {
        "partners": (0, 1, 1, 0),
        "projects": (0, 1, 1, 0),
        "project_countries": (1, 0, 2, 1),  # XD added, XC removed
        "project_priority_areas": (0, 0, 2, 1),
        "funding": (0, 1, 2, 0),
    }
    assert result.countries_created == ["XD"]
    assert Partner.objects.get(acronym="TPB").name_en == "Test Partner B, renamed"
    project = Project.objects.get(reference="MCEE-T-002")
    assert project.status == "active"
    assert sorted(s.country.code.code for s in project.country_shares.all()) == ["XB", "XD"]
    assert [a.code for a in project.priority_areas.all()] == ["national-policy"]
    assert project.funding_lines.get().disbursed == Decimal("150000")
    assert Project.objects.get(reference="MCEE-T-001").updated_at == untouched


def test_only_funding_changed_saves_the_project_and_counts_the_line(write):
    portfolio_import(path=write(valid()))
    sheets = valid()
    set_cell(sheets, "funding", 2, "planned", "260000")
    result = portfolio_import(path=write(sheets))
    assert counts(result)["projects"] == (0, 0, 2, 0)
    assert counts(result)["funding"] == (0, 1, 2, 0)
    assert FundingLine.objects.get(project__reference="MCEE-T-001", fiscal_year=2021).planned == Decimal("260000")


def test_a_project_may_name_a_partner_already_recorded(write):
    PartnerFactory(acronym="OLD")
    sheets = valid()
    set_cell(sheets, "projects", 2, "partner", "OLD")
    portfolio_import(path=write(sheets))
    assert Project.objects.get(reference="MCEE-T-001").partner.acronym == "OLD"


def test_projects_and_partners_not_in_the_file_are_left_alone(write):
    other = ProjectFactory(reference="MCEE-T-900")
    CountryFactory(code="XH")
    ProjectCountry.objects.create(project=other, country=Country.objects.get(code="XH"))
    before = Project.objects.filter(pk=other.pk).values().get()
    portfolio_import(path=write(valid()))
    assert Project.objects.filter(pk=other.pk).values().get() == before
    assert other.country_shares.count() == 1


# --- idempotence ------------------------------------------------------------------------------------

def test_importing_the_same_file_twice_changes_nothing(write):
    path = write(valid())
    portfolio_import(path=path)
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        result = portfolio_import(path=path)

    assert not result.changed
    assert counts(result) == {
        "partners": (0, 0, 2, 0),
        "projects": (0, 0, 2, 0),
        "project_countries": (0, 0, 3, 0),
        "project_priority_areas": (0, 0, 3, 0),
        "funding": (0, 0, 3, 0),
    }
    assert result.countries_created == []
    assert snapshot() == before  # updated_at included
    # Only the record of the run itself (and its audit entry) is written; no portfolio row is touched.
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "mcee_importrun" not in q["sql"] and "auditlog_logentry" not in q["sql"]]
    assert writes == []


def test_an_equal_amount_written_differently_is_unchanged(write):
    portfolio_import(path=write(valid()))
    sheets = valid()
    set_cell(sheets, "projects", 2, "approved_amount", "500000")  # was 500000.00
    set_cell(sheets, "project_countries", 2, "share", "100.00")
    set_cell(sheets, "projects", 2, "status", "ACTIVE")
    result = portfolio_import(path=write(sheets))
    assert not result.changed


# --- all or nothing: each bad input reported exactly, nothing written --------------------------------

def _bad(sheet, row, column, value):
    def change(sheets):
        set_cell(sheets, sheet, row, column, value)
    return change


def _duplicate_reference(sheets):
    set_cell(sheets, "projects", 3, "reference", "MCEE-T-001")
    del sheets["project_countries"][2:]  # MCEE-T-002's lines would now name an unlisted project
    del sheets["project_priority_areas"][2:]
    del sheets["funding"][3:]


def _shares_not_100(sheets):
    set_cell(sheets, "project_countries", 4, "share", "30")


BAD_CASES = {
    "unknown partner": (_bad("projects", 3, "partner", "NOPE"), [
        ("projects", 3, "partner",
         "There is no partner with the acronym 'NOPE', on the partners sheet or already recorded.")]),
    "negative amount": (_bad("projects", 2, "approved_amount", "-5000"), [
        ("projects", 2, "approved_amount", "The value cannot be negative.")]),
    "amount over $3M": (_bad("projects", 3, "approved_amount", "3000000.01"), [
        ("projects", 3, "approved_amount",
         "An MCEE project can receive at most $3,000,000; this amount is over the large-project limit and cannot "
         "be recorded.")]),
    "end before start": (_bad("projects", 2, "planned_end", "2021-03-31"), [
        ("projects", 2, "planned_end", "The planned end is before the planned start.")]),
    "more than 36 months": (_bad("projects", 2, "planned_end", "2024-04-01"), [
        ("projects", 2, "planned_end",
         "MCEE projects run for up to 3 years (36 months); this plan runs 37 months.")]),
    "actual end before actual start": (_bad("projects", 3, "actual_end", "2022-04-30"), [
        ("projects", 3, "actual_end", "The actual end is before the actual start.")]),
    "unknown status": (_bad("projects", 2, "status", "open"), [
        ("projects", 2, "status", "'open' is not one of the allowed values: pipeline, active, finalisation, "
                                  "closed, cancelled, suspended.")]),
    "title too long (the model's own check)": (_bad("projects", 2, "title_en", "T" * 256), [
        ("projects", 2, "title_en", "Ensure this value has at most 255 characters (it has 256).")]),
    "shares not adding to 100": (_shares_not_100, [
        ("project_countries", 3, "share",
         "Project MCEE-T-002: The country shares add up to 90 %; they must add up to 100 %.")]),
    "bad fiscal year": (_bad("funding", 4, "fiscal_year", "2022-24"), [
        ("funding", 4, "fiscal_year", "'2022-24' is not a fiscal year; write it as 2024-25.")]),
    "negative disbursement": (_bad("funding", 3, "disbursed", "-1"), [
        ("funding", 3, "disbursed", "The value cannot be negative.")]),
    "unknown country code": (_bad("project_countries", 2, "country", "ZZ"), [
        ("project_countries", 2, "country", "'ZZ' is not a known ISO 3166 country code.")]),
    "unknown priority area": (_bad("project_priority_areas", 3, "priority_area", "world-peace"), [
        ("project_priority_areas", 3, "priority_area",
         "'world-peace' is not a priority area code; the codes are national-policy, regular-migration, "
         "border-management, irregular-migration, other-priorities, identity-management, voluntary-return.")]),
    "unknown organisation type": (_bad("partners", 3, "organisation_type", "99"), [
        ("partners", 3, "organisation_type", "'99' is not one of the allowed values: 10, 21, 22, 40, 80, 70.")]),
    "duplicate reference": (_duplicate_reference, [
        ("projects", 3, "reference", "MCEE-T-001 is already on row 2; each reference may appear only once.")]),
    "duplicate country of a project": (_bad("project_countries", 4, "country", "XB"), [
        ("project_countries", 4, "country",
         "MCEE-T-002 / XB is already on row 3; each combination of project and country may appear only once.")]),
    "project of another sheet not listed": (_bad("funding", 4, "project", "MCEE-T-404"), [
        ("funding", 4, "project", "'MCEE-T-404' is not a reference on the projects sheet; list the project "
                                  "there to set its countries, priority areas and funding.")]),
    "formula cell": (_bad("projects", 3, "title_en", '=HYPERLINK("http://example.invalid","click")'), [
        ("projects", 3, "title_en", "This looks like a spreadsheet formula; type the value itself.")]),
    "missing required value": (_bad("partners", 2, "name_en", ""), [
        ("partners", 2, "name_en", "A value is required.")]),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_a_bad_row_is_reported_exactly_and_nothing_is_written(write, case):
    change, expected = BAD_CASES[case]
    sheets = valid()
    change(sheets)
    before = snapshot()
    assert rejected(write(sheets)) == expected
    assert snapshot() == before


@pytest.mark.parametrize("case", ["unknown partner", "shares not adding to 100", "bad fiscal year", "formula cell"])
def test_a_bad_file_that_would_also_update_leaves_the_earlier_import_intact(write, case):
    portfolio_import(path=write(valid()))
    before = snapshot()
    change, expected = BAD_CASES[case]
    sheets = valid()
    # Changes that would be written if the file were accepted:
    set_cell(sheets, "partners", 2, "name_en", "Renamed partner")
    set_cell(sheets, "projects", 2, "title_en", "Renamed project")
    set_cell(sheets, "project_countries", 2, "country", "XJ")
    set_cell(sheets, "funding", 2, "disbursed", "1")
    sheets["funding"].append(["MCEE-T-002", "2023-24", "5", "0"])
    change(sheets)
    assert rejected(write(sheets)) == expected
    assert snapshot() == before
    assert not Country.objects.filter(code="XJ").exists()


def test_every_bad_row_of_every_sheet_is_reported_at_once(write):
    sheets = valid()
    set_cell(sheets, "partners", 3, "organisation_type", "")
    set_cell(sheets, "projects", 2, "approved_amount", "lots")
    set_cell(sheets, "projects", 3, "planned_end", "2020-01-01")
    set_cell(sheets, "project_countries", 2, "share", "0")
    set_cell(sheets, "funding", 2, "fiscal_year", "21-22")
    set_cell(sheets, "funding", 4, "planned", "=B2*2")
    assert [line[:3] for line in rejected(write(sheets))] == [
        ("partners", 3, "organisation_type"),
        ("projects", 2, "approved_amount"),
        ("projects", 3, "planned_end"),
        ("project_countries", 2, "share"),
        ("funding", 2, "fiscal_year"),
        ("funding", 4, "planned"),
    ]
    assert Partner.objects.count() == Project.objects.count() == 0


def test_a_missing_sheet_and_a_wrong_header_are_reported_before_any_row(write):
    sheets = valid()
    del sheets["funding"]
    sheets["projects"][0][1] = "title"
    assert rejected(write(sheets)) == [
        ("projects", 1, "title", "This column is not expected; the columns are reference, title_en, title_fr, "
                                 "summary_en, summary_fr, partner, status, approved_amount, planned_start, "
                                 "planned_end, actual_start, actual_end."),
        ("projects", 1, "title_en", "This column is missing from the header row."),
        ("funding", None, None, "This sheet is missing; the workbook needs the sheets partners, projects, "
                                "project_countries, project_priority_areas, funding."),
    ]


def test_a_project_without_countries_is_reported_naming_it(write):
    sheets = valid()
    del sheets["project_countries"][1]
    assert rejected(write(sheets)) == [
        ("project_countries", None, "project", "Project MCEE-T-001: A project needs at least one country.")]


def test_a_windows_1252_csv_folder_imports(tmp_path):
    folder = write_csv_folder(tmp_path / "portfolio", valid())
    projects = folder / "projects.csv"
    projects.write_bytes(projects.read_text(encoding="utf-8").replace("’", "'").encode("cp1252"))
    portfolio_import(path=folder)
    assert Project.objects.get(reference="MCEE-T-002").title_fr == "Capacité d'enregistrement"


# --- the command ------------------------------------------------------------------------------------

def test_the_command_prints_a_summary(write):
    out = io.StringIO()
    call_command("import_portfolio", str(write(valid())), stdout=out)
    lines = out.getvalue().splitlines()
    assert "projects: 2 created, 0 updated, 0 unchanged, 0 removed" in lines
    assert "Countries added: XA, XB, XC" in lines
    assert lines[-1] == "The portfolio was imported."


def test_the_command_says_when_nothing_changed(write):
    path = str(write(valid()))
    call_command("import_portfolio", path, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_portfolio", path, stdout=out)
    assert "funding: 0 created, 0 updated, 3 unchanged, 0 removed" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "Nothing changed: the database already matches the file."


def test_the_command_prints_every_error_and_fails_having_written_nothing(write):
    sheets = valid()
    set_cell(sheets, "projects", 2, "approved_amount", "-1")
    set_cell(sheets, "funding", 3, "fiscal_year", "2022")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^The file was rejected \(2 problems\); nothing was written\.$"):
        call_command("import_portfolio", str(write(sheets)), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "sheet projects, row 2, column approved_amount: The value cannot be negative.",
        "sheet funding, row 3, column fiscal_year: '2022' is not a fiscal year; write it as 2024-25.",
    ]
    assert Partner.objects.count() == 0


def test_the_command_exits_non_zero_from_the_command_line(write, capsys, monkeypatch):
    sheets = valid()
    set_cell(sheets, "projects", 3, "partner", "NOPE")
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction open
    with pytest.raises(SystemExit) as caught:
        Command().run_from_argv(["manage.py", "import_portfolio", str(write(sheets))])
    assert caught.value.code == 1
    stderr = capsys.readouterr().err
    assert "sheet projects, row 3, column partner: There is no partner with the acronym 'NOPE'" in stderr
    assert "CommandError: The file was rejected (1 problem); nothing was written." in stderr
    assert Project.objects.count() == 0


def test_the_import_is_recorded_in_the_audit_trail_as_an_import_by_its_user(write, superuser):
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    if not auditlog.contains(Project):
        pytest.skip("Project is not registered with django-auditlog yet.")
    portfolio_import(path=write(valid()), user=superuser)
    entry = LogEntry.objects.get_for_object(Project.objects.get(reference="MCEE-T-001")).first()
    assert entry.actor == superuser
    assert entry.additional_data == {"source": "import"}


def test_the_command_says_clearly_when_the_path_does_not_exist(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="There is nothing at"):
        call_command("import_portfolio", str(tmp_path / "missing.xlsx"))
    assert Project.objects.count() == 0
