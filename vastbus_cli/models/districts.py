"""The city areas and districts: ``curriculum/districts.yaml``."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import Identifier, SourceKeys, Strict


class CityArea(Strict):
    """A city area (stadsområde) and the social-services committee responsible for it."""

    id: Identifier = Field(
        description="Stable id, also the folder of the area's shared local additions (curriculum/local/<id>/).",
        examples=["nordost", "sydväst"],
    )
    name: str = Field(description="The area's name.", examples=["Nordost", "Hisingen"])
    committee: str | None = Field(
        None, description="The socialnämnd responsible for the area.", examples=["Socialnämnden Nordost"]
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S43", "S48"]])


class District(Strict):
    """A district that gives the training."""

    id: Identifier = Field(
        description="Stable id, also the folder name in curriculum/local/ and build/.",
        examples=["örgryte-härlanda", "angered", "västra-hisingen"],
    )
    name: str = Field(description="The district's name as people write it.", examples=["Örgryte-Härlanda", "Angered"])
    area: Identifier | None = Field(
        None,
        description="Id of the city area the district lies in today; none for another municipality.",
        examples=["nordost", "centrum"],
    )
    committee: str | None = Field(
        None,
        description="The responsible committee, where it is not the area's.",
        examples=["Socialnämnden Hisingen"],
    )
    note: str | None = Field(
        None,
        description="Anything worth knowing about the district's borders or history.",
        examples=["Ett industriområde mellan Säveån och E20 flyttades från Örgryte-Härlanda till Nordost."],
    )


class Districts(Strict):
    """``curriculum/districts.yaml``: the city areas and the districts that give the training."""

    areas: list[CityArea] = Field(
        default_factory=list,
        description="Göteborg's city areas (stadsområden) and their committees.",
        examples=[
            [{"id": "nordost", "name": "Nordost", "committee": "Socialnämnden Nordost", "sources": ["S43", "S48"]}]
        ],
    )
    districts: list[District] = Field(
        min_length=1,
        description="The districts that give the training; each gets its own packs.",
        examples=[[{"id": "angered", "name": "Angered", "area": "nordost"}]],
    )
