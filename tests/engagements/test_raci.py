"""The responsibility matrix (RACI): government-wide and per country, its admin screens, the country
page, and the rule that one department is accountable for an activity."""

import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from wagtail.users.models import UserProfile

from engagements import admin_responsibilities
from engagements.models import Department, Responsibility, ResponsibilityActivity
from engagements.selectors.responsibilities import raci_for_country
from engagements.services.responsibilities import responsibility_save
from tests.factories import CountryFactory
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db

MATRIX_URL = "/admin/responsibility-matrix/"
ADD_URL = "/admin/snippets/engagements/responsibility/add/"


def dept(code):
    return Department.objects.get(code=code)


def activity(code):
    return ResponsibilityActivity.objects.get(code=code)


def cell(activity_code, department_code, role, country=None):
    return Responsibility.objects.create(activity=activity(activity_code), department=dept(department_code),
                                         role=role, country=country)


@pytest.fixture
def matrix():
    """Government-wide: raising TD issues is CBSA's (A) with GAC responsible (R) and IRCC informed (I);
    XA names GAC accountable and IRCC consulted; XB changes nothing.

    Expected for XA, raise-td-issues: CBSA — (its government-wide A set aside), GAC A (XA only; was R),
    IRCC C (XA only; was I), PS and IRB nothing."""
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    cell("raise-td-issues", "cbsa", "A")
    cell("raise-td-issues", "gac", "R")
    cell("raise-td-issues", "ircc", "I")
    cell("raise-td-issues", "gac", "A", country=xa)
    cell("raise-td-issues", "ircc", "C", country=xa)
    cell("approve-key-messages", "ircc", "A")
    return {"xa": xa, "xb": xb}


# --- the selector -----------------------------------------------------------------------------------


def test_the_government_wide_matrix(matrix):
    result = raci_for_country()
    assert [d.code for d in result.departments] == ["cbsa", "gac", "irb", "ircc", "ps"]
    assert [row.activity.code for row in result.rows][:3] == ["maintain-engagement-plan", "raise-td-issues",
                                                             "leverage-projects"]
    row = result.row("raise-td-issues")
    assert row.roles == {"cbsa": "A", "gac": "R", "irb": None, "ircc": "I", "ps": None}
    assert row.overridden == set()
    assert row.accountable.code == "cbsa"
    assert result.row("collect-td-data").roles == dict.fromkeys(["cbsa", "gac", "ircc", "irb", "ps"])
    assert not result.has_overrides


def test_a_countrys_own_cells_replace_the_government_wide_ones(matrix):
    result = raci_for_country(country=matrix["xa"])
    row = result.row("raise-td-issues")
    assert row.roles == {"cbsa": None, "gac": "A", "ircc": "C", "irb": None, "ps": None}
    assert row.overridden == {"gac", "ircc"}
    assert row.accountable.code == "gac"  # one accountable department, the country's
    cbsa_cell = row.cells[0]
    assert cbsa_cell.displaced and cbsa_cell.default_role == "A"
    gac_cell = row.cells[1]
    assert gac_cell.from_country and gac_cell.default_role == "R"
    # Activities the country does not change are the government-wide ones.
    assert result.row("approve-key-messages").roles["ircc"] == "A"
    assert result.has_overrides


def test_a_country_without_cells_of_its_own_has_the_government_wide_matrix(matrix):
    assert [r.roles for r in raci_for_country(country=matrix["xb"]).rows] == [r.roles for r in raci_for_country().rows]


def test_the_matrix_takes_three_queries_however_many_cells(matrix):
    def count(country):
        with CaptureQueriesContext(connection) as captured:
            raci_for_country(country=country)
        return len(captured)

    few = count(matrix["xa"])
    for code in ("collect-td-data", "disseminate-results", "monitor-project-results", "recommend-escalation"):
        for department, role in (("cbsa", "R"), ("gac", "C"), ("ps", "I")):
            cell(code, department, role)
            cell(code, department, "I", country=matrix["xa"])
    assert count(matrix["xa"]) == few == 3


# --- one accountable department, said in words ------------------------------------------------------


