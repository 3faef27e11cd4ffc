"""The portfolio in the Wagtail admin: projects, partners, priority areas, the envelope, key messages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet
from mcee.admin_columns import MoneyColumn

from . import services
from .filters import ProjectFilterSet
from .forms import KeyMessageAdminForm, ProjectAdminForm
from .models import Envelope, FundingLine, KeyMessage, KeyMessageStatus, Partner, PriorityArea, Project, ProjectCountry
from .selectors import envelope_summary

FundingLine.panels = [FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("planned"), FieldPanel("disbursed")])]
ProjectCountry.panels = [FieldRowPanel([FieldPanel("country"), FieldPanel("share")])]


class ProjectViewSet(ProtectedSnippetViewSet):
    model = Project
    icon = "folder-open-inverse"
    menu_label = _("Projects")
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "reference",
        Column("title", label=_("Title")),
        "partner",
        "status",
        MoneyColumn("approved_amount", label=_("Approved amount"), sort_key="approved_amount"),
        Column("get_size_category_display", label=_("Size")),
    ]
    list_filter = None
    filterset_class = ProjectFilterSet
    search_fields = ["reference", "title_en", "title_fr", "summary_en", "summary_fr", "partner__acronym"]
    search_backend_name = None  # plain database search over the fields above
    list_export = ["reference", "title_en", "title_fr", "partner.acronym", "status", "approved_amount",
                   "size_category", "planned_start", "planned_end", "actual_start", "actual_end",
                   "country_codes", "priority_area_codes"]
    export_headings = {"partner.acronym": _("Implementing partner"), "size_category": _("Size"),
                       "country_codes": _("Countries (share %)"), "priority_area_codes": _("Priority areas")}
    export_filename = "mcee-projects"
    ordering = ["reference"]
    panels = [
        MultiFieldPanel([FieldPanel("reference"), FieldPanel("partner"), FieldPanel("status")], heading=_("Project")),
        MultiFieldPanel([FieldPanel("title_en"), FieldPanel("title_fr"), FieldPanel("summary_en"),
                         FieldPanel("summary_fr")], heading=_("Title and summary")),
        MultiFieldPanel([FieldPanel("approved_amount"),
                         FieldRowPanel([FieldPanel("planned_start"), FieldPanel("planned_end")]),
                         FieldRowPanel([FieldPanel("actual_start"), FieldPanel("actual_end")])],
                        heading=_("Amount and dates")),
        FieldPanel("priority_areas", widget=None),
        InlinePanel("country_shares", heading=_("Countries (shares add up to 100 %)"), label=_("Country"),
                    min_num=1),
        InlinePanel("funding_lines", heading=_("Funding by fiscal year"), label=_("Funding line")),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = ProjectAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return Project.objects.select_related("partner").prefetch_related(
            "country_shares__country", "priority_areas")


class PartnerViewSet(ProtectedSnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Implementing partners")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["acronym", "name_en", "name_fr", "organisation_type", "iati_ref"]
    search_fields = ["acronym", "name_en", "name_fr"]
    search_backend_name = None
    list_export = ["acronym", "acronym_fr", "name_en", "name_fr", "organisation_type", "iati_ref"]
    export_filename = "mcee-partners"


class PriorityAreaViewSet(ProtectedSnippetViewSet):
    model = PriorityArea
    icon = "tag"
    menu_label = _("Priority areas")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["sort_order", "code", "name_en", "name_fr"]
    list_export = ["sort_order", "code", "name_en", "name_fr"]
    export_filename = "mcee-priority-areas"


class EnvelopeViewSet(ProtectedSnippetViewSet):
    model = Envelope
    icon = "doc-full"
    menu_label = _("Envelope")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "name_en", MoneyColumn("total_amount", label=_("Total")), "first_fiscal_year",
                    "last_fiscal_year", "vote"]
    list_export = ["code", "name_en", "name_fr", "total_amount", "first_fiscal_year", "last_fiscal_year", "vote",
                   "parent_programme_en", "parent_programme_fr"]
    export_filename = "mcee-envelope"


# --- Key messages for diplomatic use (issue 6) ---
# Written as drafts and approved by MCET; only approved messages leave MCET (the RWG and department
# officers see those alone: projects.access.KeyMessageRule, applied to the listing, export and pages).


def approved_on(message):
    return timezone.localtime(message.approved_at).date().isoformat() if message.approved_at else ""


class MessageTextColumn(Column):
    """The message in the reader's language, shortened for the listing."""

    def get_value(self, instance):
        return Truncator(str(instance.text)).chars(160)


