"""The responsibility matrix (RACI, the evaluation's Recommendation 2a) in the admin.

MCET maintains the cells (``Responsibility``: a department's role in an activity, government-wide or
for one country); everyone with a role reads them, as a listing and as the matrix of activities by
departments, government-wide or for one country (``?country=XA``). The country pages show the
country's matrix through the ``country_inspect_panels`` hook (registered in ``wagtail_hooks``).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import F
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, EditView

from countries.models import Country
from mcee import access
from mcee.admin_access import ProtectedSnippetViewSet

from .models import Department, Responsibility, ResponsibilityActivity
from .selectors.responsibilities import RaciMatrix, raci_for_country
from .services.responsibilities import responsibility_conflicts

MATRIX_URL_NAME = "mcee_responsibility_matrix"


# --- Cells of the matrix ---

class ResponsibilityForm(WagtailAdminModelForm):
    """Says which existing cell a new one contradicts (a department's second role in an activity, a
    second accountable department) instead of the database's constraint names: the fields in error
    are left out of the model's constraint validation, so the sentence is said once."""

    def clean(self):
        cleaned = super().clean()
        candidate = Responsibility(pk=self.instance.pk, activity=cleaned.get("activity"),
                                   department=cleaned.get("department"), country=cleaned.get("country"),
                                   role=cleaned.get("role") or "")
        for field, sentences in responsibility_conflicts(candidate).items():
            for sentence in sentences:
                self.add_error(field if field in self.fields else None, sentence)
        return cleaned


class _SavesRaciCell:
    """A contradicting cell saved by someone else between the form's check and the write is a form
    error too, never a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            candidate = form.instance
            conflicts = responsibility_conflicts(candidate) or {None: [gettext(
                "This role contradicts another one just saved; reload the matrix and try again.")]}
            for field, sentences in conflicts.items():
                for sentence in sentences:
                    form.add_error(field if field in form.fields else None, sentence)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ResponsibilityCreateView(_SavesRaciCell, CreateView):
    pass


class ResponsibilityEditView(_SavesRaciCell, EditView):
    pass


class ResponsibilityFilterSet(WagtailFilterSet):
    activity = ModelChoiceFilter(label=_("Activity"), queryset=ResponsibilityActivity.objects.all())
    department = ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    country = ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all(),
                                null_label=_("All countries (government-wide)"))

    class Meta:
        model = Responsibility
        fields = ["activity", "department", "country"]


def where_label(responsibility) -> str:
    return str(responsibility.country) if responsibility.country_id else gettext("All countries (government-wide)")


class ResponsibilityViewSet(ProtectedSnippetViewSet):
    model = Responsibility
    icon = "table"
    menu_label = _("Responsibilities")
    add_view_class = ResponsibilityCreateView
    edit_view_class = ResponsibilityEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "activity",
        "department",
        Column("country", label=_("Where"), accessor=where_label, sort_key="country__code"),
        "role",
    ]
    list_filter = None
    filterset_class = ResponsibilityFilterSet
    list_export = ["activity.code", "department.code", "country_code", "role"]
    export_headings = {"activity.code": _("Activity"), "department.code": _("Department"),
                       "country_code": _("Country (empty: government-wide)"), "role": _("Role")}
    export_filename = "mcee-responsibilities"
    ordering = ["activity__sort_order", "department__code", "country__code"]
    panels = [
        FieldPanel("activity"),
        FieldRowPanel([FieldPanel("department"), FieldPanel("role", widget=forms.RadioSelect)]),
        FieldPanel("country"),
    ]

    def get_form_class(self, for_update=False):
        self._edit_handler.base_form_class = ResponsibilityForm
        return super().get_form_class(for_update)

    def base_queryset(self):
        return (Responsibility.objects.select_related("activity", "department", "country")
                .annotate(country_code=F("country__code")))


class ResponsibilityActivityViewSet(ProtectedSnippetViewSet):
    model = ResponsibilityActivity
    icon = "list-ol"
    menu_label = _("Activities")
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["sort_order", "code", "name_en", "name_fr"]
    list_export = ["sort_order", "code", "name_en", "name_fr"]
    export_filename = "mcee-responsibility-activities"
    ordering = ["sort_order", "code"]
    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]), FieldPanel("name_en"),
              FieldPanel("name_fr")]


# --- The matrix: activities × departments ---

def may_read_matrix(user) -> bool:
    return bool(access.can(user, access.VIEW, Responsibility)) and bool(
        access.can(user, access.VIEW, ResponsibilityActivity))


def render_matrix(request, matrix: RaciMatrix) -> str:
    """The matrix as an accessible table (shared by the matrix page and the country pages)."""
    return render_to_string("engagements/raci_table.html", {"matrix": matrix}, request=request)


def responsibility_matrix_view(request):
    if not may_read_matrix(request.user):
        raise PermissionDenied
    countries = access.visible(request.user, Country).order_by("code")
    code = (request.GET.get("country") or "").strip().upper()
    country = None
    unknown = False
    if code:
        country = countries.filter(code=code).first()
        unknown = country is None
    matrix = raci_for_country(country=country)
    return TemplateResponse(request, "engagements/raci_matrix.html", {
        "matrix": matrix,
        "table": render_matrix(request, matrix),
        "countries": countries,
        "selected": country.code.code if country else "",
        "unknown_code": code if unknown else "",
        "may_edit": bool(access.can(request.user, access.ADD, Responsibility)),
        "cells_url": reverse(Responsibility.snippet_viewset.get_url_name("list")),
    })


@hooks.register("register_admin_urls")
def register_matrix_url():
    return [path("responsibility-matrix/", responsibility_matrix_view, name=MATRIX_URL_NAME)]


class MatrixMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_matrix(request.user)


def matrix_menu_item(order: int) -> MenuItem:
    return MatrixMenuItem(_("Responsibility matrix"), reverse(MATRIX_URL_NAME), name="responsibility-matrix",
                          icon_name="table", order=order)


@hooks.register("country_inspect_panels")
def country_matrix_panel(request, country):
    """The country page's panel (``countries.wagtail_hooks.COUNTRY_INSPECT_PANELS``): its matrix, with
    the cells that are the country's own marked."""
    if not may_read_matrix(request.user):
        return None
    matrix = raci_for_country(country=country)
    url = f"{reverse(MATRIX_URL_NAME)}?country={country.code.code}"
    html = render_to_string("engagements/raci_country_panel.html",
                            {"matrix": matrix, "table": render_matrix(request, matrix),
                             "matrix_url": url}, request=request)
    return gettext("Roles and responsibilities (RACI)"), html
