"""The federal fiscal year: 1 April to 31 March, written 2024-25 (French 2024-2025)."""

import datetime as dt

import pytest
from django.utils import translation

from mcee.fiscal import FiscalQuarter, FiscalYear, fiscal_year, fiscal_years_between, fiscal_years_spanned

D = dt.date


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2025, 3, 31), "2024-25"),  # last day of a fiscal year belongs to the previous calendar start
        (D(2025, 4, 1), "2025-26"),  # first day of the new fiscal year
        (D(2024, 12, 31), "2024-25"),  # calendar year end is mid fiscal year
        (D(2025, 1, 1), "2024-25"),  # calendar year start too
        (D(2024, 4, 1), "2024-25"),
        (D(2024, 3, 31), "2023-24"),
        (D(2024, 2, 29), "2023-24"),
    ],
)
def test_fiscal_year_of_a_date_at_the_edges(day, label):
    assert fiscal_year(day) == label
    assert FiscalYear.of(day).label == label
    assert day in FiscalYear.of(day)


def test_fiscal_year_of_returns_the_start_year():
    assert FiscalYear.of(D(2025, 3, 31)) == FiscalYear(2024)
    assert FiscalYear.of(D(2025, 4, 1)) == FiscalYear(2025)


def test_fiscal_year_bounds_and_membership():
    fy = FiscalYear(2024)
    assert fy.start == D(2024, 4, 1)
    assert fy.end == D(2025, 3, 31)
    assert D(2024, 3, 31) not in fy
    assert D(2025, 4, 1) not in fy
    assert fy.next() == FiscalYear(2025)
    assert FiscalYear(2023) < FiscalYear(2024)


def test_labels_in_english_and_french():
    fy = FiscalYear(2024)
    assert fy.label == "2024-25"
    assert str(fy) == "2024-25"
    assert fy.label_fr == "2024-2025"
    assert fy.localized_label("fr") == "2024-2025"
    assert fy.localized_label("en") == "2024-25"
    assert fy.localized_label("fr-ca") == "2024-2025"


def test_localized_label_follows_the_active_language():
    fy = FiscalYear(2024)
    with translation.override("fr"):
        assert fy.localized_label() == "2024-2025"
        assert FiscalQuarter(fy, 3).localized_label() == "2024-2025 T3"
    with translation.override("en"):
        assert fy.localized_label() == "2024-25"
        assert FiscalQuarter(fy, 3).localized_label() == "2024-25 Q3"


@pytest.mark.parametrize(
    ("start_year", "label", "label_fr"),
    [
        (1999, "1999-00", "1999-2000"),
        (2099, "2099-00", "2099-2100"),
        (2009, "2009-10", "2009-2010"),
        (2000, "2000-01", "2000-2001"),
    ],
)
def test_label_wraps_at_the_century(start_year, label, label_fr):
    fy = FiscalYear(start_year)
    assert fy.label == label
    assert fy.label_fr == label_fr
    assert FiscalYear.parse(label) == fy
    assert FiscalYear.parse(label_fr) == fy


@pytest.mark.parametrize("text", ["2024-25", "2024-2025", " 2024-25 ", "2024-2025\n"])
def test_parse_accepts_short_and_long_forms(text):
    assert FiscalYear.parse(text) == FiscalYear(2024)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-26", "“2024-26” is not a fiscal year: 2024 is followed by 2025."),
        ("2024-2026", "“2024-2026” is not a fiscal year: 2024 is followed by 2025."),
        ("2024-24", "“2024-24” is not a fiscal year: 2024 is followed by 2025."),
        ("1999-2001", "“1999-2001” is not a fiscal year: 1999 is followed by 2000."),
        ("24-25", "“24-25” is not a fiscal year; write it as 2024-25."),
        ("2024/25", "“2024/25” is not a fiscal year; write it as 2024-25."),
        ("2024", "“2024” is not a fiscal year; write it as 2024-25."),
        ("2024-251", "“2024-251” is not a fiscal year; write it as 2024-25."),
        ("FY2024-25", "“FY2024-25” is not a fiscal year; write it as 2024-25."),
        ("hello", "“hello” is not a fiscal year; write it as 2024-25."),
        ("", "“” is not a fiscal year; write it as 2024-25."),
    ],
)
def test_parse_rejects_with_a_clear_message(text, message):
    with pytest.raises(ValueError) as excinfo:
        FiscalYear.parse(text)
    assert str(excinfo.value) == message


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, D(2024, 4, 1), D(2024, 6, 30)),
        (2, D(2024, 7, 1), D(2024, 9, 30)),
        (3, D(2024, 10, 1), D(2024, 12, 31)),
        (4, D(2025, 1, 1), D(2025, 3, 31)),
    ],
)
def test_quarter_bounds(number, start, end):
    quarter = FiscalQuarter(FiscalYear(2024), number)
    assert quarter.start == start
    assert quarter.end == end
    assert quarter.label == f"2024-25 Q{number}"
    assert quarter.localized_label("fr") == f"2024-2025 T{number}"


