"""`scan` of an edited built deck judges only the text the edit added or changed (issue 29, item 7).

The central BUP deck of the shipped course is built once; each test edits a copy the way a
trainer would in PowerPoint (here with python-pptx) and scans it through the CLI.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from typer.testing import Result

from tests.conftest import REPO
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

Run = Callable[..., Result]
#: A line of the history slide: it names an older edition, which the course teaches on purpose.
HISTORY = "2012: Västbus reviderade riktlinjer."


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paket")
    build(open_workspace(REPO), out, districts=["central"], audiences=["bup"], jobs=1)
    return out / "central" / "bup" / "slides.pptx"


def _scan(run: Run, path: Path) -> tuple[int, dict[str, Any]]:
    result = run("scan", "--workspace", REPO, "--format", "json", path)
    assert result.exit_code in (0, 1), result.output
    (entry,) = json.loads(result.stdout)["files"]
    return result.exit_code, entry


def _slide_with(presentation: Any, text: str) -> int:
    return next(
        number
        for number, slide in enumerate(presentation.slides, start=1)
        if any(shape.has_text_frame and text in shape.text_frame.text for shape in slide.shapes)
    )


def _paragraph_with(presentation: Any, number: int, text: str) -> Any:
    for shape in presentation.slides[number - 1].shapes:
        if shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                if text in "".join(run.text for run in paragraph.runs):
                    return paragraph
    raise AssertionError(f"{text!r} not on slide {number}")


def _set_text(paragraph: Any, text: str) -> None:
    """Replace a paragraph's text in its first run, keeping the run's formatting."""
    first, *rest = paragraph.runs
    first.text = text
    for run in rest:
        run._r.getparent().remove(run._r)


def _edit(source: Path, target: Path, old: str, new: str) -> int:
    """Rewrite the paragraph that holds ``old`` to ``new`` (a typo fixed, a sentence added); return its slide."""
    presentation = Presentation(str(source))
    number = _slide_with(presentation, old)
    paragraph = _paragraph_with(presentation, number, old)
    _set_text(paragraph, "".join(run.text for run in paragraph.runs).replace(old, new))
    presentation.save(str(target))
    return number


def _judged(entry: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The evidence from the text (not the stamp): rule, location and text."""
    return [(e["rule"], e["location"], e["text"]) for e in entry["evidence"] if not e["rule"].startswith("stamp/")]


def test_a_typo_fixed_on_the_history_slide_keeps_the_deck_current(run: Run, deck: Path, tmp_path: Path) -> None:
    edited = tmp_path / "rättad.pptx"
    number = _edit(deck, edited, HISTORY, "2012: Västbus reviderade riktlinjer")  # a stray full stop removed
    code, entry = _scan(run, edited)
    assert (code, entry["status"], entry["modified"]) == (0, "current", True), _judged(entry)
    assert entry["changed"] == [f"slide {number}"]
    assert entry["unchanged"] > 100
    assert entry["judged_lines"] == 1
    assert _judged(entry) == []
    text = run("scan", "--workspace", REPO, edited).stdout
    assert f"changed since the build: slide {number}; {entry['unchanged']} blocks unchanged and not judged; " in text
    assert "1 line added or changed, judged" in text


def test_the_same_edit_without_the_record_judges_the_whole_slide(run: Run, deck: Path, tmp_path: Path) -> None:
    """The failing case of the test above: the history slide's own text is what made the deck outdated."""
    edited = tmp_path / "rättad.pptx"
    number = _edit(deck, edited, HISTORY, "2012: Västbus reviderade riktlinjer")
    # The record as a build before issue 29 wrote it: fingerprints only.
    bare = _rewrite_record(edited, tmp_path / "utan-text.pptx", lambda xml: re.sub(rb">[^<]+</block>", b"/>", xml))
    code, entry = _scan(run, bare)
    assert (code, entry["status"]) == (1, "outdated")
    assert {location for _, location, _ in _judged(entry)} == {f"slide {number}"}
    assert ("marker/edition", f"slide {number}", "Västbus reviderade riktlinjer") in _judged(entry)


