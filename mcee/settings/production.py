"""Production: every secret from the environment, hardened transport and cookies, and every piece of
shared state outside the app servers (PostgreSQL; Redis for the cache, sessions, API rate limits and the
task queue), so that any number of stateless app servers run behind a load balancer (docs/deployment.md)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool, env_list

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
MCEE_CASE_REF_KEY = os.environ.get("MCEE_CASE_REF_KEY", "")
if not MCEE_CASE_REF_KEY:
    raise ImproperlyConfigured("MCEE_CASE_REF_KEY must be set in the environment for production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Always on behind HTTPS; `make serve-prod` turns them off for its plain-HTTP loopback run only.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "imports": {"BACKEND": "mcee.models.PrivateFileSystemStorage"},
}

# Redis: the shared cache (API rate limits count there), sessions and the task queue.
REDIS_URL = os.environ.get("REDIS_URL", "")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in the environment for production (cache, sessions, tasks).")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
    }
}
# Sessions read from Redis and written through to the database: every app server sees them, and a
# restart or flush of Redis signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks: imports (and PDF batches) on an RQ queue in Redis, run by `manage.py rqworker default`
# (one or more worker processes, on any host). Wagtail's own tasks still run at once in the request.
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
RQ_QUEUES = {
    # An import of a million rows takes minutes: a task may run for up to MCEE_TASK_TIMEOUT seconds.
    "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": int(os.environ.get("MCEE_TASK_TIMEOUT", str(3 * 60 * 60)))},
}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks_rq.RQBackend"},
}
