"""The course: ``curriculum/course.yaml``, with its audiences, module order and tracks."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict


class Audience(Strict):
    """A professional group the course is given to."""

    id: Identifier
    name: str
    description: str | None = None
    checklist: list[str] = Field(
        default_factory=list, description="What this group does in practice; the handout's checklist."
    )


class TrackModule(Strict):
    """A module as a track teaches it: its minutes there, and which slides and questions."""

    module: Identifier
    minutes: int = Field(gt=0, le=480)
    slides: list[Identifier] | None = Field(None, description="Slide ids, in the module's order. Default: all.")
    quiz: list[Identifier] | None = Field(None, description="Quiz item ids. Default: all; [] for none.")


class Break(Strict):
    """A pause in the schedule, after a module."""

    after: Identifier
    minutes: int = Field(gt=0, le=120)
    title: str = "Paus"


class Track(Strict):
    """A version of the course for some audiences, with a time budget."""

    id: Identifier
    name: str
    audiences: list[Identifier] = Field(min_length=1)
    budget: int = Field(gt=0, le=960, description="Most minutes the track may take, breaks included.")
    start: str | None = Field(
        None, pattern=r"^([01]\d|2[0-3])\.[0-5]\d$", description="Clock time the agenda starts, e.g. 13.00."
    )
    welcome: int = Field(10, ge=0, le=60, description="Minutes for the welcome and the agenda.")
    closing: int = Field(5, ge=0, le=60, description="Minutes for questions and the evaluation at the end.")
    modules: list[TrackModule] = Field(min_length=1)
    breaks: list[Break] = Field(default_factory=list)

    @property
    def minutes(self) -> int:
        """Everything the schedule holds: welcome, modules, breaks and closing."""
        return self.welcome + sum(m.minutes for m in self.modules) + sum(b.minutes for b in self.breaks) + self.closing


class Course(Strict):
    """``curriculum/course.yaml``: the course, its audiences and module order."""

    id: Identifier
    title: str
    subtitle: str | None = None
    version: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$")
    built_on: Identifier
    owner: str
    audiences: list[Audience] = Field(min_length=1)
    modules: list[Identifier] = Field(min_length=1)
    tracks: list[Track] = Field(
        default_factory=list, description="Versions of the course per audience. Default: every module for everyone."
    )
    material: str | None = Field(None, description="Where trainers and participants find the material.")
    evaluation: str | None = Field(None, description="How participants evaluate the course.")
