"""Writes of the reader site: the brief pages that hold each country's narrative."""

from __future__ import annotations

from django.db import transaction

from countries.models import Country

from .models import CountryBriefIndexPage, CountryBriefPage


@transaction.atomic
def brief_pages_sync(*, countries=None) -> int:
    """Give each country (or each of ``countries``) a brief page under every language's brief index, the
    pages of one country being translations of each other. Existing pages are left as they are (their
    narrative is the editors'). Returns the number of pages created."""
    indexes = list(CountryBriefIndexPage.objects.select_related("locale").order_by("path"))
    if not indexes:
        return 0
    countries = list(Country.objects.all() if countries is None else countries)
    existing = {(country_id, locale_id): key for country_id, locale_id, key in CountryBriefPage.objects.filter(
        country__in=countries).values_list("country_id", "locale_id", "translation_key")}
    created = 0
    for country in sorted(countries, key=lambda c: c.code.code):
        key = next((k for (cid, _), k in existing.items() if cid == country.pk), None)
        for index in indexes:
            if (country.pk, index.locale_id) in existing:
                continue
            page = CountryBriefPage(title=str(_country_name(country, index.locale.language_code)),
                                    slug=country.code.code.lower(), country=country, locale=index.locale)
            if key is not None:
                page.translation_key = key
            index.add_child(instance=page)
            key = page.translation_key
            existing[(country.pk, index.locale_id)] = key
            index.refresh_from_db()  # treebeard counts children on the parent row
            created += 1
    return created


def _country_name(country: Country, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(country.code.name) or country.code.code  # a code the settings give no name keeps its code
