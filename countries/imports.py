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
