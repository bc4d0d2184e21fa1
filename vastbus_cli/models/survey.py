"""The knowledge survey: ``curriculum/survey.yaml`` (the questions) and ``curriculum/surveys/**.yaml`` (the answers).

The survey is made from the course (``vastbus survey make``): statements from the edition's
misconceptions and their corrections, answered "Stämmer / Stämmer inte / Vet inte", and a few
practice questions from the quiz, answered with their options or "Vet inte". The same survey is
handed out before and after a training. Items have stable ids; a results file names them.

A results file holds counts only — per district (or city area), audience (profession),
phase (``före``/``efter``), day and item, how many gave each answer — never a name, an
e-mail address, a free-text answer or a time of day (``vastbus survey import`` drops them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from vastbus_cli.models.common import FullDate, Identifier, Strict

#: The answers to a statement, as stored (keys) and as printed on the form (values).
STATEMENT_ANSWERS = {"stammer": "Stämmer", "stammer-inte": "Stämmer inte", "vet-inte": "Vet inte"}
#: The answer every item offers besides its own: "I don't know" is an answer, not a blank.
DONT_KNOW = "vet-inte"
#: What a respondent who skipped an item counts as.
BLANK = "blank"
#: The two phases a survey is handed out in.
PHASES = ("före", "efter")
#: The two questions every form asks first, so that answers can be counted per district and
#: profession: their text on every form, and so the heading of their column in an export. The
#: answers are a district's (or city area's) name as in districts.yaml and an audience's name
#: as in course.yaml.
PROFILE_QUESTIONS = {
    "district": "Vilket område arbetar du i?",
    "audience": "Vilken yrkesgrupp tillhör du?",
}
#: The most items a survey may have: it must take about five minutes.
MAX_ITEMS = 20


class SurveyItem(Strict):
    """One statement or question of the survey."""

    id: Identifier = Field(
        description="Stable id; results name it. Made from the claim or quiz item it comes from.",
        examples=["bara-komplexa-fall", "mote-utan-samtycke-ratt", "quiz-far-skolan-kalla"],
    )
    claim: Identifier | None = Field(
        None,
        description="The misconception (an edition's claim id) the item tests; its correction if right is 'stammer'.",
        examples=["bara-komplexa-fall"],
    )
    quiz: str | None = Field(
        None,
        pattern=r"^[a-z0-9à-öø-ÿ-]+/[a-z0-9à-öø-ÿ-]+$",
        description="The practice question it repeats, as <module id>/<quiz item id>.",
        examples=["vem-tar-initiativ/far-skolan-kalla"],
    )
    text: str = Field(
        min_length=5,
        description="The statement or question exactly as the form prints it.",
        examples=["SIP är bara till för de mest komplexa och svåra fallen."],
    )
    options: list[str] = Field(
        default_factory=list,
        description="A question's options, in order; a statement has none (it is answered Stämmer / Stämmer inte).",
        examples=[["Förskolan ber socialtjänsten kalla", "Förskolan kallar själv"]],
    )
    right: str = Field(
        description="The right answer: 'stammer' or 'stammer-inte' for a statement, the option's number (1, 2, …) "
        "for a question.",
        examples=["stammer-inte", "3"],
    )

    @model_validator(mode="after")
    def _one_source_and_a_right_answer(self) -> SurveyItem:
        if (self.claim is None) == (self.quiz is None):
            raise ValueError("an item comes from exactly one of 'claim' or 'quiz'")
        if self.quiz is not None and not 2 <= len(self.options) <= 6:
            raise ValueError("a question from the quiz needs 2 to 6 options")
        if self.claim is not None and self.options:
            raise ValueError("a statement has no options: it is answered Stämmer / Stämmer inte / Vet inte")
        if self.right not in self.answers() or self.right == DONT_KNOW:
            raise ValueError(f"right must be one of {', '.join(a for a in self.answers() if a != DONT_KNOW)}")
        return self

    def answers(self) -> list[str]:
        """The answer keys the item takes, "Vet inte" last: stammer/stammer-inte, or 1, 2, … for a question."""
        if self.claim is not None:
            return list(STATEMENT_ANSWERS)
        return [str(n) for n in range(1, len(self.options) + 1)] + [DONT_KNOW]

    def label(self, answer: str) -> str:
        """How the form prints an answer key."""
        if answer in STATEMENT_ANSWERS:
            return STATEMENT_ANSWERS[answer]
        return self.options[int(answer) - 1]


class Survey(Strict):
    """``curriculum/survey.yaml``: the knowledge survey handed out before and after a training."""

    id: Identifier = Field(description="Stable id of this survey; results name it.", examples=["kunskap-2026"])
    title: str = Field(
        min_length=3,
        description="The form's heading.",
        examples=["Vad vet du om samverkan kring barn och unga?"],
    )
    built_on: Identifier = Field(description="The edition the survey was made from.", examples=["bou-halsa-2023"])
    course_version: str = Field(
        pattern=r"^\d+\.\d+(\.\d+)?$",
        description="The course version the survey was made from.",
        examples=["1.0.0"],
    )
    minutes: int = Field(5, ge=1, le=30, description="About how long it takes.", examples=[5])
    items: list[SurveyItem] = Field(
        min_length=1,
        max_length=MAX_ITEMS,
        description="The statements and questions, in the order of the form.",
        examples=[
            [
                {
                    "id": "bara-komplexa-fall",
                    "claim": "bara-komplexa-fall",
                    "text": "Västbus/SIP är bara till för de mest komplexa och svåra fallen.",
                    "right": "stammer-inte",
                }
            ]
        ],
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Survey:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"the item id '{item.id}' is used twice")
            seen.add(item.id)
        return self

    def item(self, item_id: str) -> SurveyItem | None:
        """The item with this id."""
        return next((item for item in self.items if item.id == item_id), None)


class ResultGroup(Strict):
    """The answers of one group: a district (or city area), an audience, a phase and a day."""

    district: Identifier = Field(description="District or city-area id.", examples=["angered"])
    audience: Identifier = Field(description="Audience (profession) id.", examples=["forskola"])
    phase: Literal["före", "efter"] = Field(description="Before or after the training.", examples=["före"])
    date: FullDate = Field(description="The day the answers were given (no time of day).", examples=["2026-11-20"])
    respondents: int = Field(gt=0, le=100_000, description="How many answered the survey.", examples=[14])
    answers: dict[Identifier, dict[str, int]] = Field(
        description="Per item id, how many gave each answer: the item's answer keys, 'vet-inte' and 'blank' (skipped).",
        examples=[{"bara-komplexa-fall": {"stammer": 3, "stammer-inte": 9, "vet-inte": 2, "blank": 0}}],
    )

    @model_validator(mode="after")
    def _counts_fit(self) -> ResultGroup:
        for item_id, counts in self.answers.items():
            if any(n < 0 for n in counts.values()):
                raise ValueError(f"'{item_id}': a count is negative")
            if sum(counts.values()) != self.respondents:
                raise ValueError(
                    f"'{item_id}': the answers add up to {sum(counts.values())}, not to the {self.respondents} "
                    "respondents (a skipped item counts as 'blank')"
                )
        return self


class SurveyResults(Strict):
    """``curriculum/surveys/<survey id>/<file>.yaml``: counts of answers, imported from one export."""

    survey: Identifier = Field(description="The survey's id.", examples=["kunskap-2026"])
    source: str = Field(
        min_length=1,
        description="The export's file name, for tracing (never its rows).",
        examples=["Kunskapsenkät före (1-14).xlsx"],
    )
    digest: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the export file, so that the same export is not counted twice.",
        examples=["9f2c4b7e0d1a3c5b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f"],
    )
    imported: FullDate = Field(description="The day it was imported.", examples=["2026-11-22"])
    dropped: list[str] = Field(
        default_factory=list,
        description="The columns left out at import (names, e-mail addresses, times, free text), by heading.",
        examples=[["Namn", "E-post", "Starttid"]],
    )
    groups: list[ResultGroup] = Field(
        min_length=1,
        description="One entry per district, audience, phase and day.",
        examples=[
            [
                {
                    "district": "angered",
                    "audience": "forskola",
                    "phase": "före",
                    "date": "2026-11-20",
                    "respondents": 2,
                    "answers": {"bara-komplexa-fall": {"stammer": 1, "stammer-inte": 1, "vet-inte": 0, "blank": 0}},
                }
            ]
        ],
    )
