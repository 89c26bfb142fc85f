"""CSV and other delimited text: encoding and delimiter found, every cell a string (empty: None).

Encoding: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), else Windows-1252
(Excel's plain "CSV" on a Western European Windows), said in a warning because æ, ø and å come out
wrong if the guess is; anything else is an error. UTF-16 files are turned away earlier
(:mod:`tilskudd.reading.sniff`).

Delimiter: ``,``, ``;`` (Excel's choice where the decimal mark is a comma, as in Norway) or tab,
whichever splits the first records into the same number of fields most consistently.
:class:`csv.Sniffer` is not used: it guesses wrong on Norwegian files, where a comma is a decimal
mark inside unquoted amounts (``3300000,00``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from tilskudd.errors import InputFileError
from tilskudd.i18n import Translator
from tilskudd.models import Issue, Location, Severity
from tilskudd.reading.table import RawCell

__all__ = ["decode", "detect_delimiter", "read_csv"]

DELIMITERS = (",", ";", "\t")
_SAMPLE_CHARS = 64 * 1024
_BOM = b"\xef\xbb\xbf"


def decode(data: bytes, file: str, t: Translator) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes: UTF-8 (BOM or not) else Windows-1252."""
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    try:
        return body.decode("utf-8"), "utf-8-sig" if body is not data else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return body.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        byte = f"0x{body[exc.start]:02X}"
        raise InputFileError(
            t("read.error.encoding_unknown", file=file, byte=byte, position=exc.start)
        ) from None


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


def read_csv(path: Path, *, file: str, t: Translator, issues: list[Issue]) -> list[list[RawCell]]:
    """The file's records as rows of equal length (row 0 is record 1), empty cells None."""
    data = path.read_bytes()
    text, encoding = decode(data, file, t)
    if encoding == "cp1252":
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code="read.encoding_cp1252",
                params={"file": file},
                location=Location(file=file),
            )
        )
    delimiter = detect_delimiter(text, prefer="\t" if path.suffix.lower() == ".tsv" else None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[RawCell]] = []
    try:
        for record in reader:
            rows.append([cell or None for cell in record])
    except csv.Error as exc:
        raise InputFileError(
            t("read.error.csv_malformed", file=file, line=reader.line_num, reason=str(exc))
        ) from None
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows
