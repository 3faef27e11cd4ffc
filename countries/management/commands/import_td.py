"""`python manage.py import_td PATH --kind cases|monthly`: CBSA travel-document extracts (CSV, or XLSX first sheet)."""

from django.utils.translation import gettext as _

from countries.imports import TD_CASES_KIND, TD_MONTHLY_KIND, td_cases_import, td_monthly_import
from mcee.import_command import ImportCommand

KINDS = {"cases": (TD_CASES_KIND, td_cases_import), "monthly": (TD_MONTHLY_KIND, td_monthly_import)}


class Command(ImportCommand):
    help = ("Import travel-document data: --kind cases (case_ref, country, requested_on, issued_on, outcome, "
            "document_type, validity_days, interview_required, priority) or --kind monthly (country, month, "
            "requested, issued, refused, pending_end, added_to_inventory, removals); all or nothing.")
    path_help = "A CSV file, or an XLSX workbook (its first sheet is read)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", choices=sorted(KINDS), required=True, help="The shape of the file.")

    def import_kind(self, options):
        return KINDS[options["kind"]][0]

    def run_import(self, path, options):
        self.verbosity = options["verbosity"]
        importer = KINDS[options["kind"]][1]
        return importer(path=path, encoding=options["encoding"], progress=self._progress)

    def report(self, result):
        self.stdout.write(_("Travel-document data: %(created)s created, %(updated)s updated, %(unchanged)s "
                            "unchanged") % {"created": result.created, "updated": result.updated,
                                            "unchanged": result.unchanged})
        self.report_unchanged_or(result, _("The travel-document data were imported."))

    def _progress(self, rows_read, rows_checked, rows_written):
        if self.verbosity >= 2:
            self.stdout.write(_("Rows read: %(read)s, checked: %(checked)s, written: %(written)s")
                              % {"read": rows_read, "checked": rows_checked, "written": rows_written})
