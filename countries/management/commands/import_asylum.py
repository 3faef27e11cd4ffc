"""`python manage.py import_asylum PATH`: asylum statistics by country and year (CSV, or XLSX first sheet)."""

from django.utils.translation import gettext as _

from countries.imports import IMPORT_KIND, asylum_import
from mcee.import_command import ImportCommand


class Command(ImportCommand):
    help = ("Import asylum statistics (columns country, year, claims, irb_decided, irb_rejected); "
            "all or nothing.")
    kind = IMPORT_KIND
    path_help = "A CSV file, or an XLSX workbook (its first sheet is read)."

    def run_import(self, path, options):
        return asylum_import(path=path, encoding=options["encoding"])

    def report(self, result):
        self.stdout.write(_("Asylum statistics: %(created)s created, %(updated)s updated, %(unchanged)s "
                            "unchanged") % {"created": result.created, "updated": result.updated,
                                            "unchanged": result.unchanged})
        self.report_unchanged_or(result, _("The asylum statistics were imported."))
