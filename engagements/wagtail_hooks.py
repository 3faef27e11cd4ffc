from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet

from . import services
from .forms import EngagementAdminForm
from .forms_rwg import EngagementPlanForm, RWGDecisionForm
from .models import Department, Engagement, EngagementPlan, EscalationStep, RWGDecision, RWGMeeting


class EngagementViewSet(ProtectedSnippetViewSet):
    model = Engagement
    icon = "date"
    menu_label = _("Engagements")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["date", "country", "lead_department", "counterpart_institution", "kind", "level", "status"]
    list_filter = ["status", "kind", "level", "lead_department", "country"]
    search_fields = ["summary", "counterpart_institution", "counterpart_title", "outcome"]
    search_backend_name = None
    list_export = ["date", "country.code.code", "status", "kind", "level", "lead_department.code",
                   "counterpart_institution", "counterpart_title", "removals_raised", "summary", "outcome",
                   "next_steps"]
    export_headings = {"country.code.code": _("Country"), "lead_department.code": _("Lead department")}
    export_filename = "mcee-engagements"
    ordering = ["-date"]
    panels = [
        MultiFieldPanel([FieldRowPanel([FieldPanel("country"), FieldPanel("date")]),
                         FieldRowPanel([FieldPanel("status"), FieldPanel("kind"), FieldPanel("level")])],
                        heading=_("Engagement")),
        MultiFieldPanel([FieldPanel("lead_department"), FieldPanel("participating_departments")],
                        heading=_("Departments")),
        MultiFieldPanel([FieldPanel("counterpart_institution"), FieldPanel("counterpart_title")],
                        heading=_("Counterpart")),
        FieldPanel("summary"),
        FieldPanel("removals_raised"),
        FieldPanel("projects_leveraged"),
        FieldPanel("outcome"),
        FieldPanel("next_steps"),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = EngagementAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return Engagement.objects.select_related("country", "lead_department")


class DepartmentViewSet(ProtectedSnippetViewSet):
    model = Department
    icon = "site"
    menu_label = _("Departments")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    list_export = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    export_filename = "mcee-departments"


class EngagementsGroup(SnippetViewSetGroup):
    menu_label = _("Engagements")
    menu_icon = "date"
    menu_order = 220
    items = (EngagementViewSet, DepartmentViewSet)


register_snippet(EngagementsGroup)


# --- The Removals Working Group: meetings, decisions, engagement plans, escalation ---

class RWGMeetingInspectView(InspectView):
    template_name = "engagements/rwg_meeting_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decisions"] = access.visible(self.request.user, self.object.decisions.select_related(
            "country", "classification", "plan", "escalation_step"))
        return context


class RWGMeetingViewSet(ProtectedSnippetViewSet):
    model = RWGMeeting
    icon = "group"
    menu_label = _("RWG meetings")
    inspect_view_class = RWGMeetingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["date", "level", "notes"]
    list_filter = ["level"]
    list_export = ["date", "level", "notes"]
    export_filename = "mcee-rwg-meetings"
    ordering = ["-date"]
    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("level")]),
        FieldPanel("attending_departments", widget=CheckboxSelectMultiple),
        FieldPanel("agenda_countries"),
        FieldPanel("notes"),
    ]


class RWGDecisionViewSet(ProtectedSnippetViewSet):
    model = RWGDecision
    icon = "tick-inverse"
    menu_label = _("RWG decisions")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["meeting", "country", "kind", "summary"]
    list_filter = ["kind", "country"]
    list_export = ["meeting.date", "meeting.level", "country.code.code", "kind", "summary"]
    export_headings = {"meeting.date": _("Meeting date"), "meeting.level": _("Meeting level"),
                       "country.code.code": _("Country")}
    export_filename = "mcee-rwg-decisions"
    panels = [
        FieldRowPanel([FieldPanel("meeting"), FieldPanel("country")]),
        FieldPanel("kind"),
        MultiFieldPanel([FieldPanel("category"), FieldPanel("effective_date"), FieldPanel("rationale")],
                        heading=_("Classification, or the date an escalation step takes effect")),
        MultiFieldPanel([FieldPanel("plan_to_approve")], heading=_("Plan approval")),
        MultiFieldPanel([FieldPanel("level"), FieldRowPanel([FieldPanel("cabinet_approval_date"),
                                                              FieldPanel("cabinet_approval_reference")])],
                        heading=_("Escalation")),
        FieldPanel("summary"),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = RWGDecisionForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return RWGDecision.objects.select_related("meeting", "country")


class EngagementPlanInspectView(InspectView):
    template_name = "engagements/plan_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_levers"] = access.can_see_field(self.request.user, EngagementPlan, "negative_levers")
        context["may_revise"] = access.can(self.request.user, access.ADD, EngagementPlan)
        return context


class EngagementPlanViewSet(ProtectedSnippetViewSet):
    model = EngagementPlan
    icon = "doc-full-inverse"
    menu_label = _("Engagement plans")
    inspect_view_class = EngagementPlanInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["__str__", "plan_type", "status", "review_date"]
    list_filter = ["status", "plan_type", "country"]
    list_export = ["country.code.code", "version", "plan_type", "status", "objectives_en", "objectives_fr",
                   "review_date"]
    export_headings = {"country.code.code": _("Country")}
    export_filename = "mcee-engagement-plans"
    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("plan_type")]),
        FieldPanel("objectives_en"),
        FieldPanel("objectives_fr"),
        FieldPanel("incentive_projects"),
        FieldPanel("negative_levers"),
        FieldPanel("review_date"),
        InlinePanel("indicators", heading=_("Indicators (baseline and target)"), label=_("Indicator"), min_num=1),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = EngagementPlanForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return EngagementPlan.objects.select_related("country")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("new-version/<int:pk>/", plan_new_version_view, name="new_version"),
        ]


def plan_new_version_view(request, pk):
    """Start a revision of a plan (POST): a new draft version, then its edit page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    plan = access.visible(request.user, EngagementPlan).filter(pk=pk).first()
    if plan is None:
        raise Http404
    if not access.can(request.user, access.ADD, EngagementPlan):
        raise PermissionDenied
    try:
        draft = services.plan_revise(plan=plan, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(EngagementPlan.snippet_viewset.get_url_name("inspect"), pk)
    messages.success(request, _("Version %(version)s started as a draft.") % {"version": draft.version})
    return redirect(EngagementPlan.snippet_viewset.get_url_name("edit"), draft.pk)


class EscalationStepViewSet(ProtectedSnippetViewSet):
    model = EscalationStep
    icon = "warning"
    menu_label = _("Escalation")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["country", "level", "effective_date", "cabinet_approval_reference"]
    list_filter = ["level", "country"]
    list_export = ["country.code.code", "level", "effective_date", "rationale", "cabinet_approval_date",
                   "cabinet_approval_reference"]
    export_headings = {"country.code.code": _("Country")}
    export_filename = "mcee-escalation"
    ordering = ["country", "-effective_date"]
    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("level"), FieldPanel("effective_date")]),
        FieldPanel("rationale"),
        FieldRowPanel([FieldPanel("cabinet_approval_date"), FieldPanel("cabinet_approval_reference")]),
    ]

    def base_queryset(self):
        return EscalationStep.objects.select_related("country")


class RWGGroup(SnippetViewSetGroup):
    menu_label = _("Removals Working Group")
    menu_icon = "group"
    menu_order = 230
    items = (RWGMeetingViewSet, RWGDecisionViewSet, EngagementPlanViewSet, EscalationStepViewSet)


register_snippet(RWGGroup)
