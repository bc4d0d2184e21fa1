"""The design system's slide layouts: statement, table, case card, exercise, takeaways and break.

Each is written in a module's YAML, checked by ``check`` (what the layout needs, what fits),
drawn by ``build`` on its own layout of the template (read back with python-pptx), and a
template made before these layouts still builds, drawing their text as bullets.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from tests.conftest import findings_of, make_mini, replace_in
from tests.test_tracks import TRACKS, _with_misconceptions_slide
from vastbus_cli.render.contract import OPTIONAL_LAYOUTS

Check = Callable[..., dict[str, Any]]
MODULE = Path("curriculum") / "modules" / "samtycke.yaml"

CARDS = """\
  - id: fall
    layout: case
    title: "Det här ser förskolan"
    case:
      person: "Noa, 4 år"
      situation:
        - "Säger få ord och blir ledsen när ingen förstår honom."
        - "Föräldrarna är trötta."
      question: "Vem mer behöver vara med?"
    notes: "Låt gruppen svara."
  - id: ovning
    layout: exercise
    title: "Skriv kallelsen"
    exercise:
      task: "Skriv syfte och frågor i kallelsen."
      minutes: 8
      group: "Grupper om 3–4"
      debrief:
        - "Vad skrev ni som syfte?"
        - "Vilken fråga ska BVC förbereda?"
    notes: "Dela ut mallen."
  - id: pastaende
    layout: statement
    title: "Samtycke"
    bullets:
      - "Ingen SIP utan samtycke."
    notes: "Säg det."
  - id: planen
    layout: table
    title: "Vem gör vad?"
    table:
      - ["Vem", "Gör vad"]
      - ["Förskolan", "Bildstöd i leken"]
      - ["BVC", "Remiss till logoped"]
    notes: "Gå igenom planen."
  - id: ta-med
    layout: takeaways
    title: "Tre saker att ta med"
    bullets:
      - "SIP är för alla barn som behöver samordnat stöd."
      - "Ingen SIP utan samtycke."
      - "Den som kallas deltar."
    action: "På måndag: leta upp er rutin för SIP."
    notes: "Knyt ihop."
