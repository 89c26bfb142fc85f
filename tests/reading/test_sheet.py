"""From a grid to a RawTable: data rows kept, totals and blank rows skipped, extras carried."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.errors import InputFileError
from tilskudd.i18n import get
from tilskudd.issues import issue_message
from tilskudd.models import Severity
from tilskudd.reading.columns import find_header
from tilskudd.reading.sheet import _totals_label, build_table
from tilskudd.reading.table import DataRows, FormulaWithoutValue, RawTable

T = get("en")


def _table(grid: list[list[Any]], **kwargs: Any) -> RawTable:
    width = max(len(r) for r in grid)
    grid = [[*r, *([None] * (width - len(r)))] for r in grid]
    match = find_header(grid)
    assert match is not None
    return build_table(grid, match, file="runde.xlsx", sheet="Søknader", t=T, **kwargs)


def _codes(table: RawTable) -> list[str]:
    return [issue.code for issue in table.issues]


def test_rows_keep_their_spreadsheet_numbers_and_cells() -> None:
    table = _table(
        [
            ["Søknader 2009"],
            [],
            ["ID", "Søker", "Søkt beløp"],
            ["A-1", "Moss kommune", 100_000.0],
            ["A-2", "Rygge kommune", "3 300 000 kr"],
        ]
    )
    assert table.header_row == 3
    assert table.headers == ["ID", "Søker", "Søkt beløp"]
    assert table.fields == {"id": 0, "applicant": 1, "requested": 2}
    assert list(table.rows) == [
        (4, ["A-1", "Moss kommune", 100_000.0]),
        (5, ["A-2", "Rygge kommune", "3 300 000 kr"]),
    ]
    assert table.issues == []


@pytest.mark.parametrize("label", ["Sum", "SUM", "Totalt:", " I alt ", "Sum totalt", "Total"])
def test_a_totals_row_is_skipped_with_a_warning(label: str) -> None:
    table = _table(
        [
            ["ID", "Søker", "Søkt beløp"],
            ["A-1", "Moss kommune", 100.0],
            [label, None, 100.0],
        ]
    )
    assert [n for n, _ in table.rows] == [2]
    (issue,) = table.issues
    assert issue.code == "read.totals_row_skipped"
    assert issue.severity is Severity.WARNING
    assert issue.params == {"row": 3, "text": label.strip()}
    assert issue.location is not None
    assert issue.location.cell == "Søknader!row 3"


def test_notes_below_the_totals_row_are_skipped_with_one_warning() -> None:
    # A note under the sum was an application without an amount: an error, and a rejected
    # "application" named "Merknad: ..." in the award list.
    table = _table(
        [
            ["ID", "Søker", "Søkt beløp"],
            ["A-1", "Moss kommune", 100.0],
            ["A-2", "Rygge kommune", 200.0],
            ["Sum", None, 300.0],
            ["Merknad: beløp i hele kroner"],
            [],
            [None, "Saksbehandler: Kari Nordmann", " "],
            ["A-3", "Råde kommune", 50.0],  # an amount: an application, wherever it stands
        ]
    )
    assert [n for n, _ in table.rows] == [2, 3, 8]
    assert _codes(table) == [
        "read.totals_row_skipped",
        "read.blank_rows_skipped",
        "read.notes_below_totals_skipped",
    ]
    notes = table.issues[-1]
    assert notes.severity is Severity.WARNING
    assert notes.params == {"count": 2, "rows": ["5", "7"]}


def test_notes_below_the_applications_without_a_totals_row_are_skipped_with_one_warning() -> None:
    # Without a "Sum" row above them, notes under the table were applications without an
    # amount: an error each, and rejected "applications" named after the notes' text.
    table = _table(
        [
            ["ID", "Søker", "Søkt beløp"],
            ["A-1", "Moss kommune", 100.0],
            [],
            ["A-2", "Rygge kommune", 200.0],
            [],
            ["Merknad: A-2 mangler vedlegg"],
            [None, "Saksbehandler: Kari Nordmann"],
        ]
    )
    assert [n for n, _ in table.rows] == [2, 4]
    assert _codes(table) == ["read.blank_rows_skipped", "read.notes_below_table_skipped"]
    # Row 5 is above the notes, not among the applications.
    assert table.issues[0].params == {"count": 1, "rows": ["3"]}
    notes = table.issues[1]
    assert notes.severity is Severity.WARNING
    assert notes.params == {"count": 2, "rows": ["6–7"]}
    assert notes.location is not None
    assert notes.location.row == 6


@pytest.mark.parametrize(
    "last",
    [
        ["A-3", "Råde kommune", None],  # an application without its amount yet: an error
        ["A-3", None, "mangler"],  # an amount that is not one: an error
        [3.0, None, None],  # a number alone
        ["A-3", None, None],  # an id alone
    ],
)
def test_a_last_row_with_more_than_one_note_is_kept_for_validation(last: list[Any]) -> None:
    table = _table([["ID", "Søker", "Søkt beløp"], ["A-1", "Moss kommune", 100.0], last])
    assert [n for n, _ in table.rows] == [2, 3]
    assert _codes(table) == []


def test_a_sheet_of_notes_alone_is_not_taken_for_notes() -> None:
    table = _table([["ID", "Søker", "Søkt beløp"], ["A-1", None, None], ["A-2", None, None]])
    assert [n for n, _ in table.rows] == [2, 3]


def test_the_header_repeated_among_the_applications_is_skipped_with_one_warning() -> None:
    # Two exports pasted one under the other: the second header row was an application with
    # an error in every cell, and a rejected "Søknadsnr" in the award list.
    header = ["Søknadsnr", "Søker", "Søkt beløp", "Merknad"]
    table = _table(
        [
            header,
            ["A-1", "Moss kommune", 100.0, None],
            [*header[:3], None],
            ["A-2", "Rygge kommune", 200.0, None],
            ["Søknadsnr", "Søker", "Søkt beløp", "Søkt beløp"],
            ["Søknadsnr", "Rygge", "Søkt beløp", None],  # not the header: an application
        ]
    )
    assert [n for n, _ in table.rows] == [2, 4, 6]
    assert _codes(table) == ["read.header_repeated_skipped"]
    assert table.issues[0].params == {"count": 2, "rows": ["3", "5"]}


def test_a_titled_table_of_other_columns_under_the_applications_is_another_table() -> None:
    """Pabulib's real files put a table of votes under the projects: a title in one cell
    (VOTES), then a header of its own (voter_id, vote), then a row per voter. The voters who
    chose one project were applications asking for its number in kroner (12416), and the
    proportional rule funded them. A title and a row of text under it start another table
    even when its names are none of tilskudd's."""
    table = _table(
        [
            ["project_id", "Requested", "Score"],
            ["12416", 1000.0, 242.0],
            ["12437", 5000.0, 200.0],
            ["VOTES"],
            ["voter_id", "vote"],
            ["16618473904", "12416,12421"],
            ["19885305232", "12416"],
        ]
    )
    assert [n for n, _ in table.rows] == [2, 3]
    assert _codes(table) == ["read.other_table_skipped"]
    assert table.issues[0].params["rows"] == "4–7"
    # Without the title the row of text is an application whose amount is text, as before.
    table = _table(
        [
            ["project_id", "Requested", "Score"],
            ["12416", 1000.0, 242.0],
            ["voter_id", "vote"],
        ]
    )
    assert [n for n, _ in table.rows] == [2, 3]


