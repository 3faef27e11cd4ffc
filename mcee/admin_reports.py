"""Every registered report as a Wagtail admin report, with its options form and CSV/XLSX export."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.admin.views.reports import ReportView

from . import access
from .reports import Report
from .spreadsheets import SafeSpreadsheetExportMixin


def may_read_report(user, report_class) -> bool:
    """Reports aggregate over every row: only for those who see every row of the report's model."""
    model = apps.get_model(report_class.audience_model)
    return bool(access.can(user, access.VIEW, model)) and not access.is_scoped(user, model)


class RegisteredReportView(SafeSpreadsheetExportMixin, ReportView):
    template_name = "mcee/report.html"
    results_template_name = "mcee/report_results.html"
    header_icon = "table"
    paginate_by = None
    report_class: type[Report] = None

    def dispatch(self, request, *args, **kwargs):
        if not may_read_report(request.user, self.report_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.report_class.title

    @property
    def index_url(self):
        return reverse(f"mcee_report_{self.report_class.slug}")

    @property
    def index_results_url(self):
        return self.index_url

    def get_filename(self):
        return f"mcee-{self.report_class.slug}"

    @property
    def list_export(self):
        return [c.key for c in self.report_class.columns]

    @property
    def export_headings(self):
        return {c.key: c.label for c in self.report_class.columns}

    def options_form(self):
        """Bound to the options in the address; on a first visit (none given), to the form's initial
        values when every required option has one (the latest year, say), else left empty."""
        form_class = self.report_class.options_form
        if form_class is None:
            return None
        if any(name in self.request.GET for name in form_class.base_fields):
            return form_class(data=self.request.GET)
        initial = {}
        for name, form_field in form_class.base_fields.items():
            value = form_field.initial() if callable(form_field.initial) else form_field.initial
            if value is not None:
                initial[name] = value
        if all(name in initial for name, form_field in form_class.base_fields.items() if form_field.required):
            return form_class(data=initial)
        return form_class()

    def get_queryset(self):
        form = self.options_form()
        if form is not None and not form.is_bound:
            self.options_needed = True
            return []
        if form is not None and not form.is_valid():
            self.invalid_options = True
            return []
        options = form.cleaned_data if form is not None else {}
        report = self.report_class(options=options)
        rows = report.display_rows()
        self.report_notes = report.notes()
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report_class
        context["columns"] = self.report_class.columns
        context["options_form"] = self.options_form()
        context["report_notes"] = getattr(self, "report_notes", [])
        return context
