"""`python manage.py import_portfolio PATH`: the portfolio workbook (XLSX, or a folder of CSV files)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mcee.audit import COMMAND, audit_source
from mcee.import_runs import file_checksum, previous_success
from mcee.imports import ImportRejected
from projects.imports import IMPORT_KIND, portfolio_import


class Command(BaseCommand):
    help = "Import partners, projects, their countries, priority areas and funding; all or nothing."

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("path", help="An XLSX workbook, or a folder of CSV files named after its sheets.")
        parser.add_argument("--encoding", help="Encoding of the CSV files (UTF-8 or Windows-1252 are detected).")
        parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Language of the messages.")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            if not Path(options["path"]).exists():
                raise CommandError(_("There is nothing at %(path)s; give an XLSX workbook or a folder of CSV files.")
                                   % {"path": options["path"]})
            earlier = previous_success(kind=IMPORT_KIND, checksum=file_checksum(options["path"]))
            if earlier is not None:
                self.stdout.write(_("This file was already imported on %(date)s; importing it again changes only "
                                    "what was edited since.") % {"date": earlier.started_at.date().isoformat()})
            try:
                with audit_source(COMMAND):
                    result = portfolio_import(path=options["path"], encoding=options["encoding"])
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(ngettext(
                    "The file was rejected (%(count)s problem); nothing was written.",
                    "The file was rejected (%(count)s problems); nothing was written.",
                    len(exc.errors)) % {"count": len(exc.errors)})
            for sheet, counts in result.sheets.items():
                self.stdout.write(_(
                    "%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                    "%(deleted)s removed") % {"sheet": sheet, "created": counts.created, "updated": counts.updated,
                                             "unchanged": counts.unchanged, "deleted": counts.deleted})
            if result.countries_created:
                self.stdout.write(_("Countries added: %(codes)s") % {"codes": ", ".join(result.countries_created)})
            if result.changed:
                self.stdout.write(self.style.SUCCESS(_("The portfolio was imported.")))
            else:
                self.stdout.write(self.style.SUCCESS(_("Nothing changed: the database already matches the file.")))
