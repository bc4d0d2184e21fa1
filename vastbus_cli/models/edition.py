"""Guideline editions: ``guidelines/<id>.yaml``, with sections, crosswalk, terms and claims."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from vastbus_cli.i18n import _
from vastbus_cli.models.common import Identifier, PartialDate, Regex, SourceKeys, Strict, Unverified
from vastbus_cli.models.laws import Law


class EditionKind(StrEnum):
    """Whether an edition is a set of guidelines or a formal agreement."""

    RIKTLINJER = "riktlinjer"
    OVERENSKOMMELSE = "överenskommelse"


class Decision(Strict):
    """A body that adopted an edition, and when."""

    by: str = Field(
        description="The body that adopted the edition, as the sources name it.",
        examples=["Västra Götalandsregionen och kommunerna i Västra Götaland", "VästKoms styrelse"],
    )
    on: PartialDate | None = Field(
        None, description="When it was decided: a year, a month or a day.", examples=["2020-11-03", "2023-01"]
    )
    unverified: Unverified = Field(
        None,
        description="Why this decision is not confirmed.",
        examples=["Exakt beslutsdag och beslutande organ för justeringen är inte hämtade."],
    )


class Source(Strict):
    """A public source the edition's facts were taken from."""

    key: str = Field(description="Key in domain/vastbus-facts.md, e.g. S6.", examples=["S6", "S7"])
    url: str = Field(
        description="Where the source is published.",
        examples=["https://www.vardsamverkan.se/omraden/samordnad-individuell-plan-sip/"],
    )
    title: str = Field(
        description="The source's title, as listed in the packs' references.",
        examples=["Överenskommelsen är klar, gäller från 1 januari 2021", "Vårdsamverkan Västra Götaland: SIP"],
    )


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

    on: PartialDate = Field(
        description="When the change took effect: a year, a month or a day.", examples=["2025-07-01", "2016-06"]
    )
    text: str = Field(
        min_length=1,
        description="What changed, in Swedish.",
        examples=["En ny socialtjänstlag ersatte socialtjänstlagen (2001:453) den 1 juli 2025 (prop. 2024/25:89)."],
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S18"], ["S25", "S26"]])
    unverified: Unverified = None


class Section(Strict):
    """A content area of an edition, paraphrased, with a stable id."""

    id: Identifier = Field(
        description="Stable id, kept across editions; refs and crosswalks name it.",
        examples=["samtycke", "malgrupp", "sip-process"],
    )
    number: str | None = Field(None, description="Display number where the source gives one.", examples=["1", "3"])
    title: str = Field(description="The section's title, in Swedish.", examples=["Målgrupp", "Parter och ansvar"])
    summary: str = Field(
        description="What the section says, paraphrased in Swedish; part of its fingerprint.",
        examples=[
            "Överenskommelsen gäller alla barn och unga 0–20 år som behöver samordnade insatser "
            "och tvärprofessionell kompetens."
        ],
    )
    key_points: list[str] = Field(
        default_factory=list,
        description="The section's main points, one sentence each; part of its fingerprint.",
        examples=[["Barn och unga till och med 20 år.", "Tidiga insatser prioriteras."]],
    )
    basis: list[Basis] | None = Field(
        None,
        min_length=1,
        description="What the section rests on when it is not the edition's own text "
        "(stödmaterial, lag, sip-riktlinje …). Default: the edition's kind.",
        examples=[["lag"], ["sip-riktlinje", "stödmaterial"]],
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S6", "S7", "S27"]])
    unverified: Unverified = Field(
        None,
        description="What in this section is not confirmed.",
        examples=["Hur Temagrupp Barn och unga och de lokala grupperna ser ut efter 2021 är inte verifierat (F13)."],
    )
    updates: list[SectionUpdate] = Field(
        default_factory=list,
        description="Changes around the section after the edition was adopted, such as a new law.",
        examples=[
            [
                {
                    "on": "2016-06",
                    "text": "Den länsövergripande styrgruppen för Västbus upplöstes i juni 2016 "
                    "i väntan på en ny struktur.",
                    "sources": ["S25", "S26"],
                }
            ]
        ],
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

    section: Identifier = Field(
        description="The section in this edition; for withdrawn, unverified and split, the old section.",
        examples=["malgrupp", "placerade-barn"],
    )
    change: ChangeKind = Field(description="How the section changed.", examples=["substantive", "split"])
    from_: Identifier | list[Identifier] | None = Field(
        None,
        alias="from",
        description="renamed and merged: the old section id or ids.",
        examples=[["placering", "familjehemsplacerade"], "regional-styrgrupp"],
    )
    into: list[Identifier] | None = Field(
        None,
        description="split: the sections of this edition the old one became.",
        examples=[["organisation", "avvikelser"]],
    )
    note: str | None = Field(
        None,
        description="What changed, in Swedish; shown by vastbus diff.",
        examples=["I 2012 års riktlinjer låg parterna under avsnitt 2 (målgrupp och ansvar)."],
    )
    unverified: Unverified = Field(
        None,
        description="What about this change is not confirmed; required for change: unverified.",
        examples=["Om informationsskyldigheten finns kvar i 2021 års text är inte verifierat."],
    )


class Term(Strict):
    """Wording that became outdated in this edition, and what to say instead."""

    id: Identifier = Field(
        description="Stable id; a slide's discusses names it to quote the term on purpose.",
        examples=["vastbusmote", "vastbus-riktlinjer"],
    )
    term: str = Field(
        description="The outdated wording as people write it.", examples=["Västbusmöte", "Västbus riktlinjer"]
    )
    pattern: Regex | None = Field(
        None,
        description="Regex (case-insensitive); default: the term.",
        examples=["västbus-?möte\\w*", "västbus[-\\s]?(mall|blankett)\\w*"],
    )
    replacement: str = Field(description="What to say instead.", examples=["SIP-möte", "SIP-mall"])
    since: PartialDate | None = Field(
        None, description="When it became outdated, if not this edition.", examples=["2021-04-01", "2016-06"]
    )
    severity: Literal["error", "warning"] = Field(
        "error", description="How check reports the term: error (default) or warning.", examples=["warning"]
    )
    note: str | None = Field(
        None,
        description="Why the term is outdated; shown with the finding.",
        examples=["SIP-mallar ersätter Västbus-mallar från 2021."],
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S9", "S32"]])


class Examples(Strict):
    """Sentences a rule must match (``match``) and must leave alone (``ignore``)."""

    match: list[str] = Field(
        min_length=1,
        description="Sentences that state the misconception; the claim must match each.",
        examples=[["Västbus är bara för de mest komplexa fallen.", "SIP används endast vid mycket svåra ärenden."]],
    )
    ignore: list[str] = Field(
        min_length=1,
        description="Correct sentences with the same words; the claim must match none.",
        examples=[["SIP är inte bara för de mest komplexa fallen – tidiga insatser kommer först."]],
    )


class ClaimGroup(Strict):
    """Concepts that together state the misconception, and how close they must be."""

    all: list[str] = Field(min_length=1, description="Concept names that must all occur.", examples=[["bara", "svar"]])
    within: int | None = Field(
        None,
        ge=1,
        le=60,
        description="At most this many words from the first to the last; default: one sentence.",
        examples=[10, 8],
    )
    ordered: bool = Field(False, description="The concepts occur in the order listed.", examples=[True])
    negated: bool | str = Field(
        False,
        description="The misconception is a negative statement ('samtycke behövs inte'): true requires a negation "
        "near the words; a concept name requires one governing that concept ('ingen SIP').",
        examples=[True, "sip"],
    )
    unless: list[str] = Field(
        default_factory=list,
        description="Concepts that turn the group off anywhere in the sentence ('förr').",
        examples=[["aven"], ["forr"]],
    )


def _group(value: object) -> object:
    """A bare list of concept names is a group with the defaults."""
    return {"all": value} if isinstance(value, list) else value


#: What an editor may write for a group: the mapping, or the bare list of concept names.
_GroupInput = ClaimGroup | Annotated[list[str], Field(min_length=1)]


class Claim(Strict):
    """A misconception, how to spot it in Swedish text, and the correct statement.

    Spotting is done with ``concepts`` (word sets, compared by stem; ``*`` matches the
    written word) combined by ``when`` groups within a sentence, a negation turning a
    group off; ``patterns`` (regexes) may be added for fixed phrases.
    """

    id: Identifier = Field(
        description="Stable id; modules' misconceptions and slides' discusses name it.",
        examples=["bara-komplexa-fall", "mote-utan-samtycke"],
    )
    misconception: str = Field(
        description="The misconception, as a trainer would hear it.",
        examples=["Västbus/SIP är bara till för de mest komplexa och svåra fallen."],
    )
    concepts: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named word sets, compared by Swedish stem; * matches the written word, several words a phrase.",
        examples=[{"bara": ["bara", "endast", "enbart"], "svar": ["komplex*", "svår*"]}],
    )
    when: list[Annotated[ClaimGroup, BeforeValidator(_group, json_schema_input_type=_GroupInput)]] = Field(
        default_factory=list,
        description="Groups of concepts that state the misconception in one sentence; a bare list is a group "
        "with the defaults.",
        examples=[[{"all": ["bara", "svar"], "within": 10}, ["forum"]]],
    )
    patterns: list[Regex] = Field(
        default_factory=list,
        description="Regexes, case-insensitive, for fixed phrases.",
        examples=[["västbus[-\\s]?(mall|blankett)\\w*"]],
    )
    correct: str = Field(
        description="The correct statement, given as the finding's hint.",
        examples=["Överenskommelsen gäller alla barn och unga 0–20 år som behöver samordnade insatser."],
    )
    sections: list[Identifier] = Field(
        min_length=1,
        description="The sections of this edition that say what is correct.",
        examples=[["malgrupp", "syfte"], ["samtycke"]],
    )
    sources: SourceKeys = Field(default_factory=list, examples=[["S11", "S15", "S39"]])
    severity: Literal["error", "warning"] = Field(
        "error", description="How check reports the claim: error (default) or warning.", examples=["warning"]
    )
    examples: Examples = Field(
        description="Sentences the claim must match and must leave alone; checked on every run.",
        examples=[
            {
                "match": ["Västbus är bara för de mest komplexa fallen."],
                "ignore": ["Även komplexa fall kan börja med en SIP."],
            }
        ],
    )
    unverified: Unverified = Field(
        None,
        examples=["Stödet för rollfördelningen är nationellt (SKR), inte den regionala texten."],
    )
    quizzed: bool = Field(
        False,
        description="Every track asks at least one quiz question that corrects it (a question whose "
        "discusses names the claim): for the misconceptions the districts asked the course to correct.",
        examples=[True],
    )

    @model_validator(mode="after")
    def _concepts_resolve(self) -> Claim:
        if not self.patterns and not self.when:
            raise ValueError(_("a claim needs 'when' groups of concepts, or 'patterns'"))
        for name, terms in self.concepts.items():
            if not [term for term in terms if term.strip().strip("*")]:
                raise ValueError(_("concept '{name}' has no words").format(name=name))
        for group in self.when:
            if isinstance(group.negated, str) and group.negated not in group.all:
                raise ValueError(
                    _("'negated: {negated}' must name one of the group's concepts {concepts}").format(
                        negated=group.negated, concepts=group.all
                    )
                )
            named = [*group.all, *group.unless]
            unknown = [name for name in named if name not in self.concepts]
            if unknown:
                raise ValueError(
                    _("'when' names unknown concepts {unknown}; known: {known}").format(
                        unknown=", ".join(unknown), known=", ".join(self.concepts)
                    )
                )
        return self


class Edition(Strict):
    """One guideline edition: ``guidelines/<id>.yaml``.

    Its sections (paraphrased, with stable ids), the crosswalk from the edition it
    supersedes, the wording it made outdated and the misconceptions to catch.
    """

    id: Identifier = Field(
        description="The edition's id, also its file name; material's built_on and refs name it.",
        examples=["bou-halsa-2023", "vastbus-2012"],
    )
    title: str = Field(
        description="The full title, as the document is called.",
        examples=[
            "Samverkan för barns och ungas hälsa – överenskommelse mellan Västra Götalands kommuner och "
            "Västra Götalandsregionen, justerad januari 2023, med Riktlinje för Samordnad individuell plan (SIP)"
        ],
    )
    short_title: str = Field(
        description="A short name for footers, lists and diagrams.",
        examples=["Samverkan för barns och ungas hälsa (justerad 2023)", "Västbus riktlinjer 2012"],
    )
    kind: EditionKind = Field(description="Guidelines or a formal agreement.", examples=["överenskommelse"])
    adopted_by: list[Decision] = Field(
        min_length=1,
        description="Who adopted the edition, and when.",
        examples=[[{"by": "VästKoms styrelse", "on": "2005-03-17"}]],
    )
    adopted: PartialDate | None = Field(
        None, description="When the edition was adopted: a year, a month or a day.", examples=["2023-01", 2012]
    )
    valid_from: PartialDate = Field(
        description="When the edition took effect; the current edition is the latest valid on the day.",
        examples=["2021-01-01", "2023-01", 2012],
    )
    supersedes: Identifier | None = Field(
        None, description="The edition this one replaces.", examples=["bou-halsa-2021", "vastbus-2005"]
    )
    sources: list[Source] = Field(
        min_length=1,
        description="The public sources the edition's facts were taken from.",
        examples=[
            [
                {
                    "key": "S8",
                    "url": "https://www.vardsamverkan.se/nyhetsarkiv/nyhetsarkiv-2020/reviderad-riktlinje-klar/",
                    "title": "Reviderad SIP-riktlinje klar (3 november 2020)",
                }
            ]
        ],
    )
    summary: str = Field(
        description="What the edition is, in Swedish, for the packs and vastbus editions.",
        examples=[
            "Från 1 januari 2021 ersätter överenskommelsen Samverkan för barns och ungas hälsa de tidigare "
            "riktlinjerna (Västbus riktlinjer)."
        ],
    )
    unverified: list[str] = Field(
        default_factory=list,
        description="What about the edition as a whole the sources do not confirm.",
        examples=[["Exakt datum i januari 2023 är inte verifierat; giltighet räknas från 1 januari 2023."]],
    )
    markers: list[Regex] = Field(
        default_factory=list,
        description="Regexes (case-insensitive) for text that names this edition in other people's files.",
        examples=[["justera\\w*\\s+(i\\s+)?januari\\s+2023"], ["samverkan för barns och ungas hälsa"]],
    )
    sections: list[Section] = Field(
        min_length=1,
        description="The edition's content areas, paraphrased: a snapshot of what it said when adopted.",
        examples=[
            [
                {
                    "id": "malgrupp",
                    "title": "Målgrupp",
                    "summary": "Överenskommelsen gäller alla barn och unga 0–20 år som behöver samordnade insatser "
                    "och tvärprofessionell kompetens.",
                    "key_points": ["Barn och unga till och med 20 år."],
                    "sources": ["S3", "S4", "S6", "S7"],
                }
            ]
        ],
    )
    changes: list[Change] = Field(
        default_factory=list,
        description="The crosswalk from the superseded edition: how each affected section changed.",
        examples=[[{"section": "placerade-barn", "change": "substantive", "note": "…"}]],
    )
    terms: list[Term] = Field(
        default_factory=list,
        description="Wording outdated from this edition on, and what to say instead.",
        examples=[[{"id": "vastbusmote", "term": "Västbusmöte", "replacement": "SIP-möte"}]],
    )
    laws: list[Law] = Field(
        default_factory=list,
        description="Laws the course cites that stopped applying: a text citing one as current is an error.",
        examples=[
            [
                {
                    "id": "sol-2001-453",
                    "name": "Socialtjänstlagen (2001:453)",
                    "cited": ["2001:453"],
                    "valid_until": "2025-06-30",
                    "replaced_by": "socialtjänstlagen (2025:400)",
                }
            ]
        ],
    )
    vocabulary: dict[Identifier, list[str]] = Field(
        default_factory=dict,
        description="Word sets declared once and named in any claim's concepts as '@name' (the meeting, "
        "serious cases, the organisations): written like a concept's terms. Later editions inherit them and "
        "may redefine one by its name.",
        examples=[{"mote": ["möte*", "*möte*", "nätverksmöte*"], "allvarlig": ["allvarlig*", "svår*", "tung*"]}],
    )
    claims: list[Claim] = Field(
        default_factory=list,
        description="Misconceptions to catch in any text; later editions inherit them.",
        examples=[
            [
                {
                    "id": "bara-komplexa-fall",
                    "misconception": "Västbus/SIP är bara till för de mest komplexa och svåra fallen.",
                    "concepts": {"bara": ["bara", "endast", "enbart"], "svar": ["komplex*", "svår*"]},
                    "when": [{"all": ["bara", "svar"], "within": 10}],
                    "correct": "Överenskommelsen gäller alla barn och unga 0–20 år som behöver samordnade insatser.",
                    "sections": ["malgrupp", "syfte"],
                    "examples": {
                        "match": ["Västbus är bara för de mest komplexa fallen."],
                        "ignore": ["Även komplexa fall kan börja med en SIP."],
                    },
                }
            ]
        ],
    )
