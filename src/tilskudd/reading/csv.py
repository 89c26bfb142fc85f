"""CSV and other delimited text: encoding and delimiter found, every cell a string (empty: None).

Encoding: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"); UTF-16 (Excel's
"Unicode text (*.txt)", tab-separated, with a byte-order mark; found by
:mod:`tilskudd.reading.sniff`, as is UTF-32); else Windows-1252 (Excel's plain "CSV" on a
Western European Windows) or Mac Roman (Excel for Mac's "CSV (Macintosh)", whose line ends are
a lone CR), said in a warning because æ, ø and å come out wrong if the guess is; Mac Roman only
where it reads Norwegian letters that Windows-1252 does not. Anything else is an error.

Delimiter: ``,``, ``;`` (Excel's choice where the decimal mark is a comma, as in Norway) or tab,
whichever splits the first records into the same number of fields most consistently.
:class:`csv.Sniffer` is not used: it guesses wrong on Norwegian files, where a comma is a decimal
mark inside unquoted amounts (``3300000,00``).

Rows whose cells would land in the wrong columns are errors on that row, all of them in one
pass (:func:`row_problems`): more fields than the header (that unquoted ``3300000,00`` in a
comma-separated file is two fields, and so is ``Ny skole, fase 2`` in a title; where the split is
plain, ``read.csv_cell_split`` names the cell as it was meant) or a quotation mark out of place
(``read.csv_quote_stray`` quotes the line either side of the mark; ``read.csv_quote_runs_on``
when the cell it opens runs on over the next lines, whose applications are then in it, and
``read.csv_quote_unclosed`` when it runs to the end of the file: these two name the cell's
column and quote the line either side of the mark that opens it, with its line and character;
a cell that runs on beyond what the csv module takes in one field, 131 072 characters, is
said the same way, not as a file that cannot be read).
Validation rejects such a row, with that error alone (what its shifted cells hold says nothing
of its own), and checks the rest. A row with fewer fields than the header in a
file whose other rows have them all (``read.csv_too_few_fields``) is a warning: a separator left
out shifts its cells, but a row whose last cells are empty is read right.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from tilskudd.errors import InputFileError
from tilskudd.i18n import Translator
from tilskudd.models import Issue, Location, ParamValue, Severity
from tilskudd.reading.table import RawCell, column_letter

__all__ = ["CsvRecords", "QuoteMark", "decode", "detect_delimiter", "read_csv", "row_problems"]

DELIMITERS = (",", ";", "\t")
_SAMPLE_CHARS = 64 * 1024
_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, file: str, t: Translator, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes: UTF-8 (BOM or not), else Windows-1252 or,
    for text only it reads as Norwegian, Mac Roman.

    ``encoding`` is the codec :func:`~tilskudd.reading.sniff.sniff` found for UTF-16 or UTF-32
    text (Excel's "Unicode text"); text that does not decode in it is an error naming the file.
    """
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            shown = encoding.split("-le")[0].split("-be")[0].upper()
            raise InputFileError(t("read.error.encoding", file=file, encoding=shown)) from None
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if body is not data else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError as exc:
        mac = _mac_roman(body, None)
        if mac is not None:
            return mac, "mac_roman"
        byte = f"0x{body[exc.start]:02X}"
        raise InputFileError(
            t("read.error.encoding_unknown", file=file, byte=byte, position=exc.start)
        ) from None
    mac = _mac_roman(body, text)
    if mac is not None:
        return mac, "mac_roman"
    return text, "cp1252"


# Letters a Norwegian file is full of, which tell Mac Roman (Excel for Mac's "CSV (Macintosh)",
# where ø is 0xBF) from Windows-1252 (where 0xBF is ¿): a Norwegian text read in the wrong one
# of the two has none of them.
_NORWEGIAN = frozenset("æøåÆØÅéÉäÄöÖüÜ")
# What else Mac Roman text may hold beyond ASCII: Latin letters and everyday punctuation.
_MAC_PLAUSIBLE = frozenset("«»–—‘’‚“”„…•°§€\xa0")


