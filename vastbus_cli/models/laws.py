"""Laws the course cites, with the days they applied: data for ``law/repealed``."""

from __future__ import annotations

from pydantic import Field

from vastbus_cli.models.common import Identifier, PartialDate, Regex, SourceKeys, Strict, Unverified


class Law(Strict):
    """A law (or one paragraph of it) that stopped applying, and how course text may still cite it.

    A text that cites the law must say that it applied until its end: the end date
    written out ("30 juni 2025"), or one of the ``historic`` phrases, in the same sentence.
    """

    id: Identifier = Field(
        description="Stable id; a slide's discusses names it to cite the law as current on purpose.",
        examples=["sol-2001-453"],
    )
    name: str = Field(description="The law as the course names it.", examples=["Socialtjänstlagen (2001:453)"])
    cited: list[Regex] = Field(
        min_length=1,
        description="Regexes (case-insensitive) for the ways a text cites the law or its paragraphs.",
        examples=[["2001:453", "\\bsol\\s*2\\s*kap\\.?\\s*7\\s*§"]],
    )
    valid_from: PartialDate | None = Field(
        None, description="When the law (or the cited paragraph) took effect.", examples=["2010-01-01"]
    )
    valid_until: PartialDate = Field(
        description="The last day it applied; from the next day a text must not cite it as current.",
        examples=["2025-06-30"],
    )
    replaced_by: str | None = Field(
        None,
        description="What replaced it, as the course names it.",
        examples=["socialtjänstlagen (2025:400)"],
    )
    historic: list[Regex] = Field(
        default_factory=list,
        description="Regexes for phrases that show a sentence cites the law as past (the end date written out "
        "in Swedish always counts).",
        examples=[["\\bgällde\\b", "\\bersattes\\b", "\\bden gamla socialtjänstlagen\\b"]],
    )
    note: str | None = Field(
        None,
        description="What to write instead; given as the finding's hint.",
        examples=["Skriv att paragrafen gällde 1 januari 2010–30 juni 2025."],
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S15", "S18"]])
    unverified: Unverified = Field(
        None,
        description="What about the law's successor is not confirmed, e.g. the corresponding paragraph.",
        examples=["Vilken paragraf i den nya socialtjänstlagen som motsvarar 2 kap. 7 § har inte hittats (F9)."],
    )
