"""Diagrams drawn as native shapes: DrawingML groups for slides, shaded tables for Word.

A picture of a diagram cannot be corrected, translated or restyled by the people who
maintain the decks, and a screen reader gets one alt text for it at best. Shapes in one
group stay editable, take the theme's minor font (``+mn-lt``) and carry the alt text on
the group. LibreOffice does not shrink text the way PowerPoint does, so font sizes are
computed here from the template font's advance widths (:mod:`vastbus_cli.render.metrics`), and boxes are
sized to fit the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from vastbus_cli.render.metrics import font_metrics, wrap
from vastbus_cli.render.packplan import PlanDiagram
from vastbus_cli.render.typography import swedish_quotes
from vastbus_cli.xmltext import escape, quoteattr

BLUE, TEAL, TEAL_LIGHT = "1F4E79", "2E7D7A", "8FD1CC"
INK, INK_SOFT, PANEL, RULE, WHITE = "1F2933", "3E4C59", "EEF3F8", "D5DCE4", "FFFFFF"
IN_FORCE = "Gäller nu"  # said in words as well as colour, for readers who cannot tell the colours apart

Box = tuple[int, int, int, int]
_LANG = "sv-SE"
_PT, _INCH, _TWIP = 12_700, 914_400, 635  # EMU
_PAD = 64_000  # inner margin of text in shapes
_TIP = 30_000  # depth of a chevron's point, in thousandths of per cent of its height
_UNFITTED = 800  # the floor when even a single word is wider than its box
_SIDES = ("top", "left", "bottom", "right")
_MARGINS = "".join(f'<w:{side} w:w="100" w:type="dxa"/>' for side in _SIDES)


def _lines(text: str, size: int, width: int, bold: bool = False) -> int:
    """Lines ``text`` wraps to at ``size`` (hundredths of a point) in ``width`` EMU, with the template font's widths."""
    return wrap(text, width / _PT, size / 100, bold=bold)


def _fits(text: str, size: int, width: int, max_lines: int, bold: bool) -> bool:
    metrics = font_metrics()
    longest = max((metrics.width(word, size / 100, bold=bold) for word in text.split()), default=0.0)
    return longest * _PT <= width and _lines(text, size, width, bold) <= max_lines


def _fit(texts: Sequence[str], width: int, max_lines: int, largest: int, smallest: int, bold: bool = False) -> int:
    """The largest size, in whole points, at which every text fits ``max_lines`` lines of ``width``.

    Words stay whole when they can at a readable size; else they may break after a hyphen, as
    PowerPoint, LibreOffice and Word break them; only a part still too wide goes below ``smallest``.
    """
    broken = [text.replace("-", "- ") for text in texts]
    readable = range(largest, smallest - 1, -100)
    for candidates, lines, sizes in ((texts, max_lines, readable), (broken, max_lines, readable)):
        for size in sizes:
            if all(_fits(text, size, width, lines, bold) for text in candidates):
                return size
    for size in range(smallest, _UNFITTED - 1, -100):
        if all(_fits(text, size, width, 99, bold) for text in broken):
            return size
    return _UNFITTED


def _height(lines: int, size: int) -> int:
    return int(lines * size * 1.2 * _PT / 100)


def _para(text: str, size: int, color: str, bold: bool = False, align: str = "ctr", before: int = 0) -> str:
    spacing = f'<a:spcBef><a:spcPts val="{before}"/></a:spcBef>' if before else ""
    weight = ' b="1"' if bold else ""
    return (
        f'<a:p><a:pPr marL="0" indent="0" algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>{spacing}'
        f'<a:buNone/></a:pPr><a:r><a:rPr lang="{_LANG}" sz="{size}"{weight} dirty="0">'
        f'{_solid(color)}<a:latin typeface="+mn-lt"/></a:rPr><a:t>{escape(swedish_quotes(text))}</a:t></a:r></a:p>'
    )


def _solid(color: str | None) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>' if color else "<a:noFill/>"


def _xfrm(box: Box, child: bool = False) -> str:
    x, y, cx, cy = box
    inner = f'<a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/>'
    return f"<a:xfrm>{inner}{inner.replace('off', 'chOff').replace('ext', 'chExt') if child else ''}</a:xfrm>"


