"""The travel-document imports (cases and monthly figures): all or nothing, every bad row reported
exactly with proof that nothing changed, update in place by keyed hash, never the raw reference."""

import copy
import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from openpyxl import Workbook

from countries.imports import td_cases_import, td_monthly_import
from countries.models import TravelDocumentCase, TravelDocumentMonth
from countries.models.travel_documents import case_key, case_keys
from mcee.imports import ImportRejected
from mcee.models import ImportRun
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CASE_HEADER = ["case_ref", "country", "requested_on", "issued_on", "outcome", "document_type", "validity_days",
               "interview_required", "priority"]
CASES = [
    CASE_HEADER,
    ["CASE-0001", "XA", "2024-03-04", "2024-04-15", "issued", "passport", "30", "yes", "high"],
    ["CASE-0002", "XA", "2024-04-01", "", "pending", "", "", "no", "normal"],
    ["CASE-0003", "xb", "2024-05-10", "", "refused", "", "", "", ""],
]
MONTHLY_HEADER = ["country", "month", "requested", "issued", "refused", "pending_end", "added_to_inventory",
                  "removals"]
MONTHLY = [
    MONTHLY_HEADER,
    ["XA", "2024-04", "12", "7", "1", "30", "15", "6"],
    ["XA", "2024-05", "9", "8", "0", "31", "", "7"],
    ["XB", "2024-04", "4", "1", "2", "11", "5", "1"],
]


@pytest.fixture(autouse=True)
def countries():
    return [CountryFactory(code=code) for code in ("XA", "XB")]


def write_csv(path: Path, rows, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append([value if value != "" else None for value in row])
    workbook.save(path)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def write(request, tmp_path):
    counter = iter(range(100))

    def _write(rows, name="td"):
        folder = tmp_path / f"f{next(counter)}"
        folder.mkdir()
        if request.param == "xlsx":
            return write_xlsx(folder / f"{name}.xlsx", rows)
        return write_csv(folder / f"{name}.csv", rows)
    return _write


def snapshot():
    return {"cases": list(TravelDocumentCase.objects.order_by("pk").values()),
            "months": list(TravelDocumentMonth.objects.order_by("pk").values())}


def rejected(importer, path, **kwargs):
    before = snapshot()
    with pytest.raises(ImportRejected) as caught:
        importer(path=path, **kwargs)
    assert snapshot() == before, "a refused file changed something"
    run = ImportRun.objects.order_by("-pk").first()
    assert run.status == ImportRun.Status.REJECTED
    return [(e.row, e.column, e.reason) for e in caught.value.errors]


def with_row(rows, index, column, value):
    rows = copy.deepcopy(rows)
    rows[index][rows[0].index(column)] = value
    return rows


# --- happy paths ------------------------------------------------------------------------------------

def test_cases_are_imported_with_a_keyed_hash_and_days_to_issue(write):
    calls = []
    result = td_cases_import(path=write(CASES), progress=lambda *counts: calls.append(counts))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    first = TravelDocumentCase.objects.get(case_key=case_key("CASE-0001"))
    assert (first.country.code.code, first.outcome, first.days_to_issue, first.interview_required,
            first.validity_days) == ("XA", "issued", 42, True, 30)
    assert TravelDocumentCase.objects.get(case_key=case_key("CASE-0003")).country.code.code == "XB"
    assert calls[0] == (3, 0, 0) and calls[-1] == (3, 3, 3)
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.rows_read, run.rows_written) == ("td_cases", "succeeded", 3, 3)


def test_the_raw_case_reference_is_stored_nowhere(write):
    td_cases_import(path=write(CASES))
    stored = str(snapshot()) + str(list(ImportRun.objects.values()))
    assert "CASE-000" not in stored


