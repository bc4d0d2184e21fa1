"""What every step of planning a pack shares: the sources, the pack as it grows, slides and diagrams.

Pure: models in, frozen dataclasses out (see :mod:`vastbus_cli.render.plan`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from vastbus_cli.editions import Editions
from vastbus_cli.models import (
    BASIS_NAMES,
    Audience,
    CityArea,
    Claim,
    Course,
    Diagram,
    District,
    Edition,
    LocalAddition,
    Module,
    Ref,
    Slide,
)
from vastbus_cli.render.packplan import (
    Block,
    PlanCase,
    PlanColumn,
    PlanDiagram,
    PlanDiagramItem,
    PlanExercise,
    PlanImage,
    PlanSlide,
    SlideKind,
    Stamp,
)
from vastbus_cli.render.schedule import (
    see_also,
)


@dataclass(frozen=True)
class Sources:
    """What a plan is built from, all already validated."""

    course: Course
    modules: dict[str, Module]
    edition: Edition
    editions: Editions
    claims: dict[str, Claim]
    local: tuple[tuple[str, LocalAddition], ...] = ()
    districts: tuple[District, ...] = ()
    areas: tuple[CityArea, ...] = ()

    @functools.cached_property
    def worked_out(self) -> dict[tuple[object, ...], object]:
        """What planning derived from these sources alone, kept for every pack: diagrams, reference labels, modules."""
        return {}


def ref_label(editions: Editions, ref: Ref, *, basis: bool = True) -> str:
    """A cited section as a reader finds it: number, title, what it rests on and the edition."""
    edition = editions.get(ref.edition)
    section = editions.section(ref.edition, ref.section)
    if edition is None or section is None:
        return f"{ref.section} ({ref.edition})"
    number = f"{section.number} " if section.number else ""
    # Say when a section rests on something other than the edition's own text (law, support material).
    rests_on = f" ({', '.join(BASIS_NAMES[b] for b in section.basis)})" if basis and section.basis else ""
    return f"{number}{section.title}{rests_on} – {edition.short_title}"


def slide_notes(slide: Slide, audience: Audience, taught: frozenset[tuple[str, str | None]] = frozenset()) -> str:
    """A slide's speaker notes: its own, pointers to where it is taught, and the audience's extra."""
    parts = [slide.notes.strip()] if slide.notes else []
    pointers = see_also(slide, taught)
    if pointers:
        parts.append(pointers)
    extra = slide.audience_notes.get(audience.id)
    if extra:
        parts.append(f"För {audience.name}: {extra.strip()}")
    return "\n\n".join(parts)


def _without_year(title: str) -> str:
    text = re.sub(r"\b\d{4}\b", "", title)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s+\)", ")", re.sub(r"\s{2,}", " ", text)).strip()


def plan_diagram(diagram: Diagram, sources: Sources, highlight: int | None = None) -> PlanDiagram:
    """A diagram's boxes: from its items, or from the guidelines and districts it draws."""
    # Every pack draws the same diagrams from the same sources: each is planned once. The
    # diagram is kept with its plan, so an id Python reuses for another object never matches.
    key = ("diagram", id(diagram), highlight)
    kept = sources.worked_out.get(key)
    if isinstance(kept, tuple) and kept[0] is diagram:
        return kept[1]  # type: ignore[no-any-return]
    planned = _plan_diagram(diagram, sources, highlight)
    sources.worked_out[key] = (diagram, planned)
    return planned


def _plan_diagram(diagram: Diagram, sources: Sources, highlight: int | None) -> PlanDiagram:
    if diagram.kind == "editions":
        lineage = sources.editions.lineage(sources.edition.id)
        items = tuple(PlanDiagramItem(e.valid_from[:4], _without_year(e.short_title)) for e in lineage)
        highlight = highlight or len(items)
    elif diagram.kind == "organisation":
        area_names = {area.id: area.name for area in sources.areas}
        areas: dict[str, list[str]] = {}
        for district in sources.districts:
            # A district outside the city areas (another municipality) is a box of its own.
            label = area_names.get(district.area, district.area) if district.area else district.name
            areas.setdefault(label, []).append(district.name)
        items = tuple(PlanDiagramItem(area, "", tuple(names)) for area, names in areas.items())
    else:
        items = tuple(PlanDiagramItem(item.label, item.detail or "") for item in diagram.items)
    return PlanDiagram(diagram.kind, diagram.title, diagram.alt, items, highlight)


def diagrams_by_id(modules: dict[str, Module]) -> dict[str, Diagram]:
    """Every module's diagrams by id; a slide may show a diagram another module declares."""
    return {diagram.id: diagram for module in modules.values() for diagram in module.diagrams}


class Deck:
    """Collects slides and numbers them."""

    def __init__(self) -> None:
        self.slides: list[PlanSlide] = []

    def add(self, kind: SlideKind, title: str, **fields: object) -> int:
        """Add a slide; returns its number."""
        number = len(self.slides) + 1
        self.slides.append(PlanSlide(number, kind, title, **fields))  # type: ignore[arg-type]
        return number