class _Drawing:
    """The shapes of one group, numbered after the group's id, and the boxes they take."""

    def __init__(self, group_id: int) -> None:
        self.group_id, self.next_id = group_id, group_id + 1
        self.parts: list[str] = []
        self.boxes: list[Box] = []

    def shape(
        self,
        name: str,
        box: Box,
        prst: str = "rect",
        fill: str | None = None,
        line: str | None = None,
        *,
        text: Sequence[str] = (),
        insets: tuple[int, int, int, int] = (_PAD, _PAD, _PAD, _PAD),
        anchor: str = "ctr",
        heavy: bool = False,
    ) -> None:
        """One preset shape; rounded corners keep one radius whatever the shape's size."""
        radius = min(50_000, 73_000 * 100_000 // max(1, min(box[2], box[3])))
        adjust = {"roundRect": [radius], "round2SameRect": [radius, 0], "chevron": [_TIP], "homePlate": [_TIP]}
        values = adjust.get(prst, [])
        guides = "".join(
            f'<a:gd name="adj{i + 1 if len(values) > 1 else ""}" fmla="val {v}"/>' for i, v in enumerate(values)
        )
        outline = (
            f'<a:ln w="{28_575 if heavy else 12_700}">{_solid(line)}</a:ln>' if line else "<a:ln><a:noFill/></a:ln>"
        )
        left, top, right, bottom = insets
        text_box = ' txBox="1"' if fill is None and line is None else ""
        body = (
            f'<p:txBody><a:bodyPr wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" bIns="{bottom}" '
            f'anchor="{anchor}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>{"".join(text)}</p:txBody>'
        )
        self.parts.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{self.next_id}" name={quoteattr(swedish_quotes(name))}/>'
            f"<p:cNvSpPr{text_box}/><p:nvPr/></p:nvSpPr><p:spPr>"
            f'{_xfrm(box)}<a:prstGeom prst="{prst}"><a:avLst>{guides}</a:avLst></a:prstGeom>{_solid(fill)}{outline}'
            f"</p:spPr>{body if text else ''}</p:sp>"
        )
        self.next_id += 1
        self.boxes.append(box)

    def arrow(self, name: str, box: Box) -> None:
        """A straight connector with an arrowhead at its end, for the direction of time."""
        self.parts.append(
            f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{self.next_id}" name={quoteattr(name)}/><p:cNvCxnSpPr/><p:nvPr/>'
            f'</p:nvCxnSpPr><p:spPr>{_xfrm(box)}<a:prstGeom prst="straightConnector1"><a:avLst/></a:prstGeom>'
            f'<a:ln w="28575">{_solid(BLUE)}<a:tailEnd type="triangle" w="med" len="med"/></a:ln></p:spPr></p:cxnSp>'
        )
        self.next_id += 1
        self.boxes.append(box)

    def group(self, name: str, descr: str) -> tuple[str, int]:
        left, top = min(b[0] for b in self.boxes), min(b[1] for b in self.boxes)
        right, bottom = max(b[0] + b[2] for b in self.boxes), max(b[1] + b[3] for b in self.boxes)
        xml = (
            f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{self.group_id}" name={quoteattr(swedish_quotes(name))} '
            f"descr={quoteattr(swedish_quotes(descr))}/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>"
            f"{_xfrm((left, top, right - left, bottom - top), child=True)}</p:grpSpPr>{''.join(self.parts)}</p:grpSp>"
        )
        return xml, self.next_id


def _checked(diagram: PlanDiagram) -> int:
    if not diagram.items:
        raise ValueError(f"the diagram {diagram.title!r} has no items to draw")
    return len(diagram.items)


def _chevrons(x: int, cx: int, height: int, n: int, gap: int) -> tuple[list[int], int, int]:
    """Left edges of ``n`` chevrons nested into each other across ``cx``, their width and the depth of a point."""
    tip = height * _TIP // 100_000
    width = (cx + (n - 1) * (tip - gap)) // n
    return [x + i * (width - tip + gap) for i in range(n)], width, tip


