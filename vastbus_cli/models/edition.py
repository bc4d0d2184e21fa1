"""Guideline editions: ``guidelines/<id>.yaml``, with sections, crosswalk, terms and claims."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from vastbus_cli.models.common import Identifier, PartialDate, Regex, Strict


class EditionKind(StrEnum):
    """Whether an edition is a set of guidelines or a formal agreement."""

    RIKTLINJER = "riktlinjer"
    OVERENSKOMMELSE = "överenskommelse"


class Decision(Strict):
    """A body that adopted an edition, and when."""

    by: str
    on: PartialDate | None = None
    unverified: str | None = Field(None, description="Why this decision is not confirmed.")


class Source(Strict):
    """A public source the edition's facts were taken from."""

    key: str = Field(description="Key in domain/vastbus-facts.md, e.g. S6.")
    url: str
    title: str


class Basis(StrEnum):
    """What a section's rules rest on: the edition's own text, or something taught beside it."""

    RIKTLINJER = "riktlinjer"
    OVERENSKOMMELSE = "överenskommelse"
    SIP_RIKTLINJE = "sip-riktlinje"
    STODMATERIAL = "stödmaterial"
    LAG = "lag"
    RUTIN = "rutin"


#: How the course names each basis in running text ("enligt …") and in the reference list.
BASIS_NAMES: dict[Basis, str] = {
    Basis.RIKTLINJER: "riktlinjerna",
    Basis.OVERENSKOMMELSE: "överenskommelsen",
    Basis.SIP_RIKTLINJE: "SIP-riktlinjen",
    Basis.STODMATERIAL: "stödmaterial",
    Basis.LAG: "lag",
    Basis.RUTIN: "rutin",
}


class SectionUpdate(Strict):
    """Something that changed around a section after its edition was adopted, such as a new law.

    Kept apart from the section's text so the snapshot of an edition says only what
    it said when it was adopted.
    """

    on: PartialDate
    text: str = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    unverified: str | None = None


class Section(Strict):
    """A content area of an edition, paraphrased, with a stable id."""

    id: Identifier
    number: str | None = Field(None, description="Display number where the source gives one.")
    title: str
    summary: str
    key_points: list[str] = Field(default_factory=list)
    basis: list[Basis] | None = Field(
        None,
        min_length=1,
        description="What the section rests on when it is not the edition's own text "
        "(stödmaterial, lag, sip-riktlinje …). Default: the edition's kind.",
    )
    sources: list[str] = Field(default_factory=list, description="Source keys, e.g. [S6, S7].")
    unverified: str | None = Field(None, description="What in this section is not confirmed.")
    updates: list[SectionUpdate] = Field(
        default_factory=list, description="Changes around the section after the edition was adopted."
    )


class ChangeKind(StrEnum):
    """How a section changed from the superseded edition (ordered by impact)."""

    UNCHANGED = "unchanged"
    EDITORIAL = "editorial"
    RENAMED = "renamed"
    NEW = "new"
    SUBSTANTIVE = "substantive"
    SPLIT = "split"
    MERGED = "merged"
    #: The section is not in this edition's snapshot and nobody knows whether the new text
    #: still says it: the sources do not show. Never guess ``withdrawn``.
    UNVERIFIED = "unverified"
    WITHDRAWN = "withdrawn"


#: Change kinds after which material citing the section must be reviewed by a person.
NEEDS_REVIEW = frozenset(
    {ChangeKind.SUBSTANTIVE, ChangeKind.SPLIT, ChangeKind.MERGED, ChangeKind.UNVERIFIED, ChangeKind.WITHDRAWN}
)
#: Change kinds whose ``section`` names the old section, which is not in the new edition.
GONE = frozenset({ChangeKind.WITHDRAWN, ChangeKind.UNVERIFIED})


class Change(Strict):
    """One crosswalk entry from the superseded edition to this one.

    ``section`` names the section in *this* edition, except for ``withdrawn``,
    ``unverified`` and ``split``, where it names the old section that is not in this one.
    """

    section: Identifier
    change: ChangeKind
    from_: Identifier | list[Identifier] | None = Field(None, alias="from")
    into: list[Identifier] | None = None
    note: str | None = None
    unverified: str | None = None


