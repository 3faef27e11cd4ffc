"""Recording engagements through the API: the admin form's rules (one service), audited as the API by
the system account; bad input answers 400 by field and writes nothing."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from engagements.models import Engagement
from mcee.models import SystemAccount

pytestmark = pytest.mark.django_db


def new(**overrides):
    return {"country": "XA", "date": "2025-07-01", "status": "planned", "kind": "ottawa_bilateral", "level": "dg",
            "lead_department": "cbsa", **overrides}


def test_a_department_records_an_engagement_it_leads(api_world, api_as):
    client = api_as("CBSA officers")
    response = client.post("/api/v1/engagements/", new(participating_departments=["ircc"],
                                                       counterpart_institution="Embassy of XA"), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    engagement = Engagement.objects.get(pk=body["id"])
    account = SystemAccount.objects.get()
    assert (engagement.lead_department.code, engagement.created_by) == ("cbsa", account.user)
    assert body["participating_departments"] == ["ircc"] and body["fiscal_year"] == "2025-26"
    entries = LogEntry.objects.get_for_object(engagement)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert {(e.actor, e.additional_data["source"], e.remote_addr) for e in entries} == {
        (account.user, "api", "127.0.0.1")}


def test_it_cannot_record_one_for_another_department(api_world, api_as):
    client = api_as("CBSA officers")
    before = Engagement.objects.count()
    response = client.post("/api/v1/engagements/", new(lead_department="gac"), format="json")
    assert response.status_code == 400
    assert response.json() == {"lead_department": [
        "You can record engagements that your department leads or takes part in. Choose your department as lead "
        "or as a participating department."]}
    assert Engagement.objects.count() == before
    # Taking part is enough, as in the admin form.
    response = client.post("/api/v1/engagements/", new(lead_department="gac", participating_departments=["cbsa"]),
                           format="json")
    assert response.status_code == 201


def test_the_admin_forms_rules_hold(api_world, api_as):
    client = api_as("CBSA officers")
    before = Engagement.objects.count()
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post("/api/v1/engagements/", new(status="held", date=future), format="json")
    assert response.status_code == 400 and "date" in response.json()
    # A held engagement in a country with MCEE projects says which were used, or that none was.
    response = client.post("/api/v1/engagements/", new(status="held", date="2025-05-02"), format="json")
    assert response.status_code == 400
    assert response.json()["projects_leveraged"][0].startswith("MCEE projects exist in Xandria (XA): MCEE-API-001")
    response = client.post("/api/v1/engagements/", new(status="held", date="2025-05-02",
                                                       projects_leveraged=["MCEE-API-001"], no_project_leveraged=True),
                           format="json")
    assert "no_project_leveraged" in response.json()
    # A project outside the token's reach reads as unknown; so does a draft key message.
    response = client.post("/api/v1/engagements/", new(projects_leveraged=["MCEE-API-002"],
                                                       key_messages_used=[api_world["draft"].pk]), format="json")
    assert response.status_code == 400 and set(response.json()) == {"projects_leveraged", "key_messages_used"}
    response = client.post("/api/v1/engagements/", new(country="XB", key_messages_used=[api_world["approved"].pk]),
                           format="json")
    assert response.status_code == 400 and "another country" in response.json()["key_messages_used"][0]
    assert Engagement.objects.count() == before


def test_a_held_engagement_with_its_leverage_is_recorded(api_world, api_as):
    client = api_as("CBSA officers")
    response = client.post("/api/v1/engagements/", new(status="held", date="2025-05-02",
                                                       projects_leveraged=["MCEE-API-001"],
                                                       key_messages_used=[api_world["approved"].pk]), format="json")
    assert response.status_code == 201, response.content
    engagement = Engagement.objects.get(pk=response.json()["id"])
    assert list(engagement.projects_leveraged.values_list("reference", flat=True)) == ["MCEE-API-001"]
    assert list(engagement.key_messages_used.all()) == [api_world["approved"]]


def test_a_department_updates_its_engagement_and_links_it_cannot_see_are_kept(api_world, api_as):
    engagement = api_world["cbsa_engagement"]
    engagement.projects_leveraged = [api_world["unhcr_project"]]  # pipeline: an officer does not see it
    engagement.save()
    client = api_as("CBSA officers")
    url = f"/api/v1/engagements/{engagement.pk}/"
    assert client.get(url).json()["projects_leveraged"] == []
    response = client.patch(url, {"summary": "After the meeting", "projects_leveraged": []}, format="json")
    assert response.status_code == 200, response.content
    engagement.refresh_from_db()
    assert engagement.summary == "After the meeting"
    assert list(engagement.projects_leveraged.all()) == [api_world["unhcr_project"]]
    entry = LogEntry.objects.get_for_object(engagement).order_by("-timestamp").first()
    assert entry.additional_data == {"source": "api"} and "summary" in entry.changes


def test_no_delete_through_the_api(api_world, api_as):
    client = api_as("CBSA officers")
    response = client.delete(f"/api/v1/engagements/{api_world['cbsa_engagement'].pk}/")
    assert response.status_code == 405
    assert Engagement.objects.filter(pk=api_world["cbsa_engagement"].pk).exists()


def test_a_partners_token_cannot_record_engagements(api_world, api_as):
    response = api_as("IOM reporters").post("/api/v1/engagements/", new(), format="json")
    assert response.status_code == 403


def test_a_nul_character_in_a_reference_is_refused_not_a_server_error(api_world, api_as):
    client = api_as("CBSA officers")
    response = client.post("/api/v1/engagements/", new(country="X\x00A", projects_leveraged=["MCEE\x00"]),
                           format="json")
    assert response.status_code == 400 and set(response.json()) == {"country", "projects_leveraged"}
