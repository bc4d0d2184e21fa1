"""Issue 27, item 3: the 90-minute core deck as a story, in the shipped course.

Read from the plans the packs are written from (every district, every core audience): the
length, the prompts and quizzes, the order of the story, and the timeline that agreed with
neither its bullets nor itself.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from vastbus_cli import api
from vastbus_cli.build import plan_all
from vastbus_cli.render.packplan import PackPlan

REPO = Path(__file__).resolve().parent.parent
CORE = ("forskola", "bvc", "vardcentral")
#: Said to the group in every run of the course; optional questions say "Valfri fråga".
PROMPT = re.compile(r"Fråga gruppen")


@cache
def _core_plans() -> tuple[PackPlan, ...]:
    return tuple(plan_all(api.open_workspace(REPO), audiences=list(CORE)))


@cache
def _plan(district: str, audience: str) -> PackPlan:
    return plan_all(api.open_workspace(REPO), districts=[district], audiences=[audience])[0]


def test_every_core_deck_has_at_most_ten_prompts_and_four_quizzes() -> None:
    for plan in _core_plans():
        where = (plan.stamp.district, plan.stamp.audience)
        assert len(plan.slides) <= 32, where
        prompts = sum(len(PROMPT.findall(slide.notes)) for slide in plan.slides)
        assert prompts <= 10, (where, prompts)
        assert sum(1 for slide in plan.slides if slide.kind == "quiz") <= 4, where


def test_the_core_deck_opens_with_noa_and_follows_noa_through_the_steps() -> None:
    slides = _plan("central", "forskola").slides
    titles = [slide.title for slide in slides]
    kinds = [slide.kind for slide in slides]
    assert kinds[:2] == ["title", "agenda"]
    first_content = next(i for i, kind in enumerate(kinds) if kind not in ("title", "agenda", "section"))
    assert titles[first_content].startswith("Noa"), titles[first_content]
    # History and organisation before the process: at most three slides between the hook and the process.
    process = next(i for i, slide in enumerate(slides) if slide.tracker is not None)
    between = [s for s in slides[first_content + 1 : process] if s.kind not in ("section",) and s.diagram is None]
    assert len(between) <= 3, [s.title for s in between]
    # The six steps are shown before the first tracked slide, and Noa is in every step.
    assert any(s.diagram is not None and s.diagram.kind == "steps" for s in slides[:process])
    steps = {s.tracker.highlight for s in slides if s.tracker is not None and "Noa" in " ".join((s.title, *s.bullets))}
    tracked = {s.tracker.highlight for s in slides if s.tracker is not None}
    assert tracked == set(range(1, 7)) and steps | {4, 6} >= tracked


def test_the_local_part_follows_the_process_and_the_deck_ends_with_what_to_do() -> None:
    slides = _plan("angered", "forskola").slides
    kinds = [slide.kind for slide in slides]
    last_tracked = max(i for i, slide in enumerate(slides) if slide.tracker is not None)
    first_local = kinds.index("local-section")
    assert first_local > last_tracked
    takeaways = next(i for i, slide in enumerate(slides) if "måndag" in slide.title.lower())
    assert takeaways > first_local and all(k in ("references", "closing") for k in kinds[takeaways + 1 :])


@pytest.mark.parametrize("audience", ["forskola", "skola-elevhalsa", "chefer"])
def test_the_timeline_and_its_bullets_name_the_same_years_and_no_label_twice(audience: str) -> None:
    slide = next(s for s in _plan("central", audience).slides if s.diagram is not None and s.diagram.kind == "editions")
    years = [item.label for item in slide.diagram.items]
    assert len({item.detail for item in slide.diagram.items}) == len(years), slide.diagram.items
    said = [m.group(0) for bullet in slide.bullets for m in [re.match(r"\d{4}", bullet)] if m]
    assert said == years, (said, years)


def test_chefer_see_the_six_steps_before_the_step_tracker() -> None:
    slides = _plan("central", "chefer").slides
    process = next(i for i, slide in enumerate(slides) if slide.tracker is not None)
    assert any(s.diagram is not None and s.diagram.kind == "steps" for s in slides[:process])


def test_the_core_track_label_agrees_with_its_agenda() -> None:
    workspace = api.open_workspace(REPO)
    assert workspace.course is not None and workspace.course.model is not None
    track = next(t for t in workspace.course.model.tracks if "forskola" in t.audiences)
    labelled = int(re.search(r"(\d+) minuter", track.name).group(1))  # type: ignore[union-attr]
    assert labelled == track.minutes
    for plan in _core_plans():
        agenda = next(slide for slide in plan.slides if slide.kind == "agenda")
        total = _minutes(agenda.table[-1][0].split("–")[1]) - _minutes(agenda.table[1][0].split("–")[0])
        local = 10 if any(slide.kind == "local-section" for slide in plan.slides) else 0
        assert total == track.minutes + local <= track.budget, (plan.stamp.district, total)
        # A label that does not mention the local part must be the whole agenda, with or without one.
        assert "lokal" in track.name or total == labelled, (plan.stamp.district, track.name, total)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(".")
    return int(hours) * 60 + int(minutes)
