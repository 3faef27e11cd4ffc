"""Writing rows to CSV and XLSX, the same way for commands and downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence


def write_csv(stream, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
