"""`python manage.py export_iati --out mcee-activities.xml`: the IATI 2.03 file of the projects the setting
``MCEE_IATI`` publishes (docs/iati.md). ``--check`` runs the checks only and lists every problem.

The checks run first; while any fails nothing is written (an existing file is left as it was) and the
command lists the problems and exits with status 1. The file is written in one step: a temporary file
beside it, renamed over it once complete."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.iati import IatiCheckFailed, iati_export, write_iati_file


class Command(BaseCommand):
    help = "Write the IATI 2.03 activity file of the published projects, after the pre-export checks."

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("--out", help="The file to write, for example mcee-activities.xml.")
        parser.add_argument("--check", action="store_true",
                            help="Run the checks only and list every problem; write nothing.")
        parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Language of the messages.")

    def _problems(self, problems):
        for problem in problems:
            self.stderr.write(f"- {problem}")

    def handle(self, *args, **options):
        if not options["check"] and not options["out"]:
            raise CommandError("Give --out FILE to write the file, or --check to run the checks only.")
        with translation.override(options["lang"]):
            if options["check"]:
                export = iati_export()
                if export.problems:
                    self._problems(export.problems)
                    count = len(export.problems)
                    raise CommandError(ngettext("%(count)s problem stops the IATI export.",
                                                "%(count)s problems stop the IATI export.", count)
                                       % {"count": count}, returncode=1)
                count = len(export.publication.activities)
                self.stdout.write(ngettext("The checks pass: %(count)s activity is ready to publish.",
                                           "The checks pass: %(count)s activities are ready to publish.", count)
                                  % {"count": count})
                return
            try:
                export = write_iati_file(options["out"])
            except IatiCheckFailed as failed:
                self._problems(failed.problems)
                raise CommandError(str(failed), returncode=1) from failed
            except OSError as exc:
                raise CommandError(_("The file could not be written: %(error)s") % {"error": exc}) from exc
            count = len(export.publication.activities)
            self.stdout.write(ngettext("%(count)s activity written to %(path)s.",
                                       "%(count)s activities written to %(path)s.", count)
                              % {"count": count, "path": options["out"]})
