"""The preventive ranking on a hand-computed example: ties, missing years, no IRB decisions, weights."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from countries.models import AsylumStatistic, Country, PreventiveRankingWeights
from countries.reports import PreventiveRankingReport
from countries.selectors import RankingWeights, preventive_ranking
from tests.factories import CountryFactory
from tests.spreadsheets import export_text

pytestmark = pytest.mark.django_db

M = Decimal


def stat(code, year, claims, decided, rejected):
    return AsylumStatistic.objects.create(country=CountryFactory(code=code), year=year, claims=claims,
                                          irb_decided=decided, irb_rejected=rejected)


@pytest.fixture
def statistics():
    """Ranked for 2024 with the default weights (claims 0.50, rejection rate 0.30, trend 0.20).

    highest claims of 2024: 1000 (XA)

        claims  decided rejected 2021  rate            trend (2024 vs 2021)   components          score
    XA  1000    400     300      400   0.7500          (1000-400)/400 = 1.5   0.5 + 0.225 + 0.2   0.9250
                                                        limited to 1
    XB   800    200      50     1000   0.2500          (800-1000)/1000 = -0.2 0.4 + 0.075 + 0     0.4750
                                                        limited to 0
    XC   800      0       0      400   none (0 decided) (800-400)/400 = 1.0   0.4 + 0 + 0.2       0.6000
    XD   600    300     100        -   0.3333 (1/3)     none: only 2023       0.3 + 0.1 + 0       0.4000
    XE   500    120      70      400   0.5833 (7/12)    (500-400)/400 = 0.25  0.25 + 0.175 + 0.05 0.4750
    XF   100  20000    2469        -   0.1235 (0.12345, half up)  none        0.05 + 0.0370 + 0   0.0870
                                                        (0.3 x 0.12345 = 0.037035)

    claims ranks: XA 1, XB 2, XC 2 (tie), XD 4, XE 5, XF 6
    score ranks: XA 1, XC 2, XB 3, XE 3 (tie, in code order), XD 5, XF 6
    XG has figures for 2021 only: not ranked in 2024. Other years (2022, 2023) play no part.
    """
    stat("XA", 2024, 1000, 400, 300)
    stat("XA", 2021, 400, 300, 100)
    stat("XA", 2023, 5000, 5000, 5000)  # a year between: ignored
    stat("XB", 2024, 800, 200, 50)
    stat("XB", 2021, 1000, 10, 10)
    stat("XC", 2024, 800, 0, 0)
    stat("XC", 2021, 400, 100, 0)
    stat("XD", 2024, 600, 300, 100)
    stat("XD", 2023, 300, 100, 50)
    stat("XE", 2024, 500, 120, 70)
    stat("XE", 2021, 400, 0, 0)
    stat("XF", 2024, 100, 20000, 2469)
    stat("XF", 2022, 50, 10, 5)
    stat("XG", 2021, 9999, 10, 10)


EXPECTED = [
    # code, claims, claims_rank, rate, trend, (claims, rejection, trend components), score, rank
    ("XA", 1000, 1, "0.7500", "1.5000", ("0.5000", "0.2250", "0.2000"), "0.9250", 1),
    ("XC", 800, 2, None, "1.0000", ("0.4000", "0.0000", "0.2000"), "0.6000", 2),
    ("XB", 800, 2, "0.2500", "-0.2000", ("0.4000", "0.0750", "0.0000"), "0.4750", 3),
    ("XE", 500, 5, "0.5833", "0.2500", ("0.2500", "0.1750", "0.0500"), "0.4750", 3),
    ("XD", 600, 4, "0.3333", None, ("0.3000", "0.1000", "0.0000"), "0.4000", 5),
    ("XF", 100, 6, "0.1235", None, ("0.0500", "0.0370", "0.0000"), "0.0870", 6),
]


def as_tuples(rows):
    def text(value):
        return None if value is None else str(value)

    return [(r.code, r.claims, r.claims_rank, text(r.rejection_rate), text(r.trend_3y),
             (str(r.claims_component), str(r.rejection_component), str(r.trend_component)), str(r.score), r.rank)
            for r in rows]


def test_the_hand_computed_ranking(statistics):
    assert as_tuples(preventive_ranking(year=2024)) == EXPECTED


def test_each_row_keeps_the_figures_its_score_is_made_of(statistics):
    rows = {r.code: r for r in preventive_ranking(year=2024)}
    assert (rows["XA"].irb_decided, rows["XA"].irb_rejected, rows["XA"].claims_3y_before) == (400, 300, 400)
    assert rows["XD"].claims_3y_before is None  # fewer than three years of data: no trend
    assert rows["XC"].rejection_rate is None  # the IRB decided nothing
    for row in rows.values():
        assert row.score == row.claims_component + row.rejection_component + row.trend_component
        assert row.year == 2024
        for value in (row.score, row.claims_component, row.rejection_component, row.trend_component):
            assert value.as_tuple().exponent == -4


def test_a_year_with_zero_claims_three_years_before_has_no_trend():
    stat("XA", 2024, 100, 10, 5)
    stat("XA", 2021, 0, 0, 0)
    (row,) = preventive_ranking(year=2024)
    assert row.claims_3y_before == 0
    assert row.trend_3y is None
    assert row.trend_component == M("0.0000")
    assert row.score == M("0.5000") + M("0.1500")


def test_a_year_when_nobody_claimed_anything_scores_claims_as_zero():
    stat("XA", 2024, 0, 10, 5)
    stat("XB", 2024, 0, 0, 0)
    rows = preventive_ranking(year=2024)
    assert [(r.code, r.claims_rank, r.claims_component, r.score, r.rank) for r in rows] == [
        ("XA", 1, M("0.0000"), M("0.1500"), 1), ("XB", 1, M("0.0000"), M("0.0000"), 2)]


def test_a_year_with_no_statistics_ranks_nobody(statistics):
    assert preventive_ranking(year=2019) == []


def test_the_weights_setting_changes_the_score(statistics):
    weights = PreventiveRankingWeights.load()
    assert (weights.claims_weight, weights.rejection_weight, weights.trend_weight) == (M("0.50"), M("0.30"),
                                                                                      M("0.20"))
    weights.claims_weight, weights.rejection_weight, weights.trend_weight = M("1.00"), M("0"), M("0")
    weights.full_clean()
    weights.save()
    rows = preventive_ranking(year=2024)
    # Claims alone: the score is claims / 1000, and XB and XC now tie on score too.
    assert [(r.code, str(r.score), r.rank) for r in rows] == [
        ("XA", "1.0000", 1), ("XB", "0.8000", 2), ("XC", "0.8000", 2), ("XD", "0.6000", 4), ("XE", "0.5000", 5),
        ("XF", "0.1000", 6)]


def test_weights_can_be_given_explicitly(statistics):
    rows = preventive_ranking(year=2024, weights=RankingWeights(claims=M("0"), rejection=M("0"), trend=M("1")))
    # Trend alone (limited to 0..1): XA 1.5 -> 1, XC 1, XE 0.25; XB fell; XD and XF have no trend.
    assert [(r.code, str(r.score), r.rank) for r in rows] == [
        ("XA", "1.0000", 1), ("XC", "1.0000", 1), ("XE", "0.2500", 3), ("XB", "0.0000", 4), ("XD", "0.0000", 4),
        ("XF", "0.0000", 4)]


def test_weights_must_not_be_negative_nor_all_zero():
    weights = PreventiveRankingWeights.load()
    weights.trend_weight = M("-0.10")
    with pytest.raises(ValidationError) as caught:
        weights.full_clean()
    assert caught.value.message_dict == {"trend_weight": ["A weight cannot be negative."]}
    weights.claims_weight = weights.rejection_weight = weights.trend_weight = M("0")
    with pytest.raises(ValidationError) as caught:
        weights.full_clean()
    assert caught.value.messages == ["At least one weight must be above 0."]
    weights.trend_weight = M("-0.10")
    with pytest.raises(IntegrityError), transaction.atomic():
        PreventiveRankingWeights.objects.filter(pk=weights.pk).update(trend_weight=M("-0.10"))


def test_the_model_refuses_rejections_above_decisions_and_years_out_of_range():
    country = CountryFactory(code="XA")
    statistic = AsylumStatistic(country=country, year=1989, claims=-1, irb_decided=5, irb_rejected=6)
    with pytest.raises(ValidationError) as caught:
        statistic.full_clean()
    assert caught.value.message_dict == {
        "year": ["The year must be between 1990 and 2100."],
        "claims": ["A count cannot be negative."],
        "irb_rejected": ["IRB rejections cannot exceed IRB decisions."],
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        AsylumStatistic.objects.create(country=country, year=2024, claims=1, irb_decided=5, irb_rejected=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        AsylumStatistic.objects.create(country=country, year=2101, claims=1, irb_decided=5, irb_rejected=5)
    AsylumStatistic.objects.create(country=country, year=2024, claims=1, irb_decided=5, irb_rejected=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        AsylumStatistic.objects.create(country=country, year=2024, claims=2, irb_decided=5, irb_rejected=5)


def test_the_model_messages_are_in_french():
    from django.utils import translation

    statistic = AsylumStatistic(country=CountryFactory(code="XA"), year=2024, claims=1, irb_decided=5,
                                irb_rejected=6)
    with pytest.raises(ValidationError) as caught:
        statistic.full_clean()
    with translation.override("fr"):  # the messages are lazy: translated when read
        assert caught.value.message_dict == {
            "irb_rejected": ["Les rejets de la CISR ne peuvent pas dépasser les décisions de la CISR."]}


# --- Queries ------------------------------------------------------------------------------------


def _countries(n):
    codes = [f"X{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:n]
    for index, code in enumerate(codes):
        country, _ = Country.objects.get_or_create(code=code)
        AsylumStatistic.objects.get_or_create(country=country, year=2024, defaults={
            "claims": 100 + index, "irb_decided": 50, "irb_rejected": index % 50})
        AsylumStatistic.objects.get_or_create(country=country, year=2021, defaults={
            "claims": 80, "irb_decided": 10, "irb_rejected": 1})


def test_the_number_of_queries_does_not_grow_with_countries():
    PreventiveRankingWeights.load()  # the very first load creates the setting's row
    _countries(3)
    with CaptureQueriesContext(connection) as small:
        assert len(preventive_ranking(year=2024)) == 3
    _countries(20)
    with CaptureQueriesContext(connection) as large:
        assert len(preventive_ranking(year=2024)) == 20
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) == 2  # the weights, then the statistics of both years


# --- The report: registry, command, admin page -----------------------------------------------------

CSV_2024 = """\
country,claims,claims_rank,rejection_rate,trend_3y,score,rank
XA,1000,1,0.7500,1.5000,0.9250,1
XC,800,2,,1.0000,0.6000,2
XB,800,2,0.2500,-0.2000,0.4750,3
XE,500,5,0.5833,0.2500,0.4750,3
XD,600,4,0.3333,,0.4000,5
XF,100,6,0.1235,,0.0870,6
"""


def run_report(*args) -> str:
    out = io.StringIO()
    call_command("mcee_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_ranking_as_csv(statistics):
    assert run_report("preventive-ranking", "--year", "2024", "--format", "csv") == "PROTECTED B\n" + CSV_2024
    french = run_report("preventive-ranking", "--year", "2024", "--format", "csv", "--lang", "fr")
    assert french == "PROTÉGÉ B\n" + CSV_2024  # the marking in the file's language; the figures the same


def test_the_command_with_no_statistics_prints_the_header_only():
    assert run_report("preventive-ranking", "--year", "2024", "--format", "csv") == (
        "PROTECTED B\ncountry,claims,claims_rank,rejection_rate,trend_3y,score,rank\n")


def test_the_command_needs_a_valid_year():
    with pytest.raises(CommandError, match="year: This field is required"):
        run_report("preventive-ranking", "--format", "csv")
    with pytest.raises(CommandError, match="year"):
        run_report("preventive-ranking", "--year", "1800")


def test_the_report_columns_are_exactly_the_issue_s():
    assert [c.key for c in PreventiveRankingReport.columns] == [
        "country", "claims", "claims_rank", "rejection_rate", "trend_3y", "score", "rank"]
    assert PreventiveRankingReport.audience_model == "countries.asylumstatistic"


URL = "/admin/mcee-reports/preventive-ranking/"


def test_the_admin_report_page_shows_the_year_form_and_the_ranking(admin_client, statistics):
    response = admin_client.get(URL, {"year": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="year"[^>]*value="2024"', html)
    assert re.search(r"<td>Xandria \(XA\)</td>\s*<td[^>]*>1,000</td>\s*<td[^>]*>1</td>\s*<td>0.7500</td>\s*"
                     r"<td>1.5000</td>\s*<td>0.9250</td>\s*<td[^>]*>1</td>", html)
    assert re.search(r"<td>Corvania \(XC\)</td>\s*<td[^>]*>800</td>\s*<td[^>]*>2</td>\s*<td></td>", html)
    assert "Balmora (XB)" in html and "Feldoria (XF)" in html
    assert "Gorvath" not in html  # XG has no figures for 2024


def test_the_admin_report_opens_on_the_latest_year(admin_client, statistics):
    html = admin_client.get(URL).content.decode()
    assert re.search(r'<input[^>]*name="year"[^>]*value="2024"', html)
    assert "Xandria (XA)" in html


def test_the_admin_report_asks_for_a_year_when_there_are_no_statistics(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "Choose the options above, then select Show." in html
    html = admin_client.get(URL, {"year": "not-a-year"}).content.decode()
    assert "Correct the options above to see the report." in html


def test_the_admin_report_exports_csv(admin_client, statistics):
    response = admin_client.get(URL, {"year": "2024", "export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(export_text(response))))
    assert rows[0] == ["Country", "Claims", "Claims rank", "IRB rejection rate", "Three-year trend", "Score",
                       "Rank"]
    assert rows[1] == ["Xandria (XA)", "1000", "1", "0.7500", "1.5000", "0.9250", "1"]
    assert rows[2] == ["Corvania (XC)", "800", "2", "", "1.0000", "0.6000", "2"]
    assert [row[0][-3:-1] for row in rows[1:]] == ["XA", "XC", "XB", "XE", "XD", "XF"]


@pytest.mark.parametrize(("role", "allowed"), [("mcet_staff", True), ("officer_cbsa", True), ("auditor", True),
                                               ("partner_reporter", False), ("no_role", False)])
def test_who_may_open_the_report(role, allowed, client, settings, statistics, django_user_model):
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, partner_reporter_role, sync_role_group

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    user = django_user_model.objects.create_user(f"u-{role}", password="x-not-used-0123")
    roles = {r.code: r for r in STANDING_ROLES}
    if role == "partner_reporter":
        roles[role] = partner_reporter_role("IOM")
    if role in roles:
        sync_role_group(roles[role], Group, Permission)
        user.groups.add(Group.objects.get(name=roles[role].group_name))
    client.force_login(user)
    response = client.get(URL, {"year": "2024"})
    if allowed:
        assert response.status_code == 200
        assert "Xandria (XA)" in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert b"Xandria" not in response.content


def test_only_mcet_administrators_may_change_the_weights(client, settings, django_user_model):
    from django.contrib.auth.models import Group, Permission

    from mcee.roles import STANDING_ROLES, sync_role_group

    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    url = "/admin/settings/countries/preventiverankingweights/"
    for role in STANDING_ROLES:
        user = django_user_model.objects.create_user(f"w-{role.code}", password="x-not-used-0123")
        sync_role_group(role, Group, Permission)
        user.groups.add(Group.objects.get(name=role.group_name))
        client.force_login(user)
        response = client.get(url, follow=False)
        if role.code == "mcet_admin":
            assert response.status_code in (200, 302), role.code
            page = client.get(url, follow=True)
            assert page.status_code == 200
            assert b'name="claims_weight"' in page.content
            assert "How the score is computed" in page.content.decode()
        else:
            assert response.status_code == 302, role.code
            assert b'name="claims_weight"' not in client.get(url, follow=True).content, role.code
