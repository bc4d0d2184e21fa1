"""A teaching module: ``curriculum/modules/<id>.yaml``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict
from vastbus_cli.models.slides import AudienceIds, Diagram, Form, QuizItem, Slide


class Area(StrEnum):
    """The three areas the districts asked the training to cover."""

    ORGANISATION = "organisation"
    FUNKTION = "funktion"
    PRAKTISKT_ARBETE = "praktiskt-arbete"


class Misconception(Strict):
    """A misconception a trainer should expect, and how to answer it."""

    claim: Identifier = Field(
        description="The id of a claim in the guideline editions.",
        examples=["mote-utan-samtycke", "bestallningsforum"],
    )
    answer: str = Field(
        description="How the trainer answers it; in the trainer guide and the handout.",
        examples=[
            "Ingen SIP utan samtycke. I fallet frågar förskolan Sara och Ali först, och de bestämmer vilka som "
            "kallas. Samtycket gäller också informationsutbytet."
        ],
    )


class Module(Strict):
    """One teaching module: ``curriculum/modules/<id>.yaml``, its slides, quiz, diagrams and forms."""

    id: Identifier = Field(
        description="The module's id, also its file name; course.yaml lists it.",
        examples=["samtycke", "sip-processen"],
    )
    title: str = Field(
        description="The module's title, on its section slide and in the agenda.",
        examples=["Samtycke och barnets röst", "SIP-processen steg för steg"],
    )
    area: Area = Field(
        description="Which of the three areas it covers: organisation, funktion or praktiskt-arbete.",
        examples=["funktion"],
    )
    built_on: Identifier = Field(
        description="The guideline edition the module was written against; vastbus upgrade moves it.",
        examples=["bou-halsa-2023"],
    )
    minutes: int = Field(
        gt=0, le=480, description="Minutes the whole module takes; a track may give it fewer.", examples=[20, 15]
    )
    audiences: AudienceIds = None
    objectives: list[str] = Field(
        min_length=1,
        description="What participants should know or be able to do afterwards.",
        examples=[["Kunna förklara varför en SIP kräver samtycke och vem som lämnar det."]],
    )
    slides: list[Slide] = Field(
        min_length=1,
        description="The module's slides, in order.",
        examples=[
            [
                {
                    "id": "ingen-sip-utan-samtycke",
                    "title": "Ingen SIP utan samtycke",
                    "bullets": ["En SIP kräver den enskildes samtycke."],
                }
            ]
        ],
    )
    quiz: list[QuizItem] = Field(
        default_factory=list,
        description="Quiz questions, one slide each, with the answers in the notes and the answer key.",
        examples=[
            [
                {
                    "id": "uppfoljning-uteblir",
                    "question": "Datumet för uppföljning i ett barns plan har passerat. Ni har försökt få med "
                    "de andra verksamheterna, men ingen hör av sig. Kan ni rapportera en avvikelse i samverkan?",
                    "options": ["Ja", "Nej"],
                    "answer": 1,
                    "explanation": "När samverkan inte fungerar rapporteras en avvikelse i samverkan enligt "
                    "den länsgemensamma rutinen, i Göteborgsområdet i MedControlPRO.",
                }
            ]
        ],
    )
    misconceptions: list[Misconception] = Field(
        default_factory=list,
        description="Misconceptions a trainer should expect in this module, and how to answer them.",
        examples=[[{"claim": "mote-utan-samtycke", "answer": "Ingen SIP utan samtycke."}]],
    )
    diagrams: list[Diagram] = Field(
        default_factory=list,
        description="Diagrams this module declares; any module's slide may show them.",
        examples=[[{"id": "utgavor", "kind": "editions", "title": "Från Västbus till SIP", "alt": "…"}]],
    )
    forms: list[Form] = Field(
        default_factory=list,
        description="Filled-in example documents for the handout.",
        examples=[
            [
                {
                    "id": "kallelse-exempel",
                    "title": "Ifyllt exempel: kallelse till SIP-möte för Noa",
                    "fields": [{"label": "Barnet", "value": "Noa, 4 år (påhittat). Går på en kommunal förskola."}],
                }
            ]
        ],
    )
    tracker: Identifier | None = Field(
        None,
        description="A steps diagram drawn small on every slide with a 'step', that step highlighted.",
        examples=["sip-steg"],
    )
