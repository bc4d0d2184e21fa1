"""Lays a handout or trainer guide onto a Word template by writing WordprocessingML directly.

The template's styles, numbering, theme and page set-up are copied as is; the writer
replaces the body with the planned blocks and adds a footer part. Styles are referred
to by the ids the template gives their names, so a restyled template keeps working.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli.i18n import _
from vastbus_cli.render.contract import DOCX_TABLE_STYLE
from vastbus_cli.render.diagrams import docx_diagram
from vastbus_cli.render.memo import remember
from vastbus_cli.render.package import Entries, WrittenText, core_properties_xml
from vastbus_cli.render.packplan import Block, DocumentPlan, NoteLine, SlidePage, Stamp
from vastbus_cli.render.templates import BrokenTemplate, usable_package
from vastbus_cli.render.typography import quoted, swedish_quotes
from vastbus_cli.xmltext import escape, unescape

_STYLE = {
    "title": "Title",
    "subtitle": "Subtitle",
    "paragraph": "Normal",
    "note": "Vastbus Anteckning",
    "local": "Vastbus Lokalt",
    "reference": "Vastbus Referens",
}
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_FOOTER_PART = "word/footer-vastbus.xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_TEXT_WIDTH_TWIPS = 9000
#: Blocks that belong to the paragraph before them: a lead-in is never left alone at a page bottom.
_FOLLOWS = frozenset({"bullets", "numbered", "checklist", "table", "diagram", "note", "quote", "slide", "reference"})


@dataclass(frozen=True)
class _Template:
    entries: dict[str, bytes]
    style_ids: dict[str, str]  # lower-case style name → style id
    list_abstract: str | None  # abstract numbering of the "List Number" style
    next_num_id: int
    document_head: str  # document.xml up to and including <w:body>
    section: str  # the body's final <w:sectPr>
    margins: WrittenText  # the text of the template's own headers and footers, which the documents keep
    #: The body elements each block became on this template (see _Body.add).
    drawn: dict[tuple[Block, bool], tuple[str, ...]] = field(default_factory=dict, compare=False)


@functools.cache
def _template(path: str, mtime: float) -> _Template:
    """The template's parts and style facts, read once per process.

    Raises:
        BrokenTemplate: the template is missing a part or has one that cannot be read.
    """
    entries = usable_package(path, "docx", mtime).parts
    styles = entries["word/styles.xml"].decode("utf-8")
    style_ids = {}
    list_num_id = None
    for style in re.findall(r"<w:style\b.*?</w:style>", styles, re.DOTALL):
        style_id = re.search(r'w:styleId="([^"]*)"', style)
        name = re.search(r'<w:name w:val="([^"]*)"', style)
        if style_id and name:
            style_ids[name.group(1).lower()] = style_id.group(1)
            if name.group(1).lower() == "list number":
                num = re.search(r'<w:numId w:val="(\d+)"', style)
                list_num_id = num.group(1) if num else None
    numbering = entries.get("word/numbering.xml", b"").decode("utf-8")
    abstract = None
    if list_num_id:
        match = re.search(rf'<w:num w:numId="{list_num_id}"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', numbering)
        abstract = match.group(1) if match else None
    num_ids = [int(n) for n in re.findall(r'<w:num w:numId="(\d+)"', numbering)]
    document = entries["word/document.xml"].decode("utf-8")
    head = document[: document.index("<w:body>") + len("<w:body>")]
    section_match = re.search(r"<w:sectPr\b.*?</w:sectPr>|<w:sectPr\b[^>]*/>", document, re.DOTALL)
    section = section_match.group(0) if section_match else "<w:sectPr/>"
    margins: WrittenText = []
    for part in sorted(n for n in entries if re.fullmatch(r"word/(header|footer)\d*\.xml", n)):
        xml = entries[part].decode("utf-8")
        if _run_text(xml).strip():
            paragraphs = re.findall(r"<w:p(?:\s[^>]*)?>(.*?)</w:p>", xml, re.DOTALL)
            margins.append(("header" if "header" in part else "footer", "\n".join(map(_run_text, paragraphs))))
    return _Template(entries, style_ids, abstract, max(num_ids, default=0) + 1, head, section, margins)


_RUN_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
#: Paragraphs and cells with the same text come out the same in every district's documents, so
#: each is written (and its text read) once per process; bounded so a big course stays small.
_FRAGMENTS = 4096


@functools.lru_cache(maxsize=_FRAGMENTS)
def _element_text(xml: str) -> tuple[bool, str]:
    """Whether a body element is a table, and its text as scan reads it (a table's cells by ' | ', rows by line)."""
    if not xml.startswith("<w:tbl>"):
        return False, _run_text(xml)
    rows = [" | ".join(_run_text(cell) for cell in row.split("</w:tc>")[:-1]) for row in xml.split("</w:tr>")[:-1]]
    return True, "\n".join(rows)


def _run_text(xml: str) -> str:
    """The text of the runs in a piece of WordprocessingML this writer (or the template) wrote."""
    text = "".join(_RUN_TEXT.findall(xml))
    return unescape(text) if "&" in text else text


def document_package(plan: DocumentPlan, stamp: Stamp, template: Path) -> tuple[Entries, WrittenText]:
    """A Word document's package parts (core properties set; custom ones later) and its text, as scan reads it."""
    try:
        mtime = template.stat().st_mtime
    except OSError:
        raise BrokenTemplate(
            _("templates/{name} is missing; restore it from the repository").format(name=template.name)
        ) from None
    base = _template(str(template), mtime)
    entries: Entries = dict(base.entries)
    writer = _Body(base)
    previous: Block | None = None
    for block, following in zip(plan.blocks, (*plan.blocks[1:], None), strict=True):
        # A lead-in keeps with what it introduces; a line under a heading also keeps with the
        # next heading, so "Tid: 10 minuter" never ends a page alone with its heading above.
        keep = following is not None and (
            following.kind in _FOLLOWS
            or (
                block.kind == "paragraph"
                and following.kind == "heading"
                and previous is not None
                and previous.kind == "heading"
            )
        )
        writer.add(block, keep_with_next=keep)
        previous = block
    footer_reference = '<w:footerReference w:type="default" r:id="rIdVastbusFooter"/>'
    section = re.sub(r"<w:footerReference\b[^>]*/>", "", base.section)
    section = (
        re.sub(r"(<w:sectPr\b[^>]*>)", r"\1" + footer_reference, section, count=1)
        if section.endswith("</w:sectPr>")
        else section.replace("/>", ">" + footer_reference + "</w:sectPr>", 1)
    )
    head = base.document_head
    if "xmlns:r=" not in head:
        head = head.replace("<w:document ", f"<w:document {_R} ", 1)
    entries["word/document.xml"] = (head + "".join(writer.xml) + section + "</w:body></w:document>").encode("utf-8")
    if writer.numbers:
        numbering = entries["word/numbering.xml"].decode("utf-8")
        entries["word/numbering.xml"] = numbering.replace(
            "</w:numbering>", "".join(writer.numbers) + "</w:numbering>"
        ).encode()
    entries[_FOOTER_PART] = _footer_xml(stamp, base.style_ids.get("vastbus sidfot", "Normal"))
    rels = entries["word/_rels/document.xml.rels"].decode("utf-8")
    if "rIdVastbusFooter" not in rels:
        rels = rels.replace(
            "</Relationships>",
            f'<Relationship Id="rIdVastbusFooter" Type="{_FOOTER_REL}" '
            f'Target="{_FOOTER_PART.removeprefix("word/")}"/></Relationships>',
        )
    entries["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = entries["[Content_Types].xml"].decode("utf-8")
    if _FOOTER_PART not in types:
        types = types.replace(
            "</Types>", f'<Override PartName="/{_FOOTER_PART}" ContentType="{_FOOTER_TYPE}"/></Types>'
        )
    entries["[Content_Types].xml"] = types.encode("utf-8")
    entries["docProps/core.xml"] = core_properties_xml(plan.title, stamp)
    entries.pop("docProps/thumbnail.jpeg", None)
    return entries, writer.text + base.margins


class _Body:
    """Collects the body XML of the blocks, and their text as scan will read it back."""

    def __init__(self, base: _Template) -> None:
        self.base = base
        self.xml: list[str] = []
        self.text: WrittenText = []
        self.paragraphs = self.tables = 0
        self.numbers: list[str] = []
        self.next_num = base.next_num_id
        self.new_page = False

    def append(self, xml: str) -> None:
        """One paragraph or table of the body, its text recorded as scan numbers and reads it."""
        self.xml.append(xml)
        table, text = _element_text(xml)
        if table:
            self.tables += 1
            location = f"table {self.tables}"
        else:
            self.paragraphs += 1
            location = f"paragraph {self.paragraphs}"
        if text.strip():
            self.text.append((location, text))

    def style(self, name: str) -> str:
        return self.base.style_ids.get(name.lower(), "Normal")

    def paragraph(
        self,
        text: str,
        style: str,
        number: int | None = None,
        run: str | None = None,
        *,
        keep: bool = False,
        indent: str = "",
    ) -> None:
        keep_next = ("<w:keepNext/>" if keep else "") + ("<w:pageBreakBefore/>" if self.new_page else "")
        self.new_page = False
        numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{number}"/></w:numPr>' if number else ""
        content = run if run is not None else (_run(text) if text else "")
        self.append(
            f'<w:p><w:pPr><w:pStyle w:val="{self.style(style)}"/>{keep_next}{numbering}{indent}</w:pPr>{content}</w:p>'
        )

    def restart_numbering(self) -> int | None:
        if self.base.list_abstract is None:
            return None
        number = self.next_num
        self.next_num += 1
        self.numbers.append(
            f'<w:num w:numId="{number}"><w:abstractNumId w:val="{self.base.list_abstract}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
        return number

    def add(self, block: Block, *, keep_with_next: bool = False) -> None:
        """Append one block; ``keep_with_next`` holds its last line on the page of what follows."""
        # Most blocks are the same in every district's document: each is written once per
        # template. A numbered list (its own numbering) and a page break (held for the next
        # paragraph) depend on where they stand, and are written each time.
        if block.kind in ("numbered", "page-break") or self.new_page:
            self._write(block, keep_with_next)
            return
        key = (block, keep_with_next)
        elements = self.base.drawn.get(key)
        if elements is None:
            start = len(self.xml)
            self._write(block, keep_with_next)
            remember(self.base.drawn, key, tuple(self.xml[start:]), _FRAGMENTS)
            return
        for xml in elements:
            self.append(xml)

    def _write(self, block: Block, keep_with_next: bool) -> None:
        keep = keep_with_next
        if block.kind == "heading":
            self.paragraph(block.text, f"Heading {min(max(block.level, 1), 3)}")
        elif block.kind in ("bullets", "numbered", "checklist"):
            # Short lists stay together; a long one may break, but never before its second line.
            together = len(block.items) <= 8
            number = self.restart_numbering() if block.kind == "numbered" else None
            style = {"bullets": "List Bullet", "numbered": "List Number", "checklist": "Normal"}[block.kind]
            for index, item in enumerate(block.items):
                last = index == len(block.items) - 1
                hold = (together and not last) or index == 0 or (last and keep)
                if block.kind == "checklist":
                    self.paragraph("", style, run=_run("☐\t" + item), keep=hold, indent=_CHECKBOX_INDENT)
                else:
                    self.paragraph(item, style, number, keep=hold)
        elif block.kind == "quote":
            self.paragraph("", "Normal", run=_run(quoted(block.text), bold=True, italic=True), keep=bool(block.source))
            if block.source:
                self.paragraph("", "Vastbus Referens", run=_run(f"Källa: {block.source}"))
        elif block.kind == "table":
            self.table(block.rows, total=block.total)
        elif block.kind == "diagram":
            if block.diagram is not None:
                caption, table = docx_diagram(block.diagram, _TEXT_WIDTH_TWIPS).split("<w:tbl>", 1)
                self.append(caption)
                self.append("<w:tbl>" + table)
                self.paragraph("", "Normal")
        elif block.kind == "slide":
            if block.slide is not None:
                self.append(_slide_page(block.slide, self.style("Vastbus Anteckning")))
        elif block.kind == "page-break":
            # Set on the next paragraph: a break of its own could land on a fresh page and leave it blank.
            self.new_page = True
        elif block.strong:
            self.paragraph("", _STYLE[block.kind], run=_run(block.text, bold=True), keep=keep)
        else:
            # The marking of local material always stays with what it marks.
            self.paragraph(block.text, _STYLE[block.kind], keep=keep or block.kind == "local")

    def table(self, rows: tuple[tuple[str, ...], ...], *, total: bool = False) -> None:
        """A table sized to its content: numbers right-aligned, a total row bold, no row split over pages."""
        if not rows:
            return
        widths = _column_widths(rows)
        numeric = [all(_is_number(row[i]) for row in rows[1:] if i < len(row) and row[i]) for i in range(len(rows[0]))]
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        body = []
        together = len(rows) <= 8  # a short table moves whole to the next page; a long one flows
        for index, row in enumerate(rows):
            header = "<w:tblHeader/>" if index == 0 else ""
            bold = total and index == len(rows) - 1
            # The last row (a total) never stands alone at the top of a page.
            hold = index == 0 or (together and index < len(rows) - 1) or index == len(rows) - 2
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                + _cell_paragraphs(text, bold=bold, right=column < len(numeric) and numeric[column], keep=hold)
                + "</w:tc>"
                for column, (text, width) in enumerate(zip(row, widths, strict=False))
            )
            body.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{cells}</w:tr>")
        self.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style(DOCX_TABLE_STYLE)}"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
            f'w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(body)}</w:tbl>'
        )
        self.paragraph("", "Normal")


