"""Importing a file from the admin: the form, the run's progress page and its status in JSON.

The form stores the file (privately), records the run as ``queued`` and puts it on the "imports"
queue (``mcee.tasks``); the page then follows the run until it ends. Who may import a kind is the
kind's own rule (``mcee.import_kinds``); a run's page is for its uploader and for those who may
see every import run; anyone else is told it does not exist (404).
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.menu import MenuItem

from . import access
from .audit import ADMIN
from .formatting import format_number
from .import_kinds import ImportKind, get_kind, kinds_for
from .import_runs import previous_success
from .models import ImportRun

ENCODINGS = [("", _("Detect it (UTF-8 or Windows-1252)")), ("utf-8", _("UTF-8")), ("cp1252", _("Windows-1252"))]
ERRORS_SHOWN = 1000  # row errors listed on the page; the import runs export holds every one
RECENT_RUNS = 10  # the user's own latest runs, listed under the form
# How the counts of a kind's result are named on the page (other keys are shown as they are stored).
COUNT_LABELS = {"created": _("New"), "updated": _("Updated"), "unchanged": _("Unchanged"),
                "deleted": _("Removed")}


def may_import(user) -> bool:
    return bool(kinds_for(user))


def may_view_run(user, run: ImportRun) -> bool:
    """The person who uploaded the file, and those who may see import runs."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return run.user_id == user.pk or bool(access.can(user, access.VIEW, run))


def _visible_run(user, pk: int) -> ImportRun:
    run = ImportRun.objects.select_related("user").filter(pk=pk).first()
    if run is None or not may_view_run(user, run):
        raise Http404(gettext("This record does not exist or is outside what your role may see."))
    return run


