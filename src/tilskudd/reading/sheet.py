"""From a grid of raw cells to a :class:`RawTable`: header row, data rows, totals and blank rows.

Every reader (xlsx, ods, csv) produces a grid: a list of rows, each a list of cells of the same
length, row 0 being the sheet's first row and column 0 column A, empty cells ``None``. This module
finds the header in it, reports a header it cannot use, and keeps the data rows: a totals row
(``Sum``, ``Totalt``, ``I alt`` ...) and blank rows are skipped with a warning; blank rows after
the last application are not worth one. A totals row without a label is known by its amount: a
row with no id, applicant or project whose amount requested is exactly the sum of those of at
least two rows above it (a ``=SUM(...)`` under the amounts) is skipped with a warning too, and
so is a subtotal under a block of rows ("Sum teater" = the rows since the last blank row), and
a heading over one ("Teater" alone in its row, above the theatre applications). Below
a totals row, rows without an amount requested are notes, skipped with one warning; so are rows
that repeat the header row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from tilskudd.currency import amounts_in, groups_by_dots
from tilskudd.errors import AmountError, InputFileError
from tilskudd.i18n import Translator
from tilskudd.models import Issue, Location, Severity
from tilskudd.money import parse_decimal
from tilskudd.reading.columns import (
    ALIASES,
    CURRENCY_HEADERS,
    HEADER_SCAN_ROWS,
    MONEY_FIELDS,
    NYNORSK,
    REQUIRED,
    HeaderMatch,
    cell_text,
    currency_statement,
    filled_from_above,
    in_nynorsk,
    match_field,
    names_currency,
    normalize_header,
    scale_statement,
)
from tilskudd.reading.table import (
    CurrencyLine,
    DataRows,
    FormulaWithoutValue,
    RawCell,
    RawTable,
    column_letter,
    is_empty,
)

__all__ = [
    "build_table",
    "describe_first_row",
    "header_problem",
    "quoted",
    "where",
]

Grid = list[list[RawCell]]

# What a totals row's label says, normalised (see columns.normalize_header).
_TOTAL_WORDS = frozenset(
    {
        "sum",
        "summer",
        "sumtotalt",
        "totalsum",
        "totalt",
        "total",
        "totaler",
        "totals",
        "ialt",
        "sumialt",
        "totaltialt",
        "grandtotal",
        "samlet",
        "sumsokt",
        "sumomsokt",
    }
)
# Cheap test before normalising: ids and names rarely start like this.
_TOTAL_STARTS = ("sum", "total", "i alt", "grand", "samlet")
_IDENTIFYING = ("id", "applicant", "project")
# Every character a totals word can start with once case-folded ("ſum" folds to "sum"), found
# by folding every code point (a test keeps it so); white space, which strip() takes away, is
# tested apart with str.isspace.
_TOTAL_INITIALS = frozenset("GISTgistßİſẗẞﬅﬆ")


def where(t: Translator, file: str, sheet: str | None) -> str:
    """ "file.xlsx, sheet 'Runde 1 '" (or the file alone for CSV), for messages."""
    if sheet is None:
        return file
    return t("read.error.where_sheet", file=file, sheet=sheet)


def quoted(t: Translator, texts: Iterable[str]) -> str:
    """Texts quoted the language's way ("A" / «A») and joined: '«A», «B» og «C»'."""
    return t.join([t("read.error.quoted", text=text) for text in texts])


def describe_first_row(grid: Grid, t: Translator) -> tuple[int, str] | None:
    """(1-based row number, its non-empty cells quoted) of the first non-empty row, if any."""
    for index, cells in enumerate(grid):
        texts = [cell_text(c) for c in cells]
        texts = [text for text in texts if text]
        if texts:
            if len(texts) > 12:
                return index + 1, ", ".join(
                    t("read.error.quoted", text=x) for x in texts[:12]
                ) + ", …"
            return index + 1, quoted(t, texts)
    return None


def _examples(t: Translator) -> str:
    return quoted(t, ["Søker", "Prosjekt", "Omsøkt beløp", "Poeng", "Applicant", "Requested"])