def _mac_roman(body: bytes, cp1252: str | None) -> str | None:
    """``body`` read as Mac Roman, if that reads as Norwegian better than ``cp1252`` (the same
    bytes read as Windows-1252; None where they are not Windows-1252) and has nothing else
    beyond ASCII than Latin letters and everyday punctuation; else None."""
    text = body.decode("mac_roman")
    beyond = [c for c in text if c > "\x7f"]
    mac = sum(c in _NORWEGIAN for c in beyond)
    if not mac or not all(
        c in _MAC_PLAUSIBLE or ("\xc0" <= c <= "\u024f" and c.isalpha()) for c in beyond
    ):
        return None
    if cp1252 is not None and sum(c in _NORWEGIAN for c in cp1252 if c > "\x7f") >= mac:
        return None
    return text


def detect_delimiter(text: str, prefer: str | None = None) -> str:
    """The delimiter that splits the first records into the most consistent number of fields."""
    sample = text[:_SAMPLE_CHARS]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]  # never judge by a cut-off last line
    best = prefer or DELIMITERS[0]
    best_key: tuple[float, int, int, int] = (0.0, 0, 0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(row) for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
            ]
        except csv.Error:
            continue
        split = [n for n in counts if n > 1]
        if not split:
            continue
        modal, consistent = Counter(split).most_common(1)[0]
        # The share of records split alike first: a tab or a line break inside a quoted cell
        # makes more, ragged records under the wrong delimiter ("A-1,"x<TAB><LF>y",z").
        key = (consistent / len(counts), consistent, modal, int(delimiter == prefer))
        if key > best_key:
            best, best_key = delimiter, key
    return best


@dataclass(frozen=True)
class QuoteMark:
    """The quotation mark that opens a quoted cell, as an officer finds it again: the cell's
    column, the mark's line and character, and the text either side of it on its line."""

    column: int
    """The cell's 0-based column."""
    line: int
    """The file's line the mark is on, from 1."""
    char: int
    """The mark's character on that line, from 1."""
    before: str
    """Up to :data:`_EXCERPT` characters of the line before the mark ("…" where cut)."""
    after: str
    """Up to :data:`_EXCERPT` characters of the line after the mark ("…" where cut)."""


@dataclass
class CsvRecords:
    """A CSV file's records as rows of equal length, and what the lenient reading hid."""

    rows: list[list[RawCell]]
    """Row 0 is record 1; every row padded with None to the longest record."""
    lengths: list[int]
    """How many fields each record had, trailing empty fields included."""
    bad_quotes: dict[int, tuple[str, int, int]]
    """0-based row -> (what is wrong: "stray" or "unclosed", the physical lines it took, its first
    line, from 1). A cell with a line break in it makes a record's row differ from its line."""
    line_count: int = 0
    """The file's physical lines: as many as records when no cell holds a line break."""
    delimiter: str = ","
    """The delimiter the fields were split at."""
    stray_marks: dict[int, tuple[str, str]] = field(default_factory=dict)
    """0-based row -> (the text before, the text after) a quotation mark that ends a quoted
    cell with no delimiter after it, up to :data:`_EXCERPT` characters each ("…" where cut)."""
    open_marks: dict[int, QuoteMark] = field(default_factory=dict)
    """0-based row -> where the quoted cell starts whose quotation marks went wrong: the one
    that runs on over the next lines, or is never closed."""

    first_lines: list[int] | None = field(default=None, repr=False)
    """Each record's first line, counted once by :meth:`line_of` when a cell holds a line break."""

    def line_of(self, index: int) -> int:
        """The first line (from 1) of the record at 0-based ``index``: its row, unless a cell
        above holds a line break (counted then, once for the whole file: a file whose every row
        has too many fields asks for each row's line)."""
        if self.line_count == len(self.rows):
            return index + 1
        if self.first_lines is None:
            self.first_lines = firsts = []
            line = 1
            for i, cells in enumerate(self.rows):
                firsts.append(line)
                if i in self.bad_quotes:
                    line += self.bad_quotes[i][1]
                    continue
                line += 1
                for cell in cells:
                    if isinstance(cell, str) and ("\n" in cell or "\r" in cell):
                        line += cell.count("\n") + cell.count("\r") - cell.count("\r\n")
        return self.first_lines[index]


