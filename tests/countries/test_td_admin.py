"""The travel-document reports in the admin: the series table with its exports and data-quality
warnings, the completeness report, who may open them, French formatting, and a query count that
does not depend on the number of cases."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from wagtail.users.models import UserProfile

from countries.models import CountryClassification, TimelinessTarget, TravelDocumentCase, TravelDocumentMonth
from tests.factories import CountryFactory
from tests.spreadsheets import after_marking, export_text, xlsx_sheet_rows

pytestmark = pytest.mark.django_db

D = dt.date
TIMELINESS = "/admin/mcee-reports/td-timeliness/"
COMPLETENESS = "/admin/mcee-reports/td-completeness/"


def add_cases(country, count, start=0):
    """``count`` cases, all requested on 1 April 2024 and issued 30 days later."""
    TravelDocumentCase.objects.bulk_create([
        TravelDocumentCase(country=country, case_key=f"{country.code.code}{start + i:062d}",
                           requested_on=D(2024, 4, 1), issued_on=D(2024, 5, 1), outcome="issued", days_to_issue=30)
        for i in range(count)])


@pytest.fixture
def xa():
    country = CountryFactory(code="XA")
    TimelinessTarget.objects.create(country=country, target_days=45)
    add_cases(country, 3)
    TravelDocumentCase.objects.create(country=country, case_key="r" * 64, requested_on=D(2024, 4, 2),
                                      outcome="refused")
    return country


def test_the_series_table_shows_the_figures_of_the_period(admin_client, xa):
    response = admin_client.get(TIMELINESS, {"country": "XA", "period": "quarter"})
    assert response.status_code == 200
    html = response.content.decode()
    # requested 4, issued 3, refused 1, pending 0, rate 0.75, median and p90 30 days, all within 45 days
    assert re.search(r"<td>XA</td>\s*<td>2024-25 Q1</td>\s*<td[^>]*>4</td>\s*<td[^>]*>3</td>\s*<td[^>]*>1</td>\s*"
                     r"<td[^>]*>0</td>\s*<td>0.7500</td>\s*<td>30.0</td>\s*<td>30.0</td>\s*<td>1.0000</td>", html)
    assert "Data-quality warnings" not in html
    assert "PROTECTED B" in html


def test_a_difference_with_the_monthly_figures_is_shown_as_a_warning(admin_client, xa):
    TravelDocumentMonth.objects.create(country=xa, month=D(2024, 4, 1), requested=9, issued=3, refused=1,
                                       pending_end=0, removals=0)
    html = admin_client.get(TIMELINESS, {"country": "XA", "period": "month"}).content.decode()
    assert "Data-quality warnings" in html
    # April from cases: 4 requested, none issued yet (issued in May), 3 pending; the monthly figures differ.
    assert ("2024-04: Case-level data used; the monthly figures differ (requested: 4 from cases, 9 in the monthly "
            "figures; issued: 0 from cases, 3 in the monthly figures; pending at period end: 3 from cases, 0 in the "
            "monthly figures).") in html
    # The command keeps its columns as the issue declares them and prints the warning on standard error.
    out, err = io.StringIO(), io.StringIO()
    call_command("mcee_report", "td-timeliness", "--country", "XA", "--format", "csv", stdout=out, stderr=err)
    assert after_marking(out.getvalue()).splitlines()[0].split(",") == [
        "country", "period", "requested", "issued", "refused", "pending_end", "issuance_rate", "median_days",
        "p90_days", "within_target_share"]
    assert "2024-04: Case-level data used" in err.getvalue()
    assert "Case-level" not in out.getvalue()


def test_an_unknown_country_is_refused_with_a_message_and_no_table(admin_client, xa):
    html = admin_client.get(TIMELINESS, {"country": "QQ"}).content.decode()
    assert "Correct the options above to see the report." in html
    assert "is not a country recorded in the MCEE." in html
    assert "<tbody>" not in html


def test_the_series_exports_to_csv_and_xlsx(admin_client, xa):
    response = admin_client.get(TIMELINESS, {"country": "XA", "period": "fiscal_year", "export": "csv"})
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows[0][:4] == ["Country", "Period", "Requested", "Issued"]
    assert rows[1][:6] == ["XA", "2024-25", "4", "3", "1", "0"]
    response = admin_client.get(TIMELINESS, {"country": "XA", "period": "fiscal_year", "export": "xlsx"})
    assert response.status_code == 200
    values = [list(row) for row in xlsx_sheet_rows(b"".join(response.streaming_content))]
    assert values[0][:2] == ["Country", "Period"]
    assert [str(v) for v in values[1][:6]] == ["XA", "2024-25", "4", "3", "1", "0"]


def test_the_completeness_report_lists_the_months_without_data(admin_client, xa):
    CountryClassification.objects.create(country=xa, category="preventive", effective_date=D(2020, 1, 1))
    TravelDocumentMonth.objects.create(country=xa, month=D(2024, 6, 1), requested=1, issued=1, refused=0,
                                       pending_end=0, removals=0, added_to_inventory=4)
    html = admin_client.get(COMPLETENESS, {"fiscal_year": "2024-25"}).content.decode()
    # April and May have cases, June monthly figures: nine months without data, eleven without inventory counts
    assert re.search(r"<td>Xandria \(XA\)</td>|<td>XA</td>", html)
    assert re.search(r"<td>Preventive</td>\s*<td>2024-25</td>\s*<td[^>]*>12</td>\s*<td[^>]*>9</td>", html)
    assert "2024-07 2024-08" in html


def test_a_bad_fiscal_year_is_refused_with_a_message(admin_client):
    html = admin_client.get(COMPLETENESS, {"fiscal_year": "twenty"}).content.decode()
    assert "Correct the options above to see the report." in html


@pytest.mark.parametrize(("role", "allowed"), [("officer_cbsa", True), ("rwg_member", True),
                                               ("partner_reporter", False), ("no_role", False)])
def test_who_may_open_the_reports(role, allowed, client, settings, django_user_model, xa):
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, partner_reporter_role, sync_role_group

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    user = django_user_model.objects.create_user(f"u-{role}", password="x-not-used-0123")
    roles = {r.code: r for r in STANDING_ROLES}
    roles["partner_reporter"] = partner_reporter_role("IOM")
    if role in roles:
        sync_role_group(roles[role], Group, Permission)
        user.groups.add(Group.objects.get(name=roles[role].group_name))
    client.force_login(user)
    for url, params in ((TIMELINESS, {"country": "XA"}), (COMPLETENESS, {"fiscal_year": "2024-25"})):
        response = client.get(url, params)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403), url
            assert b"2024-25" not in response.content


def test_the_report_in_french_formats_shares_for_french_readers(admin_client, superuser, xa):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "fr"
    profile.save()
    html = admin_client.get(TIMELINESS, {"country": "XA", "period": "quarter"}).content.decode()
    assert "PROTÉGÉ B" in html
    assert "<td>0,7500</td>" in html
    assert "<td>30,0</td>" in html


def test_the_page_query_count_does_not_depend_on_the_number_of_cases(admin_client, xa,
                                                                     django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(TIMELINESS, {"country": "XA", "period": "month"})
    add_cases(xa, 400, start=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(TIMELINESS, {"country": "XA", "period": "month"})
    assert re.search(r"<td>2024-04</td>\s*<td[^>]*>404</td>", response.content.decode())