def header_problem(
    grid: Grid,
    file: str,
    sheet: str | None,
    t: Translator,
    scan: int = HEADER_SCAN_ROWS,
    *,
    mangled: bool = True,
) -> InputFileError:
    """The error for a sheet without a recognisable header row (or with no cells at all).

    ``mangled``: say so when the headers read as UTF-8 garbled through Windows-1252 (not for a
    text file tilskudd itself read as Windows-1252: its reader says that)."""
    first = describe_first_row(grid[:scan], t)
    place = where(t, file, sheet)
    if first is None:
        if describe_first_row(grid, t) is None:
            return InputFileError(t("read.error.sheet_empty", where=place))
        return InputFileError(t("read.error.no_header_blank", where=place, scan=scan))
    garbled = _mangled(grid[:scan]) if mangled else None
    if garbled is not None:
        return _mangled_error(t, place, *garbled)
    row, cells = first
    return InputFileError(
        t(
            "read.error.no_header",
            where=place,
            scan=scan,
            row=row,
            cells=cells,
            examples=_examples(t),
        )
    )


def _unmangled(text: str) -> str | None:
    """``text`` as it was before UTF-8 was read as Windows-1252 ("SÃ¸kt belÃ¸p" -> "Søkt
    beløp"), or None if it does not read so."""
    if "Ã" not in text and "Â" not in text:
        return None
    try:
        meant = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    return meant if meant != text else None


def _mangled(
    rows: Sequence[Sequence[RawCell]], field: str | None = None
) -> tuple[int, str, str] | None:
    """(1-based row, text, what it was) of the first cell whose text, read back as UTF-8, names
    ``field`` (or any field): a header garbled on its way through Windows-1252."""
    for index, cells in enumerate(rows):
        for cell in cells:
            meant = _unmangled(cell) if isinstance(cell, str) else None
            if meant is None:
                continue
            name = match_field(meant)
            if name is not None and (field is None or name == field):
                return index + 1, str(cell), meant
    return None


def _mangled_error(t: Translator, place: str, row: int, seen: str, meant: str) -> InputFileError:
    return InputFileError(
        t("read.error.header_mangled", where=place, row=row, seen=seen, meant=meant)
    )


def _label(t: Translator, name: str) -> str:
    """A field as people call it ("omsøkt beløp"), not its code ("requested")."""
    return t(f"validate.field.{name}")


def _check_header(
    match: HeaderMatch, file: str, sheet: str | None, t: Translator, *, mangled: bool = True
) -> None:
    place = where(t, file, sheet)
    if match.duplicates:
        # Every field at once: a file with "kommune" beside "kommunenummer" and "fylke" beside
        # "fylkenummer" needs both lines of its column map, not one run for each.
        dups = {
            name: t.join(
                [
                    f"{column_letter(i)} {t('read.error.quoted', text=match.headers[i])}"
                    for i in cols
                ]
            )
            for name, cols in match.duplicates.items()
        }
        name, columns = next(iter(dups.items()))
        if len(dups) == 1:
            raise InputFileError(
                t(
                    "read.error.duplicate_field",
                    where=place,
                    row=match.index + 1,
                    field=_label(t, name),
                    code=name,
                    columns=columns,
                )
            )
        pairs = [
            t("read.error.duplicate_fields_one", field=_label(t, each), code=each, columns=cols)
            for each, cols in dups.items()
        ]
        raise InputFileError(
            t(
                "read.error.duplicate_fields",
                where=place,
                row=match.index + 1,
                count=len(dups),
                fields="; ".join(pairs),
                code=name,
            )
        )
    said: list[str] = []
    # The notes said in the round's currency: "never rescales them ... whole EUR".
    with amounts_in(match.currency):
        if match.scaled:
            shown = [
                t(
                    "read.error.scaled_column",
                    column=column_letter(i),
                    header=match.headers[i],
                    field=_label(t, name),
                    note=_note_shown(t, note),
                )
                for i, (name, note) in sorted(match.scaled.items())
            ]
            said.append(
                t("read.error.scaled", where=place, row=match.index + 1, columns="; ".join(shown))
            )
        if match.foreign:
            # A column the column map names was not matched by its header: its header names
            # the currency, and the map has to follow a new header.
            mapped = any(i in match.mapped_by for i in match.foreign)
            shown = [
                t(
                    "read.error.currency_column_mapped"
                    if i in match.mapped_by
                    else "read.error.currency_column",
                    column=column_letter(i),
                    header=match.headers[i],
                    field=_label(t, name),
                    note=_note_shown(t, note),
                    currency=code,
                )
                for i, (name, note, code) in sorted(match.foreign.items())
            ]
            said.append(
                t(
                    "read.error.currency_header_mapped" if mapped else "read.error.currency_header",
                    where=place,
                    row=match.index + 1,
                    columns="; ".join(shown),
                    expected=match.currency,
                    currency=min(match.foreign.items())[1][2],
                )
            )
    if said:
        raise InputFileError(" ".join(said))
    if REQUIRED not in match.fields:
        garbled = _mangled([match.headers], REQUIRED) if mangled else None
        if garbled is not None:
            raise _mangled_error(t, place, match.index + 1, *garbled[1:])
        found = [
            t("read.error.column_found", column=letter, header=text, field=_label(t, name))
            if name
            else t("read.error.column_unknown", column=letter, header=text)
            for letter, text, name in match.describe_columns()
        ]
        raise InputFileError(
            t(
                "read.error.missing_required",
                where=place,
                row=match.index + 1,
                found="; ".join(found),
                accepted=quoted(t, _accepted_required(match)),
                example=_toml_key(_amount_like(match) or t("read.error.missing_required_example")),
            )
        )


