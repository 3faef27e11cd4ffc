"""Reads about countries: the current category is derived from the classification history."""

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import Category, Country, CountryClassification


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
