"""Diagrams as native shapes: real decks and documents made from the templates, read back with python-pptx/-docx."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from vastbus_cli.render.diagrams import BLUE, IN_FORCE, PANEL, docx_diagram, slide_diagram, slide_tracker
from vastbus_cli.render.packplan import PlanDiagram, PlanDiagramItem

REPO = Path(__file__).resolve().parent.parent
BOX = (457_200, 1_600_000, 11_277_600, 4_400_000)
STRIP = (457_200, 1_150_000, 11_277_600, 380_000)
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

STEPS = PlanDiagram(
    "steps",
    "SIP-processen",
    "Sex steg från upptäckt behov till avslut; steg 3 är markerat.",
    tuple(
        PlanDiagramItem(label, detail)
        for label, detail in [
            ("Upptäck behov", "Någon ser att barnet behöver stöd"),
            ("Förbered", "Samtycke och deltagare"),
            ("Kalla eller bjud in", "Kallelse inom fem arbetsdagar"),
            ("SIP-möte", "Planen skrivs tillsammans"),
            ("Följ upp", "Enligt planen"),
            ("Avsluta", "När behovet är tillgodosett"),
        ]
    ),
    highlight=3,
)
LEVELS = PlanDiagram(
    "levels",
    "Tre nivåer",
    "Västbus på regional, delregional och lokal nivå.",
    (
        PlanDiagramItem("Regional nivå", "Västra Götalandsregionen och de 49 kommunerna"),
        PlanDiagramItem("Delregional nivå", "Fyra delregionala samråd"),
        PlanDiagramItem("Lokal nivå", "Lokala Västbusgrupper"),
    ),
)
EDITIONS = PlanDiagram(
    "editions",
    "Utgåvor",
    "Fyra utgåvor 2005–2023; den från 2023 gäller.",
    (
        PlanDiagramItem("2005", "Västbus riktlinjer"),
        PlanDiagramItem("2012", "Reviderade riktlinjer"),
        PlanDiagramItem("2021", "Samverkan för barns och ungas hälsa"),
        PlanDiagramItem("2023", "Reviderad riktlinje"),
    ),
    highlight=4,
)
ORGANISATION = PlanDiagram(
    "organisation",
    "Göteborgs områden",
    "Fyra områden och deras stadsdelar.",
    (
        PlanDiagramItem("Nordost", members=("Angered", "Östra Göteborg")),
        PlanDiagramItem("Centrum", members=("Centrum", "Majorna-Linné", "Örgryte-Härlanda")),
        PlanDiagramItem("Sydväst", members=("Askim-Frölunda-Högsbo", "Västra Göteborg")),
        PlanDiagramItem("Hisingen", members=("Lundby", "Norra Hisingen", "Västra Hisingen")),
    ),
)
ALL = [STEPS, LEVELS, EDITIONS, ORGANISATION]


def _deck(tmp_path: Path, *groups: str) -> Path:
    """A deck of one slide on the real template with the groups in its shape tree, saved and ready to reopen."""
    prs = Presentation(str(REPO / "templates" / "slides.pptx"))
    layouts = list(prs.slide_layouts)
    slide = prs.slides.add_slide(next((lay for lay in layouts if lay.name == "Innehåll"), layouts[0]))
    for placeholder in list(slide.placeholders):
        placeholder._element.getparent().remove(placeholder._element)
    for xml in groups:
        slide.shapes._spTree.append(etree.fromstring(f"<p:wrap {P_NS}>{xml}</p:wrap>")[0])
    path = tmp_path / "deck.pptx"
    prs.save(str(path))
    return path


def _groups(path: Path) -> list[Any]:
    slide = Presentation(str(path)).slides[0]
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.GROUP]


def _descr(shape: Any) -> str:
    return str(shape._element.nvGrpSpPr.cNvPr.get("descr"))


def _prst(shape: Any) -> str | None:
    geometry = shape._element.find(f".//{{{A}}}prstGeom")
    return None if geometry is None else geometry.get("prst")


def _fill(shape: Any) -> str | None:
    colour = shape._element.find(f"./{{*}}spPr/{{{A}}}solidFill/{{{A}}}srgbClr")
    return None if colour is None else colour.get("val")


def _texts(group: Any) -> str:
    return "\n".join(s.text_frame.text for s in group.shapes if s.has_text_frame)


@pytest.mark.parametrize("diagram", ALL, ids=lambda d: d.kind)
def test_each_kind_is_one_group_with_the_alt_text_and_all_its_text(tmp_path: Path, diagram: PlanDiagram) -> None:
    xml, next_id = slide_diagram(diagram, BOX, 10)
    (group,) = _groups(_deck(tmp_path, xml))
    assert group.name == diagram.title and _descr(group) == diagram.alt
    text = _texts(group)
    for item in diagram.items:
        for part in (item.label, item.detail, *item.members):
            assert part in text
    ids = [int(e.get("id")) for e in group._element.iter() if e.tag.endswith("}cNvPr")]
    assert ids[0] == 10 and len(set(ids)) == len(ids) and min(ids) == 10 and next_id == max(ids) + 1
    assert not [s for s in group.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.mark.parametrize("diagram", ALL, ids=lambda d: d.kind)
def test_shapes_fill_the_box_across_and_are_centred_in_it(tmp_path: Path, diagram: PlanDiagram) -> None:
    x, y, cx, cy = BOX
    (group,) = _groups(_deck(tmp_path, slide_diagram(diagram, BOX, 2)[0]))
    left = min(s.left for s in group.shapes)
    right = max(s.left + s.width for s in group.shapes)
    top = min(s.top for s in group.shapes)
    bottom = max(s.top + s.height for s in group.shapes)
    assert abs(left - x) < Emu(20_000) and abs(right - (x + cx)) < Emu(20_000)
    assert y <= top and bottom <= y + cy and abs((top - y) - (y + cy - bottom)) < Emu(20_000)
    assert (group.left, group.top, group.width, group.height) == (left, top, right - left, bottom - top)


@pytest.mark.parametrize("diagram", ALL, ids=lambda d: d.kind)
def test_text_is_readable_in_the_theme_font_and_swedish(diagram: PlanDiagram) -> None:
    root = etree.fromstring(f"<p:wrap {P_NS}>{slide_diagram(diagram, BOX, 2)[0]}</p:wrap>")
    runs = root.findall(f".//{{{A}}}rPr")
    assert runs
    for properties in runs:
        assert properties.get("lang") == "sv-SE"
        assert int(properties.get("sz")) >= 1200  # details may be 12 pt; labels are checked below
        assert properties.find(f"{{{A}}}latin").get("typeface") == "+mn-lt"
    bold = [int(r.get("sz")) for r in runs if r.get("b") == "1"]
    assert min(bold) >= 1400


_FONTS = Path("/usr/share/fonts/truetype/liberation2")


@functools.cache
def _face(bold: bool) -> Any:
    """Liberation Sans (metric-compatible with Arial) through Pillow: a measure independent of the tool's table."""
    path = _FONTS / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf")
    if not path.is_file():
        pytest.skip("Liberation Sans is not installed (apt-get install fonts-liberation2)")
    return ImageFont.truetype(str(path), 1000)


