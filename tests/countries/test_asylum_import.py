"""The asylum statistics import: all or nothing, every bad row reported exactly, idempotent, CSV or XLSX."""

import copy
import csv
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from countries.imports import asylum_import
from countries.models import AsylumStatistic, Country
from mcee.imports import ImportRejected
from mcee.models import ImportRun
from tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = ["country", "year", "claims", "irb_decided", "irb_rejected"]
VALID = [
    HEADER,
    ["XA", "2024", "1200", "800", "300"],
    ["XA", "2021", "900", "700", "250"],
    ["xb", "2024", "40", "0", "0"],  # lower case is fine; no IRB decision is fine
    ["XC", " 2023 ", "0", "15", "15"],
]
SHEET = "asylum"  # the CSV file's name, or the XLSX sheet's (lower case)


def valid():
    return copy.deepcopy(VALID)


def write_csv(path: Path, rows, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows, *, sheet="Asylum", numbers=True, extra_sheets=()) -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append([_cell(value, numbers) for value in row])
    for name in extra_sheets:
        workbook.create_sheet(name).append(["anything", "else"])
    workbook.save(path)
    return path


def _cell(value, numbers):
    if value == "":
        return None
    if numbers and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)  # a real number cell, as Excel saves it
    return value


@pytest.fixture(params=["csv", "xlsx"])
def write(request, tmp_path):
    """Write the rows as a CSV file or as an XLSX workbook; a test using this runs once for each."""
    counter = iter(range(100))

    def _write(rows):
        folder = tmp_path / f"f{next(counter)}"
        folder.mkdir()
        if request.param == "xlsx":
            return write_xlsx(folder / "asylum-figures.xlsx", rows)
        return write_csv(folder / "asylum.csv", rows)
    return _write


def snapshot():
    """Everything the import may write, updated_at included."""
    return {
        "statistics": list(AsylumStatistic.objects.order_by("pk").values()),
        "countries": list(Country.objects.order_by("pk").values()),
        "log": data_log_entries(),
    }


def data_log_entries():
    """Audit entries of the data; each run's own record (its ImportRun) is audited too."""
    return LogEntry.objects.exclude(content_type__model="importrun").count()


def figures():
    return {(s.country.code.code, s.year): (s.claims, s.irb_decided, s.irb_rejected)
            for s in AsylumStatistic.objects.select_related("country")}


def rejected(path, **kwargs):
    with pytest.raises(ImportRejected) as caught:
        asylum_import(path=path, **kwargs)
    return [(e.sheet, e.row, e.column, e.reason) for e in caught.value.errors]


# --- happy paths ------------------------------------------------------------------------------------

def test_a_valid_file_is_imported(write):
    CountryFactory(code="XA")
    result = asylum_import(path=write(valid()))
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert result.countries_created == ["XB", "XC"]  # XA was already recorded
    assert figures() == {("XA", 2024): (1200, 800, 300), ("XA", 2021): (900, 700, 250), ("XB", 2024): (40, 0, 0),
                         ("XC", 2023): (0, 15, 15)}
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.rows_read, run.rows_written) == ("asylum", "succeeded", 4, 4)
    assert run.counts == {SHEET: {"created": 4, "updated": 0, "unchanged": 0}, "countries_created": ["XB", "XC"]}


def test_the_first_sheet_of_a_workbook_is_read_whatever_its_name(tmp_path):
    path = write_xlsx(tmp_path / "irb.xlsx", valid(), sheet="Données 2024", extra_sheets=["Notes", "Sources"])
    result = asylum_import(path=path)
    assert result.created == 4
    rows = valid()
    rows[1][2] = "-1"
    path = write_xlsx(tmp_path / "bad.xlsx", rows, sheet="Données 2024", extra_sheets=["Notes"])
    assert rejected(path) == [("données 2024", 2, "claims", "The value cannot be negative.")]


def test_a_workbook_of_text_cells_is_read_the_same(tmp_path):
    asylum_import(path=write_xlsx(tmp_path / "text.xlsx", valid(), numbers=False))
    assert figures()[("XA", 2024)] == (1200, 800, 300)


