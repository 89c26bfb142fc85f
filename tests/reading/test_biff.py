"""Error cells in legacy .xls workbooks: found in the BIFF8 records beside calamine's read."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
import xlwt  # type: ignore[import-untyped]

from tilskudd.issues import describe_issue
from tilskudd.reading import read_table
from tilskudd.reading.biff import ERRORS, xls_error_cells, xls_stream
from tilskudd.reading.table import UNREAD_FORMULA, FormulaWithoutValue
from tilskudd.validation import validate

HEADER = ["Søknadsnr", "Søker", "Omsøkt beløp", "Totalkostnad", "Poeng"]
NA, DIV0 = 0x2A, 0x07


def _xls(
    path: Path,
    errors: dict[tuple[int, int], int],
    *,
    formula_at: tuple[int, int] | None = None,
    hidden: tuple[int, ...] = (),
) -> Path:
    """An .xls as Excel 97-2003 wrote it: a sheet "Kost" first, then "Søknader" with two
    applications; ``errors`` are error values typed in (BOOLERR); ``formula_at`` holds a formula;
    the 0-based rows ``hidden`` are hidden, on both sheets."""
    book = xlwt.Workbook()
    first = book.add_sheet("Kost")
    first.write(0, 0, "oppslag")
    sheet = book.add_sheet("Søknader")
    for r in hidden:
        first.row(r).hidden = True
        sheet.row(r).hidden = True
    for c, title in enumerate(HEADER):
        sheet.write(0, c, title)
    for r, (app, who, amount, cost, score) in enumerate(
        [
            ("S-1", "Moss kommune", 100_000, 500_000, 5),
            ("S-2", "Rygge kommune", 200_000, 1_000_000, 4),
        ],
        start=1,
    ):
        for c, value in enumerate((app, who, amount, cost, score)):
            if (r, c) in errors:
                sheet.row(r).set_cell_error(c, errors[(r, c)])
            elif (r, c) == formula_at:
                sheet.write(r, c, xlwt.Formula("C3*5"))
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def _cached_error(path: Path, code: int) -> None:
    """Give the file's one formula the cached result ``code`` (an error), as Excel saves a failed
    formula: xlwt writes formulas with an empty result."""
    data = bytearray(path.read_bytes())
    empty_result = b"\x03\x00\x00\x00\x00\x00\xff\xff"
    at = data.find(empty_result)
    assert at > 0
    assert data.find(empty_result, at + 1) < 0
    data[at : at + 8] = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])
    path.write_bytes(bytes(data))


def test_an_error_typed_in_is_found_where_calamine_shows_an_empty_cell(tmp_path: Path) -> None:
    path = _xls(tmp_path / "søknader.xls", {(1, 3): NA, (2, 4): DIV0})
    assert xls_error_cells(path, "Søknader") == {(1, 3): ("", "#N/A"), (2, 4): ("", "#DIV/0!")}
    assert xls_error_cells(path, "Kost") == {}
    assert xls_error_cells(path, "Ingen slik") == {}
    table = read_table(path)
    assert table.sheet == "Søknader"
    (_, first), (_, second) = table.rows
    assert isinstance(first[3], FormulaWithoutValue)
    assert first[3].error == "#N/A"
    assert isinstance(second[4], FormulaWithoutValue)
    assert second[4].error == "#DIV/0!"


def test_a_formula_whose_result_is_an_error_is_found(tmp_path: Path) -> None:
    path = _xls(tmp_path / "søknader.xls", {}, formula_at=(2, 3))
    assert xls_error_cells(path, "Søknader") == {}  # an empty result is no error
    _cached_error(path, NA)
    # A formula failed there (its text is not decoded), not an error typed in.
    assert xls_error_cells(path, "Søknader") == {(2, 3): (UNREAD_FORMULA, "#N/A")}


def test_an_error_in_the_total_cost_is_an_error_not_an_unknown_cost(tmp_path: Path) -> None:
    """Read as empty, the share-of-cost cap would not be applied to S-1."""
    path = _xls(tmp_path / "søknader.xls", {(1, 3): NA})
    checked = validate(read_table(path))
    (issue,) = [i for i in checked.issues if i.code.startswith("validate.cell_error")]
    assert issue.location is not None
    assert issue.location.cell == "Søknader!D2"
    assert "#N/A" in describe_issue(issue)
    assert [a.id for a in checked.applications] == ["S-2"]


def test_a_workbook_without_errors_is_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tilskudd.reading import biff

    path = _xls(tmp_path / "søknader.xls", {})

    def refuse(*_: object) -> None:
        raise AssertionError("records walked although no error was found")

    monkeypatch.setattr(biff, "_records", refuse)
    assert xls_error_cells(path, "Søknader") == {}


def test_hidden_rows_are_found_and_warned_of(tmp_path: Path) -> None:
    path = _xls(tmp_path / "søknader.xls", {}, hidden=(2,))
    found: set[int] = set()
    assert xls_error_cells(path, "Søknader", found) == {}
    assert found == {3}
    (issue,) = [i for i in read_table(path).issues if i.code.startswith("read.hidden")]
    assert dict(issue.params) == {"count": 1, "rows": ["3"], "more": 0}
    assert issue.location is not None
    assert (issue.location.sheet, issue.location.row) == ("Søknader", 3)


def test_a_workbook_without_errors_or_hidden_rows_is_not_walked_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tilskudd.reading import biff

    path = _xls(tmp_path / "søknader.xls", {})
    monkeypatch.setattr(biff, "_records", _refuse_to_walk)
    assert xls_error_cells(path, "Søknader", set()) == {}


def _refuse_to_walk(*_: object) -> None:
    raise AssertionError("records walked although nothing was found")


@pytest.mark.parametrize("damage", ["truncated", "not a compound file", "garbage sectors"])
def test_a_damaged_file_finds_nothing_and_raises_nothing(tmp_path: Path, damage: str) -> None:
    path = _xls(tmp_path / "søknader.xls", {(1, 3): NA})
    data = path.read_bytes()
    if damage == "truncated":
        data = data[:1500]
    elif damage == "not a compound file":
        data = b"<html>" + data[6:]
    else:
        data = data[:512] + bytes(range(256)) * ((len(data) - 512) // 256 + 1)
    path.write_bytes(data)
    assert xls_error_cells(path, "Søknader") == {}


def _compound_file(stream: bytes, *, mini: bool) -> bytes:
    """A compound file holding one stream "Workbook", in ordinary sectors or (``mini``, for a
    stream under 4 096 bytes) in 64-byte mini sectors inside the root entry's mini stream."""
    size, end, free = 512, 0xFFFFFFFE, 0xFFFFFFFF

    def padded(raw: bytes, unit: int) -> bytes:
        return raw + b"\x00" * (-len(raw) % unit)

    def entry(name: str, kind: int, start: int, length: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, 1 if kind == 5 else free)
            + b"\x00" * 36
            + struct.pack("<IQ", start, length)
        )

    fat = [0xFFFFFFFD, end]  # sector 0: the FAT; sector 1: the directory
    if mini:
        minis = len(padded(stream, 64)) // 64
        mini_fat = [*range(1, minis), end] + [free] * (size // 4 - minis)
        container = padded(padded(stream, 64), size)
        sectors = len(container) // size
        fat += [end]  # sector 2: the mini FAT
        fat += [*range(4, 3 + sectors), end]  # sectors 3..: the mini stream
        root = entry("Root Entry", 5, 3, len(padded(stream, 64)))
        workbook = entry("Workbook", 2, 0, len(stream))
        body = struct.pack(f"<{size // 4}I", *mini_fat) + container
        first_mini_fat, mini_fats = 2, 1
    else:
        body = padded(stream, size)
        sectors = len(body) // size
        fat += [*range(3, 2 + sectors), end]
        root = entry("Root Entry", 5, end, 0)
        workbook = entry("Workbook", 2, 2, len(stream))
        first_mini_fat, mini_fats = end, 0
    assert len(fat) <= size // 4
    fat += [free] * (size // 4 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, first_mini_fat, mini_fats, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    directory = (root + workbook).ljust(size, b"\x00")
    return header + struct.pack(f"<{size // 4}I", *fat) + directory + body


@pytest.mark.parametrize("mini", [False, True])
def test_the_workbook_stream_is_read_from_ordinary_and_mini_sectors(mini: bool) -> None:
    stream = bytes(range(256)) * (3 if mini else 20) + b"slutt"
    assert xls_stream(_compound_file(stream, mini=mini)) == stream


def test_every_error_code_has_excels_text() -> None:
    assert sorted(ERRORS.values()) == sorted(
        ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"]
    )


@pytest.mark.parametrize("length", [266, 267])
def test_a_formula_record_whose_length_holds_a_newline_byte_is_found(
    tmp_path: Path, length: int
) -> None:
    """A FORMULA record 266 bytes long (0x010A) has a newline byte in its length: the search
    for candidates must not stop at it, or the only error in the workbook goes unseen."""
    path = tmp_path / "lang.xls"
    for k in range(1, 256):
        book = xlwt.Workbook()
        sheet = book.add_sheet("Søknader")
        sheet.write(0, 0, "Totalkostnad")
        sheet.write(1, 0, xlwt.Formula('IF(B2="' + "x" * k + '";1;2)'))
        book.save(str(path))
        stream = xls_stream(path.read_bytes())
        assert stream is not None
        at = stream.find(b"\x03\x00\x00\x00\x00\x00\xff\xff")  # xlwt's empty result
        assert stream[at - 10 : at - 8] == b"\x06\x00"
        if struct.unpack_from("<H", stream, at - 8)[0] == length:
            break
    else:
        pytest.fail(f"no formula record of {length} bytes")
    _cached_error(path, NA)
    assert xls_error_cells(path, "Søknader") == {(1, 0): (UNREAD_FORMULA, "#N/A")}


def test_a_sheet_name_in_the_workbooks_code_page_is_the_name_calamine_gives(
    tmp_path: Path,
) -> None:
    """Some programs write BIFF8 with CODEPAGE 1252 and names in it: byte 0x96 is an en dash
    there, as calamine reads it, not the Latin-1 control character U+0096."""
    from python_calamine import CalamineWorkbook

    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader \x96 2026")  # written as one byte, 0x96
    sheet.write(0, 0, "Totalkostnad")
    sheet.row(1).set_cell_error(0, NA)
    path = tmp_path / "cp1252.xls"
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.find(b"\x42\x00\x02\x00\xb0\x04")  # CODEPAGE 1200, as xlwt writes it
    assert at > 0
    data[at + 4 : at + 6] = struct.pack("<H", 1252)
    path.write_bytes(bytes(data))
    assert CalamineWorkbook.from_path(str(path)).sheet_names == ["Søknader – 2026"]
    assert xls_error_cells(path, "Søknader – 2026") == {(1, 0): ("", "#N/A")}
    assert xls_error_cells(path, "Søknader \x96 2026") == {(1, 0): ("", "#N/A")}


def test_a_sector_chain_in_a_circle_is_refused_before_calamine_reads_it(tmp_path: Path) -> None:
    """calamine follows such a chain until memory runs out and the process aborts."""
    from tilskudd.errors import InputFileError
    from tilskudd.reading.biff import runs_in_circles

    sound = _xls(tmp_path / "søknader.xls", {(1, 3): NA})
    assert not runs_in_circles(sound)
    # The DIFAT chain: an appended sector that names itself as the next.
    data = bytearray(sound.read_bytes())
    me = len(data) // 512 - 1
    data += struct.pack("<128I", *([me] * 128))
    struct.pack_into("<II", data, 0x44, me, 0xFFFFFFFF)
    difat = tmp_path / "difat.xls"
    difat.write_bytes(bytes(data))
    # The FAT: the workbook stream's second sector leads back to its first.
    circle = bytearray(_compound_file(bytes(range(256)) * 20, mini=False))
    struct.pack_into("<I", circle, 512 + 4 * 3, 2)
    fat = tmp_path / "fat.xls"
    fat.write_bytes(bytes(circle))
    for path in (difat, fat):
        assert runs_in_circles(path)
        assert xls_error_cells(path, "Søknader") == {}
    for path in (difat, fat):
        with pytest.raises(InputFileError, match="a chain of its sectors runs in a circle"):
            read_table(path)
