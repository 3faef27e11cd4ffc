"""The examples of docs/api.md answer what the page says they answer."""

import pytest

from countries.models import Country, TravelDocumentMonth

pytestmark = pytest.mark.django_db

BATCH = {"rows": [
    {"country": "XA", "month": "2026-10", "requested": 12, "issued": 7, "refused": 1, "pending_end": 30,
     "added_to_inventory": 15, "removals": 6},
    {"country": "XB", "month": "2026-10", "requested": 4, "issued": -1, "refused": 0, "pending_end": 9,
     "added_to_inventory": None, "removals": 1},
    {"country": "FR", "month": "Oct 2026", "requested": 3, "issued": 3, "refused": 0, "pending_end": 0,
     "removals": 0}]}


def test_the_monthly_batch_example_and_its_error_response(api_world, api_as):
    client = api_as("CBSA officers", permissions=["push_travel_documents"])
    response = client.post("/api/v1/td-monthly/batch/", BATCH, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "column": "issued", "reason": "The value cannot be negative."},
        {"row": 3, "column": "month", "reason": "'Oct 2026' is not a month; write it as YYYY-MM, for example 2024-04."},
        {"row": 3, "column": "country", "reason": "'FR' is not a country recorded in the MCEE; add it under "
                                                  "Countries first."}]
    assert not TravelDocumentMonth.objects.filter(month__year=2026).exists()
    Country.objects.create(code="XC")
    corrected = {"rows": [BATCH["rows"][0], {**BATCH["rows"][1], "issued": 1},
                          {**BATCH["rows"][2], "country": "XC", "month": "2026-10"}]}
    response = client.post("/api/v1/td-monthly/batch/", corrected, format="json")
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 3, "created": 3, "updated": 0, "unchanged": 0}


def test_the_engagement_example(api_world, api_as):
    client = api_as("CBSA officers")
    response = client.post("/api/v1/engagements/", {
        "country": "XA", "date": "2025-11-18", "status": "held", "kind": "in_country_bilateral", "level": "dg",
        "lead_department": "cbsa", "participating_departments": ["ircc"],
        "counterpart_institution": "Ministry of Interior of XA", "counterpart_title": "Director general of migration",
        "removals_raised": True, "projects_leveraged": ["MCEE-API-001"],
        "key_messages_used": [api_world["approved"].pk],
        "summary": "Pending travel-document requests reviewed case by case."}, format="json")
    assert response.status_code == 201, response.content
    response = client.post("/api/v1/engagements/", {
        "country": "XA", "date": "2025-11-18", "kind": "other", "level": "dg", "lead_department": "gac"},
        format="json")
    assert response.json() == {"lead_department": [
        "You can record engagements that your department leads or takes part in. Choose your department as lead or "
        "as a participating department."]}
