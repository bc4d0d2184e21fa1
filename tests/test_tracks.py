"""Tracks, diagrams and the slide-design rules: `check` catches each, and the plan honours them.

Every rule has a workspace that passes and one that fails; the plans are read from the
library API, the decks back from the files a build writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Emu

from tests.conftest import findings_of, make_mini, replace_in, rules_of
from vastbus_cli import api
from vastbus_cli.build import plan_all
from vastbus_cli.models import Edition

REPO = Path(__file__).resolve().parent.parent


def _claims() -> list[str]:
    """Every misconception the edition in force inherits, as check sees them."""
    workspace = api.open_workspace(REPO)
    editions = api.editions_of(workspace)
    current: Edition = api.select_edition(editions, None, dt.date.today())
    return [claim.id for edition in editions.lineage(current.id) for claim in edition.claims]


def _with_misconceptions_slide(root: Path) -> None:
    """Add a slide to the mini module that corrects every misconception."""
    claims = ", ".join(_claims())
    replace_in(
        root / "curriculum" / "modules" / "samtycke.yaml",
        "quiz:\n",
        "  - id: myter\n"
        '    title: "Vanliga missuppfattningar"\n'
        "    bullets:\n"
        '      - "Vi går igenom vad som sägs och vad som gäller."\n'
        '      - "Fråga gruppen vad de har hört."\n'
        f"    discusses: [{claims}]\n"
        "quiz:\n",
    )
    # The misconceptions marked quizzed must also be asked in every track (track/misconception-unquizzed).
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    module.write_text(
        module.read_text(encoding="utf-8") + "  - id: myt-fraga\n"
        '    question: "Kan en SIP bli aktuell fast problemen ännu är små?"\n'
        '    options: ["Ja", "Nej"]\n'
        "    answer: 1\n"
        '    explanation: "Behovet av samordning avgör, och var och en bidrar med sitt."\n'
        "    discusses: [bara-komplexa-fall, bestallningsforum]\n",
        encoding="utf-8",
    )


TRACKS = """\
tracks:
  - id: grund
    name: "Grundkurs"
    audiences: [bvc, forskola]
    budget: {budget}
    start: "13.00"
    modules:
      - module: samtycke
        minutes: 20
        slides: [{slides}]
