"""Every kind of unreadable input gets one InputFileError naming the file and what is wrong."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tilskudd.errors import ExitCode, InputFileError
from tilskudd.issues import issue_message
from tilskudd.pipeline import read_applications
from tilskudd.reading import read_table

from .conftest import HEADER, ROWS, OdsXml, build_ods, damage_first_sheet, encrypted_workbook_bytes

MakeXlsx = Callable[..., Path]
MakeCsv = Callable[..., Path]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def _error(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputFileError) as caught:
        read_table(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.exit_code is ExitCode.INVALID_INPUT
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_path_does_not_exist(tmp_path: Path) -> None:
    message = _error(tmp_path / "finnes-ikke.xlsx", display_name="finnes-ikke.xlsx")
    assert message == "finnes-ikke.xlsx does not exist. Check the folder and the file name."


def test_path_is_a_directory(tmp_path: Path) -> None:
    message = _error(tmp_path, display_name="runde1")
    assert message.startswith("runde1 is a folder, not a file.")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    path.write_bytes(b"")
    message = _error(path, display_name="tom.xlsx")
    assert message.startswith("tom.xlsx is empty (0 bytes). Expected a spreadsheet")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PNG, "a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (bytes(range(256)) * 4, "binary data"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "søknader.xlsx"
    path.write_bytes(content)
    message = _error(path, display_name="søknader.xlsx")
    assert message == (
        f"søknader.xlsx is not a spreadsheet: it is {kind}. "
        "Expected .xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt."
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("key", ["read.error.empty_file", "read.error.not_spreadsheet"])
def test_what_is_expected_names_every_kind_of_file_tilskudd_reads(key: str, lang: str) -> None:
    # .xlsb, .tsv and .txt are read (the FILE argument's help names them) but were left out.
    from tilskudd.i18n import get

    text = get(lang)(key, file="f", kind="?")
    for extension in (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".txt"):
        assert any(f"{extension}{end}" in text for end in ", )."), extension


def test_a_word_document_renamed(tmp_path: Path) -> None:
    path = tmp_path / "søknader.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "it is a Word document" in _error(path)


def test_an_html_report_called_xls(tmp_path: Path) -> None:
    path = tmp_path / "rapport.xls"
    path.write_text("<html><body><table><tr><td>Søker</td></tr></table></body></html>")
    message = _error(path, display_name="rapport.xls")
    assert message.startswith("rapport.xls is a web page (HTML)")
    assert "save it as .xlsx" in message


def test_truncated_xlsx(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([HEADER, *ROWS])
    path.write_bytes(path.read_bytes()[:1500])
    message = _error(path, display_name="søknader.xlsx")
    assert message.startswith(
        "søknader.xlsx is damaged or incomplete and cannot be read as an Excel workbook (.xlsx)"
    )
    assert "save it again" in message


def test_xlsx_with_a_damaged_sheet(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([HEADER, *ROWS])
    damage_first_sheet(path)
    message = _error(path, display_name="søknader.xlsx")
    assert message.startswith("søknader.xlsx is damaged or incomplete")


@pytest.mark.parametrize("name", ["hemmelig.xlsx", "hemmelig.xls", "hemmelig"])
def test_password_protected_workbook(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(encrypted_workbook_bytes())
    message = _error(path, display_name=name)
    assert message.startswith(f"{name} is password-protected")
    assert "Save a copy without a password" in message


def test_sheet_without_a_header(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([["Rapport"], ["Navn", "Beløp", "Dato"], ["Moss", 1, "i dag"]])
    message = _error(path, display_name="r.xlsx")
    assert message.startswith(
        "r.xlsx, sheet Søknader has no recognisable header row in its first 50 rows. "
        'The first non-empty row (row 1) has: "Rapport".'
    )
    assert '"Omsøkt beløp"' in message
    assert "--columns" in message


def test_no_visible_sheet_has_a_header(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(sheets={"Ark1": [[None], ["Navn", "Beløp"]], "Ark2": [["x"]]})
    message = _error(path, display_name="r.xlsx")
    assert message.startswith(
        "no visible sheet in r.xlsx has a recognisable header row (sheets looked at: 'Ark1' and "
        "'Ark2'). In r.xlsx, sheet 'Ark1', the first non-empty row (row 2) has: \"Navn\" and "
        '"Beløp".'
    )


def test_empty_sheet(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx(sheets={"Søknader": [HEADER, *ROWS], "Tom": []})
    message = _error(path, sheet="Tom", display_name="r.xlsx")
    assert message.startswith("r.xlsx, sheet Tom is empty.")


def test_header_without_the_required_column(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([["Søknadsnr", "Søker", "Beløp"], ["S-1", "Moss", 1]])
    message = _error(path, display_name="r.xlsx")
    assert message.startswith(
        "r.xlsx, sheet Søknader: the header row (row 1) has no column for the amount requested"
    )
    assert (
        'Columns found: A "Søknadsnr" = id; B "Søker" = applicant; C "Beløp" (not a known field).'
        in message
    )
    assert "(field requested)" not in message
    assert "Missing:" not in message
    assert '"Søkt beløp"' in message
    # The code only where a column map needs it, with the sheet's own column of amounts.
    assert 'the line [columns] and under it "Beløp" = "requested".' in message


@pytest.mark.parametrize(
    ("header", "lang", "said"),
    [
        # pabulib's projects, 360Giving's awards (the UK government's), a header with quotes.
        (
            ["project_id", "cost", "votes", "name", "category"],
            "en",
            'with the line [columns] and under it "cost" = "requested".',
        ),
        (
            ["Identifier", "Title", "Amount Awarded", "Grant Programme:Code"],
            "nb",
            'med linjen [columns] og under den "Amount Awarded" = "requested".',
        ),
        (
            ["Søknadsnr", "Søker", 'Bevilget  "sum"'],
            "en",
            'under it "Bevilget \\"sum\\"" = "requested".',
        ),
        # No column says it holds amounts: an example to adapt.
        (["Navn", "Prosjekt", "Poeng"], "en", 'under it "Amount" = "requested".'),
        (["Navn", "Prosjekt", "Poeng"], "nb", 'under den "Beløp" = "requested".'),
    ],
)
def test_the_missing_amount_is_said_with_the_map_line_for_the_sheets_own_column(
    tmp_path: Path, header: list[str], lang: str, said: str
) -> None:
    """A pabulib file's amount column is "cost", a 360Giving file's "Amount Awarded": the
    error said to map a column with the line "Amount" = "requested", a header neither file
    has, and not that the line goes under [columns] (the next run said that)."""
    path = tmp_path / "s.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, ["1"] * len(header)])
    message = _error(path, display_name="s.csv", lang=lang)
    assert message.endswith(said), message


def test_header_without_the_required_column_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Søker,Prosjekt\nMoss,Arkiv\n", encoding="utf-8")
    message = _error(path, display_name="s.csv")
    assert message.startswith("s.csv: the header row (row 1) has no column for the amount")


def test_csv_in_utf16_is_read(tmp_path: Path) -> None:
    # Turned away as "a text file in UTF-16" before: see test_csv for every form.
    path = tmp_path / "unicode.csv"
    path.write_bytes(b"\xff\xfe" + "Søker\tSøkt beløp\r\nMoss\t100\r\n".encode("utf-16-le"))
    assert list(read_table(path).rows) == [(2, ["Moss", "100"])]


def test_text_named_xlsx_without_a_table(tmp_path: Path) -> None:
    path = tmp_path / "notat.xlsx"
    path.write_text("Husk å sende søknadene til fylket.\n", encoding="utf-8")
    message = _error(path, display_name="notat.xlsx")
    assert message.startswith("notat.xlsx is named .xlsx but is a plain text file")


def test_a_csv_named_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "eksport.xlsx"
    path.write_text("Søker;Søkt beløp\nMoss;100\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.rows) == [(2, ["Moss", "100"])]
    assert [issue.code for issue in table.issues] == ["read.format_mismatch"]


def test_messages_in_norwegian(tmp_path: Path) -> None:
    path = tmp_path / "hemmelig.xlsx"
    path.write_bytes(encrypted_workbook_bytes())
    with pytest.raises(InputFileError) as caught:
        read_table(path, display_name="hemmelig.xlsx", lang="nb")
    assert str(caught.value).startswith("hemmelig.xlsx er passordbeskyttet")


def test_amounts_in_a_scale_are_refused_naming_every_such_column(tmp_path: Path) -> None:
    """Thousands read as kroner would be wrong by a factor of a thousand, without a word."""
    path = tmp_path / "tkr.csv"
    path.write_text(
        "ID;Søkt beløp (tkr);Totalkostnad (mill. kr);Poeng\nA;1500;6;5\n", encoding="utf-8"
    )
    message = _error(path, display_name="tkr.csv")
    assert message.startswith('tkr.csv: in the header row (row 1), column B "Søkt beløp (tkr)"')
    assert (
        'column C "Totalkostnad (mill. kr)" would be read as the total cost, '
        "but its note (mill. kr)" in message
    )
    assert "total_cost" not in message
    assert "would be read as the amount requested" in message
    assert "never rescales" in message


def test_a_total_cost_in_a_scale_is_refused_even_when_the_request_is_in_kroner(
    tmp_path: Path,
) -> None:
    """Else the total cost would be missing and the share-of-cost cap silently not applied."""
    path = tmp_path / "tkr.csv"
    path.write_text("ID;Søkt beløp;Totalkostnad (tkr);Poeng\nA;1500000;6000;5\n", encoding="utf-8")
    message = _error(path, display_name="tkr.csv", lang="nb")
    # The header as written and the field as people call it, not the code "total_cost".
    assert "kolonne C «Totalkostnad (tkr)» ville blitt lest som totalkostnad, men" in message
    assert "total_cost" not in message


def test_a_scaled_amount_requested_is_named_in_words_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "tkr.csv"
    path.write_text("ID;Søknadsbeløp (1000 kr);Poeng\nA;1500;5\n", encoding="utf-8")
    norsk = _error(path, display_name="tkr.csv", lang="nb")
    assert "kolonne B «Søknadsbeløp (1000 kr)» ville blitt lest som omsøkt beløp, men" in norsk
    english = _error(path, display_name="tkr.csv", lang="en")
    assert 'column B "Søknadsbeløp (1000 kr)" would be read as the amount requested, but' in english
    assert "requested" not in norsk
    assert "requested" not in english.replace("amount requested", "")


def test_the_header_without_the_amount_names_fields_in_norwegian(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([["Org.nr.", "Søker", "Beløp"], ["974760673", "Moss", 1]])
    message = _error(path, display_name="r.xlsx", lang="nb")
    assert "A «Org.nr.» = organisasjonsnummer; B «Søker» = søker; C «Beløp»" in message
    assert "orgnr" not in message
    assert "applicant" not in message
    assert "feltet requested" not in message


def test_a_utf8_file_with_one_stray_byte_says_it_was_read_as_windows_1252(tmp_path: Path) -> None:
    """The headers read 'SÃ¸ker' and none matches; the encoding warning must not be lost."""
    path = tmp_path / "blandet.csv"
    path.write_bytes(
        "ID;Søker;Omsøkt beløp;Poeng\n".encode()
        + "A;Bærum;100000;5\n".encode()
        + b"B;Asker \xe6;200000;4\n"  # one Windows-1252 byte in a UTF-8 file
    )
    message = _error(path, display_name="blandet.csv")
    assert "no column for the amount requested" in message
    assert "it was read as Windows-1252" in message
    assert "save it again as CSV UTF-8" in message


def test_two_columns_for_one_field_are_named_in_words_in_norwegian(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([["Totalkostnad", "Søkt beløp", "Prosjektkostnad"], [10, 1, 10]])
    message = _error(path, display_name="r.xlsx", lang="nb")
    # Two columns are "begge", not "alle": the message now says neither, as it may be more.
    said = "betyr kolonnene A «Totalkostnad» og C «Prosjektkostnad» det samme feltet: "
    assert said in message
    assert "feltet: totalkostnad." in message
    assert '("overskrift" = "total_cost")' in message


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        (
            "en",
            'r.xlsx, sheet Søknader: in the header row (row 2), column B "Søkt beløp (1000 kr)"',
        ),
        (
            "nb",
            "r.xlsx, arket Søknader: i overskriftsraden (rad 2): kolonne B «Søkt beløp (1000 kr)»",
        ),
    ],
)
def test_a_scale_in_a_units_row_under_the_header_is_refused(
    make_xlsx: MakeXlsx, lang: str, start: str
) -> None:
    """Amounts in thousands under a units row of "1000 kr" were allocated as kroner."""
    path = make_xlsx(
        [["Søknadsnr", "Søkt beløp", "Poeng"], [None, "1000 kr", "%"], ["S-1", 1200, 85]]
    )
    message = _error(path, display_name="r.xlsx", lang=lang)
    assert message.startswith(start)


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        (
            "en",
            'r.xlsx, sheet Søknader: in the header row (row 2), column B "Søkt beløp ({unit})" '
            "would be read as the amount requested, but its note ({unit}) gives the amounts in "
            "another unit than SEK",
        ),
        (
            "nb",
            "r.xlsx, arket Søknader: i overskriftsraden (rad 2): kolonne B «Søkt beløp ({unit})»",
        ),
    ],
)
@pytest.mark.parametrize("unit", ["1000 kronor", "i 1000 kronor", "tusen kronor", "1000 kr", "tkr"])
def test_a_scale_of_kronor_in_a_units_row_is_refused_in_a_round_of_kronor(
    make_xlsx: MakeXlsx, lang: str, start: str, unit: str
) -> None:
    """A units row of "1000 kronor" in a round of Swedish kronor was not taken for units, and
    its cell under the amount was read as an application of 1 000 kronor (its row refused
    only for want of an id), the amounts below it allocated as kronor, not thousands. It is
    refused as a scale, as "1000 kr" is in a round of kroner."""
    path = make_xlsx([["Søknadsnr", "Søkt beløp", "Poeng"], [None, unit, "%"], ["S-1", 1200, 85]])
    message = _error(path, display_name="r.xlsx", lang=lang, currency="SEK")
    assert message.startswith(start.format(unit=unit))


def test_a_units_row_of_1000_kronor_in_a_round_of_kroner_is_read_as_before(
    make_xlsx: MakeXlsx,
) -> None:
    """ "kronor" names no currency in a round of kroner: the row is a row of the sheet, as it
    was, its cell an amount that is not one."""
    path = make_xlsx(
        [["Søknadsnr", "Søkt beløp", "Poeng"], [None, "1000 kronor", "%"], ["S-1", 1200, 85]]
    )
    checked = read_applications(path)
    assert [a.id for a in checked.applications] == ["S-1"]
    assert sorted((i.code, i.location.cell if i.location else None) for i in checked.errors) == [
        ("validate.amount_invalid", "Søknader!B2"),
        ("validate.score_invalid", "Søknader!C2"),
        ("validate.unidentified", "Søknader!row 2"),
    ]


@pytest.mark.parametrize(
    ("lang", "part"),
    [
        ("en", '"SÃ¸knadsnr" (row 1) reads "Søknadsnr": the sheet\'s text was saved as UTF-8'),
        ("nb", "«SÃ¸knadsnr» (rad 1) leses «Søknadsnr»: teksten i arket ble lagret som UTF-8"),
    ],
)
def test_headers_garbled_from_utf8_say_what_they_were_and_how_to_import_again(
    make_xlsx: MakeXlsx, lang: str, part: str
) -> None:
    """A CSV opened in Excel as Windows-1252 and saved as a workbook: every column was listed
    as unknown, and no word of why."""
    path = make_xlsx([["SÃ¸knadsnr", "SÃ¸ker", "SÃ¸kt belÃ¸p"], ["S-1", "BÃ¦rum", 100]])
    message = _error(path, display_name="r.xlsx", lang=lang)
    assert part in message
    assert "65001" in message


def test_a_header_with_a_capital_a_tilde_of_its_own_is_listed_as_before(
    make_xlsx: MakeXlsx,
) -> None:
    path = make_xlsx([["ID", "Søker", "SÃO PAULO", "Beløp"], ["S-1", "x", "y", 100]])
    message = _error(path, display_name="r.xlsx")
    assert "has no column for the amount requested, which is required" in message


def test_a_header_found_whose_amount_column_is_garbled_says_so(make_xlsx: MakeXlsx) -> None:
    path = make_xlsx([["Orgnr", "Prosjekt", "SÃ¸kt belÃ¸p"], ["974760673", "x", 100]])
    message = _error(path, display_name="r.xlsx")
    assert '"SÃ¸kt belÃ¸p" (row 1) reads "Søkt beløp"' in message


@pytest.mark.parametrize(
    ("lang", "empty", "unknown", "ignored"),
    [
        (
            "en",
            "r.xlsx, sheet 'Tom ' is empty.",
            "r.xlsx has no sheet named 'Soknad '. Its sheets are: 'Søknader ' and 'Tom '.",
            "--sheet 'Runde 1 ' was ignored: a CSV file has no sheets",
        ),
        (
            "nb",
            "r.xlsx, arket 'Tom ' er tomt.",
            "r.xlsx har ikke noe ark som heter 'Soknad '. Arkene er: 'Søknader ' og 'Tom '.",
            "--sheet 'Runde 1 ' ble ignorert: en CSV-fil har ingen ark",
        ),
    ],
)
def test_a_space_at_the_end_of_a_sheet_name_shows_in_every_message_naming_the_sheet(
    make_xlsx: MakeXlsx,
    make_csv: MakeCsv,
    lang: str,
    empty: str,
    unknown: str,
    ignored: str,
) -> None:
    """A sheet is named as a formula names it ('Runde 1 '!F12), in a sentence as in a cell
    reference: inside the language's quotation marks ("Tom ", «Tom ») the space was shown in
    one form and the cells in another, and after --sheet it did not show at all."""
    path = make_xlsx(sheets={"Søknader ": [HEADER, *ROWS], "Tom ": []})
    assert _error(path, sheet="Tom ", display_name="r.xlsx", lang=lang).startswith(empty)
    message = _error(path, sheet="Soknad ", display_name="r.xlsx", lang=lang)
    assert message == unknown
    table = read_table(make_csv([HEADER, *ROWS]), sheet="Runde 1 ", lang=lang)
    (issue,) = table.issues
    assert issue.params == {"sheet": "Runde 1 "}  # the name itself, for the JSON problem list
    assert issue_message(issue, lang) == ignored


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        (
            "en",
            'titler.csv: cell A1 says "Tilskudd 2025 (alle beløp i 1000 kr)": "i 1000 kr" gives',
        ),
        (
            "nb",
            "titler.csv: cellen A1 sier «Tilskudd 2025 (alle beløp i 1000 kr)»: «i 1000 kr» gir",
        ),
    ],
)
def test_a_title_giving_amounts_in_thousands_stops_the_reading(
    tmp_path: Path, lang: str, start: str
) -> None:
    """250 under a title "(alle beløp i 1000 kr)" was allocated as 250 kroner, without a word."""
    path = tmp_path / "titler.csv"
    path.write_text(
        "Tilskudd 2025 (alle beløp i 1000 kr);;\n;;\nNr;Søker;Søkt beløp\nS-1;Korps;250\n",
        encoding="utf-8",
    )
    message = _error(path, display_name="titler.csv", lang=lang)
    assert message.startswith(start)


@pytest.mark.parametrize(
    ("header", "note"),
    [
        ("Søkt beløp i 1000 kr", "i 1000 kr"),
        ("Søkt beløp, 1000 kr", "1000 kr"),
        ("Søkt beløp i tusen kroner", "i tusen kroner"),
        ("Søkt beløp tkr", "tkr"),
        ("Søkt beløp, MNOK", "MNOK"),
        ("Søkt beløp i mill. kr", "i mill. kr"),
        ("Søkt beløp i hele 1000", "i hele 1000"),
    ],
)
def test_a_scale_after_the_amount_header_without_brackets_is_refused(
    tmp_path: Path, header: str, note: str
) -> None:
    """ "Søkt beløp i 1000 kr" was an unknown column, and the advice to map it with --columns
    would have had 1500 (thousands) allocated as 1 500 kroner."""
    path = tmp_path / "tkr.csv"
    path.write_text(f"ID;{header};Poeng\nA;1500;5\n", encoding="utf-8")
    english = _error(path, display_name="tkr.csv", lang="en")
    assert f'column B "{header}" would be read as the amount requested, but its note "{note}"' in (
        english
    )
    norsk = _error(path, display_name="tkr.csv", lang="nb")
    assert (
        f"kolonne B «{header}» ville blitt lest som omsøkt beløp, men merknaden «{note}»" in norsk
    )


def test_a_scale_after_a_header_is_read_as_kroner_when_the_column_map_says_so(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kr.csv"
    path.write_text("ID;Søkt beløp i 1000 kr;Poeng\nA;1500000;5\n", encoding="utf-8")
    table = read_table(path, columns={"Søkt beløp i 1000 kr": "requested"})
    assert table.fields["requested"] == 1


@pytest.mark.parametrize("header", ["Egenandel i 1000 kr", "Søkt beløp i kroner", "Poeng i 1000"])
def test_a_scale_after_a_header_that_is_no_amount_is_carried_through(
    tmp_path: Path, header: str
) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(f"ID;Omsøkt beløp;{header}\nA;1500000;5\n", encoding="utf-8")
    table = read_table(path)
    assert table.fields["requested"] == 1
    assert table.extra == {header: 2}


# --- found by fuzzing (scripts/fuzz/fuzz_applications.py) ------------------------------------

# A file that ends the process (a Rust allocation that fails aborts it) is read in a child, with
# little memory, so that the test fails rather than the test run; the child prints the error.
_READ_IN_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from tilskudd.errors import InputFileError
from tilskudd.reading import read_table
try:
    read_table(sys.argv[1], display_name=sys.argv[2], lang=sys.argv[3])
except InputFileError as exc:
    print(exc)
"""