def _extensions_text(kind: ImportKind) -> str:
    return ", ".join(kind.extensions)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File"))
    encoding = forms.ChoiceField(label=_("Text encoding (CSV files only)"), choices=ENCODINGS, required=False,
                                 help_text=_("Leave it to be detected unless the import says the text cannot be "
                                             "read."))

    def __init__(self, *args, kinds: list[ImportKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.slug: kind for kind in kinds}
        # No kind chosen in advance: importing a file as the wrong kind must take a decision.
        self.fields["kind"].choices = [("", gettext("Choose one"))] + [(kind.slug, kind.title) for kind in kinds]
        accepted = sorted({ext for kind in kinds for ext in kind.extensions})
        help_text = gettext("Files ending in %(extensions)s, of at most %(size)s.") % {
            "extensions": ", ".join(accepted), "size": filesizeformat(settings.MCEE_IMPORT_MAX_BYTES)}
        for kind in kinds:
            if kind.accepts_folder and kind.extensions == (".xlsx",):
                help_text += " " + gettext("%(kind)s: the XLSX workbook only (the command also takes a folder of "
                                           "CSV files).") % {"kind": kind.title}
        self.fields["file"].help_text = help_text
        self.fields["file"].widget.attrs["accept"] = ",".join(accepted)

    def full_clean(self):
        """Each input names its error and its help (``aria-describedby``), read out with the label."""
        super().full_clean()
        errors = self.errors if self.is_bound else {}
        for name, form_field in self.fields.items():
            ids = ([f"id_{name}-errors"] if name in errors else []) + (
                [f"id_{name}-helptext"] if form_field.help_text else [])
            if ids:
                form_field.widget.attrs["aria-describedby"] = " ".join(ids)

    def clean(self):
        cleaned = super().clean()
        kind, uploaded = self.kinds.get(cleaned.get("kind")), cleaned.get("file")
        if kind is None or uploaded is None:
            return cleaned
        suffix = PurePath(uploaded.name).suffix.lower()
        if suffix not in kind.extensions:
            self.add_error("file", gettext(
                "“%(name)s” is not a file this import takes: choose a file ending in %(extensions)s.")
                % {"name": uploaded.name, "extensions": _extensions_text(kind)})
        elif uploaded.size > settings.MCEE_IMPORT_MAX_BYTES:
            self.add_error("file", gettext(
                "The file is %(size)s; the admin takes files of at most %(max)s. Ask an administrator to "
                "import it with the command (see the operations guide).")
                % {"size": filesizeformat(uploaded.size), "max": filesizeformat(settings.MCEE_IMPORT_MAX_BYTES)})
        return cleaned


def _checksum(uploaded) -> str:
    """SHA-256 of the uploaded bytes: what ``file_checksum`` gives for the same file on disk."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def queue_import(*, kind: ImportKind, uploaded, user, encoding: str = "") -> ImportRun:
    """Store the file, record the run as queued (by ``user``, from the admin) and put it on the queue.

    The queue lives in the same database as the run: both are written, or neither.
    """
    from .tasks import run_queued_import

    run = ImportRun(kind=kind.slug, file_name=uploaded.name[:255], checksum=_checksum(uploaded), user=user,
                    source=ADMIN, status=ImportRun.Status.QUEUED,
                    options={"encoding": encoding, "language": (get_language() or settings.LANGUAGE_CODE)[:2]})
    run.stored_file.save(uploaded.name, uploaded, save=False)
    try:
        run.save()
        run_queued_import.enqueue(run.pk)
    except BaseException:
        run.stored_file.delete(save=False)
        raise
    return run


@require_http_methods(["GET", "POST"])
def import_file(request):
    kinds = kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        kind = form.kinds[form.cleaned_data["kind"]]
        uploaded = form.cleaned_data["file"]
        run = queue_import(kind=kind, uploaded=uploaded, user=request.user,
                           encoding=form.cleaned_data["encoding"] or "")
        earlier = previous_success(kind=kind.slug, checksum=run.checksum)
        if earlier is not None:
            messages.warning(request, gettext(
                "This file was already imported on %(date)s; importing it again changes only what was edited "
                "since.") % {"date": earlier.started_at.date().isoformat()})
        return redirect("mcee_import_progress", pk=run.pk)
    recent = ImportRun.objects.filter(user=request.user, source=ADMIN).order_by("-pk")[:RECENT_RUNS]
    return TemplateResponse(request, "mcee/import_form.html", {
        "form": form, "recent_runs": [_run_summary(run) for run in recent],
        "max_size": filesizeformat(settings.MCEE_IMPORT_MAX_BYTES)})


def _kind_title(slug: str):
    try:
        return get_kind(slug).title
    except KeyError:
        return slug


def _run_summary(run: ImportRun) -> dict:
    return {"run": run, "kind": _kind_title(run.kind), "url": reverse("mcee_import_progress", args=[run.pk])}


def status_message(run: ImportRun) -> str:
    """One sentence for the live region: where the run is, with its figures."""
    figures = {"read": format_number(run.rows_read), "checked": format_number(run.rows_checked),
               "written": format_number(run.rows_written)}
    if run.status == ImportRun.Status.QUEUED:
        return gettext("Waiting to start: the file is in the queue of background imports.")
    if run.status == ImportRun.Status.RUNNING:
        return gettext("Importing: %(read)s rows read, %(checked)s checked, %(written)s written.") % figures
    if run.status == ImportRun.Status.SUCCEEDED:
        return gettext("Imported: %(read)s rows read, %(checked)s checked, %(written)s written.") % figures
    if run.status == ImportRun.Status.REJECTED:
        count = len(run.errors)
        return ngettext("Refused: the file has %(count)s problem; nothing was written.",
                        "Refused: the file has %(count)s problems; nothing was written.",
                        count) % {"count": format_number(count)}
    return gettext("Failed: the import stopped because of a fault in the system, not in your file; nothing "
                   "was written.")


def status_data(run: ImportRun) -> dict:
    return {"status": run.status, "status_label": str(run.get_status_display()), "finished": run.finished,
            "rows_read": run.rows_read, "rows_checked": run.rows_checked, "rows_written": run.rows_written,
            "figures": {"rows_read": format_number(run.rows_read), "rows_checked": format_number(run.rows_checked),
                        "rows_written": format_number(run.rows_written)},
            "message": status_message(run)}


def counts_table(counts: dict) -> tuple[list, list, list]:
    """The result's counts as (column labels, rows of (part, numbers)), plus lines said apart.

    Imports count per sheet ({"partners": {"created": 1, ...}, ...}) or once ({"created": 1, ...});
    a list (the countries an import added) is said in a sentence of its own.
    """
    parts = {name: value for name, value in counts.items() if isinstance(value, dict)}
    flat = {name: value for name, value in counts.items() if isinstance(value, int)}
    if flat:
        parts = {"": flat, **parts}
    keys = list(dict.fromkeys(key for value in parts.values() for key in value))
    ordered = [key for key in COUNT_LABELS if key in keys] + [key for key in keys if key not in COUNT_LABELS]
    rows = [(name, [format_number(value.get(key, 0)) for key in ordered]) for name, value in parts.items()]
    extras = []
    for name, value in counts.items():
        if isinstance(value, list) and value:
            codes = ", ".join(str(v) for v in value)
            extras.append(gettext("Countries added: %(codes)s") % {"codes": codes} if name == "countries_created"
                          else f"{name}: {codes}")
    return [COUNT_LABELS.get(key, key) for key in ordered], rows, extras


def import_progress(request, pk: int):
    run = _visible_run(request.user, pk)
    try:
        kind = get_kind(run.kind)
    except KeyError:
        kind = None
    columns, rows, extras = counts_table(run.counts or {})
    errors = run.errors if run.status in (ImportRun.Status.REJECTED, ImportRun.Status.FAILED) else []
    return TemplateResponse(request, "mcee/import_progress.html", {
        "run": run, "kind_title": kind.title if kind else run.kind,
        "reports_progress": kind.reports_progress if kind else False,
        "status": status_data(run),
        "count_columns": columns, "count_rows": rows, "count_extras": extras,
        "row_errors": errors[:ERRORS_SHOWN] if run.status == ImportRun.Status.REJECTED else [],
        "errors_shown": format_number(min(len(errors), ERRORS_SHOWN)), "errors_total": format_number(len(errors)),
        "errors_cut": len(errors) > ERRORS_SHOWN,
        "failure": errors[0].get("reason", "") if run.status == ImportRun.Status.FAILED and errors else "",
        "status_url": reverse("mcee_import_status", args=[run.pk]),
        "may_import": may_import(request.user),
    })


def import_status(request, pk: int):
    return JsonResponse(status_data(_visible_run(request.user, pk)))  # never cached: the admin's URLs are not


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


def menu_item() -> ImportMenuItem:
    return ImportMenuItem(_("Import a file"), reverse("mcee_import_file"), name="mcee-import-file",
                          icon_name="upload", order=905)
