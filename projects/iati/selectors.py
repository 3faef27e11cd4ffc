"""What the IATI file publishes, gathered from the database as plain data (no XML here).

One query per kind of row (projects, countries, funding lines, and results, indicators and periods when
results are published), whatever the number of projects: the writer and the checks read these dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext

from mcee import access
from mcee.fiscal import FiscalYear

from ..models import (
    FundingLine,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    OutcomeLevel,
    Project,
    ProjectCountry,
    ProjectStatus,
    Result,
)
from .config import BUDGETS, DESCRIPTIONS, RESULTS, TRANSACTIONS, IatiConfig, iati_config

# IATI ActivityStatus codelist.
ACTIVITY_STATUS = {
    ProjectStatus.PIPELINE: "1",
    ProjectStatus.ACTIVE: "2",
    ProjectStatus.FINALISATION: "3",
    ProjectStatus.CLOSED: "4",
    ProjectStatus.CANCELLED: "5",
    ProjectStatus.SUSPENDED: "6",
}
# IATI ResultType codelist (1 output, 2 outcome, 3 impact), from the logic-model level.
RESULT_TYPE = {
    OutcomeLevel.ACTIVITY: "1",
    OutcomeLevel.OUTPUT: "1",
    OutcomeLevel.IMMEDIATE: "2",
    OutcomeLevel.INTERMEDIATE: "2",
    OutcomeLevel.ULTIMATE: "3",
}


@dataclass(frozen=True)
class Organisation:
    ref: str
    type: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class CountryShare:
    code: str
    percentage: Decimal


@dataclass(frozen=True)
class Budget:
    fiscal_year: FiscalYear
    period_start: dt.date
    period_end: dt.date
    value: Decimal


@dataclass(frozen=True)
class Disbursement:
    fiscal_year: FiscalYear
    date: dt.date  # the end of the fiscal year, or today while it runs
    value: Decimal


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    target: Decimal | None
    actual: Decimal | None
    actual_text: str


@dataclass(frozen=True)
class IndicatorData:
    name_en: str
    name_fr: str
    qualitative: bool
    ascending: bool
    unit: str
    baseline_value: Decimal | None
    baseline_date: dt.date | None
    periods: tuple[Period, ...]


@dataclass(frozen=True)
class ResultData:
    type_code: str
    title_en: str
    title_fr: str
    indicators: tuple[IndicatorData, ...]


@dataclass(frozen=True)
class Activity:
    reference: str
    identifier: str
    status: str
    status_code: str
    title_en: str
    title_fr: str
    description_en: str
    description_fr: str
    description_from_summary: bool  # False: the standard sentence (summaries not published, or none written)
    partner: Organisation
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    countries: tuple[CountryShare, ...]
    budgets: tuple[Budget, ...]
    disbursements: tuple[Disbursement, ...]
    results: tuple[ResultData, ...]
    last_updated: dt.datetime


@dataclass(frozen=True)
class Publication:
    config: IatiConfig
    reporting_org: Organisation
    activities: tuple[Activity, ...]
    unknown_references: tuple[str, ...]  # opted in by the setting but absent from the database
    generated_at: dt.datetime
    today: dt.date


def _standard_description(partner_name_en: str, partner_name_fr: str) -> tuple[str, str]:
    """The description published when the summaries are not: one sentence in each language."""
    texts = []
    for language, name in (("en", partner_name_en), ("fr", partner_name_fr or partner_name_en)):
        with translation.override(language):
            texts.append(gettext("A capacity-building project funded by Canada's Migration Cooperation and "
                                 "Engagement Envelope (MCEE), implemented by %(partner)s.") % {"partner": name})
    return texts[0], texts[1]


def _projects(config: IatiConfig, user):
    projects = (Project.objects.filter(status__in=config.statuses)
                .exclude(status=ProjectStatus.PIPELINE)  # never, whatever the setting says
                .select_related("partner"))
    if not config.every_project:
        projects = projects.filter(reference__in=config.projects)
    if user is not None:
        projects = access.visible(user, projects)
    return list(projects.order_by("reference"))


def _results(project_ids: list[int]) -> dict[int, list[ResultData]]:
    """Each project's results with their indicators and periods, in three queries. A result without an
    indicator is left out (IATI requires at least one); periods with neither target nor actual too."""
    results = list(Result.objects.filter(project__in=project_ids).select_related("outcome").order_by("project", "pk"))
    indicators = list(Indicator.objects.filter(result__in=[r.pk for r in results]).order_by("result", "pk"))
    periods: dict[int, list[Period]] = defaultdict(list)
    for p in IndicatorPeriod.objects.filter(indicator__in=[i.pk for i in indicators]).order_by("indicator",
                                                                                             "period_start"):
        if p.target_value is None and p.actual_value is None and not (p.actual_text or "").strip():
            continue
        periods[p.indicator_id].append(Period(start=p.period_start, end=p.period_end, target=p.target_value,
                                              actual=p.actual_value, actual_text=(p.actual_text or "").strip()))
    by_result: dict[int, list[IndicatorData]] = defaultdict(list)
    for i in indicators:
        by_result[i.result_id].append(IndicatorData(
            name_en=i.name_en, name_fr=i.name_fr, qualitative=i.kind == IndicatorKind.QUALITATIVE,
            ascending=i.ascending, unit=i.unit, baseline_value=i.baseline_value, baseline_date=i.baseline_date,
            periods=tuple(periods[i.pk])))
    found: dict[int, list[ResultData]] = defaultdict(list)
    for r in results:
        if by_result[r.pk]:
            found[r.project_id].append(ResultData(type_code=RESULT_TYPE.get(r.outcome.level, "9"),
                                                  title_en=r.title_en, title_fr=r.title_fr,
                                                  indicators=tuple(by_result[r.pk])))
    return found


def iati_publication(*, config: IatiConfig | None = None, user=None, today: dt.date | None = None,
                     now: dt.datetime | None = None) -> Publication:
    """Every project the setting opts in (and ``user`` may see, when given), as IATI activities."""
    config = config or iati_config()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    reporting_org = Organisation(ref=config.reporting_org_ref, type=config.reporting_org_type,
                                 name_en=config.reporting_org_name_en, name_fr=config.reporting_org_name_fr)
    projects = _projects(config, user)
    ids = [p.pk for p in projects]
    unknown: tuple[str, ...] = ()
    if not config.every_project and config.projects:
        existing = set(Project.objects.filter(reference__in=config.projects).values_list("reference", flat=True))
        unknown = tuple(ref for ref in config.projects if ref not in existing)

    countries: dict[int, list[CountryShare]] = defaultdict(list)
    for project_id, code, share in (ProjectCountry.objects.filter(project__in=ids)
                                    .order_by("project", "-share", "country__code")
                                    .values_list("project_id", "country__code", "share")):
        countries[project_id].append(CountryShare(code=str(code), percentage=Decimal(share)))

    budgets: dict[int, list[Budget]] = defaultdict(list)
    disbursements: dict[int, list[Disbursement]] = defaultdict(list)
    if config.publishes(BUDGETS) or config.publishes(TRANSACTIONS):
        for line in FundingLine.objects.filter(project__in=ids).order_by("project", "fiscal_year"):
            year = FiscalYear(line.fiscal_year)
            if config.publishes(BUDGETS) and line.planned > 0:
                budgets[line.project_id].append(Budget(fiscal_year=year, period_start=year.start,
                                                       period_end=year.end, value=line.planned))
            if config.publishes(TRANSACTIONS) and line.disbursed > 0:
                disbursements[line.project_id].append(Disbursement(fiscal_year=year, date=min(year.end, today),
                                                                   value=line.disbursed))

    results = _results(ids) if config.publishes(RESULTS) and ids else {}

    activities = []
    for project in projects:
        partner = project.partner
        summary = (project.summary_en.strip(), project.summary_fr.strip())
        # Summaries when published and written (both missing: the standard sentence, as when not published).
        from_summary = config.publishes(DESCRIPTIONS) and any(summary)
        description = summary if from_summary else _standard_description(partner.name_en, partner.name_fr)
        activities.append(Activity(
            reference=project.reference,
            identifier=f"{config.reporting_org_ref}-{project.reference}",
            status=project.status,
            status_code=ACTIVITY_STATUS[project.status],
            title_en=project.title_en.strip(),
            title_fr=project.title_fr.strip(),
            description_en=description[0],
            description_fr=description[1],
            description_from_summary=from_summary,
            partner=Organisation(ref=partner.iati_ref.strip(), type=partner.organisation_type,
                                 name_en=partner.name_en, name_fr=partner.name_fr or partner.name_en),
            planned_start=project.planned_start,
            planned_end=project.planned_end,
            actual_start=project.actual_start,
            actual_end=project.actual_end,
            countries=tuple(countries[project.pk]),
            budgets=tuple(budgets[project.pk]),
            disbursements=tuple(disbursements[project.pk]),
            results=tuple(results.get(project.pk, ())),
            last_updated=project.updated_at,
        ))
    return Publication(config=config, reporting_org=reporting_org, activities=tuple(activities),
                       unknown_references=unknown, generated_at=now, today=today)
