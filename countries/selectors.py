"""Reads about countries: the current category is derived from the classification history; the
preventive ranking is computed from the asylum statistics."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import AsylumStatistic, Category, Country, CountryClassification, PreventiveRankingWeights


def _category_in_effect(on: dt.date) -> Subquery:
    return Subquery(
        CountryClassification.objects.filter(country=OuterRef("pk"), effective_date__lte=on)
        .order_by("-effective_date")
        .values("category")[:1]
    )


def country_list(*, on: dt.date | None = None) -> QuerySet[Country]:
    """Countries annotated with ``category``: the one in effect on ``on`` (default today)."""
    on = on or timezone.localdate()
    return Country.objects.annotate(category=_category_in_effect(on))


def country_list_with_classification(*, on: dt.date | None = None) -> QuerySet[Country]:
    """Countries annotated with the classification in effect on ``on`` (default today): ``category``,
    ``category_since`` (its effective date) and ``category_rationale``, in one query."""
    on = on or timezone.localdate()
    in_effect = (CountryClassification.objects.filter(country=OuterRef("pk"), effective_date__lte=on)
                 .order_by("-effective_date"))
    return Country.objects.annotate(category=Subquery(in_effect.values("category")[:1]),
                                    category_since=Subquery(in_effect.values("effective_date")[:1]),
                                    category_rationale=Subquery(in_effect.values("rationale")[:1]))


def country_category_on(*, country: Country, on: dt.date | None = None) -> str:
    """The category in effect for one country on a date; not targeted before any classification."""
    on = on or timezone.localdate()
    category = (
        CountryClassification.objects.filter(country=country, effective_date__lte=on)
        .order_by("-effective_date")
        .values_list("category", flat=True)
        .first()
    )
    return category or Category.NOT_TARGETED


def category_history_by_country(*, country_ids) -> dict[int, list[tuple[dt.date, str]]]:
    """Each country's history as (effective date, category), oldest first, in one query."""
    history: dict[int, list[tuple[dt.date, str]]] = {}
    rows = (
        CountryClassification.objects.filter(country_id__in=list(country_ids))
        .order_by("country_id", "effective_date")
        .values_list("country_id", "effective_date", "category")
    )
    for country_id, effective_date, category in rows:
        history.setdefault(country_id, []).append((effective_date, category))
    return history


def category_from_history(history: list[tuple[dt.date, str]], on: dt.date) -> str:
    """The category in effect on a date, given a history from ``category_history_by_country``."""
    current = Category.NOT_TARGETED
    for effective_date, category in history:
        if effective_date > on:
            break
        current = category
    return current


# --- The preventive ranking -----------------------------------------------------------------------

FOUR_PLACES = Decimal("0.0001")
TREND_YEARS = 3


@dataclass(frozen=True)
class RankingWeights:
    """The weights of the three components of the score (see ``preventive_ranking``)."""

    claims: Decimal
    rejection: Decimal
    trend: Decimal


def ranking_weights() -> RankingWeights:
    """The weights an MCET administrator set in the admin (Settings, Preventive ranking weights)."""
    setting = PreventiveRankingWeights.load()
    return RankingWeights(claims=setting.claims_weight, rejection=setting.rejection_weight,
                          trend=setting.trend_weight)


@dataclass(frozen=True)
class RankingRow:
    """One country's line in the preventive ranking, with every number its score is made of."""

    country: Country
    year: int
    claims: int
    claims_rank: int
    irb_decided: int
    irb_rejected: int
    rejection_rate: Decimal | None  # None when the IRB decided nothing that year
    claims_3y_before: int | None  # None when that year is not recorded
    trend_3y: Decimal | None  # None when the year three years before is missing or has no claims
    claims_component: Decimal
    rejection_component: Decimal
    trend_component: Decimal
    score: Decimal
    rank: int

    @property
    def code(self) -> str:
        return self.country.code.code


def _four_places(value) -> Decimal:
    return Decimal(value).quantize(FOUR_PLACES, ROUND_HALF_UP)


def _competition_ranks(values: list) -> list[int]:
    """Standard competition ranking of values already sorted best first: 1, 2, 2, 4."""
    ranks = []
    for index, value in enumerate(values):
        ranks.append(ranks[-1] if index and value == values[index - 1] else index + 1)
    return ranks


