"""`python manage.py import_engagements PATH`: historical engagements (CSV, or XLSX first sheet)."""

from django.utils.translation import gettext as _

from engagements.imports import IMPORT_KIND, engagements_import
from mcee.import_command import ImportCommand


class Command(ImportCommand):
    help = ("Import historical engagements, one row each, matched on country, date, lead department, kind and "
            "counterpart institution; all or nothing. See docs/import-formats.md.")
    kind = IMPORT_KIND
    path_help = "A CSV file, or an XLSX workbook (its first sheet is read)."

    def run_import(self, path, options):
        return engagements_import(path=path, encoding=options["encoding"])

    def report(self, result):
        self.stdout.write(_("Engagements: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                          % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        self.report_unchanged_or(result, _("The engagements were imported."))
