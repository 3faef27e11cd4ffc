"""Dashboard and brief selectors against the same aggregate written as one hand-tuned SQL query, and
travel-document timeliness against pandas computing it from the extract in memory, on the seeded data set.

Each pair is timed in the same run (the median of several runs of each, after one warm-up) and checked to
give the same figures: a fast wrong answer is not a result. Target: a selector within 2x of its SQL.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db import connection

from countries.models import Country
from countries.selectors import td_target_days, td_timeliness
from engagements.selectors.engagements import leverage_by_country_and_fiscal_year
from projects.selectors import envelope_summary, funding_by_category_and_fiscal_year

SELECTOR_TARGET_RATIO = 2.0
CENT = Decimal("0.01")


def median_ms(function: Callable[[], object], *, repeats: int = 5) -> tuple[float, object]:
    """Median wall-clock milliseconds of ``repeats`` calls after one warm-up, and the last result."""
    result = function()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


# --- The hand-tuned queries --------------------------------------------------------------------------------

ENVELOPE_SQL = """
SELECT fl.fiscal_year, COALESCE(SUM(fl.planned), 0), COALESCE(SUM(fl.disbursed), 0)
FROM projects_fundingline fl JOIN projects_project p ON p.id = fl.project_id
WHERE p.status <> 'cancelled'
GROUP BY fl.fiscal_year ORDER BY fl.fiscal_year"""

FUNDING_SQL = """
SELECT fl.fiscal_year, COALESCE(cat.category, 'not_targeted'),
       ROUND(SUM(fl.planned * pc.share / 100), 2), ROUND(SUM(fl.disbursed * pc.share / 100), 2)
FROM projects_projectcountry pc
JOIN projects_project p ON p.id = pc.project_id AND p.status <> 'cancelled'
JOIN projects_fundingline fl ON fl.project_id = pc.project_id
LEFT JOIN LATERAL (
    SELECT c.category FROM countries_countryclassification c
    WHERE c.country_id = pc.country_id AND c.effective_date <= make_date(fl.fiscal_year + 1, 3, 31)
    ORDER BY c.effective_date DESC LIMIT 1) cat ON true
GROUP BY 1, 2 ORDER BY 1, 2"""

LEVERAGE_SQL = """
SELECT c.code, EXTRACT(YEAR FROM e.date - INTERVAL '3 months')::int AS fy, COUNT(*),
       COUNT(*) FILTER (WHERE l.has), COUNT(*) FILTER (WHERE NOT l.has AND e.no_project_leveraged),
       COUNT(*) FILTER (WHERE NOT l.has AND NOT e.no_project_leveraged)
FROM engagements_engagement e
JOIN countries_country c ON c.id = e.country_id
CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM engagements_engagement_projects_leveraged pl
                                   WHERE pl.engagement_id = e.id) AS has) l
WHERE e.status = 'held'
GROUP BY 1, 2 ORDER BY 1, 2"""

# Per month of the span: requests and refusals by request month; issued, within target, median and 90th
# percentile days by issue month; pending at month end (requested by then, and pending or issued later).
TIMELINESS_SQL = """
WITH cases AS (
    SELECT requested_on, issued_on, outcome, days_to_issue FROM countries_traveldocumentcase WHERE country_id = %(c)s
), months AS (
    SELECT m::date AS month, (m + INTERVAL '1 month' - INTERVAL '1 day')::date AS month_end
    FROM generate_series(%(start)s::date, %(end)s::date, INTERVAL '1 month') m
), requested AS (
    SELECT date_trunc('month', requested_on)::date AS month, COUNT(*) AS requested,
           COUNT(*) FILTER (WHERE outcome = 'refused') AS refused,
           COUNT(*) FILTER (WHERE outcome IN ('pending', 'issued')) AS opened
    FROM cases GROUP BY 1
), issued AS (
    SELECT date_trunc('month', issued_on)::date AS month, COUNT(*) AS issued,
           COUNT(*) FILTER (WHERE days_to_issue <= %(target)s) AS within,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_issue) AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY days_to_issue) AS p90
    FROM cases WHERE outcome = 'issued' GROUP BY 1
), before AS (
    SELECT COUNT(*) FILTER (WHERE requested_on < %(start)s AND outcome IN ('pending', 'issued')) AS opened,
           COUNT(*) FILTER (WHERE outcome = 'issued' AND issued_on < %(start)s) AS closed
    FROM cases
)
SELECT m.month, COALESCE(r.requested, 0), COALESCE(r.refused, 0), COALESCE(i.issued, 0), COALESCE(i.within, 0),
       i.median, i.p90,
       (SELECT opened - closed FROM before)
       + SUM(COALESCE(r.opened, 0) - COALESCE(i.issued, 0)) OVER (ORDER BY m.month) AS pending_end
