"""How much room text takes on a slide: real advance widths of the template's font, and its boxes.

The widths come from ``fontmetrics.json``, a table generated once by
``tools/make_fontmetrics.py`` from Liberation Sans 2 (SIL Open Font License 1.1), which has
the same advance widths as Arial, the font the slide template's theme names, and is what
LibreOffice draws Arial with. The table ships with the tool, so measuring needs no font on
the machine. The boxes (placeholder position, insets, indents, type size, line spacing) are
read from the slide template's layouts, as the pptx writer lays text into them.

Measuring is pure: text and sizes in, lines and points out.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

EMU_PER_POINT = 12_700
#: The insets a text box has when its bodyPr names none (DrawingML defaults).
_DEFAULT_INSETS = (91_440, 45_720, 91_440, 45_720)
#: EMU a table row takes beyond its lines: the cells' top and bottom margins, and a little air.
ROW_PADDING = 70_000


@dataclass(frozen=True)
class _Face:
    widths: dict[str, int]
    default: int


@dataclass(frozen=True)
class FontMetrics:
    """Advance widths in font units, per face, and the line height as a share of the type size."""

    units_per_em: int
    regular: _Face
    bold: _Face
    #: Ascender + descender + line gap over units per em: one line at 100 % spacing, in ems.
    line_height: float

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        """The advance width of ``text`` at ``size`` points, in points."""
        face = self.bold if bold else self.regular
        get, default = face.widths.get, face.default
        return sum(get(ch, default) for ch in text) * size / self.units_per_em


@functools.cache
def font_metrics() -> FontMetrics:
    """The shipped table, read once."""
    data = json.loads(resources.files("vastbus_cli.render").joinpath("fontmetrics.json").read_text("utf-8"))
    units = int(data["units_per_em"])

    def face(key: str) -> _Face:
        return _Face({ch: int(w) for ch, w in data[key]["widths"].items()}, int(data[key]["default"]))

    height = (int(data["ascender"]) - int(data["descender"]) + int(data["line_gap"])) / units
    return FontMetrics(units, face("regular"), face("bold"), height)


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> int:
    """Lines ``text`` wraps to in ``width`` points at ``size`` points: greedy, at spaces, a long word broken."""
    metrics = font_metrics()
    space = metrics.width(" ", size, bold=bold)
    lines, used = 1, 0.0
    for word in text.split():
        wide = metrics.width(word, size, bold=bold)
        needed = wide if used == 0 else used + space + wide
        if needed <= width:
            used = needed
            continue
        if used > 0:
            lines += 1
        while wide > width:  # a word wider than the line breaks where it must
            lines += 1
            wide -= width
        used = wide
    return lines


@dataclass(frozen=True)
class TextBox:
    """A placeholder as text fills it: its size and insets in EMU, and its first level's paragraph style."""

    box: tuple[int, int, int, int]  # x, y, cx, cy
    insets: tuple[int, int, int, int] = _DEFAULT_INSETS  # left, top, right, bottom
    size: float = 18.0  # points
    bold: bool = False
    margin: int = 0  # the first level's marL: where wrapped lines start, in EMU
    spacing: float = 1.0  # line spacing, as a share of single
    before: float = 0.0  # space before a paragraph, in points

    def resized(self, box: tuple[int, int, int, int]) -> TextBox:
        """The same paragraph style in another box (the writer's split beside a picture or diagram)."""
        return TextBox(box, self.insets, self.size, self.bold, self.margin, self.spacing, self.before)

    @property
    def line_width(self) -> float:
        """Points a line of text may take."""
        left, _, right, _ = self.insets
        return (self.box[2] - left - right - self.margin) / EMU_PER_POINT

    @property
    def text_height(self) -> float:
        """Points of height text may fill."""
        _, top, _, bottom = self.insets
        return (self.box[3] - top - bottom) / EMU_PER_POINT

    def lines(self, paragraphs: tuple[str, ...], size: float, *, bold: bool | None = None) -> int:
        """Lines the paragraphs wrap to at ``size``."""
        heavy = self.bold if bold is None else bold
        return sum(wrap(p, self.line_width, size, bold=heavy) for p in paragraphs)

    def height(self, paragraphs: tuple[str, ...], size: float) -> float:
        """Points the paragraphs take at ``size``: their lines, and the space before all but the first."""
        line = font_metrics().line_height * size * self.spacing
        return self.lines(paragraphs, size) * line + max(0, len(paragraphs) - 1) * self.before * size / self.size

    def fits(self, paragraphs: tuple[str, ...], size: float) -> bool:
        """Whether the paragraphs fit the box at ``size`` points."""
        return self.height(paragraphs, size) <= self.text_height


