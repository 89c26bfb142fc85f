"""The text of a file tilskudd wrote, for tests that look for words in it whatever its format:
a PDF's pages, a workbook's cell values (every sheet), else the file itself (UTF-8, with or
without its BOM).

Used by tests/export/test_own_columns.py and tests/cli/test_hostile_text.py (pytest puts tests/
on the path: ``from written import written_text``).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdf


def written_text(path: Path) -> str:
    """``path``'s text: a PDF's extracted pages, a workbook's values one a line, else the file."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return path.read_text(encoding="utf-8-sig")
