"""Checks of the quiz across the course: one right answer, no repeats, no guessable pattern."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from vastbus_cli import quiztext
from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Module, QuizItem
from vastbus_cli.quiztext import normalised
from vastbus_cli.rules import ERROR, QUIZ, WARNING, Rule
from vastbus_cli.workspace import Document

_CONTRADICTS = N_(
    "a statement that is the right answer of one item is a wrong option of another, or an item offers an option twice"
)
QUIZ_DUPLICATE_QUESTION = Rule(
    "quiz/duplicate-question",
    ERROR,
    QUIZ,
    N_("the same (or nearly the same) question is asked in two places in the course"),
)
QUIZ_CONTRADICTION = Rule("quiz/contradiction", ERROR, QUIZ, _CONTRADICTS)
QUIZ_DUPLICATE_OPTION = Rule("quiz/duplicate-option", ERROR, QUIZ, _CONTRADICTS)
QUIZ_ANSWER_SKEW = Rule(
    "quiz/answer-skew",
    WARNING,
    QUIZ,
    N_(
        "one answer position holds more than 40 % of the course's right answers (the message gives "
        "the distribution), or every yes/no item has the same answer"
    ),
)
QUIZ_REPEATS_ANSWER = Rule(
    "quiz/repeats-answer",
    ERROR,
    QUIZ,
    N_(
        'an explanation starts with the answer ("Ja.", "Nej."), which the answer key already '
        'writes ("Rätt svar: Ja. Ja."); the packs leave the repeat out in any case'
    ),
)
QUIZ_LONGEST_RIGHT = Rule(
    "quiz/longest-right",
    WARNING,
    QUIZ,
    N_(
        "the right option is the longest in more than 40 % of the course's multiple-choice items, "
        "so length gives the answer away"
    ),
)
QUIZ_STEM_PREDICTS = Rule(
    "quiz/stem-predicts",
    WARNING,
    QUIZ,
    N_(
        "yes/no questions asked the same way (the first word of the question's last sentence: "
        '"Stämmer det?", "Kan …?", "Får …?") are answered Ja, or Nej, in under 40 % or over 60 % '
        "of the cases (at least 3 items per way of asking; a difference of one item counts as even)"
    ),
)
QUIZ_WEAK_DISTRACTOR = Rule(
    "quiz/weak-distractor",
    WARNING,
    QUIZ,
    N_("a wrong option is under a third of the right option's length, so it is easy to rule out"),
)
RULES: tuple[Rule, ...] = (
    QUIZ_DUPLICATE_QUESTION,
    QUIZ_CONTRADICTION,
    QUIZ_DUPLICATE_OPTION,
    QUIZ_ANSWER_SKEW,
    QUIZ_REPEATS_ANSWER,
    QUIZ_LONGEST_RIGHT,
    QUIZ_STEM_PREDICTS,
    QUIZ_WEAK_DISTRACTOR,
)

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
    yield from _repeated_answers(ctx, asked)
    yield from _longest_right(ctx, asked)
    yield from _stem_forms(ctx, asked)
    yield from _weak_distractors(ctx, asked)


def is_yes_no(item: QuizItem) -> bool:
    """Whether the options are exactly Ja and Nej."""
    return len(item.options) == 2 and {normalised(o) for o in item.options} == _YES_NO


def right_option(item: QuizItem) -> str | None:
    """The right option's text, or None when ``answer`` is out of range (``quiz/answer`` reports that)."""
    return item.options[item.answer - 1] if 1 <= item.answer <= len(item.options) else None


def repeated_answer(item: QuizItem) -> str | None:
    """The explanation's opening clause when it only repeats the right option ("Ja." after "Rätt svar: Ja.")."""
    right = right_option(item)
    return None if right is None else quiztext.repeated_answer(right, item.explanation)


