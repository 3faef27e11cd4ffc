"""The performance dashboard: who may open it, what each figure says (against hand-computed values, in English
and French), that every figure links to its rows and exports them with the marking, that charts have their text
alternative, and that the number of queries does not grow with the data."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cms.dashboard import dashboard_figures
from countries.models import AsylumStatistic, Country, CountryClassification, TravelDocumentCase
from engagements.models import Department, Engagement, FollowUp
from projects.models import FundingLine, PartnerReport, PriorityArea, Project, ProjectCountry
from tests.spreadsheets import MARKING, xlsx_sheet_rows

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 8, 15)  # 2025-26 Q2
URL = "/admin/performance-dashboard/"
ALLOWED = ["mcet_admin", "mcet_staff", "rwg_member", "auditor"]
REFUSED = ["officer_cbsa", "officer_gac", "partner_reporter"]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []


@pytest.fixture
def dash_world(world):
    """The access tests' world (funding 2021-22: inside project 1 planned / 1 disbursed in XA, recalcitrant; the
    pipeline project 2 / 0 in XB, not targeted; engagements 2025-05-01 (XA, CBSA) and 2025-06-01 (XB, GAC),
    planned; open follow-ups due 2025-06-01 (CBSA) and 2025-07-01 (GAC); two draft partner reports due
    2021-10-30; asylum 2024: XA 987,654 claims 2,000/5,000 rejected, XB 876,543 claims 1,000/4,000; XA's TD
    target 7,919 days), with: the inside project in border management; the XA engagement held, leveraging it;
    a TD for XA requested 2024-08-01 and issued 2024-08-11 (10 days)."""
    inside, _outside = world["projects.project"]
    inside.priority_areas.set([PriorityArea.objects.get(code="border-management")])
    inside.save()  # the links of a clusterable model are written on save
    engagement = world["engagements.engagement"][0]
    engagement.status = "held"
    engagement.save()
    engagement.projects_leveraged.set([inside])
    engagement.save()
    TravelDocumentCase.objects.create(country=world["countries.country"][0], case_key="9" * 64,
                                      requested_on=D(2024, 8, 1), issued_on=D(2024, 8, 11), outcome="issued")
    return world


def by_key(figures):
    return {f.key: f for f in figures}


def table(figure):
    return [[cell.text for cell in row] for row in figure.rows]


# --- Who may open it -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ALLOWED)
def test_mcet_the_rwg_and_auditors_open_the_dashboard_and_see_it_in_the_menu(role, client, user_with_role):
    client.force_login(user_with_role(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Performance dashboard" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", REFUSED)
def test_officers_and_partner_reporters_are_refused_and_not_offered_it(role, client, user_with_role):
    client.force_login(user_with_role(role))
    response = client.get(URL)
    assert response.status_code == 403
    html = response.content.decode()
    assert MARKING["en"] in html and "Your role may not read the performance dashboard." in html
    assert "Envelope: committed" not in html
    home = client.get("/admin/").content.decode()
    assert URL not in home


def test_a_user_without_a_role_cannot_reach_it(client, user_with_role):
    client.force_login(user_with_role("no_role"))
    assert client.get(URL).status_code in (302, 403)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- What each figure says -----------------------------------------------------------------------------------

def test_every_figure_against_hand_computed_values(dash_world, user_with_role):
    figures = by_key(dashboard_figures(user_with_role("mcet_staff"), today=TODAY))
    assert list(figures) == ["envelope", "priority-areas", "funding-by-category", "engagements", "td-timeliness",
                             "preventive-ranking", "overdue-reports", "overdue-follow-ups"]

    envelope = figures["envelope"]
    assert "$3 committed, $1 disbursed, $20,999,997 remaining to commit" in envelope.summary
    assert ["2021-22", "$3", "$1", "$2"] in table(envelope)
    assert table(envelope)[-1] == ["Total", "$3", "$1", "$2"]

    areas = {row[1]: row[2] for row in table(figures["priority-areas"])}
    assert areas["border-management"] == "1" and areas["national-policy"] == "0"

    funding = table(figures["funding-by-category"])
    assert ["2021-22", "Recalcitrant", "$1", "$1"] in funding
    assert ["2021-22", "Not targeted", "$2", "$0"] in funding

    quarters = {row[0]: row for row in table(figures["engagements"])}
    assert len(quarters) == 8 and list(quarters)[-1] == "2025-26 Q2"
    # 2025-26 Q1: the XA engagement held and leveraging; the XB one planned.
    assert quarters["2025-26 Q1"] == ["2025-26 Q1", "1", "1", "1", "0", "0", "100.0%"]
    assert quarters["2025-26 Q2"] == ["2025-26 Q2", "0", "0", "0", "0", "0", "–"]

    # XA only: XB is not targeted. Last four complete quarters: 2024-07-01 to 2025-06-30.
    assert table(figures["td-timeliness"]) == [
        ["Xandria (XA)", "Recalcitrant", "1", "1", "10.0", "100.0%", "7,919", "Cases"]]

    ranking = table(figures["preventive-ranking"])
    assert [row[0] for row in ranking] == ["Xandria (XA)", "Balmora (XB)"]
    assert ranking[0][1:4] == ["1", "987,654", "40.0%"]

    overdue_days = f"{(TODAY - D(2021, 10, 30)).days:,}"  # 1,385
    reports = table(figures["overdue-reports"])
    assert [row[1] for row in reports] == ["IOM", "UNHCR"] and all(row[-1] == overdue_days for row in reports)
    assert "2 partner reports" in figures["overdue-reports"].summary
    follow_ups = table(figures["overdue-follow-ups"])
    assert [(row[0], row[2], row[3]) for row in follow_ups] == [
        ("WORLD-FOLLOW-UP-IN", "CBSA", "2025-06-01"), ("WORLD-FOLLOW-UP-OUT", "GAC", "2025-07-01")]
    assert follow_ups[0][-1] == str((TODAY - D(2025, 6, 1)).days)


def test_nothing_is_overdue_before_the_due_dates(dash_world, user_with_role):
    figures = by_key(dashboard_figures(user_with_role("mcet_staff"), today=D(2021, 10, 30)))
    assert figures["overdue-reports"].rows == [] and figures["overdue-follow-ups"].rows == []


def test_figures_in_french(dash_world, user_with_role):
    with translation.override("fr"):
        figures = by_key(dashboard_figures(user_with_role("rwg_member"), today=TODAY))
        assert figures["envelope"].title == "Enveloppe\u00a0: montants engagés, versés et restants par exercice"
        assert ["2021-2022", "3\u00a0$", "1\u00a0$", "2\u00a0$"] in table(figures["envelope"])
        assert "20\u202f999\u202f997\u00a0$" in figures["envelope"].summary
        quarters = {row[0]: row for row in table(figures["engagements"])}
        assert quarters["2025-2026 T1"][-1] == "100,0\u00a0%"
        assert table(figures["td-timeliness"])[0][4:7] == ["10,0", "100,0\u00a0%", "7\u202f919"]


def test_the_overdue_lists_keep_to_the_rows_a_full_scope_role_sees(dash_world, user_with_role):
    auditor = by_key(dashboard_figures(user_with_role("auditor"), today=TODAY))
    assert len(auditor["overdue-reports"].rows) == 2 and len(auditor["overdue-follow-ups"].rows) == 2


# --- The page: sections, charts with their text alternative, links and exports ---------------------------------

def sections(html):
    return re.findall(r'<section class="mcee-dashboard__figure" id="([^"]+)"', html)


def test_each_figure_is_a_section_with_a_heading_an_accessible_chart_and_its_table(client, dash_world,
                                                                                 user_with_role):
    client.force_login(user_with_role("mcet_staff"))
    html = client.get(URL).content.decode()
    assert MARKING["en"] in html
    keys = sections(html)
    assert len(keys) == 8
    for key in keys:
        part = html[html.index(f'id="{key}"'):]
        part = part[:part.index("</section>")]
        assert f'<h2 id="{key}-heading">' in part
        svg = re.search(r"<svg[^>]*>", part).group(0)
        assert 'role="img"' in svg and "aria-labelledby=" in svg and "aria-describedby=" in svg
        assert "<title " in part and "<desc " in part and "The table after the chart gives the same figures." in part
        assert "<caption>" in part and '<th scope="col">' in part
        assert "Download CSV" in part and "Download Excel (XLSX)" in part and "Every row: " in part


def links(html, text):
    return [a.replace("&amp;", "&") for a in re.findall(rf'<a href="([^"]+)">{re.escape(text)}', html)]


def test_every_csv_and_xlsx_link_downloads_the_rows_with_the_marking(client, dash_world, user_with_role):
    client.force_login(user_with_role("rwg_member"))
    html = client.get(URL).content.decode()
    csv_links, xlsx_links = links(html, "Download CSV"), links(html, "Download Excel (XLSX)")
    assert len(csv_links) == len(xlsx_links) == 8
    for address in csv_links:
        response = client.get(address)
        assert response.status_code == 200, address
        body = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == [MARKING["en"]], address
        assert len(rows) > 2, address  # the headings and at least one row
    for address in xlsx_links:
        response = client.get(address)
        assert response.status_code == 200, address
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert xlsx_sheet_rows(body, "en")[0], address


def test_the_overdue_exports_hold_only_the_overdue_rows(client, dash_world, user_with_role):
    client.force_login(user_with_role("mcet_staff"))
    FollowUp.objects.filter(action="WORLD-FOLLOW-UP-OUT").update(due_date=timezone.localdate())  # due today
    html = client.get(URL).content.decode()
    address = next(a for a in links(html, "Download CSV") if "followup" in a)
    body = b"".join(client.get(address).streaming_content).decode()
    assert "WORLD-FOLLOW-UP-IN" in body and "WORLD-FOLLOW-UP-OUT" not in body


def test_every_row_link_opens(client, dash_world, user_with_role):
    client.force_login(user_with_role("auditor"))
    html = client.get(URL).content.decode()
    pages = links(html, "Every row: ")
    pages += re.findall(r'<a href="([^"]+)">The records behind it: ', html)
    assert len(pages) >= 8
    for address in pages:
        assert client.get(address.replace("&amp;", "&")).status_code == 200, address


def test_the_page_in_french(client, dash_world, user_with_role):
    user = user_with_role("auditor")
    profile = user.wagtail_userprofile if hasattr(user, "wagtail_userprofile") else None
    if profile is None:
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert MARKING["fr"] in html
    assert "Tableau de bord du rendement" in html and "Télécharger le CSV" in html
    assert "Enveloppe\u00a0: montants engagés, versés et restants par exercice" in html


# --- Queries ---------------------------------------------------------------------------------------------------

def grow(records, size):
    """More of everything the dashboard counts: projects with funding, engagements, follow-ups, partner reports,
    targeted countries with TD cases, asylum statistics."""
    partner = records["projects.partner"][0]
    cbsa = Department.objects.get(code="cbsa")
    area = PriorityArea.objects.get(code="regular-migration")
    today = timezone.localdate()
    codes = ["XC", "XD", "XE", "XF", "XG", "XH", "XI", "XJ", "XK"][:size]
    for index, code in enumerate(codes):
        country = Country.objects.create(code=code)
        CountryClassification.objects.create(country=country, category="preventive", effective_date=D(2020, 4, 1))
        AsylumStatistic.objects.create(country=country, year=2024, claims=1000 + index, irb_decided=10,
                                       irb_rejected=index)
        project = Project.objects.create(
            reference=f"MCEE-G-{code}", title_en=f"Grown {code}", partner=partner, status="active",
            approved_amount=100000, planned_start=D(2021, 4, 1), planned_end=D(2023, 3, 31))
        project.priority_areas.set([area])
        ProjectCountry.objects.create(project=project, country=country, share=100)
        FundingLine.objects.create(project=project, fiscal_year=2022, planned=1000, disbursed=500)
        PartnerReport.objects.create(project=project, period_start=D(2022, 4, 1), period_end=D(2022, 9, 30),
                                     due_on=D(2022, 10, 30))
        for day in range(1, 4):
            engagement = Engagement.objects.create(
                country=country, date=today - dt.timedelta(days=30 * day), status="held", kind="other",
                level="dg", lead_department=cbsa)
            engagement.projects_leveraged.set([project])
            engagement.save()
            FollowUp.objects.create(engagement=engagement, action=f"Grown {code} {day}", owner_department=cbsa,
                                    due_date=today - dt.timedelta(days=day))
            requested = today - dt.timedelta(days=200 + day)
            TravelDocumentCase.objects.create(country=country, case_key=f"{code}{day}".ljust(64, "0"),
                                              requested_on=requested, issued_on=requested + dt.timedelta(days=9),
                                              outcome="issued")


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_is_bounded_and_does_not_grow_with_the_data(client, dash_world, user_with_role,
                                                                    django_assert_max_num_queries):
    client.force_login(user_with_role("mcet_staff"))
    page_queries(client)  # warm the caches (site, settings)
    small = page_queries(client)
    grow(dash_world, 2)
    medium = page_queries(client)
    _grow_again(dash_world)
    large = page_queries(client)
    assert small == medium == large, (small, medium, large)
    with django_assert_max_num_queries(35):  # 28 on PostgreSQL: session, user, menus, and each figure's selector
        client.get(URL)


def _grow_again(records):
    """Seven more countries' worth, on top of ``grow(world, 2)``."""
    from django.db import transaction

    with transaction.atomic():
        codes = ["XE", "XF", "XG", "XH", "XI", "XJ", "XK"]
        partner = records["projects.partner"][1]
        cbsa = Department.objects.get(code="cbsa")
        today = timezone.localdate()
        for index, code in enumerate(codes):
            country = Country.objects.create(code=code)
            CountryClassification.objects.create(country=country, category="recalcitrant",
                                                 effective_date=D(2020, 4, 1))
            AsylumStatistic.objects.create(country=country, year=2024, claims=500 + index, irb_decided=10,
                                           irb_rejected=1)
            project = Project.objects.create(
                reference=f"MCEE-H-{code}", title_en=f"Grown {code}", partner=partner, status="active",
                approved_amount=100000, planned_start=D(2021, 4, 1), planned_end=D(2023, 3, 31))
            ProjectCountry.objects.create(project=project, country=country, share=100)
            FundingLine.objects.create(project=project, fiscal_year=2023, planned=2000, disbursed=0)
            PartnerReport.objects.create(project=project, period_start=D(2022, 4, 1), period_end=D(2022, 9, 30),
                                         due_on=D(2022, 10, 30))
            engagement = Engagement.objects.create(country=country, date=today, status="planned", kind="other",
                                                   level="dg", lead_department=cbsa)
            FollowUp.objects.create(engagement=engagement, action=f"Again {code}", owner_department=cbsa,
                                    due_date=today - dt.timedelta(days=3))
            TravelDocumentCase.objects.create(country=country, case_key=f"H{code}".ljust(64, "1"),
                                              requested_on=today - dt.timedelta(days=150), outcome="pending")
