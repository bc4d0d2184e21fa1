"""Issue 25, the quiz: the shipped course gives no answer away by its form.

Measured over the quiz of the modules the course lists (as ``check`` counts it):

* the right option is the longest in at most 40 % of the multiple-choice items;
* for yes/no items, the form of the question ("Stämmer det?", "Kan …?") does not
  predict the answer: Ja and Nej each 40–60 % for every form with 3 or more items;
* no option is shorter than a third of the right option;
* every track, for every audience in it, quizzes both misconceptions the districts
  named (``bara-komplexa-fall`` and ``bestallningsforum``);
* no explanation starts with "Ja"/"Nej", which the answer key already prints
  ("Rätt svar: Ja. Ja. …").

``python -m tests.test_quiz_25`` prints the figures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from vastbus_cli.api import open_workspace
from vastbus_cli.models import Course, Module, QuizItem

REPO = Path(__file__).resolve().parent.parent
#: The two misconceptions the districts' letter named; every track must quiz both.
SEEDS = ("bara-komplexa-fall", "bestallningsforum")
LONGEST_LIMIT = 0.40
STEM_LOW, STEM_HIGH = 0.40, 0.60
STEM_MIN_ITEMS = 3
MIN_RATIO = 1 / 3
_YES_NO = {"ja", "nej"}
_SENTENCE_END = re.compile(r"(?<=[.!?:”])\s+")


@dataclass(frozen=True)
class Asked:
    module: str
    item: QuizItem

    @property
    def name(self) -> str:
        return f"{self.module}/{self.item.id}"


def _course(root: Path) -> tuple[Course, dict[str, Module]]:
    workspace = open_workspace(root)
    assert workspace.course is not None and workspace.course.model is not None
    modules = {doc.model.id: doc.model for doc in workspace.modules if doc.model is not None}
    return workspace.course.model, modules


def course_quiz(root: Path) -> list[Asked]:
    course, modules = _course(root)
    return [Asked(m, item) for m in dict.fromkeys(course.modules) if m in modules for item in modules[m].quiz]


def is_yes_no(item: QuizItem) -> bool:
    return {o.strip().lower() for o in item.options} == _YES_NO


def stem_form(question: str, words: int = 1) -> str:
    """The first word(s) of the question's last sentence: "stämmer", "kan", "får" …"""
    last = _SENTENCE_END.split(question.strip())[-1]
    return " ".join(last.lower().rstrip("?").split()[:words])


def right_is_longest(item: QuizItem) -> bool:
    right = len(item.options[item.answer - 1].strip())
    return all(right >= len(o.strip()) for o in item.options)


def shortest_ratio(item: QuizItem) -> float:
    right = len(item.options[item.answer - 1].strip())
    return min(len(o.strip()) / right for i, o in enumerate(item.options, 1) if i != item.answer)


def track_seeds(root: Path) -> dict[str, dict[str, set[str]]]:
    """Per track and audience: which seed misconceptions its quiz discusses."""
    course, modules = _course(root)
    found: dict[str, dict[str, set[str]]] = {}
    for track in course.tracks:
        for audience in track.audiences:
            discussed: set[str] = set()
            for entry in track.modules:
                module = modules.get(entry.module)
                if module is None or (module.audiences is not None and audience not in module.audiences):
                    continue
                for item in module.quiz:
                    if (entry.quiz is None or item.id in entry.quiz) and (
                        item.audiences is None or audience in item.audiences
                    ):
                        discussed.update(item.discusses)
            found.setdefault(track.id, {})[audience] = {s for s in SEEDS if s in discussed}
    return found


def stem_split(asked: list[Asked], words: int = 1) -> dict[str, Counter[str]]:
    split: dict[str, Counter[str]] = {}
    for a in asked:
        if is_yes_no(a.item):
            answer = a.item.options[a.item.answer - 1].strip().lower()
            split.setdefault(stem_form(a.item.question, words), Counter())[answer] += 1
    return split


