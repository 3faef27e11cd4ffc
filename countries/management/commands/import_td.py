"""`python manage.py import_td PATH --kind cases|monthly`: CBSA travel-document extracts (CSV, or XLSX first sheet)."""

import time
from pathlib import Path

from django.utils.translation import gettext as _

from countries.imports import TD_CASES_KIND, TD_MONTHLY_KIND, td_cases_import, td_monthly_import
from mcee.import_command import ImportCommand

KINDS = {"cases": (TD_CASES_KIND, td_cases_import), "monthly": (TD_MONTHLY_KIND, td_monthly_import)}
# From this size on, the progress is printed without being asked for (-v 2 prints it for any file).
LARGE_FILE_BYTES = 1024 * 1024
PROGRESS_INTERVAL = 1.0  # seconds between two progress lines of a large file (-v 2: every one)


class Command(ImportCommand):
    help = ("Import travel-document data: --kind cases (case_ref, country, requested_on, issued_on, outcome, "
            "document_type, validity_days, interview_required, priority) or --kind monthly (country, month, "
            "requested, issued, refused, pending_end, added_to_inventory, removals); all or nothing. "
            "Progress (rows read, checked, written) goes to standard error: for files of 1 MB or more, "
            "or for any file with -v 2; -v 0 never prints it.")
    path_help = "A CSV file, or an XLSX workbook (its first sheet is read)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", choices=sorted(KINDS), required=True, help="The shape of the file.")

    def import_kind(self, options):
        return KINDS[options["kind"]][0]

    def run_import(self, path, options):
        verbosity = options["verbosity"]
        self._every_call = verbosity >= 2
        show = self._every_call or (verbosity >= 1 and Path(path).stat().st_size >= LARGE_FILE_BYTES)
        self._last_line, self._pending, self._shown = None, None, None
        importer = KINDS[options["kind"]][1]
        try:
            return importer(path=path, encoding=options["encoding"], progress=self._progress if show else None)
        finally:
            if self._pending is not None and self._pending != self._shown:
                self._write_progress(self._pending)  # always the last figures, refused file or not

    def report(self, result):
        self.stdout.write(_("Travel-document data: %(created)s created, %(updated)s updated, %(unchanged)s "
                            "unchanged") % {"created": result.created, "updated": result.updated,
                                            "unchanged": result.unchanged})
        self.report_unchanged_or(result, _("The travel-document data were imported."))

    def _progress(self, rows_read, rows_checked, rows_written):
        self._pending = (rows_read, rows_checked, rows_written)
        now = time.monotonic()
        if self._every_call or self._last_line is None or now - self._last_line >= PROGRESS_INTERVAL:
            self._last_line = now
            self._write_progress(self._pending)

    def _write_progress(self, figures):
        self._shown = figures
        rows_read, rows_checked, rows_written = figures
        self.stderr.write(_("Rows read: %(read)s, checked: %(checked)s, written: %(written)s")
                          % {"read": rows_read, "checked": rows_checked, "written": rows_written})