def preventive_ranking(*, year: int, weights: RankingWeights | None = None) -> list[RankingRow]:
    """Every country with asylum statistics for ``year``, ranked by a transparent score.

    For each country, from its statistics of ``year`` (and of ``year - 3`` for the trend):

    - ``claims``: its asylum claims in the year; ``claims_rank`` 1 is the most claims, equal claims
      share a rank and the next rank skips (1, 2, 2, 4).
    - ``rejection_rate`` = irb_rejected / irb_decided; None when the IRB decided nothing.
    - ``trend_3y`` = (claims[year] - claims[year - 3]) / claims[year - 3]; None when year - 3 is not
      recorded or had no claims. It may be negative (fewer claims) or above 1 (more than doubled).

    The score adds three components, each a weight times a value between 0 and 1:

        claims component    = claims weight    x claims / highest claims of any ranked country that year
        rejection component = rejection weight x rejection_rate
        trend component     = trend weight     x trend_3y limited to 0..1
        score = claims component + rejection component + trend component

    A missing value (no IRB decision, no year - 3, a year with no claims at all) makes its
    component 0. Rates, trends and components are rounded to four decimal places (half up) from
    their exact values; the score is the sum of the rounded components, so the components shown
    always add up to the score shown. ``rank`` 1 is the highest score; equal scores share a rank
    (1, 2, 2, 4). Rows come by score, highest first, then by country code.

    ``weights`` default to the Preventive ranking weights setting. Three queries at most, whatever
    the number of countries: the weights, and the statistics of the two years.
    """
    weights = weights or ranking_weights()
    statistics = list(AsylumStatistic.objects.filter(year__in=[year, year - TREND_YEARS])
                      .select_related("country").order_by("country__code", "year"))
    earlier = {s.country_id: s.claims for s in statistics if s.year == year - TREND_YEARS}
    current = [s for s in statistics if s.year == year]
    if not current:
        return []
    highest = max(s.claims for s in current)

    lines = []
    for stat in current:
        rate = (Decimal(stat.irb_rejected) / Decimal(stat.irb_decided)) if stat.irb_decided else None
        before = earlier.get(stat.country_id)
        trend = (Decimal(stat.claims - before) / Decimal(before)) if before else None
        claims_component = _four_places(weights.claims * Decimal(stat.claims) / Decimal(highest)) if highest \
            else _four_places(0)
        rejection_component = _four_places(weights.rejection * rate) if rate is not None else _four_places(0)
        trend_component = (_four_places(weights.trend * min(max(trend, Decimal(0)), Decimal(1)))
                           if trend is not None else _four_places(0))
        lines.append({
            "country": stat.country, "year": year, "claims": stat.claims, "irb_decided": stat.irb_decided,
            "irb_rejected": stat.irb_rejected,
            "rejection_rate": _four_places(rate) if rate is not None else None,
            "claims_3y_before": before,
            "trend_3y": _four_places(trend) if trend is not None else None,
            "claims_component": claims_component, "rejection_component": rejection_component,
            "trend_component": trend_component,
            "score": claims_component + rejection_component + trend_component,
        })

    by_claims = sorted(lines, key=lambda line: -line["claims"])
    for line, rank in zip(by_claims, _competition_ranks([line["claims"] for line in by_claims]), strict=True):
        line["claims_rank"] = rank
    lines.sort(key=lambda line: (-line["score"], line["country"].code.code))
    for line, rank in zip(lines, _competition_ranks([line["score"] for line in lines]), strict=True):
        line["rank"] = rank
    return [RankingRow(**line) for line in lines]