def _repeated_answers(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    for current in asked:
        repeated = repeated_answer(current.item)
        if repeated is not None:
            yield ctx.finding(
                QUIZ_REPEATS_ANSWER,
                Severity.ERROR,
                _(
                    "the explanation of '{item}' starts with the answer '{repeated}', which the answer key "
                    "already gives ('Rätt svar: {repeated}. {repeated}. …')"
                ).format(item=current.item.id, repeated=repeated),
                current.doc,
                ("quiz", current.index, "explanation"),
                hint=_("start the explanation with the reason, without '{repeated}'").format(repeated=repeated),
            )


#: The largest share of multiple-choice items whose right option may be the longest.
LONGEST_LIMIT = 0.40
#: A stem form needs this many yes/no items before its answers say anything.
STEM_MIN_ITEMS = 3
#: Per stem form, each of Ja and Nej must be the answer of a share within these bounds (or differ by one item).
STEM_SHARE = (0.40, 0.60)
#: No option may be shorter than this share of the right option's length.
DISTRACTOR_SHARE = 1 / 3
_QUESTION_SENTENCE = re.compile(r"[^.!?]*\?\s*$")


def stem_form(question: str) -> str:
    """How a yes/no question asks: the first word of its last sentence, lower case ("stämmer", "kan", "får").

    A scenario comes first ("Förskolan vill … En kollega säger: ”…”"); the question is the last
    sentence, and its opening word decides whether the expected answer is Ja or Nej.
    """
    found = _QUESTION_SENTENCE.search(question)
    sentence = found.group() if found else question
    words = normalised(sentence).split()
    return words[0] if words else ""


def _longest_right(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    course = ctx.workspace.course
    choices = [current for current in asked if not is_yes_no(current.item) and right_option(current.item)]
    if course is None or course.model is None or len(choices) < SKEW_MIN_ITEMS:
        return
    longest = []
    for current in choices:
        lengths = [len(" ".join(option.split())) for option in current.item.options]
        right = lengths[current.item.answer - 1]
        if right == max(lengths) and lengths.count(right) == 1:
            longest.append(current.item.id)
    if len(longest) / len(choices) > LONGEST_LIMIT:
        yield ctx.finding(
            QUIZ_LONGEST_RIGHT,
            Severity.WARNING,
            _("the right option is the longest in {n} of {total} multiple-choice items ({percent} %): {items}").format(
                n=len(longest), total=len(choices), percent=len(longest) * 100 // len(choices), items=", ".join(longest)
            ),
            course,
            ("modules",),
            at_key=True,
            hint=_(
                "give the wrong options the same care and length, until the right one is the longest in at "
                "most {percent} % of the items"
            ).format(percent=int(LONGEST_LIMIT * 100)),
        )


def _stem_forms(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    course = ctx.workspace.course
    if course is None or course.model is None:
        return
    forms: dict[str, list[_Asked]] = {}
    for current in asked:
        if is_yes_no(current.item) and right_option(current.item):
            forms.setdefault(stem_form(current.item.question), []).append(current)
    low, high = STEM_SHARE
    for form, items in sorted(forms.items()):
        if len(items) < STEM_MIN_ITEMS:
            continue
        yes = [c.item.id for c in items if normalised(right_option(c.item) or "") == "ja"]
        share = len(yes) / len(items)
        # Three items cannot be split 40-60: one more of either answer is as even as they can be.
        if not low <= share <= high and abs(2 * len(yes) - len(items)) > 1:
            yield ctx.finding(
                QUIZ_STEM_PREDICTS,
                Severity.WARNING,
                _(
                    "the {n} yes/no questions asked '{form} …?' are answered Ja {yes} times and Nej "
                    "{no} times: the wording gives the answer away ({items})"
                ).format(
                    n=len(items),
                    form=form.capitalize(),
                    yes=len(yes),
                    no=len(items) - len(yes),
                    items=", ".join(c.item.id for c in items),
                ),
                course,
                ("modules",),
                at_key=True,
                hint=_(
                    "turn some of them around, so that Ja and Nej each answer {low}–{high} % of the "
                    "questions asked this way"
                ).format(low=int(low * 100), high=int(high * 100)),
            )


def _weak_distractors(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    for current in asked:
        right = right_option(current.item)
        if right is None or is_yes_no(current.item):
            continue
        length = len(" ".join(right.split()))
        for position, option in enumerate(current.item.options, start=1):
            if position != current.item.answer and len(" ".join(option.split())) < length * DISTRACTOR_SHARE:
                yield ctx.finding(
                    QUIZ_WEAK_DISTRACTOR,
                    Severity.WARNING,
                    _(
                        "in '{item}' the wrong option '{option}' is under a third of the right option's length, so "
                        "it is easy to rule out"
                    ).format(item=current.item.id, option=option),
                    current.doc,
                    ("quiz", current.index, "options", position - 1),
                    hint=_(
                        "write a wrong option someone could believe: a real misunderstanding, as specific as the "
                        "right answer"
                    ),
                )


def _where(asked: _Asked) -> str:
    return _("'{item}' in {file}").format(item=asked.item.id, file=asked.doc.rel)


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
                QUIZ_DUPLICATE_QUESTION,
                Severity.ERROR,
                _("quiz item '{item}' asks the same question as {where}").format(
                    item=current.item.id, where=_where(earlier)
                ),
                current.doc,
                ("quiz", current.index, "question"),
                hint=_("ask it in one module only, or ask about another situation"),
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
                    QUIZ_DUPLICATE_OPTION,
                    Severity.ERROR,
                    _("quiz item '{item}' offers '{option}' twice").format(item=current.item.id, option=option),
                    current.doc,
                    ("quiz", current.index, "options", position - 1),
                    hint=_("remove one of them"),
                )
            truth = right.get(text)
            if truth is not None and position != current.item.answer and truth is not current:
                yield ctx.finding(
                    QUIZ_CONTRADICTION,
                    Severity.ERROR,
                    _("quiz item '{item}' counts '{option}' as wrong, but it is the right answer of {where}").format(
                        item=current.item.id, option=option, where=_where(truth)
                    ),
                    current.doc,
                    ("quiz", current.index, "options", position - 1),
                    hint=_(
                        "an option must be wrong in every item where it is wrong; rewrite the distractor so it is "
                        "clearly wrong here"
                    ),
                )


def _skew(ctx: Context, asked: list[_Asked]) -> Iterator[Finding]:
    course = ctx.workspace.course
    if course is None or course.model is None or len(asked) < SKEW_MIN_ITEMS:
        return
    positions = Counter(current.item.answer for current in asked)
    distribution = ", ".join(
        _("option {position}: {count} ({percent} %)").format(
            position=position, count=count, percent=count * 100 // len(asked)
        )
        for position, count in sorted(positions.items())
    )
    position, most = positions.most_common(1)[0]
    if most / len(asked) > SKEW_LIMIT:
        yield ctx.finding(
            QUIZ_ANSWER_SKEW,
            Severity.WARNING,
            _(
                "the right answer is option {position} in {most} of {n} quiz items ({distribution}); a "
                "participant who always picks it scores {percent} %"
            ).format(
                position=position, most=most, n=len(asked), distribution=distribution, percent=most * 100 // len(asked)
            ),
            course,
            ("modules",),
            at_key=True,
            hint=_("move the right answer to other positions until none holds more than {percent} %").format(
                percent=int(SKEW_LIMIT * 100)
            ),
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
            QUIZ_ANSWER_SKEW,
            Severity.WARNING,
            _("all {n} yes/no items are answered '{form}'").format(n=len(yes_no), form=only.capitalize()),
            course,
            ("modules",),
            at_key=True,
            hint=_("turn some of the statements around so that both answers occur"),
        )
