"""Writing rows to CSV and XLSX, the same way for every file the system writes.

Two rules hold for every spreadsheet that leaves the system (admin listing downloads, report
downloads, ``mcee_report``, the audit trail):

- **The security marking** (``mcee.markings``) is the first row, above the column headings, in
  the language of the file, so whoever opens it sees the marking before any figure.
- **No cell runs as a formula.** A spreadsheet program runs a cell that starts with ``=``, ``+``,
  ``-`` or ``@`` as a formula (and a leading tab or carriage return can hide one), which is how a
  value typed into the system could attack whoever opens the export. Such text is written with an
  apostrophe in front (``'=HYPERLINK(...)``), which every spreadsheet program shows as text. A
  number stays a number: a negative amount (``Decimal("-5000")``) is written as ``-5000``, and so
  is text that is nothing but a plain number (``"-5000"``, ``"+1.5"``): it cannot compute anything.

``SafeSpreadsheetExportMixin`` applies both rules to Wagtail's ``list_export`` downloads (every
admin viewset gets it through ``mcee.admin_access``, and the report views through
``mcee.admin_reports``); ``write_csv`` and ``xlsx_bytes`` to everything else. The import side
(``mcee.imports``) skips the marking row, so a file the system wrote can be read back.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from .markings import marking_for

# The first characters that make a spreadsheet program read a cell as a formula (or hide one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet may show it without running it. Numbers, dates and empty values
    are returned as they are; text starting like a formula gets an apostrophe in front."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return NEUTRALISING_PREFIX + value


def marking_row(language: str | None = None) -> list[str]:
    """The row above the headings: the security marking, in the file's language."""
    return [marking_for(language)]


def safe_row(row: Iterable) -> list:
    return [neutralise("" if value is None else value) for value in row]


def _csv_cell(value):
    """A line break inside a cell is written as ``\\n`` (so the cell is quoted and stays one cell: the
    CSV writer, ending lines with ``\\n``, would leave a bare carriage return unquoted)."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def write_csv(stream, header: Sequence[str], rows: Iterable[Sequence], *, language: str | None = None) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(marking_row(language))
    writer.writerow([_csv_cell(v) for v in safe_row(str(h) for h in header)])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in safe_row(row)])


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1",
               language: str | None = None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(marking_row(language))
    sheet.append([_xlsx_cell(sheet, h) for h in safe_row(str(h) for h in header)])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in safe_row(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, value):
    """A write-only cell; text is always text (openpyxl would otherwise store ``=…`` as a formula)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


class SafeSpreadsheetExportMixin:
    """For views built on Wagtail's ``SpreadsheetExportMixin`` (listing and report downloads): the
    marking row above the headings, and every cell neutralised."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return value
        return neutralise(value)

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))

    def stream_csv(self, queryset):
        rows = super().stream_csv(queryset)
        writer = csv.writer(_Echo(), lineterminator="\r\n")  # Wagtail's own CSV rows end so
        yield writer.writerow(marking_row())
        yield from rows

    def write_xlsx(self, queryset, output):
        # Wagtail's own write_xlsx, with the marking row above the headings.
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.append(marking_row())
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item), date_format=date_format))
        workbook.save(output)


class _Echo:
    def write(self, value):
        return value


# Wagtail's own listings and reports that download CSV/XLSX (site history, page reports, workflow
# reports, redirects, form submissions). Ours get the mixin from mcee.admin_access and
# mcee.admin_reports; these are Wagtail's classes, so the mixin is put first in their bases once,
# when the project starts (McEEConfig.ready): one implementation for every file the system writes.
WAGTAIL_EXPORT_VIEWS = (
    "wagtail.admin.views.reports.base.PageReportView",
    "wagtail.admin.views.reports.workflows.WorkflowView",
    "wagtail.admin.views.reports.workflows.WorkflowTasksView",
    "wagtail.admin.views.reports.audit_logging.LogEntriesView",
    "wagtail.admin.views.reports.page_types_usage.PageTypesUsageReportView",
    "wagtail.contrib.redirects.views.IndexView",
    "wagtail.contrib.forms.views.SubmissionsListView",
)


def protect_wagtail_exports(paths=WAGTAIL_EXPORT_VIEWS) -> list[type]:
    from django.utils.module_loading import import_string

    protected = []
    for path in paths:
        view_class = import_string(path)
        if not issubclass(view_class, SafeSpreadsheetExportMixin):
            view_class.__bases__ = (SafeSpreadsheetExportMixin, *view_class.__bases__)
        protected.append(view_class)
    return protected
