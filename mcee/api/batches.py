"""Batches of rows pushed through the API, imported by the very import that reads files.

A batch is a JSON list of rows, each an object of column → value, with the columns of a file import
(docs/import-formats.md). It is written as that import's CSV file and handed to the import: the same
checks, the same messages, all or nothing, one import run recorded (source ``api``). Errors come back
with the row's position in the batch (the first row is 1), its column and the reason.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..import_runs import queued_run
from ..imports import HEADER_ROW, ImportRejected
from ..models import ImportRun

MAX_BATCH_ROWS = 50_000


class BatchSerializer(serializers.Serializer):
    """The shape of a batch (its rows' values are checked by the import, not here)."""

    rows = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_BATCH_ROWS)

    def validate_rows(self, rows):
        for index, row in enumerate(rows, start=1):
            if any("\x00" in key or "\x00" in _cell(value) for key, value in row.items()):
                raise serializers.ValidationError(
                    _("Row %(row)s holds the NUL character (\\u0000), which no text may contain.") % {"row": index})
        return rows


class BatchResultSerializer(serializers.Serializer):
    import_run = serializers.IntegerField(help_text=_("The import run recorded for this batch."))
    rows = serializers.IntegerField(help_text=_("Rows received."))
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class BatchErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text=_("The row's position in the batch (the first is 1); "
                                                                "null for a problem of the whole batch."))
    column = serializers.CharField(allow_null=True)
    reason = serializers.CharField()


class BatchRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    import_run = serializers.IntegerField(allow_null=True)
    errors = BatchErrorSerializer(many=True)


def shape_errors(errors) -> list[dict]:
    """DRF's errors about a batch's shape, as the batch's row errors (``{"rows": {2: [...]}}`` is row 3)."""
    found = []
    for field, problems in (errors.items() if isinstance(errors, dict) else [(None, errors)]):
        if isinstance(problems, dict):
            for index, messages in problems.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    found.append({"row": int(index) + 1, "column": None, "reason": str(message)})
        else:
            for message in problems:
                found.append({"row": None, "column": None if field in (None, "non_field_errors") else field,
                              "reason": str(message)})
    return found


@dataclass
class BatchRefused(Exception):
    run: ImportRun | None
    errors: list[dict]


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_batch_csv(rows: Sequence[dict], columns: Sequence[str], path: Path) -> None:
    """The batch as the import's CSV file: its declared columns, then any other key a row has (which
    the import refuses, naming it), one line per row."""
    header = list(columns)
    for row in rows:
        header.extend(key for key in row if key not in header)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(name)) for name in header])


def run_batch(*, rows: Sequence[dict], columns: Sequence[str], kind: str, sheet: str,
              importer: Callable, user) -> tuple[ImportRun, object]:
    """Import the batch; returns (run, the import's result) or raises ``BatchRefused``."""
    run = ImportRun.objects.create(kind=kind, file_name=f"{sheet}.csv", checksum="", user=user, source="api",
                                   status=ImportRun.Status.QUEUED)
    with tempfile.TemporaryDirectory(prefix="mcee-api-") as folder:
        path = Path(folder) / f"{sheet}.csv"
        write_batch_csv(rows, columns, path)
        try:
            with queued_run(run):
                result = importer(path=path, user=user)
        except ImportRejected as exc:
            raise BatchRefused(run, [
                {"row": error.row - HEADER_ROW if error.row is not None and error.row > HEADER_ROW else None,
                 "column": error.column, "reason": str(error.reason)} for error in exc.errors])
    run.refresh_from_db()
    return run, result
