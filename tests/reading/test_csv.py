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
from tilskudd.issues import describe_issue
from tilskudd.models import Location, Severity
from tilskudd.reading import read_table
from tilskudd.reading.csv import decode, detect_delimiter
from tilskudd.validation import validate

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
    # A short row is normal (trailing empty cells); a row longer than the header is an error
    # on that row, cut to the header's width so that 'ekstra' makes no column of its own.
    assert list(table.rows) == [
        (4, ["Moss", "100", None, None]),
        (5, ["Rygge", "200", "sen", None]),
    ]
    assert table.extra == {"Merknad": 2}
    assert table.issues == []
    assert {row: i.code for row, i in table.row_errors.items()} == {5: "read.csv_too_many_fields"}


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


# --- rows whose cells cannot be matched to the header ----------------------------------------


def _row_errors(path: Path) -> list[tuple[str, int | None, dict[str, object]]]:
    table = read_table(path, display_name="s.csv")
    assert not [i for i in table.issues if i.is_error]  # the row's errors are the row's
    return [
        (i.code, row, dict(i.params))
        for row, i in table.row_errors.items()
        if i.location is not None and i.location.row == row
    ]


def test_a_row_with_more_fields_than_the_header_is_an_error_on_that_row(tmp_path: Path) -> None:
    # An unquoted decimal comma in a comma-separated file splits the amount in two, and every
    # cell after it moves one column right: the score would read as '00'.
    path = tmp_path / "s.csv"
    path.write_text(
        "ID,Søker,Omsøkt beløp,Poeng\n"
        "A,Bærum,1200000,00,5\n"
        "B,Asker,300000,4\n"
        "C,Moss,100\n"  # fewer fields: trailing empty cells, normal
        "D,Rygge,2000000,00,3,x\n",
        encoding="utf-8",
    )
    table = read_table(path, display_name="s.csv")
    errors = list(table.row_errors.values())
    # Row 2's split is plain (whole kroner, then two digits): the cell is named as meant. Row 5
    # has two fields too many and one such place: which cells belong together is not plain.
    assert [(i.code, i.location) for i in errors] == [
        ("read.csv_cell_split", Location(file="s.csv", row=2)),
        ("read.csv_too_many_fields", Location(file="s.csv", row=5)),
    ]
    assert [dict(i.params) for i in errors] == [
        {
            "fields": 5,
            "header_fields": 4,
            "header_row": 1,
            "line": 2,
            "column": "C",
            "header": "Omsøkt beløp",
            "text": "1200000,00",
        },
        {"fields": 6, "header_fields": 4, "header_row": 1, "line": 5},
    ]
    # The extra cells make no column of their own.
    assert table.extra == {}
    number, cells = table.rows[0]
    assert (number, cells) == (2, ["A", "Bærum", "1200000", "00", None, None])
    message = describe_issue(errors[0])
    assert message.startswith(
        "s.csv, row 2: this row (line 2 of the file) has 5 fields but the header (row 1) has 4: "
        "'1200000,00' in column C (Omsøkt beløp) looks like one cell split at its delimiter"
    )
    assert 'Put the cell in quotation marks ("1200000,00")' in message
    assert "«1200000,00» i kolonne C (Omsøkt beløp) ser ut som én celle delt" in describe_issue(
        errors[0], "nb"
    )
    general = describe_issue(errors[1])
    assert general.startswith(
        "s.csv, row 5: this row (line 5 of the file) has 6 fields but the header (row 1) has 4"
    )
    assert "a comma in a title (Ny skole, fase 2), must be in quotation marks" in general
    assert "raden (linje 5 i filen) har 6 felt, men overskriftsraden (rad 1) har 4" in (
        describe_issue(errors[1], "nb")
    )


def test_a_comma_in_a_title_is_the_rows_one_error_naming_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "ID,Søker,Prosjekt,Omsøkt beløp,Totalkostnad,Poeng\n"
        "S1,Oslo kommune,Ny hall,300000,1000000,4\n"
        "S7,Bergen kommune,Ny skole, fase 2,300000,1000000,4\n",
        encoding="utf-8",
    )
    result = validate(read_table(path, display_name="s.csv"))
    # One error, the cause; not ' fase 2' as an amount, nor 4 as a total cost below it.
    (issue,) = result.issues
    assert issue.code == "read.csv_cell_split"
    assert (issue.params["column"], issue.params["header"], issue.params["text"]) == (
        "C",
        "Prosjekt",
        "Ny skole, fase 2",
    )
    assert [r.id for r in result.rejected] == ["S7"]
    assert "'Ny skole, fase 2' in column C (Prosjekt) looks like one cell" in describe_issue(issue)
    assert 'quotation marks ("Ny skole, fase 2")' in describe_issue(issue)


