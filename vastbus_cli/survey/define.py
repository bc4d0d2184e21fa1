"""Choose the survey's items from the course: misconceptions, their corrections and a few quiz questions.

Deterministic, so that ``survey make`` on the same course makes the same survey: the edition's
misconceptions that are verified and stated as errors, in the edition's order, each as a
statement answered "Stämmer inte"; the first sentence of a few of their corrections as
statements answered "Stämmer" (so that "Stämmer inte" is not always right); and practice
questions from the quiz that discuss one of those misconceptions, one per module, in course order.
A misconception marked unverified is left out: a survey must not mark an answer right that the
sources have not confirmed.
"""

from __future__ import annotations

import functools
import json
import re

from vastbus_cli.models import Claim, Course, Edition, Module, Survey, SurveyItem

#: How many statements of each kind and questions a survey gets: about 12 items, 5 minutes.
MISCONCEPTIONS = 6
CORRECTIONS = 3
QUESTIONS = 3
#: A statement or question longer than this is hard to read on a form.
LONGEST_STATEMENT = 140
LONGEST_QUESTION = 240
LONGEST_OPTION = 110

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text``."""
    return _SENTENCE.split(text.strip(), maxsplit=1)[0].strip()


def _claims(lineage: list[Edition]) -> list[Claim]:
    """The claims in force: a later edition's claim replaces an earlier one of the same id."""
    claims: dict[str, Claim] = {}
    for edition in lineage:
        for claim in edition.claims:
            claims[claim.id] = claim
    return list(claims.values())


def choose_items(lineage: list[Edition], modules: list[Module], course: Course | None = None) -> list[SurveyItem]:
    """The survey's items for an edition (given with its predecessors, oldest first) and the course's modules."""
    verified = [c for c in _claims(lineage) if not c.unverified and c.severity == "error"]
    chosen = [c for c in verified if len(c.misconception) <= LONGEST_STATEMENT][:MISCONCEPTIONS]
    items = [SurveyItem(id=c.id, claim=c.id, text=c.misconception, right="stammer-inte") for c in chosen]
    corrections = [
        (claim, first_sentence(claim.correct))
        for claim in chosen
        if 20 <= len(first_sentence(claim.correct)) <= LONGEST_STATEMENT
    ][:CORRECTIONS]
    items += [
        SurveyItem(id=f"{claim.id}-ratt", claim=claim.id, text=text, right="stammer") for claim, text in corrections
    ]
    return _spread(chosen, items) + _questions(chosen, lineage, modules, course)


def _spread(chosen: list[Claim], items: list[SurveyItem]) -> list[SurveyItem]:
    """The statements with each correction half the form away from its own misconception."""
    misconceptions = items[: len(chosen)]
    corrections = items[len(chosen) :]
    order = [c.id for c in chosen]
    half = max(1, len(misconceptions) // 2)
    spread: list[SurveyItem] = []
    for index, statement in enumerate(misconceptions):
        spread.append(statement)
        spread += [c for c in corrections if (order.index(c.claim or "") + half) % len(misconceptions) == index]
    return spread


def _reach(course: Course | None, module: str, quiz: str) -> int:
    """How many audiences' tracks teach this quiz question (so how many have met it in the course)."""
    if course is None:
        return 1
    reach = 0
    for track in course.tracks:
        taught = next((m for m in track.modules if m.module == module), None)
        if taught is not None and (taught.quiz is None or quiz in taught.quiz):
            reach += len(track.audiences)
    return reach


def _questions(
    chosen: list[Claim], lineage: list[Edition], modules: list[Module], course: Course | None
) -> list[SurveyItem]:
    """Quiz questions, at most one per module: those the most audiences' tracks teach, then in course order.

    Among equals, first those on a misconception the statements leave out, so that the survey covers more.
    A question no track teaches to at least half the audiences is not asked.
    """
    stated = {c.id for c in chosen}
    in_force = {c.id for c in _claims(lineage)}
    audiences = len(course.audiences) if course is not None else 1
    candidates: list[tuple[int, bool, int, SurveyItem]] = []
    for module in modules:
        for quiz in module.quiz:
            fits = (
                len(quiz.question) <= LONGEST_QUESTION
                and len(quiz.options) <= 4
                and all(len(option) <= LONGEST_OPTION for option in quiz.options)
                and not quiz.audiences
            )
            reach = _reach(course, module.id, quiz.id)
            topics = set(quiz.discusses) & in_force
            if fits and topics and 2 * reach >= audiences:
                item = SurveyItem(
                    id=f"quiz-{quiz.id}",
                    quiz=f"{module.id}/{quiz.id}",
                    text=quiz.question,
                    options=list(quiz.options),
                    right=str(quiz.answer),
                )
                candidates.append((-reach, not (topics - stated), len(candidates), item))
                break
    return [item for *_, item in sorted(candidates, key=lambda c: c[:3])][:QUESTIONS]


def make_survey(
    edition: Edition, lineage: list[Edition], modules: list[Module], course: Course, survey_id: str
) -> Survey:
    """A new survey for ``edition`` (the one in force) and the course as it is."""
    return Survey(
        id=survey_id,
        title="Vad vet du om samverkan kring barn och unga?",
        built_on=edition.id,
        course_version=course.version,
        items=choose_items(lineage, modules, course),
    )


def survey_yaml(survey: Survey) -> str:
    """``curriculum/survey.yaml`` as text: the survey with comments in Swedish for whoever edits it."""
    quoted = functools.partial(json.dumps, ensure_ascii=False)
    lines = [
        "# yaml-language-server: $schema=schemas/survey.schema.json",
        "# Kunskapsenkäten före och efter utbildningen (vastbus survey make). Samma enkät före och",
        "# efter. Påståendena kommer från riktlinjens missuppfattningar och deras rättelser, frågorna",
        "# från kursens quiz. Ändra inte en fråga som redan har besvarats: svaren räknas per id. Vill",
        "# du ändra, ge frågan ett nytt id (vastbus check säger när en fråga inte längre stämmer med kursen).",
        f"id: {survey.id}",
        f"title: {quoted(survey.title)}",
        f"built_on: {survey.built_on}",
        f"course_version: {quoted(survey.course_version)}",
        f"minutes: {survey.minutes}",
        "items:",
    ]
    for item in survey.items:
        lines.append(f"  - id: {item.id}")
        if item.claim is not None:
            lines.append(f"    claim: {item.claim}")
        if item.quiz is not None:
            lines.append(f"    quiz: {item.quiz}")
        lines.append(f"    text: {quoted(item.text)}")
        if item.options:
            lines.append("    options:")
            lines += [f"      - {quoted(option)}" for option in item.options]
        lines.append(f"    right: {quoted(item.right)}")
    return "\n".join(lines) + "\n"