"""


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    root = make_mini(tmp_path / "ws")
    _with_misconceptions_slide(root)
    course = root / "curriculum" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8") + TRACKS.format(budget=60, slides="start, kravs, myter"),
        encoding="utf-8",
    )
    return root


Check = Callable[..., dict[str, Any]]


@pytest.mark.slow
def test_a_track_within_budget_that_corrects_every_misconception_is_clean(tracked: Path, check_json: Check) -> None:
    report = check_json(tracked)
    assert report["findings"] == [], report["findings"]


def test_a_track_over_its_budget_is_an_error_naming_the_sum(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / "curriculum" / "course.yaml", "budget: 60", "budget: 30")
    found = findings_of(check_json(tracked), "track/over-budget")
    # 10 welcome + 20 module + 5 closing = 35 > 30
    assert len(found) == 1 and "35 minutes" in found[0]["message"], found
    assert found[0]["file"] == "curriculum/course.yaml" and found[0]["line"] > 0


def test_a_local_part_that_pushes_a_track_over_budget_is_reported_in_the_local_file(
    tracked: Path, check_json: Check
) -> None:
    replace_in(tracked / "curriculum" / "course.yaml", "budget: 60", "budget: 40")
    local = tracked / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    replace_in(local, "after: samtycke\n", "after: samtycke\nminutes: 10\n")
    found = findings_of(check_json(tracked), "track/over-budget")
    assert [f["file"] for f in found] == ["curriculum/local/örgryte-härlanda/lokalt.yaml"], found
    assert "45 minutes" in found[0]["message"]


def test_a_track_that_leaves_out_the_misconceptions_slide_is_an_error(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / "curriculum" / "course.yaml", "slides: [start, kravs, myter]", "slides: [start, kravs]")
    found = findings_of(check_json(tracked), "track/misconception-missing")
    # bara-komplexa-fall is still corrected by the quiz question the fixture asks on it.
    assert len(found) == 1 and "mote-utan-samtycke" in found[0]["message"], found


def test_unknown_slides_and_audiences_in_a_track_are_named(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / "curriculum" / "course.yaml", "slides: [start, kravs, myter]", "slides: [start, krav, myter]")
    replace_in(tracked / "curriculum" / "course.yaml", "audiences: [bvc, forskola]", "audiences: [bvc, forskolan]")
    report = check_json(tracked)
    assert {"track/unknown-slide", "audience/unknown", "track/audience-missing"} <= rules_of(report)
    hint = findings_of(report, "track/unknown-slide")[0]["hint"]
    assert "kravs" in hint


def test_an_audience_in_two_tracks_is_an_error(tracked: Path, check_json: Check) -> None:
    course = tracked / "curriculum" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8") + '  - id: hela\n    name: "Hela"\n    audiences: [bvc]\n    budget: 60\n'
        "    modules:\n      - module: samtycke\n        minutes: 20\n",
        encoding="utf-8",
    )
    assert "track/audience-twice" in rules_of(check_json(tracked))


def test_the_plan_follows_the_track_and_frames_the_deck(tracked: Path) -> None:
    replace_in(tracked / "curriculum" / "course.yaml", "slides: [start, kravs, myter]", "slides: [start, myter]")
    plan = plan_all(api.open_workspace(tracked), districts=["central"], audiences=["bvc"])[0]
    kinds = [slide.kind for slide in plan.slides]
    titles = [slide.title for slide in plan.slides]
    assert kinds[:2] == ["title", "agenda"] and kinds[-1] == "closing" and kinds[-2] == "references"
    assert "Ingen SIP utan samtycke" not in titles  # left out of the track
    agenda = plan.slides[1].table
    assert agenda[0] == ("Tid", "Innehåll")
    assert agenda[1] == ("13.00–13.10", "Välkommen och dagens upplägg")
    assert agenda[2] == ("13.10–13.30", "Samtycke")
    schedule = next(block for block in plan.guide.blocks if block.kind == "table")
    assert schedule.rows[-1] == ("", "Totalt", "35") and schedule.total


def test_without_tracks_everyone_gets_every_module_at_its_minutes(tmp_path: Path) -> None:
    root = make_mini(tmp_path / "ws")
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["bvc"])[0]
    assert plan.slides[1].table[2] == ("10–30 min", "Samtycke")
    assert any(slide.title == "Ingen SIP utan samtycke" for slide in plan.slides)


# --- local layouts ---------------------------------------------------------------------


def _routine(steps: int) -> str:
    lines = "".join(f'      - "Steg nummer {n} i rutinen."\n' for n in range(1, steps + 1))
    return (
        'routines:\n  - id: rutin\n    title: "Så startar vi en SIP"\n    verified: true\n'
        '    notes: "Gå igenom stegen och fråga vem som gör vad hos er."\n'
        f"    steps:\n{lines}"
    )


@pytest.mark.parametrize(("steps", "expected"), [(6, [6]), (8, [8]), (9, [5, 4]), (17, [6, 6, 5])])
def test_a_routine_is_one_slide_up_to_eight_steps_and_never_leaves_one_alone(
    tmp_path: Path, steps: int, expected: list[int]
) -> None:
    root = make_mini(tmp_path / "ws")
    local = root / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    local.write_text(local.read_text(encoding="utf-8") + _routine(steps), encoding="utf-8")
    plan = plan_all(api.open_workspace(root), districts=["örgryte-härlanda"], audiences=["bvc"])[0]
    routine = [slide for slide in plan.slides if slide.title.startswith("Så startar vi en SIP")]
    assert [len(slide.bullets) for slide in routine] == expected
    assert all(slide.numbered for slide in routine)
    assert [slide.start_at for slide in routine] == [1 + sum(expected[:i]) for i in range(len(expected))]
    if len(routine) > 1:
        assert routine[1].title == f"Så startar vi en SIP, forts. från steg {expected[0] + 1}"


def test_a_local_slide_or_routine_without_notes_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    local = root / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml"
    assert "local/missing-notes" not in rules_of(check_json(root))
    replace_in(local, '    notes: "Berätta hur området arbetar och fråga gruppen om deras erfarenheter."\n', "")
    local.write_text(
        local.read_text(encoding="utf-8") + _routine(3).replace('    notes: "Gå igenom stegen', '    # "Gå igenom'),
        encoding="utf-8",
    )
    found = findings_of(check_json(root), "local/missing-notes")
    assert sorted(f["message"] for f in found) == [
        "local routine 'rutin' has no speaker notes",
        "local slide 'lokal-rutin' has no speaker notes",
    ]


# --- slide design --------------------------------------------------------------------


def test_the_quote_layout_needs_a_source(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(
        module,
        "quiz:\n",
        '  - id: citat\n    layout: quote\n    title: "Frågan"\n    bullets: ["Vad är viktigt för dig?"]\nquiz:\n',
    )
    assert "slide/quote-source" in rules_of(check_json(root))
    replace_in(
        module,
        '    bullets: ["Vad är viktigt för dig?"]\n',
        '    bullets: ["Vad är viktigt för dig?"]\n    source: "Riktlinje för SIP, regionens SIP-material"\n',
    )
    assert "slide/quote-source" not in rules_of(check_json(root))


def test_a_content_slide_with_one_short_bullet_is_flagged_as_thin(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    assert "slide/thin" not in rules_of(check_json(root))
    replace_in(module, '      - "Vårdnadshavarna bestämmer vilka som deltar."\n', "")
    found = findings_of(check_json(root), "slide/thin")
    assert len(found) == 1 and found[0]["severity"] == "warning" and "'kravs'" in found[0]["message"]


# --- diagrams --------------------------------------------------------------------------

DIAGRAMS = """\
tracker: steg
diagrams:
  - id: steg
    kind: steps
    title: "Tre steg"
    alt: "Tre steg: fråga, samtyck, kalla."
    items:
      - label: "Fråga"
      - label: "Samtyck"
      - label: "Kalla"
  - id: utgavor
    kind: editions
    title: "Utgåvorna"
    alt: "Tidslinje över utgåvorna."
  - id: staden
    kind: organisation
    title: "Staden"
    alt: "Områdena i stadsområden."
