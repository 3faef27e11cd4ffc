"""Countries in the admin: each with its dated classification history; the current category is derived."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView

from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet

from .models import Category, Country, CountryClassification
from .selectors import country_list

CountryClassification.panels = [
    FieldRowPanel([FieldPanel("effective_date"), FieldPanel("category")]),
    FieldPanel("rationale"),
]


class CategoryColumn(Column):
    def get_value(self, instance):
        return Category(instance.category).label if instance.category else Category.NOT_TARGETED.label


class CountryInspectView(InspectView):
    """A country with its classification history; the rationale only for those allowed to see it."""

    template_name = "countries/country_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.classifications.order_by("-effective_date")
        context["show_rationale"] = access.can_see_field(self.request.user, CountryClassification, "rationale")
        return context


class CountryViewSet(ProtectedSnippetViewSet):
    inspect_view_class = CountryInspectView
    model = Country
    icon = "globe"
    menu_label = _("Countries")
    menu_order = 210
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["code", "__str__", CategoryColumn("category", label=_("Current category"))]
    list_export = ["code", "name", "category"]
    export_headings = {"code": _("Code"), "name": _("Name"), "category": _("Current category")}
    export_filename = "mcee-countries"
    panels = [
        FieldPanel("code"),
        InlinePanel("classifications", heading=_("Classification history (newest first)"),
                    label=_("Classification")),
    ]

    def base_queryset(self):
        return country_list()


register_snippet(CountryViewSet)


# --- Asylum statistics (issue 4) ---
# Imported with `manage.py import_asylum`; listed, filtered, exported and inspected here. The
# preventive ranking computed from them is a report (countries/reports.py), its weights a setting.

from mcee.formatting import format_number  # noqa: E402

from .filters import AsylumStatisticFilterSet  # noqa: E402
from .models import AsylumStatistic  # noqa: E402


class CountColumn(Column):
    """A whole number with the thousands separator of the reader's language."""

    def get_value(self, instance):
        return format_number(super().get_value(instance))


class AsylumStatisticViewSet(ProtectedSnippetViewSet):
    model = AsylumStatistic
    icon = "list-ol"
    menu_label = _("Asylum statistics")
    menu_order = 215
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_fields = ["country", "year", "claims", "irb_decided", "irb_rejected", "created_at", "updated_at"]
    copy_view_enabled = False
    list_display = [
        "country",
        "year",
        CountColumn("claims", label=_("Asylum claims"), sort_key="claims"),
        CountColumn("irb_decided", label=_("IRB decisions"), sort_key="irb_decided"),
        CountColumn("irb_rejected", label=_("IRB rejections"), sort_key="irb_rejected"),
    ]
    list_filter = None
    filterset_class = AsylumStatisticFilterSet
    list_export = ["country.code", "country.name", "year", "claims", "irb_decided", "irb_rejected"]
    export_headings = {"country.code": _("Country code"), "country.name": _("Country"), "year": _("Year"),
                       "claims": _("Asylum claims"), "irb_decided": _("IRB decisions"),
                       "irb_rejected": _("IRB rejections")}
    export_filename = "mcee-asylum-statistics"
    ordering = ["country__code", "-year"]
    panels = [
        FieldPanel("country"),
        FieldPanel("year"),
        FieldRowPanel([FieldPanel("claims"), FieldPanel("irb_decided"), FieldPanel("irb_rejected")]),
    ]

    def base_queryset(self):
        return AsylumStatistic.objects.select_related("country")


register_snippet(AsylumStatisticViewSet)
