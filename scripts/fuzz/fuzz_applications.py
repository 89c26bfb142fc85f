"""Fuzz reading an applications file: xlsx, xlsm, xlsb, xls, ods and csv, through the library.

Starts from valid files (the workbooks and CSV in examples/, the .xlsb under tests/, and an
.ods and an .xls made here from the same rows) and damages them: bytes flipped, the file cut
short, a zip entry cut short, removed or replaced, a sheet's XML edited (a cell's value or
reference replaced with an odd one, a tag dropped, a row repeated, the header repeated), a
CSV's cells and separators changed. Each input is read with
:func:`tilskudd.pipeline.read_applications`; what it reads is allocated with
:func:`tilskudd.pipeline.run_round` and, now and then, written in every output format.

    nice -n 10 .venv/bin/python scripts/fuzz/fuzz_applications.py --minutes 10
    .venv/bin/python scripts/fuzz/fuzz_applications.py \
        --replay /tmp/tilskudd-fuzz/applications/crash-1.xlsx
"""

from __future__ import annotations

import io
import random
import re
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import EXTENSION, ROOT, main

ODD_TEXT = [
    "",
    " ",
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e-400",
    "inf",
    "-inf",
    "NaN",
    "nan",
    "Infinity",
    "9" * 40,
    "9" * 400,
    "1" + "0" * 30,
    "-" + "9" * 25,
    "1,5 mill",
    "3,300",
    "kr 3.300.000,-",
    "2 G",
    "1 mrd",
    "500k",
    "20M",
    "1e5",
    "0x10",
    "1_000",
    "١٢٣٤",
    "１２３４５",
    "\u200b100",
    "100\u00ad000",
    "\u202e100",
    "e\u0301",
    "\U0001f4b0",
    "\x00",
    "\x1f",
    "a\tb",
    "a\nb",
    '"',
    "'",
    "=1/0",
    "#N/A",
    "#DIV/0!",
    "2024-13-45",
    "31.02.2024",
    "4.5",
    "85 %",
    "150 %",
    "-5 %",
    "1/2",
    "Søkt beløp",
    "Omsøkt beløp",
    "Søknadsnr",
    "ID",
    "Poeng",
    "Kommune",
    "Fylke",
    "Sum",
    "Totalt",
    "Hele landet",
    "Herøy",
    "Viken",
    "0301",
    "9999",
    "974760673",
    "974 760 673",
    "NO 974 760 673 MVA",
    "000000000",
    "99",
    "innvilg",
    "avslå",
    "reserve",
    "x" * 5000,
    "ø" * 300,
    "<b>",
    "&amp;",
    "]]>",
    "\\",
    "%s",
    "{0}",
    "{n}",
    "{",
    "}",
    "$",
    "1 000,000",
    "1500,000",
    "12345,678",
    "-1 000 000",
    "1e15",
    "1e16",
    "999999999999999999",
    "4,5",
    "4.50000000000000000001",
    "1000000001",
    "1,0",
    "2,5",
    "true",
    "FALSE",
]
ODD_NUMBERS = [
    "0",
    "-0",
    "1",
    "-1",
    "0.5",
    "1e308",
    "-1e308",
    "1e-320",
    "4.9e-324",
    "NaN",
    "INF",
    "-INF",
    "1.7976931348623157e309",
    "123456789012345678901234567890",
    "9007199254740993",
    "385000.00000000006",
    "45000",
    "2958466",
    "-693594",
    "1e15",
    "1e16",
    "99999999999999",
]
ODD_REFS = [
    "A1",
    "A0",
    "a1",
    "XFD1",
    "XFD1048576",
    "A1048576",
    "XFE1",
    "ZZZZ1",
    "A99999999999",
    "A-1",
    "1A",
    "",
    "AAA1",
    "XFD20",
    "Z1000000",
    "B2",
    "C1",
    "IV65536",
    "A1048577",
]
ROWS = [
    [
        "Søknadsnr",
        "Søker",
        "Organisasjonsnummer",
        "Prosjekt",
        "Kommune",
        "Omsøkt beløp",
        "Totalkostnad",
        "Poeng",
        "Kategori",
    ],
    ["S-1", "Moss kommune", "974760673", "Felles arkiv", "Moss", 100000, 500000, 5, "Arkiv"],
    [
        "S-2",
        "Bærum kommune",
        "974760673",
        "Digital post",
        "Bærum, Asker",
        250000,
        1250000,
        4.5,
        "Infrastruktur",
    ],
    ["S-3", "Rygge", None, "Bro", "Oslo", 300000, None, 3, "Arkiv"],
]


