"""The spreadsheet-import framework: reading, encodings, declared columns, row numbers, errors."""

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook

from mcee.fiscal import FiscalYear
from mcee.imports import (
    Column,
    ErrorCollector,
    ImportRejected,
    RowError,
    SheetSpec,
    choice,
    country_code,
    decimal,
    fiscal_year,
    integer,
    iso_date,
    money,
    parse_cell,
    parse_sheet,
    parse_workbook,
    read_csv,
    read_workbook,
    read_xlsx,
    text,
)

PLACES = SheetSpec("places", [
    Column("code", text()),
    Column("name", text()),
    Column("amount", money(), required=False),
], key=("code",))


def parse_csv_bytes(tmp_path, data: bytes, spec=PLACES, **kwargs):
    path = tmp_path / f"{spec.name}.csv"
    path.write_bytes(data)
    errors = ErrorCollector()
    rows = parse_sheet(read_csv(path, sheet=spec.name, **kwargs), spec, errors)
    return rows, errors.sorted()


def reasons(errors):
    return [(e.sheet, e.row, e.column, e.reason) for e in errors]


# --- encodings ------------------------------------------------------------------------------------

def test_utf8_with_bom_reads_the_first_column_name_cleanly(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, "\ufeffcode,name,amount\nXA,Côte,10\n".encode())
    assert errors == []
    assert rows[0].values == {"code": "XA", "name": "Côte", "amount": Decimal("10")}


def test_utf8_without_bom(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, "code,name,amount\nXA,Côte-Nord,\n".encode())
    assert errors == []
    assert rows[0]["name"] == "Côte-Nord"


def test_windows_1252_is_detected_when_the_bytes_are_not_utf8(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, "code,name,amount\nXA,Côte – « Sud »,\n".encode("cp1252"))
    assert errors == []
    assert rows[0]["name"] == "Côte – « Sud »"


def test_a_declared_encoding_is_used(tmp_path):
    data = "code,name,amount\nXA,Côte,\n".encode("cp1252")
    rows, _ = parse_csv_bytes(tmp_path, data, encoding="latin-1")
    assert rows[0]["name"] == "Côte"


