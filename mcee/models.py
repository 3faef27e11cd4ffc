"""Cross-cutting records that belong to no single app."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import AuditedMixin
from .grants import grant_tables


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept on the server's disk under ``PRIVATE_MEDIA_ROOT`` and never served: no web server
    route points there and the files have no address (``url`` refuses). Uploaded import files live here."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no address; read them on the server.")


def import_file_storage():
    """The storage of uploaded import files: ``STORAGES["imports"]`` (a private location)."""
    return storages["imports"]


def import_file_name(instance, filename: str) -> str:
    """``2025/04/<random>/<the name as uploaded>``: the file keeps its name (a CSV file's name is its
    sheet's name in messages) and two uploads of the same name never meet."""
    return str(PurePosixPath(f"{timezone.now():%Y/%m}") / uuid.uuid4().hex / PurePosixPath(filename).name)


class ImportRun(AuditedMixin, models.Model):
    """One run of a spreadsheet import (or API batch): who, when, which file, what came of it.

    Every import writes exactly one of these, accepted or refused, so the audit trail has one entry
    per run with its counts, and a file already imported is recognised by its checksum.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Refused: errors in the file")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("by"))
    source = models.CharField(_("from"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # An upload through the admin: the file as received (kept for the audit, see docs/operations.md)
    # and the options chosen with it (encoding, language of the messages).
    stored_file = models.FileField(_("stored file"), storage=import_file_storage, upload_to=import_file_name,
                                   max_length=500, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    def get_stored_file_display(self) -> str:
        """Where the uploaded file is kept, as a name (it has no address: see ``PrivateFileSystemStorage``)."""
        return self.stored_file.name or "-"


ImportRunUserObjectPermission, ImportRunGroupObjectPermission = grant_tables(ImportRun, __name__)


class SystemAccount(AuditedMixin, models.Model):
    """Another system that reads from and writes to the MCEE through the API (a department's nightly
    exchange, a partner's reporting tool).

    Its user cannot sign in with a password (``mcee.api.backends``) and holds exactly one role
    group: the officers of one department or the reporters of one implementing partner. The API then
    asks the very policy people are asked (``mcee.access``) with that user. Its tokens are
    ``ApiToken`` rows; see docs/api.md.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="system_account",
                                verbose_name=_("user"))
    group = models.ForeignKey("auth.Group", on_delete=models.PROTECT, related_name="+", verbose_name=_("acts as"),
                              help_text=_("The department's officers or the partner's reporters: the account "
                                          "reads and writes what that role may, and nothing else."))
    description = models.TextField(_("description"), blank=True,
                                   help_text=_("Which system this is and who runs it."))
    contact_email = models.EmailField(_("contact e-mail"), blank=True,
                                      help_text=_("Who to tell when its tokens expire or are revoked."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"), editable=False)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("system account")
        verbose_name_plural = _("system accounts")

    def __str__(self):
        return self.user.get_username()


class ApiToken(AuditedMixin, models.Model):
    """A secret a system account presents to the API (``Authorization: Bearer mcee_…``).

    The secret is shown once, when the token is made, and never stored: only its SHA-256 digest
    (a token is 256 random bits, so a fast hash is enough) and a short prefix that is not secret,
    to recognise it in lists and logs.
    """

    account = models.ForeignKey(SystemAccount, on_delete=models.CASCADE, related_name="tokens",
                                verbose_name=_("system account"))
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. “nightly pull”."))
    prefix = models.CharField(_("prefix"), max_length=20, unique=True, editable=False,
                              help_text=_("The start of the token, not secret: it tells tokens apart."))
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"), editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True,
                                      help_text=_("Empty: the token works until it is revoked."))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"), editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def get_state_display(self) -> str:
        return {"revoked": _("Revoked"), "expired": _("Expired"), "active": _("Active")}[self.state()]
