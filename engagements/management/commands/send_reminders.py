"""`python manage.py send_reminders`: the daily e-mail reminders (see engagements.services.reminders):
follow-ups, engagements and partner reports.

Run it once a day (docs/operations.md). Running it twice sends nothing new: each reminder is sent
once. ``--today`` replays a given day (tests, or catching up after an outage); ``--dry-run`` prints
what would be sent and writes nothing. Exits non-zero when a message could not be sent (it is tried
again on the next run).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engagements.services.reminders import (
    ENGAGEMENT_SOON,
    FOLLOW_UP_DUE,
    FOLLOW_UP_OVERDUE,
    REPORT_DUE,
    REPORT_OVERDUE,
    send_reminders,
)


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today {value!r} is not a date; write it as YYYY-MM-DD.")


class Command(BaseCommand):
    help = ("E-mail the reminders due today: follow-ups due soon or overdue, engagements happening soon, and "
            "partner reports due soon or overdue.")

    def add_arguments(self, parser: CommandParser):
        parser.add_argument("--today", help="The day to run for, as YYYY-MM-DD (default: today).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send and write nothing.")
        parser.add_argument("--lang", choices=["en", "fr"], default="en", help="Language of the summary.")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else None
        dry_run = options["dry_run"]
        run = send_reminders(today=today, dry_run=dry_run)
        with translation.override(options["lang"]):
            if dry_run:
                for message in run.messages:
                    self.stdout.write(_("Would send to %(to)s: %(subject)s") % {"to": ", ".join(message.to),
                                                                                "subject": message.subject})
            labels = {FOLLOW_UP_DUE: _("Follow-ups due soon"), FOLLOW_UP_OVERDUE: _("Overdue follow-ups"),
                      ENGAGEMENT_SOON: _("Engagements soon"), REPORT_DUE: _("Partner reports due soon"),
                      REPORT_OVERDUE: _("Overdue partner reports")}
            failed = 0
            for kind, label in labels.items():
                result = run.results[kind]
                failed += result.failed
                if dry_run:
                    line = _("%(kind)s: %(would)s would be sent, %(already)s already sent.") % {
                        "kind": label, "would": result.would_send, "already": result.already_sent}
                else:
                    line = _("%(kind)s: %(sent)s sent, %(already)s already sent, %(failed)s failed.") % {
                        "kind": label, "sent": result.sent, "already": result.already_sent, "failed": result.failed}
                self.stdout.write(line)
            if failed:
                raise CommandError(ngettext(
                    "%(count)s reminder could not be sent; it will be tried again on the next run.",
                    "%(count)s reminders could not be sent; they will be tried again on the next run.",
                    failed) % {"count": failed})