def _accepted_required(match: HeaderMatch) -> tuple[str, ...]:
    """The headers that mean the amount requested, as a sheet without one is told them: in
    bokmål and English, and first in nynorsk when the sheet's other headers are."""
    if in_nynorsk(match.headers, match.currency):
        return (*NYNORSK[REQUIRED], *ALIASES[REQUIRED])
    return ALIASES[REQUIRED]


def _note_shown(t: Translator, note: str) -> str:
    """A header's note as said: a bracketed note shows where it ends; words written after the
    header's without brackets ("i 1000 kr", "EUR") are quoted."""
    return note if note[:1] in "([" else t("read.error.quoted", text=note)


# Words (as normalize_header gives them) in the header of a column that holds amounts: the
# column a map of an open data set's own headers gives as the amount requested (pabulib's
# "cost", 360Giving's "Amount Awarded", the Research Council's "sokt_belop").
_AMOUNT_WORDS = (
    "amount",
    "belop",
    "cost",
    "kostnad",
    "sum",
    "beitrag",
    "betrag",
    "tilskudd",
    "tilskot",  # nynorsk, and "tilskott"
)


def _amount_like(match: HeaderMatch) -> str | None:
    """The header of the first column no field took whose name says it holds amounts."""
    for _letter, text, name in match.describe_columns():
        if name is None and any(word in normalize_header(text) for word in _AMOUNT_WORDS):
            return text
    return None


def _toml_key(text: str) -> str:
    """``text`` as a quoted key of a TOML file, as a column map's line begins."""
    words = " ".join(text.split())  # a header over two lines is one key, matched as one
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check_scale_notes(
    grid: Grid,
    match: HeaderMatch,
    notes: Sequence[int],
    numbers: Sequence[int],
    kept: Sequence[Sequence[RawCell]],
    file: str,
    sheet: str | None,
    t: Translator,
) -> None:
    """Refuse a sheet whose title, a group label over its amounts, or a note under the table
    or beside it gives every amount in a scale ("Tilskudd 2025 (alle beløp i 1000 kr)"): the
    cells hold plain numbers, and thousands read as kroner would be wrong by a factor of a
    thousand.

    ``notes``: 1-based numbers of the rows under the table skipped as notes; ``numbers`` and
    ``kept``: the applications' rows and their cells. A cell in the row just above the header, over
    an empty header cell of a column that is no amount, is that column's own header written
    over two rows ("Egenandel (tkr)"), which is carried through; so is a column of its own with
    such a header and data under it ("Egenandel i 1000 kr"). A note beside the table is a
    header with nothing under it, or text in a column without a header."""
    money = {match.fields[name] for name in MONEY_FIELDS if name in match.fields}
    below = grid[match.index]
    for index, i, text in _note_cells(grid, match, notes, numbers, kept):
        note = scale_statement(text)
        named = currency_statement(text, match.currency) if note is None else None
        if note is None and named is None:
            continue
        if index == match.index - 1 and is_empty(below[i]) and i not in money:
            texts = [c for c in grid[index] if isinstance(c, str) and c.strip()]
            if len(texts) > 1:
                continue
        cell = f"{column_letter(i)}{index + 1}"
        with amounts_in(match.currency):  # "in whole EUR" in a round of euros
            if named is not None:
                # "Alle beløp i EUR" over a round of kroner, as a header's "(EUR)" is refused.
                said = t(
                    "read.error.currency_stated",
                    where=where(t, file, sheet),
                    cell=cell,
                    text=text,
                    note=named[0],
                    currency=named[1],
                    expected=match.currency,
                )
            else:
                said = t(
                    "read.error.scale_stated",
                    where=where(t, file, sheet),
                    cell=cell,
                    text=text,
                    note=note,
                )
        raise InputFileError(said)


