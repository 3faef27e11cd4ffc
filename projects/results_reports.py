"""The PMF roll-up as a registered report (admin → Reports, and ``mcee_report pmf``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mcee.fiscal import FiscalYear
from mcee.i18n import localized
from mcee.reports import Column, Report, register

from .results_selectors import pmf_rollup


class PmfOptions(forms.Form):
    fiscal_year = forms.CharField(label=_("Fiscal year"), required=False,
                                  help_text=_("For example 2024-25; leave empty for every year."))

    def clean_fiscal_year(self):
        text = (self.cleaned_data.get("fiscal_year") or "").strip()
        if not text:
            return None
        try:
            return FiscalYear.parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


@register
class PmfRollupReport(Report):
    slug = "pmf"
    title = _("Performance Measurement Framework (PMF) roll-up")
    description = _("Each PMF indicator by fiscal year: the baselines, targets and actuals of the project "
                    "indicators that roll up into it (same unit only), added up. A period counts in the fiscal "
                    "year it ends in; for a level or a rate, a project's latest period in the year counts.")
    audience_model = "projects.indicator"
    options_form = PmfOptions
    columns = [
        Column("code", _("Code")),
        Column("indicator", _("PMF indicator")),
        Column("unit", _("Unit")),
        Column("outcome", _("Logic-model outcome")),
        Column("fiscal_year", _("Fiscal year")),
        Column("baseline", _("Baseline (sum)"), numeric=True),
        Column("target", _("Target (sum)"), numeric=True),
        Column("actual", _("Actual (sum)"), numeric=True),
        Column("projects", _("Projects"), numeric=True),
        Column("reported", _("Indicators reported"), numeric=True),
        Column("contributing", _("Indicators expected"), numeric=True),
    ]

    def rows(self):
        return [
            {"code": row.indicator.code, "indicator": str(localized(row.indicator, "name")), "unit": row.indicator.unit,
             "outcome": row.indicator.outcome.code, "fiscal_year": row.fiscal_year.localized_label(),
             "baseline": row.baseline, "target": row.target, "actual": row.actual, "projects": row.projects,
             "reported": row.reported, "contributing": row.contributing}
            for row in pmf_rollup(fiscal_year=self.options.get("fiscal_year"))
        ]
