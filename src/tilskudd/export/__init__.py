"""Writing a round's result to files: one module per format, chosen by extension or --format.

Every writer has the signature ``write(result, path, *, lang) -> None`` and writes through
:func:`tilskudd.export.atomic.atomic_write`, so a reader never sees half a file and an existing
file is only replaced when the caller allows it (see :func:`check_output_path`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path

from tilskudd.currency import CODES, NOK, SIGNS, WORDS, amounts_in
from tilskudd.errors import NotKronerError, OutputExistsError, UsageError
from tilskudd.models import RoundResult

__all__ = ["FORMATS", "check_output_path", "format_for", "refuse_windows_name", "write"]

Writer = Callable[..., None]

# format name -> (module, file extensions). Writers are imported only when used.
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "xlsx": ("tilskudd.export.xlsx", (".xlsx",)),
    "csv": ("tilskudd.export.csv", (".csv",)),
    "json": ("tilskudd.export.json", (".json",)),
    "html": ("tilskudd.export.html", (".html", ".htm")),
    "pdf": ("tilskudd.export.pdf", (".pdf",)),
    "md": ("tilskudd.export.markdown", (".md", ".markdown")),
    # Only by --format 360giving: written as .xlsx or .csv, chosen by the file's extension.
    "360giving": ("tilskudd.export.giving360", ()),
}


PUBLISHED: dict[str, str] = {
    "html": "HTML",
    "pdf": "PDF",
    "md": "Markdown",
    "360giving": "360Giving",
}
"""The formats made for publication, by the name a reader knows them by."""


_OTHER_CURRENCY = frozenset(
    {
        "validate.currency_not_kroner",
        "read.currency_above_header",
        "validate.currency_not_round",
        "read.currency_not_round",
    }
)
"""The issues of applications that give their amounts in another currency than the round's."""


def refuse_other_currency(result: RoundResult, path: Path, name: str) -> None:
    """Refuse a list for publication of a round whose applications give another currency.

    Every amount is counted in the round's currency (kroner unless it names another), and these
    lists say so (``NOK 25,000``, 360Giving's ``Currency``); a sheet of awards in pounds or
    francs that reading warned of would otherwise be published as kroner. The award workbook,
    the CSV and the JSON, which carry the currency column through, are not refused.
    """
    if name not in PUBLISHED:
        return
    for issue in result.issues:
        if issue.code in _OTHER_CURRENCY:
            currencies = issue.params.get("currencies", [])
            key = "not_kroner" if result.currency == NOK else "not_round_currency"
            given = _one_currency(currencies)
            # A pabulib election's forints are most often to be published as forints: say the
            # option that does it before converting them. Not to a programme's round, which
            # counts in the programme's currency and refuses another.
            if given is not None and given != result.currency and result.round is None:
                raise NotKronerError(
                    key=f"output.error.{key}_one",
                    path=str(path),
                    currencies=currencies,
                    given=given,
                    format=PUBLISHED[name],
                    currency=result.currency,
                )
            raise NotKronerError(
                key=f"output.error.{key}",
                path=str(path),
                currencies=currencies,
                format=PUBLISHED[name],
                currency=result.currency,
            )


def _one_currency(currencies: object) -> str | None:
    """The ISO 4217 code of the one currency an issue names (``HUF``; ``KR`` as ``NOK``), or
    None when it names several or none that ``--currency`` takes."""
    if not isinstance(currencies, list) or len(currencies) != 1:
        return None
    (named,) = currencies
    text = str(named)
    code = WORDS.get(text.lower()) or SIGNS.get(text) or text.upper()
    return code if code in CODES else None


def format_for(path: Path, explicit: str | None = None) -> str:
    """The output format: ``explicit`` if given, else by the file's extension. An ``explicit``
    format that the extension contradicts (``tildeling.xlsx`` as csv) is refused: the file
    would not open as what its name says."""
    suffix = path.suffix.lower()
    named = next((name for name, (_m, sfx) in FORMATS.items() if suffix in sfx), None)
    if explicit:
        if explicit not in FORMATS:
            raise UsageError(
                key="output.error.unknown_format", given=explicit, known=sorted(FORMATS)
            )
        # 360Giving is written as .xlsx or .csv (its writer checks which).
        if named is not None and named != explicit and explicit != "360giving":
            raise UsageError(
                key="output.error.format_contradicts_extension",
                name=path.name,
                suffix=suffix,
                named=named,
                given=explicit,
                expected=FORMATS[explicit][1][0],
            )
        return explicit
    if named is not None:
        return named
    known = sorted({s for _m, sfx in FORMATS.values() for s in sfx})
    raise UsageError(key="output.error.no_format", name=path.name or str(path), known=known)