def _words_fit(diagram: PlanDiagram, box: tuple[int, int, int, int]) -> list[str]:
    """Words wider than their shape's text area, measured with the font's own advance widths."""
    root = etree.fromstring(f"<p:wrap {P_NS}>{slide_diagram(diagram, box, 2)[0]}</p:wrap>")
    too_wide = []
    for shape in root.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}sp"):
        body = shape.find(f".//{{{A}}}bodyPr")
        if body is None:
            continue
        width = int(shape.find(f".//{{{A}}}ext").get("cx")) - int(body.get("lIns")) - int(body.get("rIns"))
        height = int(shape.find(f".//{{{A}}}ext").get("cy"))
        if shape.find(f".//{{{A}}}prstGeom").get("prst") == "chevron":
            # A chevron's text stops short of its notch and point (the preset's text rectangle).
            width -= 2 * min(height, int(shape.find(f".//{{{A}}}ext").get("cx"))) * 30 // 100
        for run in shape.iter(f"{{{A}}}r"):
            properties = run.find(f"{{{A}}}rPr")
            size = int(properties.get("sz")) / 100
            face = _face(properties.get("b") == "1")
            words = run.findtext(f"{{{A}}}t").replace("-", "- ").split()  # renderers break after a hyphen
            too_wide += [w for w in words if face.getlength(w) * size / 1000 * 12_700 > width]
    return too_wide


@pytest.mark.parametrize("diagram", ALL, ids=lambda d: d.kind)
def test_no_word_is_wider_than_its_shape(diagram: PlanDiagram) -> None:
    assert _words_fit(diagram, BOX) == []


def test_a_narrow_box_shrinks_the_text_rather_than_let_it_out() -> None:
    half = (0, 0, 5_400_000, 3_000_000)  # beside text
    for diagram in ALL:
        assert _words_fit(diagram, half) == [], diagram.kind


