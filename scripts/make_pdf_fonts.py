"""Make the PDF export's bundled fonts: DejaVu Sans (regular, bold) cut down to the scripts needed.

The PDF export needs a Unicode font: the PDF core fonts are Latin-1 and cannot show the Sámi
letters of municipality names such as Kárášjohka (š, č, đ, ŋ, ŧ, ž). DejaVu Sans covers them, is
free to redistribute (Bitstream Vera licence; DejaVu changes public domain) and is on every
Debian machine (``apt-get install fonts-dejavu-core``). The whole font is 760 kB; the Latin,
Greek and Cyrillic letters, punctuation and symbols kept here are about a quarter of it.

Run from the repository root when the font or the kept ranges change::

    python scripts/make_pdf_fonts.py [/usr/share/fonts/truetype/dejavu]
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

KEEP = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B (Sámi letters)
    (0x0300, 0x036F),  # combining diacritics
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x206F),  # General Punctuation: spaces, dashes, quotes, bullet, ellipsis
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x215F),  # letterlike symbols and number forms (№, ™, ⅓)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (−, ≤, ≥, ×)
    (0x25A0, 0x25FF),  # geometric shapes
    (0xFFFD, 0xFFFD),  # replacement character
]

FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def main(source: Path, target: Path) -> None:
    """Subset each font in :data:`FONTS` from ``source`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    unicodes = [cp for start, end in KEEP for cp in range(start, end + 1)]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    for name in FONTS:
        font = subset.load_font(str(source / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        subset.save_font(font, str(target / name), options)
        print(f"{target / name}: {(target / name).stat().st_size:,} bytes")
    licence = Path("/usr/share/doc/fonts-dejavu-core/copyright")
    if licence.exists():
        # The font's own terms; Debian's packaging files (debian/*, GPL) are not shipped.
        fonts_part = licence.read_text(encoding="utf-8").split("\nFiles: debian/*")[0]
        note = (
            "DejaVuSans.ttf and DejaVuSans-Bold.ttf in this folder are DejaVu Sans 2.37 cut down\n"
            "to the characters tilskudd's PDF export needs (scripts/make_pdf_fonts.py).\n"
            "Their licence, as Debian's fonts-dejavu-core package states it:\n\n"
        )
        (target / "LICENSE-DejaVu.txt").write_text(note + fonts_part.rstrip() + "\n", "utf-8")


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/truetype/dejavu")
    main(folder, Path(__file__).resolve().parents[1] / "src" / "tilskudd" / "fonts")