_RIGHT = '<w:pPr><w:jc w:val="right"/></w:pPr>'
#: The slide page's columns: the sketch of the slide (16:9 at about 5.5 cm) and the notes beside it.
_SKETCH_TWIPS, _NOTES_TWIPS = 3200, _TEXT_WIDTH_TWIPS - 3200
_SKETCH_INK, _SKETCH_RULE, _SKETCH_FILL, _ACCENT = "1F2933", "6B8FB3", "F5F7FA", "1E5F5C"
_SKETCH_BORDER = "".join(
    f'<w:{side} w:val="single" w:sz="8" w:space="4" w:color="{_SKETCH_RULE}"/>'
    for side in ("top", "left", "bottom", "right")
)
#: Characters of notes a slide page holds without running onto the next page.
_WHOLE_NOTES = 1200
#: Words that mark a question to skip when time is short, set in bold before it.
OPTIONAL_MARK = "Valfri fråga – hoppa över om tiden är knapp:"
ASK_MARK = "Fråga gruppen:"


def _sketch_run(text: str, *, size: int, bold: bool = False, color: str = _SKETCH_INK, first: bool = False) -> str:
    """One line of a slide's sketch: a run after a line break (the first line has none)."""
    properties = ("<w:b/>" if bold else "") + f'<w:color w:val="{color}"/><w:sz w:val="{size}"/>'
    brk = "" if first else f"<w:r><w:rPr>{properties}</w:rPr><w:br/></w:r>"
    return f'{brk}<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{escape(swedish_quotes(text))}</w:t></w:r>'


