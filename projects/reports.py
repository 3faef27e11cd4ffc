"""The portfolio's reports, reproducing the evaluation's own tables."""

from django.utils.translation import gettext_lazy as _

from countries.models import Category
from mcee.i18n import localized
from mcee.reports import Column, Report, register

from .selectors import envelope_summary, funding_by_category_and_fiscal_year, projects_by_priority_area


@register
class PriorityAreasReport(Report):
    slug = "priority-areas"
    title = _("Projects by priority area")
    description = _("The evaluation's Table 1: how many projects (cancelled ones excepted) fit each "
                    "priority area. A project can fit several areas.")
    columns = [
        Column("code", _("Code")),
        Column("priority_area", _("Priority area")),
        Column("projects", _("Projects"), numeric=True),
    ]

    def rows(self):
        return [
            {"code": c.area.code, "priority_area": str(localized(c.area, "name")), "projects": c.projects}
            for c in projects_by_priority_area()
        ]


@register
class FundingByCategoryReport(Report):
    slug = "funding-by-category"
    title = _("Funding by country category and fiscal year")
    description = _("The evaluation's Figure 1: planned and disbursed funding split by the category of "
                    "each project's countries (by their shares), as in effect at the end of each "
                    "fiscal year.")
    columns = [
        Column("fiscal_year", _("Fiscal year")),
        Column("category", _("Category"), display=lambda v: str(Category(v).label)),
        Column("planned", _("Planned (CAD)"), numeric=True),
        Column("disbursed", _("Disbursed (CAD)"), numeric=True),
    ]

    def rows(self):
        return [
            {"fiscal_year": row.fiscal_year.localized_label(), "category": row.category,
             "planned": row.planned, "disbursed": row.disbursed}
            for row in funding_by_category_and_fiscal_year()
        ]


@register
class EnvelopeReport(Report):
    slug = "envelope"
    title = _("Envelope by fiscal year")
    description = _("Funding committed (planned funding of projects not cancelled), disbursed, and committed but "
                    "not yet disbursed, per fiscal year of the envelope and any other year with funding; then the "
                    "totals, and what remains to commit: the envelope's total less all committed funding.")
    columns = [
        Column("fiscal_year", _("Fiscal year")),
        Column("committed", _("Committed (CAD)"), numeric=True),
        Column("disbursed", _("Disbursed (CAD)"), numeric=True),
        Column("undisbursed", _("Committed, not yet disbursed (CAD)"), numeric=True),
        Column("remaining", _("Remaining to commit (CAD)"), numeric=True),
    ]

    def rows(self):
        summary = envelope_summary()
        rows = [{"fiscal_year": year.fiscal_year.localized_label(), "committed": year.approved,
                 "disbursed": year.disbursed, "undisbursed": year.undisbursed, "remaining": None}
                for year in summary.years]
        rows.append({"fiscal_year": str(_("Total")), "committed": summary.approved, "disbursed": summary.disbursed,
                     "undisbursed": summary.approved - summary.disbursed, "remaining": summary.remaining})
        return rows
