"""Development and demo: SQLite by default, fictional countries, console e-mail."""

from .base import *  # noqa: F403
from .base import DEMO_COUNTRIES_OVERRIDE

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ["*"]
COUNTRIES_OVERRIDE = dict(DEMO_COUNTRIES_OVERRIDE)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