def test_steps_are_chevrons_numbered_and_the_highlighted_one_stands_out(tmp_path: Path) -> None:
    (group,) = _groups(_deck(tmp_path, slide_diagram(STEPS, BOX, 2)[0]))
    steps = [s for s in group.shapes if _prst(s) in {"chevron", "homePlate"}]
    assert len(steps) == 6 and _prst(steps[0]) == "homePlate"
    assert [s.text_frame.text.split("\n")[0] for s in steps] == [str(n) for n in range(1, 7)]
    assert steps[2].text_frame.text == "3\nKalla eller bjud in"
    fills = [_fill(s) for s in steps]
    assert fills[2] == BLUE and {f for i, f in enumerate(fills) if i != 2} == {PANEL}
    assert all(s.top == steps[0].top for s in steps) and [s.left for s in steps] == sorted(s.left for s in steps)
    details = [s for s in group.shapes if _prst(s) == "rect"]
    assert len(details) == 6 and all(d.top >= steps[0].top + steps[0].height for d in details)


def test_steps_without_a_highlight_are_all_filled_alike(tmp_path: Path) -> None:
    plain = PlanDiagram("steps", "Steg", "Tre steg", tuple(PlanDiagramItem(t) for t in ("Ett", "Två", "Tre")))
    (group,) = _groups(_deck(tmp_path, slide_diagram(plain, BOX, 2)[0]))
    assert [_fill(s) for s in group.shapes] == [BLUE, BLUE, BLUE]


def test_levels_are_stacked_with_the_first_on_top(tmp_path: Path) -> None:
    (group,) = _groups(_deck(tmp_path, slide_diagram(LEVELS, BOX, 2)[0]))
    labels = [s for s in group.shapes if s.text_frame.text in {i.label for i in LEVELS.items}]
    assert [s.text_frame.text for s in sorted(labels, key=lambda s: s.top)] == [i.label for i in LEVELS.items]
    panels = [s for s in group.shapes if s.name.startswith("Nivå") and "namn" not in s.name]
    assert len(panels) == 3
    for upper, lower in itertools.pairwise(panels):
        assert upper.top + upper.height < lower.top and upper.width >= lower.width


def test_editions_are_a_timeline_with_the_edition_in_force_marked(tmp_path: Path) -> None:
    (group,) = _groups(_deck(tmp_path, slide_diagram(EDITIONS, BOX, 2)[0]))
    dots = [s for s in group.shapes if _prst(s) == "ellipse"]
    assert len(dots) == 4 and dots[3].width > dots[0].width == dots[1].width == dots[2].width
    assert len({_fill(d) for d in dots[:3]}) == 1 and _fill(dots[3]) != _fill(dots[0])
    assert [s for s in group.shapes if s.shape_type == MSO_SHAPE_TYPE.LINE or _prst(s) == "straightConnector1"]
    assert _texts(group).count(IN_FORCE) == 1
    years = [s for s in group.shapes if s.name.endswith(", år")]
    assert [s.text_frame.text for s in sorted(years, key=lambda s: s.left)] == ["2005", "2012", "2021", "2023"]


def test_organisation_is_a_card_per_area_listing_its_districts(tmp_path: Path) -> None:
    (group,) = _groups(_deck(tmp_path, slide_diagram(ORGANISATION, BOX, 2)[0]))
    bands = [s for s in group.shapes if _prst(s) == "round2SameRect"]
    cards = [s for s in group.shapes if _prst(s) == "roundRect"]
    assert [b.text_frame.text for b in bands] == ["Nordost", "Centrum", "Sydväst", "Hisingen"]
    assert cards[1].text_frame.text.split("\n") == ["Centrum", "Majorna-Linné", "Örgryte-Härlanda"]
    assert {_fill(b) for b in bands} == {BLUE} and {_fill(c) for c in cards} == {PANEL}
    assert len({c.height for c in cards}) == 1


def test_tracker_is_a_row_with_the_current_step_filled_wide_and_named(tmp_path: Path) -> None:
    xml, next_id = slide_tracker(STEPS, STRIP, 40)
    (group,) = _groups(_deck(tmp_path, slide_diagram(STEPS, BOX, 2)[0], xml))[1:]
    assert _descr(group) == "Steg 3 av 6: Kalla eller bjud in" and next_id == 47
    steps = list(group.shapes)
    assert len(steps) == 6 and all(s.height == STRIP[3] and s.top == STRIP[1] for s in steps)
    assert [_fill(s) for s in steps] == [PANEL, PANEL, BLUE, PANEL, PANEL, PANEL]
    # Only the current step is named, and it takes the room the others' labels would have crowded.
    assert [s.text_frame.text for s in steps] == ["1", "2", "3 Kalla eller bjud in", "4", "5", "6"]
    assert steps[2].width > 3 * max(s.width for i, s in enumerate(steps) if i != 2)
    # Readable from the back row: never under 16 pt (it was 9-10 pt).
    sizes = {int(r.get("sz")) for r in etree.fromstring(f"<p:wrap {P_NS}>{xml}</p:wrap>").iter(f"{{{A}}}rPr")}
    assert min(sizes) >= 1600


