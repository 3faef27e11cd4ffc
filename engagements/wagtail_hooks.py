from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Department


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "site"
    menu_label = _("Departments")
    menu_order = 220
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    list_export = ["code", "acronym_en", "acronym_fr", "name_en", "name_fr"]
    export_filename = "mcee-departments"


register_snippet(DepartmentViewSet)
