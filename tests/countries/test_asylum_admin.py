"""Asylum statistics in the admin: listing with filters, exports, inspect, the weights setting."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import AsylumStatistic, Country
from tests.factories import CountryFactory
from tests.spreadsheets import export_text, xlsx_sheet_rows

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/countries/asylumstatistic/"


@pytest.fixture
def statistics():
    xa, xb = CountryFactory(code="XA"), CountryFactory(code="XB")
    return [
        AsylumStatistic.objects.create(country=xa, year=2024, claims=123456, irb_decided=9000, irb_rejected=4500),
        AsylumStatistic.objects.create(country=xa, year=2021, claims=234567, irb_decided=8000, irb_rejected=100),
        AsylumStatistic.objects.create(country=xb, year=2024, claims=345678, irb_decided=7000, irb_rejected=7000),
    ]


def test_the_listing_shows_every_statistic_with_formatted_counts(admin_client, statistics):
    html = admin_client.get(LIST).content.decode()
    for text in ("123,456", "234,567", "345,678", "Xandria (XA)", "Balmora (XB)"):
        assert text in html


def test_the_listing_filters_by_country_and_year(admin_client, statistics):
    xa = Country.objects.get(code="XA")
    html = admin_client.get(LIST, {"country": xa.pk}).content.decode()
    assert "123,456" in html and "234,567" in html and "345,678" not in html
    html = admin_client.get(LIST, {"year": "2024"}).content.decode()
    assert "123,456" in html and "345,678" in html and "234,567" not in html
    html = admin_client.get(LIST, {"country": xa.pk, "year": "2021"}).content.decode()
    assert "234,567" in html and "123,456" not in html and "345,678" not in html


def test_the_listing_exports_csv_and_xlsx(admin_client, statistics):
    response = admin_client.get(LIST, {"export": "csv", "year": "2024"})
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows == [
        ["Country code", "Country", "Year", "Asylum claims", "IRB decisions", "IRB rejections"],
        ["XA", "Xandria", "2024", "123456", "9000", "4500"],
        ["XB", "Balmora", "2024", "345678", "7000", "7000"],
    ]
    response = admin_client.get(LIST, {"export": "xlsx"})
    values = [list(row) for row in xlsx_sheet_rows(b"".join(response.streaming_content))]
    assert values[0] == ["Country code", "Country", "Year", "Asylum claims", "IRB decisions", "IRB rejections"]
    assert len(values) == 4


def test_inspect_and_edit_pages(admin_client, statistics):
    statistic = statistics[0]
    response = admin_client.get(f"{LIST}inspect/{statistic.pk}/")
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "<dt>Country</dt> <dd> Xandria (XA) </dd> <dt>Year</dt> <dd> 2024 </dd>" in html
    assert "<dt>Asylum claims</dt> <dd> 123456 </dd>" in html
    assert "<dt>IRB rejections</dt> <dd> 4500 </dd>" in html
    response = admin_client.post(f"{LIST}edit/{statistic.pk}/", {
        "country": statistic.country_id, "year": "2024", "claims": "10", "irb_decided": "5", "irb_rejected": "6"})
    assert response.status_code == 200  # the form again, with the error
    assert "IRB rejections cannot exceed IRB decisions." in response.content.decode()
    statistic.refresh_from_db()
    assert statistic.irb_rejected == 4500


def test_listing_queries_do_not_grow_with_rows(admin_client, statistics):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for code in ("XC", "XD", "XE", "XF", "XG", "XH"):
        country = CountryFactory(code=code)
        for year in (2020, 2021, 2022):
            AsylumStatistic.objects.create(country=country, year=year, claims=1, irb_decided=1, irb_rejected=0)
    assert count() == small


def test_the_weights_setting_is_edited_in_the_admin(admin_client):
    from countries.models import PreventiveRankingWeights

    url = "/admin/settings/countries/preventiverankingweights/"
    page = admin_client.get(url, follow=True)
    assert page.status_code == 200
    edit_url = page.redirect_chain[-1][0] if page.redirect_chain else url
    response = admin_client.post(edit_url, {"claims_weight": "0.40", "rejection_weight": "0.40",
                                            "trend_weight": "-0.20"})
    assert "A weight cannot be negative." in response.content.decode()
    response = admin_client.post(edit_url, {"claims_weight": "0.40", "rejection_weight": "0.40",
                                            "trend_weight": "0.20"})
    assert response.status_code == 302
    weights = PreventiveRankingWeights.load()
    assert [str(w) for w in (weights.claims_weight, weights.rejection_weight, weights.trend_weight)] == [
        "0.40", "0.40", "0.20"]