def _note_cells(
    grid: Grid,
    match: HeaderMatch,
    notes: Sequence[int],
    numbers: Sequence[int],
    kept: Sequence[Sequence[RawCell]],
) -> Iterable[tuple[int, int, str]]:
    """(0-based row, 0-based column, text) of every text cell that may be a note on the sheet:
    above the header, in the notes under the table, a header with nothing under it, and text
    in a column without a header."""
    for index in [*range(match.index), *(n - 1 for n in notes)]:
        for i, cell in enumerate(grid[index]):
            if isinstance(cell, str) and cell.strip():
                yield index, i, cell.strip()
    header = grid[match.index]
    for i, cell in enumerate(header):
        if i in match.mapped_by:
            continue
        if isinstance(cell, str) and cell.strip():
            if all(is_empty(cells[i]) for cells in kept):
                yield match.index, i, cell.strip()
        elif not match.headers[i]:
            for number, cells in zip(numbers, kept, strict=True):
                value = cells[i]
                if isinstance(value, str) and value.strip():
                    yield number - 1, i, value.strip()


def _totals_label(value: str) -> str | None:
    """The label if ``value`` is a totals word (Sum, Totalt, I alt ...)."""
    text = value.strip()
    key = text.casefold()
    if key.startswith(_TOTAL_STARTS) and normalize_header(key) in _TOTAL_WORDS:
        return text
    return None


# A label that starts with a totals word and goes on: "Sum teater", "Totalt søkt", "Delsum".
_SUBTOTAL_INITIALS = frozenset("SsTtDd")
_SUBTOTAL_STARTS = ("sum", "total", "delsum", "sub")
# Not "summer" (Norwegian sums): it starts English names ("Summer Festival").
_SUBTOTAL = re.compile(r"(?:sum|totalt?|delsum|delsummer|sub-?total)(?![\w])", re.I)


def _subtotal_label(value: str) -> str | None:
    """The label if ``value`` starts with a totals word and has more after it (``Sum teater``)."""
    text = value.strip()
    found = _SUBTOTAL.match(text)
    return text if found is not None and text[found.end() :].strip(" :.-–") else None


def _no_id(
    cells: Sequence[RawCell], id_column: int | None, orgnr_column: int | None, label: RawCell
) -> bool:
    """The row's id cell is empty or holds the label itself, and it has no organisation
    number: nothing says whose application it would be."""
    if orgnr_column is not None and not is_empty(cells[orgnr_column]):
        return False
    if id_column is None:
        return True
    cell = cells[id_column]
    return is_empty(cell) or cell is label


def _amount(value: RawCell, dot_groups: bool = False, currency: str = "NOK") -> Decimal | None:
    """The exact amount of a cell as tilskudd reads amounts, or None if it does not read as one
    (``dot_groups``: a dot before three digits groups thousands, as in a semicolon CSV;
    ``currency``: the round's, whose marks the text may have: ``€ 21 500`` in euros)."""
    if value is None or isinstance(value, bool | FormulaWithoutValue):
        return None
    try:
        return parse_decimal(value, dot_groups=dot_groups, currency=currency)
    except AmountError:
        return None


class _SumAbove:
    """The sum of the amounts requested in the rows kept so far, added up only when asked.

    Only a row with no id, applicant or project asks, so an ordinary sheet parses no amount
    here; rows are added once however often it asks. Cells that do not read as an amount are
    left out (validation reports them).
    """

    __slots__ = ("column", "count", "currency", "done", "dot_groups", "total")

    def __init__(self, column: int, dot_groups: bool = False, currency: str = "NOK") -> None:
        self.column = column
        self.dot_groups = dot_groups
        self.currency = currency
        self.total = Decimal(0)
        self.count = 0
        """How many rows above had an amount."""
        self.done = 0

    def is_sum(self, value: RawCell, kept: Sequence[Sequence[RawCell]], least: int = 2) -> bool:
        """True when ``value`` is exactly the sum of at least ``least`` amounts above."""
        amount = _amount(value, self.dot_groups, self.currency)
        if amount is None:
            return False
        for cells in kept[self.done :]:
            part = _amount(cells[self.column], self.dot_groups, self.currency)
            if part is not None:
                self.total += part
                self.count += 1
        self.done = len(kept)
        return self.count >= least and amount == self.total

    @classmethod
    def below(
        cls,
        column: int,
        kept: Sequence[Sequence[RawCell]],
        dot_groups: bool = False,
        currency: str = "NOK",
    ) -> _SumAbove:
        """The sum of the rows kept from now on: a block's, under a blank or a totals row."""
        block = cls(column, dot_groups, currency)
        block.done = len(kept)
        return block


