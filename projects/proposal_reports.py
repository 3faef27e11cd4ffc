"""The proposal cycle-time report: where proposals wait, and how often they go back to applicants."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mcee.reports import Column, Report, register

from .models import ProposalState
from .proposal_selectors import TIMED_STATES, cycle_time_by_call_and_year


def _state_label(state):
    return gettext("Median days: %(state)s") % {"state": ProposalState(state).label}


def _state_column(state):
    # Translated when shown, not when this module is imported.
    return Column(f"days_{state}", lazy(_state_label, str)(state), numeric=True)


@register
class ProposalCycleTimeReport(Report):
    slug = "proposal-cycle-time"
    title = _("Proposal cycle time")
    description = _("Per call (or unsolicited) and fiscal year of first submission: how many proposals, the "
                    "median days they spent in each state (among those that entered it; the current state "
                    "counts until today), and how many times they were returned to the applicant.")
    audience_model = "projects.proposal"
    columns = [
        Column("call", _("Call for proposals")),
        Column("fiscal_year", _("Fiscal year of submission")),
        Column("proposals", _("Proposals"), numeric=True),
        *[_state_column(state) for state in TIMED_STATES],
        Column("returns", _("Returns to the applicant"), numeric=True),
        Column("returns_per_proposal", _("Returns per proposal"), numeric=True),
        Column("returned_proposals", _("Proposals returned at least once"), numeric=True),
    ]

    def rows(self):
        return [
            {"call": row.call_title if row.call_id else str(_("Unsolicited")),
             "fiscal_year": row.fiscal_year.localized_label(), "proposals": row.proposals,
             **{f"days_{state}": row.median_days[state] for state in TIMED_STATES},
             "returns": row.returns, "returns_per_proposal": row.returns_per_proposal,
             "returned_proposals": row.returned_proposals}
            for row in cycle_time_by_call_and_year()
        ]
