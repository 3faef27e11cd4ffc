"""Cross-cutting records that belong to no single app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit import AuditedMixin
from .grants import grant_tables


class ImportRun(AuditedMixin, models.Model):
    """One run of a spreadsheet import (or API batch): who, when, which file, what came of it.

    Every import writes exactly one of these, accepted or refused, so the audit trail has one entry
    per run with its counts, and a file already imported is recognised by its checksum.
    """

    class Status(models.TextChoices):
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

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"{self.kind} {self.file_name} ({self.get_status_display()})"


ImportRunUserObjectPermission, ImportRunGroupObjectPermission = grant_tables(ImportRun, __name__)
