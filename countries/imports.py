"""Asylum statistics from a spreadsheet: one row per country and year.

``asylum_import(path=...)`` reads a CSV file, or the first sheet of an XLSX workbook (whatever its
name), with exactly the columns ``country, year, claims, irb_decided, irb_rejected``. Every row is
checked before anything is written, in one transaction: one bad row and nothing is written. Rows
are matched on (country, year): a new pair is created, a known one updated, and one that already
holds the same figures is not touched, so importing the same file twice changes nothing. Countries
not yet recorded are added. The format is described in docs/import-formats.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mcee.audit import IMPORT, audit_source
from mcee.import_runs import import_run
from mcee.imports import (
    Column,
    ErrorCollector,
    ImportRejected,
    Row,
    RowError,
    SheetSpec,
    country_code,
    integer,
    parse_sheet,
    read_workbook,
)

from .models import AsylumStatistic, Country
from .models.asylum import MAX_YEAR, MIN_YEAR
from .services import country_get_or_create

IMPORT_KIND = "asylum"
COLUMNS = ["country", "year", "claims", "irb_decided", "irb_rejected"]
FIGURES = ["claims", "irb_decided", "irb_rejected"]
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def year():
    """A calendar year between 1990 and 2100."""
    whole_number = integer(minimum=None)

    def parse(value: str) -> int:
        number = whole_number(value)
        if not MIN_YEAR <= number <= MAX_YEAR:
            raise ValueError(_("'%(value)s' is not a year between %(min)s and %(max)s.")
                             % {"value": value, "min": MIN_YEAR, "max": MAX_YEAR})
        return number
    return parse


def sheet_spec(name: str) -> SheetSpec:
    """The one sheet, named as the person sees it (the CSV file's name, or the XLSX sheet's)."""
    return SheetSpec(name, [
        Column("country", country_code()),
        Column("year", year()),
        Column("claims", integer(minimum=0)),
        Column("irb_decided", integer(minimum=0)),
        Column("irb_rejected", integer(minimum=0)),
    ], key=("country", "year"))


@dataclass
class AsylumImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    countries_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.countries_created)

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def asylum_import(*, path, user=None, encoding: str | None = None) -> AsylumImportResult:
    """Import the asylum statistics at ``path`` (a CSV file, or an XLSX workbook's first sheet).

    Raises ``ImportRejected`` with every problem found, having written nothing. Changes are
    recorded in the audit trail as coming from an import, by ``user`` when given.
    """
    if not Path(path).is_file():
        raise ImportRejected([RowError(None, None, None, _("There is no file at %(path)s; give one CSV or XLSX "
                                                           "file.") % {"path": path})])
    with import_run(kind=IMPORT_KIND, path=path, user=user) as run:
        sheets = read_workbook(path, encoding=encoding)
        name, frame = next(iter(sheets.items()))  # a CSV file is one sheet; of a workbook, the first
        spec = sheet_spec(name)
        errors = ErrorCollector([name])
        rows = parse_sheet(frame, spec, errors)
        if rows is None:
            errors.raise_if_any()
        run.rows_read = run.rows_checked = len(rows)
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            plans = _check(rows, errors)
            errors.raise_if_any()
            result = _write(plans)
        run.counts = {name: result.counts(), "countries_created": result.countries_created}
        run.rows_written = result.created + result.updated
        return result


def _report(errors: ErrorCollector, row: Row, exc: ValidationError) -> None:
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for name, messages in by_field.items():
        errors.add(row.sheet, row.number, name if name in COLUMNS else None, " ".join(messages))
    row.valid = False


def _check(rows: list[Row], errors: ErrorCollector) -> list[tuple[AsylumStatistic, str, Row]]:
    """Each valid row as the statistic to save and whether it is new, changed or unchanged."""
    valid = [row for row in rows if row.valid]
    codes = {row["country"] for row in valid}
    countries = {c.code.code: c for c in Country.objects.filter(code__in=codes)}
    existing = {
        (s.country.code.code, s.year): s
        for s in AsylumStatistic.objects.filter(country__code__in=codes, year__in={row["year"] for row in valid})
        .select_related("country")
    }
    plans = []
    for row in valid:
        statistic = existing.get((row["country"], row["year"]))
        if statistic is None:
            statistic = AsylumStatistic(year=row["year"])
            if row["country"] in countries:
                statistic.country = countries[row["country"]]
        before = [getattr(statistic, name) for name in FIGURES]
        for name in FIGURES:
            setattr(statistic, name, row[name])
        try:
            # The fields' validators and clean() hold every rule of the database's checks; (country,
            # year) is unique in the file (checked above) and matched to what is recorded, so the
            # per-row uniqueness queries are not needed.
            statistic.full_clean(exclude=[] if statistic.country_id else ["country"],
                                 validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            _report(errors, row, exc)
            continue
        after = [getattr(statistic, name) for name in FIGURES]
        status = CREATED if statistic.pk is None else UNCHANGED if after == before else UPDATED
        plans.append((statistic, status, row))
    return plans


def _write(plans: list[tuple[AsylumStatistic, str, Row]]) -> AsylumImportResult:
    result = AsylumImportResult()
    created_countries: dict[str, Country] = {}
    for statistic, status, row in plans:
        if status == CREATED and not statistic.country_id:
            code = row["country"]
            if code not in created_countries:
                created_countries[code] = country_get_or_create(code=code)
                result.countries_created.append(code)
            statistic.country = created_countries[code]
        if status != UNCHANGED:
            statistic.save()
        setattr(result, status, getattr(result, status) + 1)
    result.countries_created.sort()
    return result


# --- Travel documents (issue 5) ---------------------------------------------------------------------
# Two shapes from CBSA's removals inventory, each one sheet (a CSV file, or an XLSX workbook's first
# sheet): anonymized cases and monthly aggregates. Both are all or nothing, like the asylum import.
# A case's reference is read, turned into its keyed hash (``case_key``) and never stored; error
# messages never repeat it either. ``progress``, when given, is called as progress(rows_read,
# rows_checked, rows_written) while the import runs.

import datetime as dt  # noqa: E402
import re  # noqa: E402
import struct  # noqa: E402
from collections.abc import Callable  # noqa: E402
from itertools import repeat  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402

from mcee.imports import HEADER_ROW, choice, header_row_of, iso_date, parse_cell, text  # noqa: E402

from .models import Outcome, TravelDocumentCase, TravelDocumentMonth  # noqa: E402
from .models.travel_documents import case_keys  # noqa: E402

TD_CASES_KIND = "td_cases"
TD_MONTHLY_KIND = "td_monthly"
TD_CASE_COLUMNS = ["case_ref", "country", "requested_on", "issued_on", "outcome", "document_type",
                   "validity_days", "interview_required", "priority"]
TD_MONTHLY_COLUMNS = ["country", "month", "requested", "issued", "refused", "pending_end", "added_to_inventory",
                      "removals"]
TD_MONTHLY_FIGURES = TD_MONTHLY_COLUMNS[2:]
TD_CASE_FIELDS = ["country_id", "requested_on", "issued_on", "outcome", "document_type", "validity_days",
                  "interview_required", "priority", "days_to_issue"]
BATCH_SIZE = 2000
CASE_REF_MAX_LENGTH = 100
_MONTH = re.compile(r"^(\d{4})-(\d{2})(-01)?( 00:00:00)?$")
_TRUE = {"yes", "y", "true", "1", "oui", "o"}
_FALSE = {"no", "n", "false", "0", "non"}

Progress = Callable[[int, int, int], None]


def month():
    """``YYYY-MM`` (an XLSX date cell on the first of the month is accepted too): its first day."""
    def parse(value: str) -> dt.date:
        match = _MONTH.match(value)
        try:
            if not match:
                raise ValueError
            return dt.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a month; write it as YYYY-MM, for example 2024-04.")
                             % {"value": value})
    return parse


def yes_no():
    def parse(value: str) -> bool:
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError(_("'%(value)s' is not yes or no.") % {"value": value})
    return parse


def td_cases_spec(name: str) -> SheetSpec:
    return SheetSpec(name, [
        Column("case_ref", text(max_length=CASE_REF_MAX_LENGTH)),
        Column("country", country_code()),
        Column("requested_on", iso_date()),
        Column("issued_on", iso_date(), required=False),
        Column("outcome", choice(Outcome.values)),
        Column("document_type", text(max_length=100), required=False, default=""),
        Column("validity_days", integer(minimum=0), required=False),
        Column("interview_required", yes_no(), required=False, default=False),
        Column("priority", text(max_length=50), required=False, default=""),
    ])


def td_monthly_spec(name: str) -> SheetSpec:
    return SheetSpec(name, [
        Column("country", country_code()),
        Column("month", month()),
        Column("requested", integer(minimum=0)),
        Column("issued", integer(minimum=0)),
        Column("refused", integer(minimum=0)),
        Column("pending_end", integer(minimum=0)),
        Column("added_to_inventory", integer(minimum=0), required=False),
        Column("removals", integer(minimum=0)),
    ], key=("country", "month"))


@dataclass
class TDImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _one_sheet(path, encoding, spec_for, errors_name=None):
    if not Path(path).is_file():
        raise ImportRejected([RowError(None, None, None, _("There is no file at %(path)s; give one CSV or XLSX "
                                                           "file.") % {"path": path})])
    sheets = read_workbook(path, encoding=encoding)
    name, frame = next(iter(sheets.items()))
    spec = spec_for(name)
    errors = ErrorCollector([name])
    rows = parse_sheet(frame, spec, errors)
    if rows is None:
        errors.raise_if_any()
    return rows, errors


def _known_countries(rows: list[Row], errors: ErrorCollector) -> dict[str, int]:
    """The countries the MCEE records, by code; a row naming another one is reported."""
    codes = {row["country"] for row in rows if row.get("country")}
    known = dict(Country.objects.filter(code__in=codes).values_list("code", "pk"))
    for row in rows:
        code = row.get("country")
        if code and code not in known:
            row.valid = False
            errors.add(row.sheet, row.number, "country", _(
                "'%(code)s' is not a country recorded in the MCEE; add it under Countries first.") % {"code": code})
    return known


def _tell(progress: Progress | None, run) -> None:
    if progress is not None:
        progress(run.rows_read, run.rows_checked, run.rows_written)


# --- Travel-document cases at volume ------------------------------------------------------------------
# An extract holds up to millions of cases, so the case import checks its cells column by column, not
# row by row: each column's distinct values (a few thousand dates, a dozen countries) are parsed once,
# by the very parsers of td_cases_spec, so every message is the one a row-by-row reading would give,
# and the results are spread back over the rows. Only case_ref has a distinct value per row; it is
# checked with array operations, and any cell that might be refused goes through its parser too.
# On PostgreSQL the cases are then written through COPY (_td_write_postgresql); elsewhere through
# bulk_create and bulk_update (_td_write_models). See docs/operations.md, "Benchmarks".

COPY_CHUNK_ROWS = 100_000  # rows per COPY statement (and per progress report) on PostgreSQL
_FORMULA_STARTS = {"=", "+", "-", "@"}  # the first characters of what mcee.imports may take for a formula
_ERROR_PHASES = {"cell": 0, "country": 1, "duplicate": 2, "issued_before": 3, "issued_date": 4}


class _Column:
    """One column of the data rows: each row's code into the column's distinct cells, and for each
    distinct cell its parsed value or the reason it is refused.

    ``plain_text_max``: the column is text of at most that many characters with a different value in
    nearly every row (case_ref); its cells are then not grouped, and only those that may be refused
    (empty, too long, or starting like a formula) go through the parser: the others are themselves.
    """

    def __init__(self, cells: pd.Series, column: Column, *, plain_text_max: int | None = None):
        self.column = column
        if plain_text_max is None:
            codes, distinct = pd.factorize(cells, use_na_sentinel=False)
            self.codes, distinct = np.asarray(codes), list(map(str, distinct.tolist()))
        else:
            distinct = list(map(str, cells.tolist()))
            self.codes = np.arange(len(distinct))
        stripped = [cell.strip() for cell in distinct]
        self.blank = np.array([not cell for cell in stripped], dtype=bool)
        self.values = np.empty(len(distinct), dtype=object)
        self.refused = np.zeros(len(distinct), dtype=bool)
        self.reasons: dict[int, str] = {}
        if plain_text_max is None:
            candidates = range(len(distinct))
        else:
            self.values[:] = stripped
            lengths = np.fromiter(map(len, stripped), dtype=np.int64, count=len(stripped))
            formula_like = np.array([cell[:1] in _FORMULA_STARTS for cell in stripped], dtype=bool)
            candidates = np.flatnonzero((lengths == 0) | (lengths > plain_text_max) | formula_like)
        for index in candidates:
            try:
                self.values[index] = parse_cell(distinct[index], column)
            except ValueError as exc:
                self.values[index] = None
                self.refused[index] = True
                self.reasons[index] = str(exc)

    def keep(self, rows: np.ndarray) -> None:
        """Keep only these rows (the non-blank ones)."""
        self.codes = self.codes[rows]

    def refused_rows(self) -> np.ndarray:
        return self.refused[self.codes]

    def row_values(self) -> np.ndarray:
        return self.values[self.codes]

    def per_row(self, convert, dtype=object) -> np.ndarray:
        """``convert(value)`` of each row's value, computed once per distinct value (of the rows kept:
        a value only blank rows had may be one the parser refused)."""
        used = np.bincount(self.codes, minlength=len(self.values)) > 0
        return np.array([convert(value) if use else None for value, use in zip(self.values, used, strict=True)],
                        dtype=dtype)[self.codes]

    def value(self, row: int):
        return self.values[self.codes[row]]


@dataclass
class _Cases:
    sheet: str
    numbers: np.ndarray  # each row's number as a person sees it (header = 1)
    columns: dict[str, _Column]
    country_ids: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, name: str) -> _Column:
        return self.columns[name]

    def dates(self, name: str) -> np.ndarray:
        return self[name].per_row(lambda value: value, dtype="datetime64[D]")


def _td_cases_read(path, encoding) -> tuple[_Cases, ErrorCollector]:
    """The file's non-blank data rows, each cell parsed; a wrong header is refused at once."""
    if not Path(path).is_file():
        raise ImportRejected([RowError(None, None, None, _("There is no file at %(path)s; give one CSV or XLSX "
                                                           "file.") % {"path": path})])
    sheets = read_workbook(path, encoding=encoding)
    name, frame = next(iter(sheets.items()))
    spec = td_cases_spec(name)
    errors = ErrorCollector([name])
    header_row = header_row_of(frame)  # 2 below the marking row of a file the system exported
    frame = frame.iloc[header_row - HEADER_ROW:]
    body = frame.iloc[1:]
    header = [str(cell).strip().lower() for cell in frame.iloc[0]] if len(frame) else []
    # The header is checked by parse_sheet itself, on the header row and one stand-in data row that has a
    # value under each unnamed column where a row has one (all it needs of the data): the same messages.
    used = ["x" if not title and body.iloc[:, position].astype(str).str.strip().ne("").any() else ""
            for position, title in enumerate(header)]
    header_errors = ErrorCollector([name])
    if parse_sheet(pd.DataFrame([header, used] if header else [], dtype=object), spec, header_errors) is None:
        errors.errors.extend(replace(error, row=header_row) if error.row == HEADER_ROW else error
                             for error in header_errors.errors)
        errors.raise_if_any()
    positions = {column: header.index(column) for column in spec.column_names}
    columns = {column.name: _Column(body.iloc[:, positions[column.name]], column, plain_text_max=(
        CASE_REF_MAX_LENGTH if column.name == "case_ref" else None)) for column in spec.columns}
    blank = np.logical_and.reduce([c.blank[c.codes] for c in columns.values()])
    rows = np.flatnonzero(~blank)
    for column in columns.values():
        column.keep(rows)
    if not len(rows):
        errors.add(spec.name, None, None, _("The sheet has a header row but no data rows."))
    return _Cases(name, rows + header_row + 1, columns), errors