# --- Travel documents (issue 5) -------------------------------------------------------------------
# Figures per country and month, fiscal quarter or fiscal year, computed in SQL with a fixed number
# of queries whatever the number of cases. Period boundaries come from mcee.fiscal: each period is
# a CASE WHEN date BETWEEN start AND end in the query, so the database groups the cases by period.
#
# From cases (a case counts in the period of its request, and as issued in the period of its issue):
#   requested   cases requested in the period
#   issued      cases issued in the period
#   refused     cases refused, in the period of their request (the extract has no refusal date)
#   pending_end cases requested by the period's end and not yet decided then: still pending, or
#               issued after the period's end
#   median_days, p90_days
#               the median and 90th percentile of the days from request to issue of the cases
#               issued in the period, by linear interpolation (PostgreSQL's percentile_cont; on
#               SQLite, which has no percentile function, the days of the issued cases are fetched
#               in one query, grouped by period, and the same interpolation is done in Python)
#   within_target_share
#               the share of the cases issued in the period within the country's target days
# From monthly figures, when a period has no case: requested, issued and refused are summed,
# pending_end is the figure of the period's last month; there are no days to issue.
# When a period has both, the cases win and ``warning`` gives the monthly figures that differ.

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Aggregate, Count, FloatField, IntegerField, Max, Min, Q, Value  # noqa: E402
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, TruncMonth  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

# The figures a data-quality warning compares, as the reader calls them.
FIGURE_NAMES = {"requested": gettext_lazy("requested"), "issued": gettext_lazy("issued"),
                "refused": gettext_lazy("refused"), "pending_end": gettext_lazy("pending at period end")}

from mcee.fiscal import FiscalQuarter, FiscalYear  # noqa: E402

from .models import (  # noqa: E402
    TARGETED_CATEGORIES,
    Outcome,
    TimelinessTarget,
    TravelDocumentCase,
    TravelDocumentMonth,
)

PERIODS = ("month", "quarter", "fiscal_year")
RATE_PLACES = Decimal("0.0001")
DAY_PLACES = Decimal("0.1")
MEDIAN, P90 = 0.5, 0.9


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class TimelinessRow:
    country: Country
    period: str
    start: dt.date
    end: dt.date
    requested: int | None
    issued: int | None
    refused: int | None
    pending_end: int | None
    issuance_rate: Decimal | None  # issued ÷ requested, four places; None when nothing was requested
    median_days: Decimal | None
    p90_days: Decimal | None
    within_target_share: Decimal | None  # four places; None when nothing was issued (or monthly figures only)
    target_days: int
    source: str  # "cases", "monthly" or "" (no data)
    warning: str = ""


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def td_periods(*, period: str, start: dt.date, end: dt.date) -> list[Period]:
    """The periods (months, fiscal quarters or fiscal years) from the one holding ``start`` to the one
    holding ``end``."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    periods = []
    if period == "month":
        current = _month_start(start)
        while current <= end:
            following = _next_month(current)
            periods.append(Period(f"{current:%Y-%m}", current, following - dt.timedelta(days=1)))
            current = following
    elif period == "quarter":
        quarter = FiscalQuarter.of(start)
        while quarter.start <= end:
            periods.append(Period(quarter.localized_label(), quarter.start, quarter.end))
            quarter = quarter.next()
    else:
        year = FiscalYear.of(start)
        while year.start <= end:
            periods.append(Period(year.localized_label(), year.start, year.end))
            year = year.next()
    return periods


def _period_of(field: str, periods: list[Period]):
    """The index of the period a date falls in, as SQL arithmetic on its year and month (the periods are
    whole months, quarters or years, one after the other from the first). Callers keep to dates within
    the periods (``field__range`` of the span). Arithmetic, not one CASE branch per period: over twenty
    years of months, a 240-branch CASE per row was most of the query's time."""
    first = periods[0]
    months_per_period = (first.end.year - first.start.year) * 12 + first.end.month - first.start.month + 1
    base = first.start.year * 12 + first.start.month
    month_number = Cast(ExtractYear(field), IntegerField()) * 12 + Cast(ExtractMonth(field), IntegerField())
    return Cast((month_number - Value(base)) / Value(months_per_period), IntegerField())


def _percentile(values: list[int], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks, as PostgreSQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _days(value) -> Decimal | None:
    return None if value is None else Decimal(str(round(float(value), 6))).quantize(DAY_PLACES, ROUND_HALF_UP)


def _share(part, whole) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES, ROUND_HALF_UP) if whole else None


def td_target_days(*, country: Country) -> int:
    target = TimelinessTarget.objects.filter(country=country).values_list("target_days", flat=True).first()
    return target or settings.MCEE_TD_TARGET_DAYS


