"""Leverage figures: engagements per country and fiscal year, leverage share, projects never leveraged,
follow-ups closed on time; against hand-computed fixtures, with the date edges, and as reports."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from engagements.models import Department, Engagement, FollowUp
from engagements.selectors.engagements import (
    engagements_by_country_and_fiscal_year,
    follow_ups_closed_on_time,
    leverage_by_country_and_fiscal_year,
    leverage_share,
    overdue_q,
    projects_never_leveraged,
)
from mcee import access
from mcee.fiscal import FiscalYear
from projects.models import ProjectStatus
from tests.factories import CountryFactory, ProjectCountryFactory, ProjectFactory
from tests.spreadsheets import after_marking, export_text, xlsx_sheet_rows

pytestmark = pytest.mark.django_db
D = dt.date


def department(code):
    return Department.objects.get(code=code)


def engagement(country, day, *, status="held", lead="cbsa", kind="ottawa_bilateral", projects=(), none=False,
               participants=()):
    record = Engagement(country=country, date=day, status=status, kind=kind, level="dg",
                        lead_department=department(lead), no_project_leveraged=none)
    record.projects_leveraged.set(list(projects))
    record.participating_departments.set([department(code) for code in participants])
    record.save()
    return record


def project(country, status=ProjectStatus.ACTIVE, **kwargs):
    item = ProjectFactory(status=status, **kwargs)
    ProjectCountryFactory(project=item, country=country)
    return item


@pytest.fixture
def countries():
    return CountryFactory(code="XA"), CountryFactory(code="XB")


# --- Engagements per country and fiscal year ------------------------------------------------------------------


def test_engagements_are_counted_by_country_fiscal_year_department_and_kind(countries):
    xa, xb = countries
    engagement(xa, D(2024, 3, 31))  # last day of 2023-24
    engagement(xa, D(2024, 4, 1))  # first day of 2024-25
    engagement(xa, D(2025, 3, 31))  # last day of 2024-25
    engagement(xa, D(2024, 6, 1), status="planned")
    engagement(xa, D(2024, 6, 2), status="cancelled")  # left out
    engagement(xa, D(2024, 7, 1), lead="gac", kind="multilateral")
    engagement(xb, D(2024, 4, 1), lead="gac")
    rows = [(r.country, r.fiscal_year.label, r.lead_department, r.kind, r.held, r.planned)
            for r in engagements_by_country_and_fiscal_year()]
    assert rows == [
        ("XA", "2023-24", "cbsa", "ottawa_bilateral", 1, 0),
        ("XA", "2024-25", "cbsa", "ottawa_bilateral", 2, 1),
        ("XA", "2024-25", "gac", "multilateral", 1, 0),
        ("XB", "2024-25", "gac", "ottawa_bilateral", 1, 0),
    ]
    only = engagements_by_country_and_fiscal_year(fiscal_year=FiscalYear(2023), country=xa)
    assert [(r.fiscal_year.label, r.held) for r in only] == [("2023-24", 1)]
    assert engagements_by_country_and_fiscal_year(fiscal_year=FiscalYear(2010)) == []


def test_engagement_counts_can_be_narrowed_to_what_a_user_sees(countries):
    xa, _ = countries
    engagement(xa, D(2024, 5, 1), lead="cbsa")
    engagement(xa, D(2024, 5, 2), lead="gac", participants=["cbsa"])
    engagement(xa, D(2024, 5, 3), lead="gac")
    cbsa_view = Engagement.objects.filter(lead_department__code="cbsa") | Engagement.objects.filter(
        participating_departments__code="cbsa")
    rows = engagements_by_country_and_fiscal_year(engagements=cbsa_view.distinct())
    assert [(r.lead_department, r.held) for r in rows] == [("cbsa", 1), ("gac", 1)]


# --- Leverage -------------------------------------------------------------------------------------------------


@pytest.fixture
def leverage_world(countries):
    xa, xb = countries
    p1, p2 = project(xa), project(xa)
    engagement(xa, D(2024, 4, 1), projects=[p1, p2])  # leveraged (two projects count once)
    engagement(xa, D(2024, 9, 1), projects=[p1])  # leveraged
    engagement(xa, D(2025, 3, 31), none=True)  # none used
    engagement(xa, D(2025, 4, 1))  # unknown, next fiscal year
    engagement(xa, D(2025, 5, 1), status="planned", projects=[p2])  # not held: not counted
    engagement(xa, D(2024, 5, 1), status="cancelled")  # not counted
    engagement(xb, D(2024, 6, 1))  # unknown, in XB
    return xa, xb, p1, p2


def test_leverage_share_of_held_engagements(leverage_world):
    xa, xb, *_ = leverage_world
    total = leverage_share()
    assert (total.held, total.leveraged, total.none_used, total.unknown) == (5, 2, 1, 2)
    assert total.share == Decimal("0.4000")
    in_xa = leverage_share(country=xa)
    assert (in_xa.held, in_xa.leveraged, in_xa.none_used, in_xa.unknown, in_xa.share) == (4, 2, 1, 1, Decimal("0.5"))
    # A period includes both ends: fiscal year 2024-25 in XA.
    year = FiscalYear(2024)
    in_year = leverage_share(country=xa, start=year.start, end=year.end)
    assert (in_year.held, in_year.leveraged, in_year.none_used, in_year.unknown) == (3, 2, 1, 0)
    assert in_year.share == Decimal("0.6667")
    nothing = leverage_share(start=D(2030, 1, 1))
    assert (nothing.held, nothing.share) == (0, None)


def test_leverage_by_country_and_fiscal_year(leverage_world):
    rows = [(r.country, r.fiscal_year.label, r.held, r.leveraged, r.none_used, r.unknown, r.share)
            for r in leverage_by_country_and_fiscal_year()]
    assert rows == [
        ("XA", "2024-25", 3, 2, 1, 0, Decimal("0.6667")),
        ("XA", "2025-26", 1, 0, 0, 1, Decimal("0.0000")),
        ("XB", "2024-25", 1, 0, 0, 1, Decimal("0.0000")),
    ]
    assert [r.country for r in leverage_by_country_and_fiscal_year(fiscal_year=FiscalYear(2025))] == ["XA"]


def test_projects_never_leveraged(countries):
    xa, xb = countries
    used = project(xa, reference="MCEE-T-USED")
    planned_only = project(xa, reference="MCEE-T-PLANNED-ONLY")
    project(xa, ProjectStatus.PIPELINE, reference="MCEE-T-PIPELINE")  # not funded: never asked about
    project(xa, ProjectStatus.CANCELLED, reference="MCEE-T-CANCELLED")
    project(xb, ProjectStatus.CLOSED, reference="MCEE-T-CLOSED")
    cancelled_only = project(xa, ProjectStatus.FINALISATION, reference="MCEE-T-FINALISING")
    engagement(xa, D(2024, 5, 1), projects=[used])
    engagement(xa, D(2024, 6, 1), status="planned", projects=[planned_only])
    engagement(xa, D(2024, 7, 1), status="cancelled", projects=[cancelled_only])
    assert [p.reference for p in projects_never_leveraged()] == [
        "MCEE-T-CLOSED", "MCEE-T-FINALISING", "MCEE-T-PLANNED-ONLY"]
    assert [p.reference for p in projects_never_leveraged(country=xb)] == ["MCEE-T-CLOSED"]


# --- Follow-ups -----------------------------------------------------------------------------------------------

TODAY = D(2025, 6, 10)


@pytest.fixture
def follow_ups(countries):
    xa, _ = countries
    parent = engagement(xa, D(2025, 3, 1))

    def add(owner, due, status="open", completed_on=None, action="Act"):
        return FollowUp.objects.create(engagement=parent, action=action, owner_department=department(owner),
                                       due_date=due, status=status, completed_on=completed_on)

    return {
        "due_today": add("cbsa", TODAY),
        "due_yesterday": add("cbsa", TODAY - dt.timedelta(days=1)),
        "done_on_due_date": add("cbsa", D(2025, 5, 1), "done", D(2025, 5, 1)),
        "done_a_day_late": add("cbsa", D(2025, 5, 1), "done", D(2025, 5, 2)),
        "last_day_of_year": add("cbsa", D(2025, 3, 31), "done", D(2025, 3, 30)),
        "cancelled": add("cbsa", D(2025, 4, 1), "cancelled"),
        "gac_first_day": add("gac", D(2025, 4, 1), "done", D(2025, 4, 1)),
        "done_late_past_due": add("gac", D(2025, 4, 2), "done", D(2025, 6, 1)),
    }


def test_overdue_at_the_date_edges(follow_ups):
    assert follow_ups["due_today"].is_overdue(TODAY) is False  # due today is not yet overdue
    assert follow_ups["due_yesterday"].is_overdue(TODAY) is True
    assert follow_ups["due_today"].is_overdue(TODAY + dt.timedelta(days=1)) is True
    assert follow_ups["done_a_day_late"].is_overdue(TODAY) is False  # done is never overdue
    assert follow_ups["cancelled"].is_overdue(TODAY) is False
    in_sql = set(FollowUp.objects.filter(overdue_q(TODAY)).values_list("pk", flat=True))
    assert in_sql == {f.pk for f in follow_ups.values() if f.is_overdue(TODAY)} == {follow_ups["due_yesterday"].pk}


def test_follow_ups_closed_on_time_by_department_and_fiscal_year(follow_ups):
    rows = [(r.department, r.fiscal_year.label, r.due, r.done_on_time, r.done_late, r.open_overdue, r.open_not_due,
             r.on_time_share) for r in follow_ups_closed_on_time(today=TODAY)]
    assert rows == [
        ("cbsa", "2024-25", 1, 1, 0, 0, 0, Decimal("1.0000")),  # 31 March is in 2024-25
        # due today is not yet due; completed on the due date is on time; a day later is late
        ("cbsa", "2025-26", 4, 1, 1, 1, 1, Decimal("0.3333")),
        ("gac", "2025-26", 2, 1, 1, 0, 0, Decimal("0.5000")),  # 1 April is in 2025-26
    ]
    only = follow_ups_closed_on_time(today=TODAY, fiscal_year=FiscalYear(2024), department=department("cbsa"))
    assert [(r.department, r.due) for r in only] == [("cbsa", 1)]
    # A day later, the action due "today" is overdue.
    later = follow_ups_closed_on_time(today=TODAY + dt.timedelta(days=1), department=department("cbsa"))
    assert [(r.open_overdue, r.open_not_due) for r in later] == [(0, 0), (2, 0)]


def test_nothing_to_count_gives_no_rows(db):
    assert follow_ups_closed_on_time() == []
    assert leverage_by_country_and_fiscal_year() == []
    assert engagements_by_country_and_fiscal_year() == []


# --- Reports --------------------------------------------------------------------------------------------------


def report_csv(name, *args):
    out = io.StringIO()
    call_command("mcee_report", name, *args, stdout=out)
    return list(csv.reader(io.StringIO(after_marking(out.getvalue()))))


def test_the_leverage_report_from_the_command(leverage_world, tmp_path):
    rows = report_csv("engagement-leverage")
    assert rows == [
        ["country", "fiscal_year", "held", "leveraged", "none_used", "unknown", "share"],
        ["XA", "2024-25", "3", "2", "1", "0", "0.6667"],
        ["XA", "2025-26", "1", "0", "0", "1", "0.0000"],
        ["XB", "2024-25", "1", "0", "0", "1", "0.0000"],
    ]
    assert report_csv("engagement-leverage", "--fiscal-year", "2025-26")[1:] == [
        ["XA", "2025-26", "1", "0", "0", "1", "0.0000"]]
    french = io.StringIO()
    call_command("mcee_report", "engagement-leverage", "--fiscal-year", "2025-2026", "--lang", "fr", stdout=french)
    assert list(csv.reader(io.StringIO(after_marking(french.getvalue(), "fr"))))[1][1] == "2025-2026"
    out = tmp_path / "leverage.xlsx"
    call_command("mcee_report", "engagement-leverage", "--format", "xlsx", "--out", str(out))
    assert xlsx_sheet_rows(out.read_bytes())[0][:3] == ("country", "fiscal_year", "held")


def test_the_follow_up_and_count_reports_from_the_command(follow_ups):
    rows = report_csv("follow-ups", "--fiscal-year", "2024-25")
    assert rows[0] == ["department", "fiscal_year", "due", "done_on_time", "done_late", "open_overdue",
                       "open_not_due", "on_time_share"]
    assert rows[1] == ["CBSA", "2024-25", "1", "1", "0", "0", "0", "1.0000"]
    counts = report_csv("engagements-by-country")
    assert counts[1] == ["XA", "2024-25", "CBSA", "ottawa_bilateral", "1", "0"]
    never = report_csv("projects-never-leveraged")
    assert never == [["reference", "title", "status", "countries"]]


def test_the_reports_in_the_admin_for_mcet(client, settings, user_with_role, leverage_world):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("mcet_staff"))
    response = client.get(reverse("mcee_report_engagement-leverage"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leverage of MCEE projects in engagements" in html and "0.6667" in html
    response = client.get(reverse("mcee_report_engagement-leverage"), {"fiscal_year": "2024-25", "export": "xlsx"})
    values = xlsx_sheet_rows(b"".join(response.streaming_content))
    assert values[0] == ("Country", "Fiscal year", "Held", "Leveraged a project", "No project used", "Unknown",
                         "Share leveraged")
    assert values[1][:3] == ("XA", "2024-25", 3)
    assert client.get(reverse("mcee_report_follow-ups")).status_code == 200
    assert client.get(reverse("mcee_report_projects-never-leveraged")).status_code == 200
    assert client.get(reverse("mcee_report_engagements-by-country")).status_code == 200


@pytest.mark.parametrize("slug", ["engagement-leverage", "follow-ups", "projects-never-leveraged",
                                  "engagements-by-country"])
def test_an_officer_who_sees_only_its_departments_engagements_is_refused_the_reports(
        slug, client, settings, user_with_role):
    """The reports count every engagement; a scoped role would read figures beyond its reach."""
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    officer = user_with_role("officer_cbsa")
    assert access.is_scoped(officer, Engagement)
    client.force_login(officer)
    assert client.get(reverse(f"mcee_report_{slug}")).status_code in (302, 403)
    assert f"/admin/mcee-reports/{slug}/" not in client.get("/admin/reports/").content.decode()


# --- The engagement listing's export --------------------------------------------------------------------------


def test_the_engagement_export_names_participants_projects_leveraged_and_key_messages(
        client, settings, user_with_role, countries, django_assert_max_num_queries):
    from projects.models import KeyMessage

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    xa, _xb = countries
    first, second = project(xa, reference="MCEE-XA-2"), project(xa, reference="MCEE-XA-1")
    message = KeyMessage.objects.create(project=first, country=xa, text_en="Message", text_fr="Message")
    leveraged = engagement(xa, D(2025, 5, 1), projects=[first, second], participants=["gac", "ircc"])
    leveraged.key_messages_used.set([message])
    leveraged.save()  # links of a clusterable model are written on save
    engagement(xa, D(2025, 4, 1), none=True)
    client.force_login(user_with_role("mcet_staff"))
    url = reverse("wagtailsnippets_engagements_engagement:list") + "?export=csv"

    def export():
        rows = list(csv.DictReader(io.StringIO(export_text(client.get(url)))))
        # The shared world of the role users has its own engagement on 2025-05-01: leave it out.
        return {row["Date"]: row for row in rows if "INSIDE-MINISTRY" not in row.values()}

    rows = export()
    assert rows["2025-05-01"]["Participating departments"] == "gac ircc"
    assert rows["2025-05-01"]["MCEE projects leveraged"] == "MCEE-XA-1 MCEE-XA-2"  # sorted, not in link order
    assert rows["2025-05-01"]["Key messages used"] == "1"
    assert rows["2025-04-01"]["MCEE projects leveraged"] == "" and rows["2025-04-01"]["Key messages used"] == "0"
    # The links are read once for the whole export, not once per engagement.
    with django_assert_max_num_queries(30) as few:
        export()
    for day in range(2, 22):
        engagement(xa, D(2025, 3, day), projects=[first], participants=["gac"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert sum(row["Country"] == "XA" for row in export().values()) == 22
