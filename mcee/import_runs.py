"""Recording import runs: the one place imports report who, what file, and what came of it."""

from __future__ import annotations

import contextlib
import hashlib
from contextvars import ContextVar
from pathlib import Path

from django.utils import timezone

from .audit import IMPORT, audit_source, current_source
from .models import ImportRun

# A run queued from the admin, waiting for the import that the background task is about to call
# (``queued_run``). The import functions open their run with ``import_run(kind=..., path=...,
# user=...)`` and need no argument of their own for it: ``import_run`` takes this one.
_queued_run: ContextVar[ImportRun | None] = ContextVar("mcee_queued_import_run", default=None)


def file_checksum(path) -> str:
    """SHA-256 of a file, or of every file of a folder in name order (a folder of CSV sheets)."""
    digest = hashlib.sha256()
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(file.name.encode())
        with open(file, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def previous_success(*, kind: str, checksum: str) -> ImportRun | None:
    return ImportRun.objects.filter(kind=kind, checksum=checksum, status=ImportRun.Status.SUCCEEDED).first()


@contextlib.contextmanager
def queued_run(run: ImportRun):
    """Inside the block, the next ``import_run`` of the run's kind records into ``run`` (a run
    created ``queued`` by the admin) instead of creating one: one upload, one record."""
    token = _queued_run.set(run)
    try:
        yield run
    finally:
        _queued_run.reset(token)


def _take_queued_run(kind: str) -> ImportRun | None:
    run = _queued_run.get()
    if run is None:
        return None
    if run.kind != kind:
        raise ValueError(f"The queued run is a {run.kind!r} import, not {kind!r}.")
    _queued_run.set(None)  # taken once: another import in the same block records its own run
    return run


def _storable(text: str | None) -> str | None:
    """PostgreSQL stores no NUL character in text or JSON: a file (or batch) that had one is still
    recorded, with the character shown as U+FFFD."""
    return None if text is None else text.replace("\x00", "\ufffd")


@contextlib.contextmanager
def import_run(*, kind: str, path, user=None, run: ImportRun | None = None):
    """Record a run around an import. The block fills ``run.counts`` and the row numbers; a
    rejection (``ImportRejected``) is recorded with its errors and raised again; so is a failure.

    ``run``, or the run given to ``queued_run`` around the call, is an existing (queued) run to
    record into; otherwise a run is created. The run row is written outside the import's own
    transaction, so a refused import, which writes nothing else, still leaves its record.
    """
    from .imports import ImportRejected

    actor = user if getattr(user, "is_authenticated", False) else None
    run = run or _take_queued_run(kind)
    caller = current_source()  # where the import was started from: command, admin, api
    with audit_source(IMPORT, actor=actor):
        if run is None:
            run = ImportRun.objects.create(kind=kind, file_name=Path(path).name, checksum=file_checksum(path),
                                           user=actor, source=caller)
        else:
            run.status = ImportRun.Status.RUNNING
            run.started_at = timezone.now()
            run.checksum = run.checksum or file_checksum(path)
            run.file_name = run.file_name or Path(path).name
            run.user = run.user or actor
            run.save(update_fields=["status", "started_at", "checksum", "file_name", "user"])
    try:
        yield run
    except ImportRejected as exc:
        run.status = ImportRun.Status.REJECTED
        run.errors = [{"sheet": _storable(e.sheet), "row": e.row, "column": _storable(e.column),
                       "reason": _storable(str(e.reason))} for e in exc.errors]
        raise
    except Exception as exc:
        run.status = ImportRun.Status.FAILED
        run.errors = [{"reason": f"{type(exc).__name__}: {exc}"}]
        raise
    else:
        run.status = ImportRun.Status.SUCCEEDED
    finally:
        run.finished_at = timezone.now()
        with audit_source(IMPORT, actor=actor):
            run.save()
