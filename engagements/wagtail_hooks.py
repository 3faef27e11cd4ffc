from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import CheckboxSelectMultiple
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSetGroup

from countries.models import Country
from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet

from . import services
from .filters import EngagementFilterSet, FollowUpFilterSet
from .forms import EngagementAdminForm, FollowUpAdminForm, FollowUpInlinePanel
from .forms_rwg import EngagementPlanForm, RWGDecisionForm
from .models import Department, Engagement, EngagementPlan, EscalationStep, FollowUp, RWGDecision, RWGMeeting
from .selectors.engagements import (
    CALENDAR_MAX_WEEKS,
    CALENDAR_WEEKS,
    OVERLAP_DAYS,
    engagement_calendar,
    engagements_for_country,
)

FollowUp.panels = [
    FieldPanel("action"),
    FieldRowPanel([FieldPanel("owner_department"), FieldPanel("owner")]),
    FieldRowPanel([FieldPanel("due_date"), FieldPanel("status"), FieldPanel("completed_on")]),
]


class EngagementViewSet(ProtectedSnippetViewSet):
    model = Engagement
    icon = "date"
    menu_label = _("Engagements")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["date", "country", "lead_department", "counterpart_institution", "kind", "level", "status"]
    list_filter = None
    filterset_class = EngagementFilterSet
    search_fields = ["summary", "counterpart_institution", "counterpart_title", "outcome"]
    search_backend_name = None
    list_export = ["date", "country.code.code", "status", "kind", "level", "lead_department.code",
                   "participating_department_codes", "counterpart_institution", "counterpart_title",
                   "removals_raised", "projects_leveraged_references", "no_project_leveraged",
                   "key_messages_used_count", "summary", "outcome", "next_steps"]
    export_headings = {"country.code.code": _("Country"), "lead_department.code": _("Lead department"),
                       "participating_department_codes": _("Participating departments"),
                       "projects_leveraged_references": _("MCEE projects leveraged"),
                       "key_messages_used_count": _("Key messages used")}
    export_filename = "mcee-engagements"
    ordering = ["-date"]
    # Essentials first, in the order an officer has them in mind; the narrative after; follow-ups last.
    panels = [
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("country"), FieldPanel("date"), FieldPanel("status")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("level")]),
            FieldPanel("lead_department"),
            FieldPanel("participating_departments", widget=CheckboxSelectMultiple),
            FieldRowPanel([FieldPanel("counterpart_institution"), FieldPanel("counterpart_title")]),
            FieldPanel("removals_raised"),
        ], heading=_("Engagement")),
        MultiFieldPanel([
            FieldPanel("projects_leveraged", widget=CheckboxSelectMultiple),
            FieldPanel("no_project_leveraged"),
            FieldPanel("key_messages_used", widget=CheckboxSelectMultiple),
        ], heading=_("MCEE projects and key messages used")),
        MultiFieldPanel([FieldPanel("summary"), FieldPanel("outcome"), FieldPanel("next_steps"),
                         FieldPanel("lead_officer")], heading=_("Summary, outcome and next steps")),
        FollowUpInlinePanel("follow_ups", heading=_("Follow-up actions"), label=_("Follow-up action"),
                            panels=FollowUp.panels),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = EngagementAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return (Engagement.objects.select_related("country", "lead_department")
                .prefetch_related("participating_departments", "projects_leveraged", "key_messages_used"))


def follow_up_state(follow_up):
    """"Overdue" in words (not colour alone), else the status."""
    if follow_up.is_overdue(timezone.localdate()):
        return _("Overdue")
    return follow_up.get_status_display()


