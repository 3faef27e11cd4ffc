"""The portfolio workbook: partners, projects, and each project's countries, priority areas and funding.

``portfolio_import(path=...)`` reads an XLSX workbook or a folder of CSV files named after its
sheets, checks every row of every sheet, and only then writes, all in one transaction: one bad
row anywhere and nothing is written. Partners are matched on ``acronym``, projects on
``reference``. A project on the ``projects`` sheet gets exactly the countries, priority areas and
funding lines the other sheets give it. Rows that already match the database are not touched,
so importing the same file twice changes nothing. The format is described in
docs/import-formats.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from countries.models import Country
from countries.services import country_get_or_create
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
    decimal,
    fiscal_year,
    iso_date,
    money,
    parse_workbook,
    read_workbook,
    text,
)

from .models import FundingLine, OrganisationType, Partner, PriorityArea, Project, ProjectCountry, ProjectStatus
from .services import CountryShare, project_save, validate_country_shares

PARTNERS = SheetSpec("partners", [
    Column("acronym", text()),
    Column("name_en", text()),
    Column("name_fr", text(), required=False, default=""),
    Column("acronym_fr", text(), required=False, default=""),
    Column("organisation_type", choice(OrganisationType.values)),
    Column("iati_ref", text(), required=False, default=""),
], key=("acronym",), allow_empty=True)

PROJECTS = SheetSpec("projects", [
    Column("reference", text()),
    Column("title_en", text()),
    Column("title_fr", text(), required=False, default=""),
    Column("summary_en", text(), required=False, default=""),
    Column("summary_fr", text(), required=False, default=""),
    Column("partner", text()),
    Column("status", choice(ProjectStatus.values)),
    Column("approved_amount", money()),
    Column("planned_start", iso_date()),
    Column("planned_end", iso_date()),
    Column("actual_start", iso_date(), required=False),
    Column("actual_end", iso_date(), required=False),
], key=("reference",))

PROJECT_COUNTRIES = SheetSpec("project_countries", [
    Column("project", text()),
    Column("country", country_code()),
    Column("share", decimal(places=2, minimum=Decimal("0.01"), maximum=100)),
], key=("project", "country"))

PROJECT_PRIORITY_AREAS = SheetSpec("project_priority_areas", [
    Column("project", text()),
    Column("priority_area", str.lower),  # checked against the codes in the database
], key=("project", "priority_area"), allow_empty=True)

FUNDING = SheetSpec("funding", [
    Column("project", text()),
    Column("fiscal_year", fiscal_year()),
    Column("planned", money()),
    Column("disbursed", money(), required=False, default=Decimal("0")),
], key=("project", "fiscal_year"), allow_empty=True)

SHEETS = [PARTNERS, PROJECTS, PROJECT_COUNTRIES, PROJECT_PRIORITY_AREAS, FUNDING]
IMPORT_KIND = "portfolio"

PARTNER_FIELDS = ["name_en", "name_fr", "acronym_fr", "organisation_type", "iati_ref"]
PROJECT_FIELDS = ["title_en", "title_fr", "summary_en", "summary_fr", "status", "approved_amount",
                  "planned_start", "planned_end", "actual_start", "actual_end"]

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # lines of a listed project that the file no longer gives it

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)


@dataclass
class PortfolioImportResult:
    sheets: dict[str, SheetCounts] = field(default_factory=lambda: {s.name: SheetCounts() for s in SHEETS})
    countries_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.countries_created) or any(
            c.created or c.updated or c.deleted for c in self.sheets.values())


@dataclass
class _ProjectPlan:
    row: Row
    project: Project
    status: str  # of the project's own fields
    shares: dict[str, Decimal] = field(default_factory=dict)  # country code -> share
    areas: list[str] = field(default_factory=list)
    funding: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)


def portfolio_import(*, path, user=None, encoding: str | None = None) -> PortfolioImportResult:
    """Import the portfolio workbook at ``path`` (XLSX file or folder of CSV files).

    Raises ``ImportRejected`` with every problem found, having written nothing. Changes are
    recorded in the audit trail as coming from an import, by ``user`` when given.
    """
    with import_run(kind=IMPORT_KIND, path=path, user=user) as run:
        errors = ErrorCollector()
        sheets = parse_workbook(read_workbook(path, encoding=encoding), SHEETS, errors)
        if sheets is None:
            errors.raise_if_any()
        run.rows_read = run.rows_checked = sum(len(rows) for rows in sheets.values())
        with transaction.atomic(), audit_source(IMPORT, actor=user):
            partners, partner_status = _check_partners(sheets["partners"], errors)
            plans = _check_projects(sheets["projects"], partners, errors)
            listed = dict.fromkeys(row["reference"] for row in sheets["projects"] if row.get("reference") is not None)
            _check_countries(sheets["project_countries"], listed, plans, errors)
            _check_priority_areas(sheets["project_priority_areas"], listed, plans, errors)
            _check_funding(sheets["funding"], listed, plans, errors)
            errors.raise_if_any()
            result = _write(partner_status, plans)
        run.counts = {name: asdict(counts) for name, counts in result.sheets.items()}
        run.rows_written = sum(c.created + c.updated + c.deleted for c in result.sheets.values())
        return result


def _report(errors: ErrorCollector, row: Row, exc: ValidationError, columns: list[str]) -> None:
    """A model's validation errors as row errors, on the column of the field when there is one."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for name, messages in by_field.items():
        errors.add(row.sheet, row.number, name if name in columns else None, " ".join(messages))
    row.valid = False