def row_spans(rows: Sequence[int]) -> list[tuple[int, int]]:
    """[3, 4, 5, 9] -> [(3, 5), (9, 9)]: the runs of consecutive rows in ascending ``rows``."""
    out: list[tuple[int, int]] = []
    start = prev = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == prev + 1:
            prev = row
            continue
        out.append((start, prev))
        if row is not None:
            start = prev = row
    return out


def span_text(span: tuple[int, int]) -> str:
    """(3, 5) -> '3–5'; (9, 9) -> '9'."""
    start, end = span
    return str(start) if start == end else f"{start}–{end}"


def _ranges(rows: Sequence[int]) -> list[str]:
    """[3, 4, 5, 9] -> ['3–5', '9']: row lists stay short in messages."""
    return list(map(span_text, row_spans(rows)))


def _blank(cells: Sequence[RawCell], width: int, formulas: Mapping[int, int], index: int) -> bool:
    """No value in the row: every cell empty, or only formulas that were never calculated.

    A row whose only cells are formulas without a value is a template's pre-filled formulas
    (=D5*0.2 down to row 500), not an application.
    """
    return cells.count(None) + formulas.get(index, 0) == width


_NO_DIGITS = re.compile(r"\D+")


def _notes_below(kept: Sequence[Sequence[RawCell]], requested: int, *, words: int = 2) -> int:
    """How many of the last rows ``kept`` are notes: no amount requested, and text of more than
    one word in one cell only (``words=1``: one word is enough). A row above them must be kept."""
    count = 0
    for cells in reversed(kept):
        if not is_empty(cells[requested]):
            break
        filled = [c for c in cells if not is_empty(c)]
        if len(filled) != 1 or not isinstance(filled[0], str):
            break
        if words > 1 and " " not in filled[0].strip():
            break  # a word alone ("S-05") may be an application typed in halfway
        count += 1
    return count if count < len(kept) or words == 1 else 0


def _headings(
    numbers: Sequence[int],
    kept: Sequence[Sequence[RawCell]],
    requested: int,
    id_column: int | None,
) -> list[int]:
    """The rows that head a block of applications: text without digits in one cell only, no
    amount requested, at the top of a block (under the header, a blank row or a totals row) and
    right above an application with an amount. An application typed in halfway has an id with
    digits in it, or sits among the others; in a sheet whose ids have no digits ("A", "B"), a
    word alone in the id column is an id."""
    out: list[int] = []
    width = len(kept[0]) if kept else 0
    ids_have_digits: bool | None = None
    for k, cells in enumerate(kept):
        amount = cells[requested]
        if amount is not None and (amount.__class__ is not str or amount.strip()):
            continue  # the cheap test first: nearly every row has an amount
        if cells.count(None) != width - 1:
            continue
        text = next(c for c in cells if c is not None)
        if not isinstance(text, str) or not text.strip() or any(ch.isdigit() for ch in text):
            continue
        if id_column is not None and cells[id_column] is text:
            if ids_have_digits is None:
                ids_have_digits = any(
                    any(ch.isdigit() for ch in cell_text(other[id_column])) for other in kept
                )
            if not ids_have_digits:
                continue
        row = numbers[k]
        if k > 0 and numbers[k - 1] == row - 1:
            continue  # among the rows above it, not at the top of a block
        if k + 1 < len(kept) and numbers[k + 1] == row + 1 and not is_empty(kept[k + 1][requested]):
            out.append(row)
    return out


def _may_repeat_header(amount: RawCell, header_amount: str) -> bool:
    """The cheap test, once per row: the amount requested cell holds its header, or text
    without a digit that may be another name of it (``Requested amount`` under ``Omsøkt
    beløp``); :func:`_repeats_header` decides."""
    if amount == header_amount:
        return True
    return isinstance(amount, str) and _NO_DIGITS.fullmatch(amount) is not None


def _repeats_header(cells: Sequence[RawCell], match: HeaderMatch) -> bool:
    """Every column that maps a field holds its header again: the same text, or another name
    of the same field (a bilingual sheet's English header row under the Norwegian one)."""
    for i, name in match.mapped_by.items():
        text = cell_text(cells[i])
        if normalize_header(text) != normalize_header(match.headers[i]) and (
            match_field(text, currency=match.currency) != name
        ):
            return False
    return True


