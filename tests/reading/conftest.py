"""Builders for small input files, made in tmp_path: xlsx (openpyxl), csv, ods, encrypted xlsx.

Each test states the cells that matter to it; the builders do the file formats.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest

Rows = Sequence[Sequence[Any]]

HEADER = ["Søknadsnr", "Søker", "Prosjekt", "Omsøkt beløp", "Totalkostnad", "Poeng"]
ROWS = [
    ["S-1", "Moss kommune", "Felles arkiv", 100_000, 500_000, 5],
    ["S-2", "Rygge kommune", "Digital post", 250_000, 1_250_000, 4],
]


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """``make_xlsx(rows, name=..., sheet=..., sheets={name: rows}, hidden=[...])`` -> path.

    ``rows`` is the first sheet's content from A1 (None leaves a cell empty); ``sheets`` adds
    further sheets in order; ``hidden`` names sheets to hide.
    """

    def build(
        rows: Rows | None = None,
        *,
        name: str = "søknader.xlsx",
        sheet: str = "Søknader",
        sheets: dict[str, Rows] | None = None,
        hidden: Sequence[str] = (),
    ) -> Path:
        book = openpyxl.Workbook()
        first = book.active
        assert first is not None
        all_sheets: dict[str, Rows] = {}
        if rows is not None:
            all_sheets[sheet] = rows
        all_sheets.update(sheets or {})
        for index, (title, content) in enumerate(all_sheets.items()):
            ws = first if index == 0 else book.create_sheet()
            ws.title = title
            for row in content:
                ws.append(list(row))
            if title in hidden:
                ws.sheet_state = "hidden"
        path = tmp_path / name
        book.save(path)
        return path

    return build


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """``make_csv(rows, name=..., delimiter=',', encoding='utf-8', bom=False)`` -> path."""

    def build(
        rows: Rows,
        *,
        name: str = "søknader.csv",
        delimiter: str = ",",
        encoding: str = "utf-8",
        bom: bool = False,
    ) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
        data = buffer.getvalue().encode(encoding)
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    return build


def damage_first_sheet(path: Path) -> None:
    """The workbook at ``path`` with its first sheet's XML cut short after 300 bytes, the rest of
    the package as it was: a file saved or copied only in part."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


class OdsXml(str):
    """Written into an OpenDocument sheet as it is: a cell's or a whole row's XML."""


def ods_error(
    error: str, formula: str = "", *, value: str = 'office:value-type="string"', repeat: int = 1
) -> OdsXml:
    """A cell whose formula failed, as LibreOffice saves it (``value``: the value it stores
    beside the error; some writers store a 0), ``repeat`` times over."""
    written = f' table:formula="{escape(formula)}"' if formula else ""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return OdsXml(
        f'<table:table-cell{written}{repeated} {value} calcext:value-type="error">'
        f"<text:p>{escape(error)}</text:p></table:table-cell>"
    )


def ods_cell(value: Any) -> str:
    if isinstance(value, OdsXml):
        return value
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def build_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """A minimal hand-made OpenDocument spreadsheet at ``path``: ``{sheet: rows}``, each row a
    list of cells (None: empty; :class:`OdsXml`: written as it is) or a whole row's OdsXml."""
    tables = "".join(
        f'<table:table table:name="{escape(title)}">'
        + "".join(
            row
            if isinstance(row, OdsXml)
            else "<table:table-row>" + "".join(ods_cell(c) for c in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for title, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<office:document-content"
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        # The mimetype entry comes first and uncompressed, as the format requires.
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def make_ods(tmp_path: Path) -> Callable[..., Path]:
    """``make_ods({sheet: rows}, name=...)`` -> :func:`build_ods` in tmp_path."""

    def build(sheets: dict[str, Rows], *, name: str = "søknader.ods") -> Path:
        return build_ods(tmp_path / name, sheets)

    return build


def _cfb_entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", 0xFFFFFFFF, right, child)
        + b"\x00" * 16  # class id
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # created, modified
        + struct.pack("<IQ", start, size)
    )


def encrypted_workbook_bytes() -> bytes:
    """A compound file (OLE2) laid out as Excel saves a password-protected .xlsx.

    It holds the two streams of an encrypted OOXML package, EncryptionInfo and
    EncryptedPackage, 4 KiB of stand-in bytes each, so they live in ordinary 512-byte sectors.
    """
    sector = 512
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00".ljust(4096, b"\x00")
    package = bytes(range(256)) * 16
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0 holds the FAT, sector 1 the directory
    for first in (2, 10):
        fat += [first + i + 1 for i in range(7)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    directory = (
        _cfb_entry("Root Entry", 5, child=1, right=0xFFFFFFFF, start=0xFFFFFFFE, size=0)
        + _cfb_entry("EncryptionInfo", 2, child=0xFFFFFFFF, right=2, start=2, size=len(info))
        + _cfb_entry(
            "EncryptedPackage", 2, child=0xFFFFFFFF, right=0xFFFFFFFF, start=10, size=len(package)
        )
    ).ljust(sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )
    assert len(header) == sector
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + info + package


@pytest.fixture
def table_rows() -> list[list[Any]]:
    """A header and two applications, as fresh lists."""
    return [list(HEADER), *(list(r) for r in ROWS)]