def _error_in_child(path: Path, name: str, lang: str = "en") -> str:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _READ_IN_CHILD, str(path), name, lang],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def _far_out(path: Path, cell: str, value: object) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    for row in (HEADER, *ROWS):
        sheet.append(list(row))
    sheet[cell] = value
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        ("en", "r.xlsx, sheet Søknader: its cells reach XFD1048576, an area of 17,179,869,184 "),
        ("nb", "r.xlsx, arket Søknader: cellene går helt til XFD1048576, et område på 17"),
    ],
)
@pytest.mark.parametrize("value", ["x", "=A1"])
def test_a_value_typed_far_out_in_an_xlsx_is_refused_naming_its_cell(
    tmp_path: Path, lang: str, start: str, value: str
) -> None:
    """One value in XFD1048576 made calamine ask for 512 GB to hold the sheet, and the process
    was aborted; a formula there (calamine leaves it out: no saved value) made tilskudd's own
    grid 17 billion cells, a MemoryError after 20 s."""
    path = _far_out(tmp_path / "r.xlsx", "XFD1048576", value)
    message = _error_in_child(path, "r.xlsx", lang)
    assert message.startswith(start)
    assert "Ctrl+End" in message


def test_a_sheet_within_bounds_is_read_with_its_far_cell(tmp_path: Path) -> None:
    path = _far_out(tmp_path / "r.xlsx", "T2000", "merknad")  # 2 000 rows by 20 columns
    table = read_table(path)
    assert [number for number, _ in table.rows][:2] == [2, 3]
    assert table.rows[-1][1][19] == "merknad"


