"""Issue 27, items 4 and 5: the trainer guide as a facilitator's script, the handout as what participants keep."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pptx import Presentation

from tests.conftest import REPO, replace_in
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

ROUTINE = """\
routines:
  - id: starta
    title: "Så startar vi en SIP här"
    verified: true
    notes: "Gå igenom stegen."
    steps:
      - "Prata med vårdnadshavarna."
      - "Skicka kallelsen."
"""
OPTIONAL = "Valfri fråga om tiden räcker: Hur gör ni när familjen inte vill?"


def _workspace(mini: Path) -> Path:
    """The mini workspace with a checklist, an optional question and a local routine."""
    replace_in(
        mini / "curriculum/course.yaml",
        '  - id: bvc\n    name: "BVC"\n',
        '  - id: bvc\n    name: "BVC"\n    checklist:\n      - "Fråga om samtycke innan ni kallar."\n',
    )
    replace_in(
        mini / "curriculum/modules/samtycke.yaml",
        "      Fråga gruppen hur de brukar be om samtycke.\n",
        f"      Fråga gruppen hur de brukar be om samtycke.\n      {OPTIONAL}\n",
    )
    local = mini / "curriculum/local/örgryte-härlanda/lokalt.yaml"
    local.write_text(local.read_text(encoding="utf-8") + ROUTINE, encoding="utf-8")
    return mini


@pytest.fixture
def packs(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "paket"
    build(open_workspace(_workspace(mini)), out, districts=["central", "örgryte-härlanda"], audiences=["bvc"], jobs=1)
    return out


def _paragraphs(document: DocumentType) -> list[Paragraph]:
    """Body paragraphs and the paragraphs in table cells, in order."""
    found = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            found.append(Paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            found.extend(Paragraph(p, document) for p in element.iter(qn("w:p")))
    return found


def _slide_pages(guide: DocumentType) -> list[tuple[int, str]]:
    """(slide number, text beside the sketch) for each slide page of the guide, in order."""
    pages = []
    numbers = [
        int(m.group(1))
        for p in guide.paragraphs
        if (m := re.match(r"Bild (\d+): ", p.text)) and "Heading" in p.style.name
    ]
    sketches = [
        t for t in guide.tables if len(t.columns) == 2 and t.rows[0].cells[1].text.startswith(("Cirka", "Ingen"))
    ]
    assert len(numbers) == len(sketches)
    for number, table in zip(numbers, sketches, strict=True):
        pages.append((number, table.rows[0].cells[1].text))
    return pages


@pytest.mark.parametrize("district", ["central", "örgryte-härlanda"])
def test_the_guide_opens_with_before_the_course_and_covers_every_slide_with_its_minutes(
    packs: Path, district: str
) -> None:
    slides = len(Presentation(str(packs / district / "bvc/slides.pptx")).slides)
    guide = Document(str(packs / district / "bvc/trainer-guide.docx"))
    headings = [p.text for p in guide.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Före kursen"
    assert "Så inleder du" in headings and "Så avslutar du" in headings
    pages = _slide_pages(guide)
    assert [number for number, _ in pages] == list(range(1, slides + 1))  # every slide, first to last
    minutes = [int(m.group(1)) for _, text in pages if (m := re.match(r"Cirka (\d+) minut", text))]
    assert len(minutes) == slides
    schedule = next(t for t in guide.tables if t.rows[0].cells[0].text == "Tid")
    assert sum(minutes) == int(schedule.rows[-1].cells[2].text)  # the parts' minutes, spread over their slides


def test_before_the_course_is_a_checklist_from_the_data(packs: Path) -> None:
    guide = Document(str(packs / "örgryte-härlanda/bvc/trainer-guide.docx"))
    texts = [p.text for p in guide.paragraphs]
    start = texts.index("Före kursen")
    checklist = [t for t in texts[start + 1 : start + 12] if t.startswith("☐")]
    joined = " ".join(checklist)
    for expected in ("Skriv ut deltagarmaterialet", "projektor, ljud", "yrken", "anteckningarna", "kontakter"):
        assert expected in joined, expected
    assert re.search(r"Boka lokalen för \d+ minuter", joined)
    # The district has confirmed its contact: nothing to confirm (tests/test_local_part.py has the other case).
    assert "bekräftade av Örgryte-Härlanda" in joined
    assert not any(t.rows[0].cells[-1].text == "Bekräftad" for t in guide.tables)


def test_optional_questions_are_marked_and_notes_are_readable(packs: Path) -> None:
    guide = Document(str(packs / "central/bvc/trainer-guide.docx"))
    notes = [p for p in _paragraphs(guide) if p.style.name == "Vastbus Anteckning"]
    optional = [p for p in notes if "Hur gör ni när familjen inte vill?" in p.text]
    assert len(optional) == 1
    mark = optional[0].runs[0]
    assert mark.bold and mark.text.startswith("Valfri fråga") and "om tiden" in mark.text
    asked = [p for p in notes if p.text.startswith("Fråga gruppen:")]
    assert asked == [] or asked[0].runs[0].bold
    # Readable: the notes style is at least 11 pt in the body's dark ink, and no note run is set smaller.
    style = guide.styles["Vastbus Anteckning"]
    assert style.font.size is not None and style.font.size.pt >= 11
    colour = style.font.color.rgb
    assert colour is not None and max(colour[0], colour[1], colour[2]) <= 0x40, colour
    for paragraph in notes:
        for run in paragraph.runs:
            assert run.font.size is None or run.font.size.pt >= 11
            assert run.font.color.rgb is None or max(run.font.color.rgb) <= 0x40


def test_the_local_routine_appears_once_in_the_guide(packs: Path) -> None:
    guide = Document(str(packs / "örgryte-härlanda/bvc/trainer-guide.docx"))
    texts = "\n".join(p.text for p in _paragraphs(guide))
    # Once: on its slide's page (the heading and the sketch), not again as an appendix of steps.
    assert [p.text for p in guide.paragraphs if "Så startar vi en SIP här" in p.text] == [
        next(p.text for p in guide.paragraphs if re.fullmatch(r"Bild \d+: Så startar vi en SIP här", p.text))
    ]
    assert texts.count("Prata med vårdnadshavarna.") == 1


def test_the_handout_has_key_points_not_objectives(packs: Path) -> None:
    handout = Document(str(packs / "central/bvc/handout.docx"))
    texts = [p.text for p in handout.paragraphs]
    assert "I korthet" in texts
    start = texts.index("I korthet")
    assert "En SIP kräver samtycke." in texts[start:]  # the course's closing module's points
    assert "☐\tFråga om samtycke innan ni kallar." in texts  # the audience's checklist
    assert not [t for t in texts if t.startswith(("Kunna ", "Känna ", "Förstå ", "Veta "))]


def test_deck_and_documents_state_the_same_dates(packs: Path) -> None:
    deck = Presentation(str(packs / "central/bvc/slides.pptx"))
    title = [p.text for shape in deck.slides[0].shapes if shape.has_text_frame for p in shape.text_frame.paragraphs]
    dates = [line for line in title if "giltig från" in line]
    assert len(dates) == 1
    assert re.fullmatch(r"Utgåvan giltig från \d{4}-\d{2} · Materialet daterat \d{4}-\d{2}-\d{2}", dates[0])
    for part in ("handout", "trainer-guide"):
        document = Document(str(packs / f"central/bvc/{part}.docx"))
        cover = [p.text for p in document.paragraphs[:5]]
        assert dates[0] in cover, part
        assert not [text for text in cover if "gäller från" in text], part  # no second wording of a date


def _page_fill(pdf: Path) -> list[tuple[float, str]]:
    """Each page's share of its text area covered by text lines (the footer left out), and its text."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(str(pdf)):
        height = page.height
        top, bottom = height * 0.91, height * 0.09  # 2.5 cm margins on A4, the footer below
        lines = [
            line
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            if isinstance(line, LTTextLine) and bottom < line.y0 and line.get_text().strip()
        ]
        covered = sum(line.height for line in lines) * 1.35  # a line's height plus its leading
        text = "".join(line.get_text() for line in lines)
        pages.append((min(covered / (top - bottom), 1.0), text))
    return pages


@pytest.mark.slow
@pytest.mark.office
def test_no_page_before_the_answer_key_is_nearly_empty(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    pytest.importorskip("pdfminer")
    out = tmp_path / "paket"
    build(open_workspace(REPO), out, districts=["central"], audiences=["forskola"], formats=["docx"], jobs=1)
    handout = out / "central/forskola/handout.docx"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(handout)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = _page_fill(tmp_path / "handout.pdf")
    key = next(i for i, (_, text) in enumerate(pages) if "Facit till Testa dig själv" in text)
    for number, (fill, text) in enumerate(pages[:key], start=1):
        assert fill >= 0.2, f"page {number} holds {fill:.0%} text: {text[:80]!r}"
    assert not _stranded_sources(pages)
    # The sources are one list on one page (before issue 27 their tail ran onto a page of its own).
    assert len([text for _, text in pages if "https://" in text]) == 1


def _stranded_sources(pages: list[tuple[float, str]]) -> list[int]:
    """Pages where the heading "Källor" stands without a source below it (its list went to the next page)."""
    return [
        number
        for number, (_, text) in enumerate(pages, start=1)
        if "\nKällor\n" in f"\n{text}" and "https://" not in f"\n{text}".split("\nKällor\n", 1)[1]
    ]
