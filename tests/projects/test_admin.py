"""The portfolio in the Wagtail admin: listing, filters, search, exports, forms, reports, French."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.users.models import UserProfile

from projects.models import FundingLine, Project, ProjectCountry, ProjectStatus
from tests.factories import (
    CountryFactory,
    FundingLineFactory,
    PartnerFactory,
    ProjectCountryFactory,
    ProjectFactory,
    priority_area,
)
from tests.spreadsheets import export_text, xlsx_sheet_rows

pytestmark = pytest.mark.django_db

M = Decimal
NBSP = "\u00a0"
NNBSP = "\u202f"
LIST_URL = "/admin/snippets/projects/project/"
ADD_URL = "/admin/snippets/projects/project/add/"


@pytest.fixture
def listing():
    """Four projects that each filter separates differently.

    ALPHA   IOM    XA 100          border-management                 active     2020
    BRAVO   UNHCR  XA 50 / XB 50   national-policy, border-management closed     2021, 2022
    CHARLIE IOM    XC 100          voluntary-return                  cancelled  2020
    DELTA   UNHCR  XB 100          (none)                            pipeline   (none)
    """
    xa, xb, xc = CountryFactory(code="XA"), CountryFactory(code="XB"), CountryFactory(code="XC")
    iom, unhcr = PartnerFactory(acronym="IOM"), PartnerFactory(acronym="UNHCR")

    def project(reference, partner, status, countries, areas, years):
        p = ProjectFactory(reference=reference, title_en=f"Project {reference.title()}", partner=partner,
                           status=status, priority_areas=[priority_area(a) for a in areas])
        for country, share in countries:
            ProjectCountryFactory(project=p, country=country, share=M(share))
        for year in years:
            FundingLineFactory(project=p, fiscal_year=year, planned=M("1000"), disbursed=M("0"))
        return p

    return {
        "ALPHA": project("ALPHA", iom, ProjectStatus.ACTIVE, [(xa, "100")], ["border-management"], [2020]),
        "BRAVO": project("BRAVO", unhcr, ProjectStatus.CLOSED, [(xa, "50"), (xb, "50")],
                         ["national-policy", "border-management"], [2021, 2022]),
        "CHARLIE": project("CHARLIE", iom, ProjectStatus.CANCELLED, [(xc, "100")], ["voluntary-return"], [2020]),
        "DELTA": project("DELTA", unhcr, ProjectStatus.PIPELINE, [(xb, "100")], [], []),
        "countries": {"XA": xa, "XB": xb, "XC": xc},
        "partners": {"IOM": iom, "UNHCR": unhcr},
    }


def listed(response) -> set[str]:
    """References of the projects whose rows the listing shows (by their edit links)."""
    assert response.status_code == 200
    html = response.content.decode()
    pks = {int(pk) for pk in re.findall(r'/admin/snippets/projects/project/edit/(\d+)/', html)}
    return set(Project.objects.filter(pk__in=pks).values_list("reference", flat=True))


def test_listing_shows_every_project(admin_client, listing):
    response = admin_client.get(LIST_URL)
    assert listed(response) == {"ALPHA", "BRAVO", "CHARLIE", "DELTA"}
    html = response.content.decode()
    assert "Project Alpha" in html
    assert "$500,000" in html  # the approved amount, formatted


def test_listing_requires_a_signed_in_user(client, listing):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda f: {"country": f["countries"]["XA"].pk}, {"ALPHA", "BRAVO"}),
        (lambda f: {"country": f["countries"]["XB"].pk}, {"BRAVO", "DELTA"}),
        (lambda f: {"country": f["countries"]["XC"].pk}, {"CHARLIE"}),
        (lambda f: {"partner": f["partners"]["IOM"].pk}, {"ALPHA", "CHARLIE"}),
        (lambda f: {"partner": f["partners"]["UNHCR"].pk}, {"BRAVO", "DELTA"}),
        (lambda f: {"priority_area": priority_area("border-management").pk}, {"ALPHA", "BRAVO"}),
        (lambda f: {"priority_area": priority_area("voluntary-return").pk}, {"CHARLIE"}),
        (lambda f: {"priority_area": [priority_area("national-policy").pk, priority_area("voluntary-return").pk]},
         {"BRAVO", "CHARLIE"}),
        (lambda f: {"status": "active"}, {"ALPHA"}),
        (lambda f: {"status": "pipeline"}, {"DELTA"}),
        (lambda f: {"status": "cancelled"}, {"CHARLIE"}),
        (lambda f: {"fiscal_year": 2020}, {"ALPHA", "CHARLIE"}),
        (lambda f: {"fiscal_year": 2022}, {"BRAVO"}),
        (lambda f: {"partner": f["partners"]["IOM"].pk, "fiscal_year": 2020, "status": "active"}, {"ALPHA"}),
        (lambda f: {"country": f["countries"]["XA"].pk, "partner": f["partners"]["IOM"].pk}, {"ALPHA"}),
    ],
)
def test_filters_narrow_the_listing(admin_client, listing, params, expected):
    assert listed(admin_client.get(LIST_URL, params(listing))) == expected


def test_a_project_matching_two_chosen_areas_is_listed_once(admin_client, listing):
    # BRAVO is in both areas, ALPHA in one: the join must not give BRAVO a second row.
    html = admin_client.get(LIST_URL, {"priority_area": [priority_area("national-policy").pk,
                                                          priority_area("border-management").pk]}).content.decode()
    links = {ref: html.count(f'href="/admin/snippets/projects/project/edit/{listing[ref].pk}/"')
             for ref in ("ALPHA", "BRAVO")}
    assert links["ALPHA"] >= 1
    assert links["BRAVO"] == links["ALPHA"]


def test_fiscal_year_filter_offers_the_years_with_funding(admin_client, listing):
    html = admin_client.get(LIST_URL).content.decode()
    assert re.search(r'<option value="2021"[^>]*>\s*2021-22\s*</option>', html)
    assert not re.search(r'<option value="2019"', html)


@pytest.mark.parametrize(("query", "expected"), [("BRAVO", {"BRAVO"}), ("charl", {"CHARLIE"}),
                                                 ("UNHCR", {"BRAVO", "DELTA"}), ("no-such-thing", set())])
def test_search_by_reference_and_partner(admin_client, listing, query, expected):
    assert listed(admin_client.get(LIST_URL, {"q": query})) == expected


def test_csv_export_has_every_row(admin_client, listing):
    response = admin_client.get(LIST_URL, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export_text(response))))
    by_reference = {row["Reference"]: row for row in rows}
    assert set(by_reference) == {"ALPHA", "BRAVO", "CHARLIE", "DELTA"}
    bravo = by_reference["BRAVO"]
    assert bravo["Implementing partner"] == "UNHCR"
    assert bravo["Countries (share %)"] == "XA (50), XB (50)"
    assert set(bravo["Priority areas"].split(", ")) == {"national-policy", "border-management"}
    assert bravo["Status"] == "closed"
    assert by_reference["ALPHA"]["Size"] == "large"


def test_csv_export_follows_the_filters(admin_client, listing):
    response = admin_client.get(LIST_URL, {"export": "csv", "partner": listing["partners"]["IOM"].pk})
    assert {row["Reference"] for row in csv.DictReader(io.StringIO(export_text(response)))} == {"ALPHA", "CHARLIE"}


def test_xlsx_export_has_every_row(admin_client, listing):
    response = admin_client.get(LIST_URL, {"export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = [list(r) for r in xlsx_sheet_rows(content)]
    header = rows[0]
    assert header[0] == "Reference"
    by_reference = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_reference) == {"ALPHA", "BRAVO", "CHARLIE", "DELTA"}
    assert by_reference["ALPHA"]["Countries (share %)"] == "XA (100)"
    assert str(by_reference["ALPHA"]["Planned start"])[:10] == "2020-04-01"


def test_inspect_view(admin_client, listing):
    project = listing["BRAVO"]
    response = admin_client.get(f"/admin/snippets/projects/project/inspect/{project.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "BRAVO" in html
    assert "Project Bravo" in html


# --- Creating a project through the admin form --------------------------------------------------------


def add_form_data(partner, shares, funding=(), **overrides):
    data = {
        "reference": "MCEE-ADMIN-001",
        "title_en": "Made in the admin",
        "title_fr": "",
        "summary_en": "",
        "summary_fr": "",
        "partner": partner.pk,
        "status": "active",
        "approved_amount": "240000.00",
        "planned_start": "2021-04-01",
        "planned_end": "2023-03-31",
        "actual_start": "",
        "actual_end": "",
        "priority_areas": [priority_area("border-management").pk, priority_area("regular-migration").pk],
        "country_shares-TOTAL_FORMS": str(len(shares)),
        "country_shares-INITIAL_FORMS": "0",
        "country_shares-MIN_NUM_FORMS": "1",
        "country_shares-MAX_NUM_FORMS": "1000",
        "funding_lines-TOTAL_FORMS": str(len(funding)),
        "funding_lines-INITIAL_FORMS": "0",
        "funding_lines-MIN_NUM_FORMS": "0",
        "funding_lines-MAX_NUM_FORMS": "1000",
    }
    for i, (country, share) in enumerate(shares):
        data |= {f"country_shares-{i}-country": country.pk, f"country_shares-{i}-share": share,
                 f"country_shares-{i}-id": "", f"country_shares-{i}-DELETE": ""}
    for i, (year, planned, disbursed) in enumerate(funding):
        data |= {f"funding_lines-{i}-fiscal_year": year, f"funding_lines-{i}-planned": planned,
                 f"funding_lines-{i}-disbursed": disbursed, f"funding_lines-{i}-id": "",
                 f"funding_lines-{i}-DELETE": ""}
    data.update(overrides)
    return data


def counts():
    return Project.objects.count(), ProjectCountry.objects.count(), FundingLine.objects.count()


def test_add_form_has_the_inline_fields(admin_client):
    html = admin_client.get(ADD_URL).content.decode()
    for name in ["country_shares-TOTAL_FORMS", "country_shares-__prefix__-country", "country_shares-__prefix__-share",
                 "funding_lines-TOTAL_FORMS", "funding_lines-__prefix__-fiscal_year",
                 "funding_lines-__prefix__-planned", "funding_lines-__prefix__-disbursed"]:
        assert f'name="{name}"' in html


def test_admin_refuses_shares_adding_to_90_and_writes_nothing(admin_client):
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    before = counts()
    response = admin_client.post(ADD_URL, add_form_data(PartnerFactory(), [(xa, "60"), (xb, "30")],
                                                        [(2021, "100000", "0")]))
    assert response.status_code == 200  # the form again, with its errors
    assert "The country shares add up to 90 %; they must add up to 100 %." in response.content.decode()
    assert counts() == before


def test_admin_refuses_a_share_of_zero_with_a_clear_message(admin_client):
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    before = counts()
    response = admin_client.post(ADD_URL, add_form_data(PartnerFactory(), [(xa, "100"), (xb, "0")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "A country&#x27;s share must be more than 0 % and at most 100 %." in html
    assert "project_country_share_between_0_and_100" not in html
    assert counts() == before


def test_admin_refuses_an_amount_over_three_million(admin_client):
    xa = CountryFactory(code="XA")
    before = counts()
    response = admin_client.post(ADD_URL, add_form_data(PartnerFactory(), [(xa, "100")],
                                                        approved_amount="3000000.01"))
    assert response.status_code == 200
    assert "at most $3,000,000" in response.content.decode()
    assert counts() == before


def test_admin_creates_a_project_whose_shares_add_to_100(admin_client):
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    partner = PartnerFactory()
    response = admin_client.post(ADD_URL, add_form_data(partner, [(xa, "60"), (xb, "40")],
                                                        [(2021, "100000", "25000.50"), (2022, "140000", "0")]))
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(reference="MCEE-ADMIN-001")
    assert project.partner == partner
    assert project.approved_amount == M("240000.00")
    assert project.size_category == "small"
    assert dict(project.country_shares.values_list("country__code", "share")) == {"XA": M("60"), "XB": M("40")}
    assert dict(project.funding_lines.values_list("fiscal_year", "disbursed")) == {2021: M("25000.50"),
                                                                                     2022: M("0")}
    assert set(project.priority_areas.values_list("code", flat=True)) == {"border-management", "regular-migration"}


# --- Admin home and reports ------------------------------------------------------------------------------


def test_dashboard_shows_the_envelope_panel_with_figures(admin_client):
    project = ProjectFactory()
    FundingLineFactory(project=project, fiscal_year=2020, planned=M("150000"), disbursed=M("100000"))
    FundingLineFactory(project=ProjectFactory(status=ProjectStatus.CANCELLED), fiscal_year=2020,
                       planned=M("900000"), disbursed=M("900000"))
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="mcee-envelope-heading"' in html
    assert "Migration Cooperation and Engagement Envelope" in html
    assert "$21,000,000" in html
    assert "$20,850,000" in html  # remaining: 21,000,000 less 150,000 approved (cancelled not counted)
    row = re.search(r'<th scope="row">2020-21</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', html)
    assert row.groups() == ("$150,000", "$100,000", "$50,000")
    assert '<th scope="row">2024-25</th>' in html


@pytest.fixture
def report_data():
    xa = CountryFactory(code="XA")
    project = ProjectFactory(priority_areas=[priority_area("irregular-migration")])
    ProjectCountryFactory(project=project, country=xa, share=M("100"))
    FundingLineFactory(project=project, fiscal_year=2021, planned=M("1234.56"), disbursed=M("0"))


def test_priority_areas_report_page(admin_client, report_data):
    response = admin_client.get("/admin/mcee-reports/priority-areas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Projects by priority area" in html
    assert html.count("<tr>") >= 8  # header + the seven areas
    assert re.search(r"<td>Preventing irregular migration</td>\s*<td[^>]*>1</td>", html)
    assert re.search(r"<td>Assisted voluntary return</td>\s*<td[^>]*>0</td>", html)


def test_priority_areas_report_csv(admin_client, report_data):
    response = admin_client.get("/admin/mcee-reports/priority-areas/", {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows[0] == ["Code", "Priority area", "Projects"]
    assert rows[1] == ["irregular-migration", "Preventing irregular migration", "1"]
    assert len(rows) == 8


def test_funding_report_page_and_csv(admin_client, report_data):
    url = "/admin/mcee-reports/funding-by-category/"
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<td>2021-22</td>\s*<td>Not targeted</td>\s*<td[^>]*>1,235</td>", html)
    response = admin_client.get(url, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows[0] == ["Fiscal year", "Category", "Planned (CAD)", "Disbursed (CAD)"]
    assert rows[1:] == [["2021-22", "Recalcitrant", "0.00", "0.00"], ["2021-22", "Preventive", "0.00", "0.00"],
                        ["2021-22", "At risk", "0.00", "0.00"], ["2021-22", "Not targeted", "1234.56", "0.00"]]


def test_reports_are_in_the_reports_menu(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/mcee-reports/priority-areas/" in html
    assert "/admin/mcee-reports/funding-by-category/" in html


# --- The admin in French ---------------------------------------------------------------------------------


def test_french_admin_for_a_user_who_prefers_french(admin_client, superuser):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "fr"
    profile.save()
    FundingLineFactory(project=ProjectFactory(), fiscal_year=2020, planned=M("1500"), disbursed=M("0"))
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tableau de bord" in html  # Wagtail's own French
    assert "Dashboard" not in html
    assert "PROTÉGÉ B" in html
    assert "PROTECTED B" not in html
    # Our figures follow the reader's language even where our sentences are not translated yet.
    assert f"21{NNBSP}000{NNBSP}000{NBSP}$" in html
    assert '<th scope="row">2020-2021</th>' in html
    assert f"<td>1{NNBSP}500{NBSP}$</td>" in html


def test_english_admin_by_default(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Dashboard" in html
    assert "PROTECTED B" in html
    assert "PROTÉGÉ B" not in html


# --- Query counts ----------------------------------------------------------------------------------------


def make_projects(n, countries, areas):
    for _ in range(n):
        project = ProjectFactory(priority_areas=areas)
        ProjectCountryFactory(project=project, country=countries[0], share=M("70"))
        ProjectCountryFactory(project=project, country=countries[1], share=M("30"))
        FundingLineFactory(project=project, fiscal_year=2021)


def listing_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def export_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST_URL, {"export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8")
    return len(ctx.captured_queries), text


def test_listing_query_count_does_not_grow_with_rows(admin_client):
    countries = [CountryFactory(code="XA"), CountryFactory(code="XB")]
    areas = [priority_area("border-management"), priority_area("national-policy")]
    make_projects(3, countries, areas)
    admin_client.get(LIST_URL)  # warm per-session caches (permissions, profile) before counting
    few, response = listing_queries(admin_client)
    assert len(listed(response)) == 3
    make_projects(27, countries, areas)
    many, response = listing_queries(admin_client)
    assert len(listed(response)) == 20  # one page
    assert many == few


def test_export_query_count_does_not_grow_with_rows(admin_client):
    countries = [CountryFactory(code="XA"), CountryFactory(code="XB")]
    areas = [priority_area("border-management"), priority_area("national-policy")]
    make_projects(3, countries, areas)
    admin_client.get(LIST_URL)
    few, text = export_queries(admin_client)
    assert text.count("XA (70), XB (30)") == 3
    make_projects(27, countries, areas)
    many, text = export_queries(admin_client)
    assert text.count("XA (70), XB (30)") == 30
    assert many == few
