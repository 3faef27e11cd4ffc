"""The proposal review workflow, declared in one place: the states, every allowed transition, who may
take it and the guard it must pass. ``projects.proposal_services.proposal_transition`` is the one
function that moves a proposal, and it refuses anything not in ``TRANSITIONS``.

    draft -> submitted -> screening -> in review -> recommended | not recommended -> approved | declined

Any review state (screening, in review, recommended, not recommended) can send the proposal back to the
applicant for changes ("returned"); a returned proposal goes back to the state it was returned from, so a
missing document found in review does not restart screening, and the time spent waiting on the applicant
is counted apart (the cycle-time figures). Approving a proposal that works in a country classified as
recalcitrant on the approval date needs the RWG's endorsement first; preventive ones do not.

Who: MCET staff and administrators move proposals through screening and review; approving and declining
(the funding decision) is for MCET administrators. Partner-side submission is not here yet: MCET records
the submission on the applicant's behalf.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from mcee.roles import MCET_ADMIN, MCET_STAFF

from .models import ProposalState as S

MCET = frozenset({MCET_ADMIN.code, MCET_STAFF.code})
DECIDERS = frozenset({MCET_ADMIN.code})

# States from which a proposal can be returned to the applicant, and to which it comes back.
REVIEW_STATES = (S.SCREENING, S.IN_REVIEW, S.RECOMMENDED, S.NOT_RECOMMENDED)
# States in which reviews are written.
REVIEWABLE_STATES = (S.IN_REVIEW,)
FINAL_STATES = (S.APPROVED, S.DECLINED)


def rwg_endorsement_if_recalcitrant(proposal, on) -> str | None:
    """None when the guard passes; otherwise why not (a translated sentence)."""
    from countries.models import Category
    from countries.selectors import country_category_on

    recalcitrant = [share.country for share in proposal.country_shares.select_related("country")
                    if country_category_on(country=share.country, on=on) == Category.RECALCITRANT]
    if recalcitrant and not _has_endorsement(proposal):
        return str(_("This proposal works in a recalcitrant country (%(countries)s): the Removals Working Group "
                     "must endorse it before it is approved.")
                   % {"countries": ", ".join(c.code.code for c in recalcitrant)})
    return None


def _has_endorsement(proposal) -> bool:
    from .models import ProposalEndorsement

    return ProposalEndorsement.objects.filter(proposal=proposal).exists()


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str]
    action: object  # the button's label (lazy translated)
    guard: Callable | None = None  # (proposal, on) -> None or the reason it is refused

    def may(self, roles: set[str], *, superuser: bool = False) -> bool:
        return superuser or bool(self.roles & roles)


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.SUBMITTED, MCET, _("Record as submitted")),
    Transition(S.SUBMITTED, S.SCREENING, MCET, _("Start screening")),
    Transition(S.SCREENING, S.IN_REVIEW, MCET, _("Send to review")),
    Transition(S.IN_REVIEW, S.RECOMMENDED, MCET, _("Recommend")),
    Transition(S.IN_REVIEW, S.NOT_RECOMMENDED, MCET, _("Do not recommend")),
    Transition(S.RECOMMENDED, S.APPROVED, DECIDERS, _("Approve and create the project"),
               rwg_endorsement_if_recalcitrant),
    Transition(S.RECOMMENDED, S.DECLINED, DECIDERS, _("Decline")),
    Transition(S.NOT_RECOMMENDED, S.APPROVED, DECIDERS, _("Approve and create the project"),
               rwg_endorsement_if_recalcitrant),
    Transition(S.NOT_RECOMMENDED, S.DECLINED, DECIDERS, _("Decline")),
    *(Transition(state, S.RETURNED, MCET, _("Return to the applicant for changes")) for state in REVIEW_STATES),
    # Back from the applicant: only to the state it was returned from (``Proposal.returned_from``).
    *(Transition(S.RETURNED, state, MCET, _("Changes received: resume")) for state in REVIEW_STATES),
)


def transition_for(source: str, target: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def transitions_from(proposal) -> list[Transition]:
    """The transitions the table allows from the proposal's state (before who and guards)."""
    found = [t for t in TRANSITIONS if t.source == proposal.state]
    if proposal.state == S.RETURNED:
        found = [t for t in found if t.target == proposal.returned_from]
    return found
