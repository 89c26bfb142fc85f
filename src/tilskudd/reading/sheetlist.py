"""A workbook's sheet names, had without reading its sheets: ``--sheet`` checked against them
(:func:`check_sheet`) is said with a command's other problems, before the file is read.

Only for a run that stops before the reading anyway: the reader resolves ``--sheet`` itself as
it opens the workbook (:func:`tilskudd.reading.xlsx.read_workbook`), so a run that reads the
file does not open it twice. An .xlsx lists its sheets in ``xl/workbook.xml``, a part of a few
hundred bytes (calamine's open would read the shared strings too: 0.15-0.25 s for 200 000 of
them); the other formats are listed as calamine lists them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from tilskudd.errors import InputFileError
from tilskudd.i18n import get
from tilskudd.reading.sniff import sniff

__all__ = ["check_sheet", "sheet_names"]

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def sheet_names(path: Path) -> list[str] | None:
    """The names of the sheets of the workbook ``path``, in order; None for a text file (it
    has no sheets) and for a file whose sheets cannot be listed (missing, damaged, not a
    spreadsheet: the reader says what it is)."""
    try:
        sniffed = sniff(path, str(path), get("en"))
    except InputFileError:
        return None
    if sniffed.format == "csv":
        return None
    try:
        if sniffed.format == "xlsx":
            with zipfile.ZipFile(path) as archive:
                workbook = ET.fromstring(archive.read("xl/workbook.xml"))
            names = [node.get("name") or "" for node in workbook.iter(f"{_MAIN_NS}sheet")]
            if names:
                return names
        # Else as calamine lists them (a strict-OOXML .xlsx, an .xlsb, .xls or .ods).
        from tilskudd.reading.biff import runs_in_circles, size_out_of_bounds

        if sniffed.format == "xls" and (runs_in_circles(path) or size_out_of_bounds(path)):
            return None
        from python_calamine import CalamineWorkbook

        from tilskudd.reading.xlsx import rust_panics_unsaid

        with rust_panics_unsaid(), path.open("rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
            try:
                return [m.name for m in book.sheets_metadata]
            finally:
                book.close()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException:  # damaged (calamine panics are BaseExceptions): the reader says so
        return None


def check_sheet(path: Path, sheet: str | int, *, display_name: str, lang: str) -> None:
    """Raise the :class:`InputFileError` the reader would raise for ``sheet`` (a name or a
    1-based number) when ``path`` has no such sheet, naming the file as ``display_name``;
    nothing when it has, or when its sheets cannot be listed (see :func:`sheet_names`)."""
    names = sheet_names(path)
    if not names:
        return
    from tilskudd.reading.xlsx import _resolve_sheet

    _resolve_sheet(names, sheet, display_name, get(lang))