def _other_header(cells: Sequence[RawCell], requested: int, *, titled: bool) -> list[str] | None:
    """The header of another table typed under the applications (last year's list, a table of
    votes): a row of text without digits in which two or more cells name a tilskudd field
    (``Nr.``, ``Tittel``), though not as this table's header does (:func:`_repeats_header`
    said so), and whose cell in the column of the amount requested names no amount requested
    (``Beløp``, ``Stemmer``): a row that does (``Søknadsnr | Rygge | Søkt beløp``) is an
    application written over its header's words. ``titled``: a title in one cell stands just
    above it (``VOTES``), and two cells of text make a header whatever their names. Its
    texts, or None."""
    amount = cells[requested]
    if isinstance(amount, str) and match_field(amount) == REQUIRED:
        return None
    texts: list[str] = []
    named = 0
    for cell in cells:
        if is_empty(cell):
            continue
        if not isinstance(cell, str) or _NO_DIGITS.fullmatch(cell.strip()) is None:
            return None
        texts.append(cell.strip())
        if match_field(cell) is not None:
            named += 1
    return texts if len(texts) >= 2 and (titled or named >= 2) else None


def currency_line(
    grid: Grid, match: HeaderMatch, delimiter: str | None = None
) -> CurrencyLine | None:
    """The first line above the header that gives a currency (pabulib's ``currency;EUR``, a
    title block's ``Valuta | SEK``), or None: a file's own description of its amounts.

    ``delimiter``: a text file's, which joins the line's cells again to quote it as the file
    has it (``currency;EUR``, not ``currency: EUR``)."""
    for index in range(match.index):
        cells = [cell_text(cell) for cell in grid[index]]
        texts = [text.strip() for text in cells if text.strip()]
        quoted = texts[0] if len(texts) == 1 else f"{texts[0]}: {texts[-1]}" if texts else ""
        if len(texts) == 1 and ":" in texts[0]:
            texts = [part.strip() for part in texts[0].split(":", 1)]
        if len(texts) != 2 or normalize_header(texts[0]) not in CURRENCY_HEADERS:
            continue
        if delimiter is not None and not delimiter.isspace():  # a tab is no mark to quote
            while cells and not cells[-1].strip():
                cells.pop()
            quoted = delimiter.join(cells).strip()
        return CurrencyLine(row=index + 1, key=texts[0], value=texts[1], text=quoted)
    return None


def currency_line_issue(
    line: CurrencyLine | None, currency: str, *, file: str, sheet: str | None
) -> Issue | None:
    """A warning when a line above the header gives another currency than the round's.

    tilskudd would otherwise allocate and publish euros as kroner (or kroner as the round's
    euros) without a word: ``read.currency_above_header`` in a round of kroner,
    ``read.currency_not_round`` in a round of another currency (:func:`read_table` reads as
    for kroner; :func:`tilskudd.validation.validate` holds the line to the round's currency).
    """
    if line is None or names_currency(line.value, currency):
        return None
    params: dict[str, object] = {
        "row": line.row,
        "currencies": [line.value.upper()],
        "text": line.text,
    }
    if currency != "NOK":
        params["expected"] = currency
    return Issue(
        severity=Severity.WARNING,
        code="read.currency_above_header" if currency == "NOK" else "read.currency_not_round",
        params=params,
        location=Location(file=file, sheet=sheet, row=line.row),
    )


