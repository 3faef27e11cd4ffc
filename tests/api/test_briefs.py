"""The brief data through the API: the same figures as the brief, under the same access rules."""

import datetime as dt

import pytest

from engagements.models import EscalationStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def rwg_api(django_user_model):
    """An RWG member signed in (people use the API with their session; system accounts act for a
    department or a partner)."""
    from rest_framework.test import APIClient

    from tests.api.conftest import role_group

    user = django_user_model.objects.create_user("rwg-person", password="x-not-used-0123")
    user.groups.add(role_group("RWG members"))
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def escalated(api_world):
    EscalationStep.objects.create(country=api_world["xa"], level=2, effective_date=dt.date(2024, 1, 10),
                                  rationale="ESCALATION-RATIONALE")
    return api_world


def test_an_rwg_member_reads_the_brief_with_escalation_in_french(escalated, rwg_api):
    response = rwg_api.get("/api/v1/briefs/xa/?lang=fr&on=2024-07-15")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "XA" and body["language"] == "fr" and body["on"] == "2024-07-15"
    assert body["marking"] == "PROTÉGÉ B" and response["X-Security-Marking"]
    assert body["category_label"] == "Récalcitrant"
    assert body["escalation"]["level"] == 2 and body["may_see_escalation"] is True
    quarter = next(q for q in body["td_quarters"] if q["label"] == "2024-2025 T1")
    assert (quarter["requested"], quarter["issued"], quarter["refused"]) == (12, 7, 1)  # April 2024
    assert [m["text"] for m in body["key_messages"]] == [escalated["approved"].text_fr]
    assert [h["rationale"] for h in body["category_history"]] == ["SECRET-RATIONALE"]


def test_an_officer_token_reads_no_escalation_plan_or_rationale(escalated, api_as):
    body = api_as("CBSA officers").get("/api/v1/briefs/XA/").json()
    assert body["may_see_escalation"] is False and body["escalation"] is None
    assert body["may_see_plan"] is False and body["plan"] is None
    assert all(h["rationale"] == "" for h in body["category_history"]) and "SECRET-RATIONALE" not in str(body)
    assert "MCEE-API-002" not in str(body)  # another partner's pipeline project stays out


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?lang=de", "lang", "Give en or fr."),
    ("?on=2024-02-30", "on", "Write the date as YYYY-MM-DD."),
])
def test_bad_parameters_are_explained(escalated, rwg_api, query, field, message):
    response = rwg_api.get(f"/api/v1/briefs/xa/{query}")
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_no_brief_for_an_unknown_country_or_without_a_token(escalated, rwg_api, client):
    assert rwg_api.get("/api/v1/briefs/zz/").status_code == 404
    assert client.get("/api/v1/briefs/xa/").status_code in (401, 403)
