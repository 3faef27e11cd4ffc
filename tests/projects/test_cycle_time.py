"""Cycle-time figures: days in each state from the recorded transitions, the returned loop counted, per
call (or unsolicited) and fiscal year of submission, in a number of queries that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mcee.reports import get_report
from projects.models import CallForProposals, ProposalState
from projects.proposal_selectors import cycle_time_by_call_and_year, proposal_cycles
from projects.proposal_services import proposal_transition
from tests.projects.test_proposal_workflow import make_proposal, user_in_role

pytestmark = pytest.mark.django_db
S = ProposalState
T0 = dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC)  # fiscal year 2025-26


@pytest.fixture
def clock(monkeypatch):
    """``clock.at(days)`` sets the time the services see to T0 + days."""

    class Clock:
        now = T0

        def at(self, days):
            self.now = T0 + dt.timedelta(days=days)

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


def walk(proposal, user, clock, steps):
    """Take the transitions ``[(day, state), ...]`` at those days after T0."""
    for day, state in steps:
        clock.at(day)
        proposal = proposal_transition(proposal=proposal, to_state=state, user=user)
    return proposal


def created(**kwargs):
    proposal = make_proposal(**kwargs)
    proposal.created_at = T0
    proposal.save(update_fields=["created_at"])
    return proposal


def test_days_in_each_state_count_the_returned_loop(clock):
    mcet = user_in_role("mcet_admin")
    proposal = created()
    walk(proposal, mcet, clock, [
        (2, S.SUBMITTED), (5, S.SCREENING),
        (9, S.RETURNED), (19, S.SCREENING),  # back to the applicant for 10 days
        (21, S.IN_REVIEW), (26, S.RETURNED), (30, S.IN_REVIEW),  # and again, for 4 days
        (40, S.RECOMMENDED), (45, S.APPROVED),
    ])
    clock.at(400)  # a final state stops the clock
    [cycle] = proposal_cycles()
    assert cycle.returns == 2
    assert cycle.submitted_on == dt.date(2025, 5, 3)
    assert {state: float(days) for state, days in cycle.days.items()} == {
        S.DRAFT: 2, S.SUBMITTED: 3, S.SCREENING: 4 + 2, S.RETURNED: 10 + 4, S.IN_REVIEW: 5 + 10,
        S.RECOMMENDED: 5}


def test_the_current_state_counts_until_today(clock):
    mcet = user_in_role("mcet_staff")
    walk(created(), mcet, clock, [(1, S.SUBMITTED), (3, S.SCREENING)])
    clock.at(10)
    [cycle] = proposal_cycles()
    assert cycle.days[S.SCREENING] == Decimal(7)


def test_figures_per_call_and_fiscal_year_with_medians_and_returns(clock):
    mcet = user_in_role("mcet_staff")
    call = CallForProposals.objects.create(title_en="Call 2025: border management", opens_on=dt.date(2025, 4, 1),
                                           closes_on=dt.date(2025, 6, 30))
    # Three proposals in the call, submitted in 2025-26: 2, 4 and 9 days in screening; one returned twice.
    for screening_days, returns in ((2, 0), (4, 2), (9, 0)):
        steps = [(1, S.SUBMITTED), (2, S.SCREENING)]
        day = 2
        for _ in range(returns):
            steps += [(day + 1, S.RETURNED), (day + 3, S.SCREENING)]
            day += 3
            screening_days -= 1
        steps.append((day + screening_days, S.IN_REVIEW))
        walk(created(call=call), mcet, clock, steps)
    # One unsolicited proposal submitted in 2026-27 (after 31 March 2026), and a draft never submitted.
    late = created()
    walk(late, mcet, clock, [(340, S.SUBMITTED)])
    created()
    clock.at(345)

    rows = cycle_time_by_call_and_year()
    assert [(r.call_title, r.fiscal_year.label, r.proposals) for r in rows] == [
        ("Call 2025: border management", "2025-26", 3), ("", "2026-27", 1)]
    in_call, unsolicited = rows
    assert in_call.median_days[S.SCREENING] == Decimal("4.0")
    assert in_call.median_days[S.RETURNED] == Decimal("4.0")  # the one returned proposal: 2 + 2 days
    assert in_call.median_days[S.RECOMMENDED] is None  # no proposal got there
    assert (in_call.returns, in_call.returned_proposals, in_call.returns_per_proposal) == (2, 1, Decimal("0.67"))
    assert unsolicited.median_days[S.SUBMITTED] == Decimal("5.0")
    assert unsolicited.returns == 0

    report = get_report("proposal-cycle-time")()
    report_rows = report.rows()
    assert [r["call"] for r in report_rows] == ["Call 2025: border management", "Unsolicited"]
    assert report_rows[0]["days_screening"] == Decimal("4.0")
    assert report_rows[0]["returns_per_proposal"] == Decimal("0.67")


def test_the_number_of_queries_does_not_grow_with_proposals(clock):
    mcet = user_in_role("mcet_staff")

    def count():
        with CaptureQueriesContext(connection) as queries:
            cycle_time_by_call_and_year()
        return len(queries)

    walk(created(), mcet, clock, [(1, S.SUBMITTED), (2, S.SCREENING), (3, S.RETURNED)])
    one = count()
    for _ in range(5):
        walk(created(), mcet, clock, [(1, S.SUBMITTED), (2, S.SCREENING), (3, S.RETURNED), (4, S.SCREENING)])
    assert count() == one == 2


def test_the_report_is_for_those_who_see_all_proposals(client, settings, clock):
    from django.urls import reverse

    from mcee.admin_reports import may_read_report

    report = get_report("proposal-cycle-time")
    assert may_read_report(user_in_role("auditor", "cy-auditor"), report)
    assert not may_read_report(user_in_role("officer_cbsa", "cy-officer"), report)
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []
    mcet = user_in_role("mcet_staff", "cy-mcet")
    walk(created(), mcet, clock, [(1, S.SUBMITTED), (2, S.SCREENING), (3, S.RETURNED)])
    client.force_login(mcet)
    response = client.get(reverse("mcee_report_proposal-cycle-time"))
    assert response.status_code == 200
    assert "Median days: Screening" in response.content.decode()
