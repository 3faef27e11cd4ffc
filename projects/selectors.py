"""Reads about the portfolio: the figures on reports, the dashboard and the admin home page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from countries.models import Category
from countries.selectors import category_from_history, category_history_by_country
from mcee.fiscal import FiscalYear

from .models import Envelope, FundingLine, PriorityArea, Project, ProjectCountry, ProjectStatus

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")
COUNTED_STATUSES = [s for s in ProjectStatus.values if s != ProjectStatus.CANCELLED]


def project_list() -> QuerySet[Project]:
    """Projects with what a listing shows, in a fixed number of queries."""
    return Project.objects.select_related("partner").prefetch_related(
        "priority_areas", "country_shares__country")


@dataclass(frozen=True)
class PriorityAreaCount:
    area: PriorityArea
    projects: int


def projects_by_priority_area() -> list[PriorityAreaCount]:
    """The evaluation's Table 1: every priority area with its number of (non-cancelled) projects.

    Sorted as the evaluation sorts it: most projects first, ties in the table's own order.
    """
    areas = PriorityArea.objects.annotate(
        n=Count("projects", filter=Q(projects__status__in=COUNTED_STATUSES), distinct=True))
    counts = [PriorityAreaCount(area, area.n) for area in areas]
    return sorted(counts, key=lambda c: (-c.projects, c.area.sort_order))


@dataclass(frozen=True)
class CategoryFunding:
    fiscal_year: FiscalYear
    category: str
    planned: Decimal
    disbursed: Decimal


def funding_by_category_and_fiscal_year() -> list[CategoryFunding]:
    """The evaluation's Figure 1: planned and disbursed funding by country category and year.

    A project's funding is split across its countries by their shares. Each country counts in the
    category in effect on the last day of that fiscal year (31 March), from its history. Every
    category is listed for every fiscal year that has funding, zero included.
    """
    # Shares are applied here in Decimal, not in SQL: SQLite stores 60.00 as the integer 60, so
    # ``share / 100`` there is integer division (0), and its other arithmetic is binary floating
    # point. Both databases then agree to the cent.
    rows = list(
        ProjectCountry.objects.filter(project__status__in=COUNTED_STATUSES)
        .exclude(project__funding_lines=None)
        .values_list("country_id", "share", "project__funding_lines__fiscal_year",
                     "project__funding_lines__planned", "project__funding_lines__disbursed")
        .order_by()
    )
    histories = category_history_by_country(country_ids={r[0] for r in rows})
    totals: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for country_id, share, start_year, planned, disbursed in rows:
        fraction = Decimal(share) / HUNDRED
        category = category_from_history(histories.get(country_id, []), FiscalYear(start_year).end)
        totals[(start_year, category)][0] += Decimal(planned) * fraction
        totals[(start_year, category)][1] += Decimal(disbursed) * fraction
    years = sorted({year for year, _ in totals})
    return [
        CategoryFunding(
            fiscal_year=FiscalYear(year),
            category=category,
            planned=totals[(year, category)][0].quantize(CENT, ROUND_HALF_UP),
            disbursed=totals[(year, category)][1].quantize(CENT, ROUND_HALF_UP),
        )
        for year in years
        for category in Category.values
    ]


@dataclass(frozen=True)
class EnvelopeYear:
    fiscal_year: FiscalYear
    approved: Decimal  # planned funding of non-cancelled projects in the year
    disbursed: Decimal

    @property
    def undisbursed(self) -> Decimal:
        return self.approved - self.disbursed


@dataclass(frozen=True)
class EnvelopeSummary:
    envelope: Envelope | None
    years: list[EnvelopeYear]

    @property
    def approved(self) -> Decimal:
        return sum((y.approved for y in self.years), ZERO)

    @property
    def disbursed(self) -> Decimal:
        return sum((y.disbursed for y in self.years), ZERO)

    @property
    def remaining(self) -> Decimal | None:
        """What the envelope has left to commit: its total less all approved funding."""
        return None if self.envelope is None else self.envelope.total_amount - self.approved


def envelope_summary(*, today: dt.date | None = None) -> EnvelopeSummary:
    """Approved, disbursed and remaining by fiscal year, over the envelope's years and any other
    year that has funding, in two queries."""
    envelope = Envelope.objects.order_by("pk").first()
    sums = {
        row["fiscal_year"]: row
        for row in FundingLine.objects.filter(project__status__in=COUNTED_STATUSES)
        .values("fiscal_year")
        .annotate(approved=Coalesce(Sum("planned"), ZERO), disbursed=Coalesce(Sum("disbursed"), ZERO))
        .order_by()
    }
    years = set(sums)
    if envelope:
        years |= {fy.start_year for fy in envelope.fiscal_years}
    return EnvelopeSummary(
        envelope=envelope,
        years=[
            EnvelopeYear(FiscalYear(y), Decimal(sums.get(y, {}).get("approved", ZERO)),
                         Decimal(sums.get(y, {}).get("disbursed", ZERO)))
            for y in sorted(years)
        ],
    )


# The results framework and partner reporting have their own modules; what the country brief, the dashboard
# and the reminders call is re-exported here.
from .reporting_selectors import ReportDue, partner_reporters, partner_reports_due, partner_reports_overdue  # noqa: E402
from .results_selectors import IndicatorResult, PmfRollup, indicator_results_for_projects, pmf_rollup  # noqa: E402

__all__ = ["CategoryFunding", "EnvelopeSummary", "EnvelopeYear", "IndicatorResult", "PmfRollup", "PriorityAreaCount",
           "ReportDue", "envelope_summary", "funding_by_category_and_fiscal_year", "indicator_results_for_projects",
           "partner_reporters", "partner_reports_due", "partner_reports_overdue", "pmf_rollup", "project_list",
           "projects_by_priority_area"]
