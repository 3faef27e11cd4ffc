"""A country's category is never stored: it is read from its dated classification history."""

import datetime as dt

import pytest

from countries.models import Category
from countries.selectors import (
    category_from_history,
    category_history_by_country,
    country_category_on,
    country_list,
)
from tests.factories import ClassificationFactory, CountryFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def countries():
    """XA: preventive from 2019-04-01, recalcitrant from 2021-07-15. XB: recalcitrant from 2020-01-01,
    not targeted from 2023-04-01. XC: never classified."""
    xa, xb, xc = CountryFactory(code="XA"), CountryFactory(code="XB"), CountryFactory(code="XC")
    ClassificationFactory(country=xa, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2021, 7, 15))
    ClassificationFactory(country=xb, category=Category.RECALCITRANT, effective_date=D(2020, 1, 1))
    ClassificationFactory(country=xb, category=Category.NOT_TARGETED, effective_date=D(2023, 4, 1))
    return xa, xb, xc


def categories_on(on):
    return {c.code.code: c.category for c in country_list(on=on)}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2019, 3, 31), {"XA": None, "XB": None, "XC": None}),  # before any classification
        (D(2019, 4, 1), {"XA": "preventive", "XB": None, "XC": None}),
        (D(2020, 1, 1), {"XA": "preventive", "XB": "recalcitrant", "XC": None}),
        (D(2021, 7, 14), {"XA": "preventive", "XB": "recalcitrant", "XC": None}),  # the day before
        (D(2021, 7, 15), {"XA": "recalcitrant", "XB": "recalcitrant", "XC": None}),  # that day
        (D(2023, 3, 31), {"XA": "recalcitrant", "XB": "recalcitrant", "XC": None}),
        (D(2023, 4, 1), {"XA": "recalcitrant", "XB": "not_targeted", "XC": None}),
        (D(2030, 1, 1), {"XA": "recalcitrant", "XB": "not_targeted", "XC": None}),
    ],
)
def test_country_list_annotates_the_category_in_effect_on_a_date(countries, on, expected):
    assert categories_on(on) == expected


def test_country_list_is_one_query(countries, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(country_list(on=D(2022, 1, 1)))) == 3


def test_country_list_defaults_to_today(countries):
    # Both histories' latest entries are in the past, so "today" sees them.
    assert categories_on(None) == {"XA": "recalcitrant", "XB": "not_targeted", "XC": None}


def test_a_later_entry_does_not_depend_on_insertion_order():
    xd = CountryFactory(code="XD")
    # Inserted newest first: the effective date decides, not the row id.
    ClassificationFactory(country=xd, category=Category.AT_RISK, effective_date=D(2022, 4, 1))
    ClassificationFactory(country=xd, category=Category.PREVENTIVE, effective_date=D(2020, 4, 1))
    assert categories_on(D(2021, 1, 1)) == {"XD": "preventive"}
    assert categories_on(D(2022, 4, 1)) == {"XD": "at_risk"}
    assert country_category_on(country=xd, on=D(2021, 1, 1)) == Category.PREVENTIVE
    assert country_category_on(country=xd, on=D(2023, 1, 1)) == Category.AT_RISK


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        ("XA", D(2019, 3, 31), Category.NOT_TARGETED),  # before any classification
        ("XA", D(2019, 4, 1), Category.PREVENTIVE),
        ("XA", D(2021, 7, 14), Category.PREVENTIVE),
        ("XA", D(2021, 7, 15), Category.RECALCITRANT),
        ("XB", D(2023, 3, 31), Category.RECALCITRANT),
        ("XB", D(2023, 4, 1), Category.NOT_TARGETED),
        ("XC", D(2024, 1, 1), Category.NOT_TARGETED),  # never classified
    ],
)
def test_country_category_on(countries, code, on, expected):
    country = next(c for c in countries if c.code.code == code)
    assert country_category_on(country=country, on=on) == expected


def test_category_history_by_country_is_oldest_first(countries, django_assert_num_queries):
    xa, xb, xc = countries
    with django_assert_num_queries(1):
        history = category_history_by_country(country_ids=[xa.pk, xb.pk, xc.pk])
    assert history == {
        xa.pk: [(D(2019, 4, 1), "preventive"), (D(2021, 7, 15), "recalcitrant")],
        xb.pk: [(D(2020, 1, 1), "recalcitrant"), (D(2023, 4, 1), "not_targeted")],
    }
    assert category_history_by_country(country_ids=[xc.pk]) == {}


HISTORY = [(D(2019, 4, 1), "preventive"), (D(2021, 7, 15), "recalcitrant"), (D(2024, 4, 1), "not_targeted")]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2019, 3, 31), Category.NOT_TARGETED),
        (D(2019, 4, 1), "preventive"),
        (D(2021, 7, 14), "preventive"),
        (D(2021, 7, 15), "recalcitrant"),
        (D(2024, 3, 31), "recalcitrant"),
        (D(2024, 4, 1), "not_targeted"),
    ],
)
def test_category_from_history(on, expected):
    assert category_from_history(HISTORY, on) == expected


def test_category_from_an_empty_history_is_not_targeted():
    assert category_from_history([], D(2024, 1, 1)) == Category.NOT_TARGETED


def test_selectors_agree_with_each_other(countries):
    histories = category_history_by_country(country_ids=[c.pk for c in countries])
    for on in [D(2019, 3, 31), D(2020, 6, 1), D(2021, 7, 15), D(2023, 4, 1)]:
        annotated = {c.pk: c.category or Category.NOT_TARGETED for c in country_list(on=on)}
        for country in countries:
            from_history = category_from_history(histories.get(country.pk, []), on)
            assert annotated[country.pk] == from_history == country_category_on(country=country, on=on)
