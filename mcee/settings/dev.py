"""Development and demo: SQLite by default, fictional countries, console e-mail."""

from .base import *  # noqa: F403
from .base import DEMO_COUNTRIES_OVERRIDE

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
COUNTRIES_OVERRIDE = dict(DEMO_COUNTRIES_OVERRIDE)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo publishes every demo project to IATI, all parts, under a made-up reporting identifier.
MCEE_IATI = {**MCEE_IATI, "REPORTING_ORG_REF": MCEE_IATI["REPORTING_ORG_REF"] or "XX-MCEE-DEMO",  # noqa: F405
             "PROJECTS": MCEE_IATI["PROJECTS"] or ["*"],  # noqa: F405
             "FIELDS": (MCEE_IATI["FIELDS"] if "MCEE_IATI_FIELDS" in os.environ  # noqa: F405
                        else ["budgets", "transactions", "descriptions", "results"])}