_SHAPE = re.compile(r"<p:sp>.*?</p:sp>", re.DOTALL)
_LAYOUT_NAME = re.compile(r'<p:cSld name="([^"]*)"')
_PH = re.compile(r"<p:ph\b([^>]*?)/?>")
_IDX = re.compile(r'idx="(\d+)"')
_BOX = re.compile(r'<a:off x="(-?\d+)" y="(-?\d+)"/>\s*<a:ext cx="(\d+)" cy="(\d+)"/>')
_BODY_PR = re.compile(r"<a:bodyPr\b([^>]*)>")
_LEVEL1 = re.compile(r"<a:lvl1pPr\b([^>]*)>(.*?)</a:lvl1pPr>", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _attributes(text: str) -> dict[str, str]:
    return dict(_ATTRIBUTE.findall(text))


def _text_box(shape: str, box: tuple[int, int, int, int]) -> TextBox:
    body = _BODY_PR.search(shape)
    given = _attributes(body.group(1)) if body else {}
    insets = tuple(
        int(given.get(name, default))
        for name, default in zip(("lIns", "tIns", "rIns", "bIns"), _DEFAULT_INSETS, strict=True)
    )
    level = _LEVEL1.search(shape)
    if level is None:
        return TextBox(box, insets)  # type: ignore[arg-type]
    paragraph, inner = _attributes(level.group(1)), level.group(2)
    run = re.search(r"<a:defRPr\b([^>]*)>", inner)
    run_attributes = _attributes(run.group(1)) if run else {}
    spacing = re.search(r'<a:lnSpc><a:spcPct val="(\d+)"/>', inner)
    before = re.search(r'<a:spcBef><a:spcPts val="(\d+)"/>', inner)
    size = int(run_attributes.get("sz", "1800")) / 100
    return TextBox(
        box,
        insets,  # type: ignore[arg-type]
        size,
        run_attributes.get("b") == "1",
        max(0, int(paragraph.get("marL", "0"))),
        int(spacing.group(1)) / 100_000 if spacing else 1.0,
        int(before.group(1)) / 100 if before else 0.0,
    )


def layout_boxes(parts: dict[str, bytes]) -> dict[str, dict[int, TextBox]]:
    """Each slide layout's placeholders that give a position, by layout name and idx (0 is the title)."""
    layouts: dict[str, dict[int, TextBox]] = {}
    for name, data in parts.items():
        if not re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
            continue
        xml = data.decode("utf-8", "replace")
        title = _LAYOUT_NAME.search(xml)
        boxes: dict[int, TextBox] = {}
        for shape in _SHAPE.findall(xml):
            ph, box = _PH.search(shape), _BOX.search(shape)
            if ph is None or box is None:
                continue
            idx = _IDX.search(ph.group(1))
            position = tuple(int(v) for v in box.groups())
            boxes[int(idx.group(1)) if idx else 0] = _text_box(shape, position)  # type: ignore[arg-type]
        layouts[_unescape(title.group(1)) if title else name] = boxes
    return layouts


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


__all__ = ["EMU_PER_POINT", "FontMetrics", "TextBox", "font_metrics", "layout_boxes", "wrap"]


#: A table cell's left and right margins together (91 440 EMU each).
CELL_MARGINS = 182_880


def row_lines(row: tuple[str, ...], widths: list[int], size: int, bold: bool) -> int:
    """Lines the row's fullest cell wraps to, measured with the template font's advance widths."""
    lines = 1
    for text, width in zip(row, widths, strict=False):
        room = (width - CELL_MARGINS) / EMU_PER_POINT
        lines = max(lines, sum(wrap(part, room, size / 100, bold=bold) for part in text.split("\n")))
    return lines


def column_widths(table: tuple[tuple[str, ...], ...], width: int) -> list[int]:
    """Columns as wide as their longest line asks (measured at 10 pt, at most 300 pt), filling ``width``."""
    columns = len(table[0])
    metrics = font_metrics()
    wants = [
        max(min(max(metrics.width(line, 10, bold=True) for line in row[c].split("\n")), 300) for row in table) + 12
        for c in range(columns)
    ]
    total = sum(wants)
    widths = [max(int(width * want / total), width // (columns * 3)) for want in wants]
    widths[-1] = width - sum(widths[:-1])
    return widths


def table_height(table: tuple[tuple[str, ...], ...], width: int, size: int, padding: int = ROW_PADDING) -> int:
    """EMU a table of these rows takes at ``size`` (hundredths of a point), its columns as the writer sizes them."""
    widths = column_widths(table, width)
    line = int(size / 100 * font_metrics().line_height * EMU_PER_POINT)
    return sum(row_lines(row, widths, size, i == 0) * line + padding for i, row in enumerate(table))
