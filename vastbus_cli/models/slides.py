"""What modules and local additions are made of: slides, refs, diagrams, quiz items and forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field

from vastbus_cli.diagramkinds import DiagramKind
from vastbus_cli.models.common import FullDate, Identifier, Strict

#: Audience ids (``curriculum/course.yaml``) an item is only for; default: every audience.
AudienceIds = Annotated[
    list[Identifier] | None,
    Field(
        description="Only for these audiences (ids from course.yaml). Default: every audience.",
        examples=[["forskola", "skola-elevhalsa"], ["chefer"]],
    ),
]
#: Terms or claims an item quotes on purpose, to correct them.
Discusses = Annotated[
    list[Identifier],
    Field(
        description="Term or claim ids this item quotes on purpose, to correct them; check leaves that text alone.",
        examples=[["vastbusmote"], ["bestallningsforum", "inte-vart-arende"]],
    ),
]


class Review(Strict):
    """Who checked a reference against the guideline text, when, and why."""

    by: str = Field(min_length=1, description="Who checked the reference.", examples=["Kursredaktionen"])
    on: FullDate = Field(description="The day it was checked, YYYY-MM-DD.", examples=["2026-11-22"])
    note: str | None = Field(
        None,
        description="What was checked, e.g. against which text.",
        examples=["Första granskning mot bou-halsa-2023."],
    )


class Ref(Strict):
    """A citation of a guideline section, stamped with the content it was checked against."""

    section: Identifier = Field(
        description="The id of the cited section in the guideline edition.", examples=["samtycke", "sip-plan"]
    )
    edition: Identifier = Field(description="The edition the section was read in.", examples=["bou-halsa-2023"])
    fingerprint: str = Field(
        pattern=r"^h1:[0-9a-f]{16}$",
        description="The section's text when the reference was checked (h1: and 16 hex digits); "
        "vastbus review and upgrade write it.",
        examples=["h1:dae3ebe294cbf331"],
    )
    reviewed: Review | None = Field(
        None,
        description="Who checked the reference against the section, when; vastbus review writes it.",
        examples=[{"by": "Kursredaktionen", "on": "2026-11-22", "note": "Första granskning mot bou-halsa-2023."}],
    )


#: The guideline sections an item cites.
Refs = Annotated[
    list[Ref],
    Field(
        description="The guideline sections this item rests on, each stamped when it was checked.",
        examples=[
            [
                {
                    "section": "samtycke",
                    "edition": "bou-halsa-2023",
                    "fingerprint": "h1:edd4759adf36f18c",
                    "reviewed": {"by": "Kursredaktionen", "on": "2026-11-23"},
                }
            ]
        ],
    ),
]


class Image(Strict):
    """A picture on a slide; alt text is required for screen readers."""

    path: str = Field(
        description="A PNG, JPEG or GIF file inside the workspace, relative to it.",
        examples=["templates/images/sip-steg.png"],
    )
    alt: str = Field(
        description="Alt text read aloud by screen readers: what the picture shows.",
        examples=["De sex stegen i SIP-processen"],
    )


class DiagramItem(Strict):
    """One box of a diagram: a step, a level."""

    label: str = Field(min_length=1, description="The box's text.", examples=["Upptäck behov", "Regional nivå"])
    detail: str | None = Field(
        None,
        description="A short line under the label.",
        examples=["Behov av samordning", "Vårdsamverkan Västra Götaland: gemensam SIP-riktlinje"],
    )


class Diagram(Strict):
    """A diagram the writers draw as shapes in the deck's font and colours, never a picture.

    ``steps`` (a chevron row) and ``levels`` (stacked boxes) take their ``items`` from
    here; ``editions`` (a timeline) is drawn from ``guidelines/`` and ``organisation``
    from the districts and their ``area`` in ``curriculum/districts.yaml``, so they
    stay true when the data changes.
    """

    id: Identifier = Field(
        description="Stable id; a slide's diagram and a module's tracker name it.", examples=["sip-steg", "utgavor"]
    )
    kind: DiagramKind = Field(
        description="steps (2–8 items), levels (2–5), editions (from guidelines/) or organisation "
        "(from districts.yaml).",
        examples=["steps", "editions"],
    )
    title: str = Field(
        min_length=1,
        description="Caption in the handout.",
        examples=["SIP-processen i sex steg", "Tre nivåer för samverkan kring barn och unga"],
    )
    alt: str = Field(
        min_length=1,
        description="Alt text read aloud by screen readers.",
        examples=[
            "SIP-processen i sex steg, i ordning: 1 Upptäck behov, 2 Förbered, 3 Kalla eller bjud in till "
            "SIP-möte, 4 SIP-möte, 5 Följ upp och 6 Avsluta."
        ],
    )
    items: list[DiagramItem] = Field(
        default_factory=list,
        description="The boxes of a steps or levels diagram, in order; editions and organisation need none.",
        examples=[[{"label": "Upptäck behov", "detail": "Behov av samordning"}, {"label": "Förbered"}]],
    )


class Column(Strict):
    """One column of a two-content slide."""

    heading: str = Field(description="The column's heading.", examples=["Nu", "Vem du kan fråga"])
    bullets: list[str] = Field(
        min_length=1,
        description="The column's bullet points.",
        examples=[["Avvikelse i samverkan i MedControlPRO, enligt en länsgemensam rutin."]],
    )


class Case(Strict):
    """A case card (layout case): who the case is about, what is seen, and the question to the room."""

    person: str = Field(min_length=1, description="Who the case is about.", examples=["Noa, 4 år (påhittat)"])
    situation: list[str] = Field(
        min_length=1,
        description="What is seen, a line each.",
        examples=[["Noa säger få ord och blir ledsen när ingen förstår honom.", "Föräldrarna är trötta."]],
    )
    question: str = Field(
        min_length=1,
        description="The question put to the room.",
        examples=["Vad gör ni – och vem mer behöver vara med?"],
    )


class Exercise(Strict):
    """An exercise (layout exercise): the task, its minutes and group size, and how to debrief it."""

    task: str = Field(
        min_length=1,
        description="What the groups do, in a sentence or two.",
        examples=["Gå igenom Noas kallelse. Vad saknas för att BVC ska kunna förbereda sig?"],
    )
    minutes: int = Field(ge=1, le=120, description="Minutes for the task, debrief excluded.", examples=[8])
    group: str = Field(
        min_length=1,
        description="How people work: alone, in pairs, in groups of a size.",
        examples=["I par", "Grupper om 3–4"],
    )
    debrief: list[str] = Field(
        min_length=1,
        description="The questions the trainer asks the room afterwards.",
        examples=[["Vad saknades?", "Vem hade ni velat fråga?"]],
    )


SlideLayout = Literal[
    "content", "two-content", "section", "quote", "statement", "table", "case", "exercise", "takeaways"
]


class SeeAlso(Strict):
    """A pointer to other material, written in the speaker notes only when the pack teaches it.

    Packs leave out modules and slides per track, so "tas upp i modulen om …" in plain text
    would send people to material they never get.
    """

    module: Identifier = Field(description="The module pointed to.", examples=["sip-processen", "placerade-barn"])
    slide: Identifier | None = Field(
        None, description="A slide of that module; default: the module as a whole.", examples=["roller"]
    )
    text: str = Field(
        min_length=1,
        description="The sentence for the notes when the pack has the module (and slide).",
        examples=["Vad kallelsen ska innehålla tar vi upp i SIP-processen, steg 3."],
    )
    otherwise: str | None = Field(
        None,
        description="A neutral sentence for packs without it; default: nothing.",
        examples=["Vad kallelsen ska innehålla står i Checklista för SIP-processen på vardsamverkan.se."],
    )


class Slide(Strict):
    """One slide of a module or of a local addition."""

    id: Identifier = Field(
        description="Stable id within the module; tracks and review --slide name it.",
        examples=["start", "forr-och-nu"],
    )
    layout: SlideLayout = Field(
        "content",
        description="content (bullets), two-content (compare: two columns), section (a divider), quote (with "
        "source), statement (one sentence, large), table (rows, the first the header), case (a case card), "
        "exercise (task, minutes, group size, debrief) or takeaways (up to three points and one action).",
        examples=["two-content", "section"],
    )
    title: str = Field(
        description="The slide's title; every slide needs one.",
        examples=["Ingen SIP utan samtycke", "Förr och nu: från blankett till MedControlPRO"],
    )
    bullets: list[str] = Field(
        default_factory=list,
        description="The slide's bullet points.",
        examples=[["En SIP kräver den enskildes samtycke."]],
    )
    columns: list[Column] | None = Field(
        None,
        min_length=2,
        max_length=2,
        description="layout two-content: exactly two columns.",
        examples=[[{"heading": "Förr", "bullets": ["…"]}, {"heading": "Nu", "bullets": ["…"]}]],
    )
    table: list[list[str]] | None = Field(
        None,
        min_length=2,
        description="layout table: rows of cells, the first row the header; every row as long as the header.",
        examples=[[["Vem", "Gör vad", "När"], ["Förskolan", "Bildstöd i leken", "Varje dag"]]],
    )
    case: Case | None = Field(
        None,
        description="layout case: the case card.",
        examples=[
            {
                "person": "Noa, 4 år",
                "situation": ["Säger få ord och blir ledsen när ingen förstår honom."],
                "question": "Vad gör ni – och vem mer behöver vara med?",
            }
        ],
    )
    exercise: Exercise | None = Field(
        None,
        description="layout exercise: the task and how to run it.",
        examples=[
            {
                "task": "Skriv syfte och frågor i kallelsen till Noas SIP-möte.",
                "minutes": 8,
                "group": "Grupper om 3–4",
                "debrief": ["Vad skrev ni som syfte?"],
            }
        ],
    )
    action: str | None = Field(
        None,
        description="layout takeaways: the one thing to do afterwards, under the points.",
        examples=["På måndag: leta upp er rutin för SIP."],
    )
    notes: str | None = Field(
        None,
        description="Speaker notes: what the trainer says. Required on local slides.",
        examples=["Modulen handlar om vad du gör när samverkan kring ett barn inte fungerar."],
    )
    audience_notes: dict[Identifier, str] = Field(
        default_factory=dict,
        description="Extra speaker notes for one audience, by audience id.",
        examples=[{"bvc": "På BVC möter ni ofta familjen först."}],
    )
    audiences: AudienceIds = None
    image: Image | None = Field(
        None,
        description="A picture on the slide, with its alt text.",
        examples=[{"path": "templates/images/sip-steg.png", "alt": "De sex stegen i SIP-processen"}],
    )
    diagram: Identifier | None = Field(
        None, description="A diagram of this or another module, by id.", examples=["sip-steg", "tre-nivaer"]
    )
    step: int | None = Field(
        None,
        ge=1,
        description="The step of the module's tracker diagram this slide is about (1 is the first).",
        examples=[2],
    )
    source: str | None = Field(
        None,
        description="Where a quote (layout: quote) comes from.",
        examples=[
            "Riktlinje för Samordnad individuell plan för kommunerna i Västra Götaland och "
            "Västra Götalandsregionen (Vårdsamverkan Västra Götaland, 2020)"
        ],
    )
    see: list[SeeAlso] = Field(
        default_factory=list,
        description="Pointers to other modules or slides, added to the notes only in packs that teach them.",
        examples=[[{"module": "placerade-barn", "text": "Placerade barn har en egen modul."}]],
    )
    refs: Refs = Field(default_factory=list)
    discusses: Discusses = Field(default_factory=list)

    def shown(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(key path, text) for every text participants see on the slide, in reading order."""
        yield ("title",), self.title
        yield from ((("bullets", i), text) for i, text in enumerate(self.bullets))
        for c, column in enumerate(self.columns or []):
            yield ("columns", c, "heading"), column.heading
            yield from ((("columns", c, "bullets", i), text) for i, text in enumerate(column.bullets))
        for r, row in enumerate(self.table or []):
            yield from ((("table", r, i), cell) for i, cell in enumerate(row))
        if self.case is not None:
            yield ("case", "person"), self.case.person
            yield from ((("case", "situation", i), text) for i, text in enumerate(self.case.situation))
            yield ("case", "question"), self.case.question
        if self.exercise is not None:
            yield ("exercise", "task"), self.exercise.task
            yield ("exercise", "group"), self.exercise.group
            yield from ((("exercise", "debrief", i), text) for i, text in enumerate(self.exercise.debrief))
        if self.action:
            yield ("action",), self.action


