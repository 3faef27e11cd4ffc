"""`seed_bench`: the benchmark data set's sizes, its determinism for a seed, its validity, and its refusals."""

import datetime as dt
import importlib

import pytest
from django.core.management import CommandError, call_command

from cms.bench import PROJECT_PREFIX, Sizes, bench_codes, bench_delete, bench_seed
from countries.models import Country, CountryClassification, TravelDocumentCase, TravelDocumentMonth
from engagements.models import Engagement, FollowUp
from projects.models import FundingLine, Project, ProjectCountry

pytestmark = pytest.mark.django_db


def fingerprint() -> dict:
    """The data set's content, by natural keys (primary keys differ between two databases)."""
    return {
        "countries": sorted(Country.objects.values_list("code", flat=True)),
        "classifications": sorted(CountryClassification.objects.values_list("country__code", "effective_date",
                                                                             "category")),
        "projects": sorted(Project.objects.values_list("reference", "partner__acronym", "status", "approved_amount",
                                                       "planned_start", "planned_end")),
        "shares": sorted(ProjectCountry.objects.values_list("project__reference", "country__code", "share")),
        "funding": sorted(FundingLine.objects.values_list("project__reference", "fiscal_year", "planned", "disbursed")),
        "engagements": sorted(Engagement.objects.values_list("country__code", "date", "status", "kind", "level",
                                                             "lead_department__code", "no_project_leveraged")),
        "leveraged": sorted(Engagement.projects_leveraged.through.objects.values_list(
            "engagement__date", "engagement__country__code", "project__reference")),
        "cases": sorted(TravelDocumentCase.objects.values_list("case_key", "country__code", "requested_on",
                                                               "issued_on", "outcome", "days_to_issue")),
        "months": TravelDocumentMonth.objects.count(),
    }


def test_scale_one_has_the_base_sizes_and_valid_rows():
    seeded = bench_seed(scale=1, seed=7)
    sizes = Sizes.at(1)
    assert (sizes.countries, sizes.projects, sizes.engagements, sizes.td_cases) == (3, 20, 1000, 10_000)
    assert Country.objects.count() == 3 and Project.objects.filter(reference__startswith=PROJECT_PREFIX).count() == 20
    assert Engagement.objects.count() == 1000 and TravelDocumentCase.objects.count() == 10_000
    assert TravelDocumentMonth.objects.count() == 3 * 240  # twenty years of months per country
    assert seeded.counts["engagements.followup"] == FollowUp.objects.count() > 0
    first, last = (TravelDocumentMonth.objects.order_by(field).values_list("month", flat=True).first()
                   for field in ("month", "-month"))
    assert (first, last) == (dt.date(2005, 4, 1), dt.date(2025, 3, 1))
    # Every share set adds up to 100 %, and the rows pass the models' own validation.
    for project in Project.objects.prefetch_related("country_shares")[:20]:
        assert sum(s.share for s in project.country_shares.all()) == 100
        project.full_clean()
    for model in (Engagement, FollowUp, TravelDocumentCase, FundingLine, CountryClassification):
        for row in model.objects.order_by("?")[:50]:
            row.full_clean()
    issued = TravelDocumentCase.objects.filter(outcome="issued").first()
    assert issued.days_to_issue == (issued.issued_on - issued.requested_on).days


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    from django.db import transaction

    def seeded_fingerprint(seed):
        with transaction.atomic():
            bench_seed(scale=1, seed=seed)
            result = fingerprint()
            transaction.set_rollback(True)
        return result

    first, again, other = seeded_fingerprint(11), seeded_fingerprint(11), seeded_fingerprint(12)
    assert first == again
    assert first["engagements"] != other["engagements"] and first["cases"] != other["cases"]
    assert Country.objects.count() == 0  # rolled back each time


def test_twice_is_refused_without_replace_and_replace_starts_again(capsys):
    call_command("seed_bench", "--scale", "1", "--seed", "2")
    before = fingerprint()
    with pytest.raises(CommandError, match="already recorded"):
        call_command("seed_bench", "--scale", "1", "--seed", "2")
    assert fingerprint() == before  # nothing more written
    call_command("seed_bench", "--scale", "1", "--seed", "2", "--replace")
    assert fingerprint() == before
    bench_delete(codes=bench_codes(3))
    assert not Country.objects.exists() and not Project.objects.exists() and not Engagement.objects.exists()


def test_a_scale_needing_more_fictional_countries_than_the_settings_have_is_refused_and_writes_nothing():
    # The test settings know the twelve demo countries only; scale 5 needs 13.
    with pytest.raises(CommandError, match="bench settings"):
        call_command("seed_bench", "--scale", "5")
    assert not Country.objects.exists() and not Engagement.objects.exists()
    with pytest.raises(CommandError, match="more than 0"):
        call_command("seed_bench", "--scale", "0")


def test_only_the_bench_settings_have_250_fictional_codes_and_none_is_a_real_country(settings):
    from django_countries.data import COUNTRIES

    bench = importlib.import_module("mcee.settings.bench")
    codes = bench.bench_country_codes()
    assert len(codes) >= Sizes.at(100).countries == 250
    assert not set(codes) & set(COUNTRIES) and not set(codes) & bench.RESERVED_CODES
    assert codes[:12] == list(settings.COUNTRIES_OVERRIDE)[:12]  # the demo countries come first
    assert len(settings.COUNTRIES_OVERRIDE) == 12  # the test settings: the demo countries only
    assert "QB" not in settings.COUNTRIES_OVERRIDE
