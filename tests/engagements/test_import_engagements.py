"""The historical engagements import: every bad value reported with its row and column, all or nothing,
idempotent on the natural key, CSV or XLSX, the command, and the documented example."""

import copy
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import Workbook

from engagements.imports import COLUMNS, engagements_import
from engagements.models import Department, Engagement
from mcee.imports import ImportRejected
from mcee.models import ImportRun
from tests.factories import CountryFactory, ProjectCountryFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SHEET = "engagements"


def row(**values):
    base = {"country": "XA", "date": "2024-05-01", "status": "held", "kind": "ottawa_bilateral", "level": "dg",
            "lead_department": "cbsa", "participating_departments": "", "counterpart_institution": "Embassy of XA",
            "counterpart_title": "Ambassador", "removals_raised": "yes", "projects_leveraged": "",
            "no_project_leveraged": "no", "summary": "", "outcome": "", "next_steps": ""}
    base.update(values)
    return [base[name] for name in COLUMNS]


VALID = [
    COLUMNS,
    row(projects_leveraged="MCEE-IMP-001", participating_departments="gac; IRCC", summary="First"),
    row(country="xb", date="2024-04-01", kind="multilateral", lead_department="GAC", no_project_leveraged="oui",
        counterpart_institution="Regional forum", removals_raised="non"),
    row(date="2023-03-31", status="cancelled", lead_department="ASFC", removals_raised="", no_project_leveraged=""),
    row(date="2022-01-10", projects_leveraged="MCEE-IMP-001;MCEE-IMP-002", outcome="Agreed", next_steps="Write"),
]


@pytest.fixture
def data():
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    first = ProjectFactory(reference="MCEE-IMP-001")
    ProjectCountryFactory(project=first, country=xa)
    second = ProjectFactory(reference="MCEE-IMP-002")
    ProjectCountryFactory(project=second, country=xa, share=60)
    ProjectCountryFactory(project=second, country=xb, share=40)
    ProjectFactory(reference="MCEE-IMP-XB-ONLY")
    return xa, xb


def valid():
    return copy.deepcopy(VALID)


def write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def write(request, tmp_path):
    counter = iter(range(100))

    def _write(rows):
        folder = tmp_path / f"f{next(counter)}"
        folder.mkdir()
        if request.param == "xlsx":
            workbook = Workbook()
            workbook.active.title = "Engagements"
            for cells in rows:
                workbook.active.append([cell or None for cell in cells])
            workbook.save(folder / "history.xlsx")
            return folder / "history.xlsx"
        return write_csv(folder / f"{SHEET}.csv", rows)
    return _write


def rejected(path, **kwargs):
    with pytest.raises(ImportRejected) as caught:
        engagements_import(path=path, **kwargs)
    return [(e.sheet, e.row, e.column, e.reason) for e in caught.value.errors]


def recorded():
    return {(e.country.code.code, e.date.isoformat(), e.lead_department.code, e.kind, e.counterpart_institution): (
        e.status, e.removals_raised, e.no_project_leveraged,
        sorted(d.code for d in e.participating_departments.all()),
        sorted(p.reference for p in e.projects_leveraged.all()))
        for e in Engagement.objects.select_related("country", "lead_department")}


# --- Happy paths ------------------------------------------------------------------------------------------------


def test_a_valid_file_is_imported(data, write):
    result = engagements_import(path=write(valid()))
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert recorded() == {
        ("XA", "2024-05-01", "cbsa", "ottawa_bilateral", "Embassy of XA"): (
            "held", True, False, ["gac", "ircc"], ["MCEE-IMP-001"]),
        ("XB", "2024-04-01", "gac", "multilateral", "Regional forum"): ("held", False, True, [], []),
        ("XA", "2023-03-31", "cbsa", "ottawa_bilateral", "Embassy of XA"): ("cancelled", False, False, [], []),
        ("XA", "2022-01-10", "cbsa", "ottawa_bilateral", "Embassy of XA"): (
            "held", True, False, [], ["MCEE-IMP-001", "MCEE-IMP-002"]),
    }
    first = Engagement.objects.get(date=dt.date(2022, 1, 10))
    assert (first.outcome, first.next_steps, first.level, first.counterpart_title) == ("Agreed", "Write", "dg",
                                                                                       "Ambassador")
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.rows_read, run.rows_written) == ("engagements", "succeeded", 4, 4)