def test_a_declared_encoding_that_does_not_fit_the_bytes_is_refused(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        parse_csv_bytes(tmp_path, "code,name,amount\nXA,Côte,\n".encode("cp1252"), encoding="utf-8")
    assert reasons(caught.value.errors) == [
        ("places", None, None, "The file is not valid utf-8 text (byte 22 cannot be read).")]


def test_an_unknown_declared_encoding_is_refused(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        parse_csv_bytes(tmp_path, b"code,name,amount\n", encoding="klingon-8")
    assert reasons(caught.value.errors) == [("places", None, None, "'klingon-8' is not a known text encoding.")]


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        parse_csv_bytes(tmp_path, b"code,name,amount\nXA,\x81\x8d,\n")
    assert str(caught.value) == ("sheet places: The file is neither UTF-8 nor Windows-1252 text; "
                                 "save it as \u201cCSV UTF-8\u201d and try again.")


def test_semicolon_separated_csv_from_french_excel(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, "code;name;amount\nXA;Côte, Sud;12.50\n".encode())
    assert errors == []
    assert rows[0].values == {"code": "XA", "name": "Côte, Sud", "amount": Decimal("12.50")}


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path):
    with pytest.raises(ImportRejected) as caught:
        parse_csv_bytes(tmp_path, b"code,name,amount\nXA,a,1,extra\n")
    assert caught.value.errors[0].sheet == "places"
    assert "more cells than the header" in caught.value.errors[0].reason


# --- text is text ---------------------------------------------------------------------------------

def test_cells_are_read_as_text_not_coerced(tmp_path):
    spec = SheetSpec("codes", [Column("code", text()), Column("note", text(), required=False, default="")])
    rows, errors = parse_csv_bytes(tmp_path, b"code,note\n007,NA\n1e5,null\n", spec=spec)
    assert errors == []
    assert [r.values for r in rows] == [{"code": "007", "note": "NA"}, {"code": "1e5", "note": "null"}]


# --- formulas -------------------------------------------------------------------------------------

FORMULA = "This looks like a spreadsheet formula; type the value itself."


@pytest.mark.parametrize("value", ['=HYPERLINK("http://example.invalid","click")', "=1+1", "+cmd|' /C calc'!A0",
                                   "-SUM(A1:A2)", "@SUM(A1)", "-(1)"])
def test_formula_like_cells_are_refused_in_any_column(value):
    for column in (Column("name", text()), Column("amount", money())):
        with pytest.raises(ValueError, match=r"^This looks like a spreadsheet formula"):
            parse_cell(value, column)


@pytest.mark.parametrize("value", ["- a bullet point", "Côte-Nord", "e-mail", "100% = all", "+1 613 555 0100"])
def test_ordinary_text_is_not_mistaken_for_a_formula(value):
    assert parse_cell(value, Column("name", text())) == value


def test_a_plain_negative_number_gets_the_numeric_reason_not_the_formula_one():
    with pytest.raises(ValueError, match=r"^The value cannot be negative\.$"):
        parse_cell("-5000", Column("amount", money()))
    with pytest.raises(ValueError, match=r"^The value cannot be negative\.$"):
        parse_cell("-3", Column("count", integer()))


def test_a_formula_in_a_csv_is_reported_with_its_row_and_column(tmp_path):
    _, errors = parse_csv_bytes(tmp_path, b'code,name,amount\nXA,"=HYPERLINK(""http://x"",""y"")",1\n')
    assert reasons(errors) == [("places", 2, "name", FORMULA)]


def test_a_real_formula_cell_in_an_xlsx_is_refused_not_replaced_by_its_value(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Places"
    sheet.append(["code", "name", "amount"])
    sheet.append(["XA", '=HYPERLINK("http://example.invalid","click")', "=2*3"])
    workbook.save(tmp_path / "book.xlsx")
    errors = ErrorCollector()
    parse_sheet(read_xlsx(tmp_path / "book.xlsx")["places"], PLACES, errors)
    assert reasons(errors.sorted()) == [("places", 2, "name", FORMULA), ("places", 2, "amount", FORMULA)]


# --- header ---------------------------------------------------------------------------------------

def test_missing_unknown_and_duplicated_columns_are_all_reported(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b"Code,nmae,code\nXA,a,b\n")
    assert rows is None  # nothing below a wrong header is trusted
    assert reasons(errors) == [
        ("places", 1, "nmae", "This column is not expected; the columns are code, name, amount."),
        ("places", 1, "code", "This column appears twice in the header row."),
        ("places", 1, "name", "This column is missing from the header row."),
        ("places", 1, "amount", "This column is missing from the header row."),
    ]


def test_header_names_ignore_case_and_spaces_and_columns_may_come_in_any_order(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b" Amount ,NAME,code\n5,b,XB\n")
    assert errors == []
    assert rows[0].values == {"code": "XB", "name": "b", "amount": Decimal("5")}


def test_an_unnamed_column_with_values_is_reported_but_an_empty_one_is_ignored(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b"code,name,amount,\nXA,a,1,\n")
    assert errors == [] and len(rows) == 1
    rows, errors = parse_csv_bytes(tmp_path, b"code,name,amount,\nXA,a,1,oops\n")
    assert rows is None
    assert reasons(errors) == [("places", 1, None, "Column number 4 has values but no name in the header row.")]


# --- empty files and sheets -----------------------------------------------------------------------

def test_an_empty_file_is_reported(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b"")
    assert rows is None
    assert [str(e) for e in errors] == [
        "sheet places: The sheet is empty; its first row must name the columns: code, name, amount."]


def test_a_sheet_with_only_a_header_is_reported_unless_allowed(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b"code,name,amount\n\n")
    assert rows == []
    assert [str(e) for e in errors] == ["sheet places: The sheet has a header row but no data rows."]
    optional = SheetSpec("places", PLACES.columns, allow_empty=True)
    rows, errors = parse_csv_bytes(tmp_path, b"code,name,amount\n", spec=optional)
    assert rows == [] and errors == []


def test_an_empty_xlsx_sheet_is_reported(tmp_path):
    workbook = Workbook()
    workbook.active.title = "places"
    workbook.save(tmp_path / "book.xlsx")
    errors = ErrorCollector()
    assert parse_sheet(read_xlsx(tmp_path / "book.xlsx")["places"], PLACES, errors) is None
    assert "The sheet is empty" in errors.errors[0].reason


# --- row numbers, as a person sees them -------------------------------------------------------------

def test_row_numbers_count_the_header_as_row_1_and_keep_blank_and_multiline_rows(tmp_path):
    data = b'code,name,amount\nXA,"two\nlines",1\n\nXB,b,lots\n,,\nXC,c,-2\n'
    rows, errors = parse_csv_bytes(tmp_path, data)
    assert [r.number for r in rows] == [2, 4, 6]
    assert rows[0]["name"] == "two\nlines"
    assert reasons(errors) == [
        ("places", 4, "amount", "'lots' is not a number; write digits with a dot for decimals, for example 250000.00."),
        ("places", 6, "amount", "The value cannot be negative."),
    ]
    assert [r.valid for r in rows] == [True, False, False]


def test_row_numbers_in_xlsx_keep_blank_rows(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "places"
    sheet.append(["code", "name", "amount"])
    sheet.append(["XA", "a", 1])
    sheet.append([None, None, None])
    sheet.append(["XB", None, 2.5])
    workbook.save(tmp_path / "book.xlsx")
    errors = ErrorCollector()
    rows = parse_sheet(read_xlsx(tmp_path / "book.xlsx")["places"], PLACES, errors)
    assert [(r.number, r.get("amount")) for r in rows] == [(2, Decimal("1")), (4, Decimal("2.5"))]
    assert reasons(errors.errors) == [("places", 4, "name", "A value is required.")]


def test_a_repeated_key_is_reported_on_the_second_row_naming_the_first(tmp_path):
    rows, errors = parse_csv_bytes(tmp_path, b"code,name,amount\nXA,a,\nXB,b,\nXA,c,\n")
    assert reasons(errors) == [("places", 4, "code", "XA is already on row 2; each code may appear only once.")]
    assert [r.valid for r in rows] == [True, True, False]


# --- collecting and formatting ----------------------------------------------------------------------

def test_every_bad_row_of_every_sheet_is_reported_in_sheet_then_row_order(tmp_path):
    other = SheetSpec("counts", [Column("code", text()), Column("count", integer())])
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "places.csv").write_bytes(b"code,name,amount\nXA,,1\nXB,b,1.234\nXC,c,x\n")
    (tmp_path / "book" / "counts.csv").write_bytes(b"code,count\nXA,1.5\nXB,2\nXC,=A1\n")
    (tmp_path / "book" / "notes.txt").write_bytes(b"not a sheet, ignored")
    errors = ErrorCollector()
    parsed = parse_workbook(read_workbook(tmp_path / "book"), [PLACES, other], errors)
    assert set(parsed) == {"places", "counts"}
    with pytest.raises(ImportRejected) as caught:
        errors.raise_if_any()
    assert caught.value.format().splitlines() == [
        "sheet places, row 2, column name: A value is required.",
        "sheet places, row 3, column amount: '1.234' has more than 2 decimal places.",
        "sheet places, row 4, column amount: 'x' is not a number; write digits with a dot for decimals, "
        "for example 250000.00.",
        "sheet counts, row 2, column count: '1.5' is not a whole number.",
        "sheet counts, row 4, column count: This looks like a spreadsheet formula; type the value itself.",
    ]


def test_missing_and_unexpected_sheets_are_reported(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "place.csv").write_bytes(b"code,name,amount\nXA,a,1\n")
    errors = ErrorCollector()
    assert parse_workbook(read_workbook(tmp_path / "book"), [PLACES], errors) is None
    assert [str(e) for e in errors.sorted()] == [
        "sheet places: This sheet is missing; the workbook needs the sheets places.",
        "sheet place: This sheet is not expected; the workbook should have only the sheets places.",
    ]


def test_every_unreadable_csv_of_a_folder_is_reported(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.csv").write_bytes(b"x\n\x81\n")
    (tmp_path / "book" / "b.csv").write_bytes(b"x\n\x8d\n")
    with pytest.raises(ImportRejected) as caught:
        read_workbook(tmp_path / "book")
    assert [e.sheet for e in caught.value.errors] == ["a", "b"]


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    (tmp_path / "book.xlsx").write_bytes(b"this is not a zip file")
    with pytest.raises(ImportRejected) as caught:
        read_workbook(tmp_path / "book.xlsx")
    assert str(caught.value) == "The file cannot be read as an XLSX workbook."


def test_error_lines_are_formatted_for_a_person():
    assert str(RowError("projects", 4, "approved_amount", "Too much.")) == (
        "sheet projects, row 4, column approved_amount: Too much.")
    assert str(RowError("projects", 4, None, "Bad row.")) == "sheet projects, row 4: Bad row."
    assert str(RowError("projects", None, "share", "Bad.")) == "sheet projects, column share: Bad."
    assert str(RowError("projects", None, None, "Missing.")) == "sheet projects: Missing."


# --- parsers ----------------------------------------------------------------------------------------

def test_parsers_turn_text_into_typed_values():
    assert text(max_length=5)("abc") == "abc"
    assert integer()("42") == 42
    assert decimal(places=2, minimum=Decimal("0.01"), maximum=100)("99.5") == Decimal("99.5")
    assert money()("250000.00") == Decimal("250000.00")
    assert iso_date()("2024-04-01") == dt.date(2024, 4, 1)
    assert iso_date()("2024-04-01 00:00:00") == dt.date(2024, 4, 1)  # how an XLSX date cell reads
    assert fiscal_year()("2024-25") == FiscalYear(2024)
    assert choice(["active", "closed"])("Active") == "active"
    assert country_code()("xa") == "XA"
    assert country_code()("FR") == "FR"


@pytest.mark.parametrize(("parser", "value", "reason"), [
    (text(max_length=3), "abcd", "The text is 4 characters long; at most 3 are allowed."),
    (integer(), "4.0", "'4.0' is not a whole number."),
    (integer(minimum=1), "0", "The value must be at least 1."),
    (money(), "250,000", "'250,000' is not a number; write digits with a dot for decimals, for example 250000.00."),
    (money(), "1e5", "'1e5' is not a number; write digits with a dot for decimals, for example 250000.00."),
    (money(), "NaN", "'NaN' is not a number; write digits with a dot for decimals, for example 250000.00."),
    (money(), "10.005", "'10.005' has more than 2 decimal places."),
    (decimal(maximum=100), "100.01", "The value must be at most 100."),
    (iso_date(), "01/04/2024", "'01/04/2024' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
    (iso_date(), "2024-02-30", "'2024-02-30' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
    (iso_date(), "2024-04-01 13:05:00",
     "'2024-04-01 13:05:00' is not a date; write it as YYYY-MM-DD, for example 2024-04-01."),
    (fiscal_year(), "2024-26", "'2024-26' is not a fiscal year; write it as 2024-25."),
    (fiscal_year(), "2024", "'2024' is not a fiscal year; write it as 2024-25."),
    (choice(["active", "closed"]), "open", "'open' is not one of the allowed values: active, closed."),
    (country_code(), "XAA", "“XAA” is not a two-letter ISO country code (such as XA)."),
    (country_code(), "ZZ", "'ZZ' is not a known ISO 3166 country code."),
])
def test_parsers_give_a_clear_reason(parser, value, reason):
    with pytest.raises(ValueError) as caught:
        parser(value)
    assert str(caught.value) == reason


def test_required_and_optional_cells():
    with pytest.raises(ValueError, match=r"^A value is required\.$"):
        parse_cell("  ", Column("name", text()))
    assert parse_cell("", Column("name", text(), required=False, default="")) == ""
    assert parse_cell("", Column("when", iso_date(), required=False)) is None
    assert parse_cell("  padded  ", Column("name", text())) == "padded"
