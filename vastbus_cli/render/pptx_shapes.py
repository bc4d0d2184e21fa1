"""The shapes of a slide in PresentationML: text runs, paragraphs, placeholders, text boxes and tables.

Each is a small XML fragment drawn from plain values, so equal shapes in many districts'
decks are drawn once (the caches below); :mod:`vastbus_cli.render.pptx_writer` assembles
them into slides. :func:`drawn_text` reads back the text of a fragment as scan reads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vastbus_cli.render.packplan import PlanSlide
from vastbus_cli.render.typography import swedish_quotes
from vastbus_cli.xmltext import escape, quoteattr, unescape

GREY, ORANGE = "5F6B7A", "C55A11"
BLUE, INK, INK_SOFT, PANEL, RULE = "1F4E79", "1F2933", "3E4C59", "EEF3F8", "D5DCE4"
WARM_DARK, WARM_SHADE = "A34A0E", "FDF1E7"
_LANG = "sv-SE"


#: Shapes drawn from the same text at the same place come out the same in every district's deck,
#: so each is drawn (and its text read) once per process; bounded so a big course stays small.
FRAGMENTS = 4096


@dataclass(frozen=True)
class Placeholder:
    """A layout's placeholder: what a slide's shape copies to inherit its place and style."""

    attributes: str  # the <p:ph .../> attributes, copied from the layout
    idx: int
    box: tuple[int, int, int, int] | None  # x, y, cx, cy when the layout gives one
    size: int | None = None  # the first level's type size in hundredths of a point, when given


_RUN_TEXT = re.compile(r"<a:t>([^<]*)</a:t>")


def drawn_text(xml: str) -> str:
    """The text of shapes this writer drew: its paragraphs that are not blank, one per line.

    Read off the small fragment just built (runs are ``<a:t>`` with only &amp; &lt; &gt;
    escaped, paragraphs never nest), so a build never parses its own package again; a test
    holds the result equal to what scan reads from every built file.
    """
    paragraphs = ("".join(_RUN_TEXT.findall(chunk)) for chunk in xml.split("</a:p>")[:-1])
    text = "\n".join(paragraph for paragraph in paragraphs if paragraph.strip())
    return unescape(text) if "&" in text else text


@functools.lru_cache(maxsize=FRAGMENTS)
def fragment_text(xml: str) -> str:
    """:func:`drawn_text`, read once per fragment."""
    return drawn_text(xml)


def joined(parts: list[str]) -> tuple[str, str]:
    """The shapes' XML and text; a paragraph never spans two shapes, so the text is read shape by shape."""
    return "".join(parts), "\n".join(text for text in map(fragment_text, parts) if text)


def table_shape(shape_id: int, slide: PlanSlide, box: tuple[int, int, int, int]) -> str:
    """A table drawn in the body's place: the agenda, the references or a district's contacts."""
    x, y, cx, cy = box
    header, *rows = slide.table
    local = slide.kind == "local"
    widths = _column_widths(slide.table, cx)
    padding = 50_000  # the cells' top and bottom margins, and a little air
    for size in (2000, 1800, 1600, 1400, 1200):  # the largest type that fits the body
        line_height = size * 127 * 115 // 100  # EMU per line: hundredths of a point, 1.15 line spacing
        heights = [_row_lines(row, widths, size) * line_height + padding for row in slide.table]
        if sum(heights) <= cy:
            break
    head_fill = WARM_DARK if local else BLUE
    grid = "".join(f'<a:gridCol w="{w}"/>' for w in widths)
    body = [_table_row(header, heights[0], size, head_fill, "FFFFFF", bold=True)]
    for index, row in enumerate(rows):
        pause = slide.kind == "agenda" and row[-1].startswith(("Paus", "Fika", "Lunch"))
        fill = WARM_SHADE if local and index % 2 else (PANEL if index % 2 else "FFFFFF")
        body.append(_table_row(row, heights[index + 1], size, fill, INK_SOFT if pause else INK, italic=pause))
    height = min(cy, sum(heights))
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Tabell" '
        f"descr={quoteattr(slide.title)}/>"
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{height}"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
        f'<a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid>{grid}</a:tblGrid>{"".join(body)}</a:tbl>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


def _row_lines(row: tuple[str, ...], widths: list[int], size: int) -> int:
    """Lines the row's fullest cell wraps to: an average character is about half the type size wide."""
    lines = 1
    for text, width in zip(row, widths, strict=False):
        per_line = max(1, (width - 182_880) * 2 // (size * 127))
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in text.split("\n")))
    return lines