def _same(path: Path, source: Path, exists: bool) -> bool:
    """Whether ``path`` names the file ``source`` under another name that resolving does not
    make equal: another case of the name on a file system that ignores case (macOS, where
    ``resolve`` keeps the case typed), or another link to it."""
    try:
        return exists and os.path.samefile(path, source)
    except OSError:
        return False


def check_output_path(path: Path, *, inputs: Iterable[Path] = (), force: bool = False) -> None:
    """Refuse to overwrite an input file ever, or an existing output without ``force``; refuse
    a folder, a device or a pipe as the output."""
    resolved = path.resolve()
    exists = path.exists()
    for source in inputs:
        if source.exists() and (resolved == Path(source).resolve() or _same(path, source, exists)):
            raise OutputExistsError(key="output.error.is_input", path=str(path))
    if path.is_dir():
        raise OutputExistsError(key="output.error.is_folder", path=str(path))
    if (path.exists() and not path.is_file()) or _device_name(path):
        # /dev/null, /dev/stdout, a named pipe: the output is renamed into place (see
        # tilskudd.export.atomic), which would replace the device itself, not write to it.
        raise OutputExistsError(key="output.error.not_a_file", path=str(path))
    refuse_windows_name(path)
    if path.exists() and not force:
        raise OutputExistsError(key="output.error.exists", path=str(path))


def _device_name(path: Path) -> bool:
    """``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``: a link in the system's device
    folders, whatever it points at. With the output redirected to a file, ``/dev/stdout`` is a
    link to that file and looks like one; renamed into place, the output would replace the link
    in ``/dev``, not be written into the file. (A file of its own there, such as one in the
    memory disk ``/dev/shm``, is no link and is written as any other.)"""
    where = path.absolute()
    parts = where.parts
    in_devices = len(parts) > 2 and parts[:2] in (("/", "dev"), ("/", "proc"))
    return os.name == "posix" and in_devices and where.resolve() != where


_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10))]
)
_WINDOWS_FORBIDDEN = frozenset('<>:"|?*') | frozenset(chr(n) for n in range(32))


def refuse_windows_name(path: Path) -> None:
    """Refuse an output file name Windows cannot have: a device's (``CON``, ``aux.xlsx``), one
    ending in a dot or a space, or one with ``< > : " | ? *`` or a control character in it.

    Refused on every system, not only on Windows: the files are made to be opened in Excel and
    sent on, to colleagues, the archive or a shared drive, most of them on Windows, where such a
    file cannot be opened, copied or even deleted from Explorer; and a command is not to do one
    thing on the officer's machine and another on the server. On Windows itself ``aux.xlsx``
    would be the AUX device, ``runde1.xlsx.`` silently ``runde1.xlsx`` (another file than the
    one checked), and ``ut:runde1.xlsx`` a hidden stream of a file named ``ut``.
    """
    for name in _names_to_make(path):
        forbidden = sorted({c for c in name if c in _WINDOWS_FORBIDDEN})
        if forbidden:
            shown = " ".join(f"U+{ord(c):04X}" if c < " " else c for c in forbidden)
            raise OutputExistsError(
                key="output.error.windows_characters", path=str(path), chars=shown
            )
        if name.endswith((".", " ")):
            raise OutputExistsError(key="output.error.windows_end", path=str(path))
        device = name.split(".", 1)[0].rstrip(" ").upper()
        if device in _WINDOWS_DEVICES:
            raise OutputExistsError(key="output.error.windows_device", path=str(path), name=device)


def _names_to_make(path: Path) -> list[str]:
    """The file's name, and those of the folders above it that writing it would create (the
    folders already there are the officer's own, whatever their names)."""
    names = [path.name] if path.name else []
    for folder in path.parents:
        if not folder.name or folder.exists():
            break
        names.append(folder.name)
    return names


def write(
    result: RoundResult,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    lang: str = "en",
    force: bool = False,
    inputs: Iterable[str | os.PathLike[str]] = (),
    **options: object,
) -> str:
    """Write ``result`` to ``path`` (a path or its text) in the format its extension (or
    ``format``) names, its amounts in the round's currency.

    Returns the format used.
    """
    path = Path(path)
    name = format_for(path, format)
    check_output_path(path, inputs=[Path(source) for source in inputs], force=force)
    refuse_other_currency(result, path, name)
    module = import_module(FORMATS[name][0])
    writer: Writer = module.write
    with amounts_in(result.currency):
        writer(result, path, lang=lang, **options)
    return name