def test_the_line_of_a_row_below_a_cell_with_line_breaks_is_the_files(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "ID;Søker;Prosjekt;Omsøkt beløp\n"
        'A;Moss;"Første linje\nandre linje\r\ntredje";100\n'
        "B;Rygge;Bro; ny;200\n",
        encoding="utf-8",
    )
    (issue,) = read_table(path).row_errors.values()
    assert issue.location is not None
    assert (issue.location.row, issue.params["line"]) == (3, 5)
    assert issue.params["text"] == "Bro; ny"


def test_every_row_below_cells_with_line_breaks_has_its_files_line(tmp_path: Path) -> None:
    # Lines: 1 header, 2-4 A (a cell of three lines), 5 B, 6-7 C (a cell of two lines), 8 D, 9 E.
    # B, D and E have one field too many (a decimal comma); each is named with its own line.
    path = tmp_path / "s.csv"
    path.write_text(
        "ID;Søker;Omsøkt beløp;Poeng\n"
        'A;"Moss\nkommune\nøst";100;4\n'
        "B;Rygge;200;5;1\n"
        'C;"Råde\r\nkommune";300;4\n'
        "D;Våler;400;3;2\n"
        "E;Sarpsborg;500;2;5\n",
        encoding="utf-8",
    )
    errors = read_table(path).row_errors
    assert {row: issue.params["line"] for row, issue in errors.items()} == {3: 5, 5: 8, 6: 9}


def _short_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "s.csv"
    path.write_text("ID;Søker;Prosjekt;Omsøkt beløp;Poeng\n" + "".join(rows), encoding="utf-8")
    return path


def test_a_row_short_of_fields_where_every_other_has_them_is_a_warning(tmp_path: Path) -> None:
    # A separator left out: the amount 200000 went into the title and the score 4 is read as the
    # amount applied for.
    full = [f"S{n};Moss;Vei;100000;3\n" for n in range(1, 10)]
    path = _short_file(tmp_path, [*full[:2], "S3;Rygge;Bro 200000;4\n", *full[3:]])
    table = read_table(path, display_name="s.csv")
    assert table.row_errors == {}
    (issue,) = [i for i in table.issues if i.code == "read.csv_too_few_fields"]
    assert issue.severity == Severity.WARNING
    assert issue.location == Location(file="s.csv", row=4)
    assert dict(issue.params) == {
        "fields": 4,
        "header_fields": 5,
        "header_row": 1,
        "line": 4,
        "full": 8,
    }
    assert "has 4 fields but the header (row 1) has 5, as 8 other rows have" in describe_issue(
        issue
    )
    assert "har 4 felt, men overskriftsraden (rad 1) har 5, det samme som 8 andre rader" in (
        describe_issue(issue, "nb")
    )


def test_rows_short_of_fields_by_habit_are_no_warning(tmp_path: Path) -> None:
    # Written without trailing empty fields: many rows lack the score, none is shifted.
    rows = [f"S{n};Moss;Vei;100000{';3' if n % 3 else ''}\n" for n in range(1, 10)]
    table = read_table(_short_file(tmp_path, rows))
    assert [i.code for i in table.issues] == []


def test_empty_fields_beyond_the_header_are_not_extra_fields(tmp_path: Path) -> None:
    # Spreadsheets write a row's empty cells to the width of the widest row.
    path = tmp_path / "s.csv"
    path.write_text("ID;Søker;Omsøkt beløp\nA;B;100;;;\nC;D;200; ;\nE;F;300\n", encoding="utf-8")
    assert _row_errors(path) == []
    assert [cells[:3] for _, cells in read_table(path).rows] == [
        ["A", "B", "100"],
        ["C", "D", "200"],
        ["E", "F", "300"],
    ]


