"""The performance dashboard (the PMF) as data: one :class:`Figure` per section, each built from a
selector, with its chart, the same numbers as a table, and the links to the rows behind it and to its
exports. The admin view (``cms.admin_dashboard``) only renders it.

Every figure is a registered report (``mcee.reports``): the dashboard shows what the report page shows,
and its CSV/XLSX links are the report's own exports (marking row, formulas neutralised). A figure is
built only for a user who may read its report (``mcee.admin_reports.may_read_report``, which asks
``mcee.access``); the overdue lists keep to what the user may see (``access.visible``). The number of
queries is fixed: each selector runs a fixed number, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from countries.models import Category
from countries.reports import PreventiveRankingReport, TDTimelinessByCountryReport, latest_statistics_year
from countries.selectors import preventive_ranking, td_timeliness_by_country, td_timeliness_window
from engagements.models import FollowUp
from engagements.reports import EngagementsByQuarterReport, FollowUpsReport
from engagements.selectors.engagements import DASHBOARD_QUARTERS, follow_ups_overdue, leverage_by_quarter
from mcee import access
from mcee.admin_reports import may_read_report
from mcee.formatting import format_money, format_number, format_percent
from projects.models import PartnerReport, Project
from projects.reports import EnvelopeReport, FundingByCategoryReport, PriorityAreasReport
from projects.selectors import (
    envelope_summary,
    funding_by_category_and_fiscal_year,
    partner_reports_overdue,
    projects_by_priority_area,
)

from . import charts

RANKING_SHOWN = 10  # countries of the preventive ranking shown (the report has them all)
OVERDUE_SHOWN = 10  # overdue reports or follow-ups listed (the listing has them all)


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    numeric: bool = False


@dataclass
class Figure:
    key: str  # the section's anchor
    title: str
    summary: str  # one sentence above the chart
    caption: str  # the table's caption
    headers: list[str]
    rows: list[list[Cell]]  # the first cell of a row is its header
    chart: SafeString | None = None
    report_url: str = ""  # the report page (or listing) with every row; its exports are the figure's
    report_label: str = ""  # what that page is called
    export_query: dict = field(default_factory=dict)  # the options the exports carry
    listing: tuple[str, str] | None = None  # (label, url): the records behind the figure
    note: str = ""  # under the table (e.g. "10 of 25 shown")

    @property
    def page_url(self) -> str:
        return f"{self.report_url}?{urlencode(self.export_query)}" if self.export_query else self.report_url

    def export_url(self, kind: str) -> str:
        return f"{self.report_url}?{urlencode({**self.export_query, 'export': kind})}"

    @property
    def csv_url(self) -> str:
        return self.export_url("csv")

    @property
    def xlsx_url(self) -> str:
        return self.export_url("xlsx")


def _report_url(report_class) -> str:
    return reverse(f"mcee_report_{report_class.slug}")


def _listing(model_label: str) -> str:
    return reverse(f"wagtailsnippets_{model_label.replace('.', '_')}:list")


def _with_query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}"


def _chart(drawing, *, title: str, description: str) -> SafeString:
    return charts.svg(drawing, title=title, description=description)


def _see_table() -> str:
    return _("The table after the chart gives the same figures.")


# --- Envelope ------------------------------------------------------------------------------------

def envelope_figure() -> Figure:
    summary = envelope_summary()
    projects = _listing("projects.project")
    years = [y.fiscal_year.localized_label() for y in summary.years]
    title = _("Envelope: committed, disbursed and remaining by fiscal year")
    rows = [[Cell(y.fiscal_year.localized_label(), _with_query(projects, fiscal_year=y.fiscal_year.start_year)),
             Cell(format_money(y.approved), numeric=True), Cell(format_money(y.disbursed), numeric=True),
             Cell(format_money(y.undisbursed), numeric=True)] for y in summary.years]
    rows.append([Cell(_("Total")), Cell(format_money(summary.approved), numeric=True),
                 Cell(format_money(summary.disbursed), numeric=True),
                 Cell(format_money(summary.approved - summary.disbursed), numeric=True)])
    if summary.envelope is not None:
        text = _("Envelope total %(total)s: %(committed)s committed, %(disbursed)s disbursed, %(remaining)s "
                 "remaining to commit.") % {
            "total": format_money(summary.envelope.total_amount), "committed": format_money(summary.approved),
            "disbursed": format_money(summary.disbursed), "remaining": format_money(summary.remaining)}
    else:
        text = _("No envelope is recorded: %(committed)s committed, %(disbursed)s disbursed.") % {
            "committed": format_money(summary.approved), "disbursed": format_money(summary.disbursed)}
    drawing = charts.bar_chart(categories=years, series=[
        charts.Series(_("Committed"), [float(y.approved) for y in summary.years]),
        charts.Series(_("Disbursed"), [float(y.disbursed) for y in summary.years]),
        charts.Series(_("Committed, not yet disbursed"), [float(y.undisbursed) for y in summary.years]),
    ])
    return Figure(
        key="envelope", title=title, summary=text,
        caption=_("Committed, disbursed and not yet disbursed funding (CAD) by fiscal year"),
        headers=[_("Fiscal year"), _("Committed"), _("Disbursed"), _("Committed, not yet disbursed")],
        rows=rows, chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=_report_url(EnvelopeReport), report_label=str(EnvelopeReport.title),
        listing=(_("Projects"), projects))


# --- Table 1 and Figure 1 ------------------------------------------------------------------------

def priority_areas_figure() -> Figure:
    counts = projects_by_priority_area()
    projects = _listing("projects.project")
    title = _("Projects by priority area")
    names = [str(c.area) for c in counts]
    text = _("Projects not cancelled, per priority area (the evaluation's Table 1); a project can fit several areas.")
    drawing = charts.bar_chart(categories=[c.area.code for c in counts],
                               series=[charts.Series(_("Projects"), [c.projects for c in counts])])
    return Figure(
        key="priority-areas", title=title, summary=text, caption=_("Projects by priority area"),
        headers=[_("Priority area"), _("Code"), _("Projects")],
        rows=[[Cell(name, _with_query(projects, priority_area=c.area.pk)), Cell(c.area.code),
               Cell(format_number(c.projects), numeric=True)] for name, c in zip(names, counts, strict=True)],
        chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=_report_url(PriorityAreasReport), report_label=str(PriorityAreasReport.title),
        listing=(_("Projects"), projects))


def funding_by_category_figure() -> Figure:
    rows = funding_by_category_and_fiscal_year()
    years = sorted({r.fiscal_year for r in rows})
    title = _("Funding by country category and fiscal year")
    text = _("Planned funding by the category of each project's countries, split by their shares (the "
             "evaluation's Figure 1).")
    planned = {(r.fiscal_year, r.category): r.planned for r in rows}
    drawing = charts.bar_chart(
        categories=[y.localized_label() for y in years], stacked=True,
        series=[charts.Series(str(Category(c).label), [float(planned[(y, c)]) for y in years])
                for c in Category.values])
    projects = _listing("projects.project")
    return Figure(
        key="funding-by-category", title=title, summary=text,
        caption=_("Planned and disbursed funding (CAD) by fiscal year and country category"),
        headers=[_("Fiscal year"), _("Category"), _("Planned"), _("Disbursed")],
        rows=[[Cell(r.fiscal_year.localized_label(), _with_query(projects, fiscal_year=r.fiscal_year.start_year)),
               Cell(str(Category(r.category).label)), Cell(format_money(r.planned), numeric=True),
               Cell(format_money(r.disbursed), numeric=True)] for r in rows],
        chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=_report_url(FundingByCategoryReport),
        report_label=str(FundingByCategoryReport.title), listing=(_("Projects"), projects))


# --- Engagements and leverage --------------------------------------------------------------------

def engagements_figure(user, *, today: dt.date) -> Figure:
    quarters = leverage_by_quarter(quarters=DASHBOARD_QUARTERS, today=today)
    engagements = _listing("engagements.engagement")
    title = _("Engagements per fiscal quarter and the share that leveraged a project")
    text = _("Engagements held and planned in the last %(count)s fiscal quarters, and how many of those held "
             "leveraged at least one MCEE project.") % {"count": DASHBOARD_QUARTERS}
    labels = [q.quarter.localized_label() for q in quarters]
    drawing = charts.bar_chart(categories=labels, series=[
        charts.Series(_("Held"), [q.held for q in quarters]),
        charts.Series(_("Leveraged a project"), [q.leveraged for q in quarters]),
        charts.Series(_("Planned"), [q.planned for q in quarters]),
    ])
    rows = [[Cell(label, _with_query(engagements, date_from=q.quarter.start.isoformat(),
                                     date_to=q.quarter.end.isoformat())),
             Cell(format_number(q.held), numeric=True), Cell(format_number(q.planned), numeric=True),
             Cell(format_number(q.leveraged), numeric=True), Cell(format_number(q.none_used), numeric=True),
             Cell(format_number(q.unknown), numeric=True),
             Cell(format_percent(q.share * 100) if q.share is not None else "–", numeric=True)]
            for label, q in zip(labels, quarters, strict=True)]
    return Figure(
        key="engagements", title=title, summary=text,
        caption=_("Engagements per fiscal quarter, held and planned, and the leverage of those held"),
        headers=[_("Fiscal quarter"), _("Held"), _("Planned"), _("Leveraged a project"), _("No project used"),
                 _("Unknown"), _("Share leveraged")],
        rows=rows, chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=_report_url(EngagementsByQuarterReport),
        report_label=str(EngagementsByQuarterReport.title), export_query={"quarters": DASHBOARD_QUARTERS},
        listing=(_("Engagements"), engagements))


# --- Travel documents ----------------------------------------------------------------------------

def timeliness_figure(*, today: dt.date) -> Figure:
    window = td_timeliness_window(today=today)
    rows = td_timeliness_by_country(today=today)
    title = _("Travel-document timeliness per targeted country, against its target")
    text = _("Travel documents of each targeted country from %(start)s to %(end)s (%(period)s): the median days "
             "from request to issue against the country's target.") % {
        "start": window.start.isoformat(), "end": window.end.isoformat(), "period": window.label}
    codes = [r.country.code.code for r in rows]
    drawing = charts.bar_chart(categories=codes, series=[
        charts.Series(_("Median days to issue"), [float(r.median_days) if r.median_days is not None else None
                                                  for r in rows]),
        charts.Series(_("Target (days)"), [r.target_days for r in rows]),
    ])
    report = _report_url(TDTimelinessByCountryReport)
    td_report = reverse("mcee_report_td-timeliness")
    sources = {"cases": _("Cases"), "monthly": _("Monthly figures"), "": _("No data")}
    table = [[Cell(f"{r.country.code.name} ({r.country.code.code})",
                   _with_query(td_report, country=r.country.code.code, period="quarter")),
              Cell(str(Category(r.category).label)),
              Cell(format_number(r.requested) if r.requested is not None else "–", numeric=True),
              Cell(format_number(r.issued) if r.issued is not None else "–", numeric=True),
              Cell(format_number(r.median_days, 1) if r.median_days is not None else "–", numeric=True),
              Cell(format_percent(r.within_target_share * 100) if r.within_target_share is not None else "–",
                   numeric=True),
              Cell(format_number(r.target_days), numeric=True), Cell(str(sources[r.source]))] for r in rows]
    return Figure(
        key="td-timeliness", title=title, summary=text,
        caption=_("Travel documents per targeted country: requested, issued, median days to issue, share within "
                  "target and target"),
        headers=[_("Country"), _("Category"), _("Requested"), _("Issued"), _("Median days to issue"),
                 _("Share within target"), _("Target (days)"), _("Source")],
        rows=table, chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=report, report_label=str(TDTimelinessByCountryReport.title),
        listing=(_("Travel-document cases"), _listing("countries.traveldocumentcase")))


def ranking_figure() -> Figure:
    year = latest_statistics_year()
    rows = preventive_ranking(year=year) if year is not None else []
    shown = rows[:RANKING_SHOWN]
    title = _("Preventive ranking")
    if year is None:
        text = _("No asylum statistics are recorded yet.")
    else:
        text = _("The countries with the highest preventive scores in %(year)s (claims, IRB rejection rate and "
                 "three-year trend, weighted).") % {"year": year}
    drawing = charts.bar_chart(categories=[r.code for r in shown], value_format="%.2f",
                               series=[charts.Series(_("Score"), [float(r.score) for r in shown])])
    statistics = _listing("countries.asylumstatistic")
    return Figure(
        key="preventive-ranking", title=title, summary=text, caption=_("Preventive ranking, highest scores first"),
        headers=[_("Country"), _("Rank"), _("Claims"), _("IRB rejection rate"), _("Three-year trend"), _("Score")],
        rows=[[Cell(f"{r.country.code.name} ({r.code})", _with_query(statistics, country=r.country.pk)),
               Cell(format_number(r.rank), numeric=True), Cell(format_number(r.claims), numeric=True),
               Cell(format_percent(r.rejection_rate * 100) if r.rejection_rate is not None else "–", numeric=True),
               Cell(format_percent(r.trend_3y * 100) if r.trend_3y is not None else "–", numeric=True),
               Cell(format_number(r.score, 4), numeric=True)] for r in shown],
        chart=_chart(drawing, title=title, description=f"{text} {_see_table()}"),
        report_url=_report_url(PreventiveRankingReport), report_label=str(PreventiveRankingReport.title),
        export_query={"year": year} if year is not None else {},
        listing=(_("Asylum statistics"), _with_query(statistics, year=year) if year is not None else statistics),
        note=(_("%(shown)s of %(total)s countries shown; the report lists them all.")
              % {"shown": len(shown), "total": len(rows)}) if len(rows) > len(shown) else "")


# --- Overdue partner reports and follow-ups -------------------------------------------------------

def _count_chart(counter: Counter, *, title: str, text: str, label: str) -> SafeString:
    names = sorted(counter)
    drawing = charts.bar_chart(categories=names, series=[charts.Series(label, [counter[n] for n in names])])
    return _chart(drawing, title=title, description=f"{text} {_see_table()}")


def overdue_reports_figure(user, *, today: dt.date) -> Figure:
    reports = partner_reports_overdue(today=today, projects=access.visible(user, Project))
    listing = _listing("projects.partnerreport")
    title = _("Overdue partner reports")
    text = _("%(count)s partner reports not submitted by their due date, by implementing partner.") % {
        "count": format_number(len(reports))}
    by_partner = Counter(r.partner.acronym for r in reports)
    inspect = "wagtailsnippets_projects_partnerreport:inspect"
    return Figure(
        key="overdue-reports", title=title, summary=text, caption=_("Overdue partner reports, oldest due first"),
        headers=[_("Project"), _("Implementing partner"), _("Period"), _("Due on"), _("Days overdue")],
        rows=[[Cell(f"{r.project.reference} — {r.project.title}", reverse(inspect, args=[r.report.pk])),
               Cell(r.partner.acronym), Cell(r.period_label), Cell(r.due_on.isoformat()),
               Cell(format_number(r.days_overdue), numeric=True)] for r in reports[:OVERDUE_SHOWN]],
        chart=_count_chart(by_partner, title=title, text=text, label=_("Overdue reports")),
        report_url=listing, report_label=_("Partner reports, overdue"), export_query={"overdue": "yes"},
        note=(_("%(shown)s of %(total)s shown; the listing has them all.")
              % {"shown": OVERDUE_SHOWN, "total": len(reports)}) if len(reports) > OVERDUE_SHOWN else "")


def overdue_follow_ups_figure(user, *, today: dt.date) -> Figure:
    overdue = list(follow_ups_overdue(today=today, follow_ups=access.visible(user, FollowUp)))
    listing = _listing("engagements.followup")
    title = _("Overdue follow-up actions")
    text = _("%(count)s follow-up actions still open after their due date, by owner department.") % {
        "count": format_number(len(overdue))}
    by_department = Counter(str(f.owner_department) for f in overdue)
    inspect = "wagtailsnippets_engagements_followup:inspect"
    return Figure(
        key="overdue-follow-ups", title=title, summary=text,
        caption=_("Overdue follow-up actions, oldest due first"),
        headers=[_("Action"), _("Country"), _("Owner department"), _("Due on"), _("Days overdue")],
        rows=[[Cell(f.action, reverse(inspect, args=[f.pk])), Cell(f.engagement.country.code.code),
               Cell(str(f.owner_department)), Cell(f.due_date.isoformat()),
               Cell(format_number((today - f.due_date).days), numeric=True)] for f in overdue[:OVERDUE_SHOWN]],
        chart=_count_chart(by_department, title=title, text=text, label=_("Overdue actions")),
        report_url=listing, report_label=_("Follow-up actions, overdue"), export_query={"overdue": "yes"},
        listing=(str(FollowUpsReport.title), _report_url(FollowUpsReport)),
        note=(_("%(shown)s of %(total)s shown; the listing has them all.")
              % {"shown": OVERDUE_SHOWN, "total": len(overdue)}) if len(overdue) > OVERDUE_SHOWN else "")


# --- The whole dashboard -------------------------------------------------------------------------

def may_see_dashboard(user) -> bool:
    """Those who may read the envelope's aggregated funding (MCET, the RWG, auditors)."""
    return may_read_report(user, EnvelopeReport)


def dashboard_figures(user, *, today: dt.date | None = None) -> list[Figure]:
    """The figures this user may read, in the dashboard's order."""
    today = today or timezone.localdate()
    builders = [
        (EnvelopeReport, envelope_figure),
        (PriorityAreasReport, priority_areas_figure),
        (FundingByCategoryReport, funding_by_category_figure),
        (EngagementsByQuarterReport, lambda: engagements_figure(user, today=today)),
        (TDTimelinessByCountryReport, lambda: timeliness_figure(today=today)),
        (PreventiveRankingReport, ranking_figure),
    ]
    figures = [build() for report_class, build in builders if may_read_report(user, report_class)]
    if access.can(user, access.VIEW, PartnerReport):
        figures.append(overdue_reports_figure(user, today=today))
    if access.can(user, access.VIEW, FollowUp):
        figures.append(overdue_follow_ups_figure(user, today=today))
    return figures