def build_table(
    grid: Grid,
    match: HeaderMatch,
    *,
    file: str,
    sheet: str | None,
    t: Translator,
    issues: list[Issue] | None = None,
    formula_rows: Mapping[int, int] | None = None,
    mangled: bool = True,
    delimiter: str | None = None,
) -> RawTable:
    """The :class:`RawTable` below ``match``'s header row; raises if the header is unusable.

    ``grid`` rows must all have the same length; ``formula_rows`` maps each 0-based row holding
    a :class:`FormulaWithoutValue` to how many it holds; ``delimiter``: a text file's.
    """
    _check_header(match, file, sheet, t, mangled=mangled)
    issues = [] if issues is None else issues
    stated = currency_line(grid, match, delimiter)
    currency = currency_line_issue(stated, "NOK", file=file, sheet=sheet)
    if currency is not None:
        issues.append(currency)
    formula_rows = formula_rows or {}
    width = len(grid[match.index])

    last = len(grid) - 1
    while last > match.index and _blank(grid[last], width, formula_rows, last):
        last -= 1

    identifying = [match.fields[name] for name in _IDENTIFYING if name in match.fields]
    limit = (max(identifying) if identifying else 0) + 1
    requested = match.fields[REQUIRED]  # _check_header made sure
    numbers: list[int] = []
    kept: list[list[RawCell]] = []
    blanks: list[int] = []
    notes: list[int] = []
    repeated: list[int] = []
    header_amount = match.headers[requested]
    below_totals = False
    pending: list[tuple[int, list[RawCell]]] = []  # under the totals row, no amount: notes?
    lower_row = -1  # the lower row of a two-row header again, skipped with the upper one
    # In a semicolon-separated file the decimal mark is the comma: "250.000" is 250 000 (but
    # not in Swiss francs, whose Excel writes a decimal point there).
    dot_groups = groups_by_dots(delimiter, match.currency)
    above = _SumAbove(requested, dot_groups, match.currency)
    # The block the row is in: the rows since the last blank row or totals row, for a subtotal
    # under each block ("Sum teater" = the sum of the teater applications above it).
    block = above
    id_column = match.fields.get("id")
    orgnr_column = match.fields.get("orgnr")
    other: tuple[int, list[str]] | None = None  # another table's header: (index, its texts)
    # The loop runs once per row of a possibly 100k-row sheet: cheap tests first, no calls.
    for index in range(match.index + 1, last + 1):
        cells = grid[index]
        value = cells[0]
        if index in formula_rows and _blank(cells, width, formula_rows, index):
            blanks.append(index + 1)
            block = _SumAbove.below(requested, kept, dot_groups, match.currency)
            continue
        if value is None:
            if cells.count(None) == width:
                blanks.append(index + 1)
                block = _SumAbove.below(requested, kept, dot_groups, match.currency)
                continue
            # The totals label is the first cell up to the last identifying column.
            value = next((c for c in cells[1:limit] if c is not None), None)
        if index == lower_row:
            continue
        if _may_repeat_header(cells[requested], header_amount):
            if _repeats_header(cells, match):
                # The header again: two exports pasted one under the other, a printout's header
                # repeated on each page, or a bilingual sheet's second header row.
                repeated.append(index + 1)
                continue
            if index < last:
                # A two-row header again: this row and the one below it, read as one.
                lower = filled_from_above(grid[index + 1], cells)
                if lower is not None and _repeats_header(lower, match):
                    repeated.extend((index + 1, index + 2))
                    lower_row = index + 1
                    continue
            # A title in one cell just above it ("VOTES"): any row of text starts a table.
            titled = bool(numbers) and numbers[-1] == index
            titled = titled and _notes_below(kept[-1:], requested, words=1) == 1
            if numbers and (texts := _other_header(cells, requested, titled=titled)) is not None:
                # Another table's header: what follows is that table's, not applications.
                other = (index, texts)
                break
        if below_totals:
            # Under the totals row, a row without an amount requested is a note ("Merknad:
            # beløp i hele kroner", "Saksbehandler: ..."), not an application missing one.
            amount = cells[requested]
            if amount is None or (amount.__class__ is str and not amount.strip()):
                if sum(1 for c in cells if not is_empty(c)) > 1:
                    # More than a line of text: a note only if no application follows it. Under
                    # a totals row put at the top, it is an application missing its amount.
                    pending.append((index + 1, cells))
                else:
                    notes.append(index + 1)
                continue
        if value.__class__ is str and (value[:1] in _TOTAL_INITIALS or value[:1].isspace()):
            label = _totals_label(value)
            if label is not None:
                below_totals = True
                block = _SumAbove.below(requested, kept, dot_groups, match.currency)
                issues.append(
                    Issue(
                        severity=Severity.WARNING,
                        code="read.totals_row_skipped",
                        params={"row": index + 1, "text": label},
                        location=Location(file=file, sheet=sheet, row=index + 1),
                    )
                )
                continue
        label = None
        if (
            value.__class__ is str
            and value[:1] in _SUBTOTAL_INITIALS
            and value.casefold().startswith(_SUBTOTAL_STARTS)  # cheap: not an id "S-0001"
        ):
            label = _subtotal_label(value)
        if label is not None and _no_id(cells, id_column, orgnr_column, value):
            # "Sum teater", "Totalt søkt": a totals row only if its amount is the sum of at
            # least two rows above it, else an applicant's name may start so ("Total Norge
            # AS" asking for what the row above asks for). A subtotal of one row is left to
            # validation, which refuses a row named like a total that says nobody's it is.
            whole = above.is_sum(cells[requested], kept)
            if whole or block.is_sum(cells[requested], kept):
                below_totals = below_totals or whole
                issues.append(
                    Issue(
                        severity=Severity.WARNING,
                        code="read.subtotal_row_skipped",
                        params={
                            "row": index + 1,
                            "text": label,
                            "amount": cell_text(cells[requested]),
                            "count": above.count if whole else block.count,
                        },
                        location=Location(file=file, sheet=sheet, row=index + 1),
                    )
                )
                block = _SumAbove.below(requested, kept, dot_groups, match.currency)
                continue
        # A totals row without a label (=SUM(...) under the amounts): no id, applicant or
        # project, and the amount requested is exactly the sum of the rows above it, or of the
        # rows of its block (a subtotal under each group of rows, blank rows between them).
        for column in identifying:
            cell = cells[column]
            if cell is not None and not (cell.__class__ is str and not cell.strip()):
                break
        else:
            whole = len(kept) >= 2 and above.is_sum(cells[requested], kept)
            if whole or (block is not above and block.is_sum(cells[requested], kept)):
                below_totals = below_totals or whole
                issues.append(
                    Issue(
                        severity=Severity.WARNING,
                        code="read.totals_row_unlabelled_skipped",
                        params={
                            "row": index + 1,
                            "text": cell_text(cells[requested]),
                            "count": above.count if whole else block.count,
                        },
                        location=Location(file=file, sheet=sheet, row=index + 1),
                    )
                )
                block = _SumAbove.below(requested, kept, dot_groups, match.currency)
                continue
        if pending:
            numbers.extend(number for number, _ in pending)
            kept.extend(row for _, row in pending)
            pending.clear()
        numbers.append(index + 1)
        kept.append(cells)
    if pending:
        notes = sorted([*notes, *(number for number, _ in pending)])
    other_rows: list[int] = []
    if other is not None:
        first = other[0] + 1
        if numbers and numbers[-1] == first - 1 and _notes_below(kept[-1:], requested, words=1):
            # Its title on the row above it ("Avslått i fjor"), a word or more in one cell.
            first -= 1
            del numbers[-1], kept[-1]
        other_rows = list(range(first, last + 2))
        # Blank rows between the two tables are no gap among the applications.
        blanks = [n for n in blanks if numbers and n < numbers[-1]]
    below = _notes_below(kept, requested)
    notes_after: list[int] = []
    if below:
        # Notes typed under the table without a totals row ("Merknad: ...", "Kilde: ..."):
        # else each was an application without an amount, rejected under the note's text.
        notes_after = numbers[len(numbers) - below :]
        del numbers[len(numbers) - below :], kept[len(kept) - below :]
        blanks = [n for n in blanks if n < numbers[-1] or n > notes_after[-1]]
    headings = _headings(numbers, kept, requested, id_column)
    if headings:
        # "Musikk" over the music applications, "Teater" over the theatre ones: else each was
        # an application without an amount, rejected under the heading's name.
        skip = set(headings)
        kept = [cells for n, cells in zip(numbers, kept, strict=True) if n not in skip]
        numbers = [n for n in numbers if n not in skip]
    _check_scale_notes(
        grid, match, [*notes, *notes_after, *headings], numbers, kept, file, sheet, t
    )
    rows = DataRows(numbers, kept)

    if other is not None:
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code="read.other_table_skipped",
                params={
                    "rows": span_text((other_rows[0], other_rows[-1])),
                    "header_row": other[0] + 1,
                    "headers": other[1],
                },
                location=Location(file=file, sheet=sheet, row=other[0] + 1),
            )
        )
    # One warning per kind of row skipped, naming the rows (as ranges) and pointing at the first.
    for code, skipped in (
        ("read.blank_rows_skipped", blanks),
        ("read.header_repeated_skipped", repeated),
        ("read.notes_below_totals_skipped", notes),
        ("read.notes_below_table_skipped", notes_after),
        ("read.heading_rows_skipped", headings),
    ):
        if skipped:
            issues.append(
                Issue(
                    severity=Severity.WARNING,
                    code=code,
                    params={"count": len(skipped), "rows": _ranges(skipped)},
                    location=Location(file=file, sheet=sheet, row=skipped[0]),
                )
            )

    return RawTable(
        file=file,
        sheet=sheet,
        header_row=match.index + 1,
        headers=match.headers,
        fields=dict(match.fields),
        extra=_extra_columns(match, rows),
        rows=rows,
        issues=issues,
        currency_line=stated,
        delimiter=delimiter,
    )


def _extra_columns(
    match: HeaderMatch, rows: Sequence[tuple[int, Sequence[RawCell]]]
) -> dict[str, int]:
    """Unknown columns by header text; a headerless column only if it holds data (named by letter).

    Two columns with the same header are told apart by their letter: ``Merknad (K)``.
    """
    mapped = set(match.fields.values())
    extra: dict[str, int] = {}
    for i, text in enumerate(match.headers):
        if i in mapped or i in match.mapped_by:
            continue
        if not text:
            if not any(cells[i] is not None for _, cells in rows):
                continue
            text = column_letter(i)
        name = text if text not in extra else f"{text} ({column_letter(i)})"
        extra[name] = i
    return extra
