"""Fictional results for the demo portfolio, modelled on the evaluation's Finding 2: asylum registrations a
month rising from 1,380 to 2,900, traffickers identified and victims rescued, over 1,000 trafficking and
smuggling cases supported. PMF indicators they roll up into, report schedules with reports accepted,
submitted and overdue (IOM's, for the demo reporter to fill), and an approved key message linked to the
indicator results behind it.

Reports are dated from the projects' own dates, so the figures never move; the overdue one stays overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from projects.models import (
    Accumulation,
    EnvelopeIndicator,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    KeyMessage,
    KeyMessageStatus,
    Outcome,
    PartnerReport,
    PartnerReportTransition,
    PartnerReportValue,
    Project,
    ReportFrequency,
    ReportSchedule,
    ReportStatus,
    Result,
)
from projects.reporting_services import report_schedule_save, schedule_periods

PMF = [
    # code, English, French, unit, outcome, higher is better
    ("PMF-1", "Asylum registrations a month", "Enregistrements de demandes d’asile par mois",
     "registrations a month", "IMM-2", True),
    ("PMF-2", "Trafficking and smuggling cases supported", "Affaires de traite et de trafic appuyées", "cases",
     "IMM-2", True),
    ("PMF-3", "Immigration officials trained", "Agents d’immigration formés", "officials", "OUT-3", True),
    ("PMF-4", "Median days to issue a travel document", "Nombre médian de jours pour délivrer un document de voyage",
     "days", "IMM-3", False),
]


@dataclass(frozen=True)
class DemoIndicator:
    name_en: str
    name_fr: str
    unit: str
    accumulation: str
    baseline: int | None
    target: int | None
    actuals: tuple  # one per period, in order; None where nothing is reported yet
    targets: tuple = ()  # one per period (empty: none)
    pmf: str = ""
    ascending: bool = True
    kind: str = IndicatorKind.QUANTITATIVE


@dataclass(frozen=True)
class DemoResult:
    reference: str
    outcome: str
    title_en: str
    title_fr: str
    indicators: tuple[DemoIndicator, ...]
    frequency: str = ReportFrequency.ANNUAL


SPECIAL = [
    DemoResult("MCEE-2019-002", "IMM-2", "XF's refugee agency registers asylum claims promptly",
               "L’organisme des réfugiés de XF enregistre les demandes d’asile sans délai",
               (DemoIndicator("Asylum registrations a month", "Enregistrements de demandes d’asile par mois",
                              "registrations a month", Accumulation.LATEST, 1380, 2500,
                              (1450, 1700, 2300, 2900), (1500, 1900, 2300, 2500), pmf="PMF-1"),)),
    DemoResult("MCEE-2020-004", "IMM-2", "Smuggling networks investigated and prosecuted",
               "Réseaux de trafic de migrants visés par des enquêtes et des poursuites",
               (DemoIndicator("Trafficking and smuggling cases supported", "Affaires de traite et de trafic appuyées",
                              "cases", Accumulation.SUM, 0, 300, (60, 120, 150), (50, 100, 150), pmf="PMF-2"),)),
    DemoResult("MCEE-2021-008", "IMM-2", "Trafficking cases prosecuted and victims protected",
               "Affaires de traite poursuivies et victimes protégées",
               (DemoIndicator("Trafficking and smuggling cases supported", "Affaires de traite et de trafic appuyées",
                              "Cases", Accumulation.SUM, 0, 900, (240, 410, 380, 95), (200, 300, 300, 100),
                              pmf="PMF-2"),
                DemoIndicator("Victims rescued", "Victimes secourues", "victims", Accumulation.SUM, 0, 80,
                              (20, 45, 30, 5), (20, 30, 20, 10)),
                DemoIndicator("Traffickers identified and extradited", "Trafiquants identifiés et extradés", "",
                              Accumulation.SUM, None, None,
                              ("Investigations opened.", "Two traffickers identified.", "A third extradited.",
                               "Cases handed to national prosecutors."), kind=IndicatorKind.QUALITATIVE))),
    DemoResult("MCEE-2022-010", "IMM-3", "Consular staff issue travel documents on time",
               "Le personnel consulaire délivre les documents de voyage à temps",
               (DemoIndicator("Median days to issue a travel document", "Nombre médian de jours pour délivrer un "
                              "document de voyage", "days", Accumulation.LATEST, 120, 30, (95, 60, 30), (90, 60, 30),
                              pmf="PMF-4", ascending=False),)),
    DemoResult("MCEE-2021-009", "OUT-3", "Labour migration officials trained",
               "Agents de la migration de main-d’œuvre formés",
               (DemoIndicator("Immigration officials trained", "Agents d’immigration formés", "officials",
                              Accumulation.SUM, 0, 240, (35, 42, 38, 44, 40, None), (40,) * 6, pmf="PMF-3"),),
               frequency=ReportFrequency.SEMI_ANNUAL),
]
SPECIAL_REFERENCES = {r.reference for r in SPECIAL}

# Projects with a report schedule: the reports before the last ``open`` ones are accepted; the last ones
# stay as they are named (IOM's overdue, to be filled by the demo reporter; UNHCR's submitted to MCET).
SCHEDULES = {
    "MCEE-2021-009": ReportFrequency.SEMI_ANNUAL,  # IOM: the last report is overdue
    "MCEE-2022-010": ReportFrequency.ANNUAL,  # UNHCR: the last report is submitted
    "MCEE-2023-012": ReportFrequency.ANNUAL,  # UNODC: every report accepted
}
LAST_REPORT = {"MCEE-2021-009": ReportStatus.DRAFT, "MCEE-2022-010": ReportStatus.SUBMITTED}


def _generic(project: Project, index: int) -> DemoResult:
    periods = len(schedule_periods(start=project.planned_start, end=project.planned_end,
                                   frequency=ReportFrequency.ANNUAL))
    return DemoResult(project.reference, "OUT-3", "Immigration officials trained", "Agents d’immigration formés",
                      (DemoIndicator("Immigration officials trained", "Agents d’immigration formés", "officials",
                                     Accumulation.SUM, 0, 40 * periods,
                                     tuple(30 + (index * 7 + n * 5) % 20 for n in range(periods)), (40,) * periods,
                                     pmf="PMF-3"),))


def _value(value):
    return None if value is None or isinstance(value, str) else Decimal(value)


@transaction.atomic
def load_demo_results() -> dict[str, int]:
    if Result.objects.exists():
        return {"indicators": Indicator.objects.count(), "partner_reports": PartnerReport.objects.count()}
    outcomes = {o.code: o for o in Outcome.objects.all()}
    pmf = {}
    for code, name_en, name_fr, unit, outcome, ascending in PMF:
        pmf[code], _ = EnvelopeIndicator.objects.get_or_create(code=code, defaults={
            "name_en": name_en, "name_fr": name_fr, "unit": unit, "outcome": outcomes[outcome], "ascending": ascending})
    projects = {p.reference: p for p in Project.objects.order_by("reference")}
    specs = list(SPECIAL) + [_generic(p, i) for i, p in enumerate(projects.values())
                             if p.reference not in SPECIAL_REFERENCES]
    for spec in specs:
        project = projects[spec.reference]
        frequency = SCHEDULES.get(spec.reference, spec.frequency)
        periods = schedule_periods(start=project.planned_start, end=project.planned_end, frequency=frequency)
        result = Result(project=project, outcome=outcomes[spec.outcome], title_en=spec.title_en, title_fr=spec.title_fr)
        result.full_clean()
        result.save()
        for item in spec.indicators:
            quantitative = item.kind == IndicatorKind.QUANTITATIVE
            indicator = Indicator(
                result=result, name_en=item.name_en, name_fr=item.name_fr, kind=item.kind, unit=item.unit,
                accumulation=item.accumulation, ascending=item.ascending, baseline_value=_value(item.baseline),
                baseline_date=project.planned_start if quantitative else None, target_value=_value(item.target),
                target_date=project.planned_end if quantitative else None,
                pmf_indicator=pmf[item.pmf] if item.pmf else None)
            indicator.full_clean()
            indicator.save()
            for n, (start, end) in enumerate(periods[:len(item.actuals)]):
                actual = item.actuals[n]
                period = IndicatorPeriod(indicator=indicator, period_start=start, period_end=end,
                                         target_value=_value(item.targets[n]) if item.targets else None,
                                         actual_value=_value(actual) if quantitative else None,
                                         actual_text=actual if isinstance(actual, str) else "")
                period.full_clean()
                period.save()
    reports = _load_reports(projects)
    _link_evidence()
    return {"indicators": Indicator.objects.count(), "partner_reports": reports}


def _load_reports(projects) -> int:
    """Schedules generate the reports; past ones are recorded as accepted, the last one as named."""
    decided = timezone.make_aware(dt.datetime(2025, 5, 15, 10, 0))
    count = 0
    for reference, frequency in SCHEDULES.items():
        project = projects[reference]
        reports = report_schedule_save(schedule=ReportSchedule(project=project, frequency=frequency, due_days=30))
        last_status = LAST_REPORT.get(reference, ReportStatus.ACCEPTED)
        indicators = list(Indicator.objects.filter(result__project=project).order_by("pk"))
        for n, report in enumerate(reports):
            status = last_status if n == len(reports) - 1 else ReportStatus.ACCEPTED
            if status == ReportStatus.DRAFT:
                continue  # left for the partner to fill
            report.narrative = "Fictional demonstration report: activities went as planned."
            report.risks = "Staff turnover in the counterpart ministry."
            report.next_steps = "Continue the training cycle."
            report.status = status
            report.submitted_at = decided
            report.full_clean()
            report.save()
            PartnerReportTransition.objects.create(report=report, from_status=ReportStatus.DRAFT,
                                                   to_status=ReportStatus.SUBMITTED, at=decided,
                                                   comment="Demonstration data.")
            for indicator in indicators:
                period = indicator.periods.filter(period_start=report.period_start).first()
                if period is None:
                    continue
                PartnerReportValue.objects.create(report=report, indicator=indicator,
                                                  value=period.actual_value if indicator.quantitative else None,
                                                  text=period.actual_text)
                if status == ReportStatus.ACCEPTED:
                    period.source_report = report
                    period.save()
                else:  # submitted, not yet accepted: the actual is not the indicator's result yet
                    period.actual_value, period.actual_text = None, ""
                    period.save()
            if status == ReportStatus.ACCEPTED:
                PartnerReportTransition.objects.create(report=report, from_status=ReportStatus.SUBMITTED,
                                                       to_status=ReportStatus.ACCEPTED, at=decided,
                                                       comment="Demonstration data.")
        count += len(reports)
    return count


def _link_evidence() -> None:
    """The approved message on XF's asylum registrations rests on the last two reported periods."""
    message = KeyMessage.objects.filter(project__reference="MCEE-2019-002", status=KeyMessageStatus.APPROVED).first()
    if message is None or message.evidence_periods.exists():
        return
    periods = IndicatorPeriod.objects.filter(indicator__result__project=message.project,
                                             actual_value__isnull=False).order_by("-period_end")[:2]
    message.evidence_periods.set(list(periods))
