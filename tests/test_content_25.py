"""Issue 25, the course content: objectives per track, and what the shipped packs teach.

The first tests use a small workspace and the public API and CLI; the rest read the plans of
the shipped course (the text the packs are written from), one pack per track, and pin the
content corrections of issue 25 so that they cannot quietly come back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import findings_of, make_mini, replace_in, rules_of
from vastbus_cli import api
from vastbus_cli.build import plan_all
from vastbus_cli.render.packplan import PackPlan, PlanSlide

REPO = Path(__file__).resolve().parent.parent

Check = Callable[..., dict[str, Any]]

TRACK = """\
tracks:
  - id: grund
    name: "Grundkurs"
    audiences: [bvc, forskola]
    budget: 60
    modules:
      - module: samtycke
        minutes: 20
        slides: [start, kravs]
{objectives}"""


def _tracked(root: Path, objectives: str) -> Path:
    module = root / "curriculum" / "modules" / "samtycke.yaml"
    replace_in(
        module, '  - "Kunna förklara samtycke."\n', '  - "Kunna förklara samtycke."\n  - "Kunna leda ett SIP-möte."\n'
    )
    course = root / "curriculum" / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8") + TRACK.format(objectives=objectives), encoding="utf-8")
    return root


def _texts(plan: PackPlan, part: str) -> list[str]:
    blocks = plan.handout.blocks if part == "handout" else plan.guide.blocks
    return [
        text for block in blocks for text in (block.text, *block.items, *(cell for row in block.rows for cell in row))
    ]


# --- objectives per track --------------------------------------------------------------


def test_a_track_lists_only_the_objectives_it_picks(tmp_path: Path, check_json: Check) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "        objectives: [1]\n")
    report = check_json(root)
    assert "track/unknown-objective" not in rules_of(report) and "schema/invalid" not in rules_of(report), report
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["forskola"])[0]
    # Issue 27: the objectives are the trainer's (the guide); the handout has key points instead.
    texts = _texts(plan, "guide")
    assert "Kunna förklara samtycke." in texts
    assert "Kunna leda ett SIP-möte." not in texts
    assert not [t for t in _texts(plan, "handout") if t.startswith(("Kunna", "Känna"))]
    section = next(slide for slide in plan.slides if slide.title == "Samtycke")
    assert "leda ett SIP-möte" not in section.notes


def test_without_a_pick_a_track_lists_every_objective(tmp_path: Path) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "")
    plan = plan_all(api.open_workspace(root), districts=["central"], audiences=["forskola"])[0]
    texts = _texts(plan, "guide")  # issue 27: objectives are in the guide only
    assert "Kunna förklara samtycke." in texts and "Kunna leda ett SIP-möte." in texts


def test_an_objective_number_the_module_lacks_is_an_error_naming_the_count(tmp_path: Path, check_json: Check) -> None:
    root = _tracked(make_mini(tmp_path / "ws"), "        objectives: [1, 3]\n")
    found = findings_of(check_json(root), "track/unknown-objective")
    assert len(found) == 1, found
    assert "has 2 objective(s), not 3" in found[0]["message"]
    assert found[0]["file"] == "curriculum/course.yaml" and found[0]["line"] > 0


# --- the shipped course ------------------------------------------------------------------

#: One audience per track: grund (90 minutes), hela (a full day), ledning (chefer).
TRACK_AUDIENCES = {"grund": "forskola", "hela": "skola-elevhalsa", "ledning": "chefer"}


@cache
def _shipped(audience: str) -> PackPlan:
    return plan_all(api.open_workspace(REPO), districts=["central"], audiences=[audience])[0]


def _participant_lines(slide: PlanSlide) -> list[str]:
    return [slide.title, *slide.bullets, *(b for c in slide.columns for b in (c.heading, *c.bullets))]


def _slide_text(plan: PackPlan) -> str:
    """What participants read on the slides; quiz slides are left to the quiz's own tests."""
    return "\n".join(line for slide in plan.slides if slide.kind != "quiz" for line in _participant_lines(slide))


