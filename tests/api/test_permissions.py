"""The API asks the people's policy (mcee.access) with the system account's user: a department's token
reads and changes its own department's engagements only, a partner's token its own projects only, and
sensitive fields stay hidden from roles that may not see them."""

import pytest
from rest_framework.test import APIClient

from engagements.models import Engagement

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row.get("id") or row.get("reference") or row.get("acronym") or row.get("code")
            for row in response.json()["results"]]


def test_a_departments_token_reads_only_its_departments_engagements(api_world, api_as):
    cbsa = api_as("CBSA officers")
    assert ids(cbsa.get("/api/v1/engagements/")) == [api_world["cbsa_engagement"].pk]
    assert cbsa.get(f"/api/v1/engagements/{api_world['cbsa_engagement'].pk}/").status_code == 200
    # Another department's engagement is absent, exactly like one that does not exist.
    other = cbsa.get(f"/api/v1/engagements/{api_world['gac_engagement'].pk}/")
    assert other.status_code == 404 and "GAC-ENGAGEMENT" not in other.content.decode()
    assert cbsa.get("/api/v1/engagements/999999/").status_code == 404
    gac = api_as("GAC officers")
    assert ids(gac.get("/api/v1/engagements/")) == [api_world["gac_engagement"].pk]


def test_a_departments_token_cannot_change_another_departments_engagement(api_world, api_as):
    cbsa = api_as("CBSA officers")
    engagement = api_world["gac_engagement"]
    for method in ("patch", "put"):
        response = getattr(cbsa, method)(f"/api/v1/engagements/{engagement.pk}/", {"summary": "HIJACKED"},
                                         format="json")
        assert response.status_code == 404, response.content
    engagement.refresh_from_db()
    assert engagement.summary == "GAC-ENGAGEMENT"


def test_an_engagement_a_department_takes_part_in_is_visible_and_changeable(api_world, api_as):
    engagement = api_world["gac_engagement"]
    engagement.participating_departments = [api_world["cbsa"]]
    engagement.save()
    cbsa = api_as("CBSA officers")
    response = cbsa.patch(f"/api/v1/engagements/{engagement.pk}/", {"summary": "Updated by CBSA"}, format="json")
    assert response.status_code == 200, response.content
    assert Engagement.objects.get(pk=engagement.pk).summary == "Updated by CBSA"


def test_a_visible_engagement_the_role_may_not_change_answers_403(api_world, api_as, django_user_model):
    """A grant to view one engagement, without a grant to change it: seen, and refused with the reason."""
    from guardian.shortcuts import assign_perm

    from mcee.models import SystemAccount

    client = api_as("GAC officers", username="sys-gac-viewer")
    account = SystemAccount.objects.get(user__username="sys-gac-viewer")
    assign_perm("engagements.view_engagement", account.user, api_world["cbsa_engagement"])
    url = f"/api/v1/engagements/{api_world['cbsa_engagement'].pk}/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"summary": "NO"}, format="json")
    assert response.status_code == 403
    from mcee import access

    assert response.json()["detail"] == str(access.can(account.user, "change", api_world["cbsa_engagement"]).reason)


def test_a_partners_token_sees_only_its_partners_projects(api_world, api_as):
    iom = api_as("IOM reporters")
    assert ids(iom.get("/api/v1/projects/")) == ["MCEE-API-001"]
    assert iom.get("/api/v1/projects/MCEE-API-002/").status_code == 404
    assert ids(iom.get("/api/v1/partners/")) == ["IOM"]
    unhcr = api_as("UNHCR reporters")
    assert ids(unhcr.get("/api/v1/projects/")) == ["MCEE-API-002"]  # its own, even in the pipeline
    assert unhcr.get("/api/v1/projects/MCEE-API-001/").status_code == 404


def test_a_partners_token_reads_funding_and_no_engagement_or_country_data(api_world, api_as):
    iom = api_as("IOM reporters")
    [project] = iom.get("/api/v1/projects/").json()["results"]
    assert project["funding"] == [{"fiscal_year": "2024-25", "planned": "200000.00", "disbursed": "150000.00"}]
    for url in ("/api/v1/engagements/", "/api/v1/key-messages/", "/api/v1/countries/", "/api/v1/td-monthly/"):
        response = iom.get(url)
        assert response.status_code == 403, url
        assert "Your role does not allow this action" in response.json()["detail"]


def test_an_officers_token_sees_no_pipeline_project_no_funding_and_approved_messages_only(api_world, api_as):
    cbsa = api_as("CBSA officers")
    [project] = cbsa.get("/api/v1/projects/").json()["results"]
    assert project["reference"] == "MCEE-API-001" and project["funding"] is None
    assert cbsa.get("/api/v1/projects/MCEE-API-002/").status_code == 404  # still in the pipeline
    messages = cbsa.get("/api/v1/key-messages/").json()["results"]
    assert [m["text_en"] for m in messages] == ["APPROVED-MESSAGE"]
    assert cbsa.get(f"/api/v1/key-messages/{api_world['draft'].pk}/").status_code == 404


def test_the_classification_rationale_is_for_mcet_and_the_rwg_only(api_world, api_as, client, django_user_model):
    from django.contrib.auth.models import Group

    cbsa = api_as("CBSA officers")
    country = cbsa.get("/api/v1/countries/XA/").json()
    assert (country["category"], country["category_rationale"]) == ("recalcitrant", None)
    assert "SECRET-RATIONALE" not in cbsa.get("/api/v1/countries/").content.decode()
    # A person of the RWG, signed in to the workspace, reads it through the browsable API's session.
    member = django_user_model.objects.create_user("rwg-person", password="not-used-0123456")
    member.groups.add(Group.objects.get(name="RWG members"))
    session = APIClient()
    session.force_login(member)
    assert session.get("/api/v1/countries/XA/").json()["category_rationale"] == "SECRET-RATIONALE"


def test_an_auditor_session_reads_countries_without_the_rationale(api_world, django_user_model):
    from django.contrib.auth.models import Group

    auditor = django_user_model.objects.create_user("auditor-person", password="not-used-0123456")
    auditor.groups.add(Group.objects.get(name="Auditors"))
    session = APIClient()
    session.force_login(auditor)
    assert session.get("/api/v1/countries/XA/").json()["category_rationale"] is None


def test_nobody_anonymous(api_world):
    response = APIClient().get("/api/v1/engagements/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="mcee"'


def test_every_response_carries_the_marking_and_utc_times(api_world, api_as):
    cbsa = api_as("CBSA officers")
    response = cbsa.get("/api/v1/engagements/")
    assert response["X-Security-Marking"] == "PROTECTED B"
    assert response.json()["results"][0]["updated_at"].endswith("Z")
    french = cbsa.get("/api/v1/engagements/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french["X-Security-Marking"] == "PROTÉGÉ B"
    assert french["Content-Language"] == "fr"
    assert french.json()["results"][0]["status_label"] == "Prévu"  # labels in the language asked for