def test_a_quotation_mark_out_of_place_is_an_error_on_that_row(tmp_path: Path) -> None:
    # '"B,"Asker"' reads leniently as one cell 'B,Asker"', and the row has a field too few.
    path = tmp_path / "s.csv"
    path.write_text(
        'ID,Søker,Omsøkt beløp,Poeng\n"B,"Asker",1,5\nC,Moss,100,4\nD,"Ry"gge,200,3\n',
        encoding="utf-8",
    )
    assert _row_errors(path) == [
        (
            "read.csv_quote_stray",
            2,
            {"lines": 1, "line": 2, "before": '"B,', "after": 'Asker",1,5'},
        ),
        (
            "read.csv_quote_stray",
            4,
            {"lines": 1, "line": 4, "before": 'D,"Ry', "after": "gge,200,3"},
        ),
    ]


def test_a_quotation_mark_out_of_place_names_its_line_where_that_differs_from_the_row(
    tmp_path: Path,
) -> None:
    # Uster's culture grants: a quoted cell with a line break higher up makes row 476 of the
    # spreadsheet line 478 of the text; the error names both, for the text editor that mends it.
    path = tmp_path / "s.csv"
    path.write_text(
        'ID,Prosjekt,Omsøkt beløp\nA,"To\nlinjer",100\nB,"Debut "Identity" live",200\n',
        encoding="utf-8",
    )
    assert _row_errors(path) == [
        (
            "read.csv_quote_stray",
            3,
            {"lines": 1, "line": 4, "before": 'B,"Debut ', "after": 'Identity" live",200'},
        )
    ]
    issue = read_table(path).row_errors[3]
    assert "(line 4 of the file)" in describe_issue(issue)
    assert "(linje 4 i filen)" in describe_issue(issue, "nb")


def test_a_stray_quotation_mark_is_shown_in_the_text_around_it_with_how_to_mend_it(
    tmp_path: Path,
) -> None:
    # Uster's culture grants: '"Debütalbum "Identity" & Plattentaufe, …"' has its inner quotes
    # not doubled. The error said only "a quotation mark in this row is out of place", leaving
    # the officer to hunt for it in a line of 150 characters: it now quotes up to 30 characters
    # either side of the mark where the reader stumbled, the mark shown, and says how to mend it.
    path = tmp_path / "s.csv"
    path.write_text(
        "Dato,Søker,Prosjekt,Omsøkt beløp\n"
        '2026-06-01,"Samir Rachide","Debütalbum "Identity" & Plattentaufe, 12. Dezember 2026,'
        ' Musikcontainer Uster",3500\n'
        '2026-06-01,"Stadt Jodler Uster",""Jodel trifft Jodel", 21.11.2026",1500\n'
        '2026-06-01,"Lukas Leuzinger","Roman",3000\n'
        'A,"Ry"gge,2\n',
        encoding="utf-8",
    )
    assert _row_errors(path) == [
        (
            "read.csv_quote_stray",
            2,
            {
                "lines": 1,
                "line": 2,
                "before": '…1,"Samir Rachide","Debütalbum ',
                "after": 'Identity" & Plattentaufe, 12. …',
            },
        ),
        (
            "read.csv_quote_stray",
            3,
            {
                "lines": 1,
                "line": 3,
                "before": '…6-06-01,"Stadt Jodler Uster","',
                "after": 'Jodel trifft Jodel", 21.11.202…',
            },
        ),
        ("read.csv_quote_stray", 5, {"lines": 1, "line": 5, "before": 'A,"Ry', "after": "gge,2"}),
    ]
    issue = read_table(path).row_errors[2]
    assert describe_issue(issue, show_file=False) == (
        "row 2: a quotation mark in this row (line 2 of the file) is out of place, so where one "
        'cell ends and the next begins is uncertain: at >>"<< in '
        '\'…1,"Samir Rachide","Debütalbum >>"<<Identity" & Plattentaufe, 12. …\' a quoted '
        "cell ends, but no delimiter follows. A quotation mark inside a quoted cell must be "
        "doubled (\"\") or be another kind of quotation mark (« » or ' '); correct the row, or "
        "save the file again from the spreadsheet"
    )
    assert describe_issue(issue, "nb", show_file=False) == (
        "rad 2: et anførselstegn i denne raden (linje 2 i filen) står feil, så det er usikkert "
        'hvor én celle slutter og den neste begynner: ved >>"<< i '
        '«…1,"Samir Rachide","Debütalbum >>"<<Identity" & Plattentaufe, 12. …» slutter en '
        "celle i anførselstegn, men det kommer ikke noe skilletegn etter. Et anførselstegn inne "
        'i en celle i anførselstegn må skrives dobbelt ("") eller byttes ut med en annen sort '
        "(« » eller ' '); rett raden, eller lagre filen på nytt fra regnearket"
    )


