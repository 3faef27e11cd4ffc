"""Writes about countries."""

import datetime as dt

from django.db import transaction

from .models import Country, CountryClassification


@transaction.atomic
def country_get_or_create(*, code: str) -> Country:
    country, _ = Country.objects.get_or_create(code=code.upper())
    return country


@transaction.atomic
def country_classify(*, country: Country, category: str, effective_date: dt.date,
                     rationale: str = "") -> CountryClassification:
    """Record a category change, effective on a date; the current category follows from it."""
    entry = CountryClassification(country=country, category=category,
                                  effective_date=effective_date, rationale=rationale)
    entry.full_clean()
    entry.save()
    return entry
