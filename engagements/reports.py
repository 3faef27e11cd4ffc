"""Reports of the Removals Working Group's records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mcee.reports import Column, Report, register

from .models import EscalationLevel
from .selectors import countries_with_escalation


class EscalationOptions(forms.Form):
    on = forms.DateField(label=_("On"), required=False,
                         help_text=_("The date to look at (YYYY-MM-DD); today if empty."))


@register
class CurrentEscalationReport(Report):
    slug = "escalation-current"
    title = _("Current escalation step by country")
    description = _("Each country's step on the escalation ladder in effect on the date, and since when. "
                    "Visible to MCET and the RWG only.")
    columns = [
        Column("country", _("Country")),
        Column("step", _("Step"), display=lambda v: str(EscalationLevel(v).label)),
        Column("since", _("Since")),
    ]
    options_form = EscalationOptions
    audience_model = "engagements.escalationstep"

    def rows(self):
        countries = countries_with_escalation(on=self.options.get("on")).exclude(escalation_level=None)
        return [{"country": c.code.code, "step": c.escalation_level, "since": c.escalation_since}
                for c in sorted(countries, key=lambda c: (-c.escalation_level, c.code.code))]


# --- Engagements, leverage and follow-ups (issue 6) ---

from mcee.fiscal import FiscalYear  # noqa: E402
from mcee.formatting import format_number  # noqa: E402

from .models import Department, EngagementKind  # noqa: E402
from .selectors.engagements import (  # noqa: E402
    engagements_by_country_and_fiscal_year,
    follow_ups_closed_on_time,
    leverage_by_country_and_fiscal_year,
    projects_never_leveraged,
)


class FiscalYearOptions(forms.Form):
    fiscal_year = forms.CharField(label=_("Fiscal year"), required=False, max_length=9,
                                  help_text=_("Such as 2024-25; every fiscal year when empty."))

    def clean_fiscal_year(self):
        value = self.cleaned_data["fiscal_year"].strip()
        if not value:
            return None
        try:
            return FiscalYear.parse(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc))


def _share(value):
    return format_number(value, 4)


@register
class EngagementCountsReport(Report):
    slug = "engagements-by-country"
    title = _("Engagements by country and fiscal year")
    description = _("Held and planned engagements (cancelled ones left out) per country, fiscal year of their "
                    "date, lead department and kind.")
    options_form = FiscalYearOptions
    audience_model = "engagements.engagement"
    columns = [
        Column("country", _("Country")),
        Column("fiscal_year", _("Fiscal year")),
        Column("lead_department", _("Lead department")),
        Column("kind", _("Kind"), display=lambda v: str(EngagementKind(v).label)),
        Column("held", _("Held"), numeric=True),
        Column("planned", _("Planned"), numeric=True),
    ]

    def rows(self):
        departments = {d.code: str(d) for d in Department.objects.all()}
        return [
            {"country": row.country, "fiscal_year": row.fiscal_year.localized_label(),
             "lead_department": departments.get(row.lead_department, row.lead_department), "kind": row.kind,
             "held": row.held, "planned": row.planned}
            for row in engagements_by_country_and_fiscal_year(fiscal_year=self.options.get("fiscal_year"))
        ]


@register
class EngagementLeverageReport(Report):
    slug = "engagement-leverage"
    title = _("Leverage of MCEE projects in engagements")
    description = _("Of the engagements held in each country and fiscal year: how many leveraged at least one MCEE "
                    "project, how many recorded that none was used, how many say neither (unknown), and the share "
                    "leveraged (leveraged ÷ held).")
    options_form = FiscalYearOptions
    audience_model = "engagements.engagement"
    columns = [
        Column("country", _("Country")),
        Column("fiscal_year", _("Fiscal year")),
        Column("held", _("Held"), numeric=True),
        Column("leveraged", _("Leveraged a project"), numeric=True),
        Column("none_used", _("No project used"), numeric=True),
        Column("unknown", _("Unknown"), numeric=True),
        Column("share", _("Share leveraged"), display=_share),
    ]

    def rows(self):
        return [
            {"country": row.country, "fiscal_year": row.fiscal_year.localized_label(), "held": row.held,
             "leveraged": row.leveraged, "none_used": row.none_used, "unknown": row.unknown, "share": row.share}
            for row in leverage_by_country_and_fiscal_year(fiscal_year=self.options.get("fiscal_year"))
        ]


@register
class ProjectsNeverLeveragedReport(Report):
    slug = "projects-never-leveraged"
    title = _("MCEE projects never leveraged")
    description = _("Active, finalising and closed projects that no held engagement has leveraged yet.")
    audience_model = "engagements.engagement"
    columns = [
        Column("reference", _("Reference")),
        Column("title", _("Title")),
        Column("status", _("Status")),
        Column("countries", _("Countries")),
    ]

    def rows(self):
        return [
            {"reference": p.reference, "title": str(p.title), "status": p.get_status_display(),
             "countries": " ".join(sorted(s.country.code.code for s in p.country_shares.all()))}
            for p in projects_never_leveraged()
        ]


@register
class FollowUpsReport(Report):
    slug = "follow-ups"
    title = _("Follow-up actions closed on time")
    description = _("Follow-up actions per owner department and fiscal year of their due date (cancelled ones left "
                    "out): done on or before the due date, done late, still open past the due date (overdue), open "
                    "and not yet due (due today or later), and the share done on time of those whose due date has "
                    "come.")
    options_form = FiscalYearOptions
    audience_model = "engagements.followup"
    columns = [
        Column("department", _("Owner department")),
        Column("fiscal_year", _("Fiscal year")),
        Column("due", _("Due"), numeric=True),
        Column("done_on_time", _("Done on time"), numeric=True),
        Column("done_late", _("Done late"), numeric=True),
        Column("open_overdue", _("Open and overdue"), numeric=True),
        Column("open_not_due", _("Open, not yet due"), numeric=True),
        Column("on_time_share", _("Share done on time"), display=_share),
    ]

    def rows(self):
        departments = {d.code: str(d) for d in Department.objects.all()}
        return [
            {"department": departments.get(row.department, row.department),
             "fiscal_year": row.fiscal_year.localized_label(), "due": row.due, "done_on_time": row.done_on_time,
             "done_late": row.done_late, "open_overdue": row.open_overdue, "open_not_due": row.open_not_due,
             "on_time_share": row.on_time_share}
            for row in follow_ups_closed_on_time(fiscal_year=self.options.get("fiscal_year"))
        ]


# --- The dashboard's engagements per fiscal quarter (issue 8) ---

from .selectors.engagements import DASHBOARD_QUARTERS, leverage_by_quarter  # noqa: E402


class QuartersOptions(forms.Form):
    quarters = forms.IntegerField(label=_("Quarters"), min_value=1, max_value=40, required=False,
                                  initial=DASHBOARD_QUARTERS,
                                  help_text=_("How many fiscal quarters, ending with the current one."))

    def clean_quarters(self):
        return self.cleaned_data["quarters"] or DASHBOARD_QUARTERS


@register
class EngagementsByQuarterReport(Report):
    slug = "engagements-by-quarter"
    title = _("Engagements per fiscal quarter")
    description = _("Engagements per fiscal quarter of their date, the current quarter last (cancelled ones left "
                    "out): held, planned, and of the held ones how many leveraged at least one MCEE project, how "
                    "many recorded that none was used, how many say neither (unknown), and the share leveraged "
                    "(leveraged ÷ held).")
    options_form = QuartersOptions
    audience_model = "engagements.engagement"
    columns = [
        Column("quarter", _("Fiscal quarter")),
        Column("start", _("From")),
        Column("end", _("To")),
        Column("held", _("Held"), numeric=True),
        Column("planned", _("Planned"), numeric=True),
        Column("leveraged", _("Leveraged a project"), numeric=True),
        Column("none_used", _("No project used"), numeric=True),
        Column("unknown", _("Unknown"), numeric=True),
        Column("share", _("Share leveraged"), display=_share),
    ]

    def rows(self):
        return [
            {"quarter": row.quarter.localized_label(), "start": row.quarter.start, "end": row.quarter.end,
             "held": row.held, "planned": row.planned, "leveraged": row.leveraged, "none_used": row.none_used,
             "unknown": row.unknown, "share": row.share}
            for row in leverage_by_quarter(quarters=self.options.get("quarters") or DASHBOARD_QUARTERS)
        ]
