"""The city areas and districts: ``curriculum/districts.yaml``."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import Identifier, Strict


class CityArea(Strict):
    """A city area (stadsområde) and the social-services committee responsible for it."""

    id: Identifier
    name: str
    committee: str | None = Field(None, description="The socialnämnd responsible for the area.")
    sources: list[str] = Field(default_factory=list)


class District(Strict):
    """A district that gives the training."""

    id: Identifier
    name: str
    area: Identifier | None = Field(None, description="Id of the city area the district lies in today.")
    committee: str | None = Field(None, description="The responsible committee, where it is not the area's.")
    note: str | None = None


class Districts(Strict):
    """``curriculum/districts.yaml``."""

    areas: list[CityArea] = Field(default_factory=list)
    districts: list[District] = Field(min_length=1)