def _sketch(page: SlidePage) -> str:
    """The slide's sketch: one bordered, shaded paragraph held on one page (its label, title and first lines)."""
    runs = [_sketch_run(page.label.upper(), size=14, bold=True, color=_ACCENT, first=True)] if page.label else []
    runs.append(_sketch_run(page.title, size=18, bold=True, first=not runs))
    runs.extend(_sketch_run("• " + line if line[:1] not in "[0123456789…" else line, size=15) for line in page.sketch)
    return (
        f"<w:p><w:pPr><w:keepLines/><w:pBdr>{_SKETCH_BORDER}</w:pBdr>"
        f'<w:shd w:val="clear" w:color="auto" w:fill="{_SKETCH_FILL}"/>'
        '<w:spacing w:before="60" w:after="60" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="85" w:right="85"/></w:pPr>{"".join(runs)}</w:p>'
    )


@functools.lru_cache(maxsize=_FRAGMENTS)
def _slide_page(page: SlidePage, note_style: str) -> str:
    """A slide in the trainer guide: its sketch (title and first lines in a box) beside its minutes and notes.

    A thumbnail rendered from the deck would need an office suite at build time; the sketch is
    drawn from the plan, so it always shows the slide as built. The row may run onto the next page.
    """
    sketch = [_sketch(page)]
    minutes = (
        f"Cirka {page.minutes} {'minut' if page.minutes == 1 else 'minuter'}"
        if page.minutes
        else "Ingen egen tid i schemat"
    )
    notes = [f'<w:p><w:pPr><w:spacing w:before="0" w:after="80"/></w:pPr>{_run(minutes, bold=True)}</w:p>']
    notes.extend(_note_paragraph(line, note_style) for line in page.notes)
    if not page.notes:
        notes.append("<w:p/>")
    cell = '<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="170" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{_SKETCH_TWIPS}"/><w:gridCol w:w="{_NOTES_TWIPS}"/></w:tblGrid>'
        # A slide with notes up to about half a page stays whole; a longer one may run onto the next page.
        + ("<w:tr><w:trPr><w:cantSplit/></w:trPr>" if sum(len(n.text) for n in page.notes) < _WHOLE_NOTES else "<w:tr>")
        + cell.format(width=_SKETCH_TWIPS, content="".join(sketch))
        + cell.format(width=_NOTES_TWIPS, content="".join(notes))
        + "</w:tr></w:tbl>"
    )