def read_csv(
    path: Path,
    *,
    file: str,
    t: Translator,
    issues: list[Issue],
    sniffed_encoding: str | None = None,
) -> CsvRecords:
    """The file's records as rows of equal length (row 0 is record 1), empty cells None.

    A record whose quotation marks break the rules (a character after a closing quote, or a
    quote never closed) is read as a lenient reader reads it and noted in ``bad_quotes``: its
    cells may be shifted, so :func:`row_problems` makes it an error once the header is known.
    ``sniffed_encoding`` is the codec of UTF-16 or UTF-32 text (see :func:`decode`).
    """
    data = path.read_bytes()
    text, encoding = decode(data, file, t, sniffed_encoding)
    if encoding in ("cp1252", "mac_roman"):
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code=f"read.encoding_{encoding}",
                params={"file": file},
                location=Location(file=file),
            )
        )
    # Excel's "Unicode text" is tab-separated whatever its name (.txt).
    tab = path.suffix.lower() == ".tsv" or sniffed_encoding is not None
    delimiter = detect_delimiter(text, prefer="\t" if tab else None)
    # Lines as the csv module splits them (\n, \r, \r\n only: not str.splitlines, which also
    # splits at the vertical tab Excel on a Mac writes inside cells), so that a record the
    # strict reader refuses can be read again from its own lines.
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[list[RawCell]] = []
    bad_quotes: dict[int, tuple[str, int, int]] = {}
    stray_marks: dict[int, tuple[str, str]] = {}
    open_marks: dict[int, QuoteMark] = {}
    after = 0  # the line after the last refused record, and how many rows came before it
    settled = 0
    base = 0  # the lines before the reader's first: it starts again after a cell too long
    while True:
        try:
            rows.extend([cell or None for cell in record] for record in reader)
            break
        except csv.Error as exc:
            kind = _quote_problem(str(exc))
            end = base + reader.line_num
            if kind is None:
                raise InputFileError(
                    t("read.error.csv_malformed", file=file, line=end, reason=str(exc))
                ) from None
            # The strict reader stops inside the record and goes on at the next line; the
            # lenient one reads the record as it always did, for the row's other cells.
            start = _record_start(lines, after, end, len(rows) - settled, delimiter)
            if kind == "long":
                # A cell longer than the csv module takes (131 072 characters): a quotation
                # mark that opens a cell which runs on over the lines after it, to a mark that
                # ends it or to the end of the file. Said as such, and read on after it.
                kind, taken = _runaway(lines, start, delimiter)
                end = base = start + taken
                reader = csv.reader(islice(lines, end, None), delimiter=delimiter, strict=True)
            own = lines[start:end]
            try:
                record = next(csv.reader(own, delimiter=delimiter), [])
            except csv.Error:  # that cell is too long for the lenient reader too
                record = _cells_before_runaway("".join(own), delimiter)
            bad_quotes[len(rows)] = (kind, len(own), start + 1)
            own_text = "".join(own)
            stray, opened = _scan_quotes(own_text, delimiter)
            if kind == "stray":
                stray_marks[len(rows)] = stray
            open_marks[len(rows)] = _open_mark(own_text, opened, start + 1)
            rows.append([cell or None for cell in record])
            after, settled = end, len(rows)
    lengths = list(map(len, rows))
    width = max(lengths, default=0)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return CsvRecords(rows, lengths, bad_quotes, len(lines), delimiter, stray_marks, open_marks)


