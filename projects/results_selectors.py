"""Reads of the results framework: each project's indicators with their latest results (for the country
brief and the dashboard), and the PMF roll-up by fiscal year. Query counts do not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mcee.fiscal import FiscalYear
from mcee.i18n import localized

from .models import Accumulation, EnvelopeIndicator, Indicator, IndicatorKind, IndicatorPeriod, same_unit

SHARE = Decimal("0.0001")


def _ids(projects) -> list[int]:
    """Project ids from a queryset, projects or ids."""
    if hasattr(projects, "values_list"):
        return list(projects.values_list("pk", flat=True))
    return [getattr(p, "pk", p) for p in projects]


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of a project and where it stands. ``progress`` is the share of the way from baseline
    to target (0.5 = half way; above 1 when the target is passed), or None when it cannot be computed."""

    indicator_id: int
    project_id: int
    name: str  # in the active language (the other one when it is missing)
    result: str
    outcome_code: str
    kind: str
    unit: str
    ascending: bool
    accumulation: str
    baseline_value: Decimal | None
    baseline_date: dt.date | None
    target_value: Decimal | None
    target_date: dt.date | None
    latest_actual: Decimal | None  # the most recent period with a reported actual
    latest_text: str
    latest_period_label: str
    latest_period_end: dt.date | None
    total_actual: Decimal | None  # every reported period added up (meaningful when periods add up)
    progress: Decimal | None
    pmf_code: str


def progress_share(*, accumulation: str, ascending: bool, baseline: Decimal | None, target: Decimal | None,
                   latest: Decimal | None, total: Decimal | None) -> Decimal | None:
    """How far toward the target, as a share.

    A level or a rate (the latest period counts): (latest - baseline) / (target - baseline), which reads the
    same whether higher or lower is better. Counts that add up over periods: the total reported so far
    over the target, when higher is better and the target is above zero. Otherwise None."""
    if baseline is None or target is None:
        return None
    if accumulation == Accumulation.LATEST:
        if latest is None or target == baseline:
            return None
        return ((latest - baseline) / (target - baseline)).quantize(SHARE, ROUND_HALF_UP)
    if total is None or not ascending or target <= 0:
        return None
    return (total / target).quantize(SHARE, ROUND_HALF_UP)


def indicator_results_for_projects(*, projects) -> dict[int, list[IndicatorResult]]:
    """For each project id given, its indicators (in the order entered) with baseline, target, the latest
    reported actual and its period, and the progress toward target. Two queries, whatever the number of
    projects, indicators and periods. A project without indicators maps to an empty list."""
    ids = _ids(projects)
    found: dict[int, list[IndicatorResult]] = {pk: [] for pk in ids}
    if not ids:
        return found
    indicators = list(Indicator.objects.filter(result__project__in=ids)
                      .select_related("result__outcome", "pmf_indicator").order_by("result__project", "result", "pk"))
    reported: dict[int, list[IndicatorPeriod]] = defaultdict(list)
    for period in (IndicatorPeriod.objects.filter(indicator__in=[i.pk for i in indicators])
                   .order_by("indicator", "period_end", "pk")):
        if period.actual_value is not None or (period.actual_text or "").strip():
            reported[period.indicator_id].append(period)
    for indicator in indicators:
        periods = reported[indicator.pk]
        latest = periods[-1] if periods else None
        numbers = [p.actual_value for p in periods if p.actual_value is not None]
        total = sum(numbers, Decimal("0")) if numbers else None
        latest_value = latest.actual_value if latest else None
        found[indicator.result.project_id].append(IndicatorResult(
            indicator_id=indicator.pk, project_id=indicator.result.project_id, name=str(localized(indicator, "name")),
            result=str(localized(indicator.result, "title")), outcome_code=indicator.result.outcome.code,
            kind=indicator.kind, unit=indicator.unit, ascending=indicator.ascending,
            accumulation=indicator.accumulation, baseline_value=indicator.baseline_value,
            baseline_date=indicator.baseline_date, target_value=indicator.target_value,
            target_date=indicator.target_date, latest_actual=latest_value,
            latest_text=latest.actual_text if latest else "",
            latest_period_label=latest.label if latest else "", latest_period_end=latest.period_end if latest else None,
            total_actual=total,
            progress=progress_share(accumulation=indicator.accumulation, ascending=indicator.ascending,
                                    baseline=indicator.baseline_value, target=indicator.target_value,
                                    latest=latest_value, total=total) if indicator.kind == IndicatorKind.QUANTITATIVE
            else None,
            pmf_code=indicator.pmf_indicator.code if indicator.pmf_indicator_id else ""))
    return found