def test_the_service_refuses_a_second_accountable_department(matrix):
    with pytest.raises(ValidationError, match="CBSA is already accountable for this activity government-wide"):
        responsibility_save(responsibility=Responsibility(activity=activity("raise-td-issues"), department=dept("ps"),
                                                          role="A"))
    with pytest.raises(ValidationError, match="GAC is already accountable for this activity for Xandria"):
        responsibility_save(responsibility=Responsibility(activity=activity("raise-td-issues"), department=dept("ps"),
                                                          role="A", country=matrix["xa"]))
    saved = responsibility_save(responsibility=Responsibility(activity=activity("raise-td-issues"),
                                                              department=dept("ps"), role="A", country=matrix["xb"]))
    assert saved.pk


def test_the_service_refuses_a_second_role_for_the_same_department(matrix):
    with pytest.raises(ValidationError, match="GAC already has a role"):
        responsibility_save(responsibility=Responsibility(activity=activity("raise-td-issues"), department=dept("gac"),
                                                          role="C"))


def add(client, **values):
    data = {"activity": activity(values.get("activity", "raise-td-issues")).pk,
            "department": dept(values.get("department", "ps")).pk, "role": values.get("role", "A"),
            "country": values["country"].pk if values.get("country") else ""}
    return client.post(ADD_URL, data)


def test_two_accountable_departments_are_a_form_error_not_a_server_error(admin_client, matrix):
    before = Responsibility.objects.count()
    response = add(admin_client, role="A")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CBSA is already accountable for this activity government-wide, and only one department can be." in html
    assert "raci_one_accountable" not in html  # never the constraint's name
    response = add(admin_client, role="A", country=matrix["xa"])
    assert response.status_code == 200
    assert "GAC is already accountable for this activity for Xandria (XA)" in response.content.decode()
    response = add(admin_client, department="gac", role="C")
    assert "GAC already has a role (Responsible) in this activity government-wide" in response.content.decode()
    assert Responsibility.objects.count() == before
    assert add(admin_client, role="C").status_code == 302
    assert Responsibility.objects.count() == before + 1


def test_editing_a_cell_into_a_second_accountable_is_refused(admin_client, matrix):
    gac = Responsibility.objects.get(activity__code="raise-td-issues", department__code="gac", country=None)
    url = reverse("wagtailsnippets_engagements_responsibility:edit", args=[gac.pk])
    response = admin_client.post(url, {"activity": gac.activity_id, "department": gac.department_id, "role": "A",
                                       "country": ""})
    assert response.status_code == 200
    assert "CBSA is already accountable" in response.content.decode()
    gac.refresh_from_db()
    assert gac.role == "R"
    # Changing the accountable cell itself is fine.
    cbsa = Responsibility.objects.get(activity__code="raise-td-issues", department__code="cbsa", country=None)
    url = reverse("wagtailsnippets_engagements_responsibility:edit", args=[cbsa.pk])
    response = admin_client.post(url, {"activity": cbsa.activity_id, "department": cbsa.department_id, "role": "A",
                                       "country": ""})
    assert response.status_code == 302


def test_a_contradicting_cell_saved_meanwhile_is_still_a_form_error(admin_client, matrix):
    """The form's check passed, then the database refused (someone saved an accountable department
    between the two): the page says it, no server error."""
    calls = {"n": 0}
    real = admin_responsibilities.responsibility_conflicts

    def blind_first(candidate):
        calls["n"] += 1
        return {} if calls["n"] == 1 else real(candidate)

    with mock.patch("engagements.admin_responsibilities.responsibility_conflicts", side_effect=blind_first), \
            mock.patch.object(Responsibility, "validate_constraints", lambda self, exclude=None: None):
        response = add(admin_client, role="A")
    assert response.status_code == 200
    assert "CBSA is already accountable for this activity government-wide" in response.content.decode()
    assert not Responsibility.objects.filter(department__code="ps").exists()


# --- the admin screens ------------------------------------------------------------------------------