"""


def _with_cards(root: Path, cards: str = CARDS) -> Path:
    replace_in(root / MODULE, "quiz:\n", cards + "quiz:\n")
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return _with_cards(make_mini(tmp_path / "Västbus arbetsyta"))


def _placeholder_text(slide: Any) -> dict[int, str]:
    return {
        shape.placeholder_format.idx: shape.text_frame.text
        for shape in slide.placeholders
        if shape.has_text_frame and shape.text_frame.text
    }


def _deck(run: Callable[..., Any], root: Path, out: Path) -> Any:
    result = run("build", "-w", root, "-o", out, "-d", "central", "-a", "forskola")
    assert result.exit_code == 0, result.output
    return Presentation(str(out / "central" / "forskola" / "slides.pptx"))


def _by_layout(deck: Any) -> dict[str, Any]:
    return {slide.slide_layout.name: slide for slide in deck.slides}


def test_each_layout_is_drawn_on_its_own_layout_with_its_parts(
    ws: Path, tmp_path: Path, run: Callable[..., Any], check_json: Check
) -> None:
    report = check_json(ws)
    assert report["summary"]["error"] == 0, report
    slides = _by_layout(_deck(run, ws, tmp_path / "ut"))

    case = _placeholder_text(slides["Fall"])
    assert case[0] == "Det här ser förskolan"
    assert case[1] == "Noa, 4 år"
    assert "Säger få ord" in case[2] and "Föräldrarna är trötta." in case[2]
    assert case[3] == "Vem mer behöver vara med?"

    exercise = _placeholder_text(slides["Övning"])
    assert exercise[1] == "Skriv syfte och frågor i kallelsen."
    assert exercise[2].splitlines() == ["Efteråt:", "Vad skrev ni som syfte?", "Vilken fråga ska BVC förbereda?"]
    assert exercise[3] == "8 minuter · Grupper om 3–4"

    assert _placeholder_text(slides["Påstående"])[1] == "Ingen SIP utan samtycke."

    tables = [shape for shape in slides["Tabell"].shapes if shape.has_table]
    assert len(tables) == 1
    cells = [[cell.text for cell in row.cells] for row in tables[0].table.rows]
    assert cells == [["Vem", "Gör vad"], ["Förskolan", "Bildstöd i leken"], ["BVC", "Remiss till logoped"]]

    takeaways = _placeholder_text(slides["Att ta med"])
    assert len(takeaways[1].splitlines()) == 3
    assert takeaways[2] == "På måndag: leta upp er rutin för SIP."


def test_a_break_is_drawn_on_the_break_layout_not_as_a_section(
    ws: Path, tmp_path: Path, run: Callable[..., Any]
) -> None:
    _with_misconceptions_slide(ws)
    course = ws / "curriculum" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8")
        + TRACKS.format(budget=200, slides="start, kravs, myter, fall")
        + '    breaks:\n      - {after: samtycke, minutes: 15, title: "Fika"}\n',
        encoding="utf-8",
    )
    deck = _deck(run, ws, tmp_path / "ut")
    breaks = [s for s in deck.slides if s.slide_layout.name == "Paus"]
    assert [s.shapes.title.text for s in breaks] == ["Fika – 15 minuter"]
    sections = [s.shapes.title.text for s in deck.slides if s.slide_layout.name == "Avsnitt"]
    assert "Fika – 15 minuter" not in sections


def _without_layouts(template: Path, names: set[str]) -> None:
    """Rename the named layouts of a .pptx template, as a template made before them would lack them."""
    with zipfile.ZipFile(template) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    for name, data in parts.items():
        if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", name):
            text = data.decode("utf-8")
            for layout in names:
                text = text.replace(f'<p:cSld name="{layout}"', f'<p:cSld name="Gammal {layout}"')
            parts[name] = text.encode("utf-8")
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_template_without_the_new_layouts_draws_their_text_as_bullets(
    ws: Path, tmp_path: Path, run: Callable[..., Any], check_json: Check
) -> None:
    _without_layouts(ws / "templates" / "slides.pptx", set(OPTIONAL_LAYOUTS))
    assert check_json(ws)["summary"]["error"] == 0
    deck = _deck(run, ws, tmp_path / "ut")
    names = {slide.slide_layout.name for slide in deck.slides}
    assert not names & set(OPTIONAL_LAYOUTS)
    text = {slide.shapes.title.text: _placeholder_text(slide) for slide in deck.slides}
    case = text["Det här ser förskolan"][1].splitlines()
    assert case == [
        "Noa, 4 år",
        "Säger få ord och blir ledsen när ingen förstår honom.",
        "Föräldrarna är trötta.",
        "Vem mer behöver vara med?",
    ]
    assert text["Skriv kallelsen"][1].splitlines()[:2] == [
        "Skriv syfte och frågor i kallelsen.",
        "8 minuter · Grupper om 3–4",
    ]
    assert text["Tre saker att ta med"][1].splitlines()[-1] == "På måndag: leta upp er rutin för SIP."


def test_a_template_whose_case_layout_lacks_a_placeholder_is_named_by_check(ws: Path, check_json: Check) -> None:
    template = ws / "templates" / "slides.pptx"
    with zipfile.ZipFile(template) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    for name, data in parts.items():
        text = data.decode("utf-8", "replace")
        if name.startswith("ppt/slideLayouts/") and '<p:cSld name="Fall"' in text:
            shapes = re.findall(r"<p:sp>.*?</p:sp>", text, re.DOTALL)
            third = next(shape for shape in shapes if 'idx="3"' in shape)
            parts[name] = text.replace(third, "").encode("utf-8")
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    found = findings_of(check_json(ws), "template/missing-placeholder")
    assert any("'Fall'" in f["message"] and "idx 3" in f["message"] for f in found), found


@pytest.mark.parametrize(
    ("cards", "says"),
    [
        ('  - id: x\n    layout: case\n    title: "Fall"\n    bullets: ["Noa"]\n', "needs 'case'"),
        (
            '  - id: x\n    layout: content\n    title: "Fall"\n    bullets: ["Noa"]\n'
            '    case: {person: "Noa", situation: ["Ledsen"], question: "Vad gör ni?"}\n',
            "'case' only works with layout case",
        ),
        ('  - id: x\n    layout: statement\n    title: "S"\n    bullets: ["Ett.", "Två."]\n', "exactly one bullet"),
        (
            '  - id: x\n    layout: takeaways\n    title: "T"\n    bullets: ["a", "b", "c", "d"]\n    action: "Gör."\n',
            "one to three bullets",
        ),
        ('  - id: x\n    layout: takeaways\n    title: "T"\n    bullets: ["a"]\n', "needs 'action'"),
        ('  - id: x\n    layout: table\n    title: "T"\n    table: [["Vem", "Vad"], ["BVC"]]\n', "as many cells"),
        (
            '  - id: x\n    layout: exercise\n    title: "Ö"\n    bullets: ["Gör"]\n'
            '    exercise: {task: "Gör", minutes: 5, group: "I par", debrief: ["Hur gick det?"]}\n',
            "has no bullets",
        ),
    ],
    ids=[
        "case-without-card",
        "card-on-content",
        "statement-two",
        "takeaways-four",
        "takeaways-no-action",
        "table-ragged",
        "exercise-bullets",
    ],
)
def test_what_a_layout_needs_is_a_slide_layout_error(tmp_path: Path, check_json: Check, cards: str, says: str) -> None:
    root = _with_cards(make_mini(tmp_path / "ws"), cards)
    found = findings_of(check_json(root), "slide/layout")
    assert any(says in f["message"] for f in found), found


def test_the_well_formed_layouts_raise_no_layout_or_design_finding(ws: Path, check_json: Check) -> None:
    report = check_json(ws)
    rules = {f["rule"] for f in report["findings"]}
    assert "slide/layout" not in rules
    assert not {r for r in rules if r.startswith("design/")}, report["findings"]


def test_a_statement_too_long_for_40_pt_is_small_type(tmp_path: Path, check_json: Check) -> None:
    long = " ".join(["Den som kallas till ett SIP-möte ska delta och ta med sig sitt bidrag och sitt mandat."] * 3)
    root = _with_cards(
        make_mini(tmp_path / "ws"),
        f'  - id: lang\n    layout: statement\n    title: "Lång"\n    bullets: ["{long}"]\n    notes: "Säg det."\n',
    )
    found = findings_of(check_json(root), "design/small-type")
    assert any("'Lång'" in f["message"] and "40 pt" in f["message"] for f in found), found


def test_an_exercise_counts_its_words_and_a_long_question_does_not_fit_its_band(
    tmp_path: Path, check_json: Check
) -> None:
    words = " ".join(["ord"] * 45)
    question = " ".join(["Vilka verksamheter behöver vara med när förskolan ser att ett barn inte mår bra?"] * 3)
    root = _with_cards(
        make_mini(tmp_path / "ws"),
        f'  - id: ovning\n    layout: exercise\n    title: "Ö"\n'
        f'    exercise: {{task: "{words}", minutes: 5, group: "I par", debrief: ["Hur gick det?"]}}\n'
        '    notes: "Gör."\n'
        f'  - id: fall\n    layout: case\n    title: "F"\n'
        f'    case: {{person: "Noa", situation: ["Ledsen."], question: "{question}"}}\n    notes: "Fråga."\n',
    )
    report = check_json(root)
    assert any("'Ö' has" in f["message"] for f in findings_of(report, "design/too-many-words"))
    assert any("question does not fit" in f["message"] for f in findings_of(report, "design/small-type"))


def test_a_hedge_on_a_case_card_is_found_like_one_in_bullets(tmp_path: Path, check_json: Check) -> None:
    root = _with_cards(
        make_mini(tmp_path / "ws"),
        '  - id: fall\n    layout: case\n    title: "F"\n'
        '    case: {person: "Noa", situation: ["Kontakten är inte bekräftad."], question: "Vad gör ni?"}\n'
        '    notes: "Fråga."\n',
    )
    found = findings_of(check_json(root), "hedge/on-slide")
    assert found, "a hedge on a case card must be found"


def test_the_guide_says_how_to_run_an_exercise_and_gives_it_its_minutes(
    ws: Path, tmp_path: Path, run: Callable[..., Any]
) -> None:
    _deck(run, ws, tmp_path / "ut")
    guide = Document(str(tmp_path / "ut" / "central" / "forskola" / "trainer-guide.docx"))
    cells = [cell.text for table in guide.tables for row in table.rows for cell in row.cells]
    page = next(text for text in cells if "Övning:" in text)
    assert "Grupper om 3–4, 8 minuter" in page and "Skriv syfte och frågor i kallelsen." in page
    assert "Efteråt: Fråga gruppen: Vad skrev ni som syfte?" in page
    minutes = int(re.search(r"Cirka (\d+) minut", page).group(1))  # type: ignore[union-attr]
    assert minutes >= 8 + 2, page


def test_a_full_day_agenda_is_two_slides_split_at_lunch_and_drawn_at_24_pt(
    shipped: Path, tmp_path: Path, run: Callable[..., Any]
) -> None:
    out = tmp_path / "ut"
    result = run("build", "-w", shipped, "-o", out, "-d", "central", "-a", "skola-elevhalsa")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(out / "central" / "skola-elevhalsa" / "slides.pptx"))
    agendas = [slide for slide in deck.slides if slide.slide_layout.name == "Agenda"]
    assert [slide.shapes.title.text for slide in agendas] == ["Dagens upplägg (1 av 2)", "Dagens upplägg (2 av 2)"]
    rows = [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for slide in agendas
        for shape in slide.shapes
        if shape.has_table
    ]
    assert rows[0][-1][1] == "Lunch" and rows[1][0] == rows[0][0]  # the morning ends with lunch; both have the header
    sizes = {
        run_.font.size.pt
        for slide in agendas
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for paragraph in cell.text_frame.paragraphs
        for run_ in paragraph.runs
    }
    assert sizes == {24.0}


def test_local_takeaways_keep_the_local_look_with_its_lines_as_bullets(
    ws: Path, tmp_path: Path, run: Callable[..., Any]
) -> None:
    local = ws / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    replace_in(
        local,
        "slides:\n",
        'slides:\n  - id: lokalt-fall\n    layout: takeaways\n    title: "Våra tre saker"\n'
        '    bullets: ["Fråga vårdnadshavarna först."]\n    action: "Ring samordnaren i dag."\n'
        '    notes: "Berätta hur området arbetar."\n'
        '  - id: lokal-jamforelse\n    layout: two-content\n    title: "Förr och nu här"\n'
        '    columns: [{heading: "Förr", bullets: ["Blankett"]}, {heading: "Nu", bullets: ["SIP-mallen"]}]\n'
        '    notes: "Jämför."\n',
    )
    result = run("build", "-w", ws, "-o", tmp_path / "ut", "-d", "örgryte-härlanda", "-a", "forskola")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(tmp_path / "ut" / "örgryte-härlanda" / "forskola" / "slides.pptx"))
    (slide,) = [
        s for s in deck.slides if s.slide_layout.name == "Lokalt tillägg" and s.shapes.title.text == "Våra tre saker"
    ]
    assert _placeholder_text(slide)[1].splitlines() == ["Fråga vårdnadshavarna först.", "Ring samordnaren i dag."]
    # Columns on a district's slide were dropped (the local layout has one body): now they are its bullets.
    (compare,) = [s for s in deck.slides if s.shapes.title.text == "Förr och nu här"]
    assert _placeholder_text(compare)[1].splitlines() == ["Förr", "Blankett", "Nu", "SIP-mallen"]


def test_an_exercise_with_a_step_gets_no_tracker_over_its_tag(
    shipped: Path, tmp_path: Path, run: Callable[..., Any]
) -> None:
    replace_in(
        shipped / "curriculum" / "modules" / "ett-fall.yaml",
        '    title: "Läs Noas kallelse"\n',
        '    title: "Läs Noas kallelse"\n    step: 3\n',
    )
    out = tmp_path / "ut"
    result = run("build", "-w", shipped, "-o", out, "-d", "central", "-a", "forskola")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(out / "central" / "forskola" / "slides.pptx"))
    (exercise,) = [slide for slide in deck.slides if slide.slide_layout.name == "Övning"]
    groups = [shape for shape in exercise.shapes if shape.shape_type == 6]  # MSO_SHAPE_TYPE.GROUP
    assert groups == []
    tracked = [s for s in deck.slides if any(shape.shape_type == 6 for shape in s.shapes)]
    assert len(tracked) > 5  # the step slides around it still have theirs