def test_columns_may_come_in_any_order_and_any_case(tmp_path):
    rows = [["Year", "IRB_REJECTED", "country", "claims", "irb_decided"], ["2024", "3", "XA", "10", "5"]]
    asylum_import(path=write_csv(tmp_path / "asylum.csv", rows))
    assert figures() == {("XA", 2024): (10, 5, 3)}


def test_a_semicolon_csv_from_french_excel_is_read(tmp_path):
    asylum_import(path=write_csv(tmp_path / "asylum.csv", valid(), delimiter=";"))
    assert len(figures()) == 4


def test_the_documented_example_imports():
    result = asylum_import(path=EXAMPLES / "asylum.csv")
    assert (result.created, result.updated, result.unchanged) == (48, 0, 0)
    codes = ["XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XK", "XL", "XM"]
    assert result.countries_created == codes
    assert sorted(Country.objects.values_list("code", flat=True)) == codes  # fictional countries only
    assert AsylumStatistic.objects.filter(year=2024).count() == 12
    assert figures()[("XA", 2024)] == (4120, 2650, 1390)


def test_the_documented_example_ranks_as_the_user_guide_says():
    from countries.selectors import preventive_ranking

    asylum_import(path=EXAMPLES / "asylum.csv")
    rows = {r.code: r for r in preventive_ranking(year=2024)}
    assert len(rows) == 12
    # XA: 4120 claims (the most), 1390 / 2650 rejected, (4120 - 2100) / 2100 since 2021.
    xa = rows["XA"]
    assert (xa.claims_rank, str(xa.rejection_rate), str(xa.trend_3y)) == (1, "0.5245", "0.9619")
    assert (str(xa.claims_component), str(xa.rejection_component), str(xa.trend_component), str(xa.score)) == (
        "0.5000", "0.1574", "0.1924", "0.8498")
    assert xa.rank == 1
    assert rows["XG"].trend_3y is None  # no claims in 2021
    assert rows["XJ"].trend_3y is None and rows["XF"].trend_3y is None  # fewer than three years
    assert rows["XL"].rejection_rate is None  # no IRB decision


def test_known_rows_are_updated_and_unchanged_ones_not_rewritten(write):
    asylum_import(path=write(valid()))
    before = {s.pk: s.updated_at for s in AsylumStatistic.objects.all()}
    log_entries = data_log_entries()
    rows = valid()
    rows[1][4] = "350"  # XA 2024: rejections revised
    rows.append(["XD", "2024", "5", "1", "1"])
    result = asylum_import(path=write(rows))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 3)
    xa = AsylumStatistic.objects.get(country__code="XA", year=2024)
    assert xa.irb_rejected == 350
    assert xa.updated_at > before[xa.pk]
    for statistic in AsylumStatistic.objects.exclude(pk=xa.pk).exclude(country__code="XD"):
        assert statistic.updated_at == before[statistic.pk]
    assert data_log_entries() == log_entries + 3  # XA 2024 changed, XD created with its statistic


def test_importing_the_same_file_twice_changes_nothing(write):
    path = write(valid())
    asylum_import(path=path)
    state = snapshot()
    result = asylum_import(path=path)
    assert (result.created, result.updated, result.unchanged, result.countries_created) == (0, 0, 4, [])
    assert not result.changed
    assert snapshot() == state
    assert ImportRun.objects.filter(kind="asylum", status="succeeded").count() == 2


def test_statistics_not_in_the_file_are_left_alone(write):
    AsylumStatistic.objects.create(country=CountryFactory(code="XM"), year=2010, claims=1, irb_decided=1,
                                   irb_rejected=0)
    asylum_import(path=write(valid()))
    assert figures()[("XM", 2010)] == (1, 1, 0)