def test_a_bilingual_sheets_english_header_row_is_the_header_again() -> None:
    # A template with the English names in a row under the Norwegian ones: the second row was
    # read as an application with an error in every cell.
    table = _table(
        [
            ["Søknadsnr", "Søker", "Søkt beløp", "Merknad"],
            ["Application ID", "Applicant", "Requested amount", "Note"],
            ["A-1", "Moss kommune", 100.0, None],
            ["A-2", "Applicant", "ukjent", None],  # an application whose amount is text
        ]
    )
    assert [n for n, _ in table.rows] == [3, 4]
    assert table.issues[0].params == {"count": 1, "rows": ["2"]}


@pytest.mark.parametrize(
    "again",
    [
        # A printout's two-row header repeated on the next page.
        [["Søknadsnr", "Søker", "Beløp", None], [None, None, "Omsøkt", "Totalkostnad"]],
        # A bilingual template's English two-row header under the Norwegian one.
        [["Application ID", "Applicant", "Amount", None], [None, None, "Requested", "Total cost"]],
    ],
)
def test_a_two_row_header_again_is_skipped_both_rows(again: list[list[Any]]) -> None:
    # Two-row headers and repeated headers met here: each row of a two-row header again was
    # read as an application, with an error in every cell.
    table = _table(
        [
            ["Søknadsnr", "Søker", "Beløp", None],
            [None, None, "Omsøkt", "Totalkostnad"],
            ["S-1", "Moss kommune", 100.0, 500.0],
            *again,
            ["S-2", "Rygge kommune", 200.0, 800.0],
        ]
    )
    assert [n for n, _ in table.rows] == [3, 6]
    assert _codes(table) == ["read.header_repeated_skipped"]
    assert table.issues[0].params == {"count": 2, "rows": ["4–5"]}