def test_a_quotation_mark_never_closed_is_an_error_on_its_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('ID;Søker;Omsøkt beløp\nA;B;100\nC;"D;200\nE;F;300\n', encoding="utf-8")
    assert _row_errors(path) == [
        (
            "read.csv_quote_unclosed",
            3,
            {
                "lines": 2,
                "line": 3,
                "column": "B",
                "header": "Søker",
                "mark_line": 3,
                "mark_char": 3,
                "before": "C;",
                "after": "D;200",
            },
        )
    ]


def test_a_quoted_cell_that_runs_on_over_lines_is_said_once_with_the_lines_it_took(
    tmp_path: Path,
) -> None:
    # One quotation mark too many in the municipality of row 2 ran on until the quote that
    # opens a cell two lines down: three lines read as one row, the cell holding the rest of
    # row 2 and rows 3 and 4. It was "out of place" and then an error for every item of that
    # cell read as a municipality (15 of them) and for the empty amount: the one cause now.
    from tilskudd.validation import validate

    path = tmp_path / "s.csv"
    path.write_text(
        "Søknadsnr,Søker,Kommune,Omsøkt beløp,Prosjekt\n"
        'S-1,A,"Oslo,100000,Tittel\n'
        "S-2,B,Bergen,200000,Vanlig\n"
        'S-3,C,Moss,300000,"Siste"\n'
        "S-4,D,Moss,400000,Vanlig\n",
        encoding="utf-8",
    )
    assert _row_errors(path) == [
        (
            "read.csv_quote_runs_on",
            2,
            {
                "lines": 3,
                "line": 2,
                "next": 3,
                "last": 4,
                "column": "C",
                "header": "Kommune",
                "mark_line": 2,
                "mark_char": 7,
                "before": "S-1,A,",
                "after": "Oslo,100000,Tittel",
            },
        )
    ]
    result = validate(read_table(path, display_name="s.csv"))
    (issue,) = result.errors
    assert issue.code == "read.csv_quote_runs_on"
    assert [r.id for r in result.rejected] == ["S-1"]
    assert [a.id for a in result.applications] == ["S-4"]
    assert (
        "(line 2 of the file) opens a cell that runs on to line 4 before a quotation mark ends "
        "it, so lines 2 to 4 were read as this one row: any application on lines 3 to 4 is "
        "inside this cell and missing from the table"
    ) in describe_issue(issue)
    assert (
        "(linje 2 i filen) åpner en celle som fortsetter til linje 4 før et anførselstegn "
        "avslutter den, så linje 2 til 4 ble lest som denne ene raden: en søknad på linje 3 til "
        "4 ligger inne i denne cellen og mangler i tabellen"
    ) in describe_issue(issue, "nb")