def _note_paragraph(line: NoteLine, style: str) -> str:
    """What to say, a question for the group, or an optional question, each marked in bold."""
    runs = _run(f"{line.lead} ") if line.lead else ""
    if line.kind == "optional":
        runs += _run(f"{OPTIONAL_MARK} ", bold=True) + _run(line.text, italic=True)
    elif line.kind == "ask":
        runs += _run(f"{ASK_MARK} ", bold=True) + _run(line.text)
    else:
        runs += _run(line.text)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


#: A tick box hangs in the margin of its line, so wrapped text aligns under the text.
_CHECKBOX_INDENT = '<w:tabs><w:tab w:val="left" w:pos="397"/></w:tabs><w:ind w:left="397" w:hanging="397"/>'


@functools.lru_cache(maxsize=_FRAGMENTS)
def _cell_paragraphs(text: str, *, bold: bool, right: bool, keep: bool) -> str:
    """A cell's paragraphs, one per line of ``text``; ``keep`` holds the row with the next one."""
    properties = ("<w:keepNext/>" if keep else "") + ('<w:jc w:val="right"/>' if right else "")
    ppr = f"<w:pPr>{properties}</w:pPr>" if properties else ""
    return "".join(f"<w:p>{ppr}{_run(line, bold=bold) if line else ''}</w:p>" for line in text.split("\n"))