def test_a_windows_1252_csv_imports_and_its_errors_read_right(tmp_path):
    # French Excel on Windows: semicolons, Windows-1252, a non-breaking space (byte A0) after a value.
    path = tmp_path / "asylum.csv"
    path.write_bytes("country;year;claims;irb_decided;irb_rejected\r\nXA;2024;1200\xa0;800;300\r\n".encode("cp1252"))
    result = asylum_import(path=path)
    assert result.created == 1
    assert figures() == {("XA", 2024): (1200, 800, 300)}
    bad = tmp_path / "bad.csv"
    bad.write_bytes("country;year;claims;irb_decided;irb_rejected\r\nXÉ;2024;1;1;1\r\n".encode("cp1252"))
    assert rejected(bad) == [("bad", 2, "country", "“XÉ” is not a two-letter ISO country code (such as XA).")]
    # Declared explicitly, through the command.
    call_command("import_asylum", str(path), "--encoding", "cp1252", stdout=_Null())
    with pytest.raises(ImportRejected) as caught:
        asylum_import(path=path, encoding="utf-8")
    assert "is not valid utf-8 text" in caught.value.errors[0].reason


# --- bad input: exact row, column and reason, and nothing written ---------------------------------------

def _set(row, column, value):
    def change(rows):
        rows[row - 1][HEADER.index(column)] = value
    return change


def _append(*rows_to_add):
    def change(rows):
        rows.extend([list(r) for r in rows_to_add])
    return change


def _header(header):
    def change(rows):
        rows[0] = header
    return change


BAD_CASES = {
    "unknown country": (_set(3, "country", "ZZ"),
                        [(3, "country", "'ZZ' is not a known ISO 3166 country code.")]),
    "not a country code": (_set(2, "country", "XAA"),
                           [(2, "country", "“XAA” is not a two-letter ISO country code (such as XA).")]),
    "year not a number": (_set(2, "year", "2024a"), [(2, "year", "'2024a' is not a whole number.")]),
    "year with decimals": (_set(2, "year", "2024.5"), [(2, "year", "'2024.5' is not a whole number.")]),
    "year too early": (_set(4, "year", "1989"), [(4, "year", "'1989' is not a year between 1990 and 2100.")]),
    "year too late": (_set(4, "year", "2101"), [(4, "year", "'2101' is not a year between 1990 and 2100.")]),
    "negative claims": (_set(2, "claims", "-5"), [(2, "claims", "The value cannot be negative.")]),
    "negative decisions": (_set(5, "irb_decided", "-1"), [(5, "irb_decided", "The value cannot be negative.")]),
    "negative rejections": (_set(5, "irb_rejected", "-1"),
                            [(5, "irb_rejected", "The value cannot be negative.")]),
    "rejected above decided": (_set(3, "irb_rejected", "701"),
                               [(3, "irb_rejected", "IRB rejections cannot exceed IRB decisions.")]),
    "duplicate country and year": (
        _append(["xa", "2024", "1", "1", "1"]),
        [(6, "year", "XA / 2024 is already on row 2; each combination of country and year may appear only once.")]),
    "formula": (_set(2, "claims", "=SUM(C3:C4)"),
                [(2, "claims", "This looks like a spreadsheet formula; type the value itself.")]),
    "empty cell": (_set(4, "claims", ""), [(4, "claims", "A value is required.")]),
    "thousands separator": (_set(2, "claims", "1,200"), [(2, "claims", "'1,200' is not a whole number.")]),
    "unexpected column": (
        _header(HEADER + ["notes"]),
        [(1, "notes", "This column is not expected; the columns are country, year, claims, irb_decided, "
                      "irb_rejected.")]),
    "missing column": (
        lambda rows: [r.pop() for r in rows],
        [(1, "irb_rejected", "This column is missing from the header row.")]),
    "misspelt column": (
        _header(["country", "year", "claims", "irb_decisions", "irb_rejected"]),
        [(1, "irb_decisions", "This column is not expected; the columns are country, year, claims, irb_decided, "
                              "irb_rejected."),
         (1, "irb_decided", "This column is missing from the header row.")]),
    "header only": (lambda rows: rows.__delitem__(slice(1, None)),
                    [(None, None, "The sheet has a header row but no data rows.")]),
    "empty file": (lambda rows: rows.clear(),
                   [(None, None, "The sheet is empty; its first row must name the columns: country, year, claims, "
                                 "irb_decided, irb_rejected.")]),
    "several problems at once": (
        lambda rows: (_set(5, "year", "19")(rows), _set(2, "irb_rejected", "801")(rows),
                      _set(3, "country", "ZZ")(rows), _set(3, "claims", "@SUM(A1)")(rows)),
        [(2, "irb_rejected", "IRB rejections cannot exceed IRB decisions."),
         (3, "country", "'ZZ' is not a known ISO 3166 country code."),
         (3, "claims", "This looks like a spreadsheet formula; type the value itself."),
         (5, "year", "'19' is not a year between 1990 and 2100.")]),
}