def test_the_listing_filters_by_activity_department_and_country(admin_client, matrix):
    listing = "/admin/snippets/engagements/responsibility/"
    html = admin_client.get(listing + f"?country={matrix['xa'].pk}").content.decode()
    assert html.count("Xandria (XA)") >= 2
    assert "All countries (government-wide)</td>" not in html
    html = admin_client.get(listing + "?country=null").content.decode()
    assert "Xandria (XA)</td>" not in html
    export = export_text(admin_client.get(listing + "?export=csv"))
    assert export.splitlines()[0] == "Activity,Department,Country (empty: government-wide),Role"
    assert "raise-td-issues,gac,XA,A" in export and "raise-td-issues,cbsa,,A" in export
    query = f"?department={dept('ircc').pk}&activity={activity('approve-key-messages').pk}&export=csv"
    export = export_text(admin_client.get(listing + query))
    assert export.splitlines()[1:] == ["approve-key-messages,ircc,,A"]


def cells_of(html, activity_name):
    """The text of each cell in the row of an activity, whitespace collapsed."""
    row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(escape(activity_name))}</th>(.*?)</tr>", html, re.S).group(1)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_matrix_page_government_wide_and_for_a_country(admin_client, matrix):
    html = admin_client.get(MATRIX_URL).content.decode()
    assert "<caption>Responsibility matrix, government-wide</caption>" in html
    assert cells_of(html, "Raise travel-document issues with the country's mission") == [
        "A Accountable", "R Responsible", "— No role", "I Informed", "— No role"]
    html = admin_client.get(MATRIX_URL + "?country=xa").content.decode()
    assert "Responsibility matrix for Xandria (XA)" in html
    assert cells_of(html, "Raise travel-document issues with the country's mission") == [
        "— No role (accountable government-wide, not for Xandria)",
        "A Accountable (Xandria only; government-wide: Responsible)",
        "— No role",
        "C Consulted (Xandria only; government-wide: Informed)",
        "— No role"]
    html = admin_client.get(MATRIX_URL + "?country=QQ").content.decode()
    assert "“QQ” is not a country recorded in the MCEE" in html


def test_the_matrix_page_is_in_the_menu_for_readers(client, world, user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("officer_cbsa"))
    assert client.get(MATRIX_URL).status_code == 200
    assert MATRIX_URL in client.get("/admin/").content.decode()


def test_a_user_without_a_role_may_not_read_the_matrix(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("nobody", password="x-not-used-0123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(MATRIX_URL)
    assert response.status_code in (302, 403)


# --- the country page -------------------------------------------------------------------------------


def country_page(client, country):
    return client.get(reverse("wagtailsnippets_countries_country:inspect", args=[country.pk])).content.decode()


def test_the_country_page_shows_the_countrys_matrix_with_its_own_cells_marked(admin_client, matrix):
    html = country_page(admin_client, matrix["xa"])
    assert "Roles and responsibilities (RACI)" in html
    assert "Responsibility matrix for Xandria (XA)" in html
    assert "A Accountable (Xandria only; government-wide: Responsible)" in " ".join(
        cells_of(html, "Raise travel-document issues with the country's mission"))
    assert f"{MATRIX_URL}?country=XA" in html
    html = country_page(admin_client, matrix["xb"])
    assert "Responsibility matrix for Balmora (XB)" in html
    assert "only" not in " ".join(cells_of(html, "Raise travel-document issues with the country's mission"))


def test_the_country_page_matrix_in_french(admin_client, superuser, matrix):
    profile = UserProfile.get_for_user(superuser)
    profile.preferred_language = "fr"
    profile.save()
    html = country_page(admin_client, matrix["xa"])
    assert "Soulever les questions de titres de voyage auprès de la mission du pays" in html  # the activity
    assert ">ASFC</abbr>" in html and ">AMC</abbr>" in html  # the departments' French acronyms
    cells = cells_of(html, "Soulever les questions de titres de voyage auprès de la mission du pays")
    assert cells[1].startswith("A ") and "Xandrie" in cells[1]  # GAC's own XA cell, marked with the country
    assert "Raise travel-document issues with the country" not in html.split("<main")[1].split("<select")[0]


def test_an_officer_sees_the_matrix_on_the_country_page(client, world, user_with_role, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(user_with_role("officer_gac"))
    xb = world["countries.country"][1]
    html = country_page(client, xb)
    assert "Roles and responsibilities (RACI)" in html
    # The world: CBSA responsible government-wide, GAC accountable for XB.
    cells = cells_of(html, "Raise travel-document issues with the country's mission")
    assert cells[0] == "R Responsible"
    assert cells[1].startswith("A Accountable (Balmora only")