def slide_diagram(diagram: PlanDiagram, box: Box, shape_id: int) -> tuple[str, int]:
    """DrawingML for a slide's spTree: one ``<p:grpSp>`` holding every shape of the diagram.

    The shapes fill ``box`` = (x, y, cx, cy) in EMU across its width and are centred in it
    vertically; the group's name is the diagram's title and its ``descr`` the alt text.

    Returns:
        The XML and the next free shape id (the group and its shapes use ids from ``shape_id``).

    Raises:
        ValueError: the diagram has no items.
    """
    _checked(diagram)
    drawing = _Drawing(shape_id)
    {"steps": _steps, "levels": _levels, "editions": _editions, "organisation": _organisation}[diagram.kind](
        drawing, diagram, box
    )
    return drawing.group(diagram.title, diagram.alt)


def _steps(d: _Drawing, diagram: PlanDiagram, box: Box) -> None:
    x, y, cx, cy = box
    items, n = diagram.items, len(diagram.items)
    details = [item.detail for item in items]
    # Never taller than most of a step's share of the width, or the points would eat the text.
    height = min(int(1.15 * _INCH), cy * 45 // 100 if any(details) else cy, cx * 8 // (10 * n))
    gap = int(0.06 * _INCH)
    # A taller chevron has a deeper point and so less room for text: fit the labels, grow the
    # chevrons to hold them, and fit again in what is left, until the two agree.
    size, grown = 0, height
    for _ in range(4):
        lefts, width, tip = _chevrons(x, cx, min(grown, cx // n), n, gap)
        # A chevron's text box stops short of its notch and point; the first step's starts a half point in.
        text_width = width - 2 * tip - tip // 2
        # Labels at 18 pt or more, read from the back row: three lines in a chevron before they get smaller.
        size = _fit([item.label for item in items], text_width, 3, 2400, 1800, bold=True)
        label_lines = max(_lines(item.label, size, text_width, True) for item in items)
        needed = max(height, _height(1, size + 400) + _height(label_lines, size) + 2 * _PAD)
        if needed == grown:
            break
        grown = needed
    height = grown
    detail_width = width - tip - 2 * gap
    detail_size = _fit(details, detail_width, 4, 2000, 1800, bold=True)  # the highlighted step's is bold
    detail_height = _height(
        max((_lines(t, detail_size, detail_width, True) for t in details if t), default=0), detail_size
    )
    space = int(0.18 * _INCH) if detail_height else 0
    top = y + max(0, cy - height - space - detail_height) // 2
    for i, (item, left) in enumerate(zip(items, lefts, strict=True)):
        marked = diagram.highlight == i + 1
        pale = diagram.highlight in range(1, n + 1) and not marked
        fill, ink, number = (PANEL, INK, BLUE) if pale else (BLUE, WHITE, TEAL_LIGHT)
        # The flat-started first step keeps its text centred where the chevrons' text is.
        insets = (tip // 2 if i == 0 else 0, _PAD, 0, _PAD)
        label = [_para(str(i + 1), size + 400, number, True), _para(item.label, size, ink, True)]
        shape = "homePlate" if i == 0 else "chevron"
        line = RULE if pale else None
        d.shape(f"Steg {i + 1}", (left, top, width, height), shape, fill, line, text=label, insets=insets)
        if item.detail:
            under = (left + (width - detail_width) // 2, top + height + space, detail_width, detail_height)
            explained = [_para(item.detail, detail_size, INK if marked else INK_SOFT, marked)]
            d.shape(f"Steg {i + 1}, förklaring", under, text=explained, insets=(0, 0, 0, 0), anchor="t")


def slide_tracker(diagram: PlanDiagram, box: Box, shape_id: int) -> tuple[str, int]:
    """A row of chevrons that shows where in the steps a slide is.

    The highlighted step is wide, filled deep blue and named in bold white text; the others
    are pale and show their number only, so every label is readable from the back row
    (16 pt or more) without crowding the title below. The group's ``descr`` says "Steg 3 av 6: …".

    Returns:
        The XML of one ``<p:grpSp>`` and the next free shape id.

    Raises:
        ValueError: the diagram has no items.
    """
    n = _checked(diagram)
    x, y, cx, cy = box
    drawing = _Drawing(shape_id)
    gap = int(0.03 * _INCH)
    current = diagram.highlight if diagram.highlight in range(1, n + 1) else None
    lefts, width, tip = _chevrons(x, cx, cy, n, gap)
    widths = [width] * n
    labels = [f"{i + 1} {item.label}" for i, item in enumerate(diagram.items)]
    if current is not None and n > 1:
        # The others as narrow as a number needs; the current step takes the rest of the row.
        narrow = min(width, 2 * tip + int(0.55 * _INCH))
        widths = [narrow] * n
        widths[current - 1] = cx - (n - 1) * narrow + (n - 1) * (tip - gap)
        lefts = [x + sum(widths[:i]) - i * (tip - gap) for i in range(n)]
        labels = [label if i + 1 == current else str(i + 1) for i, label in enumerate(labels)]
    lines = 1 if _height(2, 1600) > cy else 2
    size = min(
        _fit([label], w - 2 * tip - _PAD, lines, 2400, 1600, bold=True) for label, w in zip(labels, widths, strict=True)
    )
    for i, (label, left) in enumerate(zip(labels, lefts, strict=True)):
        marked = diagram.highlight == i + 1
        width = widths[i]
        text = [_para(label, size, WHITE if marked else INK, True)]
        insets = (tip // 2 + _PAD // 2 if i == 0 else _PAD // 2, 0, _PAD // 2, 0)
        shape, fill, line = "homePlate" if i == 0 else "chevron", BLUE if marked else PANEL, None if marked else RULE
        drawing.shape(f"Steg {i + 1}", (left, y, width, cy), shape, fill, line, text=text, insets=insets)
    marked_label = diagram.items[current - 1].label if current else None
    return drawing.group(diagram.title, f"Steg {current} av {n}: {marked_label}" if marked_label else diagram.alt)


def _levels(d: _Drawing, diagram: PlanDiagram, box: Box) -> None:
    x, y, cx, cy = box
    items, n = diagram.items, len(diagram.items)
    gap = int(0.12 * _INCH)
    # Each level below is narrower on both sides: the region spans more than a district does.
    indent = min(cx // 24, int(0.45 * _INCH))
    narrowest = cx - 2 * indent * (n - 1)
    label_width, detail_width = narrowest * 30 // 100, narrowest * 70 // 100 - 4 * _PAD
    size = _fit([item.label for item in items], label_width - 2 * _PAD, 2, 2000, 1600, bold=True)
    detail_size = _fit([item.detail for item in items], detail_width, 2, 1800, 1600)
    needed = max(
        max(_height(_lines(i.label, size, label_width - 2 * _PAD, True), size) for i in items),
        max(_height(_lines(i.detail, detail_size, detail_width), detail_size) for i in items),
    )
    row = max(min((cy - (n - 1) * gap) // n, int(1.1 * _INCH)), needed + 2 * _PAD)
    top = y + max(0, cy - n * row - (n - 1) * gap) // 2
    for i, item in enumerate(items):
        marked = diagram.highlight == i + 1
        left, row_top = x + i * indent, top + i * (row + gap)
        detail = [_para(item.detail, detail_size, INK, marked, "l")] if item.detail else []
        panel, line, fill = (
            (left, row_top, cx - 2 * i * indent, row),
            TEAL if marked else RULE,
            TEAL if marked else BLUE,
        )
        insets = (label_width + 2 * _PAD, _PAD, 2 * _PAD, _PAD)
        d.shape(f"Nivå {i + 1}", panel, "roundRect", PANEL, line, text=detail, insets=insets, heavy=marked)
        label = [_para(item.label, size, WHITE, True)]
        d.shape(f"Nivå {i + 1}, namn", (left, row_top, label_width, row), "roundRect", fill, text=label)


def _editions(d: _Drawing, diagram: PlanDiagram, box: Box) -> None:
    x, y, cx, cy = box
    items, n = diagram.items, len(diagram.items)
    column = cx // n
    text_width = column - int(0.2 * _INCH)
    year_size = _fit([item.label for item in items], text_width, 1, 2800, 2000, bold=True)
    size = _fit([item.detail for item in items], text_width, 3, 2000, 1800, bold=True)  # the current one is bold
    lines = max(_lines(item.detail, size, text_width, True) for item in items) + (1 if diagram.highlight else 0)
    dot, big, space = int(0.28 * _INCH), int(0.46 * _INCH), int(0.12 * _INCH)
    year_height, name_height = _height(1, year_size), _height(lines, size)
    top = y + max(0, cy - year_height - big - name_height - 2 * space) // 2
    middle = top + year_height + space + big // 2
    d.arrow("Tidslinje", (x, middle, cx, 0))
    for i, item in enumerate(items):
        marked = diagram.highlight == i + 1
        centre, diameter = x + column * i + column // 2, big if marked else dot
        circle = (centre - diameter // 2, middle - diameter // 2, diameter, diameter)
        fill, ring = (TEAL, TEAL_LIGHT) if marked else (BLUE, WHITE)  # a white ring parts the dot from the line
        d.shape(f"{item.label}, punkt", circle, "ellipse", fill, ring, heavy=True)
        year = [_para(item.label, year_size, TEAL if marked else BLUE, True)]
        d.shape(f"{item.label}, år", (centre - text_width // 2, top, text_width, year_height), text=year, anchor="b")
        name = [_para(item.detail, size, INK, marked)]
        name += [_para(IN_FORCE, size, TEAL, True, before=300)] if marked else []
        below = (centre - text_width // 2, middle + big // 2 + space, text_width, name_height)
        d.shape(f"{item.label}, utgåva", below, text=name, insets=(0, 0, 0, 0), anchor="t")


def _organisation(d: _Drawing, diagram: PlanDiagram, box: Box) -> None:
    x, y, cx, cy = box
    items, n = diagram.items, len(diagram.items)
    gap = int(0.2 * _INCH)
    width = (cx - (n - 1) * gap) // n
    text_width = width - 2 * _PAD
    size = _fit([item.label for item in items], text_width, 2, 2400, 1600, bold=True)
    header = _height(max(_lines(item.label, size, text_width, True) for item in items), size) + 3 * _PAD
    member_size = _fit([member for item in items for member in item.members], text_width, 2, 2000, 1600)
    spacing = 600  # hundredths of a point between two districts
    body = max(
        sum(_height(_lines(m, member_size, text_width), member_size) for m in item.members)
        + max(0, len(item.members) - 1) * spacing * _PT // 100
        for item in items
    )
    height = header + body + 5 * _PAD
    top = y + max(0, cy - height) // 2
    for i, item in enumerate(items):
        marked, left = diagram.highlight == i + 1, x + i * (width + gap)
        members = [_para(m, member_size, INK, before=spacing if j else 0) for j, m in enumerate(item.members)]
        insets = (_PAD, header + 2 * _PAD, _PAD, 2 * _PAD)
        card, line = (left, top, width, height), TEAL if marked else RULE
        d.shape(f"{item.label}, stadsdelar", card, "roundRect", PANEL, line, text=members, insets=insets, anchor="t")
        name = [_para(item.label, size, WHITE, True)]
        d.shape(item.label, (left, top, width, header), "round2SameRect", TEAL if marked else BLUE, text=name)


def docx_diagram(diagram: PlanDiagram, width_twips: int) -> str:
    """WordprocessingML for a Word body: a bold caption paragraph, then the diagram as a table.

    Steps and editions are one row of equal cells, organisation a row of area names over a
    row of their districts, levels one full-width row of name and detail per level. Rows
    never split over pages and every row but the last is kept with the next, so the diagram
    stays in one piece; the table's caption and description carry the title and alt text.
    The caller follows the table with a paragraph, as Word needs between two tables.

    Raises:
        ValueError: the diagram has no items.
    """
    n = _checked(diagram)
    items, inside = diagram.items, "insideV"
    widths = [width_twips // n] * (n - 1) + [width_twips - width_twips // n * (n - 1)]
    if diagram.kind == "levels":
        widths, inside = [width_twips * 30 // 100, width_twips - width_twips * 30 // 100], "insideH"
    room = (min(widths) - 200) * _TWIP  # sizes in half-points
    sz = _fit([item.label for item in items], room, 99, 1100, 900, bold=True) // 50
    small = min(sz, _fit([t for item in items for t in (item.detail, *item.members)], room, 99, 1100, 800) // 50)
    rows = _docx_rows(diagram, widths, sz, small)
    return _docx_table(diagram, width_twips, widths, rows, inside)


def _docx_rows(diagram: PlanDiagram, widths: list[int], sz: int, small: int) -> list[list[str]]:
    """The table's rows of cells: type sizes ``sz`` for labels and ``small`` for details, in half-points."""
    items, hl, n = diagram.items, diagram.highlight, len(diagram.items)
    rows: list[list[str]] = [[], []]  # levels add a row each; the others fill the first (and second) row
    for i, item in enumerate(items):
        marked, keep, w = hl == i + 1, i < n - 1, widths[min(i, len(widths) - 1)]
        fill, ink, accent = (BLUE, WHITE, WHITE) if marked else (PANEL, INK, BLUE)
        if diagram.kind == "levels":
            label = _tc(widths[0], TEAL if marked else BLUE, [_wp(item.label, WHITE, True, sz, keep)])
            rows.append([label, _tc(widths[1], PANEL, [_wp(item.detail, INK, marked, small, keep, "left")])])
        elif diagram.kind == "organisation":
            rows[0].append(_tc(w, TEAL if marked else BLUE, [_wp(item.label, WHITE, True, sz, True)]))
            rows[1].append(_tc(w, PANEL, [_wp(m, INK, False, small) for m in item.members], "top"))
        elif diagram.kind == "steps":
            lines = [_wp(str(i + 1), accent, True, sz + 6), _wp(item.label, ink, True, sz)]
            lines += [_wp(item.detail, ink if marked else INK_SOFT, False, min(small, sz - 2))] if item.detail else []
            rows[0].append(_tc(w, fill, lines, "top"))
        else:
            lines = [_wp(item.label, accent, True, sz + 6), _wp(item.detail, ink, marked, small)]
            lines += [_wp(IN_FORCE, ink, True, small)] if marked else []
            rows[0].append(_tc(w, fill, lines, "top"))
    return [row for row in rows if row]


def _docx_table(diagram: PlanDiagram, width_twips: int, widths: list[int], rows: list[list[str]], inside: str) -> str:
    """The caption paragraph and the table around ``rows``, with white rules on the ``inside`` borders."""
    nil = "".join(f'<w:{side} w:val="nil"/>' for side in (*_SIDES, "insideH", "insideV"))
    # White rules between the shaded cells read as the gaps between the shapes of a slide.
    borders = nil.replace(
        f'<w:{inside} w:val="nil"/>', f'<w:{inside} w:val="single" w:sz="24" w:space="0" w:color="{WHITE}"/>'
    )
    caption = _wr(diagram.title, INK, True, 22)
    caption = f'<w:p><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr>{caption}</w:p>'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>" for cells in rows)
    return (
        f'{caption}<w:tbl><w:tblPr><w:tblW w:w="{width_twips}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{_MARGINS}</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" '
        'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"<w:tblCaption w:val={quoteattr(swedish_quotes(diagram.title))}/>"
        f"<w:tblDescription w:val={quoteattr(swedish_quotes(diagram.alt))}/></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def _wr(text: str, color: str, bold: bool, size: int) -> str:
    """A Word run; ``size`` in half-points."""
    weight = "<w:b/><w:bCs/>" if bold else ""
    return (
        f'<w:r><w:rPr>{weight}<w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        f'<w:lang w:val="{_LANG}"/></w:rPr><w:t xml:space="preserve">{escape(swedish_quotes(text))}</w:t></w:r>'
    )


def _wp(text: str, color: str, bold: bool, size: int, keep: bool = False, align: str = "center") -> str:
    """A paragraph of a cell; ``keep`` holds it on the page of the next row."""
    return (
        f'<w:p><w:pPr>{"<w:keepNext/>" if keep else ""}<w:spacing w:before="0" w:after="60" w:line="240" '
        f'w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>{_wr(text, color, bold, size) if text else ""}</w:p>'
    )


def _tc(width: int, fill: str, paragraphs: Sequence[str], align: str = "center") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
        f'<w:vAlign w:val="{align}"/></w:tcPr>{"".join(paragraphs) or "<w:p/>"}</w:tc>'
    )