def test_a_row_without_an_amount_above_the_totals_row_is_kept() -> None:
    table = _table(
        [["ID", "Søker", "Søkt beløp"], ["A-1", "Moss", 1.0], ["A-2", "Rygge", None], ["Sum"]]
    )
    assert [n for n, _ in table.rows] == [2, 3]
    assert _codes(table) == ["read.totals_row_skipped"]


def test_a_totals_label_in_the_applicant_column_counts_when_the_id_is_empty() -> None:
    table = _table([["ID", "Søker", "Søkt beløp"], ["A-1", "Moss", 1.0], [None, "Totalt", 1.0]])
    assert [n for n, _ in table.rows] == [2]
    assert _codes(table) == ["read.totals_row_skipped"]


@pytest.mark.parametrize("applicant", ["Total Design AS", "Summit kommune", "Sum"])
def test_names_that_merely_look_like_totals_are_kept(applicant: str) -> None:
    # With an id in front, "Sum" in the applicant column is an applicant called Sum.
    table = _table([["ID", "Søker", "Søkt beløp"], ["A-1", applicant, 1.0]])
    assert [n for n, _ in table.rows] == [2]
    assert table.issues == []


_LABEL_CHARS = list("SsUuMmTtOoIiGgRrAaLlEeNnDdſßİﬆ \t\u00a0\u2003\n:-")


def test_the_cheap_first_letter_test_knows_every_letter_a_totals_word_can_start_with() -> None:
    from tilskudd.reading.sheet import _TOTAL_INITIALS, _TOTAL_STARTS

    starts = {word[0] for word in _TOTAL_STARTS}
    folding = {c for c in map(chr, range(0x110000)) if c.casefold()[:1] in starts}
    assert folding <= _TOTAL_INITIALS


@given(label=st.text(alphabet=st.sampled_from(_LABEL_CHARS), max_size=8))
def test_a_first_cell_is_a_totals_label_exactly_when_its_words_say_so(label: str) -> None:
    # The cheap look at two letters must never hide a label the full test would find.
    table = _table([["ID", "Søker", "Søkt beløp"], [label or None, "Moss", 1.0]])
    skipped = _codes(table) == ["read.totals_row_skipped"]
    assert skipped == (bool(label) and _totals_label(label) is not None)


def test_a_label_right_of_the_identifying_columns_is_not_a_totals_label() -> None:
    table = _table([["Søker", "Søkt beløp", "Merknad"], [None, 1.0, "Sum"]])
    assert [n for n, _ in table.rows] == [2]


_HEAD = ["ID", "Søker", "Prosjekt", "Søkt beløp", "Poeng"]


@pytest.mark.parametrize(
    ("amounts", "total"),
    [
        ([1_000_000.0, 2_300_000.0], 3_300_000.0),  # number cells, a =SUM(D2:D3) below
        (["1 000 000", "kr 2.300.000,-"], "3 300 000"),  # text as people type it
        ([1_000_000.0, "2 300 000 kr", 500_000], "3800000"),
        # A cell that does not read as an amount is left out of the sum (validation says so).
        ([1_000_000.0, "ukjent", "3,300", 2_300_000.0], 3_300_000.0),
        (["100,50", "99,50"], 200.0),  # kroner and øre add up exactly
    ],
)
def test_a_totals_row_without_a_label_is_known_by_its_sum(amounts: list[Any], total: Any) -> None:
    grid: list[list[Any]] = [_HEAD]
    grid += [[f"A-{i}", f"Søker {i}", None, amount, 4] for i, amount in enumerate(amounts)]
    grid.append([None, None, None, total, 4 * len(amounts)])
    table = _table(grid)
    assert [n for n, _ in table.rows] == list(range(2, len(amounts) + 2))
    (issue,) = table.issues
    assert issue.code == "read.totals_row_unlabelled_skipped"
    assert issue.severity is Severity.WARNING
    assert issue.location is not None
    assert issue.location.row == len(amounts) + 2
    counted = sum(1 for a in amounts if a not in ("ukjent", "3,300"))
    assert issue.params == {
        "row": len(amounts) + 2,
        "text": str(int(total)) if isinstance(total, float) else total,
        "count": counted,
    }
    message = T(issue.code, **issue.params)
    assert "taken for a totals row" in message
    assert "give it an applicant or a project" in message