def _runaway(lines: list[str], start: int, delimiter: str) -> tuple[str, int]:
    """(``"unclosed"`` or ``"stray"``, how many lines it takes) for the record from line
    ``start`` (0-based) whose quoted cell is too long for the csv module: to the end of the
    file if no quotation mark closes it, else to the line where that record ends (the mark out
    of place after the closing one, or the record's line end)."""
    text = "".join(lines[start:])
    stop = _walk_quotes(text, delimiter, one_record=True)[0]
    if stop is None:
        return "unclosed", len(lines) - start
    position = 0
    for taken, line in enumerate(lines[start:], start=1):
        position += len(line)
        if position > stop:
            return "stray", taken
    return "stray", len(lines) - start


def _cells_before_runaway(text: str, delimiter: str) -> list[str]:
    """The cells of a record whose last cell is too long to read: those before the quotation
    mark that opens it, then that cell's first line."""
    opened = _scan_quotes(text, delimiter)[1][0]
    cells = next(csv.reader([text[:opened]], delimiter=delimiter), [""])
    cells[-1:] = [re.split("[\r\n]", text[opened + 1 :], maxsplit=1)[0]]
    return cells


def _record_start(lines: list[str], after: int, end: int, records: int, delimiter: str) -> int:
    """The first line of the record refused at line ``end``: the one after the ``records``
    records read from line ``after`` on (each line is read again once at most, so the common
    file pays nothing for keeping count)."""
    reader = csv.reader(lines[after:end], delimiter=delimiter, strict=True)
    for _ in range(records):
        next(reader)
    return after + reader.line_num


# Characters of a record shown either side of a quotation mark out of place: enough to find
# the place in a text editor, short enough for one line of a report.
_EXCERPT = 30


def _walk_quotes(
    text: str, delimiter: str, *, one_record: bool = False
) -> tuple[int | None, tuple[int, int]]:
    """Read ``text`` (a record's lines, and with ``one_record`` those after it) as the strict
    csv reader does: (where it stops, and the index and 0-based column of the mark that opened
    the last quoted cell before that point, or the first mark's where none was opened).

    It stops at a character other than a delimiter or a line end after a quotation mark that
    ends a quoted cell (the mark out of place is the one before it), and with ``one_record`` at
    the line end that ends the first record; else at ``len(text)``, or None where a quoted cell
    runs on to the end of ``text``. The states are the csv module's (default dialect): a
    quotation mark opens a quoted cell only as a field's first character, and two in a quoted
    cell are one."""
    start, plain, quoted, closed = range(4)
    state = start
    column = 0
    opened = (max(text.find('"'), 0), 0)
    index = 0
    while index < len(text):
        char = text[index]
        if state == quoted:
            # A cell that runs on holds the lines after it: skip to its next mark at once.
            index = text.find('"', index)
            if index < 0:
                return None, opened
            state = closed
            index += 1
            continue
        end = char == delimiter or char in "\r\n"
        if end:
            if one_record and char != delimiter:
                return index, opened
            column = column + 1 if char == delimiter else 0
        if state == start:
            if char == '"':
                state, opened = quoted, (index, column)
            elif not end:
                state = plain
        elif state == plain:
            state = start if end else plain
        elif char == '"':
            state = quoted
        elif end:
            state = start
        else:
            return index, opened
        index += 1
    return (None if state == quoted else len(text)), opened


def _scan_quotes(text: str, delimiter: str) -> tuple[tuple[str, str], tuple[int, int]]:
    """((the text before, the text after) the first quotation mark in ``text`` (a record's
    lines) that ends a quoted cell with something other than a delimiter or a line end after
    it, where the strict reader stopped, or the first mark where it did not stop in this text;
    the mark that opened the last quoted cell before it, as :func:`_walk_quotes` gives it).
    Each text is cut to :data:`_EXCERPT` characters of its line, with "…" where cut."""
    stop, opened = _walk_quotes(text, delimiter)
    if stop is not None and stop < len(text):
        return _around(text, stop - 1), opened
    return _around(text, max(text.find('"'), 0)), opened