@dataclass
class Pack:
    """The three outputs as they grow, and what every step needs to know."""

    sources: Sources
    audience: Audience
    stamp: Stamp
    root: str
    label: str
    diagrams: dict[str, Diagram]
    deck: Deck = field(default_factory=Deck)
    handout: list[Block] = field(default_factory=list)
    guide: list[Block] = field(default_factory=list)
    questions: list[Block] = field(default_factory=list)  # the handout's quiz, placed near its end
    diagram_blocks: list[Block] = field(default_factory=list)  # the handout's pictures of the ideas
    answers: list[tuple[str, str]] = field(default_factory=list)  # question, right answer
    quiz_number: int = 0
    references: tuple[tuple[str, ...], ...] = ()  # the reference table, header first
    committee: str = ""  # "Socialtjänsten i Angered: Socialnämnden Nordost (stadsområde Nordost)"
    #: What the pack teaches, for the slides' ``see:``: (module, None) and (module, slide).
    taught: frozenset[tuple[str, str | None]] = frozenset()
    #: Where the trainer guide's slide pages go: (position in ``guide``, first slide's index, minutes).
    #: Each part of the schedule (welcome, a module, a local part, a break, the close) marks where its
    #: slides start; its minutes are spread over its slides (see ``planguide``).
    slots: list[tuple[int, int, int]] = field(default_factory=list)

    def mark(self, minutes: int) -> None:
        """The slides added from here on take ``minutes`` of the schedule; their guide pages go here."""
        self.slots.append((len(self.guide), len(self.deck.slides), minutes))

    @functools.cached_property
    def trackers(self) -> frozenset[str]:
        """The modules' process diagrams, found once per pack rather than once per slide."""
        return frozenset(module.tracker for module in self.sources.modules.values() if module.tracker)


def is_cover_diagram(pack: Pack, diagram_id: str) -> bool:
    """A module's process diagram: the handout's first page shows it."""
    return diagram_id in pack.trackers


def add_slide(
    pack: Pack, slide: Slide, *, tracker: Diagram | None = None, local: bool = False, extra: tuple[str, ...] = ()
) -> int:
    """Add a slide of a module or of a local addition (``local``) to the deck; returns its number."""
    image = PlanImage(f"{pack.root}/{slide.image.path}", slide.image.alt, slide.image.path) if slide.image else None
    columns = tuple(PlanColumn(c.heading, tuple(c.bullets)) for c in slide.columns or [])
    diagram = pack.diagrams.get(slide.diagram) if slide.diagram else None
    kind: SlideKind = slide.layout
    case = PlanCase(slide.case.person, tuple(slide.case.situation), slide.case.question) if slide.case else None
    exercise = (
        PlanExercise(slide.exercise.task, slide.exercise.minutes, slide.exercise.group, tuple(slide.exercise.debrief))
        if slide.exercise
        else None
    )
    bullets, action = (*slide.bullets, *extra), slide.action or ""
    if local:
        kind = "local-section" if slide.layout == "section" else "local"
        # A district's own slide keeps its marked look: a card's or columns' lines as bullets.
        flat = PlanSlide(
            0, slide.layout, slide.title, bullets=bullets, columns=columns, case=case, exercise=exercise, action=action
        ).as_bullets()
        bullets, columns, case, exercise, action = flat.bullets, flat.columns, flat.case, flat.exercise, flat.action
    return pack.deck.add(
        kind,
        slide.title,
        bullets=bullets,
        table=tuple(tuple(row) for row in slide.table or ()),
        case=case,
        exercise=exercise,
        action=action,
        columns=columns,
        notes=slide_notes(slide, pack.audience, pack.taught),
        image=image,
        local_label=pack.label if local else None,
        diagram=plan_diagram(diagram, pack.sources) if diagram else None,
        # An exercise's ÖVNING tag sits where the tracker would: an exercise is its own moment.
        tracker=plan_diagram(tracker, pack.sources, slide.step) if tracker and slide.step and not exercise else None,
        source=slide.source or "",
        discusses=tuple(slide.discusses),
    )


def slide_blocks(pack: Pack, slide: Slide) -> None:
    """What a slide adds to the handout: its diagram (the guide's slide pages are made from the deck)."""
    # The handout is participant material, not the slides again: it keeps the pictures of the
    # ideas (the diagrams); the words are in "I korthet", the checklist and the quiz.
    diagram = pack.diagrams.get(slide.diagram) if slide.diagram else None
    if diagram is not None and not is_cover_diagram(pack, diagram.id):  # the cover shows that one already
        pack.diagram_blocks.append(Block("diagram", diagram=plan_diagram(diagram, pack.sources)))


#: The one marking of a district's own material, the same wherever it appears.
_LOCAL_NOTICE = "{label}. Det här gäller {district} och ingår inte i den centrala kursen."


def local_notice(pack: Pack) -> str:
    """The marking of the district's own material, with the committee that answers for it."""
    notice = _LOCAL_NOTICE.format(label=pack.label, district=pack.stamp.district_name)
    return f"{notice} {pack.committee}." if pack.committee else notice
