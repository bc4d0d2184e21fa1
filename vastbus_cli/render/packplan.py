"""The plan of a pack as the writers read it: slides, document blocks, diagrams and the stamp.

Pure data, made by :mod:`vastbus_cli.render.plan` and drawn by one writer per format;
a writer needs nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Literal

from vastbus_cli import __version__
from vastbus_cli.diagramkinds import DiagramKind
from vastbus_cli.packs import CENTRAL
from vastbus_cli.render.memo import remember

AREA_NAMES = {"organisation": "Organisation", "funktion": "Funktion", "praktiskt-arbete": "Praktiskt arbete"}

SlideKind = Literal[
    "title",
    "agenda",
    "section",
    "content",
    "two-content",
    "quote",
    "quiz",
    "references",
    "local",
    "local-section",
    "closing",
    "break",
    "statement",
    "table",
    "case",
    "exercise",
    "takeaways",
]


@dataclass(frozen=True)
class Stamp:
    """What a built file says about itself (core and custom properties, footer)."""

    edition: str
    edition_title: str
    course_id: str
    course_title: str
    course_version: str
    district: str
    district_name: str
    audience: str
    audience_name: str
    date: dt.date
    #: When the edition became valid, as the edition gives it ("2023-01").
    edition_valid_from: str = ""
    tool_version: str = __version__

    @property
    def footer(self) -> str:
        """The visible stamp on every slide and page."""
        where = self.district_name if self.district != CENTRAL else "Central version"
        return f"{self.edition_title} · Kursversion {self.course_version} · {where} · {self.audience_name}"

    @property
    def dates(self) -> tuple[str, str]:
        """The two dates every part states, worded once: the edition and when it became valid; the material's date.

        The title slide and the documents' covers show them the same way (joined by " · "); the
        edition is named beside them, in every slide's and page's footer.
        """
        return (
            f"Utgåvan giltig från {self.edition_valid_from}",
            f"Materialet daterat {self.date.isoformat()}",
        )


@dataclass(frozen=True)
class PlanColumn:
    """One column of a two-column slide."""

    heading: str
    bullets: tuple[str, ...]


#: The heading over an exercise's debrief questions, drawn bold.
DEBRIEF = "Efteråt:"


@dataclass(frozen=True)
class PlanCase:
    """A case card: the person, what is seen, and the question put to the room."""

    person: str
    situation: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class PlanExercise:
    """An exercise: the task, its minutes and group size, and the questions to debrief it with."""

    task: str
    minutes: int
    group: str
    debrief: tuple[str, ...]

    @property
    def meta(self) -> str:
        """Minutes and group size, as the slide shows them."""
        return f"{self.minutes} minuter · {self.group}"


@dataclass(frozen=True)
class PlanImage:
    """A picture on a slide, with its alt text.

    ``path`` is absolute, for the writer to read; it is left out of the plan's repr
    (and so of its digest), which names the picture by ``rel``, its workspace-relative
    path, so that a moved or copied workspace plans the same packs.
    """

    path: str = field(repr=False)
    alt: str
    rel: str = ""


@dataclass(frozen=True)
class PlanDiagramItem:
    """One box of a diagram; ``members`` are the names listed inside it (an area's districts)."""

    label: str
    detail: str = ""
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanDiagram:
    """A diagram drawn as shapes.

    ``steps`` chevrons, ``levels`` stacked boxes, the ``editions`` timeline (label =
    year, detail = edition) or ``organisation`` (label = area, members = districts).
    ``highlight`` is the 1-based item to emphasise.
    """

    kind: DiagramKind
    title: str
    alt: str
    items: tuple[PlanDiagramItem, ...]
    highlight: int | None = None


@dataclass(frozen=True)
class PlanSlide:
    """One slide of a deck.

    ``table`` rows (the first is the header) are drawn as a table (agenda, contacts);
    ``numbered`` bullets are steps numbered by the paragraph format from ``start_at``; ``tracker`` is a
    small steps diagram with the current step highlighted; ``source`` names where a
    quote comes from.
    """

    number: int
    kind: SlideKind
    title: str
    bullets: tuple[str, ...] = ()
    columns: tuple[PlanColumn, ...] = ()
    notes: str = ""
    image: PlanImage | None = None
    local_label: str | None = None
    diagram: PlanDiagram | None = None
    tracker: PlanDiagram | None = None
    table: tuple[tuple[str, ...], ...] = ()
    numbered: bool = False
    start_at: int = 1
    source: str = ""
    #: Terms and claims the slide quotes on purpose; the built file records them so that
    #: ``scan`` does not count the quotes as evidence.
    discusses: tuple[str, ...] = ()
    case: PlanCase | None = None
    exercise: PlanExercise | None = None
    #: A takeaways slide's call to action, under its points.
    action: str = ""

    def parts(self) -> dict[int, tuple[str, ...]]:
        """The text of each body placeholder (by idx) of the slide's own layout, for the layouts with several.

        A statement, case, exercise and takeaways slide fills placeholders 1–3 of its layout; the
        writer draws these, the design rules measure them, and a template without the layout gets
        them one after another in a content slide's body (:meth:`lines`).
        """
        if self.case is not None:
            return {1: (self.case.person,), 2: self.case.situation, 3: (self.case.question,)}
        if self.exercise is not None:
            return {1: (self.exercise.task,), 2: (DEBRIEF, *self.exercise.debrief), 3: (self.exercise.meta,)}
        if self.kind == "takeaways":
            return {1: self.bullets, 2: (self.action,) if self.action else ()}
        return {1: self.bullets}

    def lines(self) -> tuple[str, ...]:
        """Every line of the slide's body text, in reading order (titles and tables aside)."""
        if self.columns:
            return tuple(line for column in self.columns for line in (column.heading, *column.bullets) if line)
        parts = self.parts()
        order = (1, 3, 2) if self.exercise is not None else sorted(parts)
        return tuple(line for idx in order for line in parts.get(idx, ()) if line)

    def as_bullets(self) -> PlanSlide:
        """The slide with all its body text as bullets: how a layout that cannot hold its parts draws it."""
        if len(self.parts()) == 1 and not self.columns:
            return self
        return dataclasses.replace(self, bullets=self.lines(), columns=(), case=None, exercise=None, action="")


NoteKind = Literal["say", "ask", "optional"]


@dataclass(frozen=True)
class NoteLine:
    """One paragraph of what a trainer says at a slide.

    ``say`` is what to say; ``ask`` a question for the group ("Fråga gruppen:"); ``optional`` a
    question to skip when time is short ("Valfri fråga om tiden räcker:"). ``lead`` is a short
    lead-in that stays before the marking ("För Förskola:").
    """

    kind: NoteKind
    text: str
    lead: str = ""


@dataclass(frozen=True)
class SlidePage:
    """A slide in the trainer guide: a sketch of the slide beside its minutes and what to say.

    ``sketch`` is the slide's first lines as the sketch shows them; ``label`` says what kind
    of slide it is (Avsnitt, Quiz …), or nothing for an ordinary slide.
    """

    number: int
    title: str
    minutes: int
    sketch: tuple[str, ...] = ()
    label: str = ""
    notes: tuple[NoteLine, ...] = ()


@dataclass(frozen=True)
class Block:
    """One block of a Word document.

    ``kind`` is title, subtitle, heading (``level`` 1–3), paragraph, bullets,
    numbered, checklist (items with tick boxes), note, local (the marking of a
    district's own material), reference, quote (``text`` and ``source``), table
    (``rows``, first row is the header; ``total`` when the last row sums the others),
    diagram (``diagram``, drawn by the writer), slide (``slide``: a slide's page in the trainer
    guide, a sketch beside its notes) or page-break.
    """

    kind: Literal[
        "title",
        "subtitle",
        "heading",
        "paragraph",
        "bullets",
        "numbered",
        "checklist",
        "note",
        "local",
        "reference",
        "quote",
        "table",
        "diagram",
        "slide",
        "page-break",
    ]
    text: str = ""
    level: int = 1
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    total: bool = False
    diagram: PlanDiagram | None = None
    source: str = ""
    strong: bool = False  # a paragraph set in bold: a question
    slide: SlidePage | None = None


@dataclass(frozen=True)
class DocumentPlan:
    """A Word document: its title and blocks."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PackPlan:
    """Everything one district and audience gets."""

    stamp: Stamp
    slides: tuple[PlanSlide, ...]
    handout: DocumentPlan
    guide: DocumentPlan
    local_files: tuple[str, ...] = field(default_factory=tuple)

    def digest(self, part: str) -> str:
        """SHA-256 identifying one part ('slides', 'handout', 'guide') and the stamp.

        The plan is frozen dataclasses of tuples, strings and dates, so its repr is a
        complete, deterministic serialisation (and far cheaper than ``asdict``).
        """
        text = _repr((self.stamp, getattr(self, part)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: The repr of slides and blocks already seen in this process: most of a pack's slides and
#: blocks are equal to another district's, and their repr was most of the cost of a plan key.
_REPRS: dict[PlanSlide | Block, str] = {}
_REPRS_KEPT = 8192
_REPRS_BY_ID: dict[int, tuple[PlanSlide | Block, str]] = {}


def _repr(value: object) -> str:
    """Exactly ``repr(value)``, reusing the repr of equal slides and blocks (a test compares the two)."""
    if type(value) is tuple:
        inner = ", ".join(map(_repr, value))
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, PlanSlide | Block):
        # Planning hands every district's pack the same slide and block objects where they are
        # equal, so most are found by identity, without hashing all their fields.
        seen = _REPRS_BY_ID.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        text = _REPRS.get(value)
        if text is None:
            text = remember(_REPRS, value, repr(value), _REPRS_KEPT)
        remember(_REPRS_BY_ID, id(value), (value, text), _REPRS_KEPT)  # the object is held, so its id is not reused
        return text
    if is_dataclass(value) and not isinstance(value, type):
        shown = ", ".join(f"{f.name}={_repr(getattr(value, f.name))}" for f in fields(value) if f.repr)
        return f"{type(value).__qualname__}({shown})"
    return repr(value)
