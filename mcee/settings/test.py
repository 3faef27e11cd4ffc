"""Test settings: the database comes from DATABASE_URL (PostgreSQL in CI), fictional countries."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DEMO_COUNTRIES_OVERRIDE

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
COUNTRIES_OVERRIDE = dict(DEMO_COUNTRIES_OVERRIDE)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "loggers": {"axes": {"level": "WARNING"}}}
# Uploaded import files go to a temporary folder, never into the working tree. "imports" stays the
# database queue of base.py: tests run the queued task with `db_worker --batch`, the real path.
PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "mcee-test-imports"
# A pull reads everything written up to the moment it starts (base.py keeps a minute's margin).
MCEE_API_SETTLE_SECONDS = 0