def test_importing_again_changes_nothing_and_an_edit_updates_in_place(data, tmp_path):
    path = write_csv(tmp_path / "engagements.csv", valid())
    engagements_import(path=path)
    before = {e.pk: e.updated_at for e in Engagement.objects.all()}
    result = engagements_import(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert {e.pk: e.updated_at for e in Engagement.objects.all()} == before

    rows = valid()
    rows[1] = row(projects_leveraged="", no_project_leveraged="yes", participating_departments="ps",
                  summary="First", outcome="Now known")
    result = engagements_import(path=write_csv(tmp_path / "edited.csv", rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Engagement.objects.count() == 4
    edited = Engagement.objects.get(date=dt.date(2024, 5, 1))
    assert edited.pk in before
    assert (edited.outcome, edited.no_project_leveraged) == ("Now known", True)
    assert [d.code for d in edited.participating_departments.all()] == ["ps"]
    assert list(edited.projects_leveraged.all()) == []


def test_the_command_reports_counts_and_rejections(data, tmp_path):
    path = write_csv(tmp_path / "engagements.csv", valid())
    out = io.StringIO()
    call_command("import_engagements", str(path), stdout=out)
    assert "Engagements: 4 created, 0 updated, 0 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("import_engagements", str(path), stdout=out)
    assert "This file was already imported on" in out.getvalue()
    assert "Nothing changed" in out.getvalue()

    rows = valid()
    rows[2][COLUMNS.index("kind")] = "dinner"
    err = io.StringIO()
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_engagements", str(write_csv(tmp_path / "bad.csv", rows)), stderr=err)
    assert "sheet bad, row 3, column kind: 'dinner' is not one of the allowed values" in err.getvalue()
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_engagements", str(tmp_path / "missing.csv"))


def test_the_documented_example_imports_after_the_demo_data():
    call_command("seed_demo", stdout=io.StringIO())
    before = Engagement.objects.count()
    result = engagements_import(path=EXAMPLES / "engagements.csv")
    assert (result.created, result.updated, result.unchanged) == (10, 0, 0)
    assert Engagement.objects.count() == before + 10
    assert set(Engagement.objects.values_list("country__code", flat=True)) <= {
        "XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XK"}
    again = engagements_import(path=EXAMPLES / "engagements.csv")
    assert again.unchanged == 10


# --- Every bad value, with its row and column -------------------------------------------------------------------


def test_every_bad_value_is_reported_and_nothing_is_written(data, write):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    rows = valid() + [
        row(country="XC"),  # 6: a real code, not recorded
        row(country="ZZ"),  # 7
        row(date="2024-02-30"),  # 8
        row(status="done", kind="dinner", level="king"),  # 9
        row(lead_department="nasa", participating_departments="gac;fbi;cia"),  # 10
        row(date="2021-01-01", projects_leveraged="MCEE-NOPE"),  # 11
        row(date="2021-01-02", projects_leveraged="MCEE-IMP-XB-ONLY", country="XB"),  # 12: works nowhere
        row(date="2021-01-03", projects_leveraged="MCEE-IMP-001", no_project_leveraged="yes"),  # 13
        row(date=future),  # 14: held in the future
        row(date="2021-01-04", removals_raised="maybe"),  # 15
        row(date="2021-01-05", summary="=HYPERLINK(\"http://example.invalid\")"),  # 16
        row(summary="Again"),  # 17: same key as row 2
        row(date="2021-01-06", counterpart_title="x" * 201),  # 18
        row(date="", kind=""),  # 19
    ]
    errors = rejected(write(rows))
    sheet = errors[0][0]
    assert {(r, c) for _s, r, c, _reason in errors} == {
        (6, "country"), (7, "country"), (8, "date"), (9, "status"), (9, "kind"), (9, "level"),
        (10, "lead_department"), (10, "participating_departments"), (11, "projects_leveraged"),
        (12, "projects_leveraged"), (13, "no_project_leveraged"), (14, "date"), (15, "removals_raised"),
        (16, "summary"), (17, "counterpart_institution"), (18, "counterpart_title"), (19, "date"), (19, "kind")}
    reasons = {(r, c): reason for _s, r, c, reason in errors}
    assert reasons[(6, "country")] == "'XC' is not a country recorded in the MCEE; add it under Countries first."
    assert reasons[(7, "country")] == "'ZZ' is not a known ISO 3166 country code."
    assert reasons[(9, "kind")].startswith("'dinner' is not one of the allowed values: ottawa_bilateral, ")
    assert reasons[(10, "lead_department")].startswith("'nasa' is not a department; use one of the codes cbsa, ")
    assert reasons[(10, "participating_departments")].startswith("Not departments: fbi, cia; use the codes ")
    assert reasons[(11, "projects_leveraged")].startswith("Not MCEE projects: MCEE-NOPE;")
    assert reasons[(12, "projects_leveraged")] == (
        "MCEE-IMP-XB-ONLY: not working in XB; a leveraged project must work in the engagement's country.")
    assert reasons[(13, "no_project_leveraged")] == (
        "The row says no MCEE project was used and also lists projects leveraged; keep one of the two.")
    assert reasons[(14, "date")] == (
        f"An engagement cannot have been held on a date still to come ({future}); its status would be planned.")
    assert reasons[(15, "removals_raised")] == "'maybe' is not yes or no."
    assert reasons[(16, "summary")] == "This looks like a spreadsheet formula; type the value itself."
    assert reasons[(17, "counterpart_institution")].startswith("XA / 2024-05-01 / cbsa / ottawa_bilateral / "
                                                               "Embassy of XA is already on row 2")
    assert reasons[(19, "date")] == "A value is required."
    assert sheet in (SHEET, "engagements")
    assert not Engagement.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == "rejected" and len(run.errors) == len(errors)


def test_a_project_working_in_another_country_is_refused(data, tmp_path):
    rows = [COLUMNS, row(country="XB", projects_leveraged="MCEE-IMP-001")]
    assert rejected(write_csv(tmp_path / "engagements.csv", rows)) == [(SHEET, 2, "projects_leveraged", (
        "MCEE-IMP-001: not working in XB; a leveraged project must work in the engagement's country."))]


def test_a_row_matching_two_recorded_engagements_is_refused(data, tmp_path):
    xa, _ = data
    cbsa = Department.objects.get(code="cbsa")
    for _ in range(2):
        Engagement.objects.create(country=xa, date=dt.date(2024, 5, 1), status="held", kind="ottawa_bilateral",
                                  level="dg", lead_department=cbsa, counterpart_institution="Embassy of XA")
    errors = rejected(write_csv(tmp_path / "engagements.csv", [COLUMNS, row()]))
    assert errors == [(SHEET, 2, None, "2 recorded engagements have this country, date, lead department, kind and "
                                       "counterpart institution; tell them apart in the admin first.")]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", (SHEET, None, None, "The sheet is empty; its first row must name the columns: country, date, status, "
                              "kind, level, lead_department, participating_departments, counterpart_institution, "
                              "counterpart_title, removals_raised, projects_leveraged, no_project_leveraged, "
                              "summary, outcome, next_steps.")),
    (",".join(COLUMNS).encode() + b"\n", (SHEET, None, None, "The sheet has a header row but no data rows.")),
    (b"country,date\nXA,2024-01-01\n", (SHEET, 1, "status", "This column is missing from the header row.")),
])
def test_empty_files_and_wrong_columns(content, expected, data, tmp_path):
    path = tmp_path / "engagements.csv"
    path.write_bytes(content)
    assert expected in rejected(path)


def test_an_unexpected_column_is_refused(data, tmp_path):
    rows = valid()
    rows[0] = rows[0] + ["reference"]
    rows[1] = rows[1] + ["E-1"]
    errors = rejected(write_csv(tmp_path / "engagements.csv", rows))
    assert errors[0][:3] == (SHEET, 1, "reference") and errors[0][3].startswith("This column is not expected")


def test_encodings(data, tmp_path):
    rows = [COLUMNS, row(counterpart_institution="Ministère de l’Intérieur", summary="Réunion à Ottawa")]
    # Windows-1252 (Excel's "CSV" on Windows) is detected...
    rows_cp1252 = [COLUMNS, row(counterpart_institution="Ministère de l'Intérieur", summary="Réunion")]
    engagements_import(path=write_csv(tmp_path / "engagements.csv", rows_cp1252, encoding="cp1252"))
    assert Engagement.objects.get().counterpart_institution == "Ministère de l'Intérieur"
    # ... and a declared encoding the bytes do not match is refused.
    path = write_csv(tmp_path / "latin.csv", rows_cp1252, encoding="cp1252")
    errors = rejected(path, encoding="utf-8")
    assert errors[0][0] == "latin" and "is not valid utf-8 text" in errors[0][3]
    engagements_import(path=write_csv(tmp_path / "utf8.csv", rows))
    assert Engagement.objects.filter(counterpart_institution="Ministère de l’Intérieur").exists()


def test_a_missing_file_is_refused(tmp_path):
    assert rejected(tmp_path / "nothing.csv") == [
        (None, None, None, f"There is no file at {tmp_path / 'nothing.csv'}; give one CSV or XLSX file.")]
