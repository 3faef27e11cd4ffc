"""The portfolio in the Wagtail admin: projects, partners, priority areas, the envelope."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet
from mcee.admin_columns import MoneyColumn

from .filters import ProjectFilterSet
from .forms import ProjectAdminForm
from .models import Envelope, FundingLine, Partner, PriorityArea, Project, ProjectCountry
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


class PortfolioGroup(SnippetViewSetGroup):
    menu_label = _("Portfolio")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (ProjectViewSet, PartnerViewSet, PriorityAreaViewSet, EnvelopeViewSet)


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
