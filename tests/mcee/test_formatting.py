"""Figures formatted for the active language: `$1,234` in English, `1 234 $` in French."""

from decimal import Decimal

import pytest
from django.utils import translation

from mcee.formatting import format_money, format_number, format_percent

NBSP = "\u00a0"
NNBSP = "\u202f"


def test_the_separators_are_the_right_unicode_characters():
    french = format_money(1234, "fr")
    assert french == "1\u202f234\u00a0$"
    assert " " not in french  # never a plain space a browser could wrap on


@pytest.mark.parametrize(
    ("value", "decimals", "en", "fr"),
    [
        (0, 0, "0", "0"),
        (999, 0, "999", "999"),
        (1234, 0, "1,234", f"1{NNBSP}234"),
        (Decimal("1234.5"), 1, "1,234.5", f"1{NNBSP}234,5"),
        (Decimal("1234567.891"), 2, "1,234,567.89", f"1{NNBSP}234{NNBSP}567,89"),
        (21000000, 0, "21,000,000", f"21{NNBSP}000{NNBSP}000"),
        (Decimal("-1234.5"), 1, "-1,234.5", f"-1{NNBSP}234,5"),
        ("1234.56", 2, "1,234.56", f"1{NNBSP}234,56"),
    ],
)
def test_format_number(value, decimals, en, fr):
    assert format_number(value, decimals, "en") == en
    assert format_number(value, decimals, "fr") == fr


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("0.125"), 2, "0.13"),  # half up, not banker's rounding
        (Decimal("2.5"), 0, "3"),
        (Decimal("3.5"), 0, "4"),
        (Decimal("1234.4999"), 0, "1,234"),
        (Decimal("999.995"), 2, "1,000.00"),  # rounding carries into a new thousands group
    ],
)
def test_format_number_rounds_half_up(value, decimals, expected):
    assert format_number(value, decimals, "en") == expected


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_values_format_as_empty_text(empty):
    assert format_number(empty) == ""
    assert format_money(empty) == ""
    assert format_percent(empty) == ""


@pytest.mark.parametrize(
    ("value", "decimals", "en", "fr"),
    [
        (1234, 0, "$1,234", f"1{NNBSP}234{NBSP}$"),
        (Decimal("21000000.00"), 0, "$21,000,000", f"21{NNBSP}000{NNBSP}000{NBSP}$"),
        (Decimal("1234.5"), 2, "$1,234.50", f"1{NNBSP}234,50{NBSP}$"),
        (Decimal("0.004"), 2, "$0.00", f"0,00{NBSP}$"),
        (Decimal("-1500"), 0, "-$1,500", f"-1{NNBSP}500{NBSP}$"),
        (Decimal("999"), 0, "$999", f"999{NBSP}$"),
    ],
)
def test_format_money(value, decimals, en, fr):
    assert format_money(value, "en", decimals) == en
    assert format_money(value, "fr", decimals) == fr


@pytest.mark.parametrize(
    ("value", "decimals", "en", "fr"),
    [
        (Decimal("12.345"), 1, "12.3%", f"12,3{NBSP}%"),
        (Decimal("12.35"), 1, "12.4%", f"12,4{NBSP}%"),
        (60, 0, "60%", f"60{NBSP}%"),
        (Decimal("1234.5"), 1, "1,234.5%", f"1{NNBSP}234,5{NBSP}%"),
    ],
)
def test_format_percent(value, decimals, en, fr):
    assert format_percent(value, decimals, "en") == en
    assert format_percent(value, decimals, "fr") == fr


def test_without_a_language_the_active_one_is_used():
    with translation.override("fr"):
        assert format_money(1234) == f"1{NNBSP}234{NBSP}$"
        assert format_number(Decimal("1.5"), 1) == "1,5"
        assert format_percent(50, 0) == f"50{NBSP}%"
    with translation.override("fr-ca"):
        assert format_number(1234) == f"1{NNBSP}234"
    with translation.override("en"):
        assert format_money(1234) == "$1,234"
        assert format_number(Decimal("1.5"), 1) == "1.5"
        assert format_percent(50, 0) == "50%"


def test_an_explicit_language_wins_over_the_active_one():
    with translation.override("fr"):
        assert format_money(1234, "en") == "$1,234"
    with translation.override("en"):
        assert format_money(1234, "fr") == f"1{NNBSP}234{NBSP}$"


def test_dates_are_written_as_in_each_language():
    import datetime as dt

    from mcee.formatting import format_date

    day = dt.date(2026, 12, 6)
    assert format_date(day, "fr") == "6 décembre 2026"
    assert format_date(day, "en") == "Dec. 6, 2026"
    assert format_date(None, "en") == ""
