"""Writes for the Removals Working Group: every decision goes through here, in one transaction with
what it changes, so a decision always links to the record it made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from countries.models import Country
from countries.services import country_classify

from ..models import (
    DecisionKind,
    EngagementPlan,
    EscalationStep,
    PlanIndicator,
    PlanStatus,
    RWGDecision,
    RWGMeeting,
)


def _decision(*, meeting: RWGMeeting, country: Country, kind: str, summary: str, user=None, **links) -> RWGDecision:
    decision = RWGDecision(meeting=meeting, country=country, kind=kind, summary=summary,
                           recorded_by=user if getattr(user, "is_authenticated", False) else None, **links)
    decision.full_clean()
    decision.save()
    meeting.agenda_countries.add(country)
    return decision


@transaction.atomic
def rwg_decide_classification(*, meeting: RWGMeeting, country: Country, category: str,
                              effective_date: dt.date, rationale: str, summary: str = "", user=None) -> RWGDecision:
    """The RWG classifies a country: the classification and the decision that made it, together."""
    if effective_date < meeting.date:
        # A decision cannot take effect before the meeting that took it.
        raise ValidationError({"effective_date": _("A classification decided at a meeting takes effect on the "
                                                   "meeting's date or later.")})
    classification = country_classify(country=country, category=category, effective_date=effective_date,
                                      rationale=rationale)
    return _decision(meeting=meeting, country=country, kind=DecisionKind.CLASSIFY, summary=summary, user=user,
                     classification=classification)


def next_plan_version(country: Country) -> int:
    return (EngagementPlan.objects.filter(country=country).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def plan_create(*, country: Country, plan_type: str, objectives_en: str, objectives_fr: str = "",
                negative_levers: str = "", review_date: dt.date | None = None, incentive_projects: Iterable = (),
                indicators: Iterable[dict] = (), user=None) -> EngagementPlan:
    """A new draft plan for a country, numbered after its latest version."""
    plan = EngagementPlan(country=country, version=next_plan_version(country), plan_type=plan_type,
                          status=PlanStatus.DRAFT, objectives_en=objectives_en, objectives_fr=objectives_fr,
                          negative_levers=negative_levers, review_date=review_date,
                          created_by=user if getattr(user, "is_authenticated", False) else None)
    plan.full_clean()
    plan.save()
    plan.incentive_projects.set(list(incentive_projects))
    plan.save()
    for values in indicators:
        indicator = PlanIndicator(plan=plan, **values)
        indicator.full_clean()
        indicator.save()
    return plan


@transaction.atomic
def plan_revise(*, plan: EngagementPlan, user=None) -> EngagementPlan:
    """Start a revision: a new draft version copying the plan, its incentives and its indicators.
    The plan revised stays as it is (approved plans are never edited)."""
    if EngagementPlan.objects.filter(country=plan.country, status=PlanStatus.DRAFT).exists():
        raise ValidationError(_("This country already has a draft plan; finish or delete it first."))
    return plan_create(
        country=plan.country, plan_type=plan.plan_type, objectives_en=plan.objectives_en,
        objectives_fr=plan.objectives_fr, negative_levers=plan.negative_levers, review_date=plan.review_date,
        incentive_projects=plan.incentive_projects.all(), user=user,
        indicators=[{"name_en": i.name_en, "name_fr": i.name_fr, "unit": i.unit, "baseline_value": i.baseline_value,
                     "baseline_date": i.baseline_date, "target_value": i.target_value, "target_date": i.target_date}
                    for i in plan.indicators.all()])


@transaction.atomic
def rwg_approve_plan(*, meeting: RWGMeeting, plan: EngagementPlan, summary: str = "", user=None) -> RWGDecision:
    """The RWG approves a draft plan; the version approved before it (if any) is superseded."""
    plan = EngagementPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"plan": _("Only a draft plan can be approved; this one is %(status)s.")
                               % {"status": plan.get_status_display().lower()}})
    if not plan.indicators.exists():
        raise ValidationError({"plan": _("A plan needs at least one indicator with a baseline and a target "
                                         "before it can be approved.")})
    previous = EngagementPlan.objects.filter(country=plan.country, status=PlanStatus.APPROVED)
    kind = DecisionKind.REVISE_PLAN if previous.exists() else DecisionKind.APPROVE_PLAN
    for old in previous:
        old.status = PlanStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    plan.status = PlanStatus.APPROVED
    plan.save(update_fields=["status", "updated_at"])
    return _decision(meeting=meeting, country=plan.country, kind=kind, summary=summary, user=user, plan=plan)


@transaction.atomic
def escalation_record(*, country: Country, level: int, effective_date: dt.date, rationale: str = "",
                      cabinet_approval_date: dt.date | None = None,
                      cabinet_approval_reference: str = "") -> EscalationStep:
    """Record a country's step on the ladder; visa measures only with their Cabinet approval."""
    step = EscalationStep(country=country, level=level, effective_date=effective_date, rationale=rationale,
                          cabinet_approval_date=cabinet_approval_date,
                          cabinet_approval_reference=cabinet_approval_reference)
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def rwg_decide_escalation(*, meeting: RWGMeeting, country: Country, level: int, effective_date: dt.date,
                          rationale: str = "", cabinet_approval_date: dt.date | None = None,
                          cabinet_approval_reference: str = "", summary: str = "", user=None) -> RWGDecision:
    step = escalation_record(country=country, level=level, effective_date=effective_date, rationale=rationale,
                             cabinet_approval_date=cabinet_approval_date,
                             cabinet_approval_reference=cabinet_approval_reference)
    return _decision(meeting=meeting, country=country, kind=DecisionKind.ESCALATE, summary=summary, user=user,
                     escalation_step=step)


@transaction.atomic
def rwg_note_progress(*, meeting: RWGMeeting, country: Country, summary: str, user=None) -> RWGDecision:
    if not summary.strip():
        raise ValidationError({"summary": _("Say what progress the meeting noted.")})
    return _decision(meeting=meeting, country=country, kind=DecisionKind.PROGRESS, summary=summary, user=user)
