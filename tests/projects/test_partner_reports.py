"""Partner reporting, kept light: the schedule and the reports it expects, the report cycle (submit, accept,
return, resubmit; every refused move with its message), actuals written on acceptance only, who may do what,
and the overdue and due-soon lists at their date edges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mcee import access
from projects.models import (
    IndicatorKind,
    IndicatorPeriod,
    PartnerReport,
    PartnerReportTransition,
    PartnerReportValue,
    Project,
    ReportFrequency,
    ReportSchedule,
    ReportStatus,
)
from projects.reporting_services import (
    TRANSITIONS,
    available_transitions,
    partner_report_accept,
    partner_report_return,
    partner_report_save,
    partner_report_submit,
    report_schedule_save,
    schedule_periods,
)
from projects.selectors import partner_reporters, partner_reports_due, partner_reports_overdue
from tests.projects.results_helpers import D, indicator, period, project_of, reporter
from tests.projects.test_proposal_workflow import user_in_role

pytestmark = pytest.mark.django_db
S = ReportStatus


# --- the schedule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("frequency", "expected"), [
    (ReportFrequency.QUARTERLY, [(D(2022, 5, 15), D(2022, 6, 30)), (D(2022, 7, 1), D(2022, 9, 30)),
                                 (D(2022, 10, 1), D(2022, 12, 31)), (D(2023, 1, 1), D(2023, 3, 31)),
                                 (D(2023, 4, 1), D(2023, 5, 31))]),
    (ReportFrequency.SEMI_ANNUAL, [(D(2022, 5, 15), D(2022, 9, 30)), (D(2022, 10, 1), D(2023, 3, 31)),
                                   (D(2023, 4, 1), D(2023, 5, 31))]),
    (ReportFrequency.ANNUAL, [(D(2022, 5, 15), D(2023, 3, 31)), (D(2023, 4, 1), D(2023, 5, 31))]),
])
def test_periods_follow_the_fiscal_year_clipped_to_the_project(frequency, expected):
    assert schedule_periods(start=D(2022, 5, 15), end=D(2023, 5, 31), frequency=frequency) == expected


@pytest.fixture
def iom_project():
    return project_of("IOM", start=D(2022, 4, 1), end=D(2023, 9, 30))


def test_a_schedule_generates_the_expected_reports_with_their_due_dates(iom_project):
    reports = report_schedule_save(schedule=ReportSchedule(project=iom_project, frequency=ReportFrequency.SEMI_ANNUAL,
                                                           due_days=30))
    assert [(r.period_start, r.period_end, r.due_on, r.status) for r in reports] == [
        (D(2022, 4, 1), D(2022, 9, 30), D(2022, 10, 30), S.DRAFT),
        (D(2022, 10, 1), D(2023, 3, 31), D(2023, 4, 30), S.DRAFT),
        (D(2023, 4, 1), D(2023, 9, 30), D(2023, 10, 30), S.DRAFT)]


def test_saving_the_schedule_again_keeps_what_was_written_and_follows_a_new_frequency(iom_project):
    schedule = ReportSchedule(project=iom_project, frequency=ReportFrequency.SEMI_ANNUAL, due_days=30)
    first = report_schedule_save(schedule=schedule)[0]
    first.narrative = "Work began."
    first.save()
    again = report_schedule_save(schedule=schedule)
    assert len(again) == 3 and PartnerReport.objects.count() == 3
    schedule.frequency, schedule.due_days = ReportFrequency.ANNUAL, 45
    annual = report_schedule_save(schedule=schedule)
    # The written report stays; the untouched half-year reports give way to the annual ones.
    assert [(r.period_start, r.period_end, r.due_on) for r in annual] == [
        (D(2022, 4, 1), D(2022, 9, 30), D(2022, 10, 30)), (D(2023, 4, 1), D(2023, 9, 30), D(2023, 11, 14))]
    assert PartnerReport.objects.get(period_start=D(2022, 4, 1)).narrative == "Work began."


def test_a_due_date_beyond_180_days_is_refused_and_nothing_is_written(iom_project):
    with pytest.raises(ValidationError) as caught:
        report_schedule_save(schedule=ReportSchedule(project=iom_project, due_days=200))
    assert caught.value.message_dict["due_days"] == ["A report is due at most 180 days after its period ends."]
    assert not ReportSchedule.objects.exists() and not PartnerReport.objects.exists()


# --- the report cycle -----------------------------------------------------------------------------------


@pytest.fixture
def cycle(iom_project):
    """IOM's project with two indicators and its first semi-annual report; its reporter; MCET staff."""
    cases = indicator(iom_project, name="Cases supported", baseline=0, target=100)
    described = indicator(iom_project, name="Traffickers identified", kind=IndicatorKind.QUALITATIVE)
    reports = report_schedule_save(schedule=ReportSchedule(project=iom_project, frequency=ReportFrequency.SEMI_ANNUAL))
    return {"project": iom_project, "report": reports[0], "cases": cases, "described": described,
            "reporter": reporter(iom_project.partner), "mcet": user_in_role("mcet_staff", "mcet-reports")}


