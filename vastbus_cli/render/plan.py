"""The format-neutral plan of a pack: which slides and text, in which order, for whom.

Pure: models in, frozen dataclasses out. All decisions about content live here; the
writers only lay a plan onto a template.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

from vastbus_cli import __version__
from vastbus_cli.editions import Editions
from vastbus_cli.models import (
    Audience,
    Course,
    District,
    Edition,
    LocalAddition,
    Module,
    QuizItem,
    Ref,
    Slide,
    earliest_day,
)
from vastbus_cli.render.typography import sentences

CENTRAL = "central"
AREA_NAMES = {"organisation": "Organisation", "funktion": "Funktion", "praktiskt-arbete": "Praktiskt arbete"}

SlideKind = Literal["title", "section", "content", "two-content", "quote", "quiz", "references", "local"]


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
    tool_version: str = __version__

    @property
    def footer(self) -> str:
        """The visible stamp on every slide and page."""
        where = self.district_name if self.district != CENTRAL else "Central version"
        return f"{self.edition_title} · Kursversion {self.course_version} · {where} · {self.audience_name}"


@dataclass(frozen=True)
class PlanColumn:
    """One column of a two-column slide."""

    heading: str
    bullets: tuple[str, ...]


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
class PlanSlide:
    """One slide of a deck."""

    number: int
    kind: SlideKind
    title: str
    bullets: tuple[str, ...] = ()
    columns: tuple[PlanColumn, ...] = ()
    notes: str = ""
    image: PlanImage | None = None
    local_label: str | None = None


@dataclass(frozen=True)
class Block:
    """One block of a Word document.

    ``kind`` is heading (``level`` 0 title, 1–3), paragraph, bullets, numbered,
    note, local, reference, quote or table (``rows``, first row is the header).
    """

    kind: Literal[
        "title",
        "subtitle",
        "heading",
        "paragraph",
        "bullets",
        "numbered",
        "note",
        "local",
        "reference",
        "quote",
        "table",
    ]
    text: str = ""
    level: int = 1
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    total: bool = False  # a table's last row sums the others


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
        text = repr((self.stamp, getattr(self, part)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Sources:
    """What a plan is built from, all already validated."""

    course: Course
    modules: dict[str, Module]
    edition: Edition
    editions: Editions
    claims: dict[str, str]
    local: tuple[tuple[str, LocalAddition], ...] = ()


def _for(audiences: list[str] | None, audience: str) -> bool:
    return audiences is None or audience in audiences


def _ref_label(editions: Editions, ref: Ref) -> str:
    edition = editions.get(ref.edition)
    section = editions.section(ref.edition, ref.section)
    if edition is None or section is None:
        return f"{ref.section} ({ref.edition})"
    number = f"{section.number} " if section.number else ""
    return f"{number}{section.title} – {edition.short_title}"


def _notes(slide: Slide, audience: Audience) -> str:
    parts = [slide.notes.strip()] if slide.notes else []
    extra = slide.audience_notes.get(audience.id)
    if extra:
        parts.append(f"För {audience.name}: {extra.strip()}")
    return "\n\n".join(parts)


def _stamp_date(sources: Sources, modules: list[Module], local: list[LocalAddition]) -> dt.date:
    """The newest review date of what the pack cites, else the day the edition became valid."""
    days = [earliest_day(sources.edition.valid_from)]
    material: list[Module | LocalAddition] = [*modules, *local]
    for item in material:
        for slide in item.slides:
            days.extend(ref.reviewed.on for ref in slide.refs if ref.reviewed)
    for module in modules:
        for quiz in module.quiz:
            days.extend(ref.reviewed.on for ref in quiz.refs if ref.reviewed)
    return max(days)


class _Deck:
    """Collects slides and numbers them."""

    def __init__(self) -> None:
        self.slides: list[PlanSlide] = []

    def add(self, kind: SlideKind, title: str, **fields: object) -> int:
        number = len(self.slides) + 1
        self.slides.append(PlanSlide(number, kind, title, **fields))  # type: ignore[arg-type]
        return number


def plan_pack(sources: Sources, audience: Audience, district: District | None, workspace_root: str) -> PackPlan:
    """Plan the deck, handout and trainer guide for one audience, centrally or for a district."""
    course = sources.course
    modules = [sources.modules[m] for m in course.modules if m in sources.modules]
    modules = [m for m in modules if _for(m.audiences, audience.id)]
    local = [
        addition
        for district_id, addition in sources.local
        if district is not None and district_id == district.id and _for(addition.audiences, audience.id)
    ]
    stamp = Stamp(
        edition=sources.edition.id,
        edition_title=sources.edition.short_title,
        course_id=course.id,
        course_title=course.title,
        course_version=course.version,
        district=district.id if district else CENTRAL,
        district_name=district.name if district else "Central version",
        audience=audience.id,
        audience_name=audience.name,
        date=_stamp_date(sources, modules, local),
    )
    deck = _Deck()
    where = district.name if district else "Central version"
    deck.add(
        "title",
        course.title,
        bullets=(course.subtitle or "", f"{audience.name} · {where}"),
        notes=f"Kursen bygger på {sources.edition.title}. Kursversion {course.version}.",
    )
    handout: list[Block] = _front_matter(sources, stamp, "Deltagarmaterial")
    guide: list[Block] = _front_matter(sources, stamp, "Utbildarhandledning")
    guide.extend(_overview(modules))
    for index, module in enumerate(modules, start=1):
        slides = [s for s in module.slides if _for(s.audiences, audience.id)]
        quiz = [q for q in module.quiz if _for(q.audiences, audience.id)]
        refs = [ref for s in slides for ref in s.refs] + [ref for q in quiz for ref in q.refs]
        handout.append(Block("heading", f"{index}. {module.title}", level=1))
        handout.append(Block("heading", "Efter modulen ska du", level=2))
        handout.append(Block("bullets", items=tuple(module.objectives)))
        guide.append(Block("heading", f"{index}. {module.title}", level=1))
        guide.append(Block("paragraph", f"Tid: {module.minutes} minuter · Område: {AREA_NAMES[module.area.value]}"))
        guide.append(Block("heading", "Mål", level=2))
        guide.append(Block("bullets", items=tuple(module.objectives)))
        guide.append(Block("heading", "Bild för bild", level=2))
        handout.append(Block("heading", "Det viktigaste", level=2))
        for slide in slides:
            number = _add_slide(deck, slide, audience, workspace_root)
            _slide_blocks(handout, guide, slide, number, _notes(slide, audience))
        quiz_slides = []
        for item in quiz:
            quiz_slides.append(
                deck.add(
                    "quiz",
                    item.question,
                    bullets=tuple(item.options),  # the Quiz layout numbers the options
                    notes=f"{sentences(f'Rätt svar: {item.answer}. {quiz_answer(item)}')}\n\n{item.explanation}",
                )
            )
        if quiz:
            handout.append(Block("heading", "Testa dig själv", level=2))
            guide.append(Block("heading", "Quiz med svar", level=2))
            for n, (item, number) in enumerate(zip(quiz, quiz_slides, strict=True), 1):
                handout.append(Block("paragraph", f"{n}. {item.question}"))
                handout.append(Block("bullets", items=tuple(item.options)))
                guide.append(Block("paragraph", f"Bild {number}: {item.question}"))
                guide.append(Block("numbered", items=tuple(item.options)))
                guide.append(
                    Block("note", sentences(f"Rätt svar: {item.answer}. {quiz_answer(item)}", item.explanation))
                )
        if module.misconceptions:
            guide.append(Block("heading", "Vanliga missuppfattningar och hur du bemöter dem", level=2))
            for misconception in module.misconceptions:
                claim = sources.claims.get(misconception.claim, misconception.claim)
                guide.append(Block("paragraph", f"Missuppfattning: {claim}"))
                guide.append(Block("note", f"Så kan du svara: {misconception.answer.strip()}"))
        labels = sorted(dict.fromkeys(_ref_label(sources.editions, ref) for ref in refs))
        if labels:
            deck.add(
                "references",
                f"Referenser – {module.title}",
                bullets=tuple(labels),
                notes=f"Avsnitten finns i {sources.edition.title}. Källor: se deltagarmaterialet.",
            )
            for blocks in (handout, guide):
                blocks.append(Block("heading", "Hänvisningar till riktlinjen", level=2))
                blocks.extend(Block("reference", label) for label in labels)
        for addition in local:
            if addition.after == module.id:
                _local_slides(deck, handout, guide, addition, stamp, audience, workspace_root)
    for addition in local:
        _local_appendix(handout, guide, addition, stamp)
    _back_matter(sources, handout, guide)
    return PackPlan(
        stamp=stamp,
        slides=tuple(deck.slides),
        handout=DocumentPlan(f"{course.title} – deltagarmaterial", tuple(handout)),
        guide=DocumentPlan(f"{course.title} – utbildarhandledning", tuple(guide)),
    )


def _front_matter(sources: Sources, stamp: Stamp, kind: str) -> list[Block]:
    where = stamp.district_name if stamp.district != CENTRAL else "Central version"
    return [
        Block("title", sources.course.title),
        Block("subtitle", f"{kind} · {stamp.audience_name} · {where}"),
        Block(
            "paragraph",
            f"Bygger på {sources.edition.title}, giltig från {sources.edition.valid_from}. "
            f"Kursversion {stamp.course_version}.",
        ),
    ]


def _overview(modules: list[Module]) -> list[Block]:
    rows = [("Modul", "Område", "Minuter")]
    rows.extend((m.title, AREA_NAMES[m.area.value], str(m.minutes)) for m in modules)
    rows.append(("Totalt", "", str(sum(m.minutes for m in modules))))
    return [Block("heading", "Översikt", level=1), Block("table", rows=tuple(rows), total=True)]


def _add_slide(deck: _Deck, slide: Slide, audience: Audience, root: str, label: str | None = None) -> int:
    image = PlanImage(f"{root}/{slide.image.path}", slide.image.alt, slide.image.path) if slide.image else None
    columns = tuple(PlanColumn(c.heading, tuple(c.bullets)) for c in slide.columns or [])
    kind: SlideKind = "local" if label else slide.layout
    return deck.add(
        kind,
        slide.title,
        bullets=tuple(slide.bullets),
        columns=columns,
        notes=_notes(slide, audience),
        image=image,
        local_label=label,
    )


def _slide_blocks(handout: list[Block], guide: list[Block], slide: Slide, number: int, notes: str) -> None:
    if slide.layout != "section":
        handout.append(Block("heading", slide.title, level=3))
        if slide.layout == "quote":
            handout.append(Block("quote", slide.bullets[0] if slide.bullets else ""))
        elif slide.columns:
            for column in slide.columns:
                handout.append(Block("paragraph", column.heading))
                handout.append(Block("bullets", items=tuple(column.bullets)))
        elif slide.bullets:
            handout.append(Block("bullets", items=tuple(slide.bullets)))
    guide.append(Block("heading", f"Bild {number}: {slide.title}", level=3))
    if notes:
        guide.extend(Block("note", paragraph) for paragraph in notes.split("\n\n"))


def _local_slides(
    deck: _Deck,
    handout: list[Block],
    guide: list[Block],
    addition: LocalAddition,
    stamp: Stamp,
    audience: Audience,
    root: str,
) -> None:
    label = f"Lokalt tillägg – {stamp.district_name}"
    handout.append(Block("local", f"{label}: {addition.title}"))
    guide.append(Block("local", f"{label}: {addition.title}"))
    for slide in addition.slides:
        if not _for(slide.audiences, audience.id):
            continue
        number = _add_slide(deck, slide, audience, root, label)
        _slide_blocks(handout, guide, slide, number, _notes(slide, audience))
    if addition.contacts:
        contacts = [f"{c.role}, {c.organisation}: {c.how}" for c in addition.contacts]
        notes = "Kontaktvägarna är lokala och ska bekräftas av området före kurstillfället."
        _add_chunked(deck, f"Lokala kontakter – {stamp.district_name}", contacts, notes, label, size=3)
    for routine in addition.routines:
        steps = [f"{i}. {step}" for i, step in enumerate(routine.steps, 1)]
        _add_chunked(deck, routine.title, steps, "", label, size=5)


def _add_chunked(deck: _Deck, title: str, lines: list[str], notes: str, label: str, size: int) -> None:
    """Long lists continue on further slides rather than run into the footer."""
    chunks = [lines[i : i + size] for i in range(0, len(lines), size)] or [[]]
    for index, chunk in enumerate(chunks):
        suffix = f" ({index + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        deck.add("local", title + suffix, bullets=tuple(chunk), notes=notes, local_label=label)


def _local_appendix(handout: list[Block], guide: list[Block], addition: LocalAddition, stamp: Stamp) -> None:
    label = f"Lokalt tillägg – {stamp.district_name}"
    for blocks in (handout, guide):
        blocks.append(Block("heading", f"{label}: {addition.title}", level=1))
        if addition.contacts:
            blocks.append(Block("heading", "Lokala kontakter", level=2))
            rows = [("Roll", "Verksamhet", "Så når du oss", "Bekräftad")]
            rows.extend(
                (c.role, c.organisation, c.how, "ja" if c.verified else "nej, ska bekräftas") for c in addition.contacts
            )
            blocks.append(Block("table", rows=tuple(rows)))
        for routine in addition.routines:
            blocks.append(Block("heading", routine.title, level=2))
            blocks.append(Block("numbered", items=tuple(routine.steps)))
    for example in addition.examples:
        guide.append(Block("heading", f"Gott exempel: {example.title}", level=2))
        guide.append(Block("paragraph", example.summary.strip()))
        if example.share:
            guide.append(Block("local", "Föreslås för den centrala kursen."))


def _back_matter(sources: Sources, handout: list[Block], guide: list[Block]) -> None:
    edition = sources.edition
    for blocks in (handout, guide):
        blocks.append(Block("heading", "Källor", level=1))
        blocks.append(Block("paragraph", f"{edition.title}. {' '.join(edition.summary.split())}"))
        blocks.extend(Block("reference", f"{s.title}: {s.url}") for s in edition.sources)
    if edition.unverified:
        guide.append(Block("heading", "Det här är inte verifierat", level=2))
        guide.append(
            Block(
                "paragraph", "Följande uppgifter har inte kunnat bekräftas i källorna. Presentera dem inte som fakta."
            )
        )
        guide.append(Block("bullets", items=tuple(edition.unverified)))


def quiz_answer(item: QuizItem) -> str:
    """The right option's text."""
    return item.options[item.answer - 1]
