"""Reading what the system exports: every CSV/XLSX starts with the security marking on a row of its
own (mcee.spreadsheets); these helpers check that row and give what follows it."""

import io

from openpyxl import load_workbook

MARKING = {"en": "PROTECTED B", "fr": "PROTÉGÉ B"}


def after_marking(text: str, language: str = "en") -> str:
    """The CSV text below the marking row, which must be the first line."""
    first, _newline, rest = text.partition("\n")
    assert first.rstrip("\r") == MARKING[language], f"the first row is not the marking: {first!r}"
    return rest


def export_text(response, language: str = "en") -> str:
    """A streamed CSV download below its marking row."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return after_marking(body.decode("utf-8"), language)


def xlsx_sheet_rows(content: bytes, language: str = "en") -> list[tuple]:
    """The values of the first sheet's rows below the marking row."""
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows and rows[0][0] == MARKING[language] and not any(rows[0][1:]), rows[:1]
    return rows[1:]
