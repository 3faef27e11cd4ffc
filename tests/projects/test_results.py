"""The results framework: the logic model as seeded data, indicators and their periods (every bad input
with its message, and nothing written), the selector the country brief will call, and the PMF roll-up
against hand-computed sums."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mcee.fiscal import FiscalYear
from projects.models import (
    Accumulation,
    EnvelopeIndicator,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    Outcome,
    OutcomeLevel,
    period_label,
)
from projects.results_services import envelope_indicator_save, indicator_save
from projects.selectors import indicator_results_for_projects, pmf_rollup
from tests.projects.results_helpers import D, indicator, outcome, period, pmf, project_of

pytestmark = pytest.mark.django_db


# --- the logic model -----------------------------------------------------------------------------------


def test_the_logic_model_is_seeded_by_level_with_stable_codes_in_both_languages():
    by_level = {level: list(Outcome.objects.filter(level=level).values_list("code", flat=True))
                for level in OutcomeLevel.values}
    assert by_level == {
        "activity": [f"ACT-{n}" for n in range(1, 8)],
        "output": [f"OUT-{n}" for n in range(1, 6)],
        "immediate": ["IMM-1", "IMM-2", "IMM-3"],
        "intermediate": ["INT-1"],
        "ultimate": ["ULT-1"],
    }
    td = Outcome.objects.get(code="IMM-3")
    assert td.name_en == "Target countries are incentivized to issue appropriate travel documents"
    assert td.name_fr == "Les pays cibles sont incités à délivrer des documents de voyage appropriés"
    with translation.override("fr"):
        assert str(td) == "IMM-3 Les pays cibles sont incités à délivrer des documents de voyage appropriés"
    assert all(o.name_en and o.name_fr for o in Outcome.objects.all())


# --- indicators: every bad input says why and writes nothing ---------------------------------------------


@pytest.fixture
def project():
    return project_of()


def draft(project, **values):
    base = {"name_en": "Cases supported", "unit": "cases", "baseline_value": Decimal("10"),
            "baseline_date": D(2022, 4, 1), "target_value": Decimal("100")}
    base.update(values)
    from projects.models import Result

    result = Result.objects.create(project=project, outcome=outcome(), title_en="Cases handled")
    return Indicator(result=result, **base)


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"unit": ""}, "unit", "A quantitative indicator needs a unit."),
    ({"baseline_value": None}, "baseline_value", "A quantitative indicator needs its baseline."),
    ({"baseline_date": None}, "baseline_date", "A quantitative indicator needs its baseline date."),
    ({"target_value": None}, "target_value", "A quantitative indicator needs its target."),
    ({"target_value": Decimal("10")}, "target_value", "The target equals the baseline"),
    ({"target_value": Decimal("5")}, "target_value", "Higher is better for this indicator, but its target is below"),
    ({"ascending": False}, "target_value", "Lower is better for this indicator, but its target is above"),
    ({"target_date": D(2022, 1, 1)}, "target_date", "The target date is before the baseline date."),
    ({"baseline_date": D(1899, 1, 1)}, "baseline_date", "This date is not plausible"),
    ({"kind": IndicatorKind.QUALITATIVE}, "baseline_value", "A qualitative indicator is described, not counted"),
])
def test_a_bad_indicator_is_refused_with_its_reason_and_nothing_is_written(project, values, field, message):
    bad = draft(project, **values)
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=bad)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Indicator.objects.exists()


def test_a_qualitative_indicator_is_described_without_numbers(project):
    made = indicator_save(indicator=draft(project, kind=IndicatorKind.QUALITATIVE, unit="", baseline_value=None,
                                          baseline_date=None, target_value=None))
    assert made.pk and not made.quantitative


def test_a_project_indicator_in_another_unit_cannot_roll_up(project):
    days = pmf("PMF-DAYS", unit="days")
    bad = draft(project, pmf_indicator=days)
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=bad)
    assert caught.value.message_dict["pmf_indicator"] == [
        "This indicator is counted in “cases” but the PMF indicator PMF-DAYS is counted in “days”: only indicators "
        "in the same unit roll up. Change the unit or choose another PMF indicator."]
    assert not Indicator.objects.exists()


def test_units_match_whatever_their_case_and_spacing(project):
    cases = pmf("PMF-CASES", unit="cases")
    assert indicator_save(indicator=draft(project, unit=" Cases ", pmf_indicator=cases)).pmf_indicator == cases


def test_a_qualitative_indicator_cannot_roll_up(project):
    bad = draft(project, kind=IndicatorKind.QUALITATIVE, unit="", baseline_value=None, baseline_date=None,
                target_value=None, pmf_indicator=pmf())
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=bad)
    assert "Only a quantitative indicator can roll up" in caught.value.message_dict["pmf_indicator"][0]


def test_a_pmf_indicator_keeps_its_unit_while_project_indicators_roll_up_into_it(project):
    cases = pmf()
    indicator(project, pmf_indicator=cases)
    cases.unit = "people"
    with pytest.raises(ValidationError) as caught:
        envelope_indicator_save(indicator=cases)
    assert "unlink them before changing its unit" in caught.value.message_dict["unit"][0]
    assert EnvelopeIndicator.objects.get(pk=cases.pk).unit == "cases"


def test_the_database_refuses_a_quantitative_indicator_without_values(project):
    from django.db import IntegrityError, transaction

    bad = draft(project, baseline_value=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


# --- periods ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "end", "values", "field", "message"), [
    (D(2023, 4, 1), D(2023, 3, 31), {}, "period_end", "The period ends before it starts."),
    (D(2022, 4, 1), D(2023, 9, 30), {}, "period_end", "A reporting period is at most a year long."),
    (D(2021, 10, 1), D(2022, 3, 31), {}, "period_start", "outside the project's life (2022-04-01 to 2025-03-31)"),
    (D(2025, 1, 1), D(2025, 6, 30), {}, "period_start", "outside the project's life"),
    (D(1990, 1, 1), D(1990, 3, 31), {}, "period_start", "not plausible"),
])
def test_a_bad_period_is_refused_with_its_reason_and_nothing_is_written(project, start, end, values, field, message):
    cases = indicator(project)
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=cases, periods=[IndicatorPeriod(period_start=start, period_end=end, **values)])
    assert message in " ".join(caught.value.message_dict[field])
    assert not IndicatorPeriod.objects.exists()


def test_an_actual_waits_for_the_end_of_its_period(project):
    from unittest import mock

    cases = indicator(project)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2023, 6, 1)), \
            pytest.raises(ValidationError) as caught:
        indicator_save(indicator=cases, periods=[IndicatorPeriod(period_start=D(2023, 4, 1),
                                                                 period_end=D(2023, 6, 30), actual_value=5)])
    assert caught.value.message_dict["actual_value"] == [
        "An actual is recorded once the period has ended (it ends on 2023-06-30)."]
    assert not IndicatorPeriod.objects.exists()


def test_a_qualitative_period_has_no_numbers(project):
    described = indicator(project, kind=IndicatorKind.QUALITATIVE)
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=described, periods=[IndicatorPeriod(period_start=D(2022, 4, 1),
                                                                     period_end=D(2022, 9, 30), actual_value=3)])
    assert "described, not counted" in caught.value.message_dict["actual_value"][0]


def test_overlapping_periods_are_refused_and_the_old_ones_stay(project):
    cases = indicator(project)
    kept = period(cases, D(2022, 4, 1), D(2022, 9, 30), target=10, actual=8)
    with pytest.raises(ValidationError) as caught:
        indicator_save(indicator=cases, periods=[
            IndicatorPeriod(period_start=D(2022, 4, 1), period_end=D(2022, 9, 30)),
            IndicatorPeriod(period_start=D(2022, 9, 1), period_end=D(2023, 3, 31))])
    assert caught.value.messages == [
        "Two periods of this indicator overlap (2022-23 H1 and 2022-09-01 – 2023-03-31): each day is reported once."]
    assert list(IndicatorPeriod.objects.all()) == [kept]


def test_saving_periods_keeps_the_actual_of_a_period_that_keeps_its_start(project):
    cases = indicator(project)
    period(cases, D(2022, 4, 1), D(2022, 9, 30), target=10, actual=8)
    indicator_save(indicator=cases, periods=[
        IndicatorPeriod(period_start=D(2022, 4, 1), period_end=D(2022, 9, 30), target_value=12, actual_value=8),
        IndicatorPeriod(period_start=D(2022, 10, 1), period_end=D(2023, 3, 31), target_value=12)])
    assert list(cases.periods.values_list("period_start", "target_value", "actual_value")) == [
        (D(2022, 4, 1), Decimal("12.00"), Decimal("8.00")), (D(2022, 10, 1), Decimal("12.00"), None)]


@pytest.mark.parametrize(("start", "end", "english", "french"), [
    (D(2024, 4, 1), D(2025, 3, 31), "2024-25", "2024-2025"),
    (D(2024, 7, 1), D(2024, 9, 30), "2024-25 Q2", "2024-2025 T2"),
    (D(2024, 10, 1), D(2025, 3, 31), "2024-25 H2", "2024-2025 S2"),
    (D(2024, 5, 1), D(2024, 9, 30), "2024-05-01 – 2024-09-30", "2024-05-01 – 2024-09-30"),
])
def test_periods_are_named_by_fiscal_quarter_half_or_year(start, end, english, french):
    assert period_label(start, end, "en") == english
    assert period_label(start, end, "fr") == french


# --- the selector for the country brief and the dashboard -----------------------------------------------


def test_indicator_results_give_baseline_target_latest_actual_and_progress(project):
    level = indicator(project, name="Registrations a month", unit="registrations a month", baseline=1380,
                      target=2500, accumulation=Accumulation.LATEST)
    period(level, D(2022, 4, 1), D(2023, 3, 31), actual=2100)
    period(level, D(2023, 4, 1), D(2024, 3, 31), actual=2900)
    period(level, D(2024, 4, 1), D(2025, 3, 31), target=2500)  # not reported yet
    days = indicator(project, name="Days to a travel document", unit="days", baseline=120, target=30,
                     ascending=False, accumulation=Accumulation.LATEST)
    period(days, D(2022, 4, 1), D(2023, 3, 31), actual=60)
    counts = indicator(project, name="Cases supported", baseline=0, target=900)
    period(counts, D(2022, 4, 1), D(2023, 3, 31), actual=240)
    period(counts, D(2023, 4, 1), D(2024, 3, 31), actual=210)
    described = indicator(project, name="Traffickers identified", kind=IndicatorKind.QUALITATIVE)
    period(described, D(2022, 4, 1), D(2023, 3, 31), text="Two traffickers identified.")
    empty = project_of("UNHCR")

    found = indicator_results_for_projects(projects=[project, empty])
    assert found[empty.pk] == []
    registrations, to_document, cases, traffickers = found[project.pk]
    assert (registrations.name, registrations.unit, registrations.baseline_value, registrations.baseline_date,
            registrations.target_value) == ("Registrations a month", "registrations a month", Decimal("1380.00"),
                                            D(2022, 4, 1), Decimal("2500.00"))
    assert (registrations.latest_actual, registrations.latest_period_label, registrations.latest_period_end) == (
        Decimal("2900.00"), "2023-24", D(2024, 3, 31))
    assert registrations.progress == Decimal("1.3571")  # (2900 - 1380) / (2500 - 1380): target passed
    assert to_document.progress == Decimal("0.6667")  # (60 - 120) / (30 - 120): lower is better
    assert not to_document.ascending
    assert (cases.total_actual, cases.progress) == (Decimal("450.00"), Decimal("0.5000"))  # 450 of 900
    assert (traffickers.latest_text, traffickers.progress) == ("Two traffickers identified.", None)
    with translation.override("fr"):
        assert indicator_results_for_projects(projects=[project])[project.pk][0].name == "Registrations a month (fr)"


def test_indicator_results_take_two_queries_whatever_the_size():
    def build(n):
        projects = []
        for i in range(n):
            p = project_of("IOM", country="XA")
            for k in range(2):
                made = indicator(p, name=f"Indicator {i}-{k}")
                period(made, D(2022, 4, 1), D(2022, 9, 30), actual=k + 1)
                period(made, D(2022, 10, 1), D(2023, 3, 31), actual=k + 2)
            projects.append(p)
        return projects

    def count(projects):
        with CaptureQueriesContext(connection) as queries:
            indicator_results_for_projects(projects=projects)
        return len(queries)

    assert count(build(1)) == 2
    assert count(build(6)) == 2


# --- the PMF roll-up --------------------------------------------------------------------------------------


@pytest.fixture
def pmf_world():
    """Two PMF indicators; three projects roll up into them, one indicator in another unit does not."""
    cases, registrations = pmf("PMF-CASES", "cases"), pmf("PMF-REG", "registrations a month")
    a, b, c = project_of("UNODC"), project_of("IOM", country="XB"), project_of("UNHCR", country="XC")
    a_cases = indicator(a, baseline=5, target=100, pmf_indicator=cases)
    period(a_cases, D(2022, 4, 1), D(2022, 9, 30), target=20, actual=25)
    period(a_cases, D(2022, 10, 1), D(2023, 3, 31), target=30, actual=35)
    period(a_cases, D(2023, 4, 1), D(2024, 3, 31), target=50)  # not reported
    b_cases = indicator(b, unit="Cases", baseline=7, target=60, pmf_indicator=cases)
    period(b_cases, D(2022, 4, 1), D(2023, 3, 31), target=40, actual=44)
    period(b_cases, D(2023, 4, 1), D(2024, 3, 31), target=20, actual=10)
    c_level = indicator(c, unit="registrations a month", baseline=1380, target=2500,
                        accumulation=Accumulation.LATEST, pmf_indicator=registrations)
    period(c_level, D(2022, 4, 1), D(2022, 9, 30), target=1500, actual=1600)
    period(c_level, D(2022, 10, 1), D(2023, 3, 31), target=1800, actual=2100)
    # Linked once, then its unit changed behind the form's back: it must not count.
    stray = indicator(c, unit="cases", baseline=1000, target=2000, pmf_indicator=cases)
    period(stray, D(2022, 4, 1), D(2023, 3, 31), target=999, actual=999)
    Indicator.objects.filter(pk=stray.pk).update(unit="people")
    return cases, registrations


def test_the_pmf_rolls_up_matching_units_by_fiscal_year_as_computed_by_hand(pmf_world):
    cases, registrations = pmf_world
    rows = {(r.indicator.code, r.fiscal_year.label): r for r in pmf_rollup()}
    assert set(rows) == {("PMF-CASES", "2022-23"), ("PMF-CASES", "2023-24"), ("PMF-REG", "2022-23")}
    y1 = rows[("PMF-CASES", "2022-23")]
    # Project A: two halves add up (20 + 30, 25 + 35); project B: one year (40, 44). Baselines 5 + 7.
    assert (y1.baseline, y1.target, y1.actual) == (Decimal("12.00"), Decimal("90.00"), Decimal("104.00"))
    assert (y1.projects, y1.contributing, y1.reported) == (2, 2, 2)
    y2 = rows[("PMF-CASES", "2023-24")]
    # A has a target but no actual yet; B reported 10 of 20.
    assert (y2.baseline, y2.target, y2.actual, y2.reported, y2.contributing) == (
        Decimal("12.00"), Decimal("70.00"), Decimal("10.00"), 1, 2)
    level = rows[("PMF-REG", "2022-23")]
    # A rate: the latest half of the year counts, not the sum of both.
    assert (level.baseline, level.target, level.actual) == (Decimal("1380.00"), Decimal("1800.00"),
                                                            Decimal("2100.00"))


def test_the_pmf_for_one_year_lists_every_pmf_indicator(pmf_world):
    rows = pmf_rollup(fiscal_year=FiscalYear(2023))
    assert [(r.indicator.code, r.actual, r.projects) for r in rows] == [
        ("PMF-CASES", Decimal("10.00"), 2), ("PMF-REG", None, 0)]
    assert [r.indicator.code for r in pmf_rollup(fiscal_year=2022)] == ["PMF-CASES", "PMF-REG"]


def test_the_pmf_roll_up_takes_three_queries_whatever_the_size(pmf_world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            pmf_rollup()
        return len(queries)

    before = count()
    cases = EnvelopeIndicator.objects.get(code="PMF-CASES")
    for i in range(4):
        more = indicator(project_of("ARK", country="XD"), name=f"More {i}", pmf_indicator=cases)
        period(more, D(2022, 4, 1), D(2023, 3, 31), target=1, actual=1)
    assert count() == before == 3


def test_the_pmf_report_and_command(pmf_world, tmp_path):
    import io

    from django.core.management import call_command

    from tests.spreadsheets import after_marking

    out = io.StringIO()
    call_command("mcee_report", "pmf", "--fiscal-year", "2022-23", "--format", "csv", stdout=out)
    lines = after_marking(out.getvalue()).splitlines()  # the security marking comes first, on its own row
    assert lines[0].startswith("code,indicator,unit,outcome,fiscal_year,baseline,target,actual")
    assert lines[1].startswith("PMF-CASES,PMF-CASES indicator,cases,IMM-2,2022-23,12.00,90.00,104.00,2,2,2")
    with pytest.raises(Exception, match="is not a fiscal year"):
        call_command("mcee_report", "pmf", "--fiscal-year", "2022", stdout=io.StringIO())


# --- key messages and their evidence ------------------------------------------------------------------------


def test_a_key_message_links_to_its_own_project_s_reported_periods_only(project):
    from projects.models import KeyMessage
    from projects.results_services import key_message_evidence_set

    cases = indicator(project)
    reported = period(cases, D(2022, 4, 1), D(2022, 9, 30), actual=8)
    planned = period(cases, D(2022, 10, 1), D(2023, 3, 31), target=10)
    other = period(indicator(project_of("UNHCR", country="XB")), D(2022, 4, 1), D(2022, 9, 30), actual=3)
    message = KeyMessage.objects.create(project=project, country=project.country_shares.get().country,
                                        text_en="Cases supported rose.", text_fr="Les affaires appuyées ont augmenté.",
                                        evidence="Partner report, first half of 2022-23.")
    for bad, reason in ((planned, "has no reported actual yet"), (other, "is a result of another project")):
        with pytest.raises(ValidationError, match=reason):
            key_message_evidence_set(message=message, periods=[reported, bad])
        assert not message.evidence_periods.exists()
    key_message_evidence_set(message=message, periods=[reported])
    assert list(message.evidence_periods.all()) == [reported]
    assert KeyMessage.objects.get(pk=message.pk).evidence == "Partner report, first half of 2022-23."
    KeyMessage.objects.filter(pk=message.pk).update(status="approved", approved_at="2024-05-01T10:00:00Z")
    with pytest.raises(ValidationError, match="Only a draft key message can be changed"):
        key_message_evidence_set(message=message, periods=[])
    assert list(message.evidence_periods.all()) == [reported]