def _is_number(text: str) -> bool:
    return text.strip().replace(" ", "").isdigit()


def _column_widths(rows: tuple[tuple[str, ...], ...]) -> list[int]:
    """Widths in twips by each column's longest text, none narrower than a share of the page."""
    columns = len(rows[0])
    longest = [
        max((max(len(line) for line in row[i].split("\n")) for row in rows if i < len(row)), default=1) + 2
        for i in range(columns)
    ]
    floor = _TEXT_WIDTH_TWIPS // (columns + 2)  # a short column still holds a few words a line
    widths = [max(floor, _TEXT_WIDTH_TWIPS * n // sum(longest)) for n in longest]
    widest = widths.index(max(widths))
    widths[widest] -= sum(widths) - _TEXT_WIDTH_TWIPS  # the widest column gives what the floors took
    return widths


@functools.lru_cache(maxsize=_FRAGMENTS)
def _run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    properties = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(swedish_quotes(text))}</w:t></w:r>'


def _footer_xml(stamp: Stamp, style_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr {_W} {_R}><w:p><w:pPr><w:pStyle w:val="{style_id}"/>'
        f'<w:tabs><w:tab w:val="right" w:pos="{_TEXT_WIDTH_TWIPS}"/></w:tabs></w:pPr>{_footer_run(stamp)}'
        '<w:r><w:tab/><w:t xml:space="preserve">Sida </w:t></w:r>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
    ).encode()


def _footer_run(stamp: Stamp) -> str:
    """The stamp's run; the longest names are set a point smaller so the footer stays one line."""
    text = _footer_text(stamp)
    run = _run(text)
    if len(text) > FOOTER_CHARACTERS:
        run = run.replace("<w:r>", '<w:r><w:rPr><w:sz w:val="14"/></w:rPr>', 1)
    return run


#: Characters of the small footer type that fit one line beside the page number.
FOOTER_CHARACTERS = 100


def _footer_text(stamp: Stamp) -> str:
    """The stamp on one line: the slides' wording, shortened step by step until it fits."""
    where = stamp.district_name if stamp.district != "central" else "Central"
    audience = stamp.audience_name
    short = re.search(r"\(([^)]+)\)$", audience)  # "Barn- och ungdomspsykiatri (BUP)": BUP
    candidates = (
        stamp.footer,
        f"{stamp.edition_title} · Kursversion {stamp.course_version} · {where} · {stamp.audience_name}",
        f"{stamp.edition_title} · v{stamp.course_version} · {where} · {stamp.audience_name}",
        f"{stamp.edition_title} · v{stamp.course_version} · {where} · {short.group(1) if short else audience}",
    )
    return next((text for text in candidates if len(text) <= FOOTER_CHARACTERS), candidates[-1])
