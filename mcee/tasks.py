"""Imports uploaded through the admin, run in the background by `manage.py db_worker --backend imports`.

The admin stores the file and creates the run ``queued``; ``run_queued_import`` (enqueued on the
"imports" database queue) calls the import of the run's kind on it, recording into that same run,
and writes the import's progress (rows read, checked, written) to the run row as it goes, for the
progress page to show.

Progress must be visible while the import is still inside its all-or-nothing transaction. On
PostgreSQL a write made inside that transaction is seen by no one until it commits, so the
progress is written through a connection of its own (in autocommit), which also keeps it out of
the import's transaction: a refused import rolls back its data, never its progress. Inside that
transaction the import's own connection is never used for progress (it may be in the middle of a
COPY); when the run is not visible to the other connection (everything, run included, is inside
one outer transaction, as in a test) the figures wait for the import to leave its transaction,
and the import's final save has them anyway. On SQLite a second connection would wait for the
import's write lock, so there progress written during the write phase appears when that phase
ends (SQLite is the development database).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone, translation
from django_tasks import task

from .audit import IMPORT, audit_source
from .import_kinds import get_kind
from .import_runs import queued_run
from .imports import ImportRejected
from .models import ImportRun

logger = logging.getLogger(__name__)

IMPORTS_BACKEND = "imports"  # the TASKS alias of the database queue
PROGRESS_FIELDS = ("rows_read", "rows_checked", "rows_written")


class ProgressRecorder:
    """``progress(rows_read, rows_checked, rows_written)`` for an import: writes the figures to the
    run row at most every ``min_interval`` seconds (the first and the last figures always)."""

    def __init__(self, run: ImportRun, *, min_interval: float = 0.5, using: str = DEFAULT_DB_ALIAS):
        self.run_pk = run.pk
        self.min_interval = min_interval
        self.using = using
        # Transactions already open when the import starts (none in the worker; a test's own): deeper
        # ones are the import's.
        self._outer_depth = len(connections[using].atomic_blocks)
        self._last_write = None  # monotonic time of the last write
        self._pending = None  # figures not yet written
        self._side = None  # the connection of its own (PostgreSQL, inside a transaction)
        self._run_unseen = False  # the other connection cannot see the run (see the module's docstring)
        self.writes = 0

    def __call__(self, rows_read: int, rows_checked: int, rows_written: int) -> None:
        self._pending = (rows_read, rows_checked, rows_written)
        now = time.monotonic()
        if self._last_write is None or now - self._last_write >= self.min_interval:
            self.flush()

    def flush(self) -> None:
        if self._pending is None:
            return
        values = dict(zip(PROGRESS_FIELDS, self._pending, strict=True))
        self._last_write = time.monotonic()
        connection = connections[self.using]
        if len(connection.atomic_blocks) > self._outer_depth and connection.vendor != "sqlite":
            if not self._write_aside(values):
                return  # not visible elsewhere yet: kept for the next write outside the transaction
        else:
            ImportRun.objects.using(self.using).filter(pk=self.run_pk).update(**values)
        self._pending = None
        self.writes += 1

    def _write_aside(self, values: dict) -> bool:
        """Write through a connection of our own; False when the run is not visible there (it was
        created in a transaction not committed yet, as in a test), which stays so until the import ends."""
        if self._run_unseen:
            return False
        if self._side is None:
            self._side = connections.create_connection(self.using)
        meta, quote = ImportRun._meta, self._side.ops.quote_name
        assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
        with self._side.cursor() as cursor:
            cursor.execute(sql, [*values.values(), self.run_pk])
            self._run_unseen = cursor.rowcount != 1
        return not self._run_unseen

    def close(self, *, flush: bool = True) -> None:
        if flush:
            self.flush()
        self._pending = None
        if self._side is not None:
            self._side.close()
            self._side = None


@contextlib.contextmanager
def local_path(field_file):
    """A path on this machine to the stored file: the file itself on a disk storage, else a copy
    (same name) in a temporary folder, removed afterwards."""
    try:
        yield field_file.path
        return
    except NotImplementedError:
        pass
    folder = tempfile.mkdtemp(prefix="mcee-import-")
    try:
        path = Path(folder) / Path(field_file.name).name
        with field_file.open("rb") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target)
        yield str(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _finish_untouched(run: ImportRun, status: str, errors: list[dict]) -> None:
    """Record the end of a run that the import never opened (it refused or failed before)."""
    if run.finished_at is not None:
        return
    run.status = status
    run.errors = errors
    run.finished_at = timezone.now()
    with audit_source(IMPORT, actor=run.user):
        run.save(update_fields=["status", "errors", "finished_at"])


@task(backend=IMPORTS_BACKEND)
def run_queued_import(run_id: int) -> str:
    """Import the file of a queued run; returns the run's final status."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        logger.warning("Import run %s is %s, not queued: not run again.", run.pk, run.status)
        return run.status
    recorder = ProgressRecorder(run)
    language = run.options.get("language") or None
    kind = None
    try:
        kind = get_kind(run.kind)
        # Messages (row errors included) are stored in the language of the person who uploaded the file.
        with translation.override(language), queued_run(run), local_path(run.stored_file) as path:
            kind.run(path=path, user=run.user, encoding=run.options.get("encoding") or None, progress=recorder)
    except ImportRejected as exc:  # recorded by the import's run; or refused before it opened one
        _finish_untouched(run, ImportRun.Status.REJECTED, [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "reason": str(e.reason)} for e in exc.errors])
    except Exception as exc:
        _finish_untouched(run, ImportRun.Status.FAILED, [{"reason": f"{type(exc).__name__}: {exc}"}])
        raise  # the task is marked failed too, with its traceback, for the operators
    finally:
        # A finished run was saved whole with its final figures; only an unfinished one needs the last ones.
        recorder.close(flush=run.finished_at is None)
        if kind is not None and not kind.keep_file:
            _discard_file(run)
    return run.status


def _discard_file(run: ImportRun) -> None:
    """Delete the uploaded file of a kind whose files are not kept; the run keeps its name and checksum."""
    if run.stored_file:
        run.stored_file.delete(save=False)
        with audit_source(IMPORT, actor=run.user):
            run.save(update_fields=["stored_file"])