def fill(cycle, user=None, narrative="Training delivered in two provinces."):
    return partner_report_save(report=cycle["report"], user=user or cycle["reporter"], narrative=narrative,
                               risks="Staff turnover.", next_steps="Second training cycle.",
                               values={cycle["cases"].pk: Decimal("40"), cycle["described"].pk: "Two identified."})


def test_the_partner_fills_submits_and_mcet_accepts_writing_the_actuals(cycle):
    report = fill(cycle)
    assert not IndicatorPeriod.objects.exists()  # saving writes no actual
    report = partner_report_submit(report=report, user=cycle["reporter"], comment="Here it is.")
    assert report.status == S.SUBMITTED and report.submitted_at
    assert not IndicatorPeriod.objects.exists()  # nor does submitting
    report = partner_report_accept(report=report, user=cycle["mcet"])
    assert report.status == S.ACCEPTED
    cases = IndicatorPeriod.objects.get(indicator=cycle["cases"])
    assert (cases.period_start, cases.period_end, cases.actual_value, cases.source_report) == (
        D(2022, 4, 1), D(2022, 9, 30), Decimal("40.00"), report)
    assert IndicatorPeriod.objects.get(indicator=cycle["described"]).actual_text == "Two identified."
    history = list(PartnerReportTransition.objects.values_list("from_status", "to_status", "user__username",
                                                               "comment"))
    assert history == [("draft", "submitted", "reporter-iom", "Here it is."),
                       ("submitted", "accepted", "mcet-reports", "")]


def test_acceptance_fills_the_period_already_planned_and_keeps_its_target(cycle):
    planned = period(cycle["cases"], D(2022, 4, 1), D(2022, 9, 30), target=50)
    partner_report_accept(report=partner_report_submit(report=fill(cycle), user=cycle["reporter"]),
                          user=cycle["mcet"])
    planned.refresh_from_db()
    assert (planned.target_value, planned.actual_value) == (Decimal("50.00"), Decimal("40.00"))


def test_a_returned_report_goes_back_to_the_partner_and_is_resubmitted_with_its_history(cycle):
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    with pytest.raises(ValidationError, match="a returned report needs a comment"):
        partner_report_return(report=report, user=cycle["mcet"], comment="  ")
    assert PartnerReport.objects.get(pk=report.pk).status == S.SUBMITTED
    report = partner_report_return(report=report, user=cycle["mcet"], comment="Give the cases by province.")
    assert report.status == S.RETURNED
    report = fill(cycle, narrative="Training delivered: 25 cases in the north, 15 in the south.")
    report = partner_report_submit(report=report, user=cycle["reporter"])
    partner_report_accept(report=report, user=cycle["mcet"])
    assert list(report.transitions.values_list("to_status", "comment")) == [
        ("submitted", ""), ("returned", "Give the cases by province."), ("submitted", ""), ("accepted", "")]


def test_an_incomplete_report_cannot_be_submitted_and_says_what_it_needs(cycle):
    partner_report_save(report=cycle["report"], user=cycle["reporter"], values={cycle["cases"].pk: None})
    with pytest.raises(ValidationError) as caught:
        partner_report_submit(report=cycle["report"], user=cycle["reporter"])
    assert caught.value.messages == [
        "The report cannot be submitted yet; it still needs the progress in the period; the actual of “Cases "
        "supported”; the actual of “Traffickers identified”."]
    assert PartnerReport.objects.get(pk=cycle["report"].pk).status == S.DRAFT
    assert not PartnerReportTransition.objects.exists()