def test_a_misconception_added_to_a_history_line_is_the_only_evidence(run: Run, deck: Path, tmp_path: Path) -> None:
    edited = tmp_path / "fel.pptx"
    number = _edit(deck, edited, HISTORY, HISTORY + " SIP-mötet är ett beställningsforum.")
    code, entry = _scan(run, edited)
    assert (code, entry["status"]) == (1, "outdated")
    assert entry["changed"] == [f"slide {number}"]
    assert _judged(entry) == [
        ("claim/misconception", f"slide {number}", "bestallningsforum: beställningsforum (words: beställningsforum)")
    ]
    (claim,) = [e for e in entry["evidence"] if e["rule"] == "claim/misconception"]
    assert claim["correct"].startswith("Den som kallas kommer förberedd")
    assert entry["rule_counts"] == {"claim/bestallningsforum": 1}


def test_an_old_term_in_a_new_bullet_is_named_alone(run: Run, deck: Path, tmp_path: Path) -> None:
    presentation = Presentation(str(deck))
    number = _slide_with(presentation, HISTORY)
    bullet = _paragraph_with(presentation, number, HISTORY)
    added = copy.deepcopy(bullet._p)
    bullet._p.addnext(added)
    _set_text(bullet, "Boka ett Västbusmöte i god tid.")
    edited = tmp_path / "ny-punkt.pptx"
    presentation.save(str(edited))
    code, entry = _scan(run, edited)
    assert (code, entry["status"], entry["judged_lines"]) == (1, "outdated", 1)
    # The term, and (issue 29) the claim that Västbus still applies: both in the added bullet only.
    judged = _judged(entry)
    assert ("term/vastbusmote", f"slide {number}", "Västbusmöte") in judged
    assert {rule for rule, _, _ in judged} <= {"term/vastbusmote", "claim/misconception"}
    assert {where for _, where, _ in judged} == {f"slide {number}"}


def test_a_slide_added_by_hand_is_judged_whole_and_shifts_nothing(run: Run, deck: Path, tmp_path: Path) -> None:
    presentation = Presentation(str(deck))
    layout = presentation.slides[1].slide_layout
    slide = presentation.slides.add_slide(layout)
    texts = [shape for shape in slide.placeholders if shape.has_text_frame]
    texts[0].text_frame.text = "Så gör vi hos oss"
    texts[1].text_frame.text = "Vi följer Västbus reviderade riktlinjer 2012.\nKalla till ett Västbusmöte."
    # Moved to third place: every later slide's number shifts, its text does not change.
    order = presentation.slides._sldIdLst
    order.insert(2, order[-1])
    edited = tmp_path / "egen-bild.pptx"
    presentation.save(str(edited))
    code, entry = _scan(run, edited)
    assert (code, entry["status"]) == (1, "outdated")
    assert entry["changed"] == ["slide 3"]
    assert entry["judged_lines"] == 3
    judged = _judged(entry)
    assert {location for _, location, _ in judged} == {"slide 3"}
    assert ("term/vastbusmote", "slide 3", "Västbusmöte") in judged
    assert ("marker/edition", "slide 3", "Västbus reviderade riktlinjer") in judged


def test_a_deleted_history_slide_adds_nothing(run: Run, deck: Path, tmp_path: Path) -> None:
    presentation = Presentation(str(deck))
    number = _slide_with(presentation, HISTORY)
    order = presentation.slides._sldIdLst
    order.remove(order[number - 1])
    edited = tmp_path / "utan-historik.pptx"
    presentation.save(str(edited))
    code, entry = _scan(run, edited)
    assert (code, entry["status"], entry["modified"], entry["judged_lines"]) == (0, "current", True, 0)
    assert f"slide {number} (removed)" in entry["changed"]
    assert _judged(entry) == []