def _td_cases_check(cases: _Cases, errors: ErrorCollector) -> None:
    """Every problem of every row, reported in the order a row-by-row reading gives them."""
    found: list[tuple[int, int, int, str, str]] = []  # (row index, phase, column position, column, reason)

    def report(rows, phase, column, reasons):
        position = TD_CASE_COLUMNS.index(column)
        found.extend((row, _ERROR_PHASES[phase], position, column, reason)
                     for row, reason in zip(rows, reasons, strict=True))

    for name, column in cases.columns.items():
        rows = np.flatnonzero(column.refused_rows())
        report(rows, "cell", name, [column.reasons[column.codes[row]] for row in rows])

    country = cases["country"]
    codes = {value for value in country.values if value}
    cases.country_ids = dict(Country.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = np.array([bool(value) and value not in cases.country_ids for value in country.values], dtype=bool)
    rows = np.flatnonzero(unknown[country.codes])
    report(rows, "country", "country", [_(
        "'%(code)s' is not a country recorded in the MCEE; add it under Countries first.")
        % {"code": country.value(row)} for row in rows])

    case_ref = cases["case_ref"]
    with_ref = np.flatnonzero(~case_ref.refused_rows())
    refs = pd.Series(case_ref.row_values()[with_ref], dtype=object)
    repeated = refs.duplicated(keep="first").to_numpy()
    if repeated.any():
        first_row = refs.map(dict(zip(refs[~repeated], cases.numbers[with_ref][~repeated], strict=True))).to_numpy()
        # The reference is not repeated in the message: messages are stored with the run.
        report(with_ref[repeated], "duplicate", "case_ref", [_(
            "This case is already on row %(row)s; each case_ref may appear only once.") % {"row": row}
            for row in first_row[repeated]])

    requested, issued = cases.dates("requested_on"), cases.dates("issued_on")
    rows = np.flatnonzero(issued < requested)  # NaT (empty or refused) compares false
    report(rows, "issued_before", "issued_on", [_(
        "The issue date %(issued)s is before the request date %(requested)s.")
        % {"issued": cases["issued_on"].value(row).isoformat(),
           "requested": cases["requested_on"].value(row).isoformat()} for row in rows])
    outcome = cases["outcome"]
    rows = np.flatnonzero((outcome.row_values() == Outcome.ISSUED) & ~cases["issued_on"].refused_rows()
                          & np.isnat(issued))
    report(rows, "issued_date", "issued_on", [_("An issued travel document needs its issue date.")] * len(rows))

    for row, _phase, _position, column, reason in sorted(found, key=lambda problem: problem[:3]):
        errors.add(cases.sheet, int(cases.numbers[row]), column, reason)


def td_cases_import(*, path, user=None, encoding: str | None = None,
                    progress: Progress | None = None) -> TDImportResult:
    """Import anonymized travel-document cases: new ones are created, known ones (same keyed hash of
    ``case_ref``) updated in place. Raises ``ImportRejected`` with every problem, having written nothing."""
    with import_run(kind=TD_CASES_KIND, path=path, user=user) as run:
        cases, errors = _td_cases_read(path, encoding)
        run.rows_read = len(cases)
        _tell(progress, run)
        if len(cases):
            _td_cases_check(cases, errors)
        run.rows_checked = len(cases)
        _tell(progress, run)
        errors.raise_if_any()
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            write = _td_write_postgresql if connection.vendor == "postgresql" else _td_write_models
            result = write(cases, run, progress)
        run.counts = result.counts()
        return result


def _td_write_models(cases: _Cases, run, progress: Progress | None) -> TDImportResult:
    """Any database: the cases in batches, with bulk_create and bulk_update."""
    result = TDImportResult()
    keys = case_keys(cases["case_ref"].row_values())
    for start in range(0, len(cases), BATCH_SIZE):
        batch = range(start, min(start + BATCH_SIZE, len(cases)))
        existing = {values[0]: values for values in TravelDocumentCase.objects.filter(
            case_key__in=[keys[row] for row in batch]).values_list("case_key", "pk", *TD_CASE_FIELDS)}
        new, changed = [], []
        for row in batch:
            case = TravelDocumentCase(
                case_key=keys[row], country_id=cases.country_ids[cases["country"].value(row)],
                requested_on=cases["requested_on"].value(row), issued_on=cases["issued_on"].value(row),
                outcome=cases["outcome"].value(row), document_type=cases["document_type"].value(row) or "",
                validity_days=cases["validity_days"].value(row),
                interview_required=bool(cases["interview_required"].value(row)),
                priority=cases["priority"].value(row) or "")
            case.compute_days_to_issue()
            known = existing.get(case.case_key)
            if known is None:
                new.append(case)
                continue
            case.pk = known[1]
            if tuple(getattr(case, name) for name in TD_CASE_FIELDS) == tuple(known[2:]):
                result.unchanged += 1
            else:
                changed.append(case)
        TravelDocumentCase.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if changed:
            now = timezone.now()
            for case in changed:
                case.updated_at = now
            TravelDocumentCase.objects.bulk_update(changed, TD_CASE_FIELDS + ["updated_at"], batch_size=BATCH_SIZE)
        result.created += len(new)
        result.updated += len(changed)
        run.rows_written = result.created + result.updated
        _tell(progress, run)
    return result


# On PostgreSQL, COPY in its binary format, which leaves the server no date, number or timestamp to
# parse: a row is its number of fields, then each field as its length and bytes (length -1: NULL).
# Every field but case_key has few distinct values, each encoded once.
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_BINARY_TRAILER = struct.pack("!h", -1)
_BINARY_NULL = struct.pack("!i", -1)
_PG_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _binary_text(value: str) -> bytes:
    data = value.encode()
    return struct.pack("!i", len(data)) + data


_BINARY_ENCODERS = {
    "bigint": lambda value: struct.pack("!iq", 8, value),
    "integer": lambda value: struct.pack("!ii", 4, value),
    "boolean": lambda value: struct.pack("!i?", 1, value),
    "date": lambda value: struct.pack("!ii", 4, (value - _PG_EPOCH.date()).days),
    "timestamp with time zone": lambda value: struct.pack("!iq", 8, (value - _PG_EPOCH) // _MICROSECOND),
    "varchar": _binary_text,
}


def _binary_encoder(field_name: str):
    """The binary COPY encoding of a value of this TravelDocumentCase field (None: NULL)."""
    db_type = TravelDocumentCase._meta.get_field(field_name).db_type(connection)
    encode = _BINARY_ENCODERS[db_type.split("(")[0]]  # KeyError: a type this import does not know yet
    return lambda value: _BINARY_NULL if value is None else encode(value)


def _copy_rows(cases: _Cases, *, timestamp: dt.datetime | None = None):
    """The cases as binary COPY data (each chunk complete), ``COPY_CHUNK_ROWS`` rows at a time: case_key,
    the fields TD_CASE_FIELDS, then created_at and updated_at when ``timestamp`` is given."""
    encoders = {name: _binary_encoder(name) for name in TD_CASE_FIELDS}
    days = (cases.dates("issued_on") - cases.dates("requested_on")).astype("int64")
    days_codes, days_distinct = pd.factorize(days)
    no_days = days_distinct == np.datetime64("NaT").astype("int64")
    days_encoded = np.array([encoders["days_to_issue"](None if none else int(d))
                             for d, none in zip(days_distinct, no_days, strict=True)], dtype=object)
    fields = [
        cases["country"].per_row(lambda code: encoders["country_id"](cases.country_ids[code])),
        cases["requested_on"].per_row(encoders["requested_on"]),
        cases["issued_on"].per_row(encoders["issued_on"]),
        cases["outcome"].per_row(encoders["outcome"]),
        cases["document_type"].per_row(lambda value: encoders["document_type"](value or "")),
        cases["validity_days"].per_row(encoders["validity_days"]),
        cases["interview_required"].per_row(lambda value: encoders["interview_required"](bool(value))),
        cases["priority"].per_row(lambda value: encoders["priority"](value or "")),
        days_encoded[days_codes],
    ]
    suffix = _binary_encoder("created_at")(timestamp) * 2 if timestamp else b""  # created_at, updated_at
    # The row's field count, then the length of case_key (64 hexadecimal digits) before the key itself.
    prefix = struct.pack("!hi", 1 + len(fields) + (2 if timestamp else 0), 64)
    refs = cases["case_ref"].row_values()
    for start in range(0, len(cases), COPY_CHUNK_ROWS):
        stop = min(start + COPY_CHUNK_ROWS, len(cases))
        keys = [key.encode() for key in case_keys(refs[start:stop])]
        rows = zip(repeat(prefix), keys, *(field[start:stop] for field in fields), repeat(suffix))
        yield stop - start, _BINARY_HEADER + b"".join(map(b"".join, rows)) + _BINARY_TRAILER


def _td_write_postgresql(cases: _Cases, run, progress: Progress | None) -> TDImportResult:
    """PostgreSQL: COPY. Into a table with no case yet (the first extract), straight into the table,
    whose secondary indexes and constraints are set aside and rebuilt after (``_set_aside``); otherwise
    into a temporary table, from which the changed cases are updated and the new ones inserted.

    An UPDATE then an INSERT rather than one INSERT ... ON CONFLICT DO UPDATE ... WHERE <changed>: that
    one locks every case it matches, changed or not (PostgreSQL writes a lock into each of them), and
    took 2.5 times as long to re-import a million cases of which 2% had changed. The table lock taken
    first keeps other writers out between the two statements."""
    table = TravelDocumentCase._meta.db_table
    fields = ["case_key", *(TravelDocumentCase._meta.get_field(name).column for name in TD_CASE_FIELDS)]
    quoted = ", ".join(connection.ops.quote_name(name) for name in fields)
    qtable = connection.ops.quote_name(table)
    now = timezone.now()
    result = TDImportResult()
    with connection.cursor() as cursor:
        # Other writers wait (readers do not), so nothing can come between the checks and the writes.
        cursor.execute(f"LOCK TABLE {qtable} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qtable})")  # noqa: S608 (names from the model)
        restore = None if cursor.fetchone()[0] else _set_aside(cursor, table)
        if restore is not None:
            def written(count):
                run.rows_written += count
                _tell(progress, run)
            _copy_in(cursor, f"COPY {qtable} ({quoted}, created_at, updated_at) FROM STDIN BINARY",
                     _copy_rows(cases, timestamp=now), written)
            restore()
            result.created = len(cases)
            return result
        staging = connection.ops.quote_name("td_case_staging")
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{staging}")
        # Same column types and collations as the table (the join on case_key needs the same collation).
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {quoted} FROM {qtable} "  # noqa: S608
                       f"WITH NO DATA")
        _copy_in(cursor, f"COPY {staging} ({quoted}) FROM STDIN BINARY", _copy_rows(cases))
        cursor.execute(f"ANALYZE {staging}")  # temporary tables are never analysed automatically
        others = fields[1:]
        changed = (f"AND ({', '.join(f't.{f}' for f in others)}) IS DISTINCT FROM "
                   f"({', '.join(f's.{f}' for f in others)})")
        # Every name in these statements comes from the model, none from the file.
        cursor.execute(f"UPDATE {qtable} AS t SET {', '.join(f'{f} = s.{f}' for f in others)}, "  # noqa: S608
                       f"updated_at = %s FROM {staging} AS s WHERE t.case_key = s.case_key {changed}", [now])
        result.updated = cursor.rowcount
        run.rows_written = result.updated
        _tell(progress, run)
        cursor.execute(f"INSERT INTO {qtable} ({quoted}, created_at, updated_at) "  # noqa: S608
                       f"SELECT {quoted}, %s, %s FROM {staging} AS s WHERE NOT EXISTS "
                       f"(SELECT FROM {qtable} AS t WHERE t.case_key = s.case_key) ORDER BY s.case_key", [now, now])
        result.created = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    result.unchanged = len(cases) - result.created - result.updated
    run.rows_written = result.created + result.updated
    _tell(progress, run)
    return result


def _copy_in(cursor, statement: str, chunks, after_chunk=None) -> None:
    """COPY each chunk (complete binary COPY data) in a statement of its own, so that the connection
    is free when ``after_chunk(rows)`` runs: a progress callback may write through it. While the server
    stores one chunk, the next is formatted: a thread of psycopg's sends the data (on two cores, both
    halves of the work run side by side)."""
    from psycopg.copy import QueuedLibpqWriter

    chunks = iter(chunks)
    following = next(chunks, None)
    while following is not None:
        rows, data = following
        with (connection.wrap_database_errors,  # psycopg's errors as Django's, as for any other statement
              cursor.cursor.copy(statement, writer=QueuedLibpqWriter(cursor.cursor)) as copy):
            copy.write(data)
            following = next(chunks, None)
        if after_chunk is not None:
            after_chunk(rows)


def _set_aside(cursor, table: str):
    """Drop the table's secondary indexes, unique and foreign-key constraints (not its primary key,
    which other tables reference), as PostgreSQL's "Populating a Database" advises for a bulk load,
    and return the function that rebuilds them from their own definitions: building an index once
    over a million rows is several times faster than adding the rows to it one by one. All of it in
    the import's transaction: a failure leaves the table as it was.

    The table stays locked (ACCESS EXCLUSIVE) until the import commits: only for an empty table, the
    first extract, whose import takes seconds. None, having changed nothing, when it cannot be done
    now: another session is reading the table, or the database user does not own it (in which case
    the import goes through the temporary table)."""
    quote = connection.ops.quote_name
    try:
        with transaction.atomic():
            cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE NOWAIT")
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname", [table])
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid "
                "AND k.conrelid = i.indrelid) ORDER BY c.relname", [table])
            indexes = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
    except DatabaseError:
        return None

    def restore():
        for name, definition in constraints:  # a foreign key is checked here, in one query
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for _name, definition in indexes:
            cursor.execute(definition)
    return restore