def test_a_quoted_cell_that_runs_on_or_is_never_closed_is_shown_where_it_starts(
    tmp_path: Path,
) -> None:
    # "Runs on to line 5" and "never closed" said which lines were swallowed, but not where the
    # cell that swallowed them starts: in a long row, after a title with a line break of its
    # own, the officer had to hunt for one quotation mark. The error now names the cell's
    # column and the mark's line and character, and quotes the text either side of it.
    path = tmp_path / "s.csv"
    path.write_text(
        "Søknadsnr;Prosjekt;Kommune;Omsøkt beløp;Merknad\r\n"
        'S-1;"Ny skole\r\nfase 2";"Nordre Follo kommune, avdeling for oppvekst;100000;ok\r\n'
        "S-2;Bro;Moss;200000;ok\r\n"
        'S-3;Vei;Rygge;300000;"Siste" i året\r\n'
        "S-4;Park;Moss;400000;ok\r\n"
        'S-5;Hall;Asker;500000;"Ikke lukket\r\n'
        "S-6;Sti;Moss;600000;ok\r\n",
        encoding="utf-8",
    )
    assert _row_errors(path) == [
        (
            "read.csv_quote_runs_on",
            2,
            {
                "lines": 4,
                "line": 2,
                "next": 3,
                "last": 5,
                "column": "C",
                "header": "Kommune",
                "mark_line": 3,
                "mark_char": 9,
                "before": 'fase 2";',
                "after": "Nordre Follo kommune, avdeling…",
            },
        ),
        (
            "read.csv_quote_unclosed",
            4,
            {
                "lines": 2,
                "line": 7,
                "column": "E",
                "header": "Merknad",
                "mark_line": 7,
                "mark_char": 23,
                "before": "S-5;Hall;Asker;500000;",
                "after": "Ikke lukket",
            },
        ),
    ]
    table = read_table(path)
    runs_on, unclosed = table.row_errors[2], table.row_errors[4]
    assert (
        'The cell is in column C (Kommune) and starts at >>"<< in '
        "'fase 2\";>>\"<<Nordre Follo kommune, avdeling…' (line 3 of the file, character 9)."
    ) in describe_issue(runs_on)
    assert (
        'Cellen står i kolonne C (Kommune) og begynner ved >>"<< i '
        '«fase 2";>>"<<Nordre Follo kommune, avdeling…» (linje 3 i filen, tegn 9).'
    ) in describe_issue(runs_on, "nb")
    assert (
        'The cell is in column E (Merknad) and starts at >>"<< in '
        "'S-5;Hall;Asker;500000;>>\"<<Ikke lukket' (line 7 of the file, character 23)."
    ) in describe_issue(unclosed)
    assert (
        'Cellen står i kolonne E (Merknad) og begynner ved >>"<< i '
        '«S-5;Hall;Asker;500000;>>"<<Ikke lukket» (linje 7 i filen, tegn 23).'
    ) in describe_issue(unclosed, "nb")


@pytest.mark.parametrize("closed", [False, True], ids=["never closed", "closed far below"])
def test_a_quoted_cell_longer_than_the_csv_module_takes_is_the_same_error(
    tmp_path: Path, closed: bool
) -> None:
    # With more than 131 072 characters after it (3 000 rows here), a quotation mark never
    # closed, or closed far below, made the whole file unreadable: "cannot be read as CSV at
    # line 2 637: field larger than field limit (131072)", in English, naming neither the row
    # nor the mark. It is now the row's error as in a short file, and the rows after it are read.
    from tilskudd.validation import validate

    rows = [f"S-{n};Søker {n};Moss;{100_000 + n};Prosjekt nummer {n}\n" for n in range(1, 3000)]
    end = 'S-X;B;Moss;5;"Siste" i året\nS-Y;C;Moss;7;Vanlig\nS-Z;D;"Ry"gge;8;Vanlig\n'
    end = end if closed else ""
    path = tmp_path / "s.csv"
    path.write_text(
        'Søknadsnr;Søker;Kommune;Omsøkt beløp;Prosjekt\nS-0;A;"Oslo;100000;Tittel\n'
        + "".join(rows)
        + end,
        encoding="utf-8",
    )
    assert len(path.read_text(encoding="utf-8")) > 131_072
    where = {
        "column": "C",
        "header": "Kommune",
        "mark_line": 2,
        "mark_char": 7,
        "before": "S-0;A;",
        "after": "Oslo;100000;Tittel",
    }
    expected = (
        ("read.csv_quote_runs_on", 2, {"lines": 3001, "line": 2, "next": 3, "last": 3002, **where})
        if closed
        else ("read.csv_quote_unclosed", 2, {"lines": 3000, "line": 2, **where})
    )
    # A quotation mark out of place further down is said on its own row and line.
    stray = ("read.csv_quote_stray", 4, {"lines": 1, "line": 3004, "before": 'S-Z;D;"Ry'})
    found = _row_errors(path)
    assert found[0] == expected
    assert [(code, row, {k: params[k] for k in stray[2]}) for code, row, params in found[1:]] == (
        [stray] if closed else []
    )
    result = validate(read_table(path, display_name="s.csv"))
    assert [r.id for r in result.rejected] == (["S-0", "S-Z"] if closed else ["S-0"])
    assert [a.id for a in result.applications] == (["S-Y"] if closed else [])