def _td_bounds(country: Country) -> tuple[dt.date | None, dt.date | None]:
    cases = TravelDocumentCase.objects.filter(country=country).aggregate(
        first=Min("requested_on"), last_requested=Max("requested_on"), last_issued=Max("issued_on"))
    months = TravelDocumentMonth.objects.filter(country=country).aggregate(first=Min("month"), last=Max("month"))
    firsts = [d for d in (cases["first"], months["first"]) if d]
    lasts = [d for d in (cases["last_requested"], cases["last_issued"], months["last"]) if d]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def td_timeliness(*, country: Country, period: str = "month", start: dt.date | None = None,
                  end: dt.date | None = None) -> list[TimelinessRow]:
    """One row per period from ``start`` to ``end`` (default: the country's first to last data)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    target = td_target_days(country=country)
    if start is None or end is None:
        first, last = _td_bounds(country)
        start, end = start or first, end or last
    if start is None or end is None or end < start:
        return []
    periods = td_periods(period=period, start=start, end=end)
    span = (periods[0].start, periods[-1].end)
    cases = TravelDocumentCase.objects.filter(country=country)

    by_request = {
        row["period"]: row for row in cases.filter(requested_on__range=span)
        .annotate(period=_period_of("requested_on", periods)).values("period")
        .annotate(requested=Count("pk"), refused=Count("pk", filter=Q(outcome=Outcome.REFUSED)))
    }
    issued_cases = cases.filter(outcome=Outcome.ISSUED, issued_on__range=span).annotate(
        period=_period_of("issued_on", periods))
    aggregates = {"issued": Count("pk"), "within": Count("pk", filter=Q(days_to_issue__lte=target))}
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = PercentileCont("days_to_issue", MEDIAN)
        aggregates["p90"] = PercentileCont("days_to_issue", P90)
    by_issue = {row["period"]: row for row in issued_cases.values("period").annotate(**aggregates)}
    if not postgres:
        days: dict[int, list[int]] = {}
        for index, value in issued_cases.values_list("period", "days_to_issue"):
            days.setdefault(index, []).append(value)
        for index, values in days.items():
            by_issue[index]["median"] = _percentile(values, MEDIAN)
            by_issue[index]["p90"] = _percentile(values, P90)
    pending = cases.aggregate(**{
        f"p{i}": Count("pk", filter=Q(requested_on__lte=p.end)
                       & (Q(outcome=Outcome.PENDING) | Q(outcome=Outcome.ISSUED, issued_on__gt=p.end)))
        for i, p in enumerate(periods)})
    has_cases = cases.filter(Q(requested_on__lte=span[1]) & (Q(issued_on__isnull=True) | Q(issued_on__gte=span[0]))
                             ).exists()

    monthly: dict[int, dict] = {}
    month_rows = (TravelDocumentMonth.objects.filter(country=country, month__range=span)
                  .annotate(period=_period_of("month", periods)).order_by("month")
                  .values("period", "month", "requested", "issued", "refused", "pending_end"))
    for row in month_rows:
        figures = monthly.setdefault(row["period"], {"requested": 0, "issued": 0, "refused": 0})
        for name in ("requested", "issued", "refused"):
            figures[name] += row[name]
        # The pending figure of the period's last month, when that month is reported.
        last_month = _month_start(periods[row["period"]].end)
        figures["pending_end"] = row["pending_end"] if row["month"] == last_month else None

    rows = []
    for index, p in enumerate(periods):
        requested_row, issued_row = by_request.get(index), by_issue.get(index)
        from_cases = bool(requested_row or issued_row)
        month = monthly.get(index)
        base = {"country": country, "period": p.label, "start": p.start, "end": p.end, "target_days": target}
        if from_cases or (has_cases and not month):
            issued = issued_row["issued"] if issued_row else 0
            requested = requested_row["requested"] if requested_row else 0
            figures = {"requested": requested, "issued": issued,
                       "refused": requested_row["refused"] if requested_row else 0,
                       "pending_end": pending[f"p{index}"]}
            warning = ""
            if month:
                differences = [
                    _("%(figure)s: %(cases)s from cases, %(monthly)s in the monthly figures")
                    % {"figure": FIGURE_NAMES[name], "cases": figures[name], "monthly": month.get(name)}
                    for name in FIGURE_NAMES
                    if month.get(name) is not None and month.get(name) != figures[name]]
                if differences:
                    warning = _("Case-level data used; the monthly figures differ (%(differences)s).") % {
                        "differences": "; ".join(differences)}
            rows.append(TimelinessRow(
                **base, **figures, issuance_rate=_share(issued, requested),
                median_days=_days(issued_row["median"]) if issued_row else None,
                p90_days=_days(issued_row["p90"]) if issued_row else None,
                within_target_share=_share(issued_row["within"], issued) if issued_row else None,
                source="cases", warning=warning))
        elif month:
            rows.append(TimelinessRow(
                **base, requested=month["requested"], issued=month["issued"], refused=month["refused"],
                pending_end=month.get("pending_end"), issuance_rate=_share(month["issued"], month["requested"]),
                median_days=None, p90_days=None, within_target_share=None, source="monthly"))
        else:
            rows.append(TimelinessRow(**base, requested=None, issued=None, refused=None, pending_end=None,
                                      issuance_rate=None, median_days=None, p90_days=None,
                                      within_target_share=None, source=""))
    return rows


@dataclass(frozen=True)
class CompletenessRow:
    country: Country
    category: str
    fiscal_year: FiscalYear
    months_expected: int  # the months of the year so far (all twelve for a past year)
    months_without_data: list[str]  # YYYY-MM: no monthly figures and no case requested or issued
    months_missing_inventory: list[str]  # YYYY-MM: no added_to_inventory count (no monthly row, or empty)


def td_completeness(*, fiscal_year: FiscalYear | None = None, today: dt.date | None = None,
                    countries=None) -> list[CompletenessRow]:
    """Data gaps per targeted country (recalcitrant, preventive, at risk) and fiscal year: the
    current fiscal year, or ``fiscal_year``. Months after ``today`` are not expected yet. ``countries``
    narrows it to some countries (those of them that are targeted)."""
    today = today or timezone.localdate()
    fiscal_year = fiscal_year or FiscalYear.of(today)
    on = min(today, fiscal_year.end)
    months = []
    current = fiscal_year.start
    while current <= min(fiscal_year.end, today):
        months.append(current)
        current = _next_month(current)
    targeted = country_list(on=on).filter(category__in=TARGETED_CATEGORIES).order_by("code")
    if countries is not None:
        targeted = targeted.filter(pk__in=[c.pk for c in countries])
    targeted = list(targeted)
    ids = [c.pk for c in targeted]
    span = (fiscal_year.start, fiscal_year.end)
    with_data: set[tuple[int, dt.date]] = set()
    with_inventory: set[tuple[int, dt.date]] = set()
    for country_id, month, inventory in TravelDocumentMonth.objects.filter(
            country_id__in=ids, month__range=span).values_list("country_id", "month", "added_to_inventory"):
        with_data.add((country_id, month))
        if inventory is not None:
            with_inventory.add((country_id, month))
    for field in ("requested_on", "issued_on"):
        for country_id, month in (TravelDocumentCase.objects.filter(country_id__in=ids, **{f"{field}__range": span})
                                  .annotate(m=TruncMonth(field)).values_list("country_id", "m").distinct()):
            with_data.add((country_id, month.date() if isinstance(month, dt.datetime) else month))
    return [
        CompletenessRow(
            country=country, category=country.category, fiscal_year=fiscal_year, months_expected=len(months),
            months_without_data=[f"{m:%Y-%m}" for m in months if (country.pk, m) not in with_data],
            months_missing_inventory=[f"{m:%Y-%m}" for m in months if (country.pk, m) not in with_inventory])
        for country in targeted
    ]


# --- Timeliness per targeted country, against its target (the dashboard, issue 8) ----------------
#
# One row per targeted country (category in effect on the window's last day, or today if earlier),
# for a window: a fiscal year, or by default the last four complete fiscal quarters. The figures are
# those of ``td_timeliness`` over the whole window (cases win; a country with no case in the window
# falls back to its monthly figures, which have no days to issue). Five queries on SQLite, four on
# PostgreSQL, whatever the number of countries and cases.

from django.db.models import F, Sum  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

TIMELINESS_WINDOW_QUARTERS = 4
CATEGORY_ORDER = {category: index for index, category in enumerate(TARGETED_CATEGORIES)}


@dataclass(frozen=True)
class TimelinessWindow:
    start: dt.date
    end: dt.date
    label: str


def td_timeliness_window(*, fiscal_year: FiscalYear | None = None, today: dt.date | None = None) -> TimelinessWindow:
    """The fiscal year given, or the last four complete fiscal quarters before ``today``'s."""
    if fiscal_year is not None:
        return TimelinessWindow(fiscal_year.start, fiscal_year.end, fiscal_year.localized_label())
    today = today or timezone.localdate()
    quarters = FiscalQuarter.last(TIMELINESS_WINDOW_QUARTERS, ending=FiscalQuarter.of(today).previous())
    return TimelinessWindow(quarters[0].start, quarters[-1].end,
                            f"{quarters[0].localized_label()} – {quarters[-1].localized_label()}")


