"""`python manage.py seed_demo`: load the fictional demonstration data (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.demo import load_demo_asylum, load_demo_engagements, load_demo_portfolio, load_demo_rwg, load_demo_td
from cms.demo_briefs import load_demo_briefs
from cms.demo_results import load_demo_results
from mcee.audit import COMMAND, audit_source
from projects.models import Project


class Command(BaseCommand):
    help = "Load the fictional demo portfolio (ISO user-assigned country codes XA-XK)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already holds projects.")

    def handle(self, *args, **options):
        if "XA" not in settings.COUNTRIES_OVERRIDE:
            raise CommandError("Demo data needs the fictional countries of the development, test or demo "
                               "settings; these settings (production?) do not have them.")
        if options["if_empty"] and Project.objects.exists():
            self.stdout.write("The database already holds projects; demo data not loaded.")
            return
        with audit_source(COMMAND):
            counts = load_demo_portfolio()
            counts.update(load_demo_rwg())
            counts.update(load_demo_asylum())
            counts.update(load_demo_td())
            counts.update(load_demo_engagements())
            counts.update(load_demo_results())
            counts.update(load_demo_briefs())
        self.stdout.write(self.style.SUCCESS(
            "Demo data loaded: {partners} partners, {countries} countries, {projects} projects, "
            "{meetings} RWG meetings, {asylum_rows} rows of asylum statistics, {td_months} months and {td_cases} "
            "cases of travel-document data, {engagements} engagements, {indicators} indicators, {partner_reports} "
            "partner reports, {brief_pages} country-brief pages.".format(**counts)))
