"""Settings shared by every environment. Values that differ per machine come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # Project apps first so their templates and translations win.
    "mcee",
    "countries",
    "projects",
    "engagements",
    "cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_countries",
    "guardian",
    "auditlog",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mcee.middleware.McEELocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mcee.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mcee.admin_access.SiteWideReportsGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mcee.csp.McEECSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "mcee.audit.AuditSourceMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mcee.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mcee.markings.security_marking",
            ],
        },
    },
]

WSGI_APPLICATION = "mcee.wsgi.application"

# Database: DATABASE_URL, or an SQLite file in the project so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses sign-in while locked out
    "mcee.api.backends.PeopleModelBackend",  # Django's ModelBackend; system accounts never sign in
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Sessions end after 30 minutes without activity (every request renews them).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (django-axes): 5 failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # one person at one address
AXES_LOCKOUT_TEMPLATE = "mcee/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor authentication (django-otp): required for these roles, available to everyone.
MCEE_TWO_FACTOR_REQUIRED_ROLES = ["mcet_admin"]
OTP_TOTP_ISSUER = "MCEE"

# Audit trail (django-auditlog): models are registered in each app's ``audit.py``.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Content Security Policy (django-csp 4): only our own scripts; Wagtail needs inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Languages: English and French, every URL prefixed with its language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "America/Toronto"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = []
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files uploaded to be imported: kept outside MEDIA_ROOT, in a place no web server serves.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "imports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": {"BACKEND": "mcee.models.PrivateFileSystemStorage"},
}

# Background tasks (django-tasks). "default" runs Wagtail's own tasks at once, in the request.
# "imports" is a queue in the database: files uploaded through the admin are imported by
# `manage.py db_worker --backend imports`, a process of its own (docs/operations.md).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# The largest file the admin accepts for import (bytes); larger ones go through the command.
MCEE_IMPORT_MAX_BYTES = int(os.environ.get("MCEE_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))

# The REST API (/api/v1/, docs/api.md): system accounts' tokens, the same policy as people, per-token
# rate limits on the shared cache, pages in the order of last change.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mcee.api.authentication.SystemTokenAuthentication",
        "mcee.api.authentication.PersonSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["mcee.api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer",
                                 "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}
# Requests per token (or signed-in person), e.g. "120/minute"; more get 429 with Retry-After.
MCEE_API_RATE = os.environ.get("MCEE_API_RATE", "120/minute")
# A pull reads rows changed up to this many seconds ago, so that a write still in its transaction
# is not passed over (docs/api.md, "updated_since").
MCEE_API_SETTLE_SECONDS = int(os.environ.get("MCEE_API_SETTLE_SECONDS", "60"))
SPECTACULAR_SETTINGS = {
    "TITLE": "MCEE API",
    "DESCRIPTION": (
        "The Migration Cooperation and Engagement Envelope's system of record, for other systems: "
        "countries, partners, projects, engagements, key messages and travel-document figures, read and "
        "written under the same access rules as people. Authenticate with a system account's token "
        "(Authorization: Bearer mcee_...). Lists are paged in the order of last change; see docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "mcee.api.schema.add_error_responses"],
    "PREPROCESSING_HOOKS": ["mcee.api.schema.only_this_api"],
    "ENUM_NAME_OVERRIDES": {
        "EngagementStatusEnum": "engagements.models.EngagementStatus",
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "KeyMessageStatusEnum": "projects.models.KeyMessageStatus",
    },
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

WAGTAIL_SITE_NAME = "MCEE"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# E-mail (reminders): SMTP, configured from the environment. dev prints to the console, tests keep
# messages in memory (their settings override the backend).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mcee-no-reply@localhost")
# Daily reminders (`manage.py send_reminders`): open follow-ups due within this many days (and
# overdue ones), and planned engagements within this many days.
MCEE_REMINDER_FOLLOW_UP_DAYS = int(os.environ.get("MCEE_REMINDER_FOLLOW_UP_DAYS", "3"))
MCEE_REMINDER_ENGAGEMENT_DAYS = int(os.environ.get("MCEE_REMINDER_ENGAGEMENT_DAYS", "7"))
# Partner reports not yet submitted and due within this many days (and overdue ones) remind the partner's reporters.
MCEE_REMINDER_REPORT_DAYS = int(os.environ.get("MCEE_REMINDER_REPORT_DAYS", "14"))

# Key of the keyed hash (HMAC-SHA256) that stands for a travel-document case reference; the
# reference itself is never stored. Production requires it from the environment.
MCEE_CASE_REF_KEY = os.environ.get("MCEE_CASE_REF_KEY", "dev-and-test-only-case-ref-key")
# Days within which a travel document should be issued, for a country without its own target.
MCEE_TD_TARGET_DAYS = int(os.environ.get("MCEE_TD_TARGET_DAYS", "90"))

# IATI publication (docs/iati.md; `export_iati` and Reports → IATI export). Conservative by default: no
# project is published until opted in by reference (or "*" for every project of an allowed status); projects
# in the pipeline never are; the summaries and the results are published only when named in FIELDS
# (budgets, transactions, descriptions, results). Country categories, engagement plans, escalation, key
# messages and partner reports are never published. The file carries the security marking as a comment
# until MCEE_IATI_MARKING_EN/_FR say otherwise for a release.
MCEE_IATI = {
    "REPORTING_ORG_REF": os.environ.get("MCEE_IATI_REPORTING_ORG_REF", ""),
    "REPORTING_ORG_TYPE": "10",  # IATI OrganisationType: government
    "REPORTING_ORG_NAME_EN": "Immigration, Refugees and Citizenship Canada",
    "REPORTING_ORG_NAME_FR": "Immigration, Réfugiés et Citoyenneté Canada",
    "PROJECTS": env_list("MCEE_IATI_PROJECTS", ""),
    "STATUSES": env_list("MCEE_IATI_STATUSES", "active,finalisation,closed"),
    "FIELDS": env_list("MCEE_IATI_FIELDS", "budgets,transactions"),
    "MARKING_EN": os.environ.get("MCEE_IATI_MARKING_EN", ""),  # empty: the security marking below
    "MARKING_FR": os.environ.get("MCEE_IATI_MARKING_FR", ""),
}

# Security marking shown on every screen and every PDF page, in the page's language.
MCEE_SECURITY_MARKING = {
    "en": os.environ.get("MCEE_SECURITY_MARKING_EN", "PROTECTED B"),
    "fr": os.environ.get("MCEE_SECURITY_MARKING_FR", "PROTÉGÉ B"),
}

# Fictional countries (ISO 3166 user-assigned codes) exist only where demo data may live:
# development, test and demo. Production settings never add them.
DEMO_COUNTRIES_OVERRIDE = {
    "XA": _("Xandria"),
    "XB": _("Balmora"),
    "XC": _("Corvania"),
    "XD": _("Dravik"),
    "XE": _("Estmark"),
    "XF": _("Feldoria"),
    "XG": _("Gorvath"),
    "XH": _("Halvenia"),
    "XJ": _("Jorundia"),
    "XK": _("Kestrelia"),
    "XL": _("Lunmark"),
    "XM": _("Merovia"),
}
COUNTRIES_OVERRIDE = {}

# Object permissions (django-guardian): no anonymous user object.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Background tasks log every start and finish at INFO; keep only problems.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no calls to outside services from a protected system

# Country-brief PDFs embed DejaVu Sans (npm package dejavu-fonts-ttf, installed by `make install`).
MCEE_PDF_FONT_DIR = Path(os.environ.get("MCEE_PDF_FONT_DIR", BASE_DIR / "node_modules" / "dejavu-fonts-ttf" / "ttf"))