def figures(root: Path = REPO) -> str:
    asked = course_quiz(root)
    mc = [a for a in asked if not is_yes_no(a.item)]
    longest = [a for a in mc if right_is_longest(a.item)]
    lines = [
        f"quiz items: {len(asked)} ({len(mc)} multiple choice, {len(asked) - len(mc)} yes/no)",
        f"right option is the longest: {len(longest)} of {len(mc)} multiple-choice items "
        f"({100 * len(longest) / max(len(mc), 1):.0f} %)",
    ]
    positions = Counter(a.item.answer for a in asked)
    lines.append("answer positions: " + ", ".join(f"{p}: {n}" for p, n in sorted(positions.items())))
    for words in (1, 2):
        split = stem_split(asked, words)
        shown = ", ".join(f"'{s}': Ja {c['ja']} / Nej {c['nej']}" for s, c in sorted(split.items()))
        lines.append(f"yes/no by stem form ({words} word{'s' if words > 1 else ''}): {shown}")
    worst = min(asked, key=lambda a: shortest_ratio(a.item))
    lines.append(f"smallest option / right option: {shortest_ratio(worst.item):.2f} ({worst.name})")
    course, modules = _course(root)
    for track in course.tracks:
        audience = track.audiences[0]
        taught = [
            item
            for entry in track.modules
            if entry.module in modules
            and (modules[entry.module].audiences is None or audience in (modules[entry.module].audiences or []))
            for item in modules[entry.module].quiz
            if (entry.quiz is None or item.id in entry.quiz) and (item.audiences is None or audience in item.audiences)
        ]
        choice = [i for i in taught if not is_yes_no(i)]
        where = Counter(i.answer for i in taught)
        lines.append(
            f"track '{track.id}' ({audience}): {len(taught)} items, right option longest in "
            f"{sum(right_is_longest(i) for i in choice)} of {len(choice)} multiple-choice, positions "
            + ", ".join(f"{p}: {n}" for p, n in sorted(where.items()))
        )
    for track, audiences in track_seeds(root).items():
        shown = ", ".join(f"{aud}: {sorted(seeds) or '-'}" for aud, seeds in audiences.items())
        lines.append(f"seed misconceptions quizzed in track '{track}': {shown}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def asked() -> list[Asked]:
    return course_quiz(REPO)


def test_the_right_option_is_rarely_the_longest(asked: list[Asked]) -> None:
    mc = [a for a in asked if not is_yes_no(a.item)]
    longest = [a.name for a in mc if right_is_longest(a.item)]
    assert len(longest) <= LONGEST_LIMIT * len(mc), longest


def test_the_form_of_a_yes_no_question_does_not_give_the_answer(asked: list[Asked]) -> None:
    for words in (1, 2):
        for stem, counts in stem_split(asked, words).items():
            total = sum(counts.values())
            if total >= STEM_MIN_ITEMS:
                for answer in _YES_NO:
                    assert STEM_LOW <= counts[answer] / total <= STEM_HIGH, (stem, dict(counts))


def test_no_option_is_under_a_third_of_the_right_one(asked: list[Asked]) -> None:
    short = [a.name for a in asked if shortest_ratio(a.item) < MIN_RATIO]
    assert not short


def test_the_right_answer_does_not_sit_in_one_position(asked: list[Asked]) -> None:
    positions = Counter(a.item.answer for a in asked)
    assert max(positions.values()) <= LONGEST_LIMIT * len(asked), positions


def test_every_track_quizzes_both_seed_misconceptions() -> None:
    missing = {
        (track, audience, seed)
        for track, audiences in track_seeds(REPO).items()
        for audience, seeds in audiences.items()
        for seed in SEEDS
        if seed not in seeds
    }
    assert not missing


def test_no_explanation_repeats_the_answer_key_s_ja_or_nej(asked: list[Asked]) -> None:
    first_word = re.compile(r"^\W*(\w+)")
    repeating = []
    for a in asked:
        found = first_word.match(a.item.explanation)
        if found and found.group(1).lower() in _YES_NO:
            repeating.append(a.name)
    assert not repeating


def test_the_measures_see_the_cues_they_count(tmp_path: Path) -> None:
    """The helpers themselves: a longest right option, a form that gives the answer away, a short option."""
    item = QuizItem(
        id="x",
        question="En kollega säger: ”Så är det.” Stämmer det?",
        options=["Ja", "Nej"],
        answer=2,
        explanation="Nej.",
    )
    assert is_yes_no(item) and stem_form(item.question) == "stämmer" and stem_form(item.question, 2) == "stämmer det"
    mc = QuizItem(
        id="y", question="Vad gäller?", options=["Kort", "Ett mycket längre och rätt svar"], answer=2, explanation="-"
    )
    assert right_is_longest(mc) and not is_yes_no(mc)
    assert shortest_ratio(mc) < MIN_RATIO


if __name__ == "__main__":
    print(figures())