@pytest.mark.parametrize(("values", "message"), [
    ({"cases": "forty"}, "The actual of “Cases supported” is a number."),
    ({"cases": Decimal("-1")}, "The actual of “Cases supported” cannot be negative."),
    ({"other": Decimal("1")}, "This indicator is not one of the project’s."),
])
def test_bad_values_are_refused_and_nothing_is_written(cycle, values, message):
    other = indicator(project_of("UNHCR", country="XB"), name="Someone else's")
    given = {(cycle["cases"].pk if key == "cases" else other.pk): value for key, value in values.items()}
    with pytest.raises(ValidationError) as caught:
        partner_report_save(report=cycle["report"], user=cycle["reporter"], narrative="Changed", values=given)
    assert caught.value.messages == [message]
    assert not PartnerReportValue.objects.exists()
    assert PartnerReport.objects.get(pk=cycle["report"].pk).narrative == ""


PAIRS = [(a, b) for a in S.values for b in S.values if a != b]


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_move_is_allowed_exactly_when_declared(cycle, source, target):
    report = fill(cycle)
    PartnerReport.objects.filter(pk=report.pk).update(status=source, submitted_at=dt.datetime(2022, 10, 1,
                                                                                              tzinfo=dt.UTC))
    declared = any(t.source == source and t.target == target for t in TRANSITIONS)
    mover = {S.SUBMITTED: cycle["reporter"]}.get(target, cycle["mcet"])
    service = {S.SUBMITTED: partner_report_submit, S.ACCEPTED: partner_report_accept,
               S.RETURNED: partner_report_return}.get(target)
    if service is None:  # nothing moves a report back to "to be submitted"
        assert not declared
        return
    if declared:
        assert service(report=report, user=mover, comment="Why.").status == target
        return
    with pytest.raises((ValidationError, PermissionDenied)) as caught:
        service(report=report, user=mover, comment="Why.")
    assert PartnerReport.objects.get(pk=report.pk).status == source
    if isinstance(caught.value, ValidationError):
        assert caught.value.messages == [f"A report cannot go from “{S(source).label}” to “{S(target).label}”."]


def test_the_table_declares_the_report_cycle():
    assert {(t.source, t.target) for t in TRANSITIONS} == {
        (S.DRAFT, S.SUBMITTED), (S.RETURNED, S.SUBMITTED), (S.SUBMITTED, S.ACCEPTED), (S.SUBMITTED, S.RETURNED)}


def test_a_reporter_neither_accepts_nor_returns(cycle):
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    assert available_transitions(report=report, user=cycle["reporter"]) == []
    for service in (partner_report_accept, partner_report_return):
        with pytest.raises(ValidationError) as caught:
            service(report=report, user=cycle["reporter"], comment="Fine by me.")
        assert "Your role may not move a report from “Submitted”" in caught.value.messages[0]
    assert PartnerReport.objects.get(pk=report.pk).status == S.SUBMITTED
    assert not IndicatorPeriod.objects.exists()


def test_a_submitted_report_is_no_longer_the_partner_s_to_change(cycle):
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    decision = access.can(cycle["reporter"], access.CHANGE, report)
    assert not decision and decision.visible
    with pytest.raises(ValidationError, match="it can be changed only if MCET returns it"):
        fill(cycle, narrative="A late change")
    assert PartnerReport.objects.get(pk=report.pk).narrative == "Training delivered in two provinces."


@pytest.mark.parametrize("role", ["rwg_member", "auditor"])
def test_readers_move_no_report(cycle, role):
    reader = user_in_role(role, f"reader-{role}")
    report = fill(cycle)
    assert available_transitions(report=report, user=reader) == []
    with pytest.raises((ValidationError, PermissionDenied)):
        partner_report_submit(report=report, user=reader)
    with pytest.raises(PermissionDenied):
        fill(cycle, user=reader)
    assert PartnerReport.objects.get(pk=report.pk).status == S.DRAFT


def test_another_partner_s_reporter_cannot_see_let_alone_write_the_report(cycle):
    other = reporter(project_of("UNHCR", country="XB").partner)
    assert not access.can(other, access.VIEW, cycle["report"]).visible
    assert not access.visible(other, PartnerReport).filter(pk=cycle["report"].pk).exists()
    with pytest.raises(PermissionDenied):
        fill(cycle, user=other)
    with pytest.raises(PermissionDenied):
        partner_report_submit(report=cycle["report"], user=other)
    assert not PartnerReportValue.objects.exists()


