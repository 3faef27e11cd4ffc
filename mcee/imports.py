"""Reading the spreadsheets people send us, the same way for every import.

An import declares its sheets and columns; this module reads CSV and XLSX as text, turns each cell
into a typed value or a reason it could not, and collects every problem of every sheet so a
person can fix the file in one pass::

    PARTNERS = SheetSpec("partners", [Column("acronym", text()), Column("founded", iso_date(), required=False)],
                         key=("acronym",))
    errors = ErrorCollector()
    rows = parse_sheet(read_workbook(path)["partners"], PARTNERS, errors)
    errors.raise_if_any()   # ImportRejected, whose .format() gives one line per problem

Row numbers are the ones a person sees in the spreadsheet: the header is row 1, the first data
row is row 2. A file the system exported starts with the security marking on a row of its own
(``mcee.spreadsheets``); that row is skipped, the header is then row 2 and the numbers follow.
Cells are read as text (nothing is silently coerced), stripped of surrounding
spaces, and refused when they look like a spreadsheet formula. Nothing here knows any app.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from mcee.fiscal import FiscalYear

HEADER_ROW = 1
_FORMULA = re.compile(r"^(=.|[+\-@][A-Za-z(])")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
# An XLSX date cell reads as "2024-04-01 00:00:00"; the time part is accepted only when it is midnight.
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})( 00:00:00)?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


# --- errors -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RowError:
    """One problem, where a person will find it: sheet, row (header = 1), column, and why."""

    sheet: str | None
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}
        if self.sheet is None:
            return self.reason
        if self.row is not None and self.column:
            return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(reason)s") % place
        if self.row is not None:
            return _("sheet %(sheet)s, row %(row)s: %(reason)s") % place
        if self.column:
            return _("sheet %(sheet)s, column %(column)s: %(reason)s") % place
        return _("sheet %(sheet)s: %(reason)s") % place


class ImportRejected(Exception):
    """The file was refused as a whole; ``errors`` says every reason. Nothing was written."""

    def __init__(self, errors: Iterable[RowError]):
        self.errors = list(errors)
        super().__init__(self.format())

    def format(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class ErrorCollector:
    """Gathers the problems of every sheet, so all of them are reported at once."""

    def __init__(self, sheets: Sequence[str] = ()) -> None:
        self.errors: list[RowError] = []
        self.sheets = list(sheets)  # the order to report sheets in; others follow as first reported

    def add(self, sheet: str | None, row: int | None, column: str | None, reason) -> None:
        self.errors.append(RowError(sheet, row, column, str(reason)))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[RowError]:
        """By sheet (declared order, then first reported), then row; otherwise as reported."""
        sheets: dict[str | None, int] = {name: index for index, name in enumerate(self.sheets)}
        for error in self.errors:
            sheets.setdefault(error.sheet, len(sheets))
        return sorted(self.errors, key=lambda e: (sheets[e.sheet], e.row or 0))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ImportRejected(self.sorted())


# --- parsers: text in, typed value out, or ValueError with the reason -----------------------------------

Parser = Callable[[str], Any]


def text(max_length: int | None = None) -> Parser:
    def parse(value: str) -> str:
        if max_length is not None and len(value) > max_length:
            raise ValueError(_("The text is %(length)s characters long; at most %(max)s are allowed.")
                             % {"length": len(value), "max": max_length})
        return value
    return parse


def integer(minimum: int | None = 0) -> Parser:
    def parse(value: str) -> int:
        if not _INTEGER.match(value):
            raise ValueError(_("'%(value)s' is not a whole number.") % {"value": value})
        number = int(value)
        _check_minimum(number, minimum)
        return number
    return parse


def decimal(places: int = 2, minimum: Decimal | int | None = 0, maximum: Decimal | int | None = None) -> Parser:
    """Digits with a dot for decimals (``1234.50``); no thousands separators, no currency sign."""
    def parse(value: str) -> Decimal:
        if not _DECIMAL.match(value):
            raise ValueError(_("'%(value)s' is not a number; write digits with a dot for decimals, "
                               "for example 250000.00.") % {"value": value})
        number = Decimal(value)
        if -number.as_tuple().exponent > places:
            raise ValueError(_("'%(value)s' has more than %(places)s decimal places.")
                             % {"value": value, "places": places})
        _check_minimum(number, minimum)
        if maximum is not None and number > maximum:
            raise ValueError(_("The value must be at most %(maximum)s.") % {"maximum": maximum})
        return number
    return parse


def money() -> Parser:
    """Canadian dollars and cents, not negative: ``250000`` or ``250000.00``."""
    return decimal(places=2, minimum=0)


def iso_date() -> Parser:
    def parse(value: str) -> dt.date:
        match = _DATE.match(value)
        try:
            if not match:
                raise ValueError
            return dt.date.fromisoformat(match[1])
        except ValueError:
            raise ValueError(_("'%(value)s' is not a date; write it as YYYY-MM-DD, for example 2024-04-01.")
                             % {"value": value})
    return parse


def fiscal_year() -> Parser:
    def parse(value: str) -> FiscalYear:
        try:
            return FiscalYear.parse(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a fiscal year; write it as 2024-25.") % {"value": value})
    return parse


def choice(values: Iterable[str]) -> Parser:
    """One of a fixed set, ignoring case; gives back the value as declared."""
    allowed = {str(v).lower(): str(v) for v in values}

    def parse(value: str) -> str:
        try:
            return allowed[value.lower()]
        except KeyError:
            raise ValueError(_("'%(value)s' is not one of the allowed values: %(choices)s.")
                             % {"value": value, "choices": ", ".join(allowed.values())})
    return parse


def country_code() -> Parser:
    """An ISO 3166-1 alpha-2 code that django-countries knows (with this installation's overrides)."""
    def parse(value: str) -> str:
        from django_countries import countries

        if not _COUNTRY.match(value):
            raise ValueError(_("“%(value)s” is not a two-letter ISO country code (such as XA).")
                             % {"value": value})
        code = value.upper()
        if code not in countries:
            raise ValueError(_("'%(value)s' is not a known ISO 3166 country code.") % {"value": value})
        return code
    return parse


def _check_minimum(number, minimum) -> None:
    if minimum is None or number >= minimum:
        return
    if minimum == 0:
        raise ValueError(_("The value cannot be negative."))
    raise ValueError(_("The value must be at least %(minimum)s.") % {"minimum": minimum})


# --- declarations -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A column the sheet must have. ``required``: a value must be given in every row; an empty
    optional cell gives ``default``."""

    name: str
    parser: Parser
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class SheetSpec:
    """A sheet: its columns, its natural key (reported when repeated), whether it may have no rows."""

    name: str
    columns: Sequence[Column]
    key: tuple[str, ...] = ()
    allow_empty: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class Row:
    """One data row. ``valid`` is false when a cell was refused; its value is then missing."""

    sheet: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    valid: bool = True

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


# --- reading ----------------------------------------------------------------------------------------

def _read_bytes(source) -> bytes:
    if hasattr(source, "read"):
        data = source.read()
        return data.encode() if isinstance(data, str) else data
    return Path(source).read_bytes()


def decode(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; or exactly the encoding declared."""
    if encoding:
        try:
            codec = codecs.lookup(encoding)
        except LookupError:
            raise ImportRejected([RowError(None, None, None,
                                           _("'%(encoding)s' is not a known text encoding.") % {"encoding": encoding})])
        name = "utf-8-sig" if codec.name == "utf-8" else codec.name
        try:
            return data.decode(name)
        except UnicodeDecodeError as exc:
            raise ImportRejected([RowError(None, None, None, _(
                "The file is not valid %(encoding)s text (byte %(position)s cannot be read).")
                % {"encoding": encoding, "position": exc.start + 1})])
    for name in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([RowError(None, None, None, _(
        "The file is neither UTF-8 nor Windows-1252 text; save it as “CSV UTF-8” and try again."))])


def read_csv(source, *, sheet: str | None = None, encoding: str | None = None) -> pd.DataFrame:
    """A CSV file (path, or binary file object) as a grid of strings; row 0 is the header.

    The delimiter is a comma, or a semicolon when the header has semicolons and no commas (French
    Excel). Errors name ``sheet`` when given.
    """
    try:
        content = decode(_read_bytes(source), encoding)
    except ImportRejected as exc:
        raise ImportRejected([RowError(sheet, None, None, e.reason) for e in exc.errors])
    if not content.strip():
        return pd.DataFrame(dtype=str)
    # A file the system exported starts with the marking alone on its first line: read what follows,
    # then put the marking back on top (as its own row), so row numbers stay those of the file.
    marking, _newline, rest = content.partition("\n")
    marked = is_marking_row([marking.strip().strip('"')])
    if marked:
        content = rest
    first_line = content.lstrip("\r\n").split("\n", 1)[0]
    separator = ";" if ";" in first_line and "," not in first_line else ","
    try:
        frame = pd.read_csv(io.StringIO(content), header=None, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, sep=separator)
        if marked:
            top = pd.DataFrame([[marking.strip().strip('"')] + [""] * (frame.shape[1] - 1)], columns=frame.columns)
            frame = pd.concat([top, frame], ignore_index=True)
    except pd.errors.EmptyDataError:
        raise ImportRejected([RowError(sheet, HEADER_ROW, None,
                                       _("The first row is empty; it must name the columns."))])
    except pd.errors.ParserError as exc:
        raise ImportRejected([RowError(sheet, None, None, _(
            "The file cannot be read as CSV; a row probably has more cells than the header (%(detail)s).")
            % {"detail": str(exc).strip()})])
    return frame.fillna("")


def read_xlsx(source) -> dict[str, pd.DataFrame]:
    """Every sheet of an XLSX workbook as a grid of strings, by sheet name (stripped, lower case).

    Formulas are read as formulas (``=SUM(A1:A3)``), not as their last computed value, so that they
    are refused rather than silently replaced.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        sheets = pd.read_excel(source, sheet_name=None, header=None, dtype=str, keep_default_na=False,
                               engine="openpyxl", engine_kwargs={"data_only": False})
    except (zipfile.BadZipFile, InvalidFileException, ValueError, KeyError, OSError):
        raise ImportRejected([RowError(None, None, None, _("The file cannot be read as an XLSX workbook."))])
    return {str(name).strip().lower(): frame.fillna("") for name, frame in sheets.items()}


def read_workbook(path, *, encoding: str | None = None) -> dict[str, pd.DataFrame]:
    """An XLSX workbook, a folder of CSV files (one per sheet, named after it), or one CSV file.

    Every CSV file that cannot be read is reported, not only the first.
    """
    path = Path(path)
    if path.is_dir():
        errors = ErrorCollector()
        sheets = {}
        for csv_path in sorted(path.iterdir()):
            if csv_path.suffix.lower() != ".csv" or csv_path.name.startswith("."):
                continue
            name = csv_path.stem.strip().lower()
            try:
                sheets[name] = read_csv(csv_path, sheet=name, encoding=encoding)
            except ImportRejected as exc:
                errors.errors.extend(exc.errors)
        errors.raise_if_any()
        return sheets
    if not path.exists():
        raise ImportRejected([RowError(None, None, None, _("There is no file or folder at %(path)s.")
                                       % {"path": path})])
    if path.suffix.lower() == ".csv":
        name = path.stem.strip().lower()
        return {name: read_csv(path, sheet=name, encoding=encoding)}
    return read_xlsx(path)


# --- checking ---------------------------------------------------------------------------------------

def check_sheets(sheets: dict[str, pd.DataFrame], specs: Sequence[SheetSpec], errors: ErrorCollector) -> None:
    """Report missing and unexpected sheets."""
    expected = [spec.name for spec in specs]
    for name in expected:
        if name not in sheets:
            errors.add(name, None, None, _("This sheet is missing; the workbook needs the sheets %(sheets)s.")
                       % {"sheets": ", ".join(expected)})
    for name in sheets:
        if name not in expected:
            errors.add(name, None, None,
                       _("This sheet is not expected; the workbook should have only the sheets %(sheets)s.")
                       % {"sheets": ", ".join(expected)})


def is_marking_row(cells: Sequence) -> bool:
    """True for the row of the security marking that the system writes above the headings of its
    exports: one cell, in the first column, holding a marking of this installation (any language)."""
    from django.conf import settings

    values = [str(cell).strip() for cell in cells]
    filled = [value for value in values if value]
    markings = {str(marking).strip().lower() for marking in settings.MCEE_SECURITY_MARKING.values()}
    return len(filled) == 1 and bool(values) and values[0] == filled[0] and filled[0].lower() in markings


def header_row_of(frame: pd.DataFrame) -> int:
    """The row number of the header: 2 below a marking row (an export of the system), else 1."""
    if len(frame) and is_marking_row(list(frame.iloc[0])):
        return HEADER_ROW + 1
    return HEADER_ROW


def parse_sheet(frame: pd.DataFrame, spec: SheetSpec, errors: ErrorCollector) -> list[Row] | None:
    """Every non-blank data row of one sheet, typed; problems go to ``errors``.

    Returns None when the header row itself is wrong (nothing below it can be trusted); otherwise
    every row, including the invalid ones (``row.valid`` is false and the refused cells are absent).
    """
    grid = [[str(cell).strip() for cell in row] for row in frame.itertuples(index=False, name=None)]
    header_row = header_row_of(frame)
    grid = grid[header_row - HEADER_ROW:]
    if not grid or not any(grid[0]):
        errors.add(spec.name, None, None, _("The sheet is empty; its first row must name the columns: %(columns)s.")
                   % {"columns": ", ".join(spec.column_names)})
        return None
    positions = _read_header(grid, spec, errors, header_row)
    if positions is None:
        return None
    rows = []
    seen_keys: dict[tuple, int] = {}
    for index, cells in enumerate(grid[1:], start=header_row + 1):
        if not any(cells):
            continue
        row = Row(spec.name, index)
        for column in spec.columns:
            raw = cells[positions[column.name]] if positions[column.name] < len(cells) else ""
            try:
                row.values[column.name] = parse_cell(raw, column)
            except ValueError as exc:
                row.valid = False
                errors.add(spec.name, index, column.name, exc)
        _check_key(row, spec, seen_keys, errors)
        rows.append(row)
    if not rows and not spec.allow_empty:
        errors.add(spec.name, None, None, _("The sheet has a header row but no data rows."))
    return rows


def parse_cell(raw: str, column: Column) -> Any:
    value = raw.strip()
    if _FORMULA.match(value):
        raise ValueError(_("This looks like a spreadsheet formula; type the value itself."))
    if not value:
        if column.required:
            raise ValueError(_("A value is required."))
        return column.default
    return column.parser(value)


def _read_header(grid: list[list[str]], spec: SheetSpec, errors: ErrorCollector,
                 header_row: int = HEADER_ROW) -> dict[str, int] | None:
    header = [name.lower() for name in grid[0]]
    positions: dict[str, int] = {}
    before = len(errors)
    expected = ", ".join(spec.column_names)
    for position, name in enumerate(header):
        if not name:
            if any(position < len(cells) and cells[position] for cells in grid[1:]):
                errors.add(spec.name, header_row, None, _(
                    "Column number %(number)s has values but no name in the header row.") % {"number": position + 1})
        elif name in positions:
            errors.add(spec.name, header_row, name, _("This column appears twice in the header row."))
        elif name not in spec.column_names:
            errors.add(spec.name, header_row, name, _("This column is not expected; the columns are %(columns)s.")
                       % {"columns": expected})
        else:
            positions[name] = position
    for name in spec.column_names:
        if name not in positions:
            errors.add(spec.name, header_row, name, _("This column is missing from the header row."))
    return positions if len(errors) == before else None


def _check_key(row: Row, spec: SheetSpec, seen: dict[tuple, int], errors: ErrorCollector) -> None:
    if not spec.key or any(row.get(name) is None for name in spec.key):
        return
    key = tuple(row[name] for name in spec.key)
    if key in seen:
        row.valid = False
        place = {"key": " / ".join(str(part) for part in key), "row": seen[key], "column": spec.key[0],
                 "columns": _(" and ").join(spec.key)}
        if len(spec.key) == 1:
            reason = _("%(key)s is already on row %(row)s; each %(column)s may appear only once.") % place
        else:
            reason = _("%(key)s is already on row %(row)s; each combination of %(columns)s may appear only "
                       "once.") % place
        errors.add(spec.name, row.number, spec.key[-1], reason)
    else:
        seen[key] = row.number


def parse_workbook(sheets: dict[str, pd.DataFrame], specs: Sequence[SheetSpec],
                   errors: ErrorCollector) -> dict[str, list[Row]] | None:
    """Check the sheets and parse each one. None when a sheet is missing or a header is wrong."""
    errors.sheets = errors.sheets or [spec.name for spec in specs]
    check_sheets(sheets, specs, errors)
    parsed = {spec.name: parse_sheet(sheets[spec.name], spec, errors) for spec in specs if spec.name in sheets}
    if len(parsed) < len(specs) or any(rows is None for rows in parsed.values()):
        return None
    return parsed
