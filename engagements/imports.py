"""Historical engagements from a spreadsheet: one row per engagement.

``engagements_import(path=...)`` reads a CSV file, or the first sheet of an XLSX workbook, with
exactly the columns of ``COLUMNS``. Every row is checked before anything is written, in one
transaction: one bad row and nothing is written, and every problem is reported with its row,
column and reason. The import run is recorded (kind ``engagements``).

An engagement has no reference of its own, so a row is matched to what is recorded on its
**natural key**: (country, date, lead department, kind, counterpart institution). A new key is
created; a known one gets the file's values (status, level, participating departments, projects
leveraged, texts…); one already the same is not written, so importing the same file twice changes
nothing. A row whose key matches two recorded engagements is refused (they must first be told
apart in the admin). Engagements not in the file are left alone; the import never deletes any.
The format is described in docs/import-formats.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from countries.imports import yes_no
from countries.models import Country
from mcee.audit import IMPORT, audit_source
from mcee.import_runs import import_run
from mcee.imports import (
    Column,
    ErrorCollector,
    ImportRejected,
    Row,
    RowError,
    SheetSpec,
    choice,
    country_code,
    iso_date,
    parse_sheet,
    read_workbook,
    text,
)
from projects.models import Project, ProjectCountry

from .models import Department, Engagement, EngagementKind, EngagementLevel, EngagementStatus

IMPORT_KIND = "engagements"
COLUMNS = ["country", "date", "status", "kind", "level", "lead_department", "participating_departments",
           "counterpart_institution", "counterpart_title", "removals_raised", "projects_leveraged",
           "no_project_leveraged", "summary", "outcome", "next_steps"]
KEY = ("country", "date", "lead_department", "kind", "counterpart_institution")
# The fields a row sets, compared to tell an unchanged engagement from an updated one.
FIELDS = ["status", "level", "counterpart_title", "removals_raised", "no_project_leveraged", "summary", "outcome",
          "next_steps"]
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_LIST_SEPARATOR = re.compile(r"\s*[;,]\s*")


def _items(value: str) -> list[str]:
    """``a; b`` (or ``a, b``) as its distinct items, in order."""
    return list(dict.fromkeys(item for item in _LIST_SEPARATOR.split(value) if item))


def _department_lookup() -> dict[str, str]:
    """Department codes by code and acronym (English and French), in lower case."""
    lookup = {}
    for code, acronym_en, acronym_fr in Department.objects.values_list("code", "acronym_en", "acronym_fr"):
        for name in (acronym_fr, acronym_en, code):
            lookup[name.lower()] = code
    return lookup


def department(lookup: dict[str, str]):
    def parse(value: str) -> str:
        try:
            return lookup[value.lower()]
        except KeyError:
            raise ValueError(_("'%(value)s' is not a department; use one of the codes %(codes)s.")
                             % {"value": value, "codes": ", ".join(sorted(set(lookup.values())))})
    return parse


def departments(lookup: dict[str, str]):
    one = department(lookup)

    def parse(value: str) -> list[str]:
        codes, unknown = [], []
        for item in _items(value):
            try:
                codes.append(one(item))
            except ValueError:
                unknown.append(item)
        if unknown:
            raise ValueError(_("Not departments: %(values)s; use the codes %(codes)s, separated by ;.")
                             % {"values": ", ".join(unknown), "codes": ", ".join(sorted(set(lookup.values())))})
        return list(dict.fromkeys(codes))
    return parse


def references():
    def parse(value: str) -> list[str]:
        return _items(value)
    return parse


def sheet_spec(name: str, lookup: dict[str, str]) -> SheetSpec:
    return SheetSpec(name, [
        Column("country", country_code()),
        Column("date", iso_date()),
        Column("status", choice(EngagementStatus.values)),
        Column("kind", choice(EngagementKind.values)),
        Column("level", choice(EngagementLevel.values)),
        Column("lead_department", department(lookup)),
        Column("participating_departments", departments(lookup), required=False, default=[]),
        Column("counterpart_institution", text(max_length=200), required=False, default=""),
        Column("counterpart_title", text(max_length=200), required=False, default=""),
        Column("removals_raised", yes_no(), required=False, default=False),
        Column("projects_leveraged", references(), required=False, default=[]),
        Column("no_project_leveraged", yes_no(), required=False, default=False),
        Column("summary", text(), required=False, default=""),
        Column("outcome", text(), required=False, default=""),
        Column("next_steps", text(), required=False, default=""),
    ], key=KEY)


@dataclass
class EngagementImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class _Plan:
    engagement: Engagement
    participants: list[Department]
    projects: list[Project]
    status: str


def engagements_import(*, path, user=None, encoding: str | None = None) -> EngagementImportResult:
    """Import the engagements at ``path`` (a CSV file, or an XLSX workbook's first sheet).

    Raises ``ImportRejected`` with every problem found, having written nothing. Changes are recorded
    in the audit trail as coming from an import, by ``user`` when given.
    """
    if not Path(path).is_file():
        raise ImportRejected([RowError(None, None, None, _("There is no file at %(path)s; give one CSV or XLSX "
                                                           "file.") % {"path": path})])
    with import_run(kind=IMPORT_KIND, path=path, user=user) as run:
        sheets = read_workbook(path, encoding=encoding)
        name, frame = next(iter(sheets.items()))  # a CSV file is one sheet; of a workbook, the first
        lookup = _department_lookup()
        errors = ErrorCollector([name])
        rows = parse_sheet(frame, sheet_spec(name, lookup), errors)
        if rows is None:
            errors.raise_if_any()
        run.rows_read = run.rows_checked = len(rows)
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            plans = _check(rows, errors)
            errors.raise_if_any()
            result = _write(plans, user)
        run.counts = {name: result.counts()}
        run.rows_written = result.created + result.updated
        return result


def _error(errors: ErrorCollector, row: Row, column: str | None, reason) -> None:
    row.valid = False
    errors.add(row.sheet, row.number, column, reason)


def _check(rows: list[Row], errors: ErrorCollector) -> list[_Plan]:
    """Each valid row as the engagement to save, its links, and whether it is new, changed or unchanged."""
    codes = {row["country"] for row in rows if row.get("country")}
    countries = {c.code.code: c for c in Country.objects.filter(code__in=codes)}
    departments_by_code = {d.code: d for d in Department.objects.all()}
    wanted = {ref for row in rows for ref in row.get("projects_leveraged") or []}
    projects = {p.reference: p for p in Project.objects.filter(reference__in=wanted)}
    works_in = set(ProjectCountry.objects.filter(project__in=projects.values())
                   .values_list("project__reference", "country__code"))
    existing: dict[tuple, list[Engagement]] = {}
    for engagement in (Engagement.objects.filter(country__code__in=codes,
                                                 date__in={row["date"] for row in rows if row.get("date")})
                       .select_related("country", "lead_department").prefetch_related("participating_departments",
                                                                                      "projects_leveraged")):
        key = (engagement.country.code.code, engagement.date, engagement.lead_department.code, engagement.kind,
               engagement.counterpart_institution)
        existing.setdefault(key, []).append(engagement)
    today = timezone.localdate()

    plans = []
    for row in rows:
        code = row.get("country")
        if code and code not in countries:
            _error(errors, row, "country", _("'%(code)s' is not a country recorded in the MCEE; add it under "
                                             "Countries first.") % {"code": code})
        refs = row.get("projects_leveraged") or []
        unknown = [ref for ref in refs if ref not in projects]
        if unknown:
            _error(errors, row, "projects_leveraged", _("Not MCEE projects: %(references)s; give project references "
                                                        "such as MCEE-2019-001, separated by ;.")
                   % {"references": ", ".join(unknown)})
        elif refs and code in countries:
            outside = [ref for ref in refs if (ref, code) not in works_in]
            if outside:
                _error(errors, row, "projects_leveraged", _("%(references)s: not working in %(country)s; a "
                                                            "leveraged project must work in the engagement's "
                                                            "country.") % {"references": ", ".join(outside),
                                                                           "country": code})
        if refs and row.get("no_project_leveraged"):
            _error(errors, row, "no_project_leveraged", _("The row says no MCEE project was used and also lists "
                                                          "projects leveraged; keep one of the two."))
        if row.get("status") == EngagementStatus.HELD and row.get("date") and row["date"] > today:
            _error(errors, row, "date", _("An engagement cannot have been held on a date still to come (%(date)s); "
                                          "its status would be planned.") % {"date": row["date"].isoformat()})
        if not row.valid:
            continue
        key = tuple(row[name] for name in KEY)
        matches = existing.get(key, [])
        if len(matches) > 1:
            _error(errors, row, None, _("%(count)s recorded engagements have this country, date, lead department, "
                                        "kind and counterpart institution; tell them apart in the admin first.")
                   % {"count": len(matches)})
            continue
        plan = _plan(row, matches[0] if matches else None, countries, departments_by_code, projects)
        try:
            # The foreign keys were resolved above; the rest of the model's rules are checked here.
            plan.engagement.full_clean(exclude=["country", "lead_department", "lead_officer", "created_by"],
                                       validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            for field_name, messages in by_field.items():
                _error(errors, row, field_name if field_name in COLUMNS else None, " ".join(messages))
            continue
        plans.append(plan)
    return plans


def _plan(row: Row, engagement: Engagement | None, countries, departments_by_code, projects) -> _Plan:
    participants = [departments_by_code[code] for code in row["participating_departments"]]
    linked = [projects[ref] for ref in row["projects_leveraged"]]
    if engagement is None:
        engagement = Engagement(country=countries[row["country"]], date=row["date"], kind=row["kind"],
                                lead_department=departments_by_code[row["lead_department"]],
                                counterpart_institution=row["counterpart_institution"])
        status = CREATED
    else:
        before = ([getattr(engagement, name) for name in FIELDS],
                  {d.pk for d in engagement.participating_departments.all()},
                  {p.pk for p in engagement.projects_leveraged.all()})
        after = ([row[name] for name in FIELDS], {d.pk for d in participants}, {p.pk for p in linked})
        status = UNCHANGED if before == after else UPDATED
    for name in FIELDS:
        setattr(engagement, name, row[name])
    return _Plan(engagement, participants, linked, status)


def _write(plans: list[_Plan], user) -> EngagementImportResult:
    result = EngagementImportResult()
    actor = user if getattr(user, "is_authenticated", False) else None
    for plan in plans:
        if plan.status != UNCHANGED:
            engagement = plan.engagement
            if engagement.pk is None:
                engagement.created_by = actor
            # Parental many-to-many links are written when the engagement is saved.
            engagement.participating_departments.set(plan.participants)
            engagement.projects_leveraged.set(plan.projects)
            engagement.save()
        setattr(result, plan.status, getattr(result, plan.status) + 1)
    return result
