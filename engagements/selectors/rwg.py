"""Reads for the RWG: current escalation steps and plans, derived from their histories."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from countries.models import Country

from ..models import EngagementPlan, EscalationStep, PlanStatus, RWGDecision


def escalation_current(*, country: Country, on: dt.date | None = None) -> EscalationStep | None:
    """The step in effect on a date (today by default), or None before any step."""
    on = on or timezone.localdate()
    return (EscalationStep.objects.filter(country=country, effective_date__lte=on)
            .order_by("-effective_date").first())


def countries_with_escalation(*, on: dt.date | None = None) -> QuerySet[Country]:
    """Countries annotated with ``escalation_level`` and ``escalation_since``: the step in effect on
    a date and when it took effect, in one query."""
    on = on or timezone.localdate()
    in_effect = (EscalationStep.objects.filter(country=OuterRef("pk"), effective_date__lte=on)
                 .order_by("-effective_date"))
    return Country.objects.annotate(escalation_level=Subquery(in_effect.values("level")[:1]),
                                    escalation_since=Subquery(in_effect.values("effective_date")[:1]))


def plan_current(*, country: Country) -> EngagementPlan | None:
    return (EngagementPlan.objects.filter(country=country, status=PlanStatus.APPROVED)
            .prefetch_related("indicators", "incentive_projects").first())


def plan_history(*, country: Country) -> QuerySet[EngagementPlan]:
    """Every version of a country's plan, newest first, with the decision that approved each."""
    return (EngagementPlan.objects.filter(country=country).order_by("-version")
            .prefetch_related("rwg_decisions__meeting"))


def decisions_for_country(*, country: Country) -> QuerySet[RWGDecision]:
    return (RWGDecision.objects.filter(country=country)
            .select_related("meeting", "classification", "plan", "escalation_step")
            .order_by("-meeting__date", "-pk"))