def test_the_cells_of_a_row_with_a_quote_out_of_place_are_not_errors_of_their_own(
    tmp_path: Path,
) -> None:
    # '"Bærum "sentrum", Asker"' leniently read puts 'Bærum sentrum", Asker"' in the
    # municipality column; what it holds there is a knock-on of the quote, not a second error.
    from tilskudd.validation import validate

    path = tmp_path / "s.csv"
    path.write_text(
        "Søknadsnr,Kommune,Omsøkt beløp\n"
        'S-1,"Bærum "sentrum", Asker",100000\n'
        "S-2,Moss,tre hundre\n",
        encoding="utf-8",
    )
    result = validate(read_table(path, display_name="s.csv"))
    assert [(i.code, i.location.row if i.location else None) for i in result.errors] == [
        ("read.csv_quote_stray", 2),
        ("validate.amount_invalid", 3),  # a row read cell for cell keeps its own errors
    ]


def test_a_totals_row_with_extra_fields_is_skipped_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("ID,Søker,Omsøkt beløp\nA,B,100\nC,D,200\nSum,,300,00\n", encoding="utf-8")
    table = read_table(path)
    assert [i.code for i in table.issues] == ["read.totals_row_skipped"]
    assert table.row_errors == {}


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    extra=st.lists(
        st.lists(st.sampled_from(["", "", "00", "5", "x"]), max_size=3), min_size=1, max_size=8
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_exactly_the_rows_with_something_beyond_the_header_are_errors(
    tmp_path: Path, extra: list[list[str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Søknadsnr", "Søker", "Søkt beløp"])
    for n, more in enumerate(extra):
        writer.writerow([f"A-{n}", "Moss", "100", *more])
    path = tmp_path / "egenskap.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")

    table = read_table(path)
    # The fields up to the last one with something in it.
    used = [3 + max((i + 1 for i, c in enumerate(more) if c), default=0) for more in extra]
    wrong = {n + 2: fields for n, fields in enumerate(used) if fields > 3}
    errors = list(table.row_errors.values())
    assert {i.location.row: i.params["fields"] for i in errors if i.location} == wrong
    assert all(i.code in ("read.csv_too_many_fields", "read.csv_cell_split") for i in errors)
    # Cut to the header's width: nothing beyond it, and no column made of it.
    assert all(cells[3:] == [None] * (len(cells) - 3) for _, cells in table.rows)
    assert table.extra == {}


# --- text files as Excel saves them ---------------------------------------------------------

# A sheet as an officer's Excel holds it: Norwegian letters, guillemets, an amount with spaces
# and a cell with the delimiter and a quotation mark in it.
_EXCEL_ROWS = [
    ["Søknadsnr", "Søker", "Prosjekt", "Omsøkt beløp"],
    ["S-1", "Ås kommune", "Bæring; «Hus»", "1 200 000"],
    ["S-2", "Ørland", 'Tiltak "Ø"', "250000"],
]
_EXCEL_READ = [
    (2, ["S-1", "Ås kommune", "Bæring; «Hus»", "1 200 000"]),
    (3, ["S-2", "Ørland", 'Tiltak "Ø"', "250000"]),
]


def _excel_text(delimiter: str, line_end: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(_EXCEL_ROWS)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["søknader.txt", "søknader.csv", "søknader"])
def test_excels_unicode_text_is_read(tmp_path: Path, name: str) -> None:
    """Save as -> "Unicode text (*.txt)": UTF-16 LE with a byte-order mark, tab-separated
    (the cell with a semicolon in it must not make the semicolon the delimiter)."""
    path = tmp_path / name
    path.write_bytes(b"\xff\xfe" + _excel_text("\t", "\r\n").encode("utf-16-le"))
    table = read_table(path)
    assert table.headers == _EXCEL_ROWS[0]
    assert list(table.rows) == _EXCEL_READ
    assert table.issues == []


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b""), ("utf-32", b"")],
)
def test_utf16_and_utf32_text_is_read_with_or_without_a_byte_order_mark(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    path = tmp_path / "søknader.txt"
    path.write_bytes(bom + _excel_text("\t", "\r\n").encode(encoding))
    table = read_table(path)
    assert list(table.rows) == _EXCEL_READ
    assert table.issues == []


def test_broken_utf16_text_names_the_file_and_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "avkuttet.txt"
    # Cut off in the middle of a character: an odd number of bytes.
    path.write_bytes(b"\xff\xfe" + _excel_text("\t", "\r\n").encode("utf-16-le")[:-1])
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="avkuttet.txt", lang="nb")
    message = str(caught.value)
    assert message.startswith("avkuttet.txt er en tekstfil i UTF-16, ikke UTF-8 eller")
    assert "«CSV UTF-8 (kommadelt)»" in message


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_utf8_with_a_byte_order_mark_is_read(tmp_path: Path, delimiter: str) -> None:
    """Save as -> "CSV UTF-8 (Comma delimited)"; on a Norwegian Windows the delimiter is ;."""
    path = tmp_path / "søknader.csv"
    path.write_bytes(b"\xef\xbb\xbf" + _excel_text(delimiter, "\r\n").encode())
    table = read_table(path)
    assert table.headers == _EXCEL_ROWS[0]
    assert list(table.rows) == _EXCEL_READ
    assert table.issues == []