@pytest.mark.parametrize(
    "last",
    [
        [None, "Moss", None, 300.0],  # an applicant: an application without an id
        [None, None, "Arkiv", 300.0],  # a project: the same
        [None, None, None, 299.0],  # not the sum
        [None, None, None, 300.1],
        [None, None, None, "3OO"],
        [None, None, None, FormulaWithoutValue("SUM(D2:D3)")],  # never calculated: no sum
    ],
)
def test_a_row_that_is_not_exactly_an_unlabelled_total_is_kept(last: list[Any]) -> None:
    table = _table([_HEAD, ["A-1", "Moss", None, 100.0], ["A-2", "Rygge", None, 200.0], last])
    assert [n for n, _ in table.rows] == [2, 3, 4]
    assert _codes(table) == []


def test_an_unlabelled_total_needs_two_rows_above_it() -> None:
    # One application and a row equal to it: an application without an id (a duplicate is
    # validation's business), not a totals row.
    table = _table([_HEAD, ["A-1", "Moss", None, 100.0], [None, None, None, 100.0]])
    assert [n for n, _ in table.rows] == [2, 3]
    assert _codes(table) == []


def test_an_unlabelled_grand_total_after_a_labelled_subtotal() -> None:
    # Rows skipped as totals are not added again; the grand total is the sum of applications.
    table = _table(
        [
            _HEAD,
            ["A-1", "Moss", None, 100.0],
            ["A-2", "Rygge", None, 200.0],
            ["Sum", None, None, 300.0],
            ["B-1", "Våler", None, 50.0],
            [None, None, None, 350.0],
        ]
    )
    assert [n for n, _ in table.rows] == [2, 3, 5]
    assert _codes(table) == ["read.totals_row_skipped", "read.totals_row_unlabelled_skipped"]


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=2, max_size=12))
def test_a_sum_row_under_any_amounts_is_skipped_and_the_total_requested_not_doubled(
    amounts: list[int],
) -> None:
    grid: list[list[Any]] = [_HEAD]
    grid += [[f"A-{i}", None, f"P{i}", float(a)] for i, a in enumerate(amounts)]
    grid.append([None, None, None, f"{sum(amounts):,}".replace(",", " ")])
    table = _table(grid)
    assert sum(cells[3] for _, cells in table.rows) == sum(amounts)
    assert _codes(table) == ["read.totals_row_unlabelled_skipped"]


def test_blank_rows_get_one_warning_listing_them_and_trailing_ones_none() -> None:
    table = _table(
        [
            ["ID", "Søker", "Søkt beløp"],
            ["A-1", "Moss", 1.0],
            [None, None, None],
            ["A-2", "Rygge", 2.0],
            [None, None, None],
            [None, None, None],
            [None, None, None],
            ["A-3", "Våler", 3.0],
            [None, None, None],
            [None, None, None],
        ]
    )
    assert [n for n, _ in table.rows] == [2, 4, 8]
    (issue,) = table.issues
    assert issue.code == "read.blank_rows_skipped"
    assert issue.params == {"count": 4, "rows": ["3", "5–7"]}
    assert T(issue.code, **issue.params).endswith("(4): 3 and 5–7")


def test_a_row_of_only_uncalculated_formulas_is_blank() -> None:
    grid: list[list[Any]] = [
        ["Søker", "Søkt beløp", "Egenandel"],
        ["Moss", 1.0, FormulaWithoutValue("B2*0.2")],
        [None, None, FormulaWithoutValue("B3*0.2")],
    ]
    table = _table(grid, formula_rows={1: 1, 2: 1})
    assert [n for n, _ in table.rows] == [2]
    assert table.issues == []  # the formula-only row is after the last application


def test_unknown_columns_are_carried_as_extras() -> None:
    table = _table(
        [
            ["Søker", "Merknad", "Søkt beløp", "Merknad", None, None],
            ["Moss", "ok", 1.0, "sjekk", "løs lapp", None],
        ]
    )
    assert table.extra == {"Merknad": 1, "Merknad (D)": 3, "E": 4}


