"""The shape every import command shares: path check, language, the "already imported" notice, the
audit source, and every refused row printed before a non-zero exit. Subclasses say what to import
and how to report the result."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import COMMAND, audit_source
from .import_runs import file_checksum, previous_success
from .imports import ImportRejected


class ImportCommand(BaseCommand):
    kind: str = ""  # the ImportRun kind
    path_help = "The file to import."
    folders_allowed = False  # a folder of CSV files named after sheets (the portfolio workbook)

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("path", help=self.path_help)
        parser.add_argument("--encoding", help="Encoding of CSV files (UTF-8 or Windows-1252 are detected).")
        parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Language of the messages.")

    def import_kind(self, options: dict) -> str:
        """The ImportRun kind of this run (a command importing several shapes overrides it)."""
        return self.kind

    def run_import(self, path: str, options: dict):
        raise NotImplementedError

    def report(self, result) -> None:
        raise NotImplementedError

    def missing_path_message(self, path: str) -> str:
        if self.folders_allowed:
            return _("There is nothing at %(path)s; give an XLSX workbook or a folder of CSV files.") % {"path": path}
        return _("There is no file at %(path)s; give one CSV or XLSX file.") % {"path": path}

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            path = options["path"]
            exists = Path(path).exists() if self.folders_allowed else Path(path).is_file()
            if not exists:
                raise CommandError(self.missing_path_message(path))
            earlier = previous_success(kind=self.import_kind(options), checksum=file_checksum(path))
            if earlier is not None:
                self.stdout.write(_("This file was already imported on %(date)s; importing it again changes only "
                                    "what was edited since.") % {"date": earlier.started_at.date().isoformat()})
            try:
                with audit_source(COMMAND):
                    result = self.run_import(path, options)
            except ImportRejected as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(ngettext(
                    "The file was rejected (%(count)s problem); nothing was written.",
                    "The file was rejected (%(count)s problems); nothing was written.",
                    len(exc.errors)) % {"count": len(exc.errors)})
            self.report(result)

    def report_unchanged_or(self, result, done_message: str) -> None:
        if getattr(result, "countries_created", None):
            self.stdout.write(_("Countries added: %(codes)s") % {"codes": ", ".join(result.countries_created)})
        if result.changed:
            self.stdout.write(self.style.SUCCESS(done_message))
        else:
            self.stdout.write(self.style.SUCCESS(_("Nothing changed: the database already matches the file.")))
