"""CSV: encodings, delimiters, quoting, and cells as strings."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilskudd.errors import InputFileError
from tilskudd.i18n import get
from tilskudd.reading import read_table
from tilskudd.reading.csv import decode, detect_delimiter

from .conftest import HEADER, ROWS

MakeCsv = Callable[..., Path]
T = get("en")


def test_cells_are_strings_and_empty_cells_none(make_csv: MakeCsv) -> None:
    path = make_csv([HEADER, [*ROWS[0][:5], None]])
    table = read_table(path)
    assert table.sheet is None
    assert list(table.rows) == [
        (2, ["S-1", "Moss kommune", "Felles arkiv", "100000", "500000", None])
    ]
    assert table.issues == []


def test_utf8_with_bom_does_not_leak_into_the_first_header(make_csv: MakeCsv) -> None:
    path = make_csv([HEADER, *ROWS], bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_table(path)
    assert table.headers[0] == "Søknadsnr"
    assert table.fields["id"] == 0
    assert table.issues == []


def test_windows_1252_is_read_with_a_warning(make_csv: MakeCsv) -> None:
    path = make_csv([HEADER, *ROWS], encoding="cp1252")
    table = read_table(path, display_name="gammel.csv")
    assert table.rows[1][1][1] == "Rygge kommune"
    assert table.headers[3] == "Omsøkt beløp"
    (issue,) = table.issues
    assert issue.code == "read.encoding_cp1252"
    assert issue.location is not None
    assert issue.location.file == "gammel.csv"
    assert "Windows-1252" in T(issue.code, **issue.params)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_detected(make_csv: MakeCsv, delimiter: str) -> None:
    path = make_csv([HEADER, *ROWS], delimiter=delimiter)
    table = read_table(path)
    assert table.fields == {
        "id": 0,
        "applicant": 1,
        "project": 2,
        "requested": 3,
        "total_cost": 4,
        "score": 5,
    }
    assert table.rows[0][1][3] == "100000"


def test_semicolon_file_with_decimal_commas_is_not_read_as_comma_separated(
    tmp_path: Path,
) -> None:
    # Excel on a Norwegian Windows: ';' between cells, ',' as the decimal mark, unquoted.
    path = tmp_path / "norsk.csv"
    path.write_text(
        "Søker;Søkt beløp;Poeng\r\nMoss;3300000,00;4,5\r\nRygge;100,50;3\r\n", encoding="utf-8"
    )
    table = read_table(path)
    assert list(table.rows) == [(2, ["Moss", "3300000,00", "4,5"]), (3, ["Rygge", "100,50", "3"])]


def test_quoted_cells_may_hold_delimiters_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "sitat.csv"
    path.write_text(
        'Søker,Prosjekt,Søkt beløp\r\n"Moss, Rygge","Arkiv\r\nfase 2","3 300 000"\r\nVåler,x,1\r\n',
        encoding="utf-8",
    )
    table = read_table(path)
    # Rows count records, as a spreadsheet shows them, not physical lines.
    assert list(table.rows) == [
        (2, ["Moss, Rygge", "Arkiv\r\nfase 2", "3 300 000"]),
        (3, ["Våler", "x", "1"]),
    ]


def test_title_lines_above_the_header_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "rotete.csv"
    path.write_text(
        "Søknader IKT 2009\n\nSøker;Søkt beløp;Merknad\nMoss;100\nRygge;200;sen;ekstra\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.header_row == 3
    assert list(table.rows) == [
        (4, ["Moss", "100", None, None]),
        (5, ["Rygge", "200", "sen", "ekstra"]),
    ]
    assert table.extra == {"Merknad": 2, "D": 3}


def test_a_sheet_option_on_a_csv_is_ignored_with_a_warning(make_csv: MakeCsv) -> None:
    table = read_table(make_csv([HEADER, *ROWS]), sheet="Søknader")
    assert [issue.code for issue in table.issues] == ["read.sheet_ignored"]


def test_bytes_that_are_neither_utf8_nor_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "rart.csv"
    path.write_bytes("Søker,Søkt beløp\n".encode() + b"Moss,\x81\xff\n")
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="rart.csv")
    message = str(caught.value)
    assert message.startswith("rart.csv is neither UTF-8 nor Windows-1252")
    assert "0x81" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("æøå".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "æøå".encode(), "utf-8-sig"),
        ("æøå".encode("cp1252"), "cp1252"),
    ],
)
def test_decode(data: bytes, encoding: str) -> None:
    assert decode(data, "f.csv", T) == ("æøå", encoding)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2,5\t3;4\n", "\t"),
        ('a,b\n"x;y;z",2\n', ","),
        ("bare ett felt\nog ett til\n", ","),
        ("Tittel\n\na;b\n1;2\n", ";"),
        # Tabs and line breaks in quoted cells make more records under tab, but ragged ones.
        ('Nr,Søker,Beløp\r\nA-0,"\t\n0",\t\r\nA-1,"\t\n0",\t\r\n', ","),
    ],
)
def test_detect_delimiter(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


_cell = st.text(alphabet=st.sampled_from(list("abcæøåÆØÅ 0123456789,;\t\"'-\n")), max_size=12)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_table_written_as_csv_reads_back_unchanged(
    tmp_path: Path, rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Søknadsnr", "Søker", "Søkt beløp"])
    # A running id keeps every row non-blank and never a totals label.
    data = [[f"A-{n}", *cells] for n, cells in enumerate(rows)]
    writer.writerows(data)
    path = tmp_path / "egenskap.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))

    table = read_table(path)
    expected = [[cell or None for cell in row] for row in data]
    assert [list(cells) for _, cells in table.rows] == expected
    assert [n for n, _ in table.rows] == list(range(2, len(data) + 2))
