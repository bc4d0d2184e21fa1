"""Rules as data: every finding is made from a declared :class:`Rule`, never from a bare string.

A rule family (``quiz``, ``ref``, …) says how to fix its findings and how code scanning tags
them; each rule names its family, its usual severity (and any other it may have) and what
it means. The modules that emit findings declare their rules beside their checks (a
``RULES`` tuple at the top); :mod:`vastbus_cli.rulebook` gathers them into the catalogue
that SARIF's help, the README's rules table and the tests are made from.

Pure: imports only the findings and i18n (the texts are marked with ``N_`` and translated where shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_


@dataclass(frozen=True, slots=True)
class Family:
    """A rule family: the part of a rule id before the slash."""

    name: str
    #: How to fix a finding of the family (SARIF help, ``rulebook``).
    fix: str
    #: What kind of problem, as tags for code scanning.
    tags: tuple[str, ...] = ("structure",)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: its id, family, usual severity and meaning, as the rules table shows them."""

    id: str
    severity: Severity
    family: Family
    #: What a finding means; rules sharing a meaning share a row of the rules table.
    meaning: str
    #: Other severities a finding of this rule may have (e.g. a warning where little is at stake).
    also: tuple[Severity, ...] = ()
    #: A qualifier shown after the id in the rules table, e.g. "aliases expanding beyond reason".
    note: str = ""

    def __post_init__(self) -> None:
        family, _, name = self.id.partition("/")
        if family != self.family.name or not name:
            raise ValueError(f"rule id {self.id!r} is not of the family {self.family.name!r}")

    @property
    def fix(self) -> str:
        """How to fix a finding of this rule."""
        return self.family.fix

    @property
    def severities(self) -> tuple[Severity, ...]:
        """Every severity a finding of this rule may have, the usual one first."""
        return (self.severity, *self.also)

    def at(
        self,
        message: str,
        file: str,
        line: int = 0,
        column: int = 0,
        hint: str | None = None,
        *,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule; a severity the rule does not declare is a programming error."""
        chosen = self.severity if severity is None else severity
        if chosen not in self.severities:
            raise ValueError(f"rule {self.id} is not declared with severity {chosen.value}")
        return Finding(self.id, chosen, message, file, line, column, hint)


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# The families. Their fixes are what SARIF's help says under "How to fix it".
YAML = Family(
    "yaml",
    N_(
        "Make the file plain YAML: spaces instead of tabs, each key once, no tags or deep aliases. "
        "The finding names the line."
    ),
)
FILE = Family(
    "file",
    N_(
        "Save the file as UTF-8 text, restore it if it is missing, or replace a link, pipe or "
        "device with a regular file."
    ),
)
SCHEMA = Family(
    "schema",
    N_(
        "Use the fields the data format describes (README, Data formats): fix the misspelt key, "
        "add the missing one, or give the value the type shown. For schema/stale run vastbus "
        "schema in the workspace and commit the schemas; for schema/modeline make the file's first "
        "line name its kind's schema, as the hint shows."
    ),
)
ID = Family("id", N_("Give each item its own id; ids are lower case letters, digits and dashes."))
COURSE = Family("course", N_("List the module in curriculum/course.yaml, or add the module file it names."))
MODULE = Family("module", N_("Rename the module file after the module's id, or change the id to match the file."))
AUDIENCE = Family("audience", N_("Use an audience id the course declares."))
CLAIM = Family(
    "claim",
    N_(
        "Correct the text as the hint says. If the slide quotes the misconception in order to "
        "correct it, add the claim id to the slide's discusses list."
    ),
    ("content", "misconception"),
)
QUIZ = Family(
    "quiz",
    N_(
        "Ask each question once, give each right answer once, and spread the right answers over "
        "the positions. Start an explanation with the reason, not the answer; write wrong options "
        "someone could believe, as long and as specific as the right one; turn some yes/no "
        "statements around so that the wording does not give the answer."
    ),
    ("content", "quiz"),
)
LAW = Family(
    "law",
    N_(
        "Say that the law applied until its end date ('gällde 1 januari 2010–30 juni 2025'), and "
        "name what replaced it; mark what is not confirmed about the new law unverified, in the "
        "notes."
    ),
    ("content", "wording"),
)
XREF = Family(
    "xref",
    N_(
        "Move the pointer into the slide's see: list (module, slide, text, otherwise): the packs "
        "write it only where they teach the target. Name a module and slide that exist."
    ),
    ("content", "structure"),
)
HEDGE = Family(
    "hedge",
    N_(
        "Say on the slide what is known, plainly; move source hedges and instructions to the "
        "trainer into the speaker notes and the unverified fields."
    ),
    ("content", "wording"),
)
SLIDE = Family(
    "slide", N_("Give a quote slide its source, and give a content slide more than one short bullet or another layout.")
)
REF = Family(
    "ref",
    N_(
        "Check the text against the section in the edition in force; then run vastbus review "
        "(restamp) or vastbus upgrade, or cite the section that now says it."
    ),
    ("content", "traceability"),
)
EDITION = Family(
    "edition",
    N_("Move the material to the edition in force with vastbus upgrade after checking what changed (vastbus diff)."),
    ("content", "traceability"),
)
TERM = Family(
    "term",
    N_(
        "Use the current wording the hint gives; add the term id to discusses if the text quotes "
        "the old word on purpose."
    ),
    ("content", "wording"),
)
SPELLING = Family(
    "spelling",
    N_("Correct the word, or add it to curriculum/ordlista.txt if it is a real term."),
    ("content", "language"),
)
TEXT = Family(
    "text",
    N_("Write one full stop, one quotation mark on each side, and no space before punctuation."),
    ("content", "language"),
)
DISCUSSES = Family(
    "discusses", N_("Name an existing term or claim in discusses, or remove the entry the text no longer needs.")
)
PATTERN = Family("pattern", N_("Simplify the term's or claim's pattern: avoid nested repetition such as (\\w+\\s?)+."))
LOCAL = Family(
    "local",
    N_(
        "File the local addition under curriculum/local/<district or area>/, name exactly one of "
        "district: and area:, place it after a module the course has, and give local slides "
        "speaker notes."
    ),
)
DISTRICT = Family(
    "district", N_("Declare the area under areas: in curriculum/districts.yaml, or name one that is declared.")
)
SESSION = Family(
    "session",
    N_(
        "Record sessions with 'vastbus held PACK --date … --participants N', which takes the "
        "district, audience and edition from the pack; correct a hand-made record to name what the "
        "workspace has."
    ),
)
TRACK = Family(
    "track",
    N_(
        "Fit the track within its budget, name only material that exists, put each audience in one "
        "track, keep at least one slide or question that corrects each misconception, and a quiz "
        "question on each misconception marked quizzed."
    ),
)
DIAGRAM = Family(
    "diagram",
    N_("Name a diagram a module declares, give it the number of boxes its kind needs, and a step its tracker has."),
)
A11Y = Family(
    "a11y",
    N_("Give every slide a title and every picture a text alternative that says what it shows."),
    ("accessibility",),
)
PATH = Family("path", N_("Keep pictures inside the workspace, as PNG, JPEG or GIF files that exist."))
IMAGE = Family("image", N_("Replace the picture with one that opens and is under 40 megapixels."))
TEMPLATE = Family(
    "template",
    N_(
        "Restore the template from the repository (python templates/make_templates.py), or re-save "
        "it with the layouts, placeholders and styles the README lists."
    ),
    ("templates",),
)
GUIDELINE = Family(
    "guideline",
    N_(
        "Fix the guideline edition file: declare every change in the crosswalk, cite sections that "
        "exist, and make each claim match its own examples."
    ),
    ("guidelines",),
)
DESIGN = Family(
    "design",
    N_(
        "Make the slide say one thing: at most six bullets and forty words, a title of at most two "
        "lines, text that fits its box at 24 pt (titles 28 pt); move the rest to the speaker notes "
        "or the handout. Cut a track's slides to one per three minutes, and make its name say as "
        "many minutes as its agenda."
    ),
    ("content", "design"),
)
SURVEY = Family(
    "survey",
    N_(
        "Keep the knowledge survey in step with the course: an item that no longer matches gets a new id and "
        "the course's text (or is removed), a survey from an older edition is made again with vastbus survey "
        "make, and results name the survey, its items, districts and audiences as the workspace has them."
    ),
    ("content", "survey"),
)

FAMILIES: tuple[Family, ...] = (
    YAML,
    FILE,
    SCHEMA,
    ID,
    COURSE,
    MODULE,
    AUDIENCE,
    CLAIM,
    QUIZ,
    LAW,
    XREF,
    HEDGE,
    SLIDE,
    REF,
    EDITION,
    TERM,
    SPELLING,
    TEXT,
    DISCUSSES,
    PATTERN,
    LOCAL,
    DISTRICT,
    SESSION,
    TRACK,
    DIAGRAM,
    A11Y,
    PATH,
    IMAGE,
    TEMPLATE,
    GUIDELINE,
    DESIGN,
    SURVEY,
)

#: Meanings shared by rules of several modules.
UNRESOLVED = N_("a reference inside the curriculum does not resolve")
BAD_IMAGE_PATH = N_("an image path leaves the workspace, does not exist or is not a PNG, JPEG or GIF")

__all__ = ["BAD_IMAGE_PATH", "FAMILIES", "UNRESOLVED", "Family", "Rule"]
