"""Checks run before an IATI file is written: what the XML schema cannot see.

The schema checks structure only. IATI's own rules (and the MCEE's) on content are checked here, on the
data the selector gathered: country percentages add up to 100, budget periods last at most a year, a value
on every non-qualitative baseline and actual (and none on qualitative ones), no actual date or disbursement
in the future, titles in both official languages. Each problem names the project (its reference) and the
field to correct. The export writes nothing while any problem remains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from mcee.fiscal import FiscalYear

from .selectors import Activity, Publication

HUNDRED = Decimal("100")
# Characters an iati-identifier may not hold (IATI rule on identifiers), whitespace included.
IDENTIFIER_FORBIDDEN = re.compile(r"[\s/&|?]")
LONGEST_BUDGET_DAYS = 366


@dataclass(frozen=True)
class Problem:
    reference: str  # the project's reference; empty for the publication as a whole
    field: str  # the field to correct, in the reader's language
    message: str

    def __str__(self) -> str:
        return f"{self.reference or _('Publication')} · {self.field}: {self.message}"


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _publication_problems(publication: Publication) -> list[Problem]:
    problems = []
    config = publication.config
    if not config.reporting_org_ref:
        problems.append(Problem("", _("reporting organisation"), _(
            "The IATI identifier of the reporting organisation is not set: set MCEE_IATI_REPORTING_ORG_REF to "
            "the identifier IRCC publishes under.")))
    elif IDENTIFIER_FORBIDDEN.search(config.reporting_org_ref):
        problems.append(Problem("", _("reporting organisation"), _(
            "The reporting organisation's identifier “%(ref)s” holds a space or one of / & | ?, which IATI "
            "identifiers may not.") % {"ref": config.reporting_org_ref}))
    if not (config.reporting_org_name_en and config.reporting_org_name_fr):
        problems.append(Problem("", _("reporting organisation"), _(
            "The reporting organisation needs its name in English and in French (MCEE_IATI).")))
    for reference in publication.unknown_references:
        problems.append(Problem(reference, _("publication setting"), _(
            "The setting MCEE_IATI opts in this project, but no project has this reference: correct the "
            "setting.")))
    if not publication.activities:
        problems.append(Problem("", _("projects published"), _(
            "No project is published: the setting MCEE_IATI opts in none of the projects whose status may be "
            "published. An IATI file holds at least one activity.")))
    return problems


def _identity_problems(a: Activity) -> list[Problem]:
    problems = []
    if IDENTIFIER_FORBIDDEN.search(a.reference):
        problems.append(Problem(a.reference, _("reference"), _(
            "The reference holds a space or one of / & | ?, which an IATI activity identifier may not; "
            "change the reference before it is first published.")))
    if not a.title_en:
        problems.append(Problem(a.reference, _("title"), _(
            "The title in English is empty; every published activity has its title in both languages.")))
    if not a.title_fr:
        problems.append(Problem(a.reference, _("title"), _(
            "The title in French is empty; every published activity has its title in both languages.")))
    if a.description_from_summary and not a.description_en:
        problems.append(Problem(a.reference, _("summary"), _(
            "The summary in English is empty; summaries are published, so write it in both languages.")))
    if a.description_from_summary and not a.description_fr:
        problems.append(Problem(a.reference, _("summary"), _(
            "The summary in French is empty; summaries are published, so write it in both languages.")))
    return problems


def _date_problems(a: Activity, today) -> list[Problem]:
    problems = []
    for field, day in ((_("actual start"), a.actual_start), (_("actual end"), a.actual_end)):
        if day and day > today:
            problems.append(Problem(a.reference, field, _(
                "The actual date %(date)s is in the future; an actual date is recorded once it has passed.")
                % {"date": day.isoformat()}))
    return problems


def _country_problems(a: Activity) -> list[Problem]:
    if not a.countries:
        return [Problem(a.reference, _("countries"), _(
            "The project has no country; an activity names the countries it works in, with their shares."))]
    total = sum((c.percentage for c in a.countries), Decimal("0"))
    if total != HUNDRED:
        shares = ", ".join(f"{c.code} {_amount(c.percentage)} %" for c in a.countries)
        return [Problem(a.reference, _("countries (shares)"), _(
            "The countries' shares add up to %(total)s %%, not 100 %% (%(shares)s).")
            % {"total": _amount(total), "shares": shares})]
    return []


def _money_problems(a: Activity, today) -> list[Problem]:
    problems = []
    first = FiscalYear.of(min(d for d in (a.planned_start, a.actual_start) if d))
    last = FiscalYear.of(max(d for d in (a.planned_end, a.actual_end) if d))
    for budget in a.budgets:
        label = budget.fiscal_year.localized_label()
        if budget.period_end < budget.period_start:
            problems.append(Problem(a.reference, _("funding by fiscal year"), _(
                "The budget for %(year)s ends before it starts.") % {"year": label}))
        elif (budget.period_end - budget.period_start).days + 1 > LONGEST_BUDGET_DAYS:
            problems.append(Problem(a.reference, _("funding by fiscal year"), _(
                "The budget for %(year)s runs from %(start)s to %(end)s; a budget period lasts at most a year.")
                % {"year": label, "start": budget.period_start.isoformat(), "end": budget.period_end.isoformat()}))
        if not first <= budget.fiscal_year <= last:
            problems.append(Problem(a.reference, _("funding by fiscal year"), _(
                "Funding of %(amount)s is planned for %(year)s, outside the project's fiscal years (%(first)s to "
                "%(last)s).") % {"amount": _amount(budget.value), "year": label,
                                 "first": first.localized_label(), "last": last.localized_label()}))
    for disbursement in a.disbursements:
        if disbursement.fiscal_year.start > today:
            problems.append(Problem(a.reference, _("funding by fiscal year"), _(
                "A disbursement of %(amount)s is recorded for %(year)s, which has not begun.")
                % {"amount": _amount(disbursement.value), "year": disbursement.fiscal_year.localized_label()}))
    return problems


def _result_problems(a: Activity) -> list[Problem]:
    problems = []
    for result in a.results:
        for indicator in result.indicators:
            name = indicator.name_en or indicator.name_fr
            field = _("indicator “%(name)s”") % {"name": name}
            if indicator.qualitative:
                if indicator.baseline_value is not None:
                    problems.append(Problem(a.reference, field, _(
                        "A qualitative indicator is described, not counted, but it has a baseline value.")))
                for period in indicator.periods:
                    if period.target is not None or period.actual is not None:
                        problems.append(Problem(a.reference, field, _(
                            "A qualitative indicator is described, not counted, but the period %(start)s to "
                            "%(end)s has a value; remove it.")
                            % {"start": period.start.isoformat(), "end": period.end.isoformat()}))
                continue
            if indicator.baseline_value is None or indicator.baseline_date is None:
                problems.append(Problem(a.reference, field, _(
                    "A quantitative indicator needs its baseline value and date.")))
            for period in indicator.periods:
                if period.actual is None and period.actual_text:
                    problems.append(Problem(a.reference, field, _(
                        "The period %(start)s to %(end)s has a description of what was achieved but no value; a "
                        "quantitative indicator's actual is a number.")
                        % {"start": period.start.isoformat(), "end": period.end.isoformat()}))
                if (period.end - period.start).days + 1 > LONGEST_BUDGET_DAYS:
                    problems.append(Problem(a.reference, field, _(
                        "The period %(start)s to %(end)s is longer than a year.")
                        % {"start": period.start.isoformat(), "end": period.end.isoformat()}))
    return problems


def iati_problems(publication: Publication) -> list[Problem]:
    """Every problem that stops the publication, the publication's own first, then project by project."""
    problems = _publication_problems(publication)
    for activity in publication.activities:
        problems += _identity_problems(activity)
        problems += _date_problems(activity, publication.today)
        problems += _country_problems(activity)
        problems += _money_problems(activity, publication.today)
        problems += _result_problems(activity)
    return problems