def _ods(rows: list[list[object]]) -> bytes:
    from xml.sax.saxutils import escape

    def cell(value: object) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Søknader">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
            zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def _xls(rows: list[list[object]]) -> bytes:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("Søknader")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write(4, 5, xlwt.Formula("F2*2"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Søknader"
    for row in rows:
        sheet.append(row)
    sheet["F6"] = "=SUM(F2:F4)"
    sheet.merge_cells("I2:I3")
    sheet.row_dimensions[3].hidden = True
    book.create_sheet("Tom")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seeds() -> list[tuple[bytes, str]]:
    found = [
        (ROOT.joinpath("examples", name).read_bytes(), name.rsplit(".", 1)[1])
        for name in ("small.xlsx", "difi_2009_runde1.xlsx", "broken.xlsx", "small.csv")
    ]
    found.append((ROOT.joinpath("tests/reading/files/soknader.xlsb").read_bytes(), "xlsb"))
    found.append((_ods(ROWS), "ods"))
    found.append((_xls(ROWS), "xls"))
    found.append((_xlsx(ROWS), "xlsx"))
    text = "\r\n".join(";".join("" if v is None else str(v) for v in row) for row in ROWS)
    found.append((text.encode("utf-8"), "csv"))
    found.append((text.replace(";", "\t").encode("utf-16"), "txt"))
    return found


SEEDS: list[tuple[bytes, str]] = []


def _flip(data: bytes, rng: random.Random, count: int | None = None) -> bytes:
    out = bytearray(data)
    for _ in range(count or rng.randint(1, 8)):
        if not out:
            break
        i = rng.randrange(len(out))
        choice = rng.random()
        if choice < 0.5:
            out[i] ^= 1 << rng.randrange(8)
        elif choice < 0.8:
            out[i] = rng.choice([0, 0xFF, 0x7F, 0x80, ord("<"), ord('"'), ord("9")])
        else:
            del out[i : i + rng.randint(1, 16)]
    return bytes(out)


def _xml_edit(xml: bytes, rng: random.Random) -> bytes:
    odd = rng.choice(ODD_TEXT)
    escaped = odd.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "replace")
    kind = rng.randrange(12)
    if kind == 0:  # a value
        spots = [m.span(1) for m in re.finditer(rb"<v>([^<]*)</v>", xml)]
        value = rng.choice(ODD_NUMBERS + ODD_TEXT).encode("utf-8", "replace")
    elif kind == 1:  # a text
        spots = [m.span(1) for m in re.finditer(rb"<t[^>]*>([^<]*)</t>", xml)]
        spots += [m.span(1) for m in re.finditer(rb"<text:p>([^<]*)</text:p>", xml)]
        value = escaped
    elif kind == 2:  # a cell reference
        spots = [m.span(1) for m in re.finditer(rb'\br="([^"]*)"', xml)]
        value = rng.choice(ODD_REFS).encode()
    elif kind == 3:  # a cell type
        spots = [m.span(1) for m in re.finditer(rb'\bt="([^"]*)"', xml)]
        spots += [m.span(1) for m in re.finditer(rb'value-type="([^"]*)"', xml)]
        value = rng.choice(
            [
                b"s",
                b"n",
                b"str",
                b"inlineStr",
                b"e",
                b"b",
                b"d",
                b"x",
                b"",
                b"float",
                b"string",
                b"date",
                b"percentage",
                b"error",
                b"boolean",
            ]
        )
    elif kind == 4:  # a number attribute (ods values, repeats, style ids, spans)
        spots = [
            m.span(1)
            for m in re.finditer(rb'(?:value|repeated|s|spans|numFmtId|sheetId)="([^"]*)"', xml)
        ]
        value = rng.choice(
            [*ODD_NUMBERS, "1048576", "16384", "100000000", "2147483648", "-3", "1:16384"]
        ).encode()
    elif kind == 5:  # a tag dropped
        spots = [m.span() for m in re.finditer(rb"<[^>]{1,60}>", xml)]
        value = b""
    elif kind == 6:  # a row repeated
        rows = list(re.finditer(rb"<(row|table:table-row)\b.*?</\1>", xml, re.DOTALL))
        if rows:
            row = rng.choice(rows)
            at = rng.choice(rows).end()
            return xml[:at] + row.group(0) * rng.choice([1, 2, 50]) + xml[at:]
        return xml
    elif kind == 7:  # a formula added or changed
        spots = [m.span(1) for m in re.finditer(rb"<f>([^<]*)</f>", xml)]
        spots += [(m.end(), m.end()) for m in re.finditer(rb"<c [^>]*>", xml)]
        value = rng.choice(
            [
                b"<f>1/0</f>",
                b"<f>SUM(A1:A2)</f>",
                b"<f/>",
                b'<f t="shared" si="0"/>',
                b'<f t="shared" si="99" ref="A1:XFD1048576">A1</f>',
                b"<is><t>x</t></is>",
            ]
        )
    elif kind == 8:  # an attribute
        spots = [
            (m.end() - 1, m.end() - 1)
            for m in re.finditer(rb"<(?:row|c|sheet|table:table-row|table:table-cell)\b[^>]*>", xml)
        ]
        value = rng.choice(
            [
                b' hidden="1"',
                b' t="e"',
                b' s="999"',
                b' r="XFD1048576"',
                b' table:number-rows-repeated="1048576"',
                b' table:number-columns-repeated="16384"',
                b' state="hidden"',
                b' table:visibility="collapse"',
                b' ht="0"',
            ]
        )
    elif kind == 9:  # cut short
        return xml[: rng.randrange(len(xml) + 1)]
    elif kind == 10:  # a character reference or entity
        spots = [(m.start(), m.start()) for m in re.finditer(rb"</t>|</text:p>|</v>", xml)]
        value = rng.choice(
            [
                b"&#0;",
                b"&#xD800;",
                b"&#x1F4B0;",
                b"&unknown;",
                b"&#65;",
                b"&lt;",
                b"&#x200B;",
                b"&#xFEFF;",
                b"&#x202E;",
            ]
        )
    else:  # a merge, a dimension
        spots = [(m.end(), m.end()) for m in re.finditer(rb"</sheetData>", xml)]
        value = rng.choice(
            [
                b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
                b'<mergeCells count="1"><mergeCell ref="B2:B999999"/></mergeCells>',
                b'<mergeCells count="1"><mergeCell ref="Z9:A1"/></mergeCells>',
                b'<mergeCells count="1"><mergeCell ref="A1"/></mergeCells>',
            ]
        )
    if not spots:
        return _flip(xml, rng, 1)
    start, end = rng.choice(spots)
    return xml[:start] + value + xml[end:]


def _zip_edit(data: bytes, rng: random.Random) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # a seed already damaged: flip it further
        return _flip(data, rng)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
        i = rng.randrange(len(parts))
        info, body = parts[i]
        choice = rng.random()
        if choice < 0.6 and body[:1] in (b"<", b"\xef"):
            body = _xml_edit(body, rng)
        elif choice < 0.7:
            del parts[i]
            if not parts:
                return b""
            continue
        elif choice < 0.8:
            body = body[: rng.randrange(len(body) + 1)]
        elif choice < 0.9:
            body = _flip(body, rng)
        else:
            body = b""
        parts[i] = (info, body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info, body in parts:
            archive.writestr(
                info.filename, body, rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
            )
    return buffer.getvalue()


def _csv_edit(data: bytes, rng: random.Random) -> bytes:
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return _flip(data, rng)
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(7)
        if not lines:
            lines = [""]
        i = rng.randrange(len(lines))
        sep = max(";,\t", key=lines[0].count)
        cells = lines[i].split(sep)
        if kind <= 2 and cells:
            cells[rng.randrange(len(cells))] = rng.choice(ODD_TEXT)
            lines[i] = sep.join(cells)
        elif kind == 3:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
        elif kind == 4:
            del lines[i]
        elif kind == 5:
            lines[i] = lines[i].replace(sep, rng.choice([",", ";", "\t", "|", '"', sep * 2]))
        else:
            lines[i] = '"' + lines[i] if rng.random() < 0.5 else lines[i] + sep * rng.randint(1, 40)
    newline = rng.choice(["\r\n", "\n", "\r"])
    text = newline.join(lines)
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "mac_roman"])
    return text.encode(encoding, "replace")


