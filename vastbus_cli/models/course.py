"""The course: ``curriculum/course.yaml``, with its audiences, module order and tracks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict


class Audience(Strict):
    """A professional group the course is given to."""

    id: Identifier = Field(
        description="Stable id; packs are built per audience (build/<district>/<audience>/).",
        examples=["forskola", "bvc", "skola-elevhalsa"],
    )
    name: str = Field(
        description="The group's name as participants know it.",
        examples=["Förskola", "Barnavårdscentral (BVC)"],
    )
    description: str | None = Field(
        None,
        description="Who belongs to the group.",
        examples=[
            "Chefer och andra som ansvarar för att samverkan kring barn och unga fungerar i den egna verksamheten."
        ],
    )
    checklist: list[str] = Field(
        default_factory=list,
        description="What this group does in practice; the handout's checklist.",
        examples=[["Var uppmärksam på barn som behöver stöd från fler verksamheter än förskolan."]],
    )


class TrackModule(Strict):
    """A module as a track teaches it: its minutes there, and which slides and questions."""

    module: Identifier = Field(description="The module's id.", examples=["inledning", "samtycke"])
    minutes: int = Field(gt=0, le=480, description="Minutes the module gets in this track.", examples=[6, 15])
    slides: list[Identifier] | None = Field(
        None,
        description="Slide ids, in the module's order. Default: all.",
        examples=[["start", "samma-utbildning", "historik", "forr-och-nu"]],
    )
    quiz: list[Identifier] | None = Field(
        None, description="Quiz item ids. Default: all; [] for none.", examples=[[], ["vem-samtycker"]]
    )
    objectives: list[Annotated[int, Field(ge=1)]] | None = Field(
        None,
        description="Which of the module's objectives the chosen slides teach, by number (1 is the first). "
        "Default: all. The packs list only these, so a short track promises only what it teaches.",
        examples=[[1, 2], [1, 3, 4]],
    )


class Break(Strict):
    """A pause in the schedule, after a module."""

    after: Identifier = Field(
        description="The module the break follows.", examples=["malgrupp-och-syfte", "sip-processen"]
    )
    minutes: int = Field(gt=0, le=120, description="The break's length in minutes.", examples=[15, 45])
    title: str = Field("Paus", description="What the agenda calls it.", examples=["Fika", "Lunch"])


class Track(Strict):
    """A version of the course for some audiences, with a time budget."""

    id: Identifier = Field(description="Stable id.", examples=["grund", "hela", "ledning"])
    name: str = Field(
        description="The track's name, on the title slide.",
        examples=["Grundkurs (cirka 90 minuter)", "Hela kursen (en heldag)"],
    )
    audiences: list[Identifier] = Field(
        min_length=1,
        description="The audiences that get this track; each audience is in exactly one track.",
        examples=[["forskola", "bvc", "vardcentral"]],
    )
    budget: int = Field(
        gt=0,
        le=960,
        description="Most minutes the track may take, breaks and a district's local part included.",
        examples=[100, 330],
    )
    start: str | None = Field(
        None,
        pattern=r"^([01]\d|2[0-3])\.[0-5]\d$",
        description="Clock time the agenda starts, e.g. 13.00; without it, minutes from the start.",
        examples=["13.00", "09.00"],
    )
    welcome: int = Field(10, ge=0, le=60, description="Minutes for the welcome and the agenda.", examples=[10])
    closing: int = Field(
        5, ge=0, le=60, description="Minutes for questions and the evaluation at the end.", examples=[5, 10]
    )
    modules: list[TrackModule] = Field(
        min_length=1,
        description="The modules in the track, in the course's order, with their minutes here.",
        examples=[[{"module": "inledning", "minutes": 15}, {"module": "samtycke", "minutes": 15, "quiz": []}]],
    )
    breaks: list[Break] = Field(
        default_factory=list,
        description="Pauses in the schedule, each after a module.",
        examples=[[{"after": "malgrupp-och-syfte", "minutes": 15, "title": "Fika"}]],
    )

    @property
    def minutes(self) -> int:
        """Everything the schedule holds: welcome, modules, breaks and closing."""
        return self.welcome + sum(m.minutes for m in self.modules) + sum(b.minutes for b in self.breaks) + self.closing


class Course(Strict):
    """``curriculum/course.yaml``: the course, its audiences and module order."""

    id: Identifier = Field(description="The course's id.", examples=["samverkan-barn-unga"])
    title: str = Field(
        description="The course's title, on every title slide and cover.",
        examples=["Samverkan kring barn och unga i Västra Götaland"],
    )
    subtitle: str | None = Field(
        None,
        description="A line under the title.",
        examples=["Från Västbus till Samverkan för barns och ungas hälsa och SIP"],
    )
    version: str = Field(
        pattern=r"^\d+\.\d+(\.\d+)?$",
        description="The course version (1.0 or 1.0.0), stamped in every pack; quote it in YAML.",
        examples=["1.0.0"],
    )
    built_on: Identifier = Field(
        description="The guideline edition the course was written against; moves once every module has.",
        examples=["bou-halsa-2023"],
    )
    owner: str = Field(
        description="Who is responsible for the course.",
        examples=["Temagrupp Barn och unga, Göteborgsområdet"],
    )
    audiences: list[Audience] = Field(
        min_length=1,
        description="The professional groups the course is given to; a pack is built for each.",
        examples=[[{"id": "forskola", "name": "Förskola"}, {"id": "bvc", "name": "Barnavårdscentral (BVC)"}]],
    )
    modules: list[Identifier] = Field(
        min_length=1,
        description="Module ids in teaching order; each has a file curriculum/modules/<id>.yaml.",
        examples=[["inledning", "organisation", "malgrupp-och-syfte", "samtycke"]],
    )
    tracks: list[Track] = Field(
        default_factory=list,
        description="Versions of the course per audience. Default: every module for everyone.",
        examples=[
            [
                {
                    "id": "grund",
                    "name": "Grundkurs (cirka 90 minuter)",
                    "audiences": ["forskola", "bvc", "vardcentral"],
                    "budget": 100,
                    "modules": [{"module": "inledning", "minutes": 6}],
                }
            ]
        ],
    )
    material: str | None = Field(
        None,
        description="Where trainers and participants find the material; on the closing slide.",
        examples=["Kursmaterialet finns i kursmappen hos områdets utbildningsansvariga."],
    )
    contact_route: list[str] = Field(
        default_factory=list,
        description="Whom participants turn to while their district's contacts are not confirmed: the "
        "municipality's general route, one line each. Shown on the local contacts slide, the closing slide and "
        "in the handout in place of contacts the district has not confirmed.",
        examples=[["Fråga din chef vilken rutin för SIP som gäller på din arbetsplats."]],
    )
    evaluation: str | None = Field(
        None,
        description="How participants evaluate the course; on the closing slide.",
        examples=["Fyll i utvärderingen som utbildaren delar ut."],
    )
    news: list[str] = Field(
        default_factory=list,
        description="What is new in this version, one line each: 'Nytt i denna version' in the trainer guide "
        "and on the site. 'vastbus changes OLD . --format news' proposes the lines.",
        examples=[["Samtycke och barnets röst: 1 ändrad bild."]],
    )
