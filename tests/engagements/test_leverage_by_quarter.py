"""Engagements per fiscal quarter and the share that leveraged a project (the dashboard), against hand-computed
figures, with the quarter edges; the report and the engagement listing's date filter behind it."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from engagements.models import Engagement
from engagements.selectors.engagements import follow_ups_overdue, leverage_by_quarter
from mcee import access
from tests.engagements.test_leverage import engagement, project
from tests.factories import CountryFactory
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 8, 15)  # in 2025-26 Q2 (July to September 2025)


@pytest.fixture
def quarters_world():
    """XA and XB; one project in XA.

    2025-26 Q2 (today's): held 2025-07-01 leveraging the project; held 2025-09-30 "none used"; planned 2025-09-01.
    2025-26 Q1: held 2025-04-01 unknown; held 2025-06-30 leveraging (XB); cancelled 2025-05-01 (never counted).
    2024-25 Q4: nothing.  2024-25 Q3: held 2024-12-31 leveraging.
    Outside the 8 quarters (before 2023-24 Q3, i.e. before 2023-10-01): held 2023-09-30 leveraging.
    After today's quarter: planned 2025-10-01 (not counted).
    """
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    funded = project(xa)
    engagement(xa, D(2025, 7, 1), projects=[funded])
    engagement(xa, D(2025, 9, 30), none=True)
    engagement(xb, D(2025, 9, 1), status="planned")
    engagement(xa, D(2025, 4, 1))
    engagement(xb, D(2025, 6, 30), projects=[funded])
    engagement(xa, D(2025, 5, 1), status="cancelled", projects=[funded])
    engagement(xa, D(2024, 12, 31), projects=[funded])
    engagement(xa, D(2023, 9, 30), projects=[funded])
    engagement(xa, D(2025, 10, 1), status="planned")
    return xa, xb


def test_eight_quarters_end_with_todays_and_are_counted_by_hand(quarters_world, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = leverage_by_quarter(today=TODAY)
    assert [r.quarter.label for r in rows] == ["2023-24 Q3", "2023-24 Q4", "2024-25 Q1", "2024-25 Q2", "2024-25 Q3",
                                               "2024-25 Q4", "2025-26 Q1", "2025-26 Q2"]
    figures = {r.quarter.label: (r.held, r.planned, r.leveraged, r.none_used, r.unknown, r.share) for r in rows}
    assert figures["2025-26 Q2"] == (2, 1, 1, 1, 0, Decimal("0.5000"))
    assert figures["2025-26 Q1"] == (2, 0, 1, 0, 1, Decimal("0.5000"))
    assert figures["2024-25 Q4"] == (0, 0, 0, 0, 0, None)  # nothing held: no share, not zero
    assert figures["2024-25 Q3"] == (1, 0, 1, 0, 0, Decimal("1.0000"))
    assert figures["2023-24 Q3"] == (0, 0, 0, 0, 0, None)  # 2023-09-30 is the day before the first quarter


def test_quarters_can_be_fewer_and_keep_to_the_engagements_given(quarters_world):
    xa, _xb = quarters_world
    rows = leverage_by_quarter(quarters=2, today=TODAY, engagements=Engagement.objects.filter(country=xa))
    assert [(r.quarter.label, r.held, r.leveraged) for r in rows] == [("2025-26 Q1", 1, 0), ("2025-26 Q2", 2, 1)]


def test_the_query_count_does_not_grow_with_engagements(quarters_world, django_assert_num_queries):
    xa, _xb = quarters_world
    for day in range(1, 28):
        engagement(xa, D(2025, 8, day))
    with django_assert_num_queries(1):
        rows = leverage_by_quarter(today=TODAY)
    assert rows[-1].held == 2 + 27


def test_the_report_page_and_its_csv(client, settings, user_with_role, quarters_world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("rwg_member"))
    response = client.get(reverse("mcee_report_engagements-by-quarter"), {"quarters": "2"})
    assert response.status_code == 200
    assert "Engagements per fiscal quarter" in response.content.decode()
    export = client.get(reverse("mcee_report_engagements-by-quarter"), {"quarters": "2", "export": "csv"})
    rows = list(csv.reader(io.StringIO(export_text(export))))
    assert rows[0] == ["Fiscal quarter", "From", "To", "Held", "Planned", "Leveraged a project", "No project used",
                       "Unknown", "Share leveraged"]
    # The report counts up to today's quarter: the fixture's dates are in the past, so only the last row is sure.
    assert len(rows) == 3


def test_the_report_refuses_a_bad_number_of_quarters(client, settings, user_with_role):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("mcet_staff"))
    response = client.get(reverse("mcee_report_engagements-by-quarter"), {"quarters": "0"})
    assert response.status_code == 200
    assert "Correct the options above" in response.content.decode()


def test_the_engagement_listing_filters_by_date_range(client, settings, user_with_role, quarters_world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("mcet_staff"))
    url = reverse("wagtailsnippets_engagements_engagement:list")
    export = client.get(url, {"date_from": "2025-04-01", "date_to": "2025-06-30", "export": "csv"})
    dates = sorted(row[0] for row in list(csv.reader(io.StringIO(export_text(export))))[1:])
    # The role fixture's world adds 2025-05-01 and 2025-06-01; the listing shows the cancelled one too.
    assert dates == ["2025-04-01", "2025-05-01", "2025-05-01", "2025-06-01", "2025-06-30"]


def test_follow_ups_overdue_are_open_and_due_before_today(user_with_role, world):
    from engagements.models import FollowUp

    inside, outside = world["engagements.followup"]  # open, due 2025-06-01 and 2025-07-01
    FollowUp.objects.filter(pk=outside.pk).update(status="done", completed_on=D(2025, 7, 1))
    assert list(follow_ups_overdue(today=D(2025, 6, 1))) == []  # due today is not overdue
    assert list(follow_ups_overdue(today=D(2025, 6, 2))) == [inside]
    officer = user_with_role("officer_gac")  # sees GAC's engagements only
    assert list(follow_ups_overdue(today=D(2025, 6, 2), follow_ups=access.visible(officer, FollowUp))) == []
