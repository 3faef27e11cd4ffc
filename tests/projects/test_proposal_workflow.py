"""The proposal review workflow: every allowed and every refused transition, who may take each, the
returned loop, the RWG-endorsement rule, and the project created on approval."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils import timezone

from countries.models import Country, CountryClassification
from mcee.roles import STANDING_ROLES, sync_role_group
from projects.models import (
    FundingLine,
    Partner,
    PriorityArea,
    Project,
    ProjectStatus,
    Proposal,
    ProposalBudgetLine,
    ProposalCountry,
    ProposalState,
    ProposalTransition,
)
from projects.proposal_services import (
    available_transitions,
    next_project_reference,
    proposal_endorse,
    proposal_transition,
)
from projects.workflow import REVIEW_STATES, TRANSITIONS, transition_for

pytestmark = pytest.mark.django_db
S = ProposalState


# --- helpers (also used by the other proposal tests) -------------------------------------------------


def user_in_role(code, username=None):
    from django.contrib.auth import get_user_model

    role = next(r for r in STANDING_ROLES if r.code == code)
    sync_role_group(role, Group, Permission)
    user = get_user_model().objects.create_user(username or f"wf-{code}", password="x-not-used-0123")
    user.groups.add(Group.objects.get(name=role.group_name))
    return user


def country(code):
    return Country.objects.get_or_create(code=code)[0]


def make_proposal(*, state=S.DRAFT, returned_from="", shares=(("XA", 100),), amount=Decimal("200000"),
                  start=dt.date(2026, 4, 1), end=dt.date(2028, 3, 31), budget=None, call=None, partner=None):
    partner = partner or Partner.objects.get_or_create(acronym="IOM", defaults={"name_en": "IOM",
                                                                                "organisation_type": "40"})[0]
    proposal = Proposal.objects.create(
        call=call, partner=partner, title_en="Border data exchange", title_fr="Échange de données frontalières",
        summary_en="Study visits.", requested_amount=amount, planned_start=start, planned_end=end, state=state,
        returned_from=returned_from, project=_approved_project(partner) if state == S.APPROVED else None)
    for code, share in shares:
        ProposalCountry.objects.create(proposal=proposal, country=country(code), share=Decimal(share))
    for year, value in (budget if budget is not None else {2026: amount / 2, 2027: amount / 2}).items():
        ProposalBudgetLine.objects.create(proposal=proposal, fiscal_year=year, amount=value)
    proposal.priority_areas.set([PriorityArea.objects.get(code="border-management")])
    proposal.save()
    return proposal


def _approved_project(partner):
    return Project.objects.create(reference=f"MCEE-2025-{Project.objects.count() + 900}", title_en="Approved",
                                  partner=partner, approved_amount=Decimal("1"), planned_start=dt.date(2025, 4, 1),
                                  planned_end=dt.date(2026, 3, 31))


def classify(code, category, effective_date):
    CountryClassification.objects.create(country=country(code), category=category, effective_date=effective_date)


@pytest.fixture
def admin_user():
    return user_in_role("mcet_admin")


@pytest.fixture
def staff_user():
    return user_in_role("mcet_staff")


# --- every pair of states: allowed exactly when the table says so ------------------------------------

PAIRS = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_transition_is_allowed_exactly_when_declared(source, target, admin_user):
    returned_from = S.IN_REVIEW if source == S.RETURNED else ""
    proposal = make_proposal(state=source, returned_from=returned_from)
    declared = transition_for(source, target) is not None and (source != S.RETURNED or target == returned_from)
    if declared:
        moved = proposal_transition(proposal=proposal, to_state=target, user=admin_user, comment=" Checked. ")
        assert moved.state == target
        change = ProposalTransition.objects.get(proposal=proposal)
        assert (change.from_state, change.to_state, change.user, change.comment) == (source, target, admin_user,
                                                                                    "Checked.")
        assert change.at <= timezone.now()
    else:
        with pytest.raises(ValidationError) as refused:
            proposal_transition(proposal=proposal, to_state=target, user=admin_user)
        message = " ".join(refused.value.messages)
        assert str(S(target).label) in message
        proposal.refresh_from_db()
        assert proposal.state == source
        assert not ProposalTransition.objects.filter(proposal=proposal).exists()


def test_the_table_declares_the_issue_s_workflow():
    declared = {(t.source, t.target) for t in TRANSITIONS}
    main_line = {(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.SCREENING), (S.SCREENING, S.IN_REVIEW),
                 (S.IN_REVIEW, S.RECOMMENDED), (S.IN_REVIEW, S.NOT_RECOMMENDED)}
    decisions = {(a, b) for a in (S.RECOMMENDED, S.NOT_RECOMMENDED) for b in (S.APPROVED, S.DECLINED)}
    returns = {(s, S.RETURNED) for s in REVIEW_STATES} | {(S.RETURNED, s) for s in REVIEW_STATES}
    assert declared == main_line | decisions | returns


def test_an_unknown_state_is_refused(admin_user):
    proposal = make_proposal(state=S.SUBMITTED)
    with pytest.raises(ValidationError, match="not a state"):
        proposal_transition(proposal=proposal, to_state="funded", user=admin_user)


# --- who may take them --------------------------------------------------------------------------------

DECISIONS = [t for t in TRANSITIONS if t.target in (S.APPROVED, S.DECLINED)]
OTHERS = [t for t in TRANSITIONS if t not in DECISIONS]


def _ready(transition):
    return make_proposal(state=transition.source,
                         returned_from=transition.target if transition.source == S.RETURNED else "")


@pytest.mark.parametrize("transition", OTHERS, ids=lambda t: f"{t.source}-{t.target}")
def test_mcet_staff_move_proposals_through_screening_and_review(transition, staff_user):
    moved = proposal_transition(proposal=_ready(transition), to_state=transition.target, user=staff_user)
    assert moved.state == transition.target


@pytest.mark.parametrize("transition", DECISIONS, ids=lambda t: f"{t.source}-{t.target}")
def test_only_mcet_administrators_approve_or_decline(transition, staff_user, admin_user):
    proposal = _ready(transition)
    with pytest.raises(ValidationError, match="Your role may not move a proposal from"):
        proposal_transition(proposal=proposal, to_state=transition.target, user=staff_user)
    assert proposal_transition(proposal=proposal, to_state=transition.target, user=admin_user).state == \
        transition.target


@pytest.mark.parametrize("role", ["rwg_member", "auditor", "officer_cbsa", "officer_gac"])
@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}-{t.target}")
def test_other_roles_move_nothing(role, transition):
    user = user_in_role(role)
    proposal = _ready(transition)
    with pytest.raises(ValidationError, match="Your role may not move a proposal from"):
        proposal_transition(proposal=proposal, to_state=transition.target, user=user)
    assert available_transitions(proposal=proposal, user=user) == []
    assert not ProposalTransition.objects.exists()


def test_the_buttons_offered_are_the_transitions_the_user_may_take(staff_user, admin_user):
    proposal = make_proposal(state=S.RECOMMENDED)
    assert {t.target for t in available_transitions(proposal=proposal, user=staff_user)} == {S.RETURNED}
    assert {t.target for t in available_transitions(proposal=proposal, user=admin_user)} == {
        S.RETURNED, S.APPROVED, S.DECLINED}


# --- the returned loop -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", REVIEW_STATES)
def test_a_returned_proposal_goes_back_to_the_state_it_was_returned_from_only(state, staff_user):
    proposal = make_proposal(state=state)
    returned = proposal_transition(proposal=proposal, to_state=S.RETURNED, user=staff_user,
                                   comment="The budget table is missing.")
    assert (returned.state, returned.returned_from) == (S.RETURNED, state)
    for other in REVIEW_STATES:
        if other != state:
            with pytest.raises(ValidationError, match="goes back to the state it was returned from"):
                proposal_transition(proposal=returned, to_state=other, user=staff_user)
    back = proposal_transition(proposal=returned, to_state=state, user=staff_user, comment="Table received.")
    assert (back.state, back.returned_from) == (state, "")
    assert list(ProposalTransition.objects.filter(proposal=proposal).values_list("from_state", "to_state")) == [
        (state, S.RETURNED), (S.RETURNED, state)]


def test_a_proposal_can_be_returned_again_and_again(staff_user):
    proposal = make_proposal(state=S.SCREENING)
    for _round in range(3):
        proposal = proposal_transition(proposal=proposal, to_state=S.RETURNED, user=staff_user)
        proposal = proposal_transition(proposal=proposal, to_state=S.SCREENING, user=staff_user)
    assert ProposalTransition.objects.filter(proposal=proposal, to_state=S.RETURNED).count() == 3


# --- the RWG endorsement rule ------------------------------------------------------------------------


def test_a_recalcitrant_country_s_proposal_needs_the_rwg_endorsement_before_approval(admin_user):
    classify("XA", "recalcitrant", dt.date(2020, 4, 1))
    proposal = make_proposal(state=S.RECOMMENDED, shares=(("XA", 60), ("XB", 40)))
    with pytest.raises(ValidationError) as refused:
        proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user)
    message = " ".join(refused.value.messages)
    assert "Removals Working Group must endorse" in message and "XA" in message and "Approved" in message
    assert not Project.objects.exists() and not ProposalTransition.objects.exists()

    rwg = user_in_role("rwg_member")
    proposal_endorse(proposal=proposal, user=rwg, meeting_date=dt.date(2026, 1, 15), meeting_reference="RWG-26-01")
    approved = proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user)
    assert approved.state == S.APPROVED and approved.project is not None


def test_a_preventive_country_s_proposal_needs_no_endorsement(admin_user):
    classify("XC", "preventive", dt.date(2020, 4, 1))
    proposal = make_proposal(state=S.NOT_RECOMMENDED, shares=(("XC", 100),))
    assert proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user).state == S.APPROVED


def test_the_category_on_the_approval_date_decides(admin_user):
    today = timezone.localdate()
    classify("XD", "preventive", dt.date(2020, 4, 1))
    classify("XD", "recalcitrant", today + dt.timedelta(days=30))  # not yet in effect
    proposal = make_proposal(state=S.RECOMMENDED, shares=(("XD", 100),))
    assert proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user).state == S.APPROVED

    classify("XE", "recalcitrant", dt.date(2020, 4, 1))
    classify("XE", "preventive", today)  # no longer recalcitrant today
    other = make_proposal(state=S.RECOMMENDED, shares=(("XE", 100),))
    assert proposal_transition(proposal=other, to_state=S.APPROVED, user=admin_user).state == S.APPROVED


def test_declining_needs_no_endorsement(admin_user):
    classify("XA", "recalcitrant", dt.date(2020, 4, 1))
    proposal = make_proposal(state=S.RECOMMENDED)
    assert proposal_transition(proposal=proposal, to_state=S.DECLINED, user=admin_user).state == S.DECLINED


def test_who_may_record_the_endorsement():
    from django.core.exceptions import PermissionDenied

    proposal = make_proposal(state=S.RECOMMENDED)
    for role in ("auditor", "officer_cbsa"):
        with pytest.raises(PermissionDenied):
            proposal_endorse(proposal=proposal, user=user_in_role(role), meeting_date=dt.date(2026, 1, 15))
    endorsement = proposal_endorse(proposal=proposal, user=user_in_role("mcet_staff"),
                                   meeting_date=dt.date(2026, 1, 15), comment=" Endorsed. ")
    assert endorsement.comment == "Endorsed." and endorsement.recorded_by.username == "wf-mcet_staff"
    with pytest.raises(ValidationError, match="already recorded"):
        proposal_endorse(proposal=proposal, user=user_in_role("rwg_member"), meeting_date=dt.date(2026, 1, 15))


# --- approval creates the project --------------------------------------------------------------------


def test_approval_creates_the_project_with_its_countries_areas_and_funding(admin_user):
    Project.objects.create(reference="MCEE-2020-004", title_en="Older", partner=Partner.objects.create(
        acronym="UNODC", name_en="UNODC", organisation_type="40"), approved_amount=Decimal("1"),
        planned_start=dt.date(2020, 4, 1), planned_end=dt.date(2021, 3, 31))
    proposal = make_proposal(state=S.RECOMMENDED, shares=(("XA", 70), ("XB", 30)), amount=Decimal("300000"),
                             budget={2026: Decimal("100000"), 2027: Decimal("200000")})
    approved = proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user, comment="Funded.")
    project = approved.project
    assert project.reference == "MCEE-2026-005"
    assert project.proposal == approved
    assert (project.title_en, project.title_fr, project.partner.acronym) == (
        "Border data exchange", "Échange de données frontalières", "IOM")
    assert project.approved_amount == Decimal("300000") and project.status == ProjectStatus.ACTIVE
    assert (project.planned_start, project.planned_end) == (dt.date(2026, 4, 1), dt.date(2028, 3, 31))
    assert {(s.country.code.code, s.share) for s in project.country_shares.all()} == {
        ("XA", Decimal("70")), ("XB", Decimal("30"))}
    assert [a.code for a in project.priority_areas.all()] == ["border-management"]
    assert list(FundingLine.objects.filter(project=project).values_list("fiscal_year", "planned", "disbursed")) == [
        (2026, Decimal("100000"), Decimal("0")), (2027, Decimal("200000"), Decimal("0"))]


def test_references_run_on_across_years():
    assert next_project_reference(2026) == "MCEE-2026-001"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"amount": Decimal("3500000"), "budget": {2026: Decimal("3500000")}}, "at most $3,000,000"),
    ({"end": dt.date(2029, 9, 30)}, "up to 3 years (36 months)"),
    ({"shares": (("XA", 60), ("XB", 30))}, "add up to 90 %"),
    ({"budget": {2026: Decimal("1000")}}, "budget by fiscal year adds up to 1,000.00"),
])
def test_an_invalid_project_refuses_the_approval_and_writes_nothing(changes, expected, admin_user):
    proposal = make_proposal(state=S.RECOMMENDED, **changes)
    with pytest.raises(ValidationError) as refused:
        proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user)
    assert expected in " ".join(refused.value.messages)
    proposal.refresh_from_db()
    assert proposal.state == S.RECOMMENDED and proposal.project is None
    assert not Project.objects.exists() and not FundingLine.objects.exists()
    assert not ProposalTransition.objects.exists()


def test_refusals_are_said_in_french(admin_user):
    from django.utils import translation

    proposal = make_proposal(state=S.DRAFT)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        proposal_transition(proposal=proposal, to_state=S.APPROVED, user=admin_user)
    message = " ".join(refused.value.messages)
    # The sentence is translated through the catalogue; the states are named as the French screens name them.
    assert "Version provisoire" in message and "Approuvé" in message