class Term(Strict):
    """Wording that became outdated in this edition, and what to say instead."""

    id: Identifier
    term: str = Field(description="The outdated wording as people write it.")
    pattern: Regex | None = Field(None, description="Regex (case-insensitive); default: the term.")
    replacement: str
    since: PartialDate | None = Field(None, description="When it became outdated, if not this edition.")
    severity: Literal["error", "warning"] = "error"
    note: str | None = None
    sources: list[str] = Field(default_factory=list)


class Examples(Strict):
    """Sentences a rule must match (``match``) and must leave alone (``ignore``)."""

    match: list[str] = Field(min_length=1)
    ignore: list[str] = Field(min_length=1)


class ClaimGroup(Strict):
    """Concepts that together state the misconception, and how close they must be."""

    all: list[str] = Field(min_length=1, description="Concept names that must all occur.")
    within: int | None = Field(
        None, ge=1, le=60, description="At most this many words from the first to the last; default: one sentence."
    )
    ordered: bool = Field(False, description="The concepts occur in the order listed.")
    negated: bool | str = Field(
        False,
        description="The misconception is a negative statement ('samtycke behövs inte'): true requires a negation "
        "near the words; a concept name requires one governing that concept ('ingen SIP').",
    )
    unless: list[str] = Field(
        default_factory=list, description="Concepts that turn the group off anywhere in the sentence ('förr')."
    )


def _group(value: object) -> object:
    """A bare list of concept names is a group with the defaults."""
    return {"all": value} if isinstance(value, list) else value


class Claim(Strict):
    """A misconception, how to spot it in Swedish text, and the correct statement.

    Spotting is done with ``concepts`` (word sets, compared by stem; ``*`` matches the
    written word) combined by ``when`` groups within a sentence, a negation turning a
    group off; ``patterns`` (regexes) may be added for fixed phrases.
    """

    id: Identifier
    misconception: str
    concepts: dict[str, list[str]] = Field(
        default_factory=dict, description="Named word sets, e.g. bara: [bara, endast, enbart]."
    )
    when: list[Annotated[ClaimGroup, BeforeValidator(_group)]] = Field(
        default_factory=list, description="Groups of concepts that state the misconception."
    )
    patterns: list[Regex] = Field(default_factory=list, description="Regexes, case-insensitive.")
    correct: str
    sections: list[Identifier] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    severity: Literal["error", "warning"] = "error"
    examples: Examples
    unverified: str | None = None

    @model_validator(mode="after")
    def _concepts_resolve(self) -> Claim:
        if not self.patterns and not self.when:
            raise ValueError("a claim needs 'when' groups of concepts, or 'patterns'")
        for name, terms in self.concepts.items():
            if not [term for term in terms if term.strip().strip("*")]:
                raise ValueError(f"concept '{name}' has no words")
        for group in self.when:
            if isinstance(group.negated, str) and group.negated not in group.all:
                raise ValueError(f"'negated: {group.negated}' must name one of the group's concepts {group.all}")
            named = [*group.all, *group.unless]
            unknown = [name for name in named if name not in self.concepts]
            if unknown:
                raise ValueError(
                    f"'when' names unknown concepts {', '.join(unknown)}; known: {', '.join(self.concepts)}"
                )
        return self


class Edition(Strict):
    """One guideline edition: ``guidelines/<id>.yaml``."""

    id: Identifier
    title: str
    short_title: str
    kind: EditionKind
    adopted_by: list[Decision] = Field(min_length=1)
    adopted: PartialDate | None = None
    valid_from: PartialDate
    supersedes: Identifier | None = None
    sources: list[Source] = Field(min_length=1)
    summary: str
    unverified: list[str] = Field(default_factory=list)
    markers: list[Regex] = Field(
        default_factory=list, description="Text that names this edition in other people's files."
    )
    sections: list[Section] = Field(min_length=1)
    changes: list[Change] = Field(default_factory=list)
    terms: list[Term] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