def test_a_period_that_does_not_match_the_report_refuses_the_acceptance_whole(cycle):
    period(cycle["described"], D(2022, 4, 1), D(2022, 9, 30), text="")  # matches: fine
    period(cycle["cases"], D(2022, 4, 1), D(2023, 3, 31), target=80)  # a year where the report has a half
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    with pytest.raises(ValidationError) as caught:
        partner_report_accept(report=report, user=cycle["mcet"])
    assert "ends on 2023-03-31, not on 2022-09-30" in caught.value.messages[0]
    assert PartnerReport.objects.get(pk=report.pk).status == S.SUBMITTED
    assert not IndicatorPeriod.objects.filter(actual_value__isnull=False).exists()
    assert IndicatorPeriod.objects.get(indicator=cycle["described"]).actual_text == ""
    assert report.transitions.count() == 1


def test_refusals_are_said_in_french(cycle):
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        partner_report_submit(report=report, user=cycle["reporter"])
    assert caught.value.messages == ["Un rapport ne peut pas passer de «\u00a0Soumis\u00a0» à «\u00a0Soumis\u00a0»."]


# --- overdue and due soon -------------------------------------------------------------------------------


@pytest.fixture
def dated(cycle):
    """The cycle's three reports, due 2022-10-30, 2023-04-30 and 2023-10-30."""
    return list(PartnerReport.objects.order_by("due_on"))


def test_a_report_due_today_is_not_overdue_the_next_day_it_is(dated):
    first = dated[0]
    assert partner_reports_overdue(today=D(2022, 10, 30)) == []
    late = partner_reports_overdue(today=D(2022, 10, 31))
    assert [(r.report, r.days_overdue, r.partner.acronym, r.period_label) for r in late] == [
        (first, 1, "IOM", "2022-23 H1")]


def test_submitted_and_accepted_reports_are_not_overdue_but_returned_ones_are(cycle, dated):
    report = partner_report_submit(report=fill(cycle), user=cycle["reporter"])
    assert partner_reports_overdue(today=D(2023, 1, 1)) == []
    partner_report_return(report=report, user=cycle["mcet"], comment="Add the cases.")
    assert [r.report.pk for r in partner_reports_overdue(today=D(2023, 1, 1))] == [report.pk]


def test_overdue_reports_can_be_kept_to_the_projects_a_user_sees(cycle, dated):
    unhcr_project = project_of("UNHCR", country="XB", start=D(2022, 4, 1), end=D(2023, 3, 31))
    report_schedule_save(schedule=ReportSchedule(project=unhcr_project, frequency=ReportFrequency.ANNUAL))
    everyone = partner_reports_overdue(today=D(2024, 1, 1))
    assert {r.partner.acronym for r in everyone} == {"IOM", "UNHCR"}
    mine = partner_reports_overdue(today=D(2024, 1, 1), projects=access.visible(cycle["reporter"], Project))
    assert {r.partner.acronym for r in mine} == {"IOM"} and len(mine) == 3


def test_reports_due_soon_include_today_and_the_horizon_and_nothing_late(dated):
    assert [r.report for r in partner_reports_due(today=D(2022, 10, 16), within_days=14)] == [dated[0]]
    assert [r.days_left for r in partner_reports_due(today=D(2022, 10, 30), within_days=0)] == [0]
    assert partner_reports_due(today=D(2022, 10, 15), within_days=14) == []
    assert partner_reports_due(today=D(2022, 10, 31), within_days=14) == []


def test_overdue_and_due_lists_take_one_query_whatever_the_number_of_reports(cycle):
    def count(**kwargs):
        with CaptureQueriesContext(connection) as queries:
            partner_reports_overdue(today=D(2024, 6, 1), **kwargs)
            partner_reports_due(today=D(2022, 10, 20), within_days=30)
        return len(queries)

    before = count()
    for code in ("XB", "XC", "XD"):
        more = project_of("ARK", country=code, start=D(2022, 4, 1), end=D(2023, 9, 30))
        report_schedule_save(schedule=ReportSchedule(project=more, frequency=ReportFrequency.QUARTERLY))
    assert len(partner_reports_overdue(today=D(2024, 6, 1))) == 3 + 3 * 6
    assert count() == before == 2


def test_partner_reporters_are_found_through_their_group_or_their_own_grant(cycle):
    from guardian.shortcuts import assign_perm

    from tests.factories import PartnerFactory

    ark = PartnerFactory(acronym="ARK")
    direct = user_in_role("auditor", "ark-direct")
    assign_perm("projects.view_partner", direct, ark)
    found = partner_reporters(partner_ids=[cycle["project"].partner_id, ark.pk])
    assert [u.username for u in found[cycle["project"].partner_id]] == ["reporter-iom"]
    assert [u.username for u in found[ark.pk]] == ["ark-direct"]
