"""`scan` of files vastbus built: only the blocks changed since the build are judged."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.util import Inches
from typer.testing import Result

from tests.conftest import make_mini, replace_in
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

Run = Callable[..., Result]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small workspace whose slide quotes an outdated term on purpose, built once."""
    root = make_mini(tmp_path_factory.mktemp("ws") / "Västbus arbetsyta")
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(
        module,
        '      - "Vårdnadshavarna bestämmer vilka som deltar."\n',
        '      - "Vårdnadshavarna bestämmer vilka som deltar."\n'
        '      - "Förr hette mötet Västbusmöte; i dag heter det SIP-möte."\n',
    )
    replace_in(module, "    refs:\n", "    discusses: [vastbusmote]\n    refs:\n")
    out = root.parent / "paket"
    build(open_workspace(root), out, districts=["central"], audiences=["bvc"], jobs=1)
    return root, out / "central" / "bvc" / "slides.pptx"


def _scan(run: Run, workspace: Path, path: Path) -> tuple[int, dict[str, Any]]:
    result = run("scan", "--workspace", workspace, "--format", "json", path)
    assert result.exit_code in (0, 1), result.output
    (entry,) = json.loads(result.stdout)["files"]
    return result.exit_code, entry


def _slide_with(deck: Any, text: str) -> int:
    return next(
        number
        for number, slide in enumerate(deck.slides, start=1)
        if any(shape.has_text_frame and text in shape.text_frame.text for shape in slide.shapes)
    )


def _edit(source: Path, target: Path, old: str, new: str) -> int:
    """Replace text in one run of the deck, as a trainer editing a slide would; return the slide number."""
    deck = Presentation(str(source))
    number = _slide_with(deck, old)
    for shape in deck.slides[number - 1].shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if old in run.text:
                        run.text = run.text.replace(old, new)
    deck.save(str(target))
    return number


def test_an_unchanged_build_is_current_and_its_quotes_are_not_evidence(run: Run, built: tuple[Path, Path]) -> None:
    root, deck = built
    code, entry = _scan(run, root, deck)
    assert (code, entry["status"], entry["modified"], entry["changed"]) == (0, "current", False, [])
    assert not [e for e in entry["evidence"] if e["rule"].startswith("term/")]


def test_a_typo_fixed_on_one_slide_is_current_and_modified(run: Run, built: tuple[Path, Path], tmp_path: Path) -> None:
    root, deck = built
    edited = tmp_path / "rättad.pptx"
    number = _edit(deck, edited, "Ingen SIP utan samtycke", "Ingen SIP utan samtycke (stavfel rättat)")
    code, entry = _scan(run, root, edited)
    assert (code, entry["status"], entry["modified"]) == (0, "current", True)
    assert entry["changed"] == [f"slide {number}"]
    assert entry["unchanged"] > 5


def test_a_slide_that_quotes_an_old_term_on_purpose_stays_clean_when_edited(
    run: Run, built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, deck = built
    edited = tmp_path / "ändrad.pptx"
    number = _edit(deck, edited, "i dag heter det SIP-möte", "i dag heter det SIP-möte, sedan 2021")
    code, entry = _scan(run, root, edited)
    assert entry["changed"] == [f"slide {number}"]
    assert (code, entry["status"]) == (0, "current"), entry["evidence"]


def test_one_slide_edited_to_state_a_misconception_is_reported_alone(
    run: Run, built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, deck = built
    edited = tmp_path / "fel.pptx"
    number = _edit(
        deck, edited, "Vårdnadshavarna bestämmer vilka som deltar.", "SIP-mötet är ett beställningsforum för skolan."
    )
    code, entry = _scan(run, root, edited)
    assert (code, entry["status"], entry["modified"]) == (1, "outdated", True)
    assert entry["changed"] == [f"slide {number}"]
    judged = [e for e in entry["evidence"] if e["rule"].split("/")[0] in ("claim", "term")]
    assert [(e["rule"], e["location"]) for e in judged] == [("claim/misconception", f"slide {number}")]
    assert judged[0]["text"].startswith("bestallningsforum: ")
    assert entry["rule_counts"]["claim/bestallningsforum"] == 1
    assert not [rule for rule in entry["rule_counts"] if rule.startswith("term/")]


def test_another_authors_deck_with_the_misconception_in_notes_and_a_table(run: Run, tmp_path: Path) -> None:
    root = make_mini(tmp_path / "ws")
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Om SIP"
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(2)).table
    table.cell(0, 0).text = "Fråga"
    table.cell(1, 1).text = "Man kan dela informationen utan att fråga föräldrarna."
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Vem kallar?"
    second.notes_slide.notes_text_frame.text = "Säg att det bara är socialtjänsten som får kalla till mötet."
    path = tmp_path / "annan.pptx"
    deck.save(str(path))
    code, entry = _scan(run, root, path)
    assert (code, entry["status"]) == (1, "outdated")
    found = {(e["location"], e["text"].split(":")[0]) for e in entry["evidence"]}
    assert ("slide 1", "mote-utan-samtycke") in found
    assert ("notes of slide 2", "bara-soc-eller-bup-kallar") in found
    locations = [e["location"] for e in entry["evidence"]]
    assert locations == sorted(locations, key=lambda loc: (int(loc.split()[-1]), loc.startswith("notes")))


def test_text_output_names_the_changed_slides_and_counts_per_rule(
    run: Run, built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, deck = built
    edited = tmp_path / "fel.pptx"
    number = _edit(deck, edited, "Vårdnadshavarna bestämmer vilka som deltar.", "Samtycke behövs inte för en SIP.")
    result = run("scan", "--workspace", root, edited)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("outdated")
    assert f"changed since the build: slide {number};" in lines[1]
    assert lines[2].strip().startswith("matches: claim/mote-utan-samtycke 1")
    assert "claim/misconception" in lines[3]  # the worst finding leads
