"""The country brief laid out once: sections of headed tables, lists and charts, every figure already
formatted for the brief's language. The reader page and the PDF both draw these sections, so the two
show the same words and numbers by construction (and a test reads both to prove it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing

from mcee.formatting import format_date, format_money, format_number, format_percent
from mcee.i18n import localized

from . import charts
from .brief_data import CountryBrief, EngagementLine

DASH = "—"


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()  # columns aligned to the right
    empty: str = ""  # what stands instead of an empty table


@dataclass
class Chart:
    title: str
    description: str
    draw: Callable[[str], Drawing]  # font name -> drawing (the PDF draws with its embedded font)

    @property
    def svg(self):
        """The same drawing for the web page, as accessible inline SVG."""
        return charts.svg(self.draw(charts.DEFAULT_FONT), title=self.title, description=self.description)


@dataclass
class Section:
    key: str
    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value
    warnings: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    html: str = ""  # rich text (the narrative)


def _n(value, language, decimals=0) -> str:
    return DASH if value is None else format_number(value, decimals, language)


def _engagement_rows(lines: list[EngagementLine], language: str) -> list[list[str]]:
    return [[format_date(e.date, language), e.kind, e.level, e.lead,
             ", ".join(e.projects_leveraged) if e.leveraged else (_("None used") if e.no_project_used else DASH),
             _("Yes") if e.removals_raised else _("No")]
            for e in lines]


def brief_sections(brief: CountryBrief) -> list[Section]:
    language = brief.language
    with translation.override(language):
        return [_summary(brief, language), _travel_documents(brief, language), _timeline(brief, language),
                _projects(brief, language), _key_messages(brief), _engagements(brief, language),
                _follow_ups(brief, language), _responsibilities(brief, language), _narrative(brief)]


def _summary(brief: CountryBrief, language: str) -> Section:
    since = next((c.effective_date for c in reversed(brief.category_history) if c.category == brief.category), None)
    facts = [(_("Category"), brief.category_label + (
        f" ({_('since %(date)s') % {'date': format_date(since, language)}})" if since else ""))]
    if brief.may_see_escalation:
        facts.append((_("Escalation step"), (
            f"{brief.escalation.level}. {brief.escalation.label} "
            f"({_('since %(date)s') % {'date': format_date(brief.escalation.effective_date, language)}})"
            if brief.escalation else _("No escalation step recorded"))))
    if brief.may_see_plan:
        plan = brief.plan
        facts.append((_("Engagement plan"), (
            _("%(type)s, version %(version)s, %(status)s") % {"type": plan.plan_type, "version": plan.version,
                                                              "status": plan.status.lower()}
            + (f"; {_('review on %(date)s') % {'date': format_date(plan.review_date, language)}}"
               if plan.review_date else "")
            if plan else _("No engagement plan recorded"))))
    facts.append((_("Information as of"), format_date(brief.on, language)))
    show_rationale = any(c.rationale for c in brief.category_history)
    headers = [_("Effective date"), _("Category")] + ([_("Rationale")] if show_rationale else [])
    rows = [[format_date(c.effective_date, language), c.category_label] + ([c.rationale] if show_rationale else [])
            for c in reversed(brief.category_history)]
    return Section("summary", _("Summary"), facts=facts,
                   tables=[Table(_("Classification history"), headers, rows,
                                 empty=_("This country has never been classified."))])


def _travel_documents(brief: CountryBrief, language: str) -> Section:
    quarters = brief.td_quarters
    labels = [q.label for q in quarters]
    target = brief.td_target_days
    rows = [[q.label, _n(q.requested, language), _n(q.issued, language), _n(q.refused, language),
             _n(q.median_days, language, 1), DASH if q.within_target_share is None
             else format_percent(q.within_target_share * 100, 0, language)] for q in quarters]
    warnings = list(brief.completeness_warnings) + [
        _("%(period)s: %(warning)s") % {"period": q.label, "warning": q.warning} for q in quarters if q.warning]
    has_figures = any(q.requested is not None or q.issued is not None for q in quarters)
    requested, issued = _("Requested"), _("Issued")
    median, target_label = _("Median days to issue"), _("Target: %(days)s days") % {"days": target}
    chart_list = []
    has_medians = any(q.median_days is not None for q in quarters)
    if has_figures:
        chart_list = [
            Chart(_("Travel documents requested and issued, by quarter"),
                  _("Bar chart of the travel documents requested and issued in each of the last %(count)s quarters; "
                    "the table below gives the figures.") % {"count": len(quarters)},
                  lambda font: charts.bar_chart(categories=labels, font=font, series=[
                      charts.Series(requested, [q.requested for q in quarters]),
                      charts.Series(issued, [q.issued for q in quarters])])),
        ]
        if has_medians:
            chart_list.append(
                Chart(_("Median days to issue a travel document, against the target"),
                  _("Line chart of the median number of days from request to issue in each quarter, with the "
                    "target of %(days)s days as a dashed line; the table below gives the figures.") % {"days": target},
                  lambda font: charts.line_chart(categories=labels, font=font, reference=(target_label, target),
                                                 series=[charts.Series(median, [q.median_days for q in quarters])])))
        else:
            warnings.append(_("Days to issue need case-level data; only monthly figures were reported for these "
                              "quarters."))
    return Section(
        "travel-documents", _("Travel documents"),
        facts=[(_("Target"), _("%(days)s days from request to issue") % {"days": target})],
        warnings=warnings, charts=chart_list,
        tables=[Table(_("Travel documents in the last %(count)s quarters") % {"count": len(quarters)},
                      [_("Quarter"), requested, issued, _("Refused"), median, _("Issued within target")], rows,
                      numeric=frozenset({1, 2, 3, 4, 5}))],
    )


KIND_LABELS = {"engagement": lambda: _("Engagement"), "project": lambda: _("Project milestone"),
               "decision": lambda: _("RWG decision")}


def _timeline(brief: CountryBrief, language: str) -> Section:
    quarters = brief.td_quarters
    labels = [q.label for q in quarters]
    rows = [[format_date(e.date, language), KIND_LABELS[e.kind](),
             e.label + (f" ({_('project leveraged')})" if e.leveraged else "")] for e in brief.timeline]
    chart_list = []
    if quarters:
        first, last = quarters[0].start, quarters[-1].end

        def position(day):
            for index, q in enumerate(quarters):
                if q.start <= day <= q.end:
                    return index + (day - q.start).days / ((q.end - q.start).days + 1)
            return len(quarters) if day > last else 0

        markers = [charts.Marker(position(e.date), e.kind, filled=(e.kind != "engagement" or e.leveraged))
                   for e in brief.timeline if first <= e.date <= last]
        kinds = [("engagement", _("Engagements (filled: a project leveraged)")), ("project", _("Project milestones")),
                 ("decision", _("RWG decisions"))]
        median = _("Median days to issue")
        target = brief.td_target_days
        target_label = _("Target: %(days)s days") % {"days": target}
        chart_list = [Chart(
            _("Timeline: engagements, project milestones and RWG decisions over travel-document timeliness"),
            _("Median days to issue travel documents per quarter as a line, with the engagements held, project starts "
              "and ends, and RWG decisions marked on the same time axis; the table below lists every event."),
            lambda font: charts.timeline_chart(
                categories=labels, font=font, kinds=kinds, markers=markers,
                reference=(target_label, target),
                series=[charts.Series(median, [q.median_days for q in quarters])]))]
    return Section("timeline", _("Timeline"), charts=chart_list,
                   tables=[Table(_("Events on the timeline"), [_("Date"), _("Kind"), _("Event")], rows,
                                 empty=_("No engagement, project milestone or RWG decision in these quarters."))])


def _projects(brief: CountryBrief, language: str) -> Section:
    rows = [[p.reference, p.title, p.partner, format_money(p.amount, language), p.status, ", ".join(p.priority_areas)]
            for p in brief.projects]
    results = []
    for p in brief.projects:
        for r in p.results:
            latest = (r.latest_text or DASH) if r.latest_actual is None else format_number(
                r.latest_actual, 0 if r.latest_actual == r.latest_actual.to_integral() else 2, language)
            results.append([p.reference, r.name, _n(r.baseline_value, language), _n(r.target_value, language),
                            latest + (f" {r.unit}" if r.latest_actual is not None and r.unit else ""),
                            r.latest_period_label or DASH])
    return Section("projects", _("MCEE projects in the country"), tables=[
        Table(_("Projects"), [_("Reference"), _("Title"), _("Partner"), _("Amount"), _("Status"),
                              _("Priority areas")], rows, numeric=frozenset({3}),
              empty=_("No MCEE project in this country.")),
        Table(_("Latest indicator results"), [_("Project"), _("Indicator"), _("Baseline"), _("Target"),
                                              _("Latest result"), _("Period")], results,
              numeric=frozenset({2, 3}), empty=_("No indicator results reported yet.")),
    ])


def _key_messages(brief: CountryBrief) -> Section:
    return Section("key-messages", _("Approved key messages"),
                   items=[f"{m.text} ({m.project_reference})" for m in brief.key_messages]
                   or [_("No approved key message for this country.")])


def _engagements(brief: CountryBrief, language: str) -> Section:
    headers = [_("Date"), _("Kind"), _("Level"), _("Lead"), _("Projects leveraged"), _("Removals raised")]
    return Section("engagements", _("Engagements"), tables=[
        Table(_("Last engagements held"), headers, _engagement_rows(brief.recent_engagements, language),
              empty=_("No engagement held yet.")),
        Table(_("Next engagements"), headers, _engagement_rows(brief.upcoming_engagements, language),
              empty=_("No engagement planned.")),
    ])


def _follow_ups(brief: CountryBrief, language: str) -> Section:
    rows = [[f.action, f.owner, format_date(f.due_date, language), _("Overdue") if f.overdue else f.status]
            for f in brief.follow_ups]
    return Section("follow-ups", _("Open follow-ups"), tables=[
        Table(_("Open follow-up actions"), [_("Action"), _("Owner"), _("Due"), _("Status")], rows,
              empty=_("No open follow-up."))])


def _responsibilities(brief: CountryBrief, language: str) -> Section:
    matrix = brief.raci
    headers = [_("Activity")] + [str(localized(d, "acronym", language)) for d in matrix.departments]
    rows = [[str(localized(row.activity, "name", language))] + [cell.role or "" for cell in row.cells]
            for row in matrix.rows]
    return Section("responsibilities", _("Responsibilities"),
                   items=[_("R: responsible; A: accountable; C: consulted; I: informed.")],
                   tables=[Table(_("Responsibility matrix"), headers, rows,
                                 empty=_("No responsibility recorded."))])


def _narrative(brief: CountryBrief) -> Section:
    return Section("narrative", _("Narrative"), html=brief.narrative,
                   items=[] if brief.narrative else [_("No narrative written for this brief yet.")])