def test_quarters_of_a_year_tile_it_without_gaps():
    quarters = FiscalYear(2024).quarters()
    assert [q.number for q in quarters] == [1, 2, 3, 4]
    assert quarters[0].start == FiscalYear(2024).start
    assert quarters[-1].end == FiscalYear(2024).end
    for earlier, later in zip(quarters, quarters[1:], strict=False):
        assert later.start - earlier.end == dt.timedelta(days=1)


def test_q4_of_a_leap_fiscal_year_includes_february_29():
    q4 = FiscalQuarter(FiscalYear(2023), 4)
    assert q4.start == D(2024, 1, 1)
    assert q4.end == D(2024, 3, 31)
    assert FiscalQuarter.of(D(2024, 2, 29)) == q4
    assert FiscalQuarter.of(D(2024, 2, 29)).label == "2023-24 Q4"


@pytest.mark.parametrize(
    ("day", "start_year", "number"),
    [
        (D(2024, 4, 1), 2024, 1),
        (D(2024, 6, 30), 2024, 1),
        (D(2024, 7, 1), 2024, 2),
        (D(2024, 9, 30), 2024, 2),
        (D(2024, 10, 1), 2024, 3),
        (D(2024, 12, 31), 2024, 3),
        (D(2025, 1, 1), 2024, 4),
        (D(2025, 3, 31), 2024, 4),
        (D(2025, 4, 1), 2025, 1),
    ],
)
def test_quarter_of_a_date_at_the_edges(day, start_year, number):
    quarter = FiscalQuarter.of(day)
    assert quarter == FiscalQuarter(FiscalYear(start_year), number)
    assert quarter.start <= day <= quarter.end


def test_quarter_next_crosses_into_the_next_fiscal_year():
    assert FiscalQuarter(FiscalYear(2024), 2).next() == FiscalQuarter(FiscalYear(2024), 3)
    assert FiscalQuarter(FiscalYear(2024), 4).next() == FiscalQuarter(FiscalYear(2025), 1)


def test_last_quarters_end_with_the_given_one_in_order():
    ending = FiscalQuarter(FiscalYear(2025), 2)
    assert [q.label for q in FiscalQuarter.last(4, ending=ending)] == [
        "2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]
    assert FiscalQuarter.last(1, ending=ending) == [ending]
    with pytest.raises(ValueError, match="at least one quarter"):
        FiscalQuarter.last(0, ending=ending)


@pytest.mark.parametrize("number", [0, 5, -1])
def test_quarter_number_must_be_1_to_4(number):
    with pytest.raises(ValueError, match="numbered 1 to 4"):
        FiscalQuarter(FiscalYear(2024), number)


def test_fiscal_years_spanned():
    assert fiscal_years_spanned(D(2019, 4, 1), D(2022, 3, 31)) == [FiscalYear(2019), FiscalYear(2020),
                                                                    FiscalYear(2021)]
    assert fiscal_years_spanned(D(2020, 3, 31), D(2020, 4, 1)) == [FiscalYear(2019), FiscalYear(2020)]
    assert fiscal_years_spanned(D(2020, 5, 1), D(2020, 5, 1)) == [FiscalYear(2020)]
    assert fiscal_years_spanned(D(2020, 4, 1), D(2021, 3, 31)) == [FiscalYear(2020)]


def test_fiscal_years_spanned_refuses_a_reversed_range():
    with pytest.raises(ValueError, match="end date is before the start date"):
        fiscal_years_spanned(D(2022, 4, 1), D(2022, 3, 31))


def test_fiscal_years_between_includes_both_ends():
    assert [fy.label for fy in fiscal_years_between(FiscalYear(2019), FiscalYear(2024))] == [
        "2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert list(fiscal_years_between(FiscalYear(2024), FiscalYear(2023))) == []


def test_quarter_and_year_previous_undo_next():
    first = FiscalQuarter(FiscalYear(2025), 1)
    assert first.previous() == FiscalQuarter(FiscalYear(2024), 4)
    assert first.previous().next() == first
    assert FiscalQuarter(FiscalYear(2025), 3).previous() == FiscalQuarter(FiscalYear(2025), 2)
    assert FiscalYear(2025).previous() == FiscalYear(2024)