def test_an_xlsx_sheet_without_its_size_is_measured_by_its_cells(tmp_path: Path) -> None:
    path = _far_out(tmp_path / "r.xlsx", "XFD1048576", "x")
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<dimension")
    parts["xl/worksheets/sheet1.xml"] = sheet[:start] + sheet[sheet.index(b">", start) + 1 :]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert "its cells reach XFD1048576" in _error_in_child(path, "r.xlsx")


def _dimension_says(path: Path, ref: bytes, *, last_row: bytes = b"1048576") -> Path:
    """The .xlsx at ``path`` with its sheet's ``<dimension>`` made to say ``ref``, and its row
    1048576 numbered ``last_row``."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b'1048576"', last_row + b'"')
    start = sheet.index(b"<dimension")
    end = sheet.index(b">", start) + 1
    parts["xl/worksheets/sheet1.xml"] = (
        sheet[:start] + b'<dimension ref="' + ref + b'"/>' + sheet[end:]
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("cell", "last_row", "corner"),
    [
        ("XFD1048576", b"1048576", "XFD1048576"),
        ("XFD60000", b"1048576", "XFD60000"),
        ("T1048576", b"1048576", "T1048576"),
        # openpyxl writes no row after 1048576: made 9999999 in the XML; the header reaches F.
        ("A1048576", b"9999999", "F9999999"),
    ],
)
@pytest.mark.parametrize(
    ("lang", "start"),
    [("en", "r.xlsx, sheet Søknader: its cells reach "), ("nb", "r.xlsx, arket Søknader: ")],
)
def test_a_far_cell_is_refused_though_the_dimension_says_less(
    tmp_path: Path, cell: str, last_row: bytes, corner: str, lang: str, start: str
) -> None:
    """A <dimension> of A1:D4 and a value in XFD1048576: the extent check took the
    dimension at its word, and calamine, which sizes the sheet by its cells, aborted the process
    (exit 134, no message). The same message as for a dimension that says as much."""
    path = _dimension_says(_far_out(tmp_path / "r.xlsx", cell, "x"), b"A1:D4", last_row=last_row)
    message = _error_in_child(path, "r.xlsx", lang)
    assert message.startswith(start)
    assert f" {corner}, " in message
    assert "Ctrl+End" in message


@pytest.mark.parametrize(
    ("lang", "start"),
    [("en", "r.xlsx, sheet Søknader: its cells reach "), ("nb", "r.xlsx, arket Søknader: ")],
)
def test_a_cell_without_reference_is_placed_in_its_rows_number(
    tmp_path: Path, lang: str, start: str
) -> None:
    """In <row r="99999999">, a cell without a reference after <c r="A2"> lies in row 99999999,
    as calamine places it (a cell's reference moves the column only): the extent check took it
    for row 2, and calamine asked for gigabytes and aborted the process (exit 134, no message)."""
    path = _far_out(tmp_path / "r.xlsx", "A2", "x")
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    far = b'<row r="99999999"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>'
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    message = _error_in_child(path, "r.xlsx", lang)
    assert message.startswith(start)
    assert "99999999, " in message


def test_check_refuses_a_far_cell_the_dimension_hides_with_its_message(tmp_path: Path) -> None:
    """Through the command, where the extent is checked on the parse's thread beside the
    imports: exit 1 and the message, where it was "Aborted" and exit 134."""
    import subprocess
    import sys

    path = _dimension_says(_far_out(tmp_path / "r.xlsx", "XFD1048576", "x"), b"A1:D4")
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))"
    argv = f"sys.argv[1:] = ['check', {str(path)!r}]"
    run = f"{limit}; import sys; from tilskudd.cli import main; {argv}; main()"
    done = subprocess.run(
        [sys.executable, "-c", run], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "its cells reach XFD1048576" in done.stderr


@pytest.mark.parametrize(
    ("cell", "column"),
    # Within bounds, each: 2 000 rows by 20 columns; 60 000 by 30 (AD); a row of 7 digits in
    # column B (6 million cells, to F); 5 rows by 16 384.
    [("T2000", 19), ("AD60000", 29), ("B1000000", 1), ("XFD5", 16_383)],
)
def test_a_cell_beyond_the_dimension_but_within_bounds_is_read(
    tmp_path: Path, cell: str, column: int
) -> None:
    path = _dimension_says(_far_out(tmp_path / "r.xlsx", cell, "merknad"), b"A1:D4")
    table = read_table(path)
    assert [number for number, _ in table.rows][:2] == [2, 3]
    assert table.rows[-1][1][column] == "merknad"


@pytest.mark.parametrize(
    ("reference", "corner"),
    [
        # A row of 8 digits, beyond any sheet's last: the extent check read references of up
        # to 7, and calamine, sizing the sheet by it, ran the machine out of memory.
        (b' r="A99999999"', "F99999999"),
        # A cell without its reference (it is optional) sits in its row's number.
        (b"", "F99999999"),
        # A reference in small letters: calamine reads it, the extent check did not.
        (b' r="a99999999"', "F99999999"),
        (b' r="xfd1048576"', "XFD1048576"),
    ],
)
def test_a_cell_in_a_row_beyond_the_last_is_refused_naming_it(
    tmp_path: Path, reference: bytes, corner: str
) -> None:
    path = _dimension_says(
        _far_out(tmp_path / "r.xlsx", "A1048576", "x"), b"A1:D4", last_row=b"99999999"
    )
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b' r="A99999999"', reference)
    assert b'"99999999"' in sheet
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    message = _error_in_child(path, "r.xlsx")
    assert message.startswith(f"r.xlsx, sheet Søknader: its cells reach {corner}, ")
    if corner != "XFD1048576":
        # No spreadsheet has that row: Ctrl+End cannot go to it, and the advice says so.
        assert "beyond the last row (1,048,576) or column (XFD) a spreadsheet has" in message
        assert "Ctrl+End goes to" not in message
        assert "copy the applications into a new workbook" in message
    else:
        assert "Ctrl+End goes to that cell" in message


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "its cells reach F99999999, beyond the last row (1,048,576) or column (XFD) a"
            " spreadsheet has, more than tilskudd reads. A program other than Excel",
        ),
        (
            "nb",
            "cellene går helt til F99999999, forbi den siste raden (1 048 576) eller kolonnen"
            " (XFD) et regneark har, mer enn tilskudd leser. Et annet program enn Excel",
        ),
    ],
)
def test_a_cell_no_spreadsheet_has_gets_advice_that_fits(
    tmp_path: Path, lang: str, said: str
) -> None:
    """The advice for a sheet reaching too far sent the officer to Ctrl+End, which in a file
    another program wrote with a cell past row 1 048 576 goes nowhere near it."""
    path = _dimension_says(
        _far_out(tmp_path / "r.xlsx", "A1048576", "x"), b"A1:D4", last_row=b"99999999"
    )
    message = " ".join(_error_in_child(path, "r.xlsx", lang).split())
    assert said in message
    assert ("går Ctrl+End til" if lang == "nb" else "Ctrl+End goes to") not in message


def _xls_with_dimensions(path: Path, first_row: int, end_row: int) -> Path:
    import struct

    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate((HEADER, *ROWS)):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.index(b"\x00\x02\x0e\x00") + 4  # the sheet's DIMENSIONS record
    struct.pack_into("<II", data, at, first_row, end_row)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("first_row", "end_row"), [(0x200000, 3), (0, 0x7FFFFFFF)])
@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("en", "(a sheet gives a size no .xls file can have)"),
        ("nb", "(et ark oppgir en størrelse ingen .xls-fil kan ha)"),
    ],
)
def test_an_xls_sheet_of_an_impossible_size_is_said_to_be_damaged(
    tmp_path: Path, first_row: int, end_row: int, lang: str, reason: str
) -> None:
    """One byte of a sheet's DIMENSIONS record changed (its first row after its last): calamine
    set aside room for 1.5 TB of cells when it opened the file, and the process was aborted."""
    path = _xls_with_dimensions(tmp_path / "r.xls", first_row, end_row)
    message = _error_in_child(path, "r.xls", lang)
    assert message.startswith(("r.xls is damaged", "r.xls er skadet"))
    assert reason in message


def test_a_zip_whose_directory_points_before_the_file_is_said_to_be_damaged(
    tmp_path: Path,
) -> None:
    """The offset of the zip's central directory made larger: reading a member seeks before the
    start of the file, and the OSError (Invalid argument) was said alone, without the file."""
    import io
    import struct

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    data = bytearray(buffer.getvalue())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 16, struct.unpack_from("<I", data, end + 16)[0] + 1000)
    path = tmp_path / "s.ods"
    path.write_bytes(bytes(data))
    message = _error(path, display_name="s.ods")
    assert message.startswith(
        "s.ods is damaged or incomplete and cannot be read as an OpenDocument spreadsheet (.ods)"
    )


def test_a_value_typed_far_out_in_an_xlsb_is_refused_naming_its_cell(tmp_path: Path) -> None:
    """As in an .xlsx: calamine asked for room for every cell from A1 to the value, and the
    process was aborted."""
    from .xlsb_files import xlsb_bytes

    far: list[object] = [None] * 16_383 + ["x"]
    rows = [HEADER, *ROWS, *([[]] * (1_048_576 - 4)), far]
    path = tmp_path / "r.xlsb"
    path.write_bytes(xlsb_bytes({"Søknader": rows}))
    message = _error_in_child(path, "r.xlsb")
    assert message.startswith("r.xlsb, sheet Søknader: its cells reach XFD1048576")


def _xlsb_far_beyond_its_size(path: Path, cell: str, size: tuple[int, int] = (4, 6)) -> Path:
    """An .xlsb of the header and rows, one value in ``cell`` (a row header and the cell, put
    in after the others), and a BrtWsDim that says less: A1:F4, or ``size`` (rows, columns),
    as a program that wrote it wrong."""
    import struct

    from .xlsb_files import record, xlsb_bytes

    letters = cell.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    row = int(cell[len(letters) :]) - 1
    with zipfile.ZipFile(io.BytesIO(xlsb_bytes({"Søknader": [HEADER, *ROWS]}))) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = parts["xl/worksheets/sheet1.bin"]
    dim = sheet.index(b"\x94\x01\x10") + 3  # BrtWsDim, 16 bytes: the used area as an RfX
    sheet = sheet[:dim] + struct.pack("<IIII", 0, size[0] - 1, 0, size[1] - 1) + sheet[dim + 16 :]
    far = record(0x00, struct.pack("<IIH", row, 0, 300) + bytes(3) + struct.pack("<I", 0))
    far += record(0x05, struct.pack("<I", column - 1) + bytes(4) + struct.pack("<d", 1.0))
    end = sheet.index(b"\x92\x01\x00")  # BrtEndSheetData
    parts["xl/worksheets/sheet1.bin"] = sheet[:end] + far + sheet[end:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "cell",
    # 983 million cells; 17 billion, in a row of 7 digits; 21 million, just beyond MAX_CELLS
    # (calamine holds them, and tilskudd refuses them as it does in an .xlsx).
    ["XFD60006", "XFD1048576", "T1048576"],
)
@pytest.mark.parametrize(
    ("lang", "start"),
    [("en", "r.xlsb, sheet Søknader: its cells reach "), ("nb", "r.xlsb, arket Søknader: ")],
)
def test_check_refuses_a_far_cell_an_xlsb_size_record_hides(
    tmp_path: Path, cell: str, lang: str, start: str
) -> None:
    """A BrtWsDim of A1:F4 over a value in XFD60006: the extent check took the record at its
    word, and calamine, which sizes the sheet by its cells, aborted the process ("Aborted",
    exit 134, no message). Through the command: exit 1 and the message an .xlsx gets."""
    import subprocess
    import sys

    path = _xlsb_far_beyond_its_size(tmp_path / "r.xlsb", cell)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))"
    argv = f"sys.argv[1:] = ['check', {str(path)!r}, '--lang', {lang!r}]"
    run = f"{limit}; import sys; from tilskudd.cli import main; {argv}; main()"
    done = subprocess.run(
        [sys.executable, "-c", run], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    message = " ".join(done.stderr.split())
    assert start in message
    assert f" {cell}, " in message
    assert "Ctrl+End" in message


def test_an_xlsb_cell_beyond_its_size_record_but_within_bounds_is_read(tmp_path: Path) -> None:
    path = _xlsb_far_beyond_its_size(tmp_path / "r.xlsb", "AD60000")  # 60 000 rows by 30
    table = read_table(path)
    assert [number for number, _ in table.rows][:2] == [2, 3]
    assert table.rows[-1][0] == 60_000
    assert table.rows[-1][1][29] == 1


@pytest.mark.parametrize(
    ("size", "corner"),
    # The cell right of the columns the record says, in a row within them (60 000 rows by 6
    # columns, 256 or 1 000: a column in one byte of the record, or in two); and below them.
    [
        ((100_000, 6), (60_006, 16_384)),
        ((70_000, 256), (60_006, 16_384)),
        ((20_000, 1_000), (60_006, 16_384)),
        ((4, 6), (60_006, 16_384)),
    ],
)
def test_xlsb_far_corner_finds_a_cell_its_size_record_leaves_out(
    tmp_path: Path, size: tuple[int, int], corner: tuple[int, int]
) -> None:
    from tilskudd.reading.xlsb import far_corner
    from tilskudd.reading.xlsx import MAX_CELLS

    path = _xlsb_far_beyond_its_size(tmp_path / "r.xlsb", "XFD60006", size)
    assert far_corner(path, "Søknader", MAX_CELLS) == corner


def test_an_xlsb_cell_after_the_last_row_is_left_out_not_refused(tmp_path: Path) -> None:
    """Row 9 999 999 fits the record's 4 bytes but not Excel: calamine leaves the cell out
    and reads the rest, so its size is not counted."""
    table = read_table(_xlsb_far_beyond_its_size(tmp_path / "r.xlsb", "XFD9999999"))
    assert [number for number, _ in table.rows] == [2, 3]


@pytest.mark.parametrize(
    ("offset", "value", "reason"),
    [
        (6, 148, "(zip file version 14.8)"),  # the version needed to extract, 14.8
        (8, 1, "(xl/worksheets/sheet1.xml is encrypted)"),  # the flag that marks it so
        # a compression method no spreadsheet uses
        (10, 99, "(xl/worksheets/sheet1.xml: That compression method is not supported)"),
    ],
)
def test_a_sheet_in_a_zip_python_cannot_open_is_said_to_be_damaged(
    make_xlsx: MakeXlsx, offset: int, value: int, reason: str
) -> None:
    """One field of the sheet's entry in the zip's directory changed: Python's zipfile raised
    NotImplementedError or RuntimeError, which were said as a bug in tilskudd (exit 3)."""
    import struct

    path = make_xlsx([HEADER, *ROWS])
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while not data[entry + 46 :].startswith(b"xl/worksheets/sheet1.xml"):
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<H", data, entry + offset, value)
    path.write_bytes(bytes(data))
    message = _error(path, display_name="søknader.xlsx")
    assert message.startswith("søknader.xlsx is damaged or incomplete")
    assert reason in message


@pytest.mark.parametrize("backtrace", ["0", "1"])
def test_a_panic_of_calamine_is_said_as_damage_without_rusts_own_words(
    tmp_path: Path, backtrace: str
) -> None:
    """An .xlsb without its shared strings: calamine panics, and tilskudd says the file is
    damaged, but Rust printed its panic first on stderr ("thread '<unnamed>' panicked at
    /root/.cargo/registry/…", and a whole backtrace with RUST_BACKTRACE=1)."""
    import os
    import subprocess
    import sys

    source = Path(__file__).parent / "files" / "soknader.xlsb"
    path = tmp_path / "s.xlsb"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(path, "w") as copy:
        for info in archive.infolist():
            if info.filename != "xl/sharedStrings.bin":
                copy.writestr(info, archive.read(info))
    done = subprocess.run(
        [sys.executable, "-m", "tilskudd", "check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "RUST_BACKTRACE": backtrace, "TILSKUDD_LANG": "en"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {path} is damaged or incomplete"), done.stderr
    assert "panicked" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_threads_reading_at_once_leave_stderr_where_it_was() -> None:
    """Standard error belongs to the process: two threads reading at once (a service reading
    two files) each sent it to a temporary file of its own and back; leaving in another order
    than they came, the second restored the first one's temporary file, and everything written
    to stderr after that went into a deleted file."""
    import os
    import threading

    from tilskudd.reading.xlsx import rust_panics_unsaid

    before = os.fstat(2)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with rust_panics_unsaid():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with rust_panics_unsaid():
            second_in.set()
            first_out.wait(10)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)


_ODS_FILLED_DOWN = (
    '<table:table-row table:number-rows-repeated="1048573"><table:table-cell'
    ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
)


@pytest.mark.parametrize(
    ("lang", "start"),
    [
        (
            "en",
            "r.ods, sheet Søknader: row 4 is written once and repeated down to row 1,048,576"
            " (1,048,573 rows the same, to A1048576)",
        ),
        (
            "nb",
            "r.ods, arket Søknader: rad 4 er skrevet én gang og gjentatt ned til rad 1 048 576"
            " (1 048 573 like rader, til A1048576)",
        ),
    ],
)
def test_a_value_filled_down_to_the_last_row_of_an_ods_is_refused_naming_its_cell(
    tmp_path: Path, lang: str, start: str
) -> None:
    """A 1 KiB .ods repeating a row with a value a million times made calamine and the checks
    after it a million applications: gigabytes, then an abort or three chained tracebacks."""
    path = build_ods(tmp_path / "r.ods", {"Søknader": [HEADER, *ROWS, OdsXml(_ODS_FILLED_DOWN)]})
    message = _error_in_child(path, "r.ods", lang)
    assert message.replace("\xa0", " ").startswith(start)
    assert "Ctrl+End" in message


@pytest.mark.parametrize(
    ("rows", "cell"),
    [
        # A value repeated across every column and down 100 000 rows: 1.6 billion cells.
        (
            '<table:table-row table:number-rows-repeated="100000"><table:table-cell'
            ' table:number-columns-repeated="16384" office:value-type="string"><text:p>x'
            "</text:p></table:table-cell></table:table-row>",
            "XFD100003",
        ),
        # Empty rows repeated to near the end, then one value far to the right (the file is
        # parsed for it: the repeat is not the sheet's padding).
        (
            '<table:table-row table:number-rows-repeated="1048000"><table:table-cell/>'
            "</table:table-row><table:table-row>"
            '<table:table-cell table:number-columns-repeated="25"/>'
            '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
            "</table:table-cell></table:table-row>",
            "Z1048004",
        ),
    ],
)
def test_an_ods_whose_repeats_span_more_than_tilskudd_reads_is_refused_naming_its_cell(
    tmp_path: Path, rows: str, cell: str
) -> None:
    path = build_ods(tmp_path / "r.ods", {"Søknader": [HEADER, *ROWS, OdsXml(rows)]})
    message = _error_in_child(path, "r.ods")
    assert message.startswith(f"r.ods, sheet Søknader: its cells reach {cell}, an area of ")


def test_a_far_ods_sheet_that_is_not_read_is_refused_too(tmp_path: Path) -> None:
    """calamine reads every sheet of an .ods when it opens it: a later sheet filled down ends
    the process as the sheet read would."""
    sheets = {"Søknader": [HEADER, *ROWS], "Notater": [["x"], OdsXml(_ODS_FILLED_DOWN)]}
    message = _error_in_child(build_ods(tmp_path / "r.ods", sheets), "r.ods")
    assert message.startswith("r.ods, sheet Notater: row 2 is written once and repeated")


@pytest.mark.parametrize(
    "end",
    [
        # A whole column formatted in LibreOffice: styled empty rows repeated to the end.
        '<table:table-row table:style-name="ro1" table:number-rows-repeated="1048573">'
        '<table:table-cell table:style-name="ce1" table:number-columns-repeated="1024"/>'
        "</table:table-row>",
        # The same, with the last row written on its own.
        '<table:table-row table:number-rows-repeated="1048572"><table:table-cell'
        ' table:number-columns-repeated="1024"/></table:table-row><table:table-row>'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>',
        # Rows with a value repeated, fewer times than a round has applications.
        '<table:table-row table:number-rows-repeated="40"><table:table-cell'
        ' office:value-type="string"><text:p>S-9</text:p></table:table-cell></table:table-row>',
    ],
)
def test_an_ods_padded_to_its_end_reads_as_it_did(tmp_path: Path, end: str) -> None:
    pad = OdsXml('<table:table-cell table:number-columns-repeated="1018"/>')
    rows = [[*HEADER, pad], *([*row, pad] for row in ROWS), OdsXml(end)]
    table = read_table(build_ods(tmp_path / "r.ods", {"Søknader": rows}))
    assert [number for number, _ in table.rows][:2] == [2, 3]
    assert not [i for i in table.issues if i.severity.value == "error"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "sheet Notater was not looked at for applications: its cells reach XFD60000"),
        ("nb", "arket Notater ble ikke sett gjennom for søknader: cellene går helt til XFD60000"),
    ],
)
@pytest.mark.parametrize("far", ["XFD60000", "A99999999"])
def test_a_later_sheet_whose_far_cell_its_dimension_hides_is_not_parsed(
    tmp_path: Path, lang: str, said: str, far: str
) -> None:
    """The look for applications in the sheets after the one read parsed each whole: a later
    sheet with a value far out that its <dimension> left out ended the process ("Aborted",
    exit 134), though the sheet of applications was fine. It is left out of the look, said."""
    import subprocess
    import sys

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Søknader"
    for row in (HEADER, *ROWS):
        first.append(list(row))
    notes = book.create_sheet("Notater")
    notes["A1"] = "Merknader"
    notes["XFD60000" if far == "XFD60000" else "A1048576"] = "x"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    # A row past the last a spreadsheet has, as only another program writes one.
    sheet = parts["xl/worksheets/sheet2.xml"].replace(b'1048576"', b'99999999"')
    start = sheet.index(b"<dimension")
    end = sheet.index(b">", start) + 1
    parts["xl/worksheets/sheet2.xml"] = sheet[:start] + b'<dimension ref="A1"/>' + sheet[end:]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))"
    argv = f"sys.argv[1:] = ['check', {str(path)!r}, '--lang', {lang!r}]"
    run = f"{limit}; import sys; from tilskudd.cli import main; {argv}; main()"
    done = subprocess.run(
        [sys.executable, "-c", run], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown = " ".join((done.stdout + done.stderr).split())
    if far == "XFD60000":
        assert said in shown
    else:
        beyond = {
            "en": "its cells reach A99999999, beyond the last row (1,048,576) or column (XFD)"
            " a spreadsheet has",
            "nb": "cellene går helt til A99999999, forbi den siste raden (1 048 576) eller"
            " kolonnen (XFD) et regneark har",
        }[lang]
        assert said.split(":")[0] in shown
        assert beyond in shown


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    # Opening a named pipe waits for a program to write to it: `check søknader.csv` hung for
    # good on one left in the folder, and on a pipe read twice (once to find the format, once
    # to read it) the applications read were those after the first 4 096 bytes.
    path = tmp_path / "søknader.csv"
    os.mkfifo(path)
    message = _error(path, display_name="søknader.csv")
    assert message == (
        "søknader.csv is a named pipe, not a file. Save the applications in a spreadsheet or a "
        "CSV file, and give that file's name."
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_not_read_to_its_end() -> None:
    # /dev/zero never ends: it was taken for UTF-16 text (all zero bytes) and read until memory
    # ran out.
    message = _error(Path("/dev/zero"), display_name="/dev/zero")
    assert message.startswith("/dev/zero is a device, not a file.")


def test_a_sheets_namespace_is_no_reference_beyond_its_bounds() -> None:
    """The search for a cell that may lie beyond the sheet's promised area finds references in
    small letters too, but the r="http://..." of every sheet's namespace declaration is none:
    read without case it sent every sheet to the slow count of its cells."""
    import io

    from tilskudd.reading.xlsx import _reaches_beyond

    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<dimension ref="A1:K3"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>ID</t>'
        b'</is></c><c r="K1"><v>1</v></c></row></sheetData></worksheet>'
    )
    assert not _reaches_beyond(io.BytesIO(b""), head)
    assert _reaches_beyond(io.BytesIO(b""), head.replace(b'r="K1"', b'r="xfd1"'))
    assert _reaches_beyond(io.BytesIO(b""), head.replace(b'r="K1"', b'r="T1"'))
