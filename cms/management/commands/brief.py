"""``python manage.py brief XA --lang fr --out brief-xa-fr.pdf``: a country brief as PDF from the command line;
``--next-meeting --out briefs.zip`` writes the briefs of every country on the next RWG meeting's agenda."""

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms.brief_data import brief_narrative, country_brief
from cms.brief_pdf import PAPER_SIZES, brief_pdf, meeting_zip
from countries.models import Country


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on: “{value}” is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write a country brief (or the next RWG meeting's briefs as a ZIP) as PDF."

    def add_arguments(self, parser):
        parser.add_argument("country", nargs="?", help="ISO code of the country, e.g. XA.")
        parser.add_argument("--lang", choices=["en", "fr"], default="en")
        parser.add_argument("--out", required=True, help="File to write (.pdf, or .zip with --next-meeting).")
        parser.add_argument("--paper", choices=sorted(PAPER_SIZES), default="letter")
        parser.add_argument("--on", type=_date, help="Figures as of this date (YYYY-MM-DD); today by default.")
        parser.add_argument("--user", help="Write the brief as this user may read it (default: everything).")
        parser.add_argument("--next-meeting", action="store_true",
                            help="Every country on the agenda of the next RWG meeting, as one ZIP.")

    def handle(self, *args, **options):
        reader = self._reader(options["user"])
        out = Path(options["out"])
        if options["next_meeting"]:
            from engagements.models import RWGMeeting

            meeting = RWGMeeting.objects.filter(date__gte=timezone.localdate()).order_by("date", "pk").first()
            if meeting is None:
                raise CommandError("No RWG meeting is planned: nothing to write.")
            data, _name = meeting_zip(meeting=meeting, user=reader, language=options["lang"], on=options["on"])
        else:
            code = (options["country"] or "").strip().upper()
            if not code:
                raise CommandError("Give a country code (e.g. XA), or --next-meeting.")
            country = Country.objects.filter(code=code).first()
            if country is None:
                raise CommandError(f"No country with the code {code}.")
            brief = country_brief(country=country, user=reader, on=options["on"], language=options["lang"],
                                  narrative=brief_narrative(country=country, language=options["lang"]))
            data = brief_pdf(brief, paper=options["paper"])
        out.write_bytes(data)
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes).")

    def _reader(self, username):
        User = get_user_model()  # noqa: N806
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user named {username}.")
            return user
        # Whoever runs manage.py on the server may read everything; this user is never saved.
        return User(username="manage.py", is_superuser=True, is_active=True)
