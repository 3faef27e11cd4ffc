"""`python manage.py mcee_report NAME --format csv`: any registered report, from the command line.

Like every spreadsheet the system writes, the file starts with the security marking, then the column
keys; no cell runs as a formula (``mcee.spreadsheets``)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from mcee.reports import add_form_arguments, clean_options, registered_reports
from mcee.spreadsheets import write_csv, xlsx_bytes


class Command(BaseCommand):
    help = "Print a report (CSV to standard output, or CSV/XLSX to a file)."

    def add_arguments(self, parser: CommandParser):
        subparsers = parser.add_subparsers(dest="report", required=True, metavar="REPORT",
                                           parser_class=CommandParser)
        for slug, report_class in registered_reports().items():
            sub = subparsers.add_parser(slug, help=str(report_class.title), called_from_command_line=True)
            sub.add_argument("--format", choices=["csv", "xlsx"], default="csv")
            sub.add_argument("--out", help="File to write; standard output when omitted (CSV only).")
            sub.add_argument("--lang", choices=["en", "fr"], default="en",
                             help="Language of names in the rows.")
            add_form_arguments(sub, report_class.options_form)

    def handle(self, *args, **options):
        report_class = registered_reports()[options["report"]]
        try:
            report_options = clean_options(report_class.options_form, options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with translation.override(options["lang"]):
            report = report_class(options=report_options)
            keys = [c.key for c in report.columns]
            rows = [[row.get(k) for k in keys] for row in report.rows()]
            for note in report.notes():
                self.stderr.write(str(note))
        if options["format"] == "xlsx":
            if not options["out"]:
                raise CommandError("--format xlsx needs --out FILE.")
            with open(options["out"], "wb") as fh:
                fh.write(xlsx_bytes(keys, rows, title=report.slug, language=options["lang"]))
            return
        if options["out"]:
            with open(options["out"], "w", newline="", encoding="utf-8") as fh:
                write_csv(fh, keys, rows, language=options["lang"])
        else:
            write_csv(self.stdout, keys, rows, language=options["lang"])