def td_monthly_import(*, path, user=None, encoding: str | None = None,
                      progress: Progress | None = None) -> TDImportResult:
    """Import monthly travel-document figures per country, matched on (country, month)."""
    with import_run(kind=TD_MONTHLY_KIND, path=path, user=user) as run:
        rows, errors = _one_sheet(path, encoding, td_monthly_spec)
        run.rows_read = len(rows)
        _tell(progress, run)
        countries = _known_countries(rows, errors)
        run.rows_checked = len(rows)
        _tell(progress, run)
        errors.raise_if_any()
        result = TDImportResult()
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            existing = {(m.country_id, m.month): m for m in TravelDocumentMonth.objects.filter(
                country_id__in=set(countries.values()), month__in={row["month"] for row in rows})}
            for row in rows:
                country_id = countries[row["country"]]
                record = existing.get((country_id, row["month"]))
                if record is None:
                    record = TravelDocumentMonth(country_id=country_id, month=row["month"])
                before = [getattr(record, name) for name in TD_MONTHLY_FIGURES]
                for name in TD_MONTHLY_FIGURES:
                    setattr(record, name, row[name])
                if record.pk is None:
                    record.save()
                    result.created += 1
                elif before != [row[name] for name in TD_MONTHLY_FIGURES]:
                    record.save()
                    result.updated += 1
                else:
                    result.unchanged += 1
            run.rows_written = result.created + result.updated
            _tell(progress, run)
        run.counts = result.counts()
        return result
