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