def test_duplicate_field_is_an_error_naming_both_columns() -> None:
    with pytest.raises(InputFileError) as caught:
        _table([["Søker", "Søkt beløp", "Søker"], ["Moss", 1.0, "Rygge"]])
    message = str(caught.value)
    assert message.startswith("runde.xlsx, sheet Søknader")
    assert 'A "Søker"' in message
    assert 'C "Søker"' in message
    # Two columns "both" mean it, not "all": the message says "mean", true of two or more.
    assert 'the columns A "Søker" and C "Søker" mean the same field: the applicant.' in message
    assert '("header" = "applicant")' in message  # the code where a column map needs it


def test_every_field_two_columns_mean_is_named_in_one_error() -> None:
    """The Research Council's file has "kommune" and "kommunenummer", and "fylke" and
    "fylkenummer": the officer was told of the municipalities, mapped them, ran again and only
    then heard of the county. Both pairs are said at once, with what to map."""
    header = ["Søkt beløp", "kommune", "kommunenummer", "fylke", "fylkenummer"]
    for lang, said in (
        (
            "en",
            "in the header row (row 1) several columns mean the same field, for 2 fields: the "
            'municipalities ("municipalities"): B "kommune" and C "kommunenummer"; the county '
            '("county"): D "fylke" and E "fylkenummer". Keep one column for each field',
        ),
        (
            "nb",
            "i overskriftsraden (rad 1) betyr flere kolonner det samme feltet, for 2 felt: "
            'kommuner ("municipalities"): B «kommune» og C «kommunenummer»; fylke ("county"): '
            "D «fylke» og E «fylkenummer». Behold én kolonne for hvert felt",
        ),
    ):
        grid: list[list[Any]] = [header, [1000.0, "Oslo", "0301", "Oslo", "03"]]
        match = find_header(grid)
        assert match is not None
        with pytest.raises(InputFileError) as caught:
            build_table(grid, match, file="runde.csv", sheet=None, t=get(lang))
        assert said in str(caught.value)


def test_missing_requested_lists_what_was_found_and_the_accepted_names() -> None:
    with pytest.raises(InputFileError) as caught:
        _table([["Søker", "Prosjekt", "Beløp"], ["Moss", "Arkiv", 1.0]])
    message = str(caught.value)
    assert "runde.xlsx, sheet Søknader" in message
    assert 'A "Søker" = applicant' in message
    assert 'B "Prosjekt" = project' in message
    assert 'C "Beløp" (not a known field)' in message
    assert "Missing:" not in message
    assert '"Omsøkt beløp"' in message
    assert "--columns" in message


def test_data_rows_behave_as_a_sequence_of_pairs() -> None:
    rows = DataRows([4, 5, 9], [["a"], ["b"], ["c"]])
    assert len(rows) == 3
    assert rows[1] == (5, ["b"])
    assert rows[-1] == (9, ["c"])
    assert list(rows[1:]) == [(5, ["b"]), (9, ["c"])]
    assert rows == [(4, ["a"]), (5, ["b"]), (9, ["c"])]
    assert rows != [(4, ["a"])]
    with pytest.raises(ValueError, match="differ in length"):
        DataRows([1], [])


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (["currency", "EUR"], "currency: EUR"),  # pabulib's META, `currency;EUR`
        (["Valuta", "sek"], "Valuta: sek"),
        (["Currency: GBP"], "Currency: GBP"),  # a title block's line in one cell
    ],
)
def test_a_line_above_the_header_giving_another_currency_is_a_warning(
    line: list[str], said: str
) -> None:
    # A pabulib file says `currency;EUR` above its table: its euros were read, allocated and
    # published as kroner without a word.
    table = _table([["budget", "400000"], line, [], ["ID", "Prosjekt", "Requested"], ["1", "P", 5]])
    (issue,) = [i for i in table.issues if i.code == "read.currency_above_header"]
    assert issue.severity == Severity.WARNING
    assert issue.params == {"row": 2, "currencies": [line[-1].split()[-1].upper()], "text": said}
    assert issue.location is not None
    assert issue.location.row == 2
    assert [n for n, _ in table.rows] == [5]