def test_text_is_escaped_and_quotes_made_swedish(tmp_path: Path) -> None:
    odd = PlanDiagram(
        "steps", 'Plan "A" & <B>', 'Alt med "citat"', (PlanDiagramItem('Säg "hej" & <gå>'), PlanDiagramItem("Två")), 1
    )
    (group,) = _groups(_deck(tmp_path, slide_diagram(odd, BOX, 2)[0], slide_tracker(odd, STRIP, 20)[0]))[:1]
    assert group.name == "Plan ”A” & <B>" and _descr(group) == "Alt med ”citat”"
    assert "Säg ”hej” & <gå>" in _texts(group)


def test_an_empty_diagram_is_refused() -> None:
    empty = PlanDiagram("steps", "Tom", "Tom", ())
    with pytest.raises(ValueError, match="Tom"):
        slide_diagram(empty, BOX, 2)
    with pytest.raises(ValueError, match="Tom"):
        slide_tracker(empty, STRIP, 2)
    with pytest.raises(ValueError, match="no items"):
        docx_diagram(empty, 9000)


def _document(tmp_path: Path, diagram: PlanDiagram, width: int = 9072) -> Any:
    doc = Document(str(REPO / "templates" / "handout.docx"))
    section = doc.element.body[-1]
    for element in etree.fromstring(f"<w:body {W_NS}>{docx_diagram(diagram, width)}</w:body>"):
        section.addprevious(element)
    doc.add_paragraph("Efter.")
    path = tmp_path / "doc.docx"
    doc.save(str(path))
    return Document(str(path))


def _rows(doc: Any) -> list[list[str]]:
    (table,) = doc.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("diagram", ALL, ids=lambda d: d.kind)
def test_word_table_keeps_together_with_its_caption_and_alt_text(tmp_path: Path, diagram: PlanDiagram) -> None:
    doc = _document(tmp_path, diagram)
    (table,) = doc.tables
    tbl = table._tbl
    caption = tbl.getprevious()
    assert caption.tag == qn("w:p") and "".join(t.text for t in caption.iter(qn("w:t"))) == diagram.title
    assert caption.find(f".//{qn('w:keepNext')}") is not None and caption.find(f".//{qn('w:b')}") is not None
    properties = tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == diagram.title
    assert properties.find(qn("w:tblDescription")).get(qn("w:val")) == diagram.alt
    rows = tbl.findall(qn("w:tr"))
    assert all(row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)
    for index, row in enumerate(rows):
        kept = [p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row.iter(qn("w:p"))]
        assert all(kept) if index < len(rows) - 1 else not any(kept)
    assert sum(int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid"))) == 9072
    for row in rows:
        assert sum(int(c.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) for c in row.findall(qn("w:tc"))) == 9072
    runs = list(tbl.iter(qn("w:rPr")))
    assert runs and all(r.find(qn("w:lang")).get(qn("w:val")) == "sv-SE" for r in runs)


def test_word_steps_are_one_row_of_numbered_cells_with_the_highlight_shaded(tmp_path: Path) -> None:
    doc = _document(tmp_path, STEPS)
    (row,) = _rows(doc)
    assert row[0] == "1\nUpptäck behov\nNågon ser att barnet behöver stöd" and row[2].startswith(
        "3\nKalla eller bjud in"
    )
    cells = doc.tables[0]._tbl.findall(f".//{qn('w:tc')}")
    shades = [c.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill")) for c in cells]
    assert shades == [PANEL, PANEL, BLUE, PANEL, PANEL, PANEL]


def test_word_levels_are_full_width_rows_in_order(tmp_path: Path) -> None:
    assert _rows(_document(tmp_path, LEVELS)) == [[i.label, i.detail] for i in LEVELS.items]


def test_word_editions_show_year_and_edition_with_the_one_in_force(tmp_path: Path) -> None:
    (row,) = _rows(_document(tmp_path, EDITIONS))
    assert row[:3] == [
        "2005\nVästbus riktlinjer",
        "2012\nReviderade riktlinjer",
        "2021\nSamverkan för barns och ungas hälsa",
    ]
    assert row[3] == f"2023\nReviderad riktlinje\n{IN_FORCE}"


def test_word_organisation_lists_districts_under_each_area(tmp_path: Path) -> None:
    names, districts = _rows(_document(tmp_path, ORGANISATION))
    assert names == ["Nordost", "Centrum", "Sydväst", "Hisingen"]
    assert districts[3] == "Lundby\nNorra Hisingen\nVästra Hisingen"


def test_word_widths_take_up_the_rounding(tmp_path: Path) -> None:
    tbl = _document(tmp_path, LEVELS, width=9001).tables[0]._tbl
    assert sum(int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid"))) == 9001
    tbl = _document(tmp_path, STEPS, width=9001).tables[0]._tbl
    assert sum(int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid"))) == 9001
