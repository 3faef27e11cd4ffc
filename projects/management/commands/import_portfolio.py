"""`python manage.py import_portfolio PATH`: the portfolio workbook (XLSX, or a folder of CSV files)."""

from django.utils.translation import gettext as _

from mcee.import_command import ImportCommand
from projects.imports import IMPORT_KIND, portfolio_import


class Command(ImportCommand):
    help = "Import partners, projects, their countries, priority areas and funding; all or nothing."
    kind = IMPORT_KIND
    path_help = "An XLSX workbook, or a folder of CSV files named after its sheets."
    folders_allowed = True

    def run_import(self, path, options):
        return portfolio_import(path=path, encoding=options["encoding"])

    def report(self, result):
        for sheet, counts in result.sheets.items():
            self.stdout.write(_(
                "%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                "%(deleted)s removed") % {"sheet": sheet, "created": counts.created, "updated": counts.updated,
                                         "unchanged": counts.unchanged, "deleted": counts.deleted})
        self.report_unchanged_or(result, _("The portfolio was imported."))
