"""A teaching module: ``curriculum/modules/<id>.yaml``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict
from vastbus_cli.models.slides import Diagram, Form, QuizItem, Slide


class Area(StrEnum):
    """The three areas the districts asked the training to cover."""

    ORGANISATION = "organisation"
    FUNKTION = "funktion"
    PRAKTISKT_ARBETE = "praktiskt-arbete"


class Misconception(Strict):
    """A misconception a trainer should expect, and how to answer it."""

    claim: Identifier
    answer: str


class Module(Strict):
    """One teaching module: ``curriculum/modules/<id>.yaml``."""

    id: Identifier
    title: str
    area: Area
    built_on: Identifier
    minutes: int = Field(gt=0, le=480)
    audiences: list[Identifier] | None = Field(None, description="Default: every audience.")
    objectives: list[str] = Field(min_length=1)
    slides: list[Slide] = Field(min_length=1)
    quiz: list[QuizItem] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    diagrams: list[Diagram] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list, description="Filled-in example documents for the handout.")
    tracker: Identifier | None = Field(
        None, description="A steps diagram drawn small on every slide with a 'step', that step highlighted."
    )