def _column_widths(table: tuple[tuple[str, ...], ...], width: int) -> list[int]:
    """Columns as wide as their longest line asks, within limits, filling ``width``."""
    columns = len(table[0])
    wants = [max(min(max(len(line) for line in row[c].split("\n")), 60) for row in table) + 2 for c in range(columns)]
    total = sum(wants)
    widths = [max(width * want // total, width // (columns * 3)) for want in wants]
    widths[-1] = width - sum(widths[:-1])
    return widths


def _table_row(
    cells: tuple[str, ...], height: int, size: int, fill: str, color: str, *, bold: bool = False, italic: bool = False
) -> str:
    border = f'<a:solidFill><a:srgbClr val="{RULE}"/></a:solidFill>'
    xml = [f'<a:tr h="{height}">']
    for cell in cells:
        paragraphs = "".join(
            f"<a:p>{_run(line, size=size, color=color, bold=bold, italic=italic)}</a:p>" for line in cell.split("\n")
        )
        xml.append(
            f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>"
            '<a:tcPr marL="91440" marR="91440" marT="18288" marB="18288" anchor="ctr">'
            '<a:lnL w="0"><a:noFill/></a:lnL><a:lnR w="0"><a:noFill/></a:lnR>'
            '<a:lnT w="0"><a:noFill/></a:lnT>'
            f'<a:lnB w="9525">{border}</a:lnB>'
            f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill></a:tcPr></a:tc>'
        )
    xml.append("</a:tr>")
    return "".join(xml)


def _run(
    text: str, *, size: int | None = None, color: str | None = None, bold: bool = False, italic: bool = False
) -> str:
    attributes = f'lang="{_LANG}"' + (f' sz="{size}"' if size else "") + (' b="1"' if bold else "")
    attributes += ' i="1"' if italic else ""
    fill = f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else ""
    return f'<a:r><a:rPr {attributes} dirty="0">{fill}</a:rPr><a:t>{escape(swedish_quotes(text))}</a:t></a:r>'


_NO_BULLET = '<a:pPr marL="0" indent="0"><a:buNone/></a:pPr>'


_NUMBERED = re.compile(r"^\d+\. ")


def paragraphs_xml(
    lines: Sequence[str], first_bold: bool = False, numbered: bool = False, start_at: int = 1, size: int | None = None
) -> str:
    """Paragraphs of a placeholder.

    A bold column heading and self-numbered lines get no bullet; ``numbered`` steps are
    numbered by the paragraph format with a hanging indent, so wrapped lines align.
    """
    if not lines:
        return f'<a:p><a:endParaRPr lang="{_LANG}"/></a:p>'
    typed_numbers = not numbered and all(_NUMBERED.match(line) for line in lines)
    start = f' startAt="{start_at}"' if start_at != 1 else ""
    steps = (
        f'<a:pPr marL="571500" indent="-571500"><a:buClr><a:srgbClr val="{WARM_DARK}"/></a:buClr>'
        f'<a:buFont typeface="+mj-lt"/><a:buAutoNum type="arabicPeriod"{start}/></a:pPr>'
    )
    paragraphs = []
    for i, line in enumerate(lines):
        heading = first_bold and i == 0
        properties = steps if numbered else _NO_BULLET if heading or typed_numbers else ""
        paragraphs.append(f"<a:p>{properties}{_run(line, bold=heading, size=size)}</a:p>")
    return "".join(paragraphs)


def _fitting_size(lines: Sequence[str], box: tuple[int, int, int, int], size: int, numbered: bool) -> int | None:
    """A smaller type size when the text would run past the box at the layout's; else None.

    Estimated, not measured: an average character is about 0.45 of the type size wide and a
    paragraph takes its lines plus about a third of a line of spacing. LibreOffice does not
    shrink overflowing text itself, so the deck must not rely on autofit.
    """
    _, _, cx, cy = box
    indent = 571_500 if numbered else 342_900
    for candidate in range(size, 1199, -200):
        per_line = max(1, (cx - indent - 182_880) * 20 // (candidate * 127 * 9))
        wrapped = sum(-(-max(len(line), 1) // per_line) for line in lines)
        height = (wrapped * 12 + len(lines) * 4) * candidate * 127 // 10 + 91_440
        if height <= cy:
            return None if candidate == size else candidate
    return 1200


@functools.lru_cache(maxsize=FRAGMENTS)
def placeholder_shape(
    shape_id: int,
    name: str,
    placeholder: Placeholder | None,
    lines: tuple[str, ...],
    first_bold: bool = False,
    box: tuple[int, int, int, int] | None = None,
    numbered: bool = False,
    start_at: int = 1,
) -> str:
    """A shape filling a layout's placeholder with lines of text, the type made smaller if they would overflow."""
    attributes = placeholder.attributes if placeholder else 'type="body"'
    geometry = xfrm(box) if box else ""
    area = box or (placeholder.box if placeholder else None)
    size = None
    if placeholder is not None and placeholder.idx != 0 and area is not None:
        size = _fitting_size(lines, area, placeholder.size or 2000, numbered)
    paragraphs = paragraphs_xml(lines, first_bold, numbered, start_at, size)
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {attributes}/></p:nvPr></p:nvSpPr><p:spPr>{geometry}</p:spPr>"
        f"<p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"
    )


def xfrm(box: tuple[int, int, int, int]) -> str:
    """A shape's position and size."""
    x, y, cx, cy = box
    return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'


@functools.lru_cache(maxsize=FRAGMENTS)
def textbox(
    shape_id: int,
    name: str,
    box: tuple[int, int, int, int],
    text: str,
    *,
    size: int,
    color: str,
    align: str,
    bold: bool = False,
) -> str:
    """A text box of one line, with its own type size, colour and alignment."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
        f'<p:spPr>{xfrm(box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        f'<p:txBody><a:bodyPr wrap="square" lIns="0" rIns="0" anchor="ctr"><a:normAutofit/></a:bodyPr><a:lstStyle/>'
        f'<a:p><a:pPr algn="{align}"/>{_run(text, size=size, color=color, bold=bold)}</a:p></p:txBody></p:sp>'
    )
