"""A small WordprocessingML writer for the survey's Word files: paragraphs, tables and tick boxes.

The packs' writer (``render/docx_writer``) lays planned blocks onto a template; a form needs
exact control of one A4 page instead, so this writes a complete package of its own, in the
same way (XML as text, escaped), and stamps it with ``render/package.write_package``.
Sizes are in half-points (``sz``: 20 = 10 pt) and twentieths of a point (twips).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vastbus_cli.xmltext import escape

#: A4 in twips, and the margins the form uses (1.5 cm sides, 1.2 cm top and bottom).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP = 850, 680
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
#: The body text: readable on paper, at least 10 pt.
BODY_FONT = "Arial"
BODY_SIZE = 20
#: A tick box, in a font that has it (Word on Windows; LibreOffice falls back to one that has).
BOX = "\u2610"
BOX_FONT = "Segoe UI Symbol"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Run:
    """A piece of text with one look."""

    text: str
    bold: bool = False
    size: int | None = None
    font: str | None = None
    italic: bool = False

    def xml(self) -> str:
        """The run as WordprocessingML."""
        props = ""
        if self.font:
            props += (
                f'<w:rFonts w:ascii="{self.font}" w:hAnsi="{self.font}" w:cs="{self.font}" w:eastAsia="{self.font}"/>'
            )
        if self.bold:
            props += "<w:b/>"
        if self.italic:
            props += "<w:i/>"
        if self.size:
            props += f'<w:sz w:val="{self.size}"/><w:szCs w:val="{self.size}"/>'
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(self.text)}</w:t></w:r>'


def box(label: str, size: int | None = None) -> list[Run]:
    """A tick box and its label, e.g. ``☐ Stämmer``."""
    return [Run(BOX, size=size, font=BOX_FONT), Run(f"\u00a0{label}", size=size)]


def paragraph(
    runs: Iterable[Run] | str,
    *,
    after: int = 60,
    before: int = 0,
    keep_next: bool = False,
    align: str | None = None,
    indent: int = 0,
    hanging: int = 0,
    tabs: Sequence[int] = (),
) -> str:
    """One paragraph; spacing, indents and left tab stops in twips (``hanging``: lines after the first)."""
    if isinstance(runs, str):
        runs = [Run(runs)]
    props = ""
    if keep_next:
        props += "<w:keepNext/><w:keepLines/>"
    if tabs:
        props += "<w:tabs>" + "".join(f'<w:tab w:val="left" w:pos="{pos}"/>' for pos in tabs) + "</w:tabs>"
    props += f'<w:spacing w:before="{before}" w:after="{after}" w:line="240" w:lineRule="auto"/>'
    if indent or hanging:
        props += f'<w:ind w:left="{indent + hanging}" w:hanging="{hanging}"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    body = "".join(_run_or_tab(run) for run in runs)
    return f"<w:p><w:pPr>{props}</w:pPr>{body}</w:p>"


#: A run whose text is exactly this is written as a tab, so that tick lists line up in columns.
TAB = Run("\t")


def _run_or_tab(run: Run) -> str:
    return "<w:r><w:tab/></w:r>" if run is TAB else run.xml()


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs (XML), how many grid columns it spans, and a shade."""

    paragraphs: tuple[str, ...]
    span: int = 1
    shade: str | None = None
    align: str = "top"


def table(rows: Sequence[Sequence[Cell]], widths: Sequence[int], *, header: bool = False) -> str:
    """A table with thin grey borders; ``header`` repeats the first row on a new page."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    border = 'w:val="single" w:sz="4" w:space="0" w:color="A6A6A6"'
    borders = "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="30" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
        '<w:bottom w:w="30" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for index, row in enumerate(rows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header and index == 0 else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        column = 0
        for cell in row:
            width = sum(widths[column : column + cell.span])
            column += cell.span
            props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.span > 1:
                props += f'<w:gridSpan w:val="{cell.span}"/>'
            if cell.shade:
                props += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.shade}"/>'
            props += f'<w:vAlign w:val="{cell.align}"/>'
            out.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(cell.paragraphs) or '<w:p/>'}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _styles() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:cs="{BODY_FONT}" w:eastAsia="{BODY_FONT}"/>'
        f'<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/><w:lang w:val="sv-SE"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style></w:styles>"
    )


def _font_table() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:charset w:val="00"/><w:family w:val="{family}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, family in ((BODY_FONT, "swiss"), (BOX_FONT, "swiss"))
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">{fonts}</w:fonts>'


def _theme() -> str:
    """The smallest complete theme: Word wants one; the document sets its own fonts and colours."""
    colours = "".join(
        f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>'
        for name, value in (
            ("dk1", "000000"),
            ("lt1", "FFFFFF"),
            ("dk2", "1F3864"),
            ("lt2", "E7E6E6"),
            ("accent1", "4472C4"),
            ("accent2", "ED7D31"),
            ("accent3", "A5A5A5"),
            ("accent4", "FFC000"),
            ("accent5", "5B9BD5"),
            ("accent6", "70AD47"),
            ("hlink", "0563C1"),
            ("folHlink", "954F72"),
        )
    )
    font = f'<a:latin typeface="{BODY_FONT}"/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{fill}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="vastbus">'
        f'<a:themeElements><a:clrScheme name="vastbus">{colours}</a:clrScheme>'
        f'<a:fontScheme name="vastbus"><a:majorFont>{font}</a:majorFont>'
        f"<a:minorFont>{font}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="vastbus"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{effect * 3}</a:effectStyleLst><a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme></a:themeElements></a:theme>"
    )


def _core(title: str, day: dt.date, subject: str) -> str:
    moment = f"{day.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:subject>{escape(subject)}</dc:subject>"
        "<dc:creator>vastbus</dc:creator><cp:lastModifiedBy>vastbus</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        "<dc:language>sv-SE</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>'
    )


def document_entries(body: Sequence[str], *, title: str, subject: str, day: dt.date) -> dict[str, bytes]:
    """The parts of a Word document on A4 with this body (paragraph and table XML), unstamped."""
    section = (
        f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}"/>'
        f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" w:bottom="{MARGIN_TOP}" w:left="{MARGIN_SIDE}" '
        'w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{"".join(body)}{section}</w:body></w:document>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/fontTable.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
        '<Override PartName="/word/theme/theme1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/></Relationships>'
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/fontTable" Target="fontTable.xml"/>'
        f'<Relationship Id="rId4" Type="{_DOC_REL}/theme" Target="theme/theme1.xml"/></Relationships>'
    )
    settings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="709"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat></w:settings>"
    )
    return {
        "[Content_Types].xml": types.encode(),
        "_rels/.rels": root_rels.encode(),
        "word/document.xml": document.encode(),
        "word/_rels/document.xml.rels": document_rels.encode(),
        "word/styles.xml": _styles().encode(),
        "word/settings.xml": settings.encode(),
        "word/fontTable.xml": _font_table().encode(),
        "word/theme/theme1.xml": _theme().encode(),
        "docProps/core.xml": _core(title, day, subject).encode(),
    }