def _rewrite_record(source: Path, target: Path, change: Callable[[bytes], bytes]) -> Path:
    """A copy of the package with its block record (customXml/item1.xml) rewritten."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == "customXml/item1.xml" else data)
    return target


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda xml: xml[: len(xml) // 2], id="not-well-formed"),
        pytest.param(lambda xml: xml.replace(b"2012: V\xc3\xa4stbus", b"1999: V\xc3\xa4stbus"), id="text-not-its-sha"),
        pytest.param(lambda xml: xml.replace(b' sha="', b' x="'), id="no-fingerprints"),
        pytest.param(lambda xml: b'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY e "x">]><b>&e;</b>', id="dtd"),
    ],
)
def test_a_damaged_record_means_everything_is_judged(
    run: Run, deck: Path, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    edited = tmp_path / "rättad.pptx"
    number = _edit(deck, edited, HISTORY, "2012: Västbus reviderade riktlinjer")
    damaged = _rewrite_record(edited, tmp_path / "skadad.pptx", damage)
    code, entry = _scan(run, damaged)
    assert (code, entry["status"], entry["modified"]) == (1, "outdated", True)
    assert "record" in (entry["reason"] or "")
    assert ("marker/edition", f"slide {number}", "Västbus reviderade riktlinjer") in _judged(entry)
    # Unedited text with a damaged record is still as built: current, nothing judged.
    intact = _rewrite_record(deck, tmp_path / "orörd.pptx", damage)
    code, entry = _scan(run, intact)
    assert (code, entry["status"], entry["modified"]) == (0, "current", False)


def test_built_text_beyond_its_bound_gives_no_allowance(
    run: Run, deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the replaced lines said is looked up within a bound; past it the edit is judged as it stands."""
    from vastbus_cli import builtrecord

    edited = tmp_path / "rättad.pptx"
    number = _edit(deck, edited, HISTORY, "2012: Västbus reviderade riktlinjer")
    monkeypatch.setattr(builtrecord, "MAX_BASELINE_CHARS", 10)
    code, entry = _scan(run, edited)
    assert (code, entry["status"], entry["judged_lines"]) == (1, "outdated", 1)
    assert ("marker/edition", f"slide {number}", "Västbus reviderade riktlinjer") in _judged(entry)


def test_a_duplicated_history_slide_with_a_typo_fixed_is_judged_by_its_edit(
    run: Run, deck: Path, tmp_path: Path
) -> None:
    presentation = Presentation(str(deck))
    number = _slide_with(presentation, HISTORY)
    original = presentation.slides[number - 1]
    duplicate = presentation.slides.add_slide(original.slide_layout)
    for shape in list(duplicate.shapes):
        shape._element.getparent().remove(shape._element)
    for shape in original.shapes:
        duplicate.shapes._spTree.append(copy.deepcopy(shape._element))
    _set_text(_paragraph_with(presentation, len(presentation.slides), HISTORY), "2012: Västbus reviderade riktlinjer")
    added = _paragraph_with(presentation, len(presentation.slides), "2023:")
    _set_text(added, "2023: Överenskommelsen justeras. Kalla till Västbusmöte.")
    edited = tmp_path / "kopia.pptx"
    presentation.save(str(edited))
    code, entry = _scan(run, edited)
    last = len(presentation.slides)
    assert entry["changed"] == [f"slide {last}"]
    # The copied history is not evidence; the old term the copy added is.
    assert (code, entry["status"], entry["judged_lines"]) == (1, "outdated", 2)
    judged = _judged(entry)
    assert ("term/vastbusmote", f"slide {last}", "Västbusmöte") in judged
    assert {rule for rule, _, _ in judged} <= {"term/vastbusmote", "claim/misconception"}
    assert {where for _, where, _ in judged} == {f"slide {last}"}
