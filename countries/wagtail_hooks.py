"""Countries in the admin: each with its dated classification history; the current category is derived."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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


# Extension point: higher apps add sections to the country page without this app knowing them.
# A function registered with ``@hooks.register(COUNTRY_INSPECT_PANELS)`` is called with
# ``(request, country)`` and returns ``(title, html)`` (html already rendered and safe), or ``None``
# when the user may not see it. Sections appear in the order of the hooks.
COUNTRY_INSPECT_PANELS = "country_inspect_panels"


class CountryInspectView(InspectView):
    """A country with its classification history; the rationale only for those allowed to see it."""

    template_name = "countries/country_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.classifications.order_by("-effective_date")
        context["show_rationale"] = access.can_see_field(self.request.user, CountryClassification, "rationale")
        context["extra_panels"] = [
            panel for panel in (fn(self.request, self.object) for fn in hooks.get_hooks(COUNTRY_INSPECT_PANELS))
            if panel
        ]
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


# --- Travel documents (issue 5) ---
# Imported with `manage.py import_td --kind cases|monthly`; listed, filtered, exported and inspected
# here. A case's reference is never stored (only its keyed hash), so no screen can show it. The
# timeliness target per country is set here by MCET; the figures are reports (countries/reports.py).

from .filters import TravelDocumentCaseFilterSet, TravelDocumentMonthFilterSet  # noqa: E402
from .models import TimelinessTarget, TravelDocumentCase, TravelDocumentMonth  # noqa: E402


class TravelDocumentCaseViewSet(ProtectedSnippetViewSet):
    model = TravelDocumentCase
    icon = "doc-full"
    menu_label = _("Travel-document cases")
    menu_order = 220
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_fields = ["country", "requested_on", "issued_on", "outcome", "days_to_issue", "document_type",
                           "validity_days", "interview_required", "priority", "created_at", "updated_at"]
    copy_view_enabled = False
    list_display = ["country", "requested_on", "issued_on", "outcome", "days_to_issue", "priority"]
    list_filter = None
    filterset_class = TravelDocumentCaseFilterSet
    list_export = ["country.code", "requested_on", "issued_on", "outcome", "days_to_issue", "document_type",
                   "validity_days", "interview_required", "priority"]
    export_headings = {"country.code": _("Country code"), "requested_on": _("Requested on"),
                       "issued_on": _("Issued on"), "outcome": _("Outcome"), "days_to_issue": _("Days to issue"),
                       "document_type": _("Document type"), "validity_days": _("Validity (days)"),
                       "interview_required": _("Interview required"), "priority": _("Priority")}
    export_filename = "mcee-travel-document-cases"
    ordering = ["country__code", "-requested_on"]
    panels = [
        FieldPanel("country"),
        FieldRowPanel([FieldPanel("requested_on"), FieldPanel("issued_on"), FieldPanel("outcome")]),
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("validity_days")]),
        FieldRowPanel([FieldPanel("interview_required"), FieldPanel("priority")]),
    ]

    def base_queryset(self):
        return TravelDocumentCase.objects.select_related("country")


class TravelDocumentMonthViewSet(ProtectedSnippetViewSet):
    model = TravelDocumentMonth
    icon = "date"
    menu_label = _("Travel-document months")
    menu_order = 221
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["country", "month", CountColumn("requested", label=_("Requested"), sort_key="requested"),
                    CountColumn("issued", label=_("Issued"), sort_key="issued"),
                    CountColumn("refused", label=_("Refused"), sort_key="refused"),
                    CountColumn("pending_end", label=_("Pending at month end"), sort_key="pending_end"),
                    "added_to_inventory", CountColumn("removals", label=_("Removals"), sort_key="removals")]
    list_filter = None
    filterset_class = TravelDocumentMonthFilterSet
    list_export = ["country.code", "month", "requested", "issued", "refused", "pending_end", "added_to_inventory",
                   "removals"]
    export_headings = {"country.code": _("Country code"), "month": _("Month"), "requested": _("Requested"),
                       "issued": _("Issued"), "refused": _("Refused"), "pending_end": _("Pending at month end"),
                       "added_to_inventory": _("Added to inventory"), "removals": _("Removals")}
    export_filename = "mcee-travel-document-months"
    ordering = ["country__code", "-month"]
    panels = [
        FieldRowPanel([FieldPanel("country"), FieldPanel("month")]),
        FieldRowPanel([FieldPanel("requested"), FieldPanel("issued"), FieldPanel("refused")]),
        FieldRowPanel([FieldPanel("pending_end"), FieldPanel("added_to_inventory"), FieldPanel("removals")]),
    ]

    def base_queryset(self):
        return TravelDocumentMonth.objects.select_related("country")


class TimelinessTargetViewSet(ProtectedSnippetViewSet):
    model = TimelinessTarget
    icon = "time"
    menu_label = _("Timeliness targets")
    menu_order = 222
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["country", "target_days"]
    list_export = ["country.code", "target_days"]
    export_headings = {"country.code": _("Country code"), "target_days": _("Target (days)")}
    export_filename = "mcee-timeliness-targets"
    panels = [FieldPanel("country"), FieldPanel("target_days")]

    def base_queryset(self):
        return TimelinessTarget.objects.select_related("country")


register_snippet(TravelDocumentCaseViewSet)
register_snippet(TravelDocumentMonthViewSet)
register_snippet(TimelinessTargetViewSet)
