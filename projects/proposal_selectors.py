"""Reads about proposals: the cycle-time figures the evaluation lacked (days spent in each state and the
back-and-forth with applicants), per call and fiscal year of submission.

Days in a state are measured from the recorded transitions: a proposal is in ``draft`` from its creation,
then in each state from the transition into it until the next one. The state it is in now counts until
``as_of`` (today by default), unless it is final (approved, declined). A state entered several times
(screening, then returned, then screening again) adds up. Two queries, whatever the number of proposals.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from mcee.fiscal import FiscalYear
from mcee.i18n import active_language

from .models import Proposal, ProposalState, ProposalTransition
from .workflow import FINAL_STATES

# The states whose time is measured (final states are where a proposal stays).
TIMED_STATES = [s for s in ProposalState.values if s not in FINAL_STATES]
SECONDS_PER_DAY = Decimal(86400)
ONE_DECIMAL = Decimal("0.1")


@dataclass
class ProposalCycle:
    proposal_id: int
    call_id: int | None
    call_title: str
    state: str
    submitted_on: dt.date | None = None
    days: dict[str, Decimal] = field(default_factory=dict)  # state -> days spent in it (entered states only)
    returns: int = 0

    @property
    def fiscal_year(self) -> FiscalYear | None:
        return FiscalYear.of(self.submitted_on) if self.submitted_on else None


def _days(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(max((end - start).total_seconds(), 0)) / SECONDS_PER_DAY


def proposal_cycles(*, as_of: dt.datetime | None = None, proposals=None) -> list[ProposalCycle]:
    """One ``ProposalCycle`` per proposal (of ``proposals``, default all), from two queries."""
    as_of = as_of or timezone.now()
    queryset = proposals if proposals is not None else Proposal.objects.all()
    cycles: dict[int, ProposalCycle] = {}
    entered: dict[int, tuple[str, dt.datetime]] = {}
    for pk, call_id, title_en, title_fr, state, created_at in queryset.order_by("pk").values_list(
            "pk", "call_id", "call__title_en", "call__title_fr", "state", "created_at"):
        title = (title_fr or title_en) if active_language() == "fr" else title_en
        cycles[pk] = ProposalCycle(pk, call_id, title or "", state)
        entered[pk] = (ProposalState.DRAFT, created_at)

    transitions = (ProposalTransition.objects.filter(proposal__in=queryset.values("pk"))
                   .order_by("proposal_id", "at", "pk")
                   .values_list("proposal_id", "from_state", "to_state", "at"))
    for proposal_id, _from_state, to_state, at in transitions:
        cycle = cycles[proposal_id]
        state, since = entered[proposal_id]
        cycle.days[state] = cycle.days.get(state, Decimal(0)) + _days(since, at)
        entered[proposal_id] = (to_state, at)
        if to_state == ProposalState.SUBMITTED and cycle.submitted_on is None:
            cycle.submitted_on = timezone.localtime(at).date()
        if to_state == ProposalState.RETURNED:
            cycle.returns += 1
    for proposal_id, (state, since) in entered.items():
        if state not in FINAL_STATES:
            cycle = cycles[proposal_id]
            cycle.days[state] = cycle.days.get(state, Decimal(0)) + _days(since, as_of)
    return list(cycles.values())


@dataclass(frozen=True)
class CycleTimeRow:
    call_id: int | None  # None: unsolicited proposals
    call_title: str
    fiscal_year: FiscalYear
    proposals: int
    median_days: dict[str, Decimal | None]  # state -> median days among the proposals that entered it
    returns: int
    returned_proposals: int

    @property
    def returns_per_proposal(self) -> Decimal:
        return (Decimal(self.returns) / Decimal(self.proposals)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def cycle_time_by_call_and_year(*, as_of: dt.datetime | None = None) -> list[CycleTimeRow]:
    """Submitted proposals grouped by call (or unsolicited) and fiscal year of first submission."""
    groups: dict[tuple[int | None, FiscalYear], list[ProposalCycle]] = defaultdict(list)
    for cycle in proposal_cycles(as_of=as_of):
        if cycle.fiscal_year is not None:
            groups[(cycle.call_id, cycle.fiscal_year)].append(cycle)
    rows = []
    for (call_id, year), cycles in groups.items():
        medians = {}
        for state in TIMED_STATES:
            spent = [c.days[state] for c in cycles if state in c.days]
            medians[state] = (Decimal(statistics.median(spent)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
                              if spent else None)
        rows.append(CycleTimeRow(call_id, cycles[0].call_title, year, len(cycles), medians,
                                 sum(c.returns for c in cycles), sum(1 for c in cycles if c.returns)))
    # By fiscal year, then calls by title, unsolicited proposals last.
    rows.sort(key=lambda r: (r.fiscal_year, r.call_id is None, r.call_title.casefold(), r.call_id or 0))
    return rows
