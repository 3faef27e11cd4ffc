from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from mcee.admin_access import ProtectedSnippetViewSet

from .forms import EngagementAdminForm
from .models import Department, Engagement


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