@pytest.mark.parametrize(
    ("delimiter", "said"), [(";", "currency;EUR"), (",", "currency,EUR"), ("\t", "currency: EUR")]
)
def test_a_currency_line_of_a_text_file_is_quoted_as_the_file_has_it(
    delimiter: str, said: str
) -> None:
    """Pabulib's `currency;EUR` was quoted back as 'currency: EUR', a line the officer would
    not find in the file (a tab, no mark to quote, is said as a workbook's two cells are)."""
    grid = [["budget", "400000", ""], ["currency", "EUR", ""], ["ID", "Prosjekt", "Requested"]]
    table = _table([*grid, ["1", "P", "5"]], delimiter=delimiter)
    (issue,) = [i for i in table.issues if i.code == "read.currency_above_header"]
    assert issue.params["text"] == said


@pytest.mark.parametrize(
    "line", [["currency", "NOK"], ["Valuta", "kr"], ["Currency: NOK"], ["Kurs", "EUR"], ["EUR"]]
)
def test_kroner_or_no_currency_above_the_header_is_nothing_to_say(line: list[str]) -> None:
    table = _table([line, ["ID", "Prosjekt", "Requested"], ["1", "P", 5]])
    assert "read.currency_above_header" not in _codes(table)


@pytest.mark.parametrize(
    ("cell", "text", "note"),
    [
        ("A1", "Tilskudd 2025 (alle beløp i 1000 kr)", "i 1000 kr"),
        ("A2", "Beløp i hele tusen kroner", "i hele tusen kroner"),
        ("B2", "Tall i mill. kr", "i mill. kr"),
        ("A2", "Amounts in NOK thousands", "in NOK thousands"),
        ("A2", "Alle beløp: tkr", "tkr"),
    ],
)
def test_a_title_that_gives_the_amounts_in_thousands_is_refused(
    cell: str, text: str, note: str
) -> None:
    """A title "(alle beløp i 1000 kr)" over plain numbers: 250 was allocated as 250 kroner."""
    grid: list[list[Any]] = [["Søknader kulturmidler 2025"], [], ["Nr", "Søker", "Søkt beløp"]]
    row, column = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
    grid[row] = [None] * column + [text]
    grid += [["S-1", "Korps", 250], ["S-2", "Kor", 300]]
    with pytest.raises(InputFileError) as caught:
        _table(grid)
    message = str(caught.value)
    assert message.startswith(f'runde.xlsx, sheet Søknader: cell {cell} says "{text}": "{note}"')
    assert "never rescales" in message


def test_a_group_label_in_thousands_over_the_amounts_is_refused() -> None:
    """ "Beløp (tkr)" merged over "Omsøkt" and "Totalkostnad": the two-row header read them as
    kroner, the group label's scale unseen."""
    grid: list[list[Any]] = [
        ["Nr", "Søker", "Beløp (tkr)", None],
        [None, None, "Omsøkt", "Totalkostnad"],
        ["S-1", "Korps", 250, 1000],
    ]
    with pytest.raises(InputFileError) as caught:
        _table(grid)
    assert 'cell C1 says "Beløp (tkr)": "(tkr)"' in str(caught.value)


def test_a_note_in_thousands_under_the_table_is_refused() -> None:
    grid: list[list[Any]] = [
        ["Nr", "Søker", "Søkt beløp"],
        ["S-1", "Korps", 250],
        ["S-2", "Kor", 300],
        [],
        ["Merknad: alle beløp er i 1000 kr"],
    ]
    with pytest.raises(InputFileError) as caught:
        _table(grid)
    assert 'cell A5 says "Merknad: alle beløp er i 1000 kr"' in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "Ramme 5 mill. kr",
        "Fordeling av 1 000 000 kr i 2025",
        "Ramme: 500 tkr",
        "Beløp i hele kroner",
        "Tilskudd til 1000-årssted",
        "Poeng (1-6)",
    ],
)
def test_a_title_with_an_amount_or_kroner_in_it_is_no_scale(text: str) -> None:
    table = _table([[text], ["Nr", "Søker", "Søkt beløp"], ["S-1", "Korps", 250_000]])
    assert len(table.rows) == 1
    assert table.issues == []