def mutate(rng: random.Random) -> tuple[bytes, str]:
    if not SEEDS:
        SEEDS.extend(seeds())
    data, ext = rng.choice(SEEDS)
    choice = rng.random()
    if ext in ("csv", "txt"):
        data = _csv_edit(data, rng) if choice < 0.85 else _flip(data, rng)
    elif data[:2] == b"PK":
        if choice < 0.8:
            data = _zip_edit(data, rng)
        elif choice < 0.9:
            data = _flip(data, rng)
        else:
            data = data[: rng.randrange(len(data))]
    else:
        data = (
            _flip(data, rng, rng.choice([1, 2, 4, 16, 64]))
            if choice < 0.9
            else data[: rng.randrange(len(data))]
        )
    if rng.random() < 0.05:  # named as another format
        ext = rng.choice(["xlsx", "xls", "ods", "csv", "xlsb", "txt", "xlsm"])
    return data, ext


def target(data: bytes, rng: random.Random) -> None:
    from tilskudd.models import Policy
    from tilskudd.pipeline import read_applications, run_round

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"søknader.{EXTENSION[0] or 'xlsx'}"
        path.write_bytes(data)
        checked = read_applications(
            path,
            lang=rng.choice(["nb", "en"]),
            register=rng.choice(["2024", "2009"]),
            rule=rng.choice([None, "ranked"]),
        )
        policy = Policy(rule=rng.choice(["ranked", "proportional"]))
        result = run_round(checked, budget=rng.choice([1_000_000, 0, 10**15]), policy=policy)
        if rng.random() < 0.2:
            from tilskudd.export import write

            for name in ("o.xlsx", "o.csv", "o.json", "o.html", "o.md"):
                write(result, Path(folder) / name, lang=rng.choice(["nb", "en"]))


def preload() -> None:
    """Import what the target uses once, here, so that each forked child starts with it."""
    import tilskudd.export
    import tilskudd.export.csv
    import tilskudd.export.html
    import tilskudd.export.json
    import tilskudd.export.markdown
    import tilskudd.export.xlsx
    import tilskudd.pipeline
    import tilskudd.reading.csv
    import tilskudd.reading.xlsx
    import tilskudd.rules
    import tilskudd.validation  # noqa: F401


if __name__ == "__main__":
    preload()
    main("applications", target, mutate, __doc__.splitlines()[0])