def _open_mark(text: str, opened: tuple[int, int], first_line: int) -> QuoteMark:
    """The :class:`QuoteMark` of the mark at ``opened`` (its index in ``text``, a record's lines
    from the file's line ``first_line``, and its column)."""
    mark, column = opened
    head = text[:mark]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    breaks = head.count("\n") + head.count("\r") - head.count("\r\n")
    before, after = _around(text, mark)
    return QuoteMark(column, first_line + breaks, mark - line_start + 1, before, after)


def _around(text: str, mark: int) -> tuple[str, str]:
    """The text of ``mark``'s line before and after it, :data:`_EXCERPT` characters at most."""
    first = max(text.rfind("\n", 0, mark), text.rfind("\r", 0, mark)) + 1
    last = min(
        (i for i in (text.find("\n", mark), text.find("\r", mark)) if i >= 0), default=len(text)
    )
    before = text[max(first, mark - _EXCERPT) : mark]
    after = text[mark + 1 : min(last, mark + 1 + _EXCERPT)]
    return (
        ("…" if mark - _EXCERPT > first else "") + before,
        after + ("…" if mark + 1 + _EXCERPT < last else ""),
    )


def _quote_problem(message: str) -> str | None:
    """What the strict reader's error says about quotation marks, if that is what it is about."""
    if "expected after" in message:
        return "stray"  # "',' expected after '\"'": text after a closing quote
    if "unexpected end of data" in message:
        return "unclosed"
    if "field larger than field limit" in message:
        return "long"
    return None


def row_problems(
    records: CsvRecords, header: int, *, file: str, headers: list[str] | None = None
) -> tuple[dict[int, Issue], dict[int, Issue]]:
    """(errors, warnings) for the rows below ``header`` (0-based) whose cells cannot be matched
    to the header's columns, by 1-based row.

    An error for a row with more fields than the header (an unquoted decimal comma,
    ``1200000,00``, or a comma in a title makes two), which is cut to the header's width here so
    that its extra cells do not make a column of their own; where the cells split at a comma are
    plain (:func:`_split_cells`), the error names the cell as meant, with its column's header
    from ``headers``. A row with a quotation mark out of place gets that error instead. Empty
    fields beyond the header (spreadsheets write ``A;B;C;;;``) are normal. A warning for a row
    with fewer fields than the header where nearly every other row has them all (a spreadsheet
    writes every row to the same width): a separator may have been left out.
    """
    header_fields = records.lengths[header]
    rows = records.rows
    found: dict[int, Issue] = {}
    long = [i for i, n in enumerate(records.lengths) if n > header_fields and i > header]
    for index in long:
        cells = rows[index]
        fields = _used_length(cells)
        if fields <= header_fields:
            continue
        split = _split_cells(cells[:fields], fields - header_fields, records.delimiter)
        cells[header_fields:] = [None] * (len(cells) - header_fields)
        if index in records.bad_quotes:
            continue  # said below, as the cause
        params: dict[str, ParamValue] = {
            "fields": fields,
            "header_fields": header_fields,
            "header_row": header + 1,
            "line": records.line_of(index),
        }
        code = "read.csv_too_many_fields"
        if split is not None:
            code = "read.csv_cell_split"
            column, text = split
            params["column"] = column_letter(column)
            params["header"] = headers[column] if headers and column < len(headers) else ""
            params["text"] = text
        found[index + 1] = Issue(
            severity=Severity.ERROR,
            code=code,
            params=params,
            location=Location(file=file, row=index + 1),
        )
    for index, (kind, lines, line) in records.bad_quotes.items():
        if index > header:
            quote_params: dict[str, ParamValue] = {"lines": lines, "line": line}
            if kind == "stray" and lines == 1 and index in records.stray_marks:
                quote_params["before"], quote_params["after"] = records.stray_marks[index]
            if kind == "stray" and lines > 1:
                # A quoted cell that ran on over the next lines before a quote closed it: the
                # rows on those lines are in it, and missing from the table.
                kind = "runs_on"
                quote_params["next"], quote_params["last"] = line + 1, line + lines - 1
            mark = records.open_marks.get(index)
            if kind != "stray" and mark is not None:
                # Where the cell that took the lines after it starts, to find it by.
                quote_params.update(
                    column=column_letter(mark.column),
                    header=headers[mark.column] if headers and mark.column < len(headers) else "",
                    mark_line=mark.line,
                    mark_char=mark.char,
                    before=mark.before,
                    after=mark.after,
                )
            found[index + 1] = Issue(
                severity=Severity.ERROR,
                code=f"read.csv_quote_{kind}",
                params=quote_params,
                location=Location(file=file, row=index + 1),
            )
    return dict(sorted(found.items())), _short_rows(records, header, file)