def test_windows_1252_with_semicolons_as_norwegian_excel_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "søknader.csv"
    path.write_bytes(_excel_text(";", "\r\n").encode("cp1252"))
    table = read_table(path)
    assert table.headers == _EXCEL_ROWS[0]
    assert list(table.rows) == _EXCEL_READ
    assert [issue.code for issue in table.issues] == ["read.encoding_cp1252"]


def test_csv_macintosh_is_read_as_mac_roman_with_its_lone_cr_line_ends(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)": Mac Roman, where ø is 0xBF (¿ in Windows-1252) and
    Å is 0x81 (no character at all in Windows-1252), and a lone CR ends each line."""
    path = tmp_path / "søknader.csv"
    data = _excel_text(",", "\r").encode("mac_roman")
    assert b"\n" not in data
    assert b"\x81" in data  # Å: this file was refused as neither UTF-8 nor Windows-1252
    path.write_bytes(data)
    table = read_table(path, display_name="mac.csv")
    assert table.headers == _EXCEL_ROWS[0]
    assert list(table.rows) == _EXCEL_READ
    (issue,) = table.issues
    assert issue.code == "read.encoding_mac_roman"
    assert issue.location == Location(file="mac.csv")
    assert "Mac Roman" in T(issue.code, **issue.params)
    assert "Mac Roman" in get("nb")(issue.code, **issue.params)


def test_mac_roman_without_a_byte_windows_1252_lacks_is_told_by_its_letters(
    tmp_path: Path,
) -> None:
    # Søker, Bø, Bæring without Å: every byte is Windows-1252 too (S¿ker, B¿, B¾ring).
    path = tmp_path / "søknader.csv"
    path.write_bytes("Søker,Søkt beløp\rBø,100\rBæring,200\r".encode("mac_roman"))
    table = read_table(path)
    assert table.headers == ["Søker", "Søkt beløp"]
    assert list(table.rows) == [(2, ["Bø", "100"]), (3, ["Bæring", "200"])]
    assert [issue.code for issue in table.issues] == ["read.encoding_mac_roman"]


def test_a_mac_file_in_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "søknader.csv"
    path.write_bytes(_excel_text(",", "\r").encode())
    table = read_table(path)
    assert list(table.rows) == _EXCEL_READ
    assert table.issues == []


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Søker æøå ÆØÅ «x» – é", "cp1252"),
        ("Søker æøå ÆØÅ «x» – é", "mac_roman"),
        # Broken UTF-8 reads as Windows-1252 (SÃ¸ker), never as Mac Roman (S√∏ker).
        ("Søker".encode().decode("cp1252") + "\xe6", "cp1252"),
    ],
)
def test_decode_tells_windows_1252_from_mac_roman(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "f.csv", T) == (text, encoding)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        (
            "<html><body><table><tr><td>Søker</td></tr></table></body></html>",
            "søknader.txt is a web",
        ),
        (
            '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "søknader.txt is an Excel 2003 XML",
        ),
    ],
)
def test_a_web_page_or_xml_in_utf16_is_told_apart_from_a_table(
    tmp_path: Path, text: str, start: str
) -> None:
    # Read as a table in UTF-16, it would have been "no header row" on its markup.
    path = tmp_path / "søknader.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="søknader.txt")
    assert str(caught.value).startswith(start)


USTER = (
    Path(__file__).resolve().parents[2].parent / "shared/realdata/grants/uster_kulturfoerderung.csv"
)


def test_the_stray_quotation_marks_of_usters_culture_grants_are_shown_where_they_are(
    tmp_path: Path,
) -> None:
    """The three titles of the Swiss town of Uster's published culture grants whose inner
    quotation marks are not doubled: each error quotes the text either side of the mark."""
    if not USTER.exists():
        pytest.skip(f"real data {USTER.name} is not beside this checkout ({USTER.parent})")
    # The column map tests/test_realdata.py reads the file with.
    columns = {
        "Gesuchssteller": "applicant",
        "Projekt": "project",
        "FoerderbeitragCHF": "requested",
        "Foerderbereich": "category",
    }
    table = read_table(USTER, columns=columns, currency="CHF")
    found = [
        (row, issue.params["line"], issue.params["before"], issue.params["after"])
        for row, issue in table.row_errors.items()
        if issue.code == "read.csv_quote_stray"
    ]
    assert found == [
        (476, 478, '…1,"Samir Rachide","Debütalbum ', 'Identity" & Plattentaufe, 12. …'),
        (479, 481, '… Uster","Theaterauffführungen ', 'Der Geisterzug" Krimi-Komödie …'),
        (486, 488, '…6-06-01,"Stadt Jodler Uster","', 'Jodel trifft Jodel", 21.11.202…'),
    ]


@pytest.mark.parametrize(("delimiter", "funded"), [(";", True), (",", False)])
def test_a_dot_groups_thousands_in_a_semicolon_separated_file_only(
    tmp_path: Path, delimiter: str, funded: bool
) -> None:
    # Excel saves CSV with ';' where the decimal mark is the comma (Norwegian settings): there
    # 250.000 is 250 000 kr. In a comma-separated file it may be 250 (a decimal point), so the
    # cell stays an error; 1500.000 is not grouped by dots throughout, ambiguous in either.
    path = tmp_path / "søknader.csv"
    rows = [["Søker", "Omsøkt beløp", "Poeng"], ["A", "250.000", "5"], ["B", "1500.000", "4"]]
    path.write_text("\r\n".join(delimiter.join(r) for r in rows) + "\r\n", encoding="utf-8")
    checked = validate(read_table(path))
    if funded:
        assert [(a.applicant, a.requested) for a in checked.applications] == [("A", 250_000)]
    else:
        assert checked.applications == ()
    assert sorted(
        (r.applicant, i.code, i.location.cell if i.location else None)
        for r in checked.rejected
        for i in r.issues
    ) == ([] if funded else [("A", "validate.amount_ambiguous", "B2")]) + [
        ("B", "validate.amount_ambiguous", "B3")
    ]


@pytest.mark.parametrize(("currency", "grouped"), [("EUR", True), ("NOK", True), ("CHF", False)])
def test_a_dot_in_a_semicolon_file_of_swiss_francs_is_a_decimal_point(
    tmp_path: Path, currency: str, grouped: bool
) -> None:
    """Swiss Excel (de-CH, fr-CH, it-CH) saves CSV with ';' but writes decimals with a point
    and groups thousands with an apostrophe (1'250.50): a third of Uster's 2 500 francs
    shown to three places and saved so, 833.333, was read as 833 333 CHF. In a round of
    francs the dot stays ambiguous, an error."""
    path = tmp_path / "soknader.csv"
    rows = [["Søker", "Omsøkt beløp", "Poeng"], ["A", "833.333", "5"], ["B", "25'000", "4"]]
    path.write_text("\r\n".join(";".join(r) for r in rows) + "\r\n", encoding="utf-8")
    checked = validate(read_table(path, currency=currency), currency=currency)
    read = [(a.applicant, a.requested) for a in checked.applications]
    if grouped:
        assert read == [("A", 833_333), ("B", 25_000)]
    else:
        assert read == [("B", 25_000)]
        (problem,) = [i for r in checked.rejected for i in r.issues]
        assert (problem.code, problem.location.cell if problem.location else None) == (
            "validate.amount_ambiguous",
            "B2",
        )


def test_a_sum_of_dot_grouped_amounts_in_a_semicolon_file_is_a_totals_row(tmp_path: Path) -> None:
    # The sum under 250.000 and 1.250.000 is found as it is in 250 000 and 1 250 000: the row
    # is skipped, not read as a third application of 1 500 000 kr.
    path = tmp_path / "søknader.csv"
    path.write_text(
        "Søker;Omsøkt beløp\r\nA;250.000\r\nB;1.250.000\r\n;1.500.000\r\n", encoding="utf-8"
    )
    table = read_table(path)
    assert [number for number, _ in table.rows] == [2, 3]
    assert [i.code for i in table.issues] == ["read.totals_row_unlabelled_skipped"]