"""


def _diagram_module(root: Path, slide_extra: str) -> Path:
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(module, "minutes: 20\n", "minutes: 20\n" + DIAGRAMS)
    replace_in(module, '    title: "Ingen SIP utan samtycke"\n', '    title: "Ingen SIP utan samtycke"\n' + slide_extra)
    return module


def test_diagrams_and_a_step_tracker_are_checked_and_planned(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _diagram_module(root, "    diagram: steg\n    step: 2\n")
    assert check_json(root)["findings"] == []
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["bvc"])[0]
    slide = next(s for s in plan.slides if s.title == "Ingen SIP utan samtycke")
    assert slide.diagram is not None and [i.label for i in slide.diagram.items] == ["Fråga", "Samtyck", "Kalla"]
    assert slide.tracker is not None and slide.tracker.highlight == 2
    handout = [block for block in plan.handout.blocks if block.kind == "diagram"]
    assert handout and handout[0].diagram is not None


def test_a_step_beyond_the_tracker_or_an_unknown_diagram_is_an_error(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _diagram_module(root, "    diagram: stege\n    step: 4\n")
    report = check_json(root)
    assert {"diagram/unknown", "diagram/step"} <= rules_of(report)
    assert "steg" in findings_of(report, "diagram/unknown")[0]["hint"]


def test_a_steps_diagram_needs_at_least_two_items(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    module = _diagram_module(root, "")
    replace_in(module, '      - label: "Samtyck"\n      - label: "Kalla"\n', "")
    assert "diagram/items" in rules_of(check_json(root))


def test_the_organisation_diagram_groups_districts_by_declared_area(tmp_path: Path, check_json: Check) -> None:
    root = make_mini(tmp_path / "ws")
    _diagram_module(root, "    diagram: staden\n")
    districts = root / "curriculum" / "districts.yaml"
    replace_in(districts, 'name: "Örgryte-Härlanda"\n', 'name: "Örgryte-Härlanda"\n    area: centrum\n')
    report = check_json(root)
    assert "district/unknown-area" in rules_of(report)
    assert "did you mean" not in (findings_of(report, "district/unknown-area")[0]["hint"] or "")
    replace_in(
        districts,
        "districts:\n",
        'areas:\n  - id: centrum\n    name: "Centrum"\n    committee: "Socialnämnden Centrum"\ndistricts:\n',
    )
    assert "district/unknown-area" not in rules_of(check_json(root))
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["bvc"])[0]
    drawn = next(s.diagram for s in plan.slides if s.diagram is not None)
    # A district outside the city areas (here Angered, as another municipality would be) is a box of its own.
    assert [(i.label, i.members) for i in drawn.items] == [
        ("Centrum", ("Örgryte-Härlanda",)),
        ("Angered", ("Angered",)),
    ]


def test_the_editions_timeline_is_drawn_from_the_guidelines(tmp_path: Path) -> None:
    root = make_mini(tmp_path / "ws")
    _diagram_module(root, "    diagram: utgavor\n")
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["bvc"])[0]
    drawn = next(s.diagram for s in plan.slides if s.diagram is not None)
    assert [i.label for i in drawn.items] == ["2005", "2012", "2021", "2023"]
    assert drawn.highlight == 4 and drawn.items[0].detail == "Västbus riktlinjer"


# --- the written deck --------------------------------------------------------------


def test_the_written_deck_has_its_frame_tables_and_grouped_diagrams(tmp_path: Path, run: Callable[..., Any]) -> None:
    root = make_mini(tmp_path / "ws")
    _diagram_module(root, "    diagram: steg\n    step: 2\n")
    out = tmp_path / "packs"
    result = run("build", "--workspace", root, "--out", out, "--district", "örgryte-härlanda", "--audience", "bvc")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(out / "örgryte-härlanda" / "bvc" / "slides.pptx"))
    slides = list(deck.slides)
    layouts = [slide.slide_layout.name for slide in slides]
    assert layouts[:2] == ["Titel", "Agenda"] and layouts[-1] == "Avslutning"
    assert "Lokalt avsnitt" in layouts
    title_texts = [shape.text_frame.text for shape in slides[0].shapes if shape.has_text_frame]
    assert not any("Kursversion" in text for text in title_texts)  # no stamp on the cover
    assert any(shape.has_table for shape in slides[1].shapes)
    contacts = next(
        s for s in slides if s.shapes.title is not None and s.shapes.title.text.startswith("Lokala kontakter")
    )
    table = next(shape.table for shape in contacts.shapes if shape.has_table)
    assert table.cell(0, 0).text == "Roll" and table.cell(1, 0).text == "Samordnare"
    diagram_slide = next(
        s for s in slides if s.shapes.title is not None and s.shapes.title.text == "Ingen SIP utan samtycke"
    )
    groups = [shape for shape in diagram_slide.shapes if shape.shape_type == 6]  # MSO_SHAPE_TYPE.GROUP
    assert len(groups) == 2  # the diagram and the tracker
    for group in groups:
        assert group._element.xpath("./p:nvGrpSpPr/p:cNvPr/@descr")[0].strip()
    width = deck.slide_width
    for slide in slides:
        for shape in slide.shapes:
            if shape.name == "Lokalt tillägg":
                assert Emu(shape.left) >= Emu(685_800) and shape.left + shape.width <= width - 685_800
