"""Every write to partner reporting: the schedule and the reports it generates, what the partner writes,
and the report cycle, declared here in one table:

    to be submitted --submit--> submitted --accept--> accepted
                                    |  ^
                              return|  |resubmit
                                    v  |
                                 returned

The partner's reporters (or MCET on their behalf) fill and submit; MCET accepts or returns with a comment.
Accepting writes the report's actuals into the indicator periods, in the same transaction. Every change of
status is recorded with who, when and the comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mcee import access
from mcee.fiscal import FiscalYear
from mcee.roles import MCET_ADMIN, MCET_STAFF, PARTNER_REPORTER

from .models import (
    FREQUENCY_MONTHS,
    IndicatorPeriod,
    PartnerReport,
    PartnerReportTransition,
    PartnerReportValue,
    ReportSchedule,
    ReportStatus,
)
from .models import ReportStatus as S
from .results_services import validate_periods_do_not_overlap

MCET = frozenset({MCET_ADMIN.code, MCET_STAFF.code})
PARTNER_OR_MCET = MCET | {PARTNER_REPORTER}


@dataclass(frozen=True)
class ReportTransition:
    source: str
    target: str
    roles: frozenset[str]
    action: object  # the button's label


TRANSITIONS = (
    ReportTransition(S.DRAFT, S.SUBMITTED, PARTNER_OR_MCET, gettext_lazy("Submit to MCET")),
    ReportTransition(S.RETURNED, S.SUBMITTED, PARTNER_OR_MCET, gettext_lazy("Submit again to MCET")),
    ReportTransition(S.SUBMITTED, S.ACCEPTED, MCET, gettext_lazy("Accept")),
    ReportTransition(S.SUBMITTED, S.RETURNED, MCET, gettext_lazy("Return to the partner")),
)


def _label(status: str) -> str:
    return str(ReportStatus(status).label)


def transition_for(source: str, target: str) -> ReportTransition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def available_transitions(*, report: PartnerReport, user) -> list[ReportTransition]:
    """The moves this user may make now: the table, their role, and their reach over this report."""
    if not access.can(user, access.VIEW, report):
        return []
    roles = access.roles_of(user)
    found = []
    for t in TRANSITIONS:
        if t.source != report.status or not (user.is_superuser or t.roles & roles):
            continue
        # A reporter who is not MCET moves only reports they may still change (their own, open ones).
        if not (user.is_superuser or roles & MCET) and not access.can(user, access.CHANGE, report):
            continue
        found.append(t)
    return found


# --- the schedule -------------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def schedule_periods(*, start: dt.date, end: dt.date, frequency: str) -> list[tuple[dt.date, dt.date]]:
    """Reporting periods that follow the fiscal year (quarters from April, halves from April and October,
    years from April), clipped to the project's dates."""
    months = FREQUENCY_MONTHS[frequency]
    periods = []
    begin = FiscalYear.of(start).start
    while begin <= end:
        following = _add_months(begin, months)
        last = following - dt.timedelta(days=1)
        if last >= start:
            periods.append((max(begin, start), min(last, end)))
        begin = following
    return periods


def _project_dates(project) -> tuple[dt.date, dt.date]:
    return project.actual_start or project.planned_start, project.actual_end or project.planned_end


def _untouched(report: PartnerReport) -> bool:
    return (report.status == S.DRAFT and not (report.narrative or report.risks or report.next_steps)
            and not report.values.exists())


@transaction.atomic
def report_schedule_save(*, schedule: ReportSchedule) -> list[PartnerReport]:
    """Save a project's schedule and generate the reports it expects, each with its period and due date.

    Idempotent: a report already there keeps its content and history; an untouched one whose period no
    longer fits the schedule is removed, and one that still fits gets the schedule's due date."""
    schedule.full_clean()
    schedule.save()
    project = schedule.project
    start, end = _project_dates(project)
    wanted = schedule_periods(start=start, end=end, frequency=schedule.frequency)
    existing = {r.period_start: r for r in PartnerReport.objects.filter(project=project)}
    kept = []
    for period_start, period_end in wanted:
        due_on = period_end + dt.timedelta(days=schedule.due_days)
        report = existing.pop(period_start, None)
        if report is None:
            report = PartnerReport(project=project, period_start=period_start, period_end=period_end, due_on=due_on)
        elif _untouched(report):
            report.period_end, report.due_on = period_end, due_on
        else:
            kept.append(report)
            continue
        report.full_clean()
        report.save()
        kept.append(report)
    for report in existing.values():
        if _untouched(report):
            report.delete()
    return sorted(kept, key=lambda r: r.period_start)


# --- what the partner writes --------------------------------------------------------------------------


def _require(user, action, report, message):
    decision = access.can(user, action, report)
    if not decision:
        raise PermissionDenied(message or str(decision.reason))


def _project_indicators(report: PartnerReport):
    from .models import Indicator

    return list(Indicator.objects.filter(result__project=report.project_id).select_related("result")
                .order_by("result", "pk"))