# --- the PMF roll-up ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PmfRollup:
    """One PMF indicator in one fiscal year: the sums over the project indicators that roll up into it."""

    indicator: EnvelopeIndicator
    fiscal_year: FiscalYear
    baseline: Decimal | None  # the baselines of the project indicators reporting periods in the year
    target: Decimal | None
    actual: Decimal | None
    projects: int  # projects contributing periods in the year
    reported: int  # of the contributing project indicators, those with an actual in the year
    contributing: int  # project indicators with a period in the year


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    return a if b is None else a + b


def _year_figures(indicator: Indicator, periods: list[IndicatorPeriod]) -> tuple[Decimal | None, Decimal | None]:
    """(target, actual) of one project indicator in one fiscal year, from its periods ending in that year:
    added up for counts, the latest period's for levels and rates."""
    if indicator.accumulation == Accumulation.LATEST:
        targets = [p.target_value for p in periods if p.target_value is not None]
        actuals = [p.actual_value for p in periods if p.actual_value is not None]
        return (targets[-1] if targets else None), (actuals[-1] if actuals else None)
    target = actual = None
    for p in periods:
        target, actual = _add(target, p.target_value), _add(actual, p.actual_value)
    return target, actual


def pmf_rollup(*, fiscal_year: FiscalYear | int | None = None) -> list[PmfRollup]:
    """The PMF: every envelope indicator by fiscal year, with the baseline, target and actual sums of the
    project indicators linked to it whose unit matches (a period counts in the fiscal year it ends in).

    With a fiscal year, one row per PMF indicator for that year (empty sums where nothing contributes);
    without, one row per PMF indicator and year that has contributing periods. Three queries."""
    if isinstance(fiscal_year, int):
        fiscal_year = FiscalYear(fiscal_year)
    pmf = list(EnvelopeIndicator.objects.select_related("outcome").order_by("code"))
    linked = {i.pk: i for i in Indicator.objects.filter(pmf_indicator__isnull=False, kind=IndicatorKind.QUANTITATIVE)
              .select_related("pmf_indicator", "result")}
    contributing = {pk: i for pk, i in linked.items() if same_unit(i.unit, i.pmf_indicator.unit)}
    periods = IndicatorPeriod.objects.filter(indicator__in=list(contributing)).order_by("period_end", "pk")
    if fiscal_year is not None:
        periods = periods.filter(period_end__gte=fiscal_year.start, period_end__lte=fiscal_year.end)
    by_year: dict[tuple[int, int], dict[int, list[IndicatorPeriod]]] = defaultdict(lambda: defaultdict(list))
    for period in periods:
        indicator = contributing[period.indicator_id]
        by_year[(indicator.pmf_indicator_id, period.fiscal_year.start_year)][indicator.pk].append(period)
    rows = []
    for envelope_indicator in pmf:
        years = sorted(y for (pk, y) in by_year if pk == envelope_indicator.pk)
        if fiscal_year is not None:
            years = [fiscal_year.start_year]
        for year in years:
            baseline = target = actual = None
            projects, reported = set(), 0
            groups = by_year.get((envelope_indicator.pk, year), {})
            for indicator_id, year_periods in groups.items():
                indicator = contributing[indicator_id]
                year_target, year_actual = _year_figures(indicator, year_periods)
                baseline = _add(baseline, indicator.baseline_value)
                target, actual = _add(target, year_target), _add(actual, year_actual)
                projects.add(indicator.result.project_id)
                reported += year_actual is not None
            rows.append(PmfRollup(indicator=envelope_indicator, fiscal_year=FiscalYear(year), baseline=baseline,
                                  target=target, actual=actual, projects=len(projects), reported=reported,
                                  contributing=len(groups)))
    return rows