def _check_partners(rows: list[Row], errors: ErrorCollector):
    existing = {p.acronym: p for p in Partner.objects.filter(acronym__in=[r.get("acronym") for r in rows])}
    partners: dict[str, Partner] = {}
    status: list[tuple[Partner, str, Row]] = []
    for row in rows:
        if row.get("acronym") is None:
            continue
        partner = existing.get(row["acronym"]) or Partner(acronym=row["acronym"])
        partners[row["acronym"]] = partner
        if not row.valid:
            continue
        before = [getattr(partner, name) for name in PARTNER_FIELDS]
        for name in PARTNER_FIELDS:
            setattr(partner, name, row[name])
        try:
            partner.full_clean()
        except ValidationError as exc:
            _report(errors, row, exc, PARTNERS.column_names)
            continue
        after = [getattr(partner, name) for name in PARTNER_FIELDS]
        status.append((partner, CREATED if partner.pk is None else UPDATED if after != before else UNCHANGED, row))
    return partners, status


def _check_projects(rows: list[Row], partners: dict[str, Partner], errors: ErrorCollector) -> dict[str, _ProjectPlan]:
    references = [r.get("reference") for r in rows]
    existing = {p.reference: p for p in Project.objects.filter(reference__in=references).select_related("partner")}
    wanted = {r.get("partner") for r in rows} - set(partners)
    partners = {**{p.acronym: p for p in Partner.objects.filter(acronym__in=wanted)}, **partners}
    plans: dict[str, _ProjectPlan] = {}
    for row in rows:
        if not row.valid:
            continue
        project = existing.get(row["reference"]) or Project(reference=row["reference"])
        before = [getattr(project, name) for name in PROJECT_FIELDS] + [project.partner.acronym if project.pk else None]
        for name in PROJECT_FIELDS:
            setattr(project, name, row[name])
        partner = partners.get(row["partner"])
        if partner is None:
            errors.add(row.sheet, row.number, "partner", _(
                "There is no partner with the acronym '%(value)s', on the partners sheet or already recorded.")
                % {"value": row["partner"]})
            row.valid = False
        else:
            project.partner = partner
        try:
            project.full_clean(exclude=[] if partner is not None and partner.pk else ["partner"])
        except ValidationError as exc:
            _report(errors, row, exc, PROJECTS.column_names)
        if not row.valid:
            continue
        after = [getattr(project, name) for name in PROJECT_FIELDS] + [partner.acronym]
        status = CREATED if project.pk is None else UPDATED if after != before else UNCHANGED
        plans[row["reference"]] = _ProjectPlan(row=row, project=project, status=status)
    return plans


def _check_listed(row: Row, listed: dict, errors: ErrorCollector) -> bool:
    """A child row must name a project of the projects sheet: only those get their lines replaced."""
    if row.get("project") is None or row["project"] in listed:
        return row.get("project") is not None
    errors.add(row.sheet, row.number, "project", _(
        "'%(value)s' is not a reference on the projects sheet; list the project there to set its countries, "
        "priority areas and funding.") % {"value": row["project"]})
    row.valid = False
    return False


def _check_countries(rows: list[Row], listed: dict, plans: dict[str, _ProjectPlan], errors: ErrorCollector) -> None:
    by_project: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if _check_listed(row, listed, errors):
            by_project[row["project"]].append(row)
    for reference in listed:
        project_rows = by_project.get(reference, [])
        if any(not row.valid for row in project_rows):
            continue  # its rows are reported already; a total would only repeat them
        try:
            validate_country_shares([row["share"] for row in project_rows])
        except ValidationError as exc:
            first = project_rows[0] if project_rows else None
            errors.add(PROJECT_COUNTRIES.name, first.number if first else None, "share" if first else "project",
                       _("Project %(project)s: %(reason)s") % {"project": reference, "reason": " ".join(exc.messages)})
            continue
        if reference in plans:
            plans[reference].shares = {row["country"]: row["share"] for row in project_rows}


