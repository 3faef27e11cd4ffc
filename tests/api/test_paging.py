"""Pages in the order of last change, "updated since" pulls, filters, and query counts that do not
grow with rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from countries.models import Country, CountryClassification, TravelDocumentMonth
from engagements.models import Engagement
from projects.models import FundingLine, KeyMessage, Project, ProjectCountry

pytestmark = pytest.mark.django_db


def pull(client, url, **params):
    """Every page of a pull: (ids in order, the pull's until)."""
    seen, response = [], client.get(url, params)
    assert response.status_code == 200, response.content
    until = response.json()["until"]
    while True:
        body = response.json()
        assert body["until"] == until  # every page of a pull has the same high-water mark
        seen += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return seen, until
        response = client.get(body["next"])
        assert response.status_code == 200, response.content


def cbsa_engagements(world, n, *, start=dt.date(2024, 4, 1)):
    made = []
    for i in range(n):
        made.append(Engagement.objects.create(
            country=world["xa"], date=start + dt.timedelta(days=i), status="planned", kind="other", level="officer",
            lead_department=world["cbsa"], counterpart_institution=f"Ministry {i}"))
    return made


def test_a_pull_reads_every_row_once_even_when_rows_change_between_pages(api_world, api_as):
    client = api_as("CBSA officers")
    engagements = [api_world["cbsa_engagement"], *cbsa_engagements(api_world, 7)]
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    for i, engagement in enumerate(engagements):  # a known order of last change
        Engagement.objects.filter(pk=engagement.pk).update(updated_at=an_hour_ago + dt.timedelta(seconds=i))
    ids = [e.pk for e in engagements]

    first = client.get("/api/v1/engagements/", {"page_size": 3}).json()
    assert [row["id"] for row in first["results"]] == ids[:3]
    # Between pages: a row already read changes, a row not yet read changes, a new row is added.
    read, unread = Engagement.objects.get(pk=ids[1]), Engagement.objects.get(pk=ids[5])
    read.summary, unread.summary = "changed after it was read", "changed before it was read"
    read.save()
    unread.save()
    added = cbsa_engagements(api_world, 1, start=dt.date(2025, 1, 1))[0]
    rest, until = [], first["until"]
    url = first["next"]
    while url:
        body = client.get(url).json()
        assert body["until"] == until
        rest += [row["id"] for row in body["results"]]
        url = body["next"]
    this_pull = [row["id"] for row in first["results"]] + rest
    assert len(this_pull) == len(set(this_pull))  # nothing twice
    assert set(this_pull) == set(ids) - {ids[5]}  # nothing skipped of what had not changed since the pull began
    # The next pull starts where this one ended: what changed meanwhile, and nothing else.
    following, _until = pull(client, "/api/v1/engagements/", updated_since=until, page_size=3)
    assert following == [ids[1], ids[5], added.pk]
    assert set(this_pull) | set(following) == set(ids) | {added.pk}  # across pulls, nothing missed


def test_updated_since_is_exclusive_and_takes_iso_8601(api_world, api_as):
    client = api_as("CBSA officers")
    engagement = api_world["cbsa_engagement"]
    stamp = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    Engagement.objects.filter(pk=engagement.pk).update(updated_at=stamp)
    assert pull(client, "/api/v1/engagements/", updated_since="2026-01-05T02:00:00Z")[0] == []
    assert pull(client, "/api/v1/engagements/", updated_since="2026-01-05T01:59:59Z")[0] == [engagement.pk]
    assert pull(client, "/api/v1/engagements/", updated_since="2026-01-04T21:59:59-04:00")[0] == [engagement.pk]
    assert pull(client, "/api/v1/engagements/", updated_since="2026-01-05")[0] == [engagement.pk]  # midnight UTC
    response = client.get("/api/v1/engagements/", {"updated_since": "yesterday"})
    assert response.status_code == 400 and "ISO 8601" in response.json()["updated_since"][0]


def test_a_pull_leaves_a_margin_for_writes_still_in_their_transaction(api_world, api_as, settings):
    settings.MCEE_API_SETTLE_SECONDS = 60
    client = api_as("CBSA officers")
    body = client.get("/api/v1/engagements/").json()
    assert body["results"] == []  # written a moment ago: in the next pull
    Engagement.objects.filter(pk=api_world["cbsa_engagement"].pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert [row["id"] for row in client.get("/api/v1/engagements/").json()["results"]] == [
        api_world["cbsa_engagement"].pk]


def test_a_new_classification_is_a_change_of_its_country(api_world, api_as):
    client = api_as("CBSA officers")
    since = client.get("/api/v1/countries/").json()["until"]
    assert client.get("/api/v1/countries/", {"updated_since": since}).json()["results"] == []
    CountryClassification.objects.create(country=api_world["xb"], category="preventive",
                                         effective_date=dt.date(2024, 4, 1))
    [changed] = client.get("/api/v1/countries/", {"updated_since": since}).json()["results"]
    assert (changed["code"], changed["category"]) == ("XB", "preventive")


@pytest.mark.parametrize("params", [{"cursor": "not-ours"}, {"cursor": "eyJ1IjoxfQ"}, {"page_size": "0"},
                                    {"page_size": "1001"}, {"page_size": "ten"}, {"fiscal_year": "2024-26"},
                                    {"fiscal_year": "2024"}, {"fiscal_year": "0000-01"}, {"fiscal_year": "9999-00"},
                                    {"updated_since": "9999-99-99"}, {"updated_since": "0001-01-01T00:00:00+14:00"}])
def test_bad_paging_and_filters_answer_400_with_the_parameter(api_world, api_as, params):
    response = api_as("CBSA officers").get("/api/v1/engagements/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_country_and_fiscal_year_filters(api_world, api_as, administrator):
    client = api_as("CBSA officers")
    cbsa_engagements(api_world, 2, start=dt.date(2025, 3, 31))  # 2024-25 and 2025-26
    rows = client.get("/api/v1/engagements/", {"fiscal_year": "2024-25"}).json()["results"]
    assert [row["date"] for row in rows] == ["2025-03-31"]
    assert len(client.get("/api/v1/engagements/", {"fiscal_year": "2025-2026"}).json()["results"]) == 2
    assert client.get("/api/v1/engagements/", {"country": "XB"}).json()["results"] == []
    assert len(client.get("/api/v1/countries/", {"country": "xa,XB"}).json()["results"]) == 2
    months = client.get("/api/v1/td-monthly/", {"fiscal_year": "2024-25", "country": "XA"}).json()["results"]
    assert [m["month"] for m in months] == ["2024-04"]
    assert client.get("/api/v1/td-monthly/", {"fiscal_year": "2023-24"}).json()["results"] == []
    projects = client.get("/api/v1/projects/", {"fiscal_year": "2024-25"}).json()["results"]
    assert [p["reference"] for p in projects] == ["MCEE-API-001"]  # a funding line that year
    assert client.get("/api/v1/projects/", {"fiscal_year": "2019-20"}).json()["results"] == []


# --- query counts ------------------------------------------------------------------------------------

def grow(world, n):
    """n more of everything the listings show, with their links."""
    xa = world["xa"]
    for i in range(n):
        project = Project.objects.create(
            reference=f"MCEE-GROW-{n}-{i}", title_en="Grown", partner=world["iom"], status="active",
            approved_amount=Decimal("1000"), planned_start=dt.date(2024, 4, 1), planned_end=dt.date(2025, 3, 31))
        ProjectCountry.objects.create(project=project, country=xa, share=Decimal("100"))
        FundingLine.objects.create(project=project, fiscal_year=2024, planned=Decimal("1000"))
        message = KeyMessage.objects.create(project=project, country=xa, text_en="M", text_fr="M", status="approved",
                                            approved_at=timezone.now())
        engagement = Engagement.objects.create(
            country=xa, date=dt.date(2024, 5, 1), status="held", kind="other", level="dg",
            lead_department=world["cbsa"], counterpart_institution=f"Grown {n} {i}")
        engagement.participating_departments = [world["gac"]]
        engagement.projects_leveraged = [project]
        engagement.key_messages_used = [message]
        engagement.save()
        country = Country.objects.create(code=["XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XK", "XL", "XM"][
            Country.objects.count() - 2])
        CountryClassification.objects.create(country=country, category="preventive", effective_date=dt.date(2020, 1, 1))
        TravelDocumentMonth.objects.create(country=xa, month=dt.date(2010 + n, 1 + i, 1), requested=1, issued=1,
                                           refused=0, pending_end=0, removals=0)


@pytest.mark.parametrize("url", ["/api/v1/engagements/", "/api/v1/projects/", "/api/v1/key-messages/",
                                 "/api/v1/countries/", "/api/v1/partners/", "/api/v1/td-monthly/"])
@pytest.mark.parametrize("group_name", ["CBSA officers", "IOM reporters"])
def test_a_pages_query_count_does_not_grow_with_rows(api_world, api_as, url, group_name):
    client = api_as(group_name)
    client.get(url)  # the token's first use is recorded once; count from the next request

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code in (200, 403)
        return len(ctx.captured_queries), response

    grow(api_world, 1)
    small, response = count()
    grow(api_world, 4)
    large, bigger = count()
    assert large == small
    if response.status_code == 200:
        assert len(bigger.json()["results"]) > len(response.json()["results"]) or url == "/api/v1/partners/"
