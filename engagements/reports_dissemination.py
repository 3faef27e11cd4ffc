"""The dissemination report: what reached each department, by fiscal quarter, and what it acknowledged."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mcee.fiscal import FiscalYear
from mcee.formatting import format_number
from mcee.reports import Column, Report, register

from .models import Department
from .selectors.dissemination import dissemination_reach


class DisseminationReachOptions(forms.Form):
    fiscal_year = forms.CharField(label=_("Fiscal year"), required=False, max_length=9,
                                  help_text=_("Such as 2025-26; every fiscal year when empty."))
    department = forms.CharField(label=_("Department"), required=False, max_length=50,
                                 help_text=_("A department's code, such as cbsa; every department when empty."))

    def clean_fiscal_year(self):
        value = (self.cleaned_data["fiscal_year"] or "").strip()
        if not value:
            return None
        try:
            return FiscalYear.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc))

    def clean_department(self):
        value = (self.cleaned_data["department"] or "").strip().lower()
        if not value:
            return None
        department = Department.objects.filter(code=value).first()
        if department is None:
            codes = ", ".join(Department.objects.order_by("code").values_list("code", flat=True))
            raise forms.ValidationError(_("“%(code)s” is not a department code; use one of: %(codes)s.")
                                        % {"code": value, "codes": codes})
        return department


def _share(value):
    return format_number(value, 4)


def _one_place(value):
    return format_number(value, 1)


@register
class DisseminationReachReport(Report):
    slug = "dissemination-reach"
    title = _("Dissemination reach and acknowledgements")
    description = _(
        "For each department and fiscal quarter (of the date sent; Q1 is April to June): the distributions "
        "sent to it, how many it acknowledged (whenever it did) and how many not yet, the acknowledgement "
        "rate (acknowledged ÷ sent) and the median days from sending to acknowledging.")
    options_form = DisseminationReachOptions
    audience_model = "engagements.distributionrecipient"
    columns = [
        Column("department", _("Department")),
        Column("quarter", _("Fiscal quarter")),
        Column("sent", _("Distributions sent"), numeric=True),
        Column("acknowledged", _("Acknowledged"), numeric=True),
        Column("not_acknowledged", _("Not yet acknowledged"), numeric=True),
        Column("acknowledgement_rate", _("Acknowledgement rate"), display=_share),
        Column("median_days", _("Median days to acknowledge"), display=_one_place),
    ]

    def rows(self):
        return [
            {"department": str(row.department), "quarter": row.quarter.localized_label(), "sent": row.sent,
             "acknowledged": row.acknowledged, "not_acknowledged": row.not_acknowledged,
             "acknowledgement_rate": row.acknowledgement_rate, "median_days": row.median_days}
            for row in dissemination_reach(fiscal_year=self.options.get("fiscal_year"),
                                           department=self.options.get("department"))
        ]