def test_a_column_of_its_own_in_thousands_over_two_header_rows_is_carried_through() -> None:
    """ "Egenandel (tkr)" written over both header rows names that column, not the amounts."""
    table = _table(
        [
            ["Nr", "Beløp", None, "Egenandel (tkr)"],
            [None, "Omsøkt", "Totalkostnad", None],
            ["S-1", 250_000, 1_000_000, 50],
        ]
    )
    assert table.fields == {"id": 0, "requested": 1, "total_cost": 2}
    assert table.extra == {"Egenandel (tkr)": 3}


def test_a_labelled_subtotal_under_each_block_is_skipped() -> None:
    """ "Sum teater" under the second block was an application of 350 000 kr from the applicant
    "Sum teater", funded by the proportional rule beside the rows it adds up."""
    table = _table(
        [
            ["Nr", "Søker", "Kommune", "Søkt beløp"],
            ["M1", "Korps", "Oslo", 100_000],
            ["M2", "Kor", "Oslo", 200_000],
            [None, "Sum musikk", None, 300_000],
            [],
            ["T1", "Teater", "Oslo", 300_000],
            ["T2", "Revy", "Oslo", 50_000],
            [None, "Delsum teater", None, 350_000],
            [],
            [None, None, "Totalt søkt", 650_000],
        ]
    )
    assert [cells[0] for _, cells in table.rows] == ["M1", "M2", "T1", "T2"]
    skipped = [i for i in table.issues if i.code == "read.subtotal_row_skipped"]
    assert [(i.params["row"], i.params["text"], i.params["count"]) for i in skipped] == [
        (4, "Sum musikk", 2),
        (8, "Delsum teater", 2),
    ]
    assert "read.totals_row_unlabelled_skipped" in _codes(table)


def test_an_unlabelled_subtotal_under_a_later_block_is_skipped() -> None:
    table = _table(
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["M1", "Korps", 100_000],
            ["M2", "Kor", 200_000],
            [None, None, 300_000],
            [],
            ["T1", "Teater", 300_000],
            ["T2", "Revy", 50_000],
            [None, None, 350_000],
        ]
    )
    assert [cells[0] for _, cells in table.rows] == ["M1", "M2", "T1", "T2"]
    unlabelled = [i for i in table.issues if i.code == "read.totals_row_unlabelled_skipped"]
    assert [(i.params["row"], i.params["count"]) for i in unlabelled] == [(4, 2), (8, 2)]


@pytest.mark.parametrize(
    "row",
    [
        [None, "Total Norge AS", 120_000],  # not a sum of rows above
        [None, "Summit AS", 350_000],  # not a totals word
        ["T3", "Sum teater", 350_000],  # an id: an application
    ],
)
def test_an_applicant_whose_name_starts_like_a_total_is_an_application(row: list[Any]) -> None:
    table = _table(
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["T1", "Teater", 300_000],
            ["T2", "Revy", 50_000],
            row,
        ]
    )
    assert len(table.rows) == 3
    assert "read.subtotal_row_skipped" not in _codes(table)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "looks like a totals row ('Sum teater', 350000, the sum of the 2 rows above it)"),
        ("nb", "ser ut som en sumrad («Sum teater», 350000, summen av de 2 radene over)"),
    ],
)
def test_a_skipped_subtotal_is_said_in_both_languages(lang: str, said: str) -> None:
    table = _table(
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["T1", "Teater", 300_000],
            ["T2", "Revy", 50_000],
            [None, "Sum teater", 350_000],
        ]
    )
    (issue,) = [i for i in table.issues if i.code == "read.subtotal_row_skipped"]
    assert said in issue_message(issue, lang)


def test_a_heading_over_each_block_of_applications_is_skipped() -> None:
    """ "Musikk" and "Teater" over their blocks were two applications without an amount,
    listed as rejected under the headings' names."""
    table = _table(
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["Musikk", None, None],
            ["M-1", "Korps", 100_000],
            ["M-2", "Kor", 200_000],
            [],
            [None, "Teater", None],
            ["T-1", "Revy", 300_000],
        ]
    )
    assert [cells[0] for _, cells in table.rows] == ["M-1", "M-2", "T-1"]
    (issue,) = [i for i in table.issues if i.code == "read.heading_rows_skipped"]
    assert issue.params["rows"] == ["2", "6"]
    said = issue_message(issue, "nb")
    assert said.startswith("rader med tekst i én celle og uten omsøkt beløp, hver øverst i en")
    assert "fyll inn det omsøkte beløpet" in said
    assert "taken for the blocks' headings" in issue_message(issue, "en")


