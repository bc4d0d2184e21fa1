"""Local additions: ``curriculum/local/<district or area>/<name>.yaml``."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict
from vastbus_cli.models.slides import Ref, Slide


class Contact(Strict):
    """Who to contact locally; verified says whether the district has confirmed it."""

    role: str
    organisation: str
    how: str
    verified: bool = False


class Routine(Strict):
    """A local routine, step by step."""

    id: Identifier
    title: str
    steps: list[str] = Field(min_length=1)
    notes: str | None = Field(None, description="Speaker notes for the routine's slide.")
    refs: list[Ref] = Field(default_factory=list)
    discusses: list[Identifier] = Field(default_factory=list)


class Example(Strict):
    """A local good example; ``share: true`` proposes it for the central course."""

    id: Identifier
    title: str
    summary: str
    share: bool = False
    refs: list[Ref] = Field(default_factory=list)
    discusses: list[Identifier] = Field(default_factory=list)


class LocalAddition(Strict):
    """``curriculum/local/<district or area>/<name>.yaml``: local additions.

    ``district`` names one district; ``area`` shares the addition with every district
    of a city area, written once.
    """

    district: Identifier | None = None
    area: Identifier | None = None
    built_on: Identifier
    title: str
    after: Identifier | None = Field(None, description="Module after which the slides go.")
    audiences: list[Identifier] | None = None
    minutes: int = Field(10, ge=0, le=120, description="Minutes the local part takes in the schedule.")
    contacts: list[Contact] = Field(default_factory=list)
    routines: list[Routine] = Field(default_factory=list)
    slides: list[Slide] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)