@dataclass(frozen=True)
class CountryTimeliness:
    country: Country
    category: str
    window: TimelinessWindow
    requested: int | None
    issued: int | None
    median_days: Decimal | None
    within_target_share: Decimal | None  # four places; None when nothing was issued (or monthly figures only)
    target_days: int
    source: str  # "cases", "monthly" or "" (no data)


def td_timeliness_by_country(*, fiscal_year: FiscalYear | None = None,
                             today: dt.date | None = None) -> list[CountryTimeliness]:
    """Requested, issued, median days to issue and share issued within target, per targeted country
    (recalcitrant first, then preventive, then at risk; by code within each)."""
    today = today or timezone.localdate()
    window = td_timeliness_window(fiscal_year=fiscal_year, today=today)
    span = (window.start, window.end)
    default_target = settings.MCEE_TD_TARGET_DAYS
    targets = TimelinessTarget.objects.filter(country=OuterRef("pk")).values("target_days")[:1]
    countries = sorted(
        country_list(on=min(today, window.end)).filter(category__in=TARGETED_CATEGORIES)
        .annotate(target=Subquery(targets)),
        key=lambda c: (CATEGORY_ORDER[c.category], c.code.code))
    ids = [c.pk for c in countries]
    if not ids:
        return []
    cases = TravelDocumentCase.objects.filter(country_id__in=ids)
    requested = dict(cases.filter(requested_on__range=span).values("country_id").annotate(n=Count("pk"))
                     .order_by().values_list("country_id", "n"))
    issued_cases = cases.filter(outcome=Outcome.ISSUED, issued_on__range=span)
    target = Coalesce(F("country__td_target__target_days"), Value(default_target))
    aggregates = {"issued": Count("pk"), "within": Count("pk", filter=Q(days_to_issue__lte=target))}
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = PercentileCont("days_to_issue", MEDIAN)
    issued = {row["country_id"]: row for row in
              issued_cases.values("country_id").annotate(**aggregates).order_by()}
    if not postgres:
        days: dict[int, list[int]] = {}
        for country_id, value in issued_cases.values_list("country_id", "days_to_issue"):
            days.setdefault(country_id, []).append(value)
        for country_id, values in days.items():
            issued[country_id]["median"] = _percentile(values, MEDIAN)
    monthly = {row["country_id"]: row for row in
               TravelDocumentMonth.objects.filter(country_id__in=ids, month__range=span).values("country_id")
               .annotate(requested=Sum("requested"), issued=Sum("issued")).order_by()}

    rows = []
    for country in countries:
        base = {"country": country, "category": country.category, "window": window,
                "target_days": country.target or default_target}
        issued_row = issued.get(country.pk)
        if country.pk in requested or issued_row:
            count = issued_row["issued"] if issued_row else 0
            rows.append(CountryTimeliness(
                **base, requested=requested.get(country.pk, 0), issued=count,
                median_days=_days(issued_row["median"]) if issued_row else None,
                within_target_share=_share(issued_row["within"], count) if issued_row else None, source="cases"))
        elif country.pk in monthly:
            month = monthly[country.pk]
            rows.append(CountryTimeliness(**base, requested=month["requested"], issued=month["issued"],
                                          median_days=None, within_target_share=None, source="monthly"))
        else:
            rows.append(CountryTimeliness(**base, requested=None, issued=None, median_days=None,
                                          within_target_share=None, source=""))
    return rows