@transaction.atomic
def partner_report_save(*, report: PartnerReport, user, narrative: str = "", risks: str = "", next_steps: str = "",
                        values: dict[int, Decimal | str | None] | None = None) -> PartnerReport:
    """Save what the partner wrote: the three texts and, per indicator of the project, its actual for the
    period (a number for a quantitative indicator, a description for a qualitative one). Only while the
    report is to be submitted or returned."""
    locked = PartnerReport.objects.select_for_update().get(pk=report.pk)
    if not access.can(user, access.CHANGE, locked):
        if access.can(user, access.VIEW, locked) and not locked.is_open:
            raise ValidationError(_("This report is “%(status)s”: it can be changed only if MCET returns it.")
                                  % {"status": _label(locked.status)}, code="not_open")
        raise PermissionDenied(_("Your role may not change this report."))
    if not locked.is_open:
        raise ValidationError(_("This report is “%(status)s”: it can be changed only while it is to be submitted "
                                "or returned.") % {"status": _label(locked.status)}, code="not_open")
    indicators = {i.pk: i for i in _project_indicators(locked)}
    rows = []
    for indicator_id, given in (values or {}).items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            raise ValidationError(_("This indicator is not one of the project’s."), code="other_indicator")
        if indicator.quantitative:
            if given not in (None, "") and not isinstance(given, Decimal | int):
                raise ValidationError(_("The actual of “%(indicator)s” is a number.") % {"indicator": indicator},
                                      code="not_a_number")
            amount = None if given in (None, "") else Decimal(given)
            if amount is not None and amount < 0:
                raise ValidationError(_("The actual of “%(indicator)s” cannot be negative.")
                                      % {"indicator": indicator}, code="negative")
            rows.append((indicator, amount, ""))
        else:
            rows.append((indicator, None, str(given or "").strip()))
    locked.narrative, locked.risks, locked.next_steps = narrative.strip(), risks.strip(), next_steps.strip()
    locked.full_clean()
    locked.save()
    for indicator, amount, text in rows:
        PartnerReportValue.objects.update_or_create(report=locked, indicator=indicator,
                                                    defaults={"value": amount, "text": text})
    return locked


def missing_for_submission(report: PartnerReport) -> list[str]:
    """What a report still needs before it can be submitted (empty when complete)."""
    missing = []
    if not (report.narrative or "").strip():
        missing.append(_("the progress in the period"))
    values = {v.indicator_id: v for v in report.values.all()}
    for indicator in _project_indicators(report):
        value = values.get(indicator.pk)
        filled = value is not None and (value.value is not None if indicator.quantitative
                                        else bool((value.text or "").strip()))
        if not filled:
            missing.append(_("the actual of “%(indicator)s”") % {"indicator": indicator})
    return missing


# --- the report cycle ---------------------------------------------------------------------------------


def _move(*, report: PartnerReport, to_status: str, user, comment: str = "") -> PartnerReport:
    locked = PartnerReport.objects.select_for_update().get(pk=report.pk)
    if not access.can(user, access.VIEW, locked):
        raise PermissionDenied(_("This report does not exist or is outside what your role may see."))
    source = locked.status
    names = {"source": _label(source), "target": _label(to_status)}
    transition = transition_for(source, to_status)
    if transition is None:
        raise ValidationError(_("A report cannot go from “%(source)s” to “%(target)s”.") % names, code="not_allowed")
    if transition not in available_transitions(report=locked, user=user):
        raise ValidationError(_("Your role may not move a report from “%(source)s” to “%(target)s”.") % names,
                              code="role")
    locked.status = to_status
    if to_status == S.SUBMITTED:
        locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save()
    PartnerReportTransition.objects.create(report=locked, from_status=source, to_status=to_status, user=user,
                                           at=timezone.now(), comment=comment.strip())
    return locked


@transaction.atomic
def partner_report_submit(*, report: PartnerReport, user, comment: str = "") -> PartnerReport:
    """The partner (or MCET on its behalf) submits a complete report to MCET."""
    locked = PartnerReport.objects.get(pk=report.pk)
    if locked.is_open and access.can(user, access.VIEW, locked):
        missing = missing_for_submission(locked)
        if missing:
            raise ValidationError(_("The report cannot be submitted yet; it still needs %(missing)s.")
                                  % {"missing": "; ".join(missing)}, code="incomplete")
    return _move(report=report, to_status=S.SUBMITTED, user=user, comment=comment)


@transaction.atomic
def partner_report_return(*, report: PartnerReport, user, comment: str) -> PartnerReport:
    """MCET returns a submitted report to the partner, saying what to change."""
    if not (comment or "").strip():
        raise ValidationError(_("Say what the partner should change: a returned report needs a comment."),
                              code="comment_required")
    return _move(report=report, to_status=S.RETURNED, user=user, comment=comment)


@transaction.atomic
def partner_report_accept(*, report: PartnerReport, user, comment: str = "") -> PartnerReport:
    """MCET accepts a submitted report: each reported actual is written into the indicator's period for the
    report's dates (created when the indicator has none yet), all or nothing."""
    accepted = _move(report=report, to_status=S.ACCEPTED, user=user, comment=comment)
    for value in accepted.values.select_related("indicator__result__project"):
        indicator = value.indicator
        periods = list(IndicatorPeriod.objects.filter(indicator=indicator))
        period = next((p for p in periods if p.period_start == accepted.period_start), None)
        if period is not None and period.period_end != accepted.period_end:
            raise ValidationError(
                _("The indicator “%(indicator)s” has a period starting on %(start)s that ends on %(end)s, not on "
                  "%(report_end)s as this report’s: align the indicator’s periods with the report schedule first.")
                % {"indicator": indicator, "start": period.period_start.isoformat(),
                   "end": period.period_end.isoformat(), "report_end": accepted.period_end.isoformat()},
                code="period_mismatch")
        if period is None:
            period = IndicatorPeriod(indicator=indicator, period_start=accepted.period_start,
                                     period_end=accepted.period_end)
            periods.append(period)
            validate_periods_do_not_overlap(periods)
        period.actual_value = value.value if indicator.quantitative else None
        period.actual_text = value.text if not indicator.quantitative else period.actual_text
        period.source_report = accepted
        period.full_clean(validate_unique=False)
        period.save()
    return accepted
