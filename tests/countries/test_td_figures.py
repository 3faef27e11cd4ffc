"""Travel-document figures against hand-computed values: counts, issuance rate, median and 90th
percentile of days to issue, share within target, by month, fiscal quarter and fiscal year (the
31 March / 1 April edge included); case level wins over monthly figures; completeness gaps."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import CountryClassification, TimelinessTarget, TravelDocumentCase, TravelDocumentMonth
from countries.selectors import td_completeness, td_timeliness
from mcee.fiscal import FiscalYear
from tests.factories import CountryFactory
from tests.spreadsheets import after_marking

pytestmark = pytest.mark.django_db

D = dt.date
# (requested_on, issued_on, outcome): days to issue in the comments.
XA_CASES = [
    (D(2024, 1, 10), D(2024, 2, 9), "issued"),   # 30 days, issued in 2023-24 Q4
    (D(2024, 3, 1), D(2024, 3, 31), "issued"),   # 30 days, issued on the last day of 2023-24
    (D(2024, 3, 15), D(2024, 4, 1), "issued"),   # 17 days, requested in 2023-24, issued on the first day of 2024-25
    (D(2024, 4, 1), D(2024, 5, 31), "issued"),   # 60 days
    (D(2024, 4, 10), D(2024, 6, 19), "issued"),  # 70 days
    (D(2024, 5, 2), None, "refused"),
    (D(2024, 6, 1), None, "pending"),
    (D(2024, 3, 20), None, "pending"),
]


@pytest.fixture
def xa():
    country = CountryFactory(code="XA")
    TimelinessTarget.objects.create(country=country, target_days=30)
    for index, (requested, issued, outcome) in enumerate(XA_CASES):
        TravelDocumentCase.objects.create(country=country, case_key=f"{index:064d}", requested_on=requested,
                                          issued_on=issued, outcome=outcome)
    return country


def figures(rows):
    return [(r.period, r.requested, r.issued, r.refused, r.pending_end, r.issuance_rate, r.median_days, r.p90_days,
             r.within_target_share, r.source) for r in rows]


def test_days_to_issue_is_computed_on_save(xa):
    assert sorted(TravelDocumentCase.objects.exclude(days_to_issue=None).values_list("days_to_issue", flat=True)) == [
        17, 30, 30, 60, 70]


def test_by_fiscal_quarter_across_the_31_march_1_april_edge(xa):
    assert figures(td_timeliness(country=xa, period="quarter")) == [
        ("2023-24 Q4", 4, 2, 0, 2, Decimal("0.5000"), Decimal("30.0"), Decimal("30.0"), Decimal("1.0000"), "cases"),
        # days 17, 60, 70: median 60; p90 = 60 + 0.8 × (70 − 60) = 68; one of three within 30 days
        ("2024-25 Q1", 4, 3, 1, 2, Decimal("0.7500"), Decimal("60.0"), Decimal("68.0"), Decimal("0.3333"), "cases"),
    ]


def test_by_fiscal_year(xa):
    assert figures(td_timeliness(country=xa, period="fiscal_year")) == [
        ("2023-24", 4, 2, 0, 2, Decimal("0.5000"), Decimal("30.0"), Decimal("30.0"), Decimal("1.0000"), "cases"),
        ("2024-25", 4, 3, 1, 2, Decimal("0.7500"), Decimal("60.0"), Decimal("68.0"), Decimal("0.3333"), "cases"),
    ]


def test_by_month(xa):
    rows = {r.period: r for r in td_timeliness(country=xa, period="month", start=D(2024, 3, 1), end=D(2024, 4, 30))}
    assert figures(rows.values()) == [
        ("2024-03", 3, 1, 0, 2, Decimal("0.3333"), Decimal("30.0"), Decimal("30.0"), Decimal("1.0000"), "cases"),
        ("2024-04", 2, 1, 0, 3, Decimal("0.5000"), Decimal("17.0"), Decimal("17.0"), Decimal("1.0000"), "cases"),
    ]


def test_the_default_target_applies_without_a_country_target(xa, settings):
    TimelinessTarget.objects.all().delete()
    settings.MCEE_TD_TARGET_DAYS = 65
    q1 = td_timeliness(country=xa, period="quarter")[1]
    assert (q1.target_days, q1.within_target_share) == (65, Decimal("0.6667"))


def test_case_level_wins_and_the_difference_is_a_warning(xa):
    TravelDocumentMonth.objects.create(country=xa, month=D(2024, 4, 1), requested=5, issued=1, refused=0,
                                       pending_end=3, removals=0)
    april = td_timeliness(country=xa, period="month", start=D(2024, 4, 1), end=D(2024, 4, 30))[0]
    assert (april.source, april.requested, april.issued, april.pending_end) == ("cases", 2, 1, 3)
    assert april.warning == ("Case-level data used; the monthly figures differ (requested: 2 from cases, 5 in the "
                             "monthly figures).")


def test_monthly_figures_alone():
    xb = CountryFactory(code="XB")
    for month, figures_ in ((4, (4, 1, 2, 11)), (5, (2, 3, 0, 10)), (6, (0, 0, 0, 9))):
        requested, issued, refused, pending = figures_
        TravelDocumentMonth.objects.create(country=xb, month=D(2024, month, 1), requested=requested, issued=issued,
                                           refused=refused, pending_end=pending, removals=0)
    assert figures(td_timeliness(country=xb, period="quarter")) == [
        ("2024-25 Q1", 6, 4, 2, 9, Decimal("0.6667"), None, None, None, "monthly"),
    ]
    may = td_timeliness(country=xb, period="month", start=D(2024, 5, 1), end=D(2024, 5, 31))[0]
    assert (may.requested, may.issued, may.pending_end, may.warning) == (2, 3, 10, "")


def test_no_data_gives_no_rows():
    assert td_timeliness(country=CountryFactory(code="XC")) == []


def _queries(country, count):
    TravelDocumentCase.objects.bulk_create([
        TravelDocumentCase(country=country, case_key=f"{country.pk}-{i}".rjust(64, "0"),
                           requested_on=D(2024, 4, 1) + dt.timedelta(days=i % 300),
                           issued_on=D(2024, 4, 1) + dt.timedelta(days=i % 300 + i % 40) if i % 3 else None,
                           days_to_issue=(i % 40) if i % 3 else None, outcome="issued" if i % 3 else "pending")
        for i in range(count)])
    TravelDocumentMonth.objects.create(country=country, month=D(2024, 5, 1), requested=1, issued=1, refused=0,
                                       pending_end=0, removals=0)
    with CaptureQueriesContext(connection) as captured:
        rows = td_timeliness(country=country, period="quarter", start=D(2024, 4, 1), end=D(2025, 3, 31))
    assert len(rows) == 4
    return len(captured)


def test_the_query_count_does_not_depend_on_the_number_of_cases():
    assert _queries(CountryFactory(code="XD"), 10) == _queries(CountryFactory(code="XE"), 200)


# --- completeness -------------------------------------------------------------------------------

def test_completeness_gaps_per_targeted_country(xa):
    xb, xc, xd = CountryFactory(code="XB"), CountryFactory(code="XC"), CountryFactory(code="XD")
    for country, category in ((xa, "recalcitrant"), (xb, "preventive"), (xc, "at_risk"), (xd, "not_targeted")):
        CountryClassification.objects.create(country=country, category=category, effective_date=D(2020, 1, 1))
    TravelDocumentMonth.objects.create(country=xa, month=D(2024, 4, 1), requested=2, issued=1, refused=0,
                                       pending_end=3, added_to_inventory=3, removals=0)
    for month in (4, 5, 6):
        TravelDocumentMonth.objects.create(country=xb, month=D(2024, month, 1), requested=1, issued=1, refused=0,
                                           pending_end=0, added_to_inventory=7 if month == 4 else None, removals=0)
    rows = {r.country.code.code: r for r in td_completeness(fiscal_year=FiscalYear(2024), today=D(2025, 6, 1))}
    assert set(rows) == {"XA", "XB", "XC"}  # not-targeted countries are left out; preventive ones are in
    later = [f"2024-{m:02d}" for m in range(7, 13)] + ["2025-01", "2025-02", "2025-03"]
    every = ["2024-04", "2024-05", "2024-06"] + later
    assert rows["XA"].months_expected == 12
    assert rows["XA"].months_without_data == later  # April: figures; May and June: cases requested and issued
    assert rows["XA"].months_missing_inventory == every[1:]
    assert rows["XB"].months_without_data == later
    assert rows["XB"].months_missing_inventory == every[1:]
    assert rows["XC"].months_without_data == every == rows["XC"].months_missing_inventory


def test_completeness_of_the_current_year_expects_only_the_months_so_far():
    xc = CountryFactory(code="XC")
    CountryClassification.objects.create(country=xc, category="preventive", effective_date=D(2020, 1, 1))
    (row,) = td_completeness(today=D(2025, 5, 15))
    assert (row.fiscal_year, row.months_expected, row.months_without_data) == (FiscalYear(2025), 2,
                                                                                ["2025-04", "2025-05"])


# --- the reports from the command line ------------------------------------------------------------

def test_td_timeliness_report_csv(xa):
    out = io.StringIO()
    call_command("mcee_report", "td-timeliness", "--country", "XA", "--period", "quarter", "--format", "csv",
                 stdout=out)
    lines = after_marking(out.getvalue()).splitlines()
    assert lines[0] == ("country,period,requested,issued,refused,pending_end,issuance_rate,median_days,p90_days,"
                        "within_target_share")
    assert lines[2] == "XA,2024-25 Q1,4,3,1,2,0.7500,60.0,68.0,0.3333"


def test_td_completeness_report_csv(xa):
    CountryClassification.objects.create(country=xa, category="recalcitrant", effective_date=D(2020, 1, 1))
    out = io.StringIO()
    call_command("mcee_report", "td-completeness", "--fiscal-year", "2024-25", "--format", "csv", stdout=out)
    lines = after_marking(out.getvalue()).splitlines()
    assert lines[0].startswith("country,category,fiscal_year,months_expected,months_without_data")
    assert lines[1].startswith("XA,Recalcitrant,2024-25,12,9,")