class KeyMessageInspectView(InspectView):
    template_name = "projects/key_message_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        may_change = bool(access.can(self.request.user, access.CHANGE, self.object))
        context["may_approve"] = may_change and self.object.status == KeyMessageStatus.DRAFT
        context["may_retire"] = may_change and self.object.status == KeyMessageStatus.APPROVED
        context["evidence_periods"] = self.object.evidence_periods.select_related(
            "indicator__result__project").order_by("indicator", "period_start")
        return context


class KeyMessageEditView(EditView):
    def get(self, request, *args, **kwargs):
        if self.object.status != KeyMessageStatus.DRAFT:
            messages.warning(request, _("Only a draft key message can be changed. To change what this one says, "
                                        "retire it and write a new one."))
        return super().get(request, *args, **kwargs)


class KeyMessageViewSet(ProtectedSnippetViewSet):
    model = KeyMessage
    icon = "openquote"
    menu_label = _("Key messages")
    inspect_view_class = KeyMessageInspectView
    edit_view_class = KeyMessageEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "country",
        Column("project", label=_("Project"), accessor="project.reference"),
        "status",
        MessageTextColumn("text", label=_("Message")),
        Column("approved_at", label=_("Approved on"), sort_key="approved_at", accessor=approved_on),
    ]
    list_filter = ["status", "country"]
    search_fields = ["text_en", "text_fr", "evidence", "project__reference"]
    search_backend_name = None
    list_export = ["country.code.code", "project.reference", "status", "text_en", "text_fr", "evidence",
                   "approved_at"]
    export_headings = {"country.code.code": _("Country"), "project.reference": _("Project")}
    export_filename = "mcee-key-messages"
    ordering = ["country__code", "project__reference", "pk"]
    panels = [
        FieldRowPanel([FieldPanel("project"), FieldPanel("country")]),
        FieldPanel("text_en"),
        FieldPanel("text_fr"),
        FieldPanel("evidence_periods"),
        FieldPanel("evidence"),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = KeyMessageAdminForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return KeyMessage.objects.select_related("country", "project")

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("approve/<int:pk>/", key_message_approve_view, name="approve"),
            path("retire/<int:pk>/", key_message_retire_view, name="retire"),
        ]


def _key_message_action(request, pk, service, done):
    """Approve or retire (POST): a message outside the user's reach is absent (404); a role that may
    read it but not change it is refused (403); a refused transition is said on the message's page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message = access.visible(request.user, KeyMessage).filter(pk=pk).first()
    if message is None:
        raise Http404
    decision = access.can(request.user, access.CHANGE, message)
    if not decision:
        raise PermissionDenied(str(decision.reason))
    try:
        service(message=message, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(KeyMessage.snippet_viewset.get_url_name("inspect"), pk)


def key_message_approve_view(request, pk):
    return _key_message_action(request, pk, services.key_message_approve,
                               _("The key message is approved for diplomatic use."))


def key_message_retire_view(request, pk):
    return _key_message_action(request, pk, services.key_message_retire,
                               _("The key message is retired: it is no longer offered for diplomatic use."))


class PortfolioGroup(SnippetViewSetGroup):
    menu_label = _("Portfolio")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (ProjectViewSet, PartnerViewSet, PriorityAreaViewSet, EnvelopeViewSet, KeyMessageViewSet)


register_snippet(PortfolioGroup)


class EnvelopePanel(Component):
    """Admin home: the envelope's approved, disbursed and remaining funding by fiscal year."""

    name = "mcee_envelope"
    order = 50
    template_name = "projects/envelope_panel.html"

    def get_context_data(self, parent_context):
        return {"summary": envelope_summary()}


@hooks.register("construct_homepage_panels")
def add_envelope_panel(request, panels):
    # Envelope-wide figures are for those who see all funding, never for a scoped role.
    if access.can(request.user, access.VIEW, FundingLine) and not access.is_scoped(request.user, FundingLine):
        panels.append(EnvelopePanel())

# The menu groups "Proposals" (calls, proposals, reviews) and "Results" (results framework, partner reports).
from . import admin_proposals, admin_results  # noqa: E402, F401


# Reports → IATI export (issue 9): the checks and the download of the IATI file.
@hooks.register("register_admin_urls")
def register_iati_urls():
    from . import admin_iati

    return [
        path("iati-export/", admin_iati.iati_page, name="projects_iati_export"),
        path("iati-export/download/", admin_iati.iati_download, name="projects_iati_download"),
    ]


@hooks.register("register_reports_menu_item")
def register_iati_menu_item():
    """Registered (not added by a construct hook) so that Wagtail asks its ``is_shown``."""
    from . import admin_iati

    return admin_iati.menu_item()
