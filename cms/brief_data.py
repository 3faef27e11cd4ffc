"""The country brief as data: one object per country, date, language and reader, built here and nowhere
else, then laid out once (``cms.brief_layout``) and rendered twice (the reader page and the PDF).

It adds no data of its own: every figure comes from the selectors of ``countries``, ``projects`` and
``engagements``, and every record through ``mcee.access``, so a reader sees in a brief exactly what the
policy lets them see elsewhere (no escalation step or engagement plan without the right to them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext

from countries.models import Category, CountryClassification
from countries.selectors import (
    category_from_history,
    category_history_by_country,
    td_completeness,
    td_target_days,
    td_timeliness,
)
from engagements.models import (
    Engagement,
    EngagementPlan,
    EngagementStatus,
    EscalationStep,
    FollowUp,
    FollowUpStatus,
    RWGDecision,
)
from engagements.selectors.responsibilities import RaciMatrix, raci_for_country
from mcee.access import VIEW, can, can_see_field, visible
from mcee.fiscal import FiscalQuarter, FiscalYear
from mcee.i18n import localized
from mcee.markings import marking_for
from projects.models import KeyMessage, KeyMessageStatus, Project, ProjectStatus
from projects.results_selectors import IndicatorResult, indicator_results_for_projects

TD_QUARTERS = 8
RECENT_ENGAGEMENTS = 6
UPCOMING_ENGAGEMENTS = 6
# Projects a brief shows: those committed to (the pipeline stays with MCET).
BRIEF_PROJECT_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.FINALISATION, ProjectStatus.CLOSED,
                          ProjectStatus.SUSPENDED)


@dataclass(frozen=True)
class CategoryChange:
    effective_date: dt.date
    category: str
    category_label: str
    rationale: str  # blank for a reader who may not see it


@dataclass(frozen=True)
class EscalationLine:
    level: int
    label: str
    effective_date: dt.date


@dataclass(frozen=True)
class PlanLine:
    version: int
    plan_type: str
    status: str
    review_date: dt.date | None
    objectives: str


@dataclass(frozen=True)
class TdQuarter:
    label: str
    start: dt.date
    end: dt.date
    requested: int | None
    issued: int | None
    refused: int | None
    median_days: Decimal | None
    within_target_share: Decimal | None
    source: str
    warning: str


@dataclass(frozen=True)
class ProjectLine:
    pk: int
    reference: str
    title: str
    partner: str
    amount: Decimal
    status: str
    priority_areas: list[str]
    planned_start: dt.date
    planned_end: dt.date
    results: list[IndicatorResult]


@dataclass(frozen=True)
class KeyMessageLine:
    project_reference: str
    text: str


@dataclass(frozen=True)
class EngagementLine:
    pk: int
    date: dt.date
    status: str
    kind: str
    level: str
    lead: str
    removals_raised: bool
    projects_leveraged: list[str]
    no_project_used: bool
    outcome: str

    @property
    def leveraged(self) -> bool:
        return bool(self.projects_leveraged)


@dataclass(frozen=True)
class FollowUpLine:
    action: str
    owner: str
    due_date: dt.date
    status: str
    overdue: bool


@dataclass(frozen=True)
class TimelineEvent:
    date: dt.date
    kind: str  # "engagement", "project", "decision"
    label: str
    leveraged: bool = False


@dataclass
class CountryBrief:
    code: str
    name: str
    language: str
    on: dt.date
    marking: str
    category: str
    category_label: str
    category_history: list[CategoryChange]
    may_see_escalation: bool
    escalation: EscalationLine | None
    may_see_plan: bool
    plan: PlanLine | None
    td_target_days: int
    td_quarters: list[TdQuarter]
    completeness_warnings: list[str]
    projects: list[ProjectLine]
    key_messages: list[KeyMessageLine]
    recent_engagements: list[EngagementLine]
    upcoming_engagements: list[EngagementLine]
    follow_ups: list[FollowUpLine]
    raci: RaciMatrix
    timeline: list[TimelineEvent] = field(default_factory=list)
    narrative: str = ""  # rich text (HTML) in the brief's language, from the brief page

    @property
    def title(self) -> str:
        with translation.override(self.language):
            return gettext("Country brief: %(country)s") % {"country": self.name}


def _td_quarters(country, quarters: list[FiscalQuarter], language: str) -> list[TdQuarter]:
    rows = td_timeliness(country=country, period="quarter", start=quarters[0].start, end=quarters[-1].end)
    by_start = {row.start: row for row in rows}
    lines = []
    for quarter in quarters:
        row = by_start.get(quarter.start)
        lines.append(TdQuarter(
            label=quarter.localized_label(language), start=quarter.start, end=quarter.end,
            requested=row.requested if row else None, issued=row.issued if row else None,
            refused=row.refused if row else None, median_days=row.median_days if row else None,
            within_target_share=row.within_target_share if row else None,
            source=row.source if row else "", warning=str(row.warning) if row and row.warning else ""))
    return lines


def _completeness(country, on: dt.date, language: str) -> list[str]:
    warnings = []
    last_complete_month = on.replace(day=1) - dt.timedelta(days=1)  # the running month is not expected yet
    for fiscal_year in (FiscalYear.of(on).previous(), FiscalYear.of(on)):
        if fiscal_year.start > last_complete_month:
            continue
        for row in td_completeness(fiscal_year=fiscal_year, today=last_complete_month, countries=[country]):
            label = fiscal_year.localized_label(language)
            if row.months_without_data:
                warnings.append(gettext("%(year)s: no travel-document data for %(count)s of %(expected)s months "
                                        "(%(months)s).") % {
                    "year": label, "count": len(row.months_without_data), "expected": row.months_expected,
                    "months": ", ".join(row.months_without_data)})
            if row.months_missing_inventory:
                warnings.append(gettext("%(year)s: the number of people added to the removals inventory is "
                                        "missing for %(count)s of %(expected)s months.") % {
                    "year": label, "count": len(row.months_missing_inventory), "expected": row.months_expected})
    return warnings


def _engagement_line(engagement: Engagement, language: str) -> EngagementLine:
    return EngagementLine(
        pk=engagement.pk, date=engagement.date, status=str(engagement.get_status_display()),
        kind=str(engagement.get_kind_display()), level=str(engagement.get_level_display()),
        lead=str(localized(engagement.lead_department, "acronym", language)),
        removals_raised=engagement.removals_raised,
        projects_leveraged=sorted(p.reference for p in engagement.projects_leveraged.all()),
        no_project_used=engagement.no_project_leveraged, outcome=engagement.outcome)


def country_brief(*, country, user, on: dt.date | None = None, language: str = "en",
                  narrative: str = "") -> CountryBrief:
    """The brief of ``country`` as ``user`` may read it on the date ``on`` (today by default), with its
    labels in ``language``. The number of queries does not depend on how much data the country has."""
    on = on or timezone.localdate()
    with translation.override(language):
        history = category_history_by_country(country_ids=[country.pk]).get(country.pk, [])
        category = category_from_history(history, on)
        may_see_rationale = can_see_field(user, CountryClassification, "rationale")
        classifications = (visible(user, CountryClassification.objects.filter(country=country, effective_date__lte=on))
                           .order_by("effective_date"))
        category_history = [
            CategoryChange(effective_date=c.effective_date, category=c.category,
                           category_label=str(c.get_category_display()),
                           rationale=c.rationale if may_see_rationale else "")
            for c in classifications]

        escalations = visible(user, EscalationStep.objects.filter(country=country, effective_date__lte=on))
        may_see_escalation = _may_view(user, EscalationStep)
        step = escalations.order_by("-effective_date", "-pk").first()
        escalation = (EscalationLine(level=step.level, label=str(step.get_level_display()),
                                     effective_date=step.effective_date) if step else None)

        may_see_plan = _may_view(user, EngagementPlan)
        plan_row = (visible(user, EngagementPlan.objects.filter(country=country)).order_by("-version").first()
                    if may_see_plan else None)
        plan = (PlanLine(version=plan_row.version, plan_type=str(plan_row.get_plan_type_display()),
                         status=str(plan_row.get_status_display()), review_date=plan_row.review_date,
                         objectives=str(localized(plan_row, "objectives", language)))
                if plan_row else None)

        # The last complete quarters before ``on``: a running quarter would set a part against wholes.
        quarters = FiscalQuarter.last(TD_QUARTERS, ending=FiscalQuarter.of(on).previous())
        td_quarters = _td_quarters(country, quarters, language)
        completeness = (_completeness(country, on, language)
                        if category in (Category.RECALCITRANT, Category.PREVENTIVE, Category.AT_RISK) else [])

        projects = list(
            visible(user, Project.objects.filter(country_shares__country=country, status__in=BRIEF_PROJECT_STATUSES))
            .select_related("partner").prefetch_related("priority_areas").order_by("planned_start", "reference"))
        results = indicator_results_for_projects(projects=projects)
        project_lines = [
            ProjectLine(pk=p.pk, reference=p.reference, title=str(localized(p, "title", language)),
                        partner=(p.partner.acronym_fr if language == "fr" and p.partner.acronym_fr
                                 else p.partner.acronym), amount=p.approved_amount,
                        status=str(p.get_status_display()),
                        priority_areas=[str(localized(a, "name", language)) for a in p.priority_areas.all()],
                        planned_start=p.planned_start, planned_end=p.planned_end, results=results.get(p.pk, []))
            for p in projects]

        messages = (visible(user, KeyMessage.objects.filter(country=country, status=KeyMessageStatus.APPROVED))
                    .select_related("project").order_by("project__reference", "pk"))
        key_messages = [KeyMessageLine(project_reference=m.project.reference, text=str(localized(m, "text", language)))
                        for m in messages]

        engagements = (visible(user, Engagement.objects.filter(country=country))
                       .select_related("lead_department")
                       .prefetch_related(Prefetch("projects_leveraged", queryset=Project.objects.only("reference"))))
        recent = list(engagements.filter(date__lte=on, status=EngagementStatus.HELD)
                      .order_by("-date", "-pk")[:RECENT_ENGAGEMENTS])
        upcoming = list(engagements.filter(date__gt=on, status=EngagementStatus.PLANNED)
                        .order_by("date", "pk")[:UPCOMING_ENGAGEMENTS])

        follow_ups = [
            FollowUpLine(action=f.action, owner=str(localized(f.owner_department, "acronym", language)),
                         due_date=f.due_date, status=str(f.get_status_display()), overdue=f.due_date < on)
            for f in visible(user, FollowUp.objects.filter(engagement__country=country)
                             .exclude(status__in=[FollowUpStatus.DONE, FollowUpStatus.CANCELLED]))
            .select_related("owner_department").order_by("due_date", "pk")]

        timeline = _timeline(user, country, quarters[0].start, on, project_lines, language)
        return CountryBrief(
            code=country.code.code, name=str(country.code.name), language=language, on=on,
            marking=marking_for(language), category=category, category_label=str(Category(category).label),
            category_history=category_history, may_see_escalation=may_see_escalation, escalation=escalation,
            may_see_plan=may_see_plan, plan=plan, td_target_days=td_target_days(country=country),
            td_quarters=td_quarters, completeness_warnings=completeness, projects=project_lines,
            key_messages=key_messages,
            recent_engagements=[_engagement_line(e, language) for e in recent],
            upcoming_engagements=[_engagement_line(e, language) for e in upcoming],
            follow_ups=follow_ups, raci=raci_for_country(country=country), timeline=timeline, narrative=narrative)


def _may_view(user, model) -> bool:
    return bool(can(user, VIEW, model).allowed)


def _timeline(user, country, start: dt.date, on: dt.date, projects: list[ProjectLine], language: str
              ) -> list[TimelineEvent]:
    """Engagements held, project starts and ends, and RWG decisions about the country, oldest first."""
    events = []
    held = (visible(user, Engagement.objects.filter(country=country, status=EngagementStatus.HELD,
                                                    date__range=(start, on)))
            .select_related("lead_department").prefetch_related("projects_leveraged").order_by("date", "pk"))
    for engagement in held:
        line = _engagement_line(engagement, language)
        events.append(TimelineEvent(date=line.date, kind="engagement", leveraged=line.leveraged,
                                    label=f"{line.kind} ({line.lead})" + (
                                        f" — {', '.join(line.projects_leveraged)}" if line.leveraged else "")))
    for project in projects:
        for day, text in ((project.planned_start, gettext("%(ref)s starts")),
                          (project.planned_end, gettext("%(ref)s ends"))):
            if start <= day <= on:
                events.append(TimelineEvent(date=day, kind="project", label=text % {"ref": project.reference}))
    decisions = (visible(user, RWGDecision.objects.filter(country=country, meeting__date__range=(start, on)))
                 .select_related("meeting").order_by("meeting__date", "pk"))
    for decision in decisions:
        events.append(TimelineEvent(date=decision.meeting.date, kind="decision",
                                    label=str(decision.get_kind_display())))
    return sorted(events, key=lambda e: (e.date, e.kind))


def brief_narrative(*, country, language: str) -> str:
    """The narrative editors wrote on the country's brief page in that language ("" when there is none)."""
    from .models import CountryBriefPage

    return (CountryBriefPage.objects.filter(country=country, locale__language_code=language)
            .values_list("narrative", flat=True).first() or "")
