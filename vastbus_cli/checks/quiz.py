"""Checks of the quiz across the course: one right answer, no repeats, no guessable pattern."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.models import Module, QuizItem
from vastbus_cli.workspace import Document

#: The largest share of the course's items whose right answer may sit in one position.
SKEW_LIMIT = 0.40
#: Below this many items a skewed pattern says nothing.
SKEW_MIN_ITEMS = 5
#: Questions this similar are the same question asked twice.
SAME_QUESTION = 0.92
#: Options shorter than this many words ("Ja", "Rektor") answer different questions; only
#: statements can contradict each other.
STATEMENT_WORDS = 4

_YES_NO = frozenset({"ja", "nej"})
_NOT_WORD = re.compile(r"[^\w\s]")


def normalised(text: str) -> str:
    """Lower case, punctuation and spacing removed, so small differences do not hide a repeat."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


@dataclass(frozen=True)
class _Asked:
    doc: Document[Module]
    index: int
    item: QuizItem


def _course_quiz(ctx: Context) -> list[_Asked]:
    """Every quiz item of the modules the course teaches, in the course's order.

    A module file the course does not list is a draft: it reaches no pack, so its
    questions cannot repeat or contradict the course's.
    """
    course = ctx.workspace.course.model if ctx.workspace.course else None
    by_id = {doc.model.id: doc for doc in ctx.workspace.modules if doc.model is not None}
    order = course.modules if course else sorted(by_id)
    docs = [by_id[module_id] for module_id in dict.fromkeys(order) if module_id in by_id]
    return [_Asked(doc, index, item) for doc in docs if doc.model for index, item in enumerate(doc.model.quiz)]


def check_quiz(ctx: Context) -> Iterator[Finding]:
    """Questions asked once, options that never contradict, and answer positions that are not a pattern."""
    asked = _course_quiz(ctx)
    yield from _repeated_questions(ctx, asked)
    yield from _contradictions(ctx, asked)
    yield from _skew(ctx, asked)


def _where(asked: _Asked) -> str:
    return f"'{asked.item.id}' in {asked.doc.rel}"


def _repeated_questions(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    seen: list[tuple[str, _Asked]] = []
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    for current in asked:
        question = normalised(current.item.question)
        # The matcher indexes its second text once; every earlier question is compared against it.
        matcher.set_seq2(question)
        earlier = next((first for text, first in seen if _same_question(matcher, text, question)), None)
        if earlier is not None:
            yield ctx.finding(
                "quiz/duplicate-question",
                Severity.ERROR,
                f"quiz item '{current.item.id}' asks the same question as {_where(earlier)}",
                current.doc,
                ("quiz", current.index, "question"),
                hint="ask it in one module only, or ask about another situation",
            )
        seen.append((question, current))


def _same_question(matcher: difflib.SequenceMatcher[str], earlier: str, question: str) -> bool:
    if earlier == question:
        return True
    matcher.set_seq1(earlier)
    # The cheap upper bounds rule out almost every pair before the full comparison.
    return (
        matcher.real_quick_ratio() >= SAME_QUESTION
        and matcher.quick_ratio() >= SAME_QUESTION
        and matcher.ratio() >= SAME_QUESTION
    )


def _contradictions(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    right: dict[str, _Asked] = {}
    for current in asked:
        options = current.item.options
        if 1 <= current.item.answer <= len(options):
            text = normalised(options[current.item.answer - 1])
            if len(text.split()) >= STATEMENT_WORDS:
                right.setdefault(text, current)
    for current in asked:
        counted = Counter(normalised(option) for option in current.item.options)
        for position, option in enumerate(current.item.options, start=1):
            text = normalised(option)
            if counted[text] > 1:
                counted[text] = 0  # one finding per repeated option
                yield ctx.finding(
                    "quiz/duplicate-option",
                    Severity.ERROR,
                    f"quiz item '{current.item.id}' offers '{option}' twice",
                    current.doc,
                    ("quiz", current.index, "options", position - 1),
                    hint="remove one of them",
                )
            truth = right.get(text)
            if truth is not None and position != current.item.answer and truth is not current:
                yield ctx.finding(
                    "quiz/contradiction",
                    Severity.ERROR,
                    f"quiz item '{current.item.id}' counts '{option}' as wrong, but it is the right answer of "
                    f"{_where(truth)}",
                    current.doc,
                    ("quiz", current.index, "options", position - 1),
                    hint="an option must be wrong in every item where it is wrong; rewrite the distractor so "
                    "it is clearly wrong here",
                )


def _skew(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    course = ctx.workspace.course
    if course is None or course.model is None or len(asked) < SKEW_MIN_ITEMS:
        return
    positions = Counter(current.item.answer for current in asked)
    distribution = ", ".join(
        f"option {position}: {count} ({count * 100 // len(asked)} %)" for position, count in sorted(positions.items())
    )
    position, most = positions.most_common(1)[0]
    if most / len(asked) > SKEW_LIMIT:
        yield ctx.finding(
            "quiz/answer-skew",
            Severity.WARNING,
            f"the right answer is option {position} in {most} of {len(asked)} quiz items ({distribution}); "
            f"a participant who always picks it scores {most * 100 // len(asked)} %",
            course,
            ("modules",),
            at_key=True,
            hint=f"move the right answer to other positions until none holds more than {int(SKEW_LIMIT * 100)} %",
        )
    yes_no = [current for current in asked if {normalised(o) for o in current.item.options} == _YES_NO]
    answers = Counter(
        normalised(current.item.options[current.item.answer - 1])
        for current in yes_no
        if 1 <= current.item.answer <= len(current.item.options)
    )
    if len(yes_no) >= SKEW_MIN_ITEMS - 1 and len(answers) == 1:
        only = next(iter(answers))
        yield ctx.finding(
            "quiz/answer-skew",
            Severity.WARNING,
            f"all {len(yes_no)} yes/no items are answered '{only.capitalize()}'",
            course,
            ("modules",),
            at_key=True,
            hint="turn some of the statements around so that both answers occur",
        )