@pytest.mark.parametrize(
    "grid",
    [
        # an id with digits: an application typed in halfway
        [["Nr", "Søker", "Søkt beløp"], ["S-05", None, None], ["S-06", "Kor", 200_000]],
        # among the applications, not at the top of a block
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["S-04", "Korps", 100_000],
            [None, "Kor", None],
            ["S-06", "Revy", 200_000],
        ],
        # ids without digits: a word alone in the id column is an id
        [["ID", "Søker", "Søkt beløp"], ["A", None, None], ["B", "Kor", 200_000]],
        # nothing with an amount below it
        [["Nr", "Søker", "Søkt beløp"], ["S-1", "Kor", 200_000], [], ["Teater", None, None]],
    ],
)
def test_a_word_alone_that_heads_no_block_is_still_an_application(grid: list[list[Any]]) -> None:
    table = _table(grid)
    assert "read.heading_rows_skipped" not in _codes(table)
    assert any(all(c is None for c in cells[1:]) or cells[2] is None for _, cells in table.rows)


def test_an_application_without_an_amount_under_a_totals_row_at_the_top_is_kept() -> None:
    """With "Sum" just under the header, every row without an amount below it was a note: an
    application whose amount was not yet typed in was skipped with the notes, and check said
    "no errors"."""
    table = _table(
        [
            ["Nr", "Søker", "Kommune", "Søkt beløp"],
            ["Sum", None, None, 400_000],
            ["K-1", "Korps", "Oslo", 100_000],
            ["K-2", "Kor", "Oslo", None],
            ["I-1", "IL", "Oslo", 300_000],
            ["Merknad:", "Kari", None, None],  # under the last application: a note
        ]
    )
    assert [n for n, _ in table.rows] == [3, 4, 5]
    (notes,) = [i for i in table.issues if i.code == "read.notes_below_totals_skipped"]
    assert notes.params == {"count": 1, "rows": ["6"]}


@pytest.mark.parametrize(
    ("grid", "cell"),
    [
        # a note in the header row, beside the headers, with nothing under it
        (
            [["Nr", "Søker", "Søkt beløp", None, "Alle beløp i 1000 kr"], ["S-1", "Kor", 250]],
            "E1",
        ),
        # a note beside the applications, in a column without a header
        (
            [
                ["Nr", "Søker", "Søkt beløp", None],
                ["S-1", "Korps", 250, None],
                ["S-2", "Kor", 300, "NB: beløp i tusen kroner"],
            ],
            "D3",
        ),
    ],
)
def test_a_note_in_thousands_beside_the_table_is_refused(grid: list[list[Any]], cell: str) -> None:
    with pytest.raises(InputFileError) as caught:
        _table(grid)
    assert f"cell {cell} says" in str(caught.value)


def test_a_column_of_its_own_in_thousands_with_data_is_carried_through() -> None:
    table = _table([["Nr", "Søkt beløp", "Egenandel i 1000 kr"], ["S-1", 250_000, 50]])
    assert table.extra == {"Egenandel i 1000 kr": 2}


@pytest.mark.parametrize(
    "grid",
    [
        # asking for what the one application above asks for: no sum of anything
        [["Søker", "Søkt beløp"], ["Teater", 100_000], ["Total Norge AS", 100_000]],
        [
            ["Nr", "Søker", "Søkt beløp"],
            ["T1", "Teater", 100_000],
            [],
            ["T2", "Revy", 50_000],
            [None, "Total Norge AS", 50_000],
        ],
        # "Summer" starts an English name, not a Norwegian sum
        [
            ["Søker", "Søkt beløp"],
            ["Korps", 100_000],
            ["Kor", 200_000],
            ["Summer Festival", 300_000],
        ],
        # an organisation number: whose application it is
        [
            ["Søker", "Orgnr", "Søkt beløp"],
            ["Korps", "974760673", 100_000],
            ["Kor", "971526920", 200_000],
            ["Total Norge AS", "914807077", 300_000],
        ],
    ],
)
def test_an_application_that_happens_to_sum_the_rows_above_is_kept(
    grid: list[list[Any]],
) -> None:
    """A row named like a total was skipped as one when its amount equalled the single row
    above it (the sum of one row), or when it had an organisation number: a real application
    dropped with only a warning."""
    table = _table(grid)
    assert len(table.rows) == len([row for row in grid[1:] if row])
    assert "read.subtotal_row_skipped" not in _codes(table)
