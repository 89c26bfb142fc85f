"""Markdown export (``.md``): the award table for e-mails, wikis and issue trackers.

A heading, the summary sentence, and one table of the awards in rank order (rank, applicant,
project, municipalities, requested, awarded, status) with a total row. Text from the
applications is escaped so that it stays text: a ``|`` cannot split a cell, ``*`` or ``_``
cannot turn into emphasis, ``<script>`` is not HTML, and a line break cannot end the row.
"""

from __future__ import annotations

import re
from pathlib import Path

from tilskudd.export._publication import build
from tilskudd.export.atomic import atomic_write
from tilskudd.models import RoundResult
from tilskudd.wording import column_header, rank_text

__all__ = ["escape", "render", "write"]

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that would
# change a table cell (|), start markup (* _ ` [ ] < > ~ #), begin an entity reference (&:
# "&GT;" or "&amp;" would read as the character it names), or escape the next one (\).
_SPECIAL = re.compile(r"([\\|*_`\[\]<>~#&])")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def escape(text: str) -> str:
    """Text as literal Markdown inline content (safe inside a table cell)."""
    return _SPECIAL.sub(r"\\\1", _BREAKS.sub(" ", text))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(result: RoundResult, *, lang: str = "en") -> str:
    """The award table of ``result`` as a Markdown document in ``lang``."""
    pub = build(result, lang)
    subtitle = " · ".join(p for p in (pub.programme, pub.round) if p)
    lines = [f"# {escape(pub.title)}", ""]
    if subtitle:
        lines += [f"**{escape(subtitle)}**", ""]
    if pub.decided is not None:
        lines += [escape(pub.text("doc.decided", date=pub.decided)), ""]
    lines += [escape(pub.sentence), ""]
    awards = {line.id: line for line in pub.by_amount}
    decisions = [d for d in result.allocation.decisions if d.application_id in awards]
    if not decisions:
        lines += [escape(pub.text("doc.no_awards")), ""]
    else:
        fields = (
            "rank",
            "applicant",
            "project",
            "municipalities",
            "requested",
            "awarded",
            "status",
        )
        lines.append(_row([escape(column_header(f, lang)) for f in fields]))
        lines.append(_row(["---:", "---", "---", "---", "---:", "---:", "---"]))
        for decision in decisions:
            line = awards[decision.application_id]
            requested = pub.money(line.requested) if line.requested is not None else ""
            lines.append(
                _row(
                    [
                        escape(rank_text(decision)),
                        escape(line.applicant),
                        escape(line.project),
                        escape(line.places),
                        requested,
                        pub.money(line.amount),
                        escape(line.status_text),
                    ]
                )
            )
        total = escape(pub.text("ui.total"))
        lines.append(
            _row([f"**{total}**", "", "", "", "", f"**{pub.money(pub.summary.awarded)}**", ""])
        )
        lines.append("")
    lines.append(
        "_"
        + escape(
            pub.text(
                "ui.budget_line",
                budget=pub.summary.budget,
                awarded=pub.summary.awarded,
                unallocated=pub.summary.unallocated,
            )
        )
        + "_"
    )
    lines.append("")
    if pub.notes:
        lines += [f"## {escape(pub.text('ui.notes'))}", ""]
        lines += [f"- {escape(note)}" for note in pub.notes]
        lines.append("")
    lines.append(escape(pub.text("doc.made_with", version=pub.tool_version, date=pub.date)))
    return "\n".join(lines) + "\n"


def write(result: RoundResult, path: Path, *, lang: str = "en", **_options: object) -> None:
    """Write the award table of ``result`` to ``path`` as UTF-8 Markdown."""
    with atomic_write(Path(path), encoding="utf-8", newline="\n") as handle:
        handle.write(render(result, lang=lang))
