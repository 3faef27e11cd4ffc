"""`python manage.py import_asylum PATH`: asylum statistics by country and year (CSV, or XLSX first sheet)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from countries.imports import IMPORT_KIND, asylum_import
from mcee.audit import COMMAND, audit_source
from mcee.import_runs import file_checksum, previous_success
from mcee.imports import ImportRejected


class Command(BaseCommand):
    help = ("Import asylum statistics (columns country, year, claims, irb_decided, irb_rejected); "
            "all or nothing.")

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("path", help="A CSV file, or an XLSX workbook (its first sheet is read).")
        parser.add_argument("--encoding", help="Encoding of a CSV file (UTF-8 or Windows-1252 are detected).")
        parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Language of the messages.")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            path = options["path"]
            if not Path(path).is_file():
                raise CommandError(_("There is no file at %(path)s; give one CSV or XLSX file.") % {"path": path})
            earlier = previous_success(kind=IMPORT_KIND, checksum=file_checksum(path))
            if earlier is not None:
                self.stdout.write(_("This file was already imported on %(date)s; importing it again changes only "
                                    "what was edited since.") % {"date": earlier.started_at.date().isoformat()})
            try:
                with audit_source(COMMAND):
                    result = asylum_import(path=path, encoding=options["encoding"])
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(ngettext(
                    "The file was rejected (%(count)s problem); nothing was written.",
                    "The file was rejected (%(count)s problems); nothing was written.",
                    len(exc.errors)) % {"count": len(exc.errors)})
            self.stdout.write(_("Asylum statistics: %(created)s created, %(updated)s updated, %(unchanged)s "
                                "unchanged") % {"created": result.created, "updated": result.updated,
                                                "unchanged": result.unchanged})
            if result.countries_created:
                self.stdout.write(_("Countries added: %(codes)s") % {"codes": ", ".join(result.countries_created)})
            if result.changed:
                self.stdout.write(self.style.SUCCESS(_("The asylum statistics were imported.")))
            else:
                self.stdout.write(self.style.SUCCESS(_("Nothing changed: the database already matches the file.")))