def _check_priority_areas(rows: list[Row], listed: dict, plans: dict[str, _ProjectPlan],
                          errors: ErrorCollector) -> None:
    codes = list(PriorityArea.objects.values_list("code", flat=True))
    for row in rows:
        if not _check_listed(row, listed, errors) or not row.valid:
            continue
        code = row["priority_area"]
        if code not in codes:
            errors.add(row.sheet, row.number, "priority_area", _(
                "'%(value)s' is not a priority area code; the codes are %(codes)s.")
                % {"value": row["priority_area"], "codes": ", ".join(codes)})
        elif row["project"] in plans:
            plans[row["project"]].areas.append(code)


def _check_funding(rows: list[Row], listed: dict, plans: dict[str, _ProjectPlan], errors: ErrorCollector) -> None:
    for row in rows:
        if not _check_listed(row, listed, errors) or not row.valid:
            continue
        line = FundingLine(fiscal_year=row["fiscal_year"].start_year, planned=row["planned"],
                           disbursed=row["disbursed"])
        try:
            line.full_clean(exclude=["project"])
        except ValidationError as exc:
            _report(errors, row, exc, FUNDING.column_names)
            continue
        if row["project"] in plans:
            plans[row["project"]].funding[line.fiscal_year] = (line.planned, line.disbursed)


def _write(partner_status: list[tuple[Partner, str, Row]], plans: dict[str, _ProjectPlan]) -> PortfolioImportResult:
    result = PortfolioImportResult()
    for partner, status, _row in partner_status:
        if status != UNCHANGED:
            partner.save()
        result.sheets["partners"].add(status)

    codes = {code for plan in plans.values() for code in plan.shares}
    countries = {c.code.code: c for c in Country.objects.filter(code__in=codes)}
    for code in sorted(codes - set(countries)):
        countries[code] = country_get_or_create(code=code)
        result.countries_created.append(code)
    areas = {a.code: a for a in PriorityArea.objects.all()}

    ids = [plan.project.pk for plan in plans.values() if plan.project.pk]
    shares_now: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for line in ProjectCountry.objects.filter(project_id__in=ids).select_related("country"):
        shares_now[line.project_id][line.country.code.code] = line.share
    areas_now: dict[int, set[str]] = defaultdict(set)
    for project_id, code in Project.priority_areas.through.objects.filter(project_id__in=ids).values_list(
            "project_id", "priorityarea__code"):
        areas_now[project_id].add(code)
    funding_now: dict[int, dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for line in FundingLine.objects.filter(project_id__in=ids):
        funding_now[line.project_id][line.fiscal_year] = (line.planned, line.disbursed)

    for plan in plans.values():
        pk = plan.project.pk
        changed = plan.status != UNCHANGED
        changed |= _count(result.sheets["project_countries"], shares_now[pk] if pk else {}, plan.shares)
        changed |= _count(result.sheets["project_priority_areas"], dict.fromkeys(areas_now[pk] if pk else ()),
                          dict.fromkeys(plan.areas))
        changed |= _count(result.sheets["funding"], funding_now[pk] if pk else {}, plan.funding)
        result.sheets["projects"].add(plan.status)
        if not changed:
            continue
        plan.project.partner = plan.project.partner  # a partner created above now has a primary key to copy
        try:
            project_save(project=plan.project,
                         shares=[CountryShare(countries[code], share) for code, share in plan.shares.items()],
                         priority_areas=[areas[code] for code in plan.areas],
                         funding=plan.funding)
        except ValidationError as exc:  # checked above; only a concurrent change can bring us here
            raise ImportRejected([RowError(plan.row.sheet, plan.row.number, None, " ".join(exc.messages))])
    return result


def _count(counts: SheetCounts, now: dict, wanted: dict) -> bool:
    """Count one project's lines as created, updated, unchanged or deleted; True when any changed."""
    before = (counts.created, counts.updated, counts.deleted)
    for key, value in wanted.items():
        counts.add(CREATED if key not in now else UNCHANGED if now[key] == value else UPDATED)
    counts.deleted += len(set(now) - set(wanted))
    return (counts.created, counts.updated, counts.deleted) != before
