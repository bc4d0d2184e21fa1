"""Write vastbus_cli/render/fontmetrics.json: advance widths of the slides' font, for ``check``'s design rules.

The slide template (templates/make_templates.py) sets every theme font, major and minor, to
Arial. Arial is not free to redistribute; Liberation Sans is metric-compatible with it (the
same advance width for every character) and is what LibreOffice substitutes for Arial
(``fc-match Arial`` → LiberationSans-Regular.ttf). This script reads Liberation Sans 2
(Debian package fonts-liberation2) with Pillow, which the tool already depends on, and
writes the advance widths, in font units, of the characters Swedish slide text uses, with a
default width for any other character, for the regular and the bold face, and the vertical
metrics (hhea ascender, descender, line gap).

Licence: Liberation Sans is licensed under the SIL Open Font License 1.1
(/usr/share/doc/fonts-liberation2/copyright; Copyright (c) 2010 Google Corporation,
Copyright (c) 2012 Red Hat, Inc.). The table is derived data, not the font; the OFL allows
redistributing it, and the JSON names the font and the licence.

Run once, from the repository root, when the template's font changes::

    python tools/make_fontmetrics.py [REGULAR.ttf BOLD.ttf]
"""

from __future__ import annotations

import json
import statistics
import struct
import sys
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-sans"),
)
OUT = Path(__file__).resolve().parent.parent / "vastbus_cli" / "render" / "fontmetrics.json"
#: Printable ASCII, Latin-1 (å ä ö é ü …) and the punctuation the typography module sets.
CHARACTERS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "".join(chr(c) for c in range(0xA0, 0x100))
    + "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u2022\u25aa\u2212\u20ac\u2192\u2713\u00b7\u2011\u202f"
)


def _hhea(path: Path) -> tuple[int, int, int, int]:
    """The units per em (head), ascender, descender and line gap (hhea), read from the font's tables."""
    data = path.read_bytes()
    (count,) = struct.unpack(">H", data[4:6])
    tables = {}
    for i in range(count):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag] = offset
    (units,) = struct.unpack(">H", data[tables[b"head"] + 18 : tables[b"head"] + 20])
    ascender, descender, gap = struct.unpack(">hhh", data[tables[b"hhea"] + 4 : tables[b"hhea"] + 10])
    return units, ascender, descender, gap


def _face(path: Path, units: int) -> dict[str, object]:
    font = ImageFont.truetype(str(path), units)  # at a size of one em in pixels, a pixel is a font unit
    widths = {ch: round(font.getlength(ch)) for ch in CHARACTERS}
    lower = [widths[ch] for ch in "abcdefghijklmnopqrstuvwxyzåäö"]
    return {"file": path.name, "default": round(statistics.mean(lower)), "widths": widths}


def main(argv: list[str]) -> int:
    """Write the table from the given font files, or Liberation Sans where Debian installs it."""
    if len(argv) == 2:
        regular, bold = Path(argv[0]), Path(argv[1])
    else:
        folder = next((d for d in FONT_DIRS if (d / "LiberationSans-Regular.ttf").is_file()), None)
        if folder is None:
            sys.stderr.write("Liberation Sans not found; install fonts-liberation2 or name the two .ttf files\n")
            return 2
        regular, bold = folder / "LiberationSans-Regular.ttf", folder / "LiberationSans-Bold.ttf"
    units, ascender, descender, gap = _hhea(regular)
    table = {
        "font": "Liberation Sans 2 (metric-compatible with Arial, the template's theme font)",
        "licence": "SIL Open Font License 1.1; Copyright (c) 2010 Google Corporation, (c) 2012 Red Hat, Inc.",
        "made_by": "tools/make_fontmetrics.py",
        "units_per_em": units,
        "ascender": ascender,
        "descender": descender,
        "line_gap": gap,
        "regular": _face(regular, units),
        "bold": _face(bold, units),
    }
    OUT.write_text(json.dumps(table, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
