"""Asylum statistics from a spreadsheet: one row per country and year.

``asylum_import(path=...)`` reads a CSV file, or the first sheet of an XLSX workbook (whatever its
name), with exactly the columns ``country, year, claims, irb_decided, irb_rejected``. Every row is
checked before anything is written, in one transaction: one bad row and nothing is written. Rows
are matched on (country, year): a new pair is created, a known one updated, and one that already
holds the same figures is not touched, so importing the same file twice changes nothing. Countries
not yet recorded are added. The format is described in docs/import-formats.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
from collections.abc import Callable  # noqa: E402

from mcee.imports import choice, iso_date, text  # noqa: E402

from .models import Outcome, TravelDocumentCase, TravelDocumentMonth  # noqa: E402
from .models.travel_documents import case_key  # noqa: E402

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
        Column("case_ref", text(max_length=100)),
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


def td_cases_import(*, path, user=None, encoding: str | None = None,
                    progress: Progress | None = None) -> TDImportResult:
    """Import anonymized travel-document cases: new ones are created, known ones (same keyed hash of
    ``case_ref``) updated in place. Raises ``ImportRejected`` with every problem, having written nothing."""
    with import_run(kind=TD_CASES_KIND, path=path, user=user) as run:
        rows, errors = _one_sheet(path, encoding, td_cases_spec)
        run.rows_read = len(rows)
        _tell(progress, run)
        countries = _known_countries(rows, errors)
        seen: dict[str, int] = {}
        cases: dict[str, TravelDocumentCase] = {}
        for row in rows:
            key = case_key(row["case_ref"]) if row.get("case_ref") else None
            if key is not None:
                if key in seen:
                    row.valid = False
                    # The reference is not repeated in the message: messages are stored with the run.
                    errors.add(row.sheet, row.number, "case_ref", _(
                        "This case is already on row %(row)s; each case_ref may appear only once.")
                        % {"row": seen[key]})
                else:
                    seen[key] = row.number
            requested, issued = row.get("requested_on"), row.get("issued_on")
            if requested and issued and issued < requested:
                row.valid = False
                errors.add(row.sheet, row.number, "issued_on", _(
                    "The issue date %(issued)s is before the request date %(requested)s.")
                    % {"issued": issued.isoformat(), "requested": requested.isoformat()})
            if row.get("outcome") == Outcome.ISSUED and "issued_on" in row.values and not issued:
                row.valid = False
                errors.add(row.sheet, row.number, "issued_on", _("An issued travel document needs its issue date."))
            if row.valid:
                case = TravelDocumentCase(
                    case_key=key, country_id=countries[row["country"]], requested_on=requested, issued_on=issued,
                    outcome=row["outcome"], document_type=row["document_type"] or "",
                    validity_days=row["validity_days"], interview_required=bool(row["interview_required"]),
                    priority=row["priority"] or "")
                case.compute_days_to_issue()
                cases[key] = case
        run.rows_checked = len(rows)
        _tell(progress, run)
        errors.raise_if_any()
        result = TDImportResult()
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            keys = list(cases)
            for start in range(0, len(keys), BATCH_SIZE):
                batch = keys[start:start + BATCH_SIZE]
                existing = {values[0]: values for values in TravelDocumentCase.objects.filter(case_key__in=batch)
                            .values_list("case_key", "pk", *TD_CASE_FIELDS)}
                new, changed = [], []
                for key in batch:
                    case = cases[key]
                    known = existing.get(key)
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
                    TravelDocumentCase.objects.bulk_update(changed, TD_CASE_FIELDS + ["updated_at"],
                                                           batch_size=BATCH_SIZE)
                result.created += len(new)
                result.updated += len(changed)
                run.rows_written = result.created + result.updated
                _tell(progress, run)
        run.counts = result.counts()
        return result


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
