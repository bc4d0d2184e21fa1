"""The shapes of a slide in PresentationML: text runs, paragraphs, placeholders, text boxes and tables.

Each is a small XML fragment drawn from plain values, so equal shapes in many districts'
decks are drawn once (the caches below); :mod:`vastbus_cli.render.pptx_writer` assembles
them into slides. :func:`drawn_text` reads back the text of a fragment as scan reads it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vastbus_cli.render.metrics import EMU_PER_POINT, ROW_PADDING, TextBox, column_widths, font_metrics, row_lines
from vastbus_cli.render.packplan import PlanSlide
from vastbus_cli.render.typography import swedish_quotes
from vastbus_cli.xmltext import escape, quoteattr, unescape

GREY, ORANGE = "5F6B7A", "C55A11"
BLUE, INK, INK_SOFT, PANEL, RULE = "1F4E79", "1F2933", "3E4C59", "EEF3F8", "D5DCE4"
WARM_DARK, WARM_SHADE = "A34A0E", "FDF1E7"
_LANG = "sv-SE"


#: The smallest body text and title a deck draws when the text fits at that size (hundredths of a point).
BODY_MINIMUM, TITLE_MINIMUM = 2400, 2800
#: Type sizes a table tries, largest first: the agenda at 24 pt, a long table smaller, never under 16 pt if it fits.
TABLE_SIZES = (2400, 2200, 2000, 1800, 1600, 1400, 1200)
_AIRY_ROW = 260_000  # EMU per row of a table slide's rows, when the table fits with them

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
    text: TextBox | None = None  # the box as text fills it (insets, indent, spacing), for measuring


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
    widths = column_widths(slide.table, cx)
    line = font_metrics().line_height
    # A table slide (a plan: vem / vad / när) gets airy rows while they fit; a long table gets the
    # cells' margins and a little air only.
    tries = [(size, _AIRY_ROW) for size in TABLE_SIZES[:1]] if slide.kind == "table" else []
    for size, padding in [*tries, *((size, ROW_PADDING) for size in TABLE_SIZES)]:  # the largest type that fits
        line_height = int(size / 100 * line * EMU_PER_POINT)
        heights = [row_lines(row, widths, size, i == 0) * line_height + padding for i, row in enumerate(slide.table)]
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
    y += (cy - height) // 2  # a short table sits in the middle of the body, not in its top third
    return (
        f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{shape_id}" name="Tabell" '
        f"descr={quoteattr(slide.title)}/>"
        '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
        f'<p:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{height}"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
        f'<a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid>{grid}</a:tblGrid>{"".join(body)}</a:tbl>'
        "</a:graphicData></a:graphic></p:graphicFrame>"
    )


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


def _fitting_size(lines: Sequence[str], text: TextBox, size: int, smallest: int, *, title: bool = False) -> int | None:
    """A smaller type size when the text would run past the box at the layout's; else None.

    Measured with the template font's advance widths in the box as the layout sets text in it
    (:mod:`vastbus_cli.render.metrics`), the way ``vastbus check`` measures it. LibreOffice does
    not shrink overflowing text itself, so the deck must not rely on autofit. Body text goes no
    smaller than ``smallest`` while it fits there, then smaller only as a last resort (the
    design/small-type rule has warned); a title never goes under ``smallest``.
    """
    floor = smallest if title else 1200
    for candidate in range(size, floor - 1, -100 if title else -200):
        if text.fits(tuple(lines), candidate / 100):
            return None if candidate == size else candidate
    return floor


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
    if placeholder is not None and area is not None:
        title = placeholder.idx == 0
        laid = placeholder.text or TextBox(area, size=(placeholder.size or 2000) / 100)
        laid = laid.resized(area)
        if numbered:
            laid = dataclasses.replace(laid, margin=571_500)
        largest = placeholder.size or round(laid.size * 100)
        smallest = min(largest, TITLE_MINIMUM if title else BODY_MINIMUM)
        size = _fitting_size(lines, laid, largest, smallest, title=title)
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
