"""The results framework and partner reporting in the Wagtail admin (menu group "Results").

Logic model, PMF indicators, project results and indicators (with their periods inline), report
schedules (saving one generates the reports it expects) and partner reports: the partner fills the short
form and submits; MCET accepts or returns from the report's page. Every listing and object goes through
``mcee.access``: a partner's reporters see their own partner's projects' records only.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, InspectView, SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet

from . import reporting_services
from .models import (
    EnvelopeIndicator,
    Indicator,
    IndicatorPeriod,
    Outcome,
    Partner,
    PartnerReport,
    Project,
    ReportSchedule,
    ReportStatus,
    Result,
)
from .reporting_selectors import overdue_q
from .results_services import validate_periods_do_not_overlap
from .templatetags.results_format import indicator_value

IndicatorPeriod.panels = [FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end"),
                                         FieldPanel("target_value"), FieldPanel("actual_value")]),
                          FieldPanel("actual_text")]


def _number(value):
    return indicator_value(value) if value is not None else "—"


def _inspect_url(model_name):
    """The listing's first column opens the record's page (its figures, history and actions)."""
    def url(obj):
        return reverse(f"wagtailsnippets_projects_{model_name}:inspect", args=[obj.pk])
    return url


class OutcomeViewSet(ProtectedSnippetViewSet):
    model = Outcome
    icon = "list-ul"
    menu_label = _("Logic model")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "level", Column("name", label=_("Name"))]
    list_filter = ["level"]
    list_export = ["code", "level", "name_en", "name_fr"]
    export_filename = "mcee-logic-model"
    ordering = ["sort_order"]
    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("level"), FieldPanel("sort_order")]),
              FieldPanel("name_en"), FieldPanel("name_fr")]


class EnvelopeIndicatorViewSet(ProtectedSnippetViewSet):
    model = EnvelopeIndicator
    icon = "table"
    menu_label = _("PMF indicators")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", Column("name", label=_("Name")), "unit",
                    Column("outcome", label=_("Outcome"), accessor="outcome.code")]
    list_export = ["code", "name_en", "name_fr", "unit", "outcome.code", "ascending"]
    export_headings = {"outcome.code": _("Outcome")}
    export_filename = "mcee-pmf-indicators"
    ordering = ["code"]
    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("unit"), FieldPanel("ascending")]),
              FieldPanel("name_en"), FieldPanel("name_fr"), FieldPanel("outcome")]

    def base_queryset(self):
        return EnvelopeIndicator.objects.select_related("outcome")


class ResultViewSet(ProtectedSnippetViewSet):
    model = Result
    icon = "pick"
    menu_label = _("Project results")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [TitleColumn("project", label=_("Project"), accessor="project.reference",
                                get_url=_inspect_url("result")),
                    Column("outcome", label=_("Outcome"), accessor="outcome.code"),
                    Column("title", label=_("Result"))]
    search_fields = ["title_en", "title_fr", "project__reference"]
    search_backend_name = None
    list_export = ["project.reference", "outcome.code", "title_en", "title_fr"]
    export_headings = {"project.reference": _("Project"), "outcome.code": _("Outcome")}
    export_filename = "mcee-project-results"
    ordering = ["project__reference", "pk"]
    panels = [FieldPanel("project"), FieldPanel("outcome"), FieldPanel("title_en"), FieldPanel("title_fr")]

    def base_queryset(self):
        return Result.objects.select_related("project", "outcome")


class IndicatorAdminForm(WagtailAdminModelForm):
    """An indicator's periods may not overlap (checked over the inline as typed, before anything is saved)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("periods")
        if formset is not None and all(f.is_valid() for f in formset.forms):
            periods = [IndicatorPeriod(period_start=f.cleaned_data.get("period_start"),
                                       period_end=f.cleaned_data.get("period_end"))
                       for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                validate_periods_do_not_overlap(periods)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class IndicatorInspectView(InspectView):
    template_name = "projects/indicator_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        periods = list(self.object.periods.all())
        # Only the key messages this user may see: outside MCET, approved ones alone.
        cited = access.visible(self.request.user, self.object.result.project.key_messages.filter(
            evidence_periods__indicator=self.object)).select_related("country")
        context.update({"periods": periods, "key_messages": cited})
        return context


def _project_column(obj):
    return obj.result.project.reference


class IndicatorViewSet(ProtectedSnippetViewSet):
    model = Indicator
    icon = "success"
    menu_label = _("Indicators")
    inspect_view_class = IndicatorInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [TitleColumn("project", label=_("Project"), accessor=_project_column,
                                get_url=_inspect_url("indicator")),
                    Column("name", label=_("Indicator")), "unit",
                    Column("baseline_value", label=_("Baseline"), accessor=lambda o: _number(o.baseline_value)),
                    Column("target_value", label=_("Target"), accessor=lambda o: _number(o.target_value)),
                    Column("pmf", label=_("PMF"), accessor=lambda o: o.pmf_indicator.code if o.pmf_indicator_id
                           else "")]
    search_fields = ["name_en", "name_fr", "unit", "result__project__reference"]
    search_backend_name = None
    list_export = ["result.project.reference", "name_en", "name_fr", "kind", "unit", "accumulation", "ascending",
                   "baseline_value", "baseline_date", "target_value", "target_date", "pmf_code"]
    export_headings = {"result.project.reference": _("Project"), "pmf_code": _("PMF indicator")}
    export_filename = "mcee-indicators"
    ordering = ["result__project__reference", "pk"]
    panels = [
        FieldPanel("result"),
        MultiFieldPanel([FieldPanel("name_en"), FieldPanel("name_fr"),
                         FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
                         FieldRowPanel([FieldPanel("accumulation"), FieldPanel("ascending")])],
                        heading=_("Indicator")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_date")]),
                         FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_date")])],
                        heading=_("Baseline and target")),
        FieldPanel("pmf_indicator"),
        InlinePanel("periods", heading=_("Reporting periods"), label=_("Period")),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = IndicatorAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return Indicator.objects.select_related("result__project", "pmf_indicator")


# --- report schedules ---------------------------------------------------------------------------------


class _ScheduleSaveMixin:
    def save_instance(self):
        reports = reporting_services.report_schedule_save(schedule=self.form.instance)
        messages.info(self.request, _("The schedule expects %(count)s reports.") % {"count": len(reports)})
        return self.form.instance


class ScheduleCreateView(_ScheduleSaveMixin, CreateView):
    pass


class ScheduleEditView(_ScheduleSaveMixin, EditView):
    pass


class ReportScheduleViewSet(ProtectedSnippetViewSet):
    model = ReportSchedule
    icon = "date"
    menu_label = _("Report schedules")
    add_view_class = ScheduleCreateView
    edit_view_class = ScheduleEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [TitleColumn("project", label=_("Project"), accessor="project.reference",
                                get_url=_inspect_url("reportschedule")), "frequency", "due_days"]
    list_export = ["project.reference", "frequency", "due_days"]
    export_headings = {"project.reference": _("Project")}
    export_filename = "mcee-report-schedules"
    ordering = ["project__reference"]
    panels = [FieldPanel("project"), FieldRowPanel([FieldPanel("frequency"), FieldPanel("due_days")])]

    def base_queryset(self):
        return ReportSchedule.objects.select_related("project")


# --- partner reports ----------------------------------------------------------------------------------

YES, NO = "yes", "no"


class ReportOverdueFilter(ChoiceFilter):
    """Not (re)submitted after the due date; a report due today is not overdue."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [(YES, _("Overdue")), (NO, _("Not overdue"))])
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value == YES:
            return qs.filter(overdue_q(timezone.localdate()))
        if value == NO:
            return qs.exclude(overdue_q(timezone.localdate()))
        return qs


def _visible_partners(request):
    return access.visible(request.user, Partner) if request else Partner.objects.none()


def _visible_projects(request):
    return access.visible(request.user, Project) if request else Project.objects.none()


class PartnerReportFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)
    overdue = ReportOverdueFilter(label=_("Overdue"))
    # Choices limited to what the user may see: a partner's reporters are never offered another's names.
    partner = ModelChoiceFilter(label=_("Implementing partner"), queryset=_visible_partners,
                                field_name="project__partner")
    project = ModelChoiceFilter(label=_("Project"), queryset=_visible_projects)

    class Meta:
        model = PartnerReport
        fields = ["status", "overdue", "partner", "project"]


class IndicatorValuesPanel(Panel):
    """The actual of each of the project's indicators for the period: one field each, added by the form."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "projects/panels/indicator_values.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["fields"] = [self.form[name] for name in getattr(self.form, "indicator_fields", {})]
            return context


class PartnerReportForm(WagtailAdminModelForm):
    """The short report: the three texts and one field per indicator of the project (a number, or a
    description for a qualitative indicator). Nothing else is asked of the partner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_fields = {}
        report = self.instance
        if not report.pk:
            return
        values = {v.indicator_id: v for v in report.values.all()}
        for indicator in Indicator.objects.filter(result__project=report.project_id).order_by("result", "pk"):
            name = f"indicator_{indicator.pk}"
            given = values.get(indicator.pk)
            label = f"{indicator} ({indicator.unit})" if indicator.quantitative else str(indicator)
            if indicator.quantitative:
                help_text = _("Baseline %(baseline)s; target %(target)s.") % {
                    "baseline": _number(indicator.baseline_value), "target": _number(indicator.target_value)}
                self.fields[name] = forms.DecimalField(label=label, required=False, min_value=0, max_digits=14,
                                                       decimal_places=2, help_text=help_text,
                                                       initial=given.value if given else None)
            else:
                self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(
                    attrs={"rows": 3}), max_length=2000, initial=given.text if given else "")
            self.indicator_fields[name] = indicator.pk

    def clean(self):
        cleaned = super().clean()
        stored = PartnerReport.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        if stored is not None and stored not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            self.add_error(None, _("This report is with MCET: it can be changed only if MCET returns it."))
        return cleaned

    def indicator_values(self):
        return {pk: self.cleaned_data.get(name) for name, pk in self.indicator_fields.items()}


class PartnerReportEditView(EditView):
    def get(self, request, *args, **kwargs):
        if not self.object.is_open:
            messages.warning(request, _("This report is with MCET: it can be changed only if MCET returns it."))
        return super().get(request, *args, **kwargs)

    def save_instance(self):
        data = self.form.cleaned_data
        return reporting_services.partner_report_save(
            report=self.object, user=self.request.user, narrative=data.get("narrative", ""),
            risks=data.get("risks", ""), next_steps=data.get("next_steps", ""), values=self.form.indicator_values())


class PartnerReportInspectView(InspectView):
    template_name = "projects/partner_report_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        values = {v.indicator_id: v for v in report.values.all()}
        indicators = Indicator.objects.filter(result__project=report.project_id).order_by("result", "pk")
        today = timezone.localdate()
        context.update({
            "rows": [(indicator, values.get(indicator.pk)) for indicator in indicators],
            "transitions": report.transitions.select_related("user"),
            "available": reporting_services.available_transitions(report=report, user=user),
            "may_edit": report.is_open and bool(access.can(user, access.CHANGE, report)),
            "missing": reporting_services.missing_for_submission(report) if report.is_open else [],
            "overdue": report.is_overdue(today), "days_overdue": report.days_overdue(today),
        })
        return context


def _period(report):
    return report.period_label


def _overdue_flag(report):
    today = timezone.localdate()
    return _("%(days)s days late") % {"days": report.days_overdue(today)} if report.is_overdue(today) else ""


class PartnerReportViewSet(ProtectedSnippetViewSet):
    model = PartnerReport
    icon = "doc-empty-inverse"
    menu_label = _("Partner reports")
    inspect_view_class = PartnerReportInspectView
    edit_view_class = PartnerReportEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        TitleColumn("project", label=_("Project"), accessor="project.reference",
                    get_url=_inspect_url("partnerreport")),
        Column("partner", label=_("Partner"), accessor="project.partner"),
        Column("period", label=_("Period"), accessor=_period),
        Column("due_on", label=_("Due on"), sort_key="due_on", accessor=lambda r: r.due_on.isoformat()),
        "status",
        Column("late", label=_("Overdue"), accessor=_overdue_flag),
    ]
    list_filter = None
    filterset_class = PartnerReportFilterSet
    list_export = ["project.reference", "project.partner.acronym", "period_start", "period_end", "due_on", "status",
                   "submitted_at", "narrative", "risks", "next_steps"]
    export_headings = {"project.reference": _("Project"), "project.partner.acronym": _("Partner")}
    export_filename = "mcee-partner-reports"
    ordering = ["due_on", "project__reference", "pk"]
    panels = [FieldPanel("narrative"), IndicatorValuesPanel(heading=_("Indicator actuals for the period")),
              FieldPanel("risks"), FieldPanel("next_steps")]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = PartnerReportForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return PartnerReport.objects.select_related("project__partner")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("move/<int:pk>/", partner_report_move_view, name="move"),
        ]


MOVES = {
    ReportStatus.SUBMITTED: (reporting_services.partner_report_submit, _("The report is submitted to MCET.")),
    ReportStatus.ACCEPTED: (reporting_services.partner_report_accept,
                            _("The report is accepted; its actuals are now the indicators’ results.")),
    ReportStatus.RETURNED: (reporting_services.partner_report_return,
                            _("The report is returned to the partner with your comment.")),
}


def partner_report_move_view(request, pk):
    """Submit, accept or return (POST). Out of reach: 404; refused: said on the report's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    report = access.visible(request.user, PartnerReport).filter(pk=pk).first()
    if report is None:
        raise Http404
    to_status = request.POST.get("to_status", "")
    if to_status not in MOVES:
        messages.error(request, _("A report cannot be moved to “%(target)s”.") % {"target": to_status})
    else:
        service, done = MOVES[to_status]
        try:
            service(report=report, user=request.user, comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
    return redirect(PartnerReport.snippet_viewset.get_url_name("inspect"), pk)


class ReportsDuePanel(Component):
    """Admin home: the partner reports overdue, then those due within the reminder window, of the
    projects the user sees (a partner's reporters: their own)."""

    name = "mcee_reports_due"
    order = 60
    template_name = "projects/reports_due_panel.html"
    shown = 10

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows[:self.shown], "more": len(self.rows) > self.shown}


@hooks.register("construct_homepage_panels")
def add_reports_due_panel(request, panels):
    from django.conf import settings

    from .reporting_selectors import partner_reports_due, partner_reports_overdue

    if not access.can(request.user, access.VIEW, PartnerReport):
        return
    today = timezone.localdate()
    projects = access.visible(request.user, Project)
    rows = (partner_reports_overdue(today=today, projects=projects)
            + partner_reports_due(today=today, within_days=settings.MCEE_REMINDER_REPORT_DAYS, projects=projects))
    if rows:
        panels.append(ReportsDuePanel(rows))


class ResultsGroup(SnippetViewSetGroup):
    menu_label = _("Results")
    menu_icon = "success"
    menu_order = 220
    items = (ResultViewSet, IndicatorViewSet, ReportScheduleViewSet, PartnerReportViewSet, EnvelopeIndicatorViewSet,
             OutcomeViewSet)


register_snippet(ResultsGroup)