# Rows short of fields are warned of where they are at most one in this many of the data rows
# with fields: more, and the file is written without trailing empty fields by habit (a program,
# or by hand), not by a slip in a spreadsheet's export, which writes every row alike.
_SHORT_SHARE = 5


def _short_rows(records: CsvRecords, header: int, file: str) -> dict[int, Issue]:
    """A warning for each row with fewer fields than the header, where nearly every other data
    row has them all: a spreadsheet writes each row to the same width, so a short row is most
    likely one whose separator was left out, and its cells after that point are shifted."""
    header_fields = records.lengths[header]
    lengths = records.lengths
    short = [
        i
        for i in range(header + 1, len(lengths))
        if 0 < lengths[i] < header_fields and i not in records.bad_quotes
        if _used_length(records.rows[i]) > 0
    ]
    if not short:
        return {}
    full = sum(1 for n in lengths[header + 1 :] if n >= header_fields)
    if full == 0 or len(short) * _SHORT_SHARE > full + len(short):
        return {}
    return {
        i + 1: Issue(
            severity=Severity.WARNING,
            code="read.csv_too_few_fields",
            params={
                "fields": lengths[i],
                "header_fields": header_fields,
                "header_row": header + 1,
                "line": records.line_of(i),
                "full": full,
            },
            location=Location(file=file, row=i + 1),
        )
        for i in short
    }


_DIGITS = re.compile(r"[0-9][0-9 .\xa0]*")
_DECIMALS = re.compile(r"[0-9]{2}")


def _split_cells(cells: list[RawCell], extra: int, delimiter: str) -> tuple[int, str] | None:
    """(column, text as meant) of the first cell split at an unquoted delimiter, where exactly
    ``extra`` places in the row look like one: the text after the delimiter begins with a space
    (``Ny skole, fase 2``), or else whole kroner are followed by two digits (a decimal comma,
    ``1200000,00``). The column is the header's, once the split cells are joined again; None
    where it is not plain which cells belong together."""
    prose: list[int] = []
    decimal: list[int] = []
    for j in range(1, len(cells)):
        before, after = cells[j - 1], cells[j]
        if not isinstance(before, str) or not isinstance(after, str) or not before.strip():
            continue
        if after[:1] == " " and after.strip()[:1].isalpha():
            prose.append(j)
        elif _DIGITS.fullmatch(before.strip()) and _DECIMALS.fullmatch(after):
            decimal.append(j)
    places = prose if len(prose) == extra else decimal
    if len(places) != extra:
        return None
    first = places[0]
    end = first + 1
    while end in places:
        end += 1  # "a, b, c": one cell split twice
    return first - 1, delimiter.join(str(c) for c in cells[first - 1 : end])


def _used_length(cells: list[RawCell]) -> int:
    """The number of fields up to the last one with something in it (blanks count as empty)."""
    for index in range(len(cells) - 1, -1, -1):
        cell = cells[index]
        if cell is not None and not (isinstance(cell, str) and not cell.strip()):
            return index + 1
    return 0
