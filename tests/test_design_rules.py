"""The design/* rules of check: each passes on a small workspace and fails when the slide breaks it.

The rules measure the plan a build would draw with the real advance widths of the template's
font (Liberation Sans, metric-compatible with Arial), shipped as a table with the tool.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import findings_of, make_mini, replace_in, rules_of
from tests.test_tracks import TRACKS, _with_misconceptions_slide
from vastbus_cli.checks.design import LIMITS, labelled_minutes
from vastbus_cli.render.metrics import font_metrics, wrap

Check = Callable[..., dict[str, Any]]
MODULE = Path("curriculum") / "modules" / "samtycke.yaml"
LOCAL = Path("curriculum") / "local" / "örgryte-härlanda" / "lokalt.yaml"
COURSE = Path("curriculum") / "course.yaml"

LONG_QUESTION = (
    "En gymnasieelev har fyllt 19 år. Han behöver stöd från både skolan och socialtjänsten, och stödet "
    "behöver samordnas. Gäller överenskommelsen om barn och unga för honom?"
)


def _design(report: dict[str, Any]) -> set[str]:
    return {rule for rule in rules_of(report) if rule.startswith("design/")}


def _add_slide(root: Path, bullets: list[str], title: str = "En tät bild", slide_id: str = "tat") -> None:
    lines = "".join(f'      - "{bullet}"\n' for bullet in bullets)
    replace_in(
        root / MODULE,
        "quiz:\n",
        f"  - id: {slide_id}\n    layout"
        f': content\n    title: "{title}"\n    bullets:\n{lines}'
        '    notes: "Fråga gruppen."\nquiz:\n',
    )


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_mini(tmp_path / "Västbus arbetsyta")


@pytest.fixture
def tracked(tmp_path: Path) -> Path:
    """The small workspace with one track (the core track) and a local part of no minutes."""
    root = make_mini(tmp_path / "ws")
    _with_misconceptions_slide(root)
    course = root / COURSE
    course.write_text(
        course.read_text(encoding="utf-8") + TRACKS.format(budget=60, slides="start, kravs, myter"), encoding="utf-8"
    )
    replace_in(root / LOCAL, "after: samtycke\n", "after: samtycke\nminutes: 0\n")
    replace_in(course, "minutes: 20", "minutes: 30")  # 45 minutes in all: room for 15 slides
    return root


def test_the_small_workspace_has_no_design_findings(ws: Path, check_json: Check) -> None:
    assert _design(check_json(ws)) == set()


def test_six_bullets_pass_and_seven_are_a_warning(ws: Path, check_json: Check) -> None:
    _add_slide(ws, [f"Punkt {n}." for n in range(1, LIMITS.bullets + 1)])
    assert "design/too-many-bullets" not in _design(check_json(ws))
    replace_in(ws / MODULE, '      - "Punkt 6."\n', '      - "Punkt 6."\n      - "Punkt 7."\n')
    found = findings_of(check_json(ws), "design/too-many-bullets")
    assert len(found) == 1, found
    assert found[0]["severity"] == "warning" and found[0]["file"] == MODULE.as_posix()
    assert "7 bullets" in found[0]["message"] and "En tät bild" in found[0]["message"]


def test_forty_words_pass_and_forty_one_are_a_warning(ws: Path, check_json: Check) -> None:
    _add_slide(ws, [" ".join(["ord"] * 20), " ".join(["ord"] * 20)])
    assert "design/too-many-words" not in _design(check_json(ws))
    replace_in(ws / MODULE, '      - "' + " ".join(["ord"] * 20) + '"\n', '      - "' + " ".join(["ord"] * 21) + '"\n')
    found = findings_of(check_json(ws), "design/too-many-words")
    assert len(found) == 1 and "41 words" in found[0]["message"], found


def test_a_local_slide_is_measured_in_its_own_file(ws: Path, check_json: Check) -> None:
    bullets = "".join(f'      - "Steg {n} i områdets rutin."\n' for n in range(3, 9))
    replace_in(ws / LOCAL, '      - "Samordnaren hjälper till med kallelsen."\n', f'      - "Samordnaren."\n{bullets}')
    found = findings_of(check_json(ws), "design/too-many-bullets")
    assert [f["file"] for f in found] == [LOCAL.as_posix()], found


def test_text_too_long_for_24_pt_is_a_warning(ws: Path, check_json: Check) -> None:
    sentence = "Vårdnadshavarna ska alltid få veta vad samordningen innebär för barnet och familjen"
    _add_slide(ws, [sentence] * 4)
    assert "design/small-type" not in _design(check_json(ws))
    _add_slide(
        ws,
        [sentence + " och vilka verksamheter som deltar i mötet och varför"] * 6,
        title="Ännu tätare",
        slide_id="tatare",
    )
    found = findings_of(check_json(ws), "design/small-type")
    assert len(found) == 1 and "Ännu tätare" in found[0]["message"] and "24 pt" in found[0]["message"], found


def test_a_title_over_two_lines_is_a_warning(ws: Path, check_json: Check) -> None:
    two_lines = "Så kallar förskolan till SIP när barnet behöver stöd från flera verksamheter samtidigt"
    _add_slide(ws, ["En punkt."], title=two_lines)
    assert "design/long-title" not in _design(check_json(ws))
    replace_in(
        ws / MODULE, two_lines, two_lines + ", och så förbereder ni mötet tillsammans med vårdnadshavarna i god tid"
    )
    found = findings_of(check_json(ws), "design/long-title")
    assert len(found) == 1 and "3 lines" in found[0]["message"], found


def test_a_quiz_question_that_overprints_the_label_is_an_error(ws: Path, check_json: Check) -> None:
    assert "design/quiz-title" not in _design(check_json(ws))
    replace_in(ws / MODULE, "Vem samtycker för ett barn?", LONG_QUESTION)
    found = findings_of(check_json(ws), "design/quiz-title")
    assert len(found) == 1, found
    assert found[0]["severity"] == "error" and found[0]["file"] == MODULE.as_posix()
    assert "4 lines at 30 pt" in found[0]["message"]


def test_a_core_track_over_one_slide_per_three_minutes_is_an_error(tracked: Path, check_json: Check) -> None:
    assert _design(check_json(tracked)) == set()
    # 10 welcome + 5 module + 5 closing = 20 minutes: at most 6 slides, and the pack plans more.
    replace_in(tracked / COURSE, "minutes: 30", "minutes: 5")
    found = findings_of(check_json(tracked), "design/slide-budget")
    assert len(found) == 1, found
    assert found[0]["severity"] == "error" and found[0]["file"] == COURSE.as_posix()
    assert "for 20 minutes" in found[0]["message"] and "at most 6" in found[0]["message"]


def test_a_longer_track_over_its_slide_budget_is_a_warning(tracked: Path, check_json: Check) -> None:
    # A second, shorter track becomes the core; the first, over its slide budget, only warns.
    replace_in(tracked / COURSE, "minutes: 30", "minutes: 5")
    replace_in(tracked / COURSE, "audiences: [bvc, forskola]", "audiences: [bvc]")
    course = tracked / COURSE
    course.write_text(
        course.read_text(encoding="utf-8")
        + TRACKS.format(budget=50, slides="start, kravs, myter")
        .replace("tracks:\n", "")
        .replace("id: grund", "id: kort")
        .replace("[bvc, forskola]", "[forskola]")
        .replace("minutes: 20", "minutes: 30"),
        encoding="utf-8",
    )
    found = findings_of(check_json(tracked), "design/slide-budget")
    assert [(f["severity"], "'grund'" in f["message"]) for f in found] == [("warning", True)], found


def test_a_track_named_for_another_length_than_its_agenda_is_an_error(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / COURSE, 'name: "Grundkurs"', 'name: "Grundkurs (45 minuter)"')
    assert "design/duration-label" not in _design(check_json(tracked))
    replace_in(tracked / COURSE, "(45 minuter)", "(cirka 90 minuter)")
    found = findings_of(check_json(tracked), "design/duration-label")
    assert len(found) == 1 and found[0]["severity"] == "error", found
    assert "90 minutes" in found[0]["message"] and "45 minutes" in found[0]["message"]


def test_a_local_part_that_lengthens_the_agenda_contradicts_the_label(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / COURSE, 'name: "Grundkurs"', 'name: "Grundkurs (45 minuter)"')
    replace_in(tracked / LOCAL, "minutes: 0\n", "minutes: 10\n")
    found = findings_of(check_json(tracked), "design/duration-label")
    assert len(found) == 1 and "55 minutes in pack" in found[0]["message"] and "örgryte" in found[0]["message"], found


def test_a_name_that_adds_the_local_part_is_held_to_the_agenda_before_it(tracked: Path, check_json: Check) -> None:
    # "45 minuter + lokal del": the central pack's 45 minutes match; the district's 55 add its local part.
    replace_in(tracked / COURSE, 'name: "Grundkurs"', 'name: "Grundkurs (45 minuter + lokal del)"')
    replace_in(tracked / LOCAL, "minutes: 0\n", "minutes: 10\n")
    assert findings_of(check_json(tracked), "design/duration-label") == []


def test_a_name_that_adds_the_local_part_still_states_the_rest_right(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / COURSE, 'name: "Grundkurs"', 'name: "Grundkurs (40 minuter + lokal del)"')
    replace_in(tracked / LOCAL, "minutes: 0\n", "minutes: 10\n")
    found = findings_of(check_json(tracked), "design/duration-label")
    assert len(found) == 1 and "45 minutes in pack" in found[0]["message"], found


def test_design_rules_wait_until_the_workspace_has_no_errors(tracked: Path, check_json: Check) -> None:
    replace_in(tracked / COURSE, "minutes: 30", "minutes: 5")
    replace_in(tracked / COURSE, "slides: [start, kravs, myter]", "slides: [start, kravs, myter, finns-inte]")
    report = check_json(tracked)
    assert "track/unknown-slide" in rules_of(report) or any(f["severity"] == "error" for f in report["findings"])
    assert _design(report) == set()


def test_widths_are_the_fonts_not_a_character_count() -> None:
    metrics = font_metrics()
    # Arial/Liberation Sans advance widths in units of 2048 per em: W 1933, i 455 (regular).
    assert metrics.width("W", 2048) == 1933 and metrics.width("i", 2048) == 455
    assert metrics.width("åäö", 24) == pytest.approx(3 * 1139 * 24 / 2048)
    assert metrics.width("Västbus", 24, bold=True) > metrics.width("Västbus", 24)
    assert wrap("iiii iiii iiii iiii", 60, 24) < wrap("WWWW WWWW WWWW WWWW", 60, 24)


def test_the_labelled_length_is_read_in_minutes_and_hours() -> None:
    assert labelled_minutes("Grundkurs (cirka 90 minuter)") == 90
    assert labelled_minutes("Kurs för chefer (cirka två timmar)") == 120
    assert labelled_minutes("Fördjupning (1,5 timmar)") == 90
    assert labelled_minutes("Hela kursen (en heldag)") is None