FROM months m LEFT JOIN requested r ON r.month = m.month LEFT JOIN issued i ON i.month = m.month
ORDER BY m.month"""


@dataclass(frozen=True)
class Comparison:
    name: str
    selector_ms: float
    reference_ms: float
    same_result: bool
    reference: str = "sql"

    @property
    def ratio(self) -> float:
        return self.selector_ms / self.reference_ms if self.reference_ms else float("inf")


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def compare_envelope() -> Comparison:
    selector_ms, summary = median_ms(envelope_summary)
    sql_ms, rows = median_ms(lambda: sql(ENVELOPE_SQL))
    from_selector = {y.fiscal_year.start_year: (y.approved, y.disbursed) for y in summary.years if y.approved or
                     y.disbursed}
    from_sql = {year: (_money(planned), _money(disbursed)) for year, planned, disbursed in rows if planned or disbursed}
    return Comparison("projects.selectors.envelope_summary", selector_ms, sql_ms, from_selector == from_sql)


def compare_funding() -> Comparison:
    selector_ms, lines = median_ms(funding_by_category_and_fiscal_year)
    sql_ms, rows = median_ms(lambda: sql(FUNDING_SQL))
    from_selector = {(c.fiscal_year.start_year, c.category): (c.planned, c.disbursed) for c in lines
                     if c.planned or c.disbursed}
    from_sql = {(year, category): (_money(p), _money(d)) for year, category, p, d in rows if p or d}
    return Comparison("projects.selectors.funding_by_category_and_fiscal_year", selector_ms, sql_ms,
                      from_selector == from_sql)


def compare_leverage() -> Comparison:
    selector_ms, lines = median_ms(leverage_by_country_and_fiscal_year)
    sql_ms, rows = median_ms(lambda: sql(LEVERAGE_SQL))
    from_selector = [(c.country, c.fiscal_year.start_year, c.held, c.leveraged, c.none_used, c.unknown)
                     for c in lines]
    return Comparison("engagements.selectors.leverage_by_country_and_fiscal_year", selector_ms, sql_ms,
                      from_selector == [tuple(row) for row in rows])


def _timeliness_rows(country: Country):
    from cms.bench import FIRST_MONTH, LAST_DAY

    return td_timeliness(country=country, period="month", start=FIRST_MONTH, end=LAST_DAY)


def _selector_figures(rows) -> list[tuple]:
    return [(row.start, row.requested, row.refused, row.issued, row.median_days, row.p90_days, row.pending_end)
            for row in rows]


def _days(value) -> Decimal | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return Decimal(str(round(float(value), 6))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def compare_timeliness(country: Country) -> Comparison:
    from cms.bench import FIRST_MONTH, LAST_DAY

    target = td_target_days(country=country)
    selector_ms, rows = median_ms(lambda: _timeliness_rows(country), repeats=3)
    params = {"c": country.pk, "start": FIRST_MONTH, "end": LAST_DAY, "target": target}
    sql_ms, sql_rows = median_ms(lambda: sql(TIMELINESS_SQL, params), repeats=3)
    from_sql = [(month, requested, refused, issued, _days(median), _days(p90), int(pending))
                for month, requested, refused, issued, _within, median, p90, pending in sql_rows]
    return Comparison(f"countries.selectors.td_timeliness (busiest country, {len(rows)} months)", selector_ms,
                      sql_ms, _selector_figures(rows) == from_sql)


def pandas_timeliness(frame: pd.DataFrame, code: str) -> list[tuple]:
    """What an analyst would compute from the extract: the same monthly figures, with pandas."""
    from cms.bench import FIRST_MONTH, LAST_DAY

    cases = frame[frame["country"] == code]
    months = pd.period_range(FIRST_MONTH, LAST_DAY, freq="M")
    requested_month = cases["requested_on"].dt.to_period("M")
    requested = requested_month.value_counts().reindex(months, fill_value=0)
    refused = requested_month[cases["outcome"] == "refused"].value_counts().reindex(months, fill_value=0)
    issued_cases = cases[cases["outcome"] == "issued"]
    by_issue = issued_cases.groupby(issued_cases["issued_on"].dt.to_period("M"))["days_to_issue"]
    issued = by_issue.size().reindex(months, fill_value=0)
    median = by_issue.quantile(0.5).reindex(months)
    p90 = by_issue.quantile(0.9).reindex(months)
    opened = requested_month[cases["outcome"].isin(["pending", "issued"])].value_counts().reindex(months,
                                                                                                   fill_value=0)
    pending = (opened - issued).cumsum()
    return [(month.start_time.date(), int(requested[month]), int(refused[month]), int(issued[month]),
             _days(median[month]), _days(p90[month]), int(pending[month])) for month in months]


def compare_pandas(country: Country, frame: pd.DataFrame) -> Comparison:
    selector_ms, rows = median_ms(lambda: _timeliness_rows(country), repeats=3)
    pandas_ms, figures = median_ms(lambda: pandas_timeliness(frame, country.code.code), repeats=3)
    return Comparison("countries.selectors.td_timeliness vs pandas on the extract in memory", selector_ms, pandas_ms,
                      _selector_figures(rows) == figures, reference="pandas")
