"""Pydantic models of every YAML file kind in a workspace.

The models only describe shape and single-field rules. Anything that needs a
second file (does this section exist, is this edition current) lives in
``checks.py``. Unknown keys are forbidden everywhere so a typo is a finding,
never silently ignored data.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

#: Lower-case Latin letters including å, ä, ö, é and ü, digits and dashes.
ID_PATTERN = r"^[a-z0-9à-öø-ÿ][a-z0-9à-öø-ÿ-]*$"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

Identifier = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        description="A stable id: lower-case letters (å, ä, ö, é allowed), digits and dashes.",
    ),
]


def _partial_date(value: object) -> str:
    """Accept 2021, "2023-01" or 2021-01-01 and return the canonical text form."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year or 1, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a valid date ({error})") from None
    return text


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    Field(description="A date known to a year (2012), a month (2023-01) or a day (2021-01-01)."),
]


def earliest_day(partial: str) -> dt.date:
    """Return the first day a partial date can mean: "2023-01" is 2023-01-01."""
    parts = [int(part) for part in partial.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _full_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date; write YYYY-MM-DD") from None


FullDate = Annotated[dt.date, BeforeValidator(_full_date)]


def _valid_regex(pattern: str) -> str:
    # Imported here because textrules imports this module. Compiled as textrules matches it,
    # so the rules later take it from regex's cache.
    from vastbus_cli.textrules import PatternError, compile_pattern

    try:
        compile_pattern(pattern)
    except PatternError as error:
        raise ValueError(f"invalid regular expression: {error}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- guideline editions -----------------------------------------------------------


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


# --- curriculum -------------------------------------------------------------------


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


class Area(StrEnum):
    """The three areas the districts asked the training to cover."""

    ORGANISATION = "organisation"
    FUNKTION = "funktion"
    PRAKTISKT_ARBETE = "praktiskt-arbete"


class Misconception(Strict):
    """A misconception a trainer should expect, and how to answer it."""

    claim: Identifier
    answer: str


class Module(Strict):
    """One teaching module: ``curriculum/modules/<id>.yaml``."""

    id: Identifier
    title: str
    area: Area
    built_on: Identifier
    minutes: int = Field(gt=0, le=480)
    audiences: list[Identifier] | None = Field(None, description="Default: every audience.")
    objectives: list[str] = Field(min_length=1)
    slides: list[Slide] = Field(min_length=1)
    quiz: list[QuizItem] = Field(default_factory=list)
    misconceptions: list[Misconception] = Field(default_factory=list)
    diagrams: list[Diagram] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list, description="Filled-in example documents for the handout.")
    tracker: Identifier | None = Field(
        None, description="A steps diagram drawn small on every slide with a 'step', that step highlighted."
    )


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
