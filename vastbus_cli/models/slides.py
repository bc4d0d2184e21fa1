"""What modules and local additions are made of: slides, refs, diagrams, quiz items and forms."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vastbus_cli.models.common import FullDate, Identifier, Strict


class Review(Strict):
    """Who checked a reference against the guideline text, when, and why."""

    by: str = Field(min_length=1)
    on: FullDate
    note: str | None = None


class Ref(Strict):
    """A citation of a guideline section, stamped with the content it was checked against."""

    section: Identifier
    edition: Identifier
    fingerprint: str = Field(pattern=r"^h1:[0-9a-f]{16}$")
    reviewed: Review | None = None


class Image(Strict):
    """A picture on a slide; alt text is required for screen readers."""

    path: str
    alt: str = Field(description="Alt text read aloud by screen readers.")


DiagramKind = Literal["steps", "levels", "editions", "organisation"]


class DiagramItem(Strict):
    """One box of a diagram: a step, a level."""

    label: str = Field(min_length=1)
    detail: str | None = Field(None, description="A short line under the label.")


class Diagram(Strict):
    """A diagram the writers draw as shapes in the deck's font and colours, never a picture.

    ``steps`` (a chevron row) and ``levels`` (stacked boxes) take their ``items`` from
    here; ``editions`` (a timeline) is drawn from ``guidelines/`` and ``organisation``
    from the districts and their ``area`` in ``curriculum/districts.yaml``, so they
    stay true when the data changes.
    """

    id: Identifier
    kind: DiagramKind
    title: str = Field(min_length=1, description="Caption in the handout.")
    alt: str = Field(min_length=1, description="Alt text read aloud by screen readers.")
    items: list[DiagramItem] = Field(default_factory=list)


class Column(Strict):
    """One column of a two-content slide."""

    heading: str
    bullets: list[str] = Field(min_length=1)


SlideLayout = Literal["content", "two-content", "section", "quote"]
DIAGRAM_LIMITS: dict[str, tuple[int, int]] = {"steps": (2, 8), "levels": (2, 5)}


class Slide(Strict):
    """One slide of a module."""

    id: Identifier
    layout: SlideLayout = "content"
    title: str
    bullets: list[str] = Field(default_factory=list)
    columns: list[Column] | None = Field(None, min_length=2, max_length=2)
    notes: str | None = None
    audience_notes: dict[Identifier, str] = Field(
        default_factory=dict, description="Extra speaker notes for one audience."
    )
    audiences: list[Identifier] | None = Field(None, description="Only for these audiences.")
    image: Image | None = None
    diagram: Identifier | None = Field(None, description="A diagram of this or another module, by id.")
    step: int | None = Field(None, ge=1, description="The step of the module's tracker diagram this slide is about.")
    source: str | None = Field(None, description="Where a quote (layout: quote) comes from.")
    refs: list[Ref] = Field(default_factory=list)
    discusses: list[Identifier] = Field(
        default_factory=list,
        description="Terms or claims this slide quotes on purpose, to correct them.",
    )


class QuizItem(Strict):
    """A question with options; ``answer`` is the 1-based number of the right option."""

    id: Identifier
    question: str
    options: list[str] = Field(min_length=2)
    answer: int = Field(ge=1)
    explanation: str
    audiences: list[Identifier] | None = None
    refs: list[Ref] = Field(default_factory=list)
    discusses: list[Identifier] = Field(default_factory=list)


class FormField(Strict):
    """One filled-in field of an example document."""

    label: str = Field(min_length=1)
    value: str = Field(min_length=1)


class Form(Strict):
    """A filled-in example document (an invitation, a plan), printed as a page of the handout."""

    id: Identifier
    title: str = Field(min_length=1)
    intro: str | None = Field(None, description="A line above the fields, e.g. that the case is made up.")
    fields: list[FormField] = Field(min_length=1)
