"""Issues as one-line sentences for people, location first, in Norwegian or English.

An :class:`~tilskudd.models.Issue` carries a code and parameters; :func:`describe_issue` renders it
from the locales catalogue (the key is the code itself, e.g. ``validate.amount_ambiguous``)::

    søknader.xlsx, Søknader!F12 (Omsøkt beløp): '3,300' er tvetydig: ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tilskudd.controls import visible
from tilskudd.i18n import Translator, get
from tilskudd.models import Issue, Location, sheet_reference

__all__ = ["describe_issue", "describe_location", "issue_message", "render_message"]


def describe_location(
    location: Location | None, lang: str = "en", *, show_file: bool = True
) -> str:
    """Where an issue is, as a person reads it: ``søknader.xlsx, Søknader!F12 (Omsøkt beløp)``."""
    if location is None:
        return ""
    t = get(lang)
    if location.column and location.row:
        ref = f"{location.column}{location.row}"
    elif location.row:
        ref = t("validate.where_row", row=location.row)
    elif location.column:
        ref = t("validate.where_column", column=location.column)
    else:
        ref = ""
    if location.sheet:
        # Quoted alike in every form, so a space at either end of the name shows.
        sheet = sheet_reference(location.sheet)
        if ref and location.column and location.row:
            ref = f"{sheet}!{ref}"
        elif ref:
            ref = f"{sheet}, {ref}"
        else:
            ref = sheet
    parts = [p for p in (location.file if show_file else "", ref) if p]
    where = ", ".join(parts)
    if location.header:
        where = f"{where} ({location.header})" if where else location.header
    return visible(where)


def describe_issue(
    issue: Issue, lang: str = "en", *, show_file: bool = True, show_severity: bool = False
) -> str:
    """One line for a person: where (file, sheet, cell, header), then what is wrong and expected.

    ``show_file=False`` leaves the file name out (when a report names it once at the top);
    ``show_severity=True`` starts with "error:" / "feil:" or "warning:" / "advarsel:".
    """
    message = issue_message(issue, lang)
    where = describe_location(issue.location, lang, show_file=show_file)
    line = f"{where}: {message}" if where else message
    if show_severity:
        line = f"{get(lang)(f'severity.{issue.severity.value}')}: {line}"
    return line


def issue_message(issue: Issue, lang: str = "en") -> str:
    """What is wrong and what was expected, without where: the issue's code's catalogue text."""
    params: dict[str, Any] = {"value": issue.value, "field": issue.field}
    params.update(issue.params)
    code = issue.code
    if code == "validate.column_missing" and set(params.get("fields") or ()) == {"score", "rank"}:
        # Required by the rule, not by the file: said with the two ways on (a column named
        # with --columns, or a rule that needs none), as a 360Giving file of awards meets it.
        code = "validate.column_missing_ranking"
    elif code == "validate.hidden_characters" and issue.field in ("municipalities", "county"):
        # The outputs show the place from the register, not the cell: said as it is.
        code = "validate.hidden_characters_place"
    message = render_message(code, params, lang)
    if params.get("hidden"):
        # A place not found for a bidi control or control character in its name: said, since
        # the sheet shows the name as it is meant (validation._params).
        hidden = list(params["hidden"])
        said = get(lang)("validate.hidden_in_item", characters=hidden, count=len(hidden))
        message += (" " if message.endswith(("?", ".")) else ". ") + said
    # A cell's text quoted in the message ('12\u202e00' is not an amount) is shown as every
    # output shows it: a bidi control or control character as its code (tilskudd.controls).
    return visible(message)


def render_message(code: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """The catalogue text for ``code`` with ``params``; each list param ``x`` also as ``x_or``.

    ``x_or`` is the list joined with "or" ("did you mean A, B or C?"); a list named ``fields``
    holds field names and is shown in the language's words ("omsøkt beløp"). A sheet's name
    is shown as a formula writes it (``'Runde 1 '``) by the catalogue's ``{sheet:sheet}``.
    """
    t = get(lang)
    ready: dict[str, Any] = dict(params)
    for key, value in params.items():
        if isinstance(value, list | tuple):
            items = [str(v) for v in value]
            if key == "fields":
                items = [_field(t, f) for f in items]
                ready[key] = items
            ready[f"{key}_or"] = _join(items, t("words.or"))
    return t(code, **ready)


def _field(t: Translator, name: str) -> str:
    key = f"validate.field.{name}"
    return t(key) if t.has(key) else name


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
