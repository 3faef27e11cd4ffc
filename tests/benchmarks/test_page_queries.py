"""Every main page (tests/benchmarks/pages.py) makes the same number of queries at two data sizes: the
benchmark data set at scale 1 and at scale 2 (twice the projects, engagements and cases, more countries)."""

import pytest
from django.conf import settings

from cms.bench import Sizes, bench_codes, bench_delete, bench_seed
from tests.benchmarks.pages import PAGES, context_from_data, page_queries


@pytest.fixture
def no_two_factor():
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []


def measure() -> dict[str, tuple[int, int]]:
    context = context_from_data()
    return {page.name: page_queries(page, context) for page in PAGES}


@pytest.mark.django_db
def test_every_main_page_makes_the_same_number_of_queries_at_two_data_sizes(settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    bench_seed(scale=1, seed=3)
    small = measure()
    bench_delete(codes=bench_codes(Sizes.at(1).countries))
    bench_seed(scale=2, seed=3)
    large = measure()
    assert {name: status for name, (status, _) in small.items()} == dict.fromkeys(small, 200)
    assert {name: status for name, (status, _) in large.items()} == dict.fromkeys(large, 200)
    assert {name: queries for name, (_, queries) in large.items()} == {
        name: queries for name, (_, queries) in small.items()}
