"""Every registered report as a Wagtail admin report, with its options form and CSV/XLSX export."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.admin.views.reports import ReportView

from .reports import Report


class RegisteredReportView(ReportView):
    template_name = "mcee/report.html"
    results_template_name = "mcee/report_results.html"
    header_icon = "table"
    paginate_by = None
    report_class: type[Report] = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.report_class.permission):
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
        if self.report_class.options_form is None:
            return None
        return self.report_class.options_form(data=self.request.GET or None)

    def get_queryset(self):
        form = self.options_form()
        if form is not None and not form.is_valid():
            self.invalid_options = True
            return []
        options = form.cleaned_data if form is not None else {}
        return self.report_class(options=options).display_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report_class
        context["columns"] = self.report_class.columns
        context["options_form"] = self.options_form()
        return context
