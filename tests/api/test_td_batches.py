"""Travel-document batches through the API: the file import's checks and messages, all or nothing,
recorded as an import run from the API; errors by row (the batch's first row is 1), column and reason."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from countries.models import TravelDocumentCase, TravelDocumentMonth
from mcee.models import ImportRun, SystemAccount

pytestmark = pytest.mark.django_db
MONTHLY = "/api/v1/td-monthly/batch/"
CASES = "/api/v1/td-cases/batch/"


def month(**overrides):
    return {"country": "XA", "month": "2024-05", "requested": 9, "issued": 8, "refused": 0, "pending_end": 31,
            "added_to_inventory": None, "removals": 7, **overrides}


@pytest.fixture
def cbsa(api_as):
    return api_as("CBSA officers", permissions=["push_travel_documents"])


def test_a_monthly_batch_is_imported_and_recorded_as_a_run_from_the_api(api_world, cbsa):
    response = cbsa.post(MONTHLY, {"rows": [month(), month(month="2024-04", requested=12, issued=7, refused=1,
                                                           pending_end=30, added_to_inventory=15, removals=6)]},
                         format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2, "created": 1, "updated": 0, "unchanged": 1}
    may = TravelDocumentMonth.objects.get(month=dt.date(2024, 5, 1))
    assert (may.requested, may.added_to_inventory) == (9, None)
    account = SystemAccount.objects.get()
    run = ImportRun.objects.get(pk=body["import_run"])
    assert (run.kind, run.source, run.status, run.user) == ("td_monthly", "api", "succeeded", account.user)
    entry = LogEntry.objects.get_for_object(may).get()
    assert (entry.actor, entry.additional_data) == (account.user, {"source": "api"})
    # The same batch again changes nothing.
    again = cbsa.post(MONTHLY, {"rows": [month()]}, format="json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_one_bad_row_and_nothing_is_written_with_every_error_by_row_and_column(api_world, cbsa):
    before = list(TravelDocumentMonth.objects.values_list("pk", "requested", "updated_at"))
    rows = [month(month="2024-04", requested=99),  # a change to a recorded month: not written either
            month(issued=-1),
            month(country="FR", month="2024-06"),
            month(month="May 2024", requested="twelve"),
            month(month="2024-07", pending_end=None),
            month(month="2024-04", requested=1)]
    response = cbsa.post(MONTHLY, {"rows": rows}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("The batch was refused; nothing was written.")
    assert body["errors"] == [
        {"row": 2, "column": "issued", "reason": "The value cannot be negative."},
        {"row": 3, "column": "country", "reason": "'FR' is not a country recorded in the MCEE; add it under "
                                                  "Countries first."},
        {"row": 4, "column": "month", "reason": "'May 2024' is not a month; write it as YYYY-MM, for example 2024-04."},
        {"row": 4, "column": "requested", "reason": "'twelve' is not a whole number."},
        {"row": 5, "column": "pending_end", "reason": "A value is required."},
        {"row": 6, "column": "month", "reason": "XA / 2024-04-01 is already on row 2; each combination of country and "
                                                "month may appear only once."},
    ]
    assert list(TravelDocumentMonth.objects.values_list("pk", "requested", "updated_at")) == before
    run = ImportRun.objects.get(pk=body["import_run"])
    assert (run.status, run.source, len(run.errors)) == ("rejected", "api", 6)


def test_an_unknown_field_is_refused_by_name(api_world, cbsa):
    response = cbsa.post(MONTHLY, {"rows": [month(deportations=3)]}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (None, "deportations")
    assert "not expected" in error["reason"]
    assert not TravelDocumentMonth.objects.filter(month=dt.date(2024, 5, 1)).exists()


@pytest.mark.parametrize("body", [{}, {"rows": []}, {"rows": "XA"}, {"rows": [1, 2]}, []])
def test_a_batch_that_is_not_a_list_of_rows_is_refused(api_world, cbsa, body):
    response = cbsa.post(MONTHLY, body, format="json")
    assert response.status_code == 400
    refused = response.json()  # in the shape of any refused batch
    assert refused["detail"].startswith("The batch was refused") and refused["import_run"] is None
    assert refused["errors"] and all(set(error) == {"row", "column", "reason"} for error in refused["errors"])
    assert not ImportRun.objects.exists()


def test_a_case_batch_keeps_only_the_hash_of_case_references(api_world, cbsa):
    rows = [{"case_ref": "CASE-API-1", "country": "XA", "requested_on": "2024-03-04", "issued_on": "2024-04-15",
             "outcome": "issued", "interview_required": True, "validity_days": 30},
            {"case_ref": "CASE-API-2", "country": "XA", "requested_on": "2024-04-01", "outcome": "pending"}]
    response = cbsa.post(CASES, {"rows": rows}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 2
    issued = TravelDocumentCase.objects.get(outcome="issued")
    assert (issued.days_to_issue, issued.interview_required) == (42, True)
    assert not any("CASE-API" in str(value) for case in TravelDocumentCase.objects.values() for value in case.values())
    assert ImportRun.objects.get(pk=response.json()["import_run"]).kind == "td_cases"


def test_a_bad_case_batch_writes_nothing(api_world, cbsa):
    rows = [{"case_ref": "CASE-1", "country": "XA", "requested_on": "2024-04-01", "outcome": "pending"},
            {"case_ref": "CASE-2", "country": "XA", "requested_on": "2024-04-01", "issued_on": "2024-03-01",
             "outcome": "issued"}]
    response = cbsa.post(CASES, {"rows": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 2, "column": "issued_on",
                                          "reason": "The issue date 2024-03-01 is before the request date 2024-04-01."}]
    assert not TravelDocumentCase.objects.exists()


@pytest.mark.parametrize("group_name", ["CBSA officers", "GAC officers", "IOM reporters"])
def test_without_the_right_to_push_a_batch_is_refused(api_world, api_as, group_name):
    client = api_as(group_name)  # officers read travel-document data; pushing is a right of its own
    for url in (MONTHLY, CASES):
        response = client.post(url, {"rows": [month()]}, format="json")
        assert response.status_code == 403, url
    assert not ImportRun.objects.exists()
    assert not TravelDocumentMonth.objects.filter(month=dt.date(2024, 5, 1)).exists()


def test_the_nul_character_is_refused_not_a_server_error(api_world, cbsa):
    """PostgreSQL stores no NUL: a batch or an address holding one is refused, and nothing is written."""
    response = cbsa.post(CASES, {"rows": [{"case_ref": "C-1", "country": "XA", "requested_on": "2024-04-01",
                                           "outcome": "pending", "document_type": "pass\x00port"}]}, format="json")
    assert response.status_code == 400
    assert "NUL character" in response.json()["errors"][0]["reason"]
    response = cbsa.post(MONTHLY, {"rows": [month(**{"bad\x00column": 1})]}, format="json")
    assert response.status_code == 400
    assert cbsa.get("/api/v1/partners/I%00M/").status_code == 400
    assert cbsa.get("/api/v1/engagements/", {"country": "X\x00A"}).status_code == 400
    assert not TravelDocumentCase.objects.exists() and not ImportRun.objects.exists()


def test_a_file_import_refused_for_a_nul_character_is_still_recorded(api_world, tmp_path):
    from countries.imports import td_monthly_import
    from mcee.imports import ImportRejected

    path = tmp_path / "td-monthly.csv"
    path.write_text("country,month,requested,issued,refused,pending_end,added_to_inventory,removals,\x00x\n"
                    "XA,2024-05,1,1,0,0,,0,1\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        td_monthly_import(path=path)
    run = ImportRun.objects.get()
    assert run.status == "rejected" and "\ufffdx" in str(run.errors)