@pytest.mark.parametrize("audience", TRACK_AUDIENCES.values())
def test_huvudman_is_explained_on_a_slide_before_or_where_a_track_first_uses_it(audience: str) -> None:
    slides = _shipped(audience).slides
    first = next(i for i, s in enumerate(slides) if any("huvudm" in line.lower() for line in _participant_lines(s)))
    explained = [
        i
        for i, s in enumerate(slides)
        if any(re.search(r"huvudman är den som", line) for line in _participant_lines(s))
    ]
    assert explained and explained[0] <= first, (audience, slides[first].title)


def test_the_short_track_promises_only_what_it_teaches() -> None:
    handout = _texts(_shipped("forskola"), "handout")
    for untaught in ("lagstödet", "2016", "slutenvård"):
        assert not [t for t in handout if untaught in t and t.startswith(("Känna", "Kunna", "Förstå", "Veta"))], (
            untaught
        )
    full = _texts(_shipped("skola-elevhalsa"), "guide")  # issue 27: the objectives are in the guide
    assert any("slutenvård" in t for t in full) and any("lagstödet" in t for t in full)


@pytest.mark.parametrize("audience", TRACK_AUDIENCES.values())
def test_no_trainer_instruction_or_source_hedge_is_on_a_participant_slide(audience: str) -> None:
    text = _slide_text(_shipped(audience))
    for phrase in (
        "Ange inget paragrafnummer",
        "kommer från SKR",
        "har inte kunnat bekräftas",
        "kursen inte kunnat",
        "stöd från SKR",
    ):
        assert phrase not in text, (audience, phrase)


@pytest.mark.parametrize("audience", ["forskola", "skola-elevhalsa", "ungdomsmottagning", "bup"])
def test_consent_is_not_taught_as_the_guardians_alone(audience: str) -> None:
    text = _slide_text(_shipped(audience))
    assert "För barn är det vårdnadshavarna som lämnar samtycke." not in text
    assert "Vårdnadshavarna lämnar samtycke." not in text
    assert re.search(r"ålder och mognad|äldre och mognare", text), audience


@pytest.mark.parametrize("audience", ["forskola", "skola-elevhalsa"])
def test_preschool_and_school_are_taught_the_duty_and_that_it_goes_beyond_the_law(audience: str) -> None:
    text = _slide_text(_shipped(audience))
    assert "får kalla på samma villkor" not in text
    assert re.search(r"samma skyldighet att kalla", text), audience
    assert re.search(r"längre än lagen", text), audience


@pytest.mark.parametrize("audience", TRACK_AUDIENCES.values())
def test_every_track_says_the_work_starts_without_delay(audience: str) -> None:
    assert "utan dröjsmål" in _slide_text(_shipped(audience))


@pytest.mark.parametrize("audience", ["forskola", "skola-elevhalsa", "bvc"])
def test_a_report_of_concern_is_personal_immediate_and_not_replaced_by_a_sip(audience: str) -> None:
    text = _slide_text(_shipped(audience))
    assert "orosanmälan" in text.lower(), audience
    assert re.search(r"ersätter (inte|aldrig) (en )?orosanmälan", text), audience


# Issue 27: the core track (forskola) and the managers' track (chefer, history and organisation on two slides)
# no longer show the organisation module's Göteborg slide.
@pytest.mark.parametrize("audience", ["skola-elevhalsa"])
def test_the_goteborg_slide_says_preschool_and_school_moved_in_2018(audience: str) -> None:
    slide = next(s for s in _shipped(audience).slides if s.title.startswith("Göteborg efter 2021"))
    assert any("2018" in line for line in _participant_lines(slide))


def test_the_placed_children_module_says_the_examination_is_offered() -> None:
    text = _slide_text(_shipped("socialtjanst"))
    assert "erbjudas en hälsoundersökning" in text
    assert "lagstadgade hälsoundersökningar" not in text


def test_the_noa_invitation_keeps_caller_and_chair_apart() -> None:
    handout = _texts(_shipped("forskola"), "handout")
    assert not any(t.startswith("Kallad av") for t in handout)
    assert not any("Förbered till mötet" in t for t in handout)