class QuizItem(Strict):
    """A question with options; ``answer`` is the 1-based number of the right option."""

    id: Identifier = Field(
        description="Stable id within the module; tracks name it.", examples=["vem-samtycker", "chef-mandat"]
    )
    question: str = Field(
        description="The question.",
        examples=["Din medarbetare är kallad till en SIP. Vad behöver du som chef ha ordnat före mötet?"],
    )
    options: list[str] = Field(min_length=2, description="The options, in the order shown.", examples=[["Ja", "Nej"]])
    answer: int = Field(ge=1, description="The number of the right option; 1 is the first.", examples=[2])
    explanation: str = Field(
        description="Why the answer is right; in the trainer guide and the answer key.",
        examples=[
            "När samverkan inte fungerar rapporteras en avvikelse i samverkan enligt den länsgemensamma "
            "rutinen, i Göteborgsområdet i MedControlPRO."
        ],
    )
    audiences: AudienceIds = None
    refs: Refs = Field(default_factory=list)
    discusses: Discusses = Field(default_factory=list)


class FormField(Strict):
    """One filled-in field of an example document."""

    label: str = Field(min_length=1, description="The field's label.", examples=["Barnet", "Syfte med mötet"])
    value: str = Field(
        min_length=1,
        description="What is filled in.",
        examples=["Noa, 4 år (påhittat). Går på en kommunal förskola."],
    )


class Form(Strict):
    """A filled-in example document (an invitation, a plan), printed as a page of the handout."""

    id: Identifier = Field(description="Stable id within the module.", examples=["kallelse-exempel"])
    title: str = Field(
        min_length=1,
        description="The page's heading.",
        examples=["Ifyllt exempel: kallelse till SIP-möte för Noa"],
    )
    intro: str | None = Field(
        None,
        description="A line above the fields, e.g. that the case is made up.",
        examples=["Påhittat exempel. Så här kan en ifylld kallelse se ut. Personerna finns inte på riktigt."],
    )
    fields: list[FormField] = Field(
        min_length=1,
        description="The filled-in fields, in order.",
        examples=[[{"label": "Barnet", "value": "Noa, 4 år (påhittat). Går på en kommunal förskola."}]],
    )
