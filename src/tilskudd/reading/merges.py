"""Cells merged down over rows of applications, read as the sheet shows them.

Excel shows a merged cell's value beside every row it covers, but the file holds it in the
top-left cell only. A value merged down one column of text (municipalities, county, category,
applicant, project, justification, a column carried through) is read on every row of the
merge, as the officer sees it, and said once in a warning naming the ranges. So is a value
merged down several such columns at once (a municipality and its county merged as one block
over three rows): it is read in the block's first column, where the file holds it, on every
row, and the block's other columns read as empty on every row, as they do on its top row
(its own warning says so). A value merged
down over an amount, a score, a rank, an id, an organisation number or a decision is one value,
not one for each application: an error on each application under it, naming the range. Rows
below the top that are otherwise empty are no applications (they were dropped as blank), so a
merge over only such rows says nothing here.

Other merges (across columns only, a header cell merged down, a block whose first column is
not read) are left to the reader's warning.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from typing import Any

from tilskudd.models import Issue, Location, Severity
from tilskudd.reading.table import RawTable, column_letter, is_empty

Merge = tuple[tuple[int, int], tuple[int, int]]
"""A merged range as calamine gives it: 0-based (top, left), (bottom, right)."""


def as_corners(merges: Sequence[Merge]) -> list[Merge]:
    """``merges`` each with its top-left corner first: a range written the other way round
    (``B2:A3``, as a program may write it, and Excel reads as ``A2:B3``) comes from calamine
    as written, and was read as a block of no columns."""
    return [((min(a, c), min(b, d)), (max(a, c), max(b, d))) for (a, b), (c, d) in merges]


SHARED: frozenset[str] = frozenset(
    {"id", "orgnr", "requested", "total_cost", "score", "rank", "decision", "decision_amount"}
)
"""Fields whose value belongs to one application: merged down over several, an error."""

_SHOWN = 10  # merged ranges named in the warning; the rest are counted


def _ref(left: int, right: int, top: int, bottom: int) -> str:
    """0-based columns and 1-based rows as a range: ``C2:C4``, ``C2:D4``."""
    return f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"


def read_merges_down(
    merges: Sequence[Merge],
    table: RawTable,
    mapped_by: Mapping[int, str],
    extra: Container[int],
) -> tuple[list[Merge], list[Issue]]:
    """Fill the values merged down columns of text into ``table``'s rows, and put an error on
    each application under a value merged down a column of one application's own.

    ``mapped_by``: 0-based column -> field; ``extra``: the columns carried through. Returns the
    merges this did not handle (for the reader's warning) and the warnings about those filled
    (those down one column, and those across several columns, each said their own way). Costs
    nothing for a sheet without merges.
    """
    if not merges:
        return [], []
    header_row = table.header_row
    numbers = table.rows
    index: dict[int, int] = {}
    filled: list[tuple[int, int, int, int]] = []  # left, right, top, bottom (1-based rows)
    across: list[tuple[int, int, int, int]] = []  # the same, over several columns
    rest: list[Merge] = []
    for merge in sorted(merges):
        (top0, left), (bottom0, right) = merge
        top, bottom = top0 + 1, bottom0 + 1
        if bottom == top or top <= header_row:
            rest.append(merge)
            continue
        if not index:
            index = {number: i for i, (number, _) in enumerate(numbers)}
        below = [row for row in range(top + 1, bottom + 1) if row in index]
        if not below and left == right and top in index:
            continue  # over rows otherwise empty: the value is read where it is, nothing to say
        if not below or top not in index:
            rest.append(merge)  # the reader's warning says it, or nothing if nothing is read
            continue
        fields = [mapped_by.get(column) for column in range(left, right + 1)]
        shared = [f for f in fields if f is not None and f in SHARED]
        if shared:
            _shared_error(table, shared[0], left, right, top, bottom, [top, *below])
        elif fields[0] is not None or left in extra:
            # Read as the top row reads: the value in the first column, where the file holds
            # it, and the block's other columns empty (a covered cell holds nothing).
            _, cells = numbers[index[top]]
            value = cells[left] if left < len(cells) else None
            if not is_empty(value):
                for row in below:
                    _set(numbers[index[row]][1], left, value)
            (filled if left == right else across).append((left, right, top, bottom))
        else:
            rest.append(merge)
    issues = [
        _filled_warning(table, ranges, code)
        for ranges, code in (
            (filled, "read.merged_down_filled"),
            (across, "read.merged_down_across"),
        )
        if ranges
    ]
    return rest, issues


def _filled_warning(table: RawTable, ranges: list[tuple[int, int, int, int]], code: str) -> Issue:
    """One warning naming the merged ranges read on every row (the first ten, and how many
    more), at the first one's top-left cell."""
    shown = [_ref(*merge) for merge in ranges[:_SHOWN]]
    more = len(ranges) - len(shown)
    left, _, top, _ = ranges[0]
    return Issue(
        severity=Severity.WARNING,
        code=f"{code}_more" if more else code,
        params={"count": len(ranges), "ranges": shown, "more": more},
        location=Location(file=table.file, sheet=table.sheet, row=top, column=column_letter(left)),
    )


def _set(cells: Any, column: int, value: Any) -> None:
    """Put ``value`` in ``cells`` (a row of the grid: a list) at ``column``."""
    if column >= len(cells):
        cells.extend([None] * (column + 1 - len(cells)))
    cells[column] = value


def _shared_error(
    table: RawTable,
    field: str,
    left: int,
    right: int,
    top: int,
    bottom: int,
    rows: list[int],
) -> None:
    """An error on each application in ``rows`` under the merged range, kept as its row's error
    (a row's first error found by the reader stays: :func:`~tilskudd.validation.validate` puts
    it on the row, rejecting it)."""
    column = column_letter(left)
    name = f"{column}{top}:{column_letter(right)}{bottom}"
    column_index = table.fields.get(field, left)
    header = table.headers[column_index] if column_index < len(table.headers) else None
    for row in rows:
        table.row_errors.setdefault(
            row,
            Issue(
                severity=Severity.ERROR,
                code="read.merged_down_shared",
                params={"range": name, "count": len(rows), "fields": [field]},
                location=Location(
                    file=table.file,
                    sheet=table.sheet,
                    row=row,
                    column=column_letter(column_index),
                    header=header or None,
                ),
                field=field,
            ),
        )
