"""What a file really is, from its first bytes rather than its name.

Officers' files are often not what their names say: a CSV saved as ``.xlsx``, an HTML report a web
system calls ``.xls``, a password-protected workbook (an OLE2 container holding an
``EncryptedPackage`` stream, whatever its extension), a PDF renamed. Each gets one clear message
here, before a reader trips over it.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tilskudd.errors import InputFileError
from tilskudd.i18n import Translator
from tilskudd.textfile import not_a_file

__all__ = ["Format", "Sniffed", "sniff"]

_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    KeyError,
    ValueError,
    OSError,
    NotImplementedError,
    zlib.error,
)
"""What Python's zipfile raises for a damaged zip. OSError: the file was opened already, so it is
the zip's own offsets that are wrong (one before the start of the file is "Invalid argument" to
seek); NotImplementedError: a version or compression method no writer of spreadsheets uses (a
changed byte: "zip file version 14.8")."""

Format = Literal["xlsx", "xlsb", "ods", "xls", "csv"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")
_POWERPOINT = "PowerPoint Document".encode("utf-16-le")

# Magic numbers of files people rename by mistake -> catalogue key of what they are.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!", "archive"),
    (b"{\\rtf", "rtf"),
    (b"\x7fELF", "program"),
)

_EXTENSIONS: dict[str, Format] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xltx": "xlsx",
    ".xltm": "xlsx",
    ".xlsb": "xlsb",
    ".xls": "xls",
    ".xla": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}


@dataclass(frozen=True)
class Sniffed:
    """A file's real format and the one its name suggests (None for an unknown extension)."""

    format: Format
    named: Format | None
    zip_names: frozenset[str] = frozenset()
    """Member names when the file is a zip container (xlsx, xlsb, ods)."""
    encoding: str | None = None
    """For text in UTF-16 or UTF-32 (Excel's "Unicode text" is UTF-16 LE with a byte-order
    mark): the codec to read it with; None for text read as UTF-8 or Windows-1252."""

    @property
    def mismatch(self) -> bool:
        """The name says one format and the content is another."""
        return self.named is not None and self.named != self.format


def _fail(t: Translator, key: str, **params: object) -> InputFileError:
    return InputFileError(t(f"read.error.{key}", **params))


def _zip_format(path: Path, file: str, named: Format | None, t: Translator) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = frozenset(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
            for info in archive.infolist():
                # Each entry opened (its local header read, a few bytes): an entry Python's
                # zipfile cannot open is said here, not met in a scan of the sheet later.
                if info.flag_bits & 0x1:
                    raise zipfile.BadZipFile(f"{info.filename} is encrypted")
                try:
                    archive.open(info).close()
                except NotImplementedError as exc:
                    raise zipfile.BadZipFile(f"{info.filename}: {exc}") from None
    except _ZIP_DAMAGE as exc:
        kind = t(f"read.error.format.{named or 'xlsx'}")
        raise _fail(
            t, "corrupt", file=file, format=kind, reason=str(exc) or type(exc).__name__
        ) from None
    if "xl/workbook.xml" in names:
        return Sniffed("xlsx", named, names)
    if "xl/workbook.bin" in names:
        return Sniffed("xlsb", named, names)
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        return Sniffed("ods", named, names)
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.opendocument"))
    if "word/document.xml" in names:
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.word"))
    if "ppt/presentation.xml" in names:
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.powerpoint"))
    if named in ("xlsx", "xlsb", "ods"):
        kind = t(f"read.error.format.{named}")
        raise _fail(t, "corrupt", file=file, format=kind, reason=t("read.error.no_workbook_part"))
    raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.zip"))


def _ole2_format(path: Path, file: str, named: Format | None, t: Translator) -> Sniffed:
    # The directory names every stream; reading the whole file is cheap next to parsing it.
    data = path.read_bytes()
    if _ENCRYPTED_PACKAGE in data:
        raise _fail(t, "password", file=file)
    if _WORD_DOCUMENT in data:
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.word"))
    if _POWERPOINT in data:
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.powerpoint"))
    return Sniffed("xls", named)


def _text_format(head: bytes, file: str, named: Format | None, t: Translator) -> Sniffed:
    encoding = _wide_encoding(head, file, t)
    # A web page or XML file is told from a table whatever its encoding.
    text = head.decode(encoding, "ignore").encode("utf-8") if encoding else head
    start = text.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")):
        raise _fail(t, "html", file=file)
    if start.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            raise _fail(t, "xml_2003", file=file)
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.xml"))
    return Sniffed("csv", named, encoding=encoding)


def _wide_encoding(head: bytes, file: str, t: Translator) -> str | None:
    """The codec of text in UTF-16 or UTF-32, with a byte-order mark or without; None for
    text in bytes (UTF-8 or Windows-1252). Raises for a binary file."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text (*.txt)": UTF-16 LE with a byte-order mark, tab-separated.
        return "utf-16"
    sample = head[:1024]
    if b"\x00" in sample:
        # Every other byte NUL is UTF-16 without its byte-order mark (the NULs are the high
        # bytes of ASCII characters: after them in little-endian); anything else is binary.
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if odd + even >= len(sample) / 3:
            if odd * 4 >= len(sample):
                return "utf-16-le"
            if even * 4 >= len(sample):
                return "utf-16-be"
        raise _fail(t, "not_spreadsheet", file=file, kind=t("read.error.kind.binary"))
    return None


def sniff(path: Path, file: str, t: Translator) -> Sniffed:
    """The real format of ``path``; raises :class:`InputFileError` for anything unreadable.

    ``file`` is the name used in messages.
    """
    try:
        if not path.exists():
            raise _fail(t, "not_found", file=file)
        if path.is_dir():
            raise _fail(t, "is_directory", file=file)
        kind = not_a_file(path)
        if kind is not None:
            raise _fail(t, "not_a_file", file=file, kind=t(f"read.error.kind.{kind}"))
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise _fail(t, "unreadable", file=file, reason=exc.strerror or str(exc)) from None
    named = _EXTENSIONS.get(path.suffix.lower())
    if not head:
        raise _fail(t, "empty_file", file=file)
    if head.startswith(_ZIP):
        return _zip_format(path, file, named, t)
    if head.startswith(_OLE2):
        return _ole2_format(path, file, named, t)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise _fail(t, "not_spreadsheet", file=file, kind=t(f"read.error.kind.{kind}"))
    return _text_format(head, file, named, t)
