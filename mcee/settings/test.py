"""Test settings: the database comes from DATABASE_URL (PostgreSQL in CI), fictional countries."""

from .base import *  # noqa: F403
from .base import DEMO_COUNTRIES_OVERRIDE

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
COUNTRIES_OVERRIDE = dict(DEMO_COUNTRIES_OVERRIDE)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "loggers": {"axes": {"level": "WARNING"}}}
