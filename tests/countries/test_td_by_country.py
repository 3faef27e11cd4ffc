"""Travel-document timeliness per targeted country against its target (the dashboard): hand-computed figures
over a fiscal year and over the last four complete quarters, the category on the window's last day, the
monthly fallback, a query count that does not grow with countries, and the report."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from countries.models import Category, TimelinessTarget, TravelDocumentCase, TravelDocumentMonth
from countries.selectors import td_timeliness_by_country, td_timeliness_window
from mcee.fiscal import FiscalYear
from tests.factories import ClassificationFactory, CountryFactory
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 8, 15)  # 2025-26 Q2: the last four complete quarters are 2024-25 Q2 to 2025-26 Q1
FY = FiscalYear(2024)  # 2024-04-01 to 2025-03-31

_keys = iter(range(10**6))


def case(country, requested, issued=None, outcome="issued"):
    TravelDocumentCase.objects.create(country=country, case_key=f"{next(_keys):064d}", requested_on=requested,
                                      issued_on=issued, outcome=outcome if issued or outcome != "issued" else "pending")


def month(country, day, requested, issued):
    TravelDocumentMonth.objects.create(country=country, month=day, requested=requested, issued=issued, refused=0,
                                       pending_end=0, removals=0)


@pytest.fixture
def td_world():
    """XA recalcitrant, target 30 days, cases:
         2024-03-15 -> 2024-04-01 (17 d)  issued in 2024-25, requested before it
         2024-04-01 -> 2024-05-31 (60 d); 2024-04-10 -> 2024-06-19 (70 d); 2024-05-02 refused
         2025-03-31 -> 2025-04-01 (1 d)   requested on 2024-25's last day, issued the next day
    XB preventive, no target (90 days by default), monthly figures only: 2024-04 5/3, 2025-03 2/1, 2025-04 100/50.
    XC at risk, no data at all.
    XD not targeted, with a case (never listed).
    XE recalcitrant until 2024-01-01, then not targeted (never listed).
    XF preventive from 2025-06-01 only: after 2024-25, within the last four quarters.
    """
    xa, xb, xc, xd, xe, xf = (CountryFactory(code=c) for c in ("XA", "XB", "XC", "XD", "XE", "XF"))
    ClassificationFactory(country=xa, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xb, category=Category.PREVENTIVE, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xc, category=Category.AT_RISK, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xe, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
    ClassificationFactory(country=xe, category=Category.NOT_TARGETED, effective_date=D(2024, 1, 1))
    ClassificationFactory(country=xf, category=Category.PREVENTIVE, effective_date=D(2025, 6, 1))
    TimelinessTarget.objects.create(country=xa, target_days=30)
    case(xa, D(2024, 3, 15), D(2024, 4, 1))
    case(xa, D(2024, 4, 1), D(2024, 5, 31))
    case(xa, D(2024, 4, 10), D(2024, 6, 19))
    case(xa, D(2024, 5, 2), outcome="refused")
    case(xa, D(2025, 3, 31), D(2025, 4, 1))
    month(xb, D(2024, 4, 1), 5, 3)
    month(xb, D(2025, 3, 1), 2, 1)
    month(xb, D(2025, 4, 1), 100, 50)
    case(xd, D(2024, 6, 1), D(2024, 6, 2))
    case(xe, D(2024, 6, 1), D(2024, 6, 2))
    return xa


@pytest.fixture
def role_user(django_user_model):
    """A user in a role's group, without the access tests' world (which has TD data of its own)."""
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, sync_role_group

    def make(code):
        role = next(r for r in STANDING_ROLES if r.code == code)
        sync_role_group(role, Group, Permission)
        user = django_user_model.objects.create_user(f"td-{code}", password="x-not-used-0123")
        user.groups.add(Group.objects.get(name=role.group_name))
        return user

    return make


def figures(rows):
    return [(r.country.code.code, r.category, r.requested, r.issued, r.median_days, r.within_target_share,
             r.target_days, r.source) for r in rows]


def test_over_a_fiscal_year(td_world):
    rows = td_timeliness_by_country(fiscal_year=FY, today=TODAY)
    assert figures(rows) == [
        # requested 2024-04-01, 04-10, 05-02, 2025-03-31; issued in the year: 17, 60, 70 days; median 60; 1 of 3 ≤ 30
        ("XA", "recalcitrant", 4, 3, Decimal("60.0"), Decimal("0.3333"), 30, "cases"),
        ("XB", "preventive", 7, 4, None, None, 90, "monthly"),  # 5 + 2 requested, 3 + 1 issued; 2025-04 is outside
        ("XC", "at_risk", None, None, None, None, 90, ""),
    ]
    assert rows[0].window.label == "2024-25"
    assert (rows[0].window.start, rows[0].window.end) == (D(2024, 4, 1), D(2025, 3, 31))


def test_over_the_last_four_complete_quarters(td_world):
    window = td_timeliness_window(today=TODAY)
    assert (window.start, window.end, window.label) == (D(2024, 7, 1), D(2025, 6, 30), "2024-25 Q2 – 2025-26 Q1")
    assert figures(td_timeliness_by_country(today=TODAY)) == [
        ("XA", "recalcitrant", 1, 1, Decimal("1.0"), Decimal("1.0000"), 30, "cases"),  # 2025-03-31 -> 2025-04-01
        ("XB", "preventive", 102, 51, None, None, 90, "monthly"),
        ("XF", "preventive", None, None, None, None, 90, ""),  # preventive on 2025-06-30, the window's last day
        ("XC", "at_risk", None, None, None, None, 90, ""),
    ]


def test_an_even_number_of_issued_cases_takes_the_mean_of_the_middle_two(td_world):
    case(td_world, D(2024, 7, 1), D(2024, 7, 21))  # 20 days: now 17, 20, 60, 70 -> median (20 + 60) / 2 = 40
    row = td_timeliness_by_country(fiscal_year=FY, today=TODAY)[0]
    assert (row.issued, row.median_days, row.within_target_share) == (4, Decimal("40.0"), Decimal("0.5000"))


def test_no_targeted_country_means_no_rows():
    CountryFactory(code="XA")
    assert td_timeliness_by_country(fiscal_year=FY, today=TODAY) == []


def test_the_query_count_does_not_grow_with_countries_or_cases(td_world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            td_timeliness_by_country(fiscal_year=FY, today=TODAY)
        return len(queries)

    small = count()
    assert small <= 5
    for code in ("XG", "XH", "XI", "XJ", "XK"):
        country = CountryFactory(code=code)
        ClassificationFactory(country=country, category=Category.RECALCITRANT, effective_date=D(2019, 4, 1))
        TimelinessTarget.objects.create(country=country, target_days=45)
        for day in range(1, 11):
            case(country, D(2024, 5, day), D(2024, 6, day))
        month(country, D(2024, 5, 1), 10, 10)
    assert count() == small
    assert len(td_timeliness_by_country(fiscal_year=FY, today=TODAY)) == 3 + 5


def test_the_report_and_its_csv(client, settings, role_user, td_world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(role_user("auditor"))
    url = reverse("mcee_report_td-timeliness-by-country")
    assert client.get(url, {"fiscal_year": "2024-25"}).status_code == 200
    rows = list(csv.reader(io.StringIO(export_text(client.get(url, {"fiscal_year": "2024-25", "export": "csv"})))))
    assert rows[0] == ["Country", "Category", "Period", "Requested", "Issued", "Median days to issue",
                       "Share within target", "Target (days)", "Source"]
    by_country = {row[0]: row for row in rows[1:]}
    assert by_country["Xandria (XA)"] == ["Xandria (XA)", "Recalcitrant", "2024-25", "4", "3", "60.0", "0.3333", "30",
                                          "Cases"]
    assert "XD" not in " ".join(by_country)


def test_the_report_refuses_a_bad_fiscal_year(client, settings, role_user, td_world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(role_user("mcet_staff"))
    response = client.get(reverse("mcee_report_td-timeliness-by-country"), {"fiscal_year": "2024-26"})
    html = response.content.decode()
    assert "Correct the options above" in html and "Xandria" not in html
