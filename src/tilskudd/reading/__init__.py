"""Reading application spreadsheets: any supported file in, one :class:`RawTable` out.

:func:`read_table` finds out what a file really is (:mod:`~tilskudd.reading.sniff`), reads it
with the reader for that format (:mod:`~tilskudd.reading.xlsx` for workbooks,
:mod:`~tilskudd.reading.csv` for delimited text), finds the header row and maps its columns to
fields (:mod:`~tilskudd.reading.columns`), and keeps the data rows (:mod:`~tilskudd.reading.sheet`).
A file that cannot be read as applications raises one :class:`~tilskudd.errors.InputFileError`
naming the file, the sheet and what was expected; problems worth a warning, and errors that
concern one row only (a CSV row whose cells do not match the header), are returned as
:class:`~tilskudd.models.Issue` in the table.

Example::

    table = read_table("søknader.xlsx", sheet="Søknader", columns=load_column_map("map.toml"))
    table.fields["requested"]  # 0-based column of the amount applied for
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

from tilskudd.currency import NOK
from tilskudd.errors import InputFileError, UsageError
from tilskudd.i18n import Translator, get
from tilskudd.models import Issue, Location, Severity
from tilskudd.reading.columns import (
    EXTRA,
    FIELDS,
    find_header,
    header_forms,
    normalize_column_map,
    normalize_header,
)
from tilskudd.reading.sheet import build_table, header_problem
from tilskudd.reading.sniff import Sniffed, sniff
from tilskudd.reading.table import FormulaWithoutValue, RawCell, RawTable, column_letter
from tilskudd.textfile import NotAFileError, read_text

__all__ = [
    "FormulaWithoutValue",
    "RawCell",
    "RawTable",
    "column_letter",
    "load_column_map",
    "read_table",
    "sha256_of",
]


def read_table(
    path: Path | str,
    *,
    sheet: str | int | None = None,
    columns: Mapping[str, str] | None = None,
    display_name: str | None = None,
    lang: str = "en",
    meanwhile: Callable[[], object] | None = None,
    currency: str = NOK,
) -> RawTable:
    """Read the applications sheet of ``path`` (xlsx, xlsm, xlsb, xls, ods, csv, tsv).

    ``sheet`` is a sheet name or a 1-based number (default: the first visible sheet with a
    recognisable header row); ``columns`` maps header text in the file to a field (or ``"extra"``),
    ahead of the built-in aliases; ``display_name`` is how the file is named in messages (default:
    the path as given); ``lang`` is the language of error messages. ``meanwhile`` is called
    once while a workbook's sheet is parsed, which takes most of the reading and leaves the
    other core free (calamine lets go of the GIL): for the caller's own work, done beside it
    (the command line imports the modules it needs next). Its errors are raised as they are.
    It is not called for a CSV file. ``currency``: the round's ISO 4217 code, which an amount's
    header may name (``Søkt beløp (EUR)`` in a round of euros); a header naming another is an
    error that says ``--currency``.
    """
    path = Path(path)
    file = display_name or str(path)
    t = get(lang)
    column_map = normalize_column_map(columns) if columns else None
    sniffed = sniff(path, file, t)
    issues: list[Issue] = []
    if sniffed.mismatch:
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code="read.format_mismatch",
                params={
                    "file": file,
                    "extension": path.suffix.lstrip(".").lower(),
                    "actual": t(f"read.error.format.{sniffed.format}"),
                },
                location=Location(file=file),
            )
        )
    lock = _lock_file(path)
    if lock is not None:
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code="read.open_elsewhere",
                params={"lock": lock.name},
                location=Location(file=file),
            )
        )
    if sniffed.format == "csv":
        table = _read_text(
            path,
            sniffed,
            file=file,
            sheet=sheet,
            column_map=column_map,
            t=t,
            issues=issues,
            currency=currency,
        )
    else:
        from tilskudd.reading.xlsx import read_workbook

        table = read_workbook(
            path,
            sniffed,
            file=file,
            sheet=sheet,
            column_map=column_map,
            t=t,
            issues=issues,
            meanwhile=meanwhile,
            currency=currency,
        )
    if columns:
        _warn_unused(columns, table, currency)
    return table


def _lock_file(path: Path) -> Path | None:
    """The lock file Excel (``~$søknader.xlsx``) or LibreOffice (``.~lock.søknader.xlsx#``)
    keeps beside a file while it is open, if there is one: what is read is then the last saved
    version, without the changes the officer sees on the screen."""
    for name in (f"~${path.name}", f".~lock.{path.name}#"):
        lock = path.with_name(name)
        try:
            if lock.is_file():
                return lock
        except OSError:
            continue
    return None


def _warn_unused(columns: Mapping[str, str], table: RawTable, currency: str = NOK) -> None:
    """A map entry that names no header is most likely a typo: say so rather than ignore it."""
    present = {form for text in table.headers if text for form in header_forms(text, currency)}
    for header in columns:
        if normalize_header(header) not in present:
            table.issues.append(
                Issue(
                    severity=Severity.WARNING,
                    code="read.column_map_unused",
                    params={"header": header},
                    location=Location(file=table.file, sheet=table.sheet, row=table.header_row),
                )
            )


def _read_text(
    path: Path,
    sniffed: Sniffed,
    *,
    file: str,
    sheet: str | int | None,
    column_map: Mapping[str, str] | None,
    t: Translator,
    issues: list[Issue],
    currency: str = NOK,
) -> RawTable:
    from tilskudd.reading.csv import read_csv, row_problems

    if sheet is not None:
        issues.append(
            Issue(
                severity=Severity.WARNING,
                code="read.sheet_ignored",
                params={"sheet": str(sheet)},
                location=Location(file=file),
            )
        )
    records = read_csv(path, file=file, t=t, issues=issues, sniffed_encoding=sniffed.encoding)
    grid = records.rows
    # Headers garbled by tilskudd's own reading as Windows-1252 are said below, not as a
    # workbook's garbled text.
    mangled = not any(issue.code == "read.encoding_cp1252" for issue in issues)
    try:
        match = find_header(grid, column_map, currency=currency)
        if match is None:
            if sniffed.mismatch:
                # A workbook name on a text file that is not a table either: say what it is.
                raise InputFileError(
                    t("read.error.text_not_table", file=file, extension=path.suffix.lstrip("."))
                )
            raise header_problem(grid, file, None, t, mangled=mangled)
        problems, short = row_problems(records, match.index, file=file, headers=match.headers)
        table = build_table(
            grid,
            match,
            file=file,
            sheet=None,
            t=t,
            issues=issues,
            mangled=mangled,
            delimiter=records.delimiter,
        )
    except InputFileError as error:
        # The warning that the file was read as Windows-1252 would be lost with the table; a
        # UTF-8 file with one stray byte reads "SÃ¸ker" and no header matches: say so here.
        if any(issue.code == "read.encoding_cp1252" for issue in issues):
            raise InputFileError(f"{error} {t('read.error.read_as_cp1252')}") from None
        raise
    if problems or short:
        # Only the rows kept as applications: a totals row is skipped whatever its fields.
        kept = {number for number, _ in table.rows}
        table.row_errors = {row: issue for row, issue in problems.items() if row in kept}
        table.issues.extend(issue for row, issue in short.items() if row in kept)
    return table


def load_column_map(path: Path | str, *, lang: str = "en") -> dict[str, str]:
    """Read a ``--columns`` TOML file: header text in the file -> tilskudd field.

    The file has a ``[columns]`` table (``"sokt_belop" = "requested"``); every target must be a
    known field or ``"extra"`` (carry the column through unchanged). Raises
    :class:`~tilskudd.errors.UsageError` naming the file and the entry otherwise.
    """
    path = Path(path)
    file = str(path)
    t = get(lang)
    try:
        data = tomllib.loads(read_text(path))
    except FileNotFoundError:
        raise UsageError(t("read.error.map_not_found", file=file)) from None
    except IsADirectoryError:
        raise UsageError(t("read.error.map_is_folder", file=file)) from None
    except UnicodeDecodeError:
        raise UsageError(t("read.error.map_not_text", file=file)) from None
    except NotAFileError as exc:
        kind = t(f"read.error.kind.{exc.kind}")
        raise UsageError(t("read.error.settings_not_a_file", file=file, kind=kind)) from None
    except OSError as exc:
        raise UsageError(t("read.error.unreadable", file=file, reason=str(exc))) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(t("read.error.map_invalid", file=file, reason=str(exc))) from None
    table = data.get("columns")
    if not isinstance(table, dict) or not table:
        raise UsageError(t("read.error.map_no_columns", file=file))
    targets = [*FIELDS, EXTRA]
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header, target in table.items():
        if not isinstance(target, str) or target.strip() not in targets:
            raise UsageError(
                t(
                    "read.error.map_bad_target",
                    file=file,
                    header=header,
                    target=str(target),
                    fields=t.join(targets),
                )
            )
        key = normalize_header(header)
        if key in seen and out[seen[key]] != target.strip():
            raise UsageError(t("read.error.map_clash", file=file, first=seen[key], second=header))
        seen.setdefault(key, header)
        out[header] = target.strip()
    return out


def sha256_of(path: Path | str) -> str:
    """The SHA-256 of a file's bytes as hex, read in pieces (recorded in every output)."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