def test_a_pending_case_becomes_issued_in_place(write):
    td_cases_import(path=write(CASES))
    pending = TravelDocumentCase.objects.get(case_key=case_key("CASE-0002"))
    updated = with_row(with_row(CASES, 2, "outcome", "issued"), 2, "issued_on", "2024-05-01")
    result = td_cases_import(path=write(updated))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert TravelDocumentCase.objects.count() == 3
    pending.refresh_from_db()
    assert (pending.outcome, pending.issued_on.isoformat(), pending.days_to_issue) == ("issued", "2024-05-01", 30)


def test_importing_the_same_file_twice_changes_nothing(write):
    path = write(CASES)
    td_cases_import(path=path)
    before = snapshot()
    result = td_cases_import(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot() == before


def test_monthly_figures_are_imported_and_updated(write):
    result = td_monthly_import(path=write(MONTHLY))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    may = TravelDocumentMonth.objects.get(country__code="XA", month="2024-05-01")
    assert (may.requested, may.issued, may.added_to_inventory, may.removals) == (9, 8, None, 7)
    result = td_monthly_import(path=write(with_row(MONTHLY, 2, "added_to_inventory", "4")))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    may.refresh_from_db()
    assert may.added_to_inventory == 4
    assert ImportRun.objects.filter(kind="td_monthly", status="succeeded").count() == 2


def test_windows_1252_is_detected_and_a_bom_is_accepted(tmp_path):
    rows = with_row(CASES, 1, "document_type", "passeport d'urgence – émis")
    td_cases_import(path=write_csv(tmp_path / "cp.csv", rows, encoding="cp1252"))
    assert TravelDocumentCase.objects.get(case_key=case_key("CASE-0001")).document_type.endswith("émis")
    td_monthly_import(path=write_csv(tmp_path / "bom.csv", MONTHLY, encoding="utf-8-sig"))
    assert TravelDocumentMonth.objects.count() == 3


def test_the_example_files_import():
    CountryFactory(code="XC")
    CountryFactory(code="XM")
    assert td_cases_import(path=EXAMPLES / "td-cases.csv").created == 8
    assert td_monthly_import(path=EXAMPLES / "td-monthly.csv").created == 5


# --- every bad input, with its message, and nothing changed -------------------------------------------

def test_wrong_columns(write):
    rows = copy.deepcopy(CASES)
    rows[0] = ["case_ref", "country", "requested", "issued_on", "outcome", "document_type", "validity_days",
               "interview_required", "priority", "name"]
    assert rejected(td_cases_import, write(rows)) == [
        (1, "requested", "This column is not expected; the columns are " + ", ".join(CASE_HEADER) + "."),
        (1, "name", "This column is not expected; the columns are " + ", ".join(CASE_HEADER) + "."),
        (1, "requested_on", "This column is missing from the header row."),
    ]


def test_bad_dates(write):
    rows = with_row(with_row(CASES, 1, "requested_on", "04/03/2024"), 2, "requested_on", "2024-02-30")
    assert rejected(td_cases_import, write(rows)) == [
        (2, "requested_on", "'04/03/2024' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
        (3, "requested_on", "'2024-02-30' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
    ]
    assert rejected(td_monthly_import, write(with_row(MONTHLY, 1, "month", "2024-13"))) == [
        (2, "month", "'2024-13' is not a month; write it as YYYY-MM, for example 2024-04."),
    ]


def test_issue_before_request(write):
    td_cases_import(path=write(CASES))
    rows = with_row(with_row(CASES, 2, "issued_on", "2024-03-31"), 2, "outcome", "issued")
    assert rejected(td_cases_import, write(rows)) == [
        (3, "issued_on", "The issue date 2024-03-31 is before the request date 2024-04-01."),
    ]


def test_an_issued_case_needs_its_date(write):
    assert rejected(td_cases_import, write(with_row(CASES, 2, "outcome", "issued"))) == [
        (3, "issued_on", "An issued travel document needs its issue date."),
    ]


def test_negative_counts(write):
    rows = with_row(with_row(MONTHLY, 1, "issued", "-3"), 3, "added_to_inventory", "-1")
    assert rejected(td_monthly_import, write(rows)) == [
        (2, "issued", "The value cannot be negative."),
        (4, "added_to_inventory", "The value cannot be negative."),
    ]
    assert rejected(td_cases_import, write(with_row(CASES, 1, "validity_days", "-30"))) == [
        (2, "validity_days", "The value cannot be negative."),
    ]


def test_unknown_country(write):
    assert rejected(td_cases_import, write(with_row(CASES, 1, "country", "FR"))) == [
        (2, "country", "'FR' is not a country recorded in the MCEE; add it under Countries first."),
    ]
    assert rejected(td_monthly_import, write(with_row(MONTHLY, 3, "country", "Q1"))) == [
        (4, "country", "“Q1” is not a two-letter ISO country code (such as XA)."),
    ]


def test_unknown_outcome(write):
    assert rejected(td_cases_import, write(with_row(CASES, 3, "outcome", "lost"))) == [
        (4, "outcome", "'lost' is not one of the allowed values: issued, refused, pending, withdrawn, expired."),
    ]


def test_duplicate_case_in_one_file(write):
    rows = copy.deepcopy(CASES) + [["CASE-0002", "XB", "2024-06-01", "", "pending", "", "", "", ""]]
    errors = rejected(td_cases_import, write(rows))
    assert errors == [(5, "case_ref", "This case is already on row 3; each case_ref may appear only once.")]
    assert "CASE-0002" not in str(ImportRun.objects.order_by("-pk").first().errors)


def test_duplicate_month_in_one_file(write):
    rows = copy.deepcopy(MONTHLY) + [["XA", "2024-04", "1", "1", "0", "0", "", "0"]]
    assert rejected(td_monthly_import, write(rows)) == [
        (5, "month", "XA / 2024-04-01 is already on row 2; each combination of country and month may appear "
                     "only once."),
    ]


def test_wrong_encoding(tmp_path):
    path = write_csv(tmp_path / "td.csv", with_row(CASES, 1, "document_type", "émis"), encoding="cp1252")
    assert rejected(td_cases_import, path, encoding="utf-8") == [
        (None, None, "The file is not valid utf-8 text (byte 148 cannot be read)."),
    ]
    undecodable = tmp_path / "broken.csv"
    undecodable.write_bytes(",".join(MONTHLY_HEADER).encode() + b"\nXA,2024-04,1,1,0,0,\x81\xff,0\n")
    assert rejected(td_monthly_import, undecodable) == [
        (None, None, "The file is neither UTF-8 nor Windows-1252 text; save it as “CSV UTF-8” and try again."),
    ]


def test_empty_file(tmp_path):
    empty = tmp_path / "td.csv"
    empty.write_bytes(b"")
    assert rejected(td_cases_import, empty) == [
        (None, None, "The sheet is empty; its first row must name the columns: " + ", ".join(CASE_HEADER) + "."),
    ]
    header_only = write_csv(tmp_path / "monthly.csv", [MONTHLY_HEADER])
    assert rejected(td_monthly_import, header_only) == [(None, None, "The sheet has a header row but no data rows.")]


def test_formula_cell(write):
    rows = with_row(CASES, 1, "document_type", '=HYPERLINK("http://example.invalid","passport")')
    assert rejected(td_cases_import, write(rows)) == [
        (2, "document_type", "This looks like a spreadsheet formula; type the value itself."),
    ]


# --- the command ---------------------------------------------------------------------------------

def test_the_command_imports_and_recognises_a_file_already_imported(tmp_path, capsys):
    path = write_csv(tmp_path / "td.csv", CASES)
    call_command("import_td", str(path), "--kind", "cases")
    call_command("import_td", str(path), "--kind", "cases")
    out = capsys.readouterr().out
    assert "Travel-document data: 3 created, 0 updated, 0 unchanged" in out
    assert "This file was already imported on" in out
    assert "Nothing changed: the database already matches the file." in out


def test_the_command_reports_every_problem_in_french(tmp_path, capsys):
    path = write_csv(tmp_path / "monthly.csv", with_row(MONTHLY, 1, "issued", "-3"))
    with pytest.raises(CommandError) as caught:
        call_command("import_td", str(path), "--kind", "monthly", "--lang", "fr")
    assert "rien n’a été enregistré" in str(caught.value)
    assert "issued" in capsys.readouterr().err
    assert TravelDocumentMonth.objects.count() == 0


def test_the_command_accepts_a_declared_encoding(tmp_path):
    path = write_csv(tmp_path / "td.csv", with_row(CASES, 1, "document_type", "émis"), encoding="cp1252")
    call_command("import_td", str(path), "--kind", "cases", "--encoding", "cp1252")
    assert TravelDocumentCase.objects.get(case_key=case_key("CASE-0001")).document_type == "émis"


# --- the import at volume: read by column, written through COPY on PostgreSQL ----------------------------

def test_every_problem_of_a_row_is_reported_in_reading_order(write):
    rows = copy.deepcopy(CASES) + [
        [""] * 9,  # row 5, blank: skipped, yet counted in the numbering
        ["CASE-0001 ", "FR", "2024-02-30", "2024-01-01", "ISSUED", "", "", "maybe", ""],
        ["CASE-0007", "xa", "2024-05-01", "2024-04-30", "issued", "", "", "oui", ""],
        ["  ", "XB", "", "", "issued", "", "", "", ""],
    ]
    assert rejected(td_cases_import, write(rows)) == [
        (6, "requested_on", "'2024-02-30' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
        (6, "interview_required", "'maybe' is not yes or no."),
        (6, "country", "'FR' is not a country recorded in the MCEE; add it under Countries first."),
        (6, "case_ref", "This case is already on row 2; each case_ref may appear only once."),
        (7, "issued_on", "The issue date 2024-04-30 is before the request date 2024-05-01."),
        (8, "case_ref", "A value is required."),
        (8, "requested_on", "A value is required."),
        (8, "issued_on", "An issued travel document needs its issue date."),
    ]


def test_case_refs_that_may_be_refused_go_through_the_parser(write):
    rows = copy.deepcopy(CASES)
    rows[1][0], rows[2][0], rows[3][0] = "x" * 101, "+SUM(A1)", "-1"  # "-1" is no formula: a reference
    assert rejected(td_cases_import, write(rows)) == [
        (2, "case_ref", "The text is 101 characters long; at most 100 are allowed."),
        (3, "case_ref", "This looks like a spreadsheet formula; type the value itself."),
    ]


def test_the_formula_shortcut_covers_every_formula_the_reader_refuses():
    from countries.imports import _FORMULA_STARTS
    from mcee.imports import _FORMULA

    starts = {chr(code) for code in range(0x250) for follow in "A(=x1 "
              if _FORMULA.match(chr(code) + follow)}
    assert starts <= _FORMULA_STARTS


def test_values_are_read_as_the_row_by_row_reader_reads_them(write):
    rows = copy.deepcopy(CASES) + [
        [""] * 9,
        [" CASE-0005 ", " xb ", " 2024-06-01 ", "2024-06-03 00:00:00", "Issued", "a\tb\\c\nd « é »", "007", "OUI",
         " x "],
        ["CASE-0006", "XA", "2024-06-02", "", "withdrawn", "", "+5", "non", ""],
    ]
    result = td_cases_import(path=write(rows))
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    fifth = TravelDocumentCase.objects.get(case_key=case_key("CASE-0005"))
    assert (fifth.country.code.code, fifth.requested_on.isoformat(), fifth.issued_on.isoformat(), fifth.outcome,
            fifth.document_type, fifth.validity_days, fifth.interview_required, fifth.priority,
            fifth.days_to_issue) == ("XB", "2024-06-01", "2024-06-03", "issued", "a\tb\\c\nd « é »", 7, True, "x", 2)
    sixth = TravelDocumentCase.objects.get(case_key=case_key("CASE-0006"))
    assert (sixth.issued_on, sixth.validity_days, sixth.interview_required, sixth.days_to_issue) == (None, 5, False,
                                                                                                      None)
    assert ImportRun.objects.get().rows_read == 5


def test_a_progress_callback_may_use_the_database_while_the_import_writes(write):
    seen = []

    def progress(*counts):
        raw = connection.connection
        busy = getattr(raw, "lock", None)  # psycopg: held while a COPY is under way
        assert busy is None or not busy.locked(), "progress called while the connection was busy"
        seen.append((counts, ImportRun.objects.count()))

    td_cases_import(path=write(CASES), progress=progress)
    td_cases_import(path=write(with_row(CASES, 2, "priority", "urgent")), progress=progress)
    assert seen[-1] == ((3, 3, 1), 2)


def test_the_keyed_hash_in_bulk_is_the_keyed_hash(settings):
    references = ["CASE-0001", " CASE-0001 ", "é" * 200, ""]
    for key in ("short", "k" * 64, "k" * 65, "clé-" * 40):
        settings.MCEE_CASE_REF_KEY = key
        assert case_keys(references) == [case_key(reference) for reference in references]


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")


def table_definition():
    """The case table's indexes and constraints, as PostgreSQL describes them."""
    table = TravelDocumentCase._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = %s::regclass ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                       "ORDER BY 1", [table])
        return indexes, cursor.fetchall()


@pytest.fixture
def set_aside(monkeypatch):
    """What each call of the import's _set_aside gave: None when it set nothing aside."""
    from countries import imports

    original, outcomes = imports._set_aside, []

    def spy(*args):
        outcomes.append(original(*args))
        return outcomes[-1]

    monkeypatch.setattr(imports, "_set_aside", spy)
    return outcomes


@postgresql_only
def test_a_first_import_sets_indexes_aside_and_rebuilds_them_as_they_were(write, set_aside):
    outcomes = set_aside
    before = table_definition()
    assert any("UNIQUE" in definition for _name, definition in before[1])
    td_cases_import(path=write(CASES))
    assert len(outcomes) == 1 and outcomes[0] is not None, "the first import did not take the bulk path"
    assert table_definition() == before
    td_cases_import(path=write(with_row(CASES, 2, "outcome", "withdrawn")))
    assert len(outcomes) == 1, "an import into a table with cases sets nothing aside"
    assert TravelDocumentCase.objects.get(case_key=case_key("CASE-0002")).outcome == "withdrawn"


@postgresql_only
def test_a_first_import_that_cannot_set_indexes_aside_goes_through_the_staging_table(write, set_aside):
    from django.db import connections

    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # another reader of the table: no exclusive lock now
            cursor.execute(f"SELECT count(*) FROM {TravelDocumentCase._meta.db_table}")
        before = table_definition()
        result = td_cases_import(path=write(CASES))
        assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
        assert set_aside == [None]
        assert table_definition() == before
    finally:
        other.rollback()
        other.close()
    first = TravelDocumentCase.objects.get(case_key=case_key("CASE-0001"))
    assert (first.days_to_issue, first.validity_days, first.interview_required) == (42, 30, True)


@postgresql_only
def test_a_refused_write_on_postgresql_leaves_the_table_as_it_was(write, monkeypatch):
    from countries import imports

    def broken_rows(*args, **kwargs):
        yield 1, b"not COPY data"

    monkeypatch.setattr(imports, "_copy_rows", broken_rows)
    before = table_definition()
    with pytest.raises(DatabaseError):
        td_cases_import(path=write(CASES))
    assert table_definition() == before
    assert TravelDocumentCase.objects.count() == 0
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