class FollowUpViewSet(ProtectedSnippetViewSet):
    model = FollowUp
    icon = "tasks"
    menu_label = _("Follow-up actions")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "action",
        Column("engagement", label=_("Engagement")),
        Column("country", label=_("Country"), accessor="engagement.country"),
        "owner_department",
        "due_date",
        StatusTagColumn("state", label=_("Status"), accessor=follow_up_state, sort_key="status",
                        primary=lambda f: f.is_overdue(timezone.localdate())),
    ]
    list_filter = None
    filterset_class = FollowUpFilterSet
    search_fields = ["action"]
    search_backend_name = None
    list_export = ["engagement.date", "engagement.country.code.code", "engagement.lead_department.code", "action",
                   "owner_department.code", "due_date", "status", "completed_on"]
    export_headings = {"engagement.date": _("Engagement date"), "engagement.country.code.code": _("Country"),
                       "engagement.lead_department.code": _("Lead department"),
                       "owner_department.code": _("Owner department")}
    export_filename = "mcee-follow-ups"
    ordering = ["due_date", "pk"]
    panels = [FieldPanel("engagement")] + FollowUp.panels

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = FollowUpAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return FollowUp.objects.select_related("engagement__country", "engagement__lead_department",
                                               "owner_department")


class DepartmentViewSet(ProtectedSnippetViewSet):
    model = Department
    icon = "site"
    menu_label = _("Departments")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    list_export = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    export_filename = "mcee-departments"


# --- The engagement calendar ---


class CalendarFilterForm(forms.Form):
    weeks = forms.IntegerField(label=_("Weeks ahead"), min_value=1, max_value=CALENDAR_MAX_WEEKS, required=False,
                               help_text=_("From today; 8 when empty."))
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False,
                                        help_text=_("Engagements it leads or takes part in."))
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all(), required=False)


def engagement_calendar_view(request):
    """Planned engagements in the coming weeks, by week and country, each with the other departments
    that meet the same country within 14 days (docs/decisions/0004-calendar-visibility.md)."""
    if not access.can(request.user, access.VIEW, Engagement):
        raise PermissionDenied
    form = CalendarFilterForm(request.GET or None)
    options = form.cleaned_data if form.is_bound and form.is_valid() else {}
    calendar = engagement_calendar(
        visible=access.visible(request.user, Engagement), weeks=options.get("weeks") or CALENDAR_WEEKS,
        department=options.get("department"), country=options.get("country"))
    return TemplateResponse(request, "engagements/calendar.html", {
        "calendar": calendar, "form": form, "overlap_days": OVERLAP_DAYS,
        "may_add": access.can(request.user, access.ADD, Engagement)})


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(access.can(request.user, access.VIEW, Engagement))


class EngagementCalendarViewSet(ViewSet):
    name = "engagement-calendar"
    icon = "calendar"
    menu_label = _("Engagement calendar")
    menu_item_class = CalendarMenuItem

    def get_urlpatterns(self):
        return [path("", engagement_calendar_view, name="index")]


class EngagementsGroup(SnippetViewSetGroup):
    menu_label = _("Engagements")
    menu_icon = "date"
    menu_order = 220
    items = (EngagementViewSet, EngagementCalendarViewSet, FollowUpViewSet, DepartmentViewSet)


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



@hooks.register("country_inspect_panels")
def country_engagements_panel(request, country):
    """The country page's engagements (``countries.wagtail_hooks.COUNTRY_INSPECT_PANELS``): those the user
    may see, newest first, each with the projects it leveraged."""
    if not access.can(request.user, access.VIEW, Engagement):
        return None
    engagements = engagements_for_country(visible=access.visible(request.user, Engagement), country=country)
    list_url = f"{reverse(Engagement.snippet_viewset.get_url_name('list'))}?country={country.pk}"
    html = render_to_string("engagements/country_engagements_panel.html",
                            {"engagements": engagements, "list_url": list_url}, request=request)
    return gettext("Engagements"), html


# --- Roles and responsibilities (RACI) and dissemination (issue 6): importing these registers their
# menu and views, and the country pages' matrix (the countries app's "country_inspect_panels" hook) ---
from . import admin_dissemination, admin_responsibilities  # noqa: E402, F401