@pytest.fixture
def recorded():
    """Figures already recorded, that the bad files would change if anything were written."""
    xa = CountryFactory(code="XA")
    AsylumStatistic.objects.create(country=xa, year=2024, claims=1, irb_decided=1, irb_rejected=1)
    AsylumStatistic.objects.create(country=xa, year=2021, claims=2, irb_decided=2, irb_rejected=2)


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_a_bad_file_is_reported_exactly_and_nothing_is_written(write, recorded, case):
    change, expected = BAD_CASES[case]
    rows = valid()
    change(rows)
    path = write(rows)
    state = snapshot()
    errors = rejected(path)
    assert [(row, column, reason) for _sheet, row, column, reason in errors] == expected
    assert {sheet for sheet, *_rest in errors} == {SHEET}
    assert snapshot() == state  # not XA's figures, not XB or XC as countries, not the audit trail
    run = ImportRun.objects.get(kind="asylum")
    assert run.status == "rejected"
    assert [(e["row"], e["column"], e["reason"]) for e in run.errors] == expected


def test_a_path_that_is_not_a_file_is_refused(tmp_path):
    assert rejected(tmp_path / "missing.csv") == [
        (None, None, None, f"There is no file at {tmp_path / 'missing.csv'}; give one CSV or XLSX file.")]
    assert rejected(tmp_path)[0][3].startswith("There is no file at")
    assert not ImportRun.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "asylum.xlsx"
    path.write_bytes(b"not a zip file")
    assert rejected(path) == [(None, None, None, "The file cannot be read as an XLSX workbook.")]


# --- the command ---------------------------------------------------------------------------------------

class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def run(*args):
    import io

    out, err = io.StringIO(), io.StringIO()
    call_command("import_asylum", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_a_summary(write):
    out, _err = run(write(valid()))
    assert "Asylum statistics: 4 created, 0 updated, 0 unchanged" in out
    assert "Countries added: XA, XB, XC" in out
    assert "The asylum statistics were imported." in out


def test_the_command_says_when_nothing_changed_and_that_the_file_was_seen_before(write):
    path = write(valid())
    run(path)
    out, _err = run(path)
    assert "This file was already imported on" in out
    assert "Asylum statistics: 0 created, 0 updated, 4 unchanged" in out
    assert "Nothing changed: the database already matches the file." in out


def test_the_command_prints_every_error_and_fails_having_written_nothing(write):
    rows = valid()
    rows[2][4] = "701"
    rows[3][0] = "ZZ"
    path = write(rows)
    import io

    err = io.StringIO()
    with pytest.raises(CommandError, match=r"The file was rejected \(2 problems\); nothing was written."):
        call_command("import_asylum", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "sheet asylum, row 3, column irb_rejected: IRB rejections cannot exceed IRB decisions.",
        "sheet asylum, row 4, column country: 'ZZ' is not a known ISO 3166 country code.",
    ]
    assert not AsylumStatistic.objects.exists()


def test_the_command_speaks_french(write):
    rows = valid()
    rows[2][4] = "701"
    import io

    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Le fichier a été refusé"):
        call_command("import_asylum", str(write(rows)), "--lang", "fr", stdout=io.StringIO(), stderr=err)
    assert "Les rejets de la CISR ne peuvent pas dépasser les décisions de la CISR." in err.getvalue()
    out, _err = run(write(valid()), "--lang", "fr")
    assert "Statistiques sur l’asile\u00a0: 4 créées, 0 mises à jour, 0 inchangées" in out
    assert translation.get_language() == "en"


def test_the_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run(tmp_path / "nowhere.csv")


def test_the_import_is_in_the_audit_trail_as_an_import_by_its_user(write, superuser):
    asylum_import(path=write(valid()), user=superuser)
    entries = LogEntry.objects.filter(content_type__model="asylumstatistic")
    assert entries.count() == 4
    assert {(e.actor_id, e.additional_data["source"]) for e in entries} == {(superuser.pk, "import")}
