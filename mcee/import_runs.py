"""Recording import runs: the one place imports report who, what file, and what came of it."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from django.utils import timezone

from .audit import IMPORT, audit_source, current_source
from .models import ImportRun


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
def import_run(*, kind: str, path, user=None):
    """Record a run around an import. The block fills ``run.counts`` and the row numbers; a
    rejection (``ImportRejected``) is recorded with its errors and raised again; so is a failure.

    The run row is written outside the import's own transaction, so a refused import, which
    writes nothing else, still leaves its record.
    """
    from .imports import ImportRejected

    actor = user if getattr(user, "is_authenticated", False) else None
    caller = current_source()  # where the import was started from: command, admin, api
    with audit_source(IMPORT, actor=actor):
        run = ImportRun.objects.create(kind=kind, file_name=Path(path).name, checksum=file_checksum(path),
                                       user=actor, source=caller)
    try:
        yield run
    except ImportRejected as exc:
        run.status = ImportRun.Status.REJECTED
        run.errors = [{"sheet": e.sheet, "row": e.row, "column": e.column, "reason": str(e.reason)}
                      for e in exc.errors]
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
