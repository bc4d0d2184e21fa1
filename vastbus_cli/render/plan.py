"""The format-neutral plan of a pack: which slides and text, in which order, for whom.

Pure: models in, frozen dataclasses out. All decisions about content live here; the
writers only lay a plan onto a template.
"""

from __future__ import annotations

import datetime as dt
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
    QuizItem,
    Ref,
    Slide,
    Track,
    earliest_day,
)
from vastbus_cli.packs import CENTRAL
from vastbus_cli.quiztext import explanation_after
from vastbus_cli.render.packplan import (
    AREA_NAMES,
    Block,
    DocumentPlan,
    PackPlan,
    PlanColumn,
    PlanDiagram,
    PlanDiagramItem,
    PlanImage,
    PlanSlide,
    SlideKind,
    Stamp,
)
from vastbus_cli.render.schedule import (
    ScheduleRow,
    Taught,
    applies_to,
    clock,
    ends_after,
    local_title,
    schedule_rows,
    schedule_table,
    see_also,
    taught_modules,
    taught_targets,
    track_for,
)
from vastbus_cli.render.typography import sentences


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


def _ref_label(editions: Editions, ref: Ref, *, basis: bool = True) -> str:
    edition = editions.get(ref.edition)
    section = editions.section(ref.edition, ref.section)
    if edition is None or section is None:
        return f"{ref.section} ({ref.edition})"
    number = f"{section.number} " if section.number else ""
    # Say when a section rests on something other than the edition's own text (law, support material).
    rests_on = f" ({', '.join(BASIS_NAMES[b] for b in section.basis)})" if basis and section.basis else ""
    return f"{number}{section.title}{rests_on} – {edition.short_title}"


def _notes(slide: Slide, audience: Audience, taught: frozenset[tuple[str, str | None]] = frozenset()) -> str:
    parts = [slide.notes.strip()] if slide.notes else []
    pointers = see_also(slide, taught)
    if pointers:
        parts.append(pointers)
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


# --- diagrams ------------------------------------------------------------------------


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


# --- the pack ------------------------------------------------------------------------


class _Deck:
    """Collects slides and numbers them."""

    def __init__(self) -> None:
        self.slides: list[PlanSlide] = []

    def add(self, kind: SlideKind, title: str, **fields: object) -> int:
        number = len(self.slides) + 1
        self.slides.append(PlanSlide(number, kind, title, **fields))  # type: ignore[arg-type]
        return number


@dataclass
class _Pack:
    """The three outputs as they grow, and what every step needs to know."""

    sources: Sources
    audience: Audience
    stamp: Stamp
    root: str
    label: str
    diagrams: dict[str, Diagram]
    deck: _Deck = field(default_factory=_Deck)
    handout: list[Block] = field(default_factory=list)
    guide: list[Block] = field(default_factory=list)
    questions: list[Block] = field(default_factory=list)  # the handout's quiz, placed near its end
    answers: list[tuple[str, str]] = field(default_factory=list)  # question, right answer
    quiz_number: int = 0
    references: tuple[tuple[str, ...], ...] = ()  # the reference table, header first
    committee: str = ""  # "Socialtjänsten i Angered: Socialnämnden Nordost (stadsområde Nordost)"
    #: What the pack teaches, for the slides' ``see:``: (module, None) and (module, slide).
    taught: frozenset[tuple[str, str | None]] = frozenset()

    @functools.cached_property
    def trackers(self) -> frozenset[str]:
        """The modules' process diagrams, found once per pack rather than once per slide."""
        return frozenset(module.tracker for module in self.sources.modules.values() if module.tracker)


def local_for(
    local: tuple[tuple[str, LocalAddition], ...], district: District | None, audience_id: str
) -> list[LocalAddition]:
    """The local additions a district's pack holds: its area's first, then its own."""
    if district is None:
        return []
    shared = [a for folder, a in local if district.area and folder == district.area]
    own = [a for folder, a in local if folder == district.id]
    return [addition for addition in shared + own if applies_to(addition.audiences, audience_id)]


def committee_line(district: District | None, areas: tuple[CityArea, ...]) -> str:
    """Which social-services committee answers for the district, so local slides need not leave it open."""
    if district is None:
        return ""
    area = next((a for a in areas if a.id == district.area), None)
    committee = district.committee or (area.committee if area else None)
    if not committee:
        return ""
    where = f" (stadsområde {area.name})" if area else ""
    return f"Socialtjänsten i {district.name}: {committee}{where}"


def plan_pack(sources: Sources, audience: Audience, district: District | None, workspace_root: str) -> PackPlan:
    """Plan the deck, handout and trainer guide for one audience, centrally or for a district."""
    course = sources.course
    track = track_for(course, sources.modules, audience.id)
    taught = taught_modules(track, sources.modules, audience.id)
    local = local_for(sources.local, district, audience.id)
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
        date=_stamp_date(sources, [t.module for t in taught], local),
    )
    pack = _Pack(
        sources,
        audience,
        stamp,
        workspace_root,
        f"Lokalt tillägg – {stamp.district_name}",
        diagrams_by_id(sources.modules),
        committee=committee_line(district, sources.areas),
        taught=taught_targets(taught),
    )
    rows = schedule_rows(track, taught, local, stamp.district_name)
    _opening(pack, track, rows)
    breaks = {b.after: b for b in track.breaks}
    refs: list[tuple[str, list[Ref]]] = []
    for index, item in enumerate(taught, start=1):
        refs.append((item.module.title, _module(pack, index, item)))
        for addition in local:
            if addition.after == item.module.id:
                _local_part(pack, addition)
        pause = breaks.get(item.module.id)
        if pause:
            pack.deck.add(
                "section",
                f"{pause.title} – {pause.minutes} minuter",
                bullets=(f"Vi fortsätter {clock(track.start, ends_after(rows, item.module.title))}",)
                if track.start
                else (),
                notes="Paus. Stäm av att tiden håller innan ni går vidare.",
            )
    placed = {item.module.id for item in taught}
    for addition in local:
        if addition.after not in placed:
            _local_part(pack, addition)
    _references(pack, refs)
    _closing(pack, local)
    _handout_end(pack, taught, local)
    _guide_end(pack)
    return PackPlan(
        stamp=stamp,
        slides=tuple(pack.deck.slides),
        handout=DocumentPlan(f"{course.title} – deltagarmaterial", tuple(pack.handout)),
        guide=DocumentPlan(f"{course.title} – utbildarhandledning", tuple(pack.guide)),
    )


def _opening(pack: _Pack, track: Track, rows: list[ScheduleRow]) -> None:
    sources, stamp = pack.sources, pack.stamp
    course = sources.course
    where = stamp.district_name
    pack.deck.add(
        "title",
        course.title,
        bullets=(
            course.subtitle or "",
            f"{stamp.audience_name} · {where} · {track.name}",
            f"Materialet gäller från {stamp.date.isoformat()} · Utbildare: ____________________",
        ),
        notes=(
            f"Kursen bygger på {sources.edition.title}. Kursversion {course.version}. "
            "Skriv ditt namn efter ”Utbildare” innan du visar bilden."
        ),
    )
    pack.deck.add(
        "agenda",
        "Dagens upplägg",
        table=schedule_table(track, rows, minutes_column=False),
        notes=(
            f"{track.name}: {sum(r.minutes for r in rows)} minuter. "
            "Berätta vad deltagarna får med sig: deltagarmaterialet med checklista, kontakter och facit."
        ),
    )
    edition_line = (
        f"Bygger på {sources.edition.title}, giltig från {sources.edition.valid_from}. "
        f"Kursversion {stamp.course_version}."
    )
    for blocks, kind in ((pack.handout, "Deltagarmaterial"), (pack.guide, "Utbildarhandledning")):
        blocks.extend(
            [
                Block("title", course.title),
                Block("subtitle", f"{kind} · {stamp.audience_name} · {where}"),
                Block("paragraph", edition_line),
            ]
        )
    pack.handout.append(Block("paragraph", "Kursdag: ____________________   Utbildare: ____________________"))
    tracker = _first_tracker(pack)
    if tracker is not None:
        pack.handout.append(Block("diagram", diagram=tracker))
    if pack.audience.checklist:
        pack.handout.append(Block("heading", f"Det här gör du i praktiken – {pack.audience.name}", level=1))
        pack.handout.append(Block("checklist", items=tuple(pack.audience.checklist)))
    pack.handout.append(Block("heading", "Kursens innehåll i korthet", level=1))
    if pack.sources.course.news:
        pack.guide.append(Block("heading", f"Nytt i denna version ({pack.sources.course.version})", level=1))
        pack.guide.append(Block("bullets", items=tuple(pack.sources.course.news)))
    pack.guide.append(Block("heading", "Schema", level=1))
    pack.guide.append(
        Block(
            "paragraph",
            f"{track.name}. Tiderna är förslag; håll totaltiden. Budget: högst {track.budget} minuter.",
        )
    )
    pack.guide.append(Block("table", rows=schedule_table(track, rows, minutes_column=True), total=True))


def _is_cover_diagram(pack: _Pack, diagram_id: str) -> bool:
    return diagram_id in pack.trackers


def _first_tracker(pack: _Pack) -> PlanDiagram | None:
    """The course's process diagram (a module's tracker), for the handout's first page."""
    for module in pack.sources.modules.values():
        if module.tracker and module.tracker in pack.diagrams:
            return plan_diagram(pack.diagrams[module.tracker], pack.sources)
    return None


@dataclass(frozen=True)
class _PlannedModule:
    """What planning one module added to a pack, to be added again to another."""

    slides: tuple[PlanSlide, ...]
    handout: tuple[Block, ...]
    guide: tuple[Block, ...]
    questions: tuple[Block, ...]
    answers: tuple[tuple[str, str], ...]
    quizzes: int
    refs: tuple[Ref, ...]


def _module(pack: _Pack, index: int, item: Taught) -> list[Ref]:
    """The module's slides, quiz and guide pages; returns the refs it cites."""
    # A module comes out the same in every district's pack for an audience, given where its
    # slides and questions start: each is planned once per set of sources and added again.
    key = ("module", pack.audience.id, item.module.id, index, len(pack.deck.slides), pack.quiz_number)
    kept = pack.sources.worked_out.get(key)
    if isinstance(kept, _PlannedModule):
        pack.deck.slides.extend(kept.slides)
        pack.handout.extend(kept.handout)
        pack.guide.extend(kept.guide)
        pack.questions.extend(kept.questions)
        pack.answers.extend(kept.answers)
        pack.quiz_number += kept.quizzes
        return list(kept.refs)
    marks = len(pack.deck.slides), len(pack.handout), len(pack.guide), len(pack.questions), len(pack.answers)
    quizzes = pack.quiz_number
    refs = _plan_module(pack, index, item)
    pack.sources.worked_out[key] = _PlannedModule(
        tuple(pack.deck.slides[marks[0] :]),
        tuple(pack.handout[marks[1] :]),
        tuple(pack.guide[marks[2] :]),
        tuple(pack.questions[marks[3] :]),
        tuple(pack.answers[marks[4] :]),
        pack.quiz_number - quizzes,
        tuple(refs),
    )
    return refs


def _plan_module(pack: _Pack, index: int, item: Taught) -> list[Ref]:
    module = item.module
    deck, handout, guide = pack.deck, pack.handout, pack.guide
    area = AREA_NAMES[module.area.value]
    if not item.slides or item.slides[0].layout != "section":
        deck.add(
            "section",
            module.title,
            bullets=(f"{area} · {item.minutes} minuter",),
            notes=_objectives_note(item.objectives),
        )
    handout.append(Block("heading", f"{index}. {module.title}", level=2))
    handout.append(Block("bullets", items=item.objectives))
    guide.append(Block("heading", f"{index}. {module.title}", level=1))
    guide.append(Block("paragraph", f"Tid: {item.minutes} minuter · Område: {area}"))
    guide.append(Block("heading", "Mål", level=2))
    guide.append(Block("bullets", items=item.objectives))
    guide.append(Block("heading", "Bild för bild", level=2))
    tracker = pack.diagrams.get(module.tracker) if module.tracker else None
    for slide in item.slides:
        number = _add_slide(pack, slide, tracker=tracker)
        _slide_blocks(pack, slide, number)
    quiz_slides = []
    for question in item.quiz:
        quiz_slides.append(
            deck.add(
                "quiz",
                question.question,
                bullets=tuple(question.options),  # the Quiz layout numbers the options
                notes=f"{sentences(f'Rätt svar: {question.answer}. {quiz_answer(question)}')}\n\n"
                f"{quiz_explanation(question)}",
                discusses=tuple(question.discusses),
            )
        )
    if item.quiz:
        guide.append(Block("heading", "Quiz med svar", level=2))
        for question, number in zip(item.quiz, quiz_slides, strict=True):
            pack.quiz_number += 1
            pack.questions.append(Block("paragraph", f"{pack.quiz_number}. {question.question}", strong=True))
            pack.questions.append(Block("checklist", items=tuple(question.options)))
            pack.answers.append(
                (
                    f"{pack.quiz_number}. {question.question}",
                    sentences(quiz_answer(question), quiz_explanation(question)),
                )
            )
            guide.append(Block("heading", f"Bild {number}: {question.question}", level=3))
            guide.append(Block("numbered", items=tuple(question.options)))
            guide.append(
                Block(
                    "note",
                    sentences(f"Rätt svar: {question.answer}. {quiz_answer(question)}", quiz_explanation(question)),
                )
            )
    if module.forms:
        guide.append(Block("heading", "Ifyllda exempel i deltagarmaterialet", level=2))
        guide.append(Block("bullets", items=tuple(form.title for form in module.forms)))
    if module.misconceptions:
        guide.append(Block("heading", "Missuppfattningar att vänta sig och hur du bemöter dem", level=2))
        for misconception in module.misconceptions:
            claim = pack.sources.claims.get(misconception.claim)
            guide.append(
                Block("paragraph", f"Missuppfattning: {claim.misconception if claim else misconception.claim}")
            )
            guide.append(Block("note", f"Så kan du svara: {misconception.answer.strip()}"))
    return [ref for s in item.slides for ref in s.refs] + [ref for q in item.quiz for ref in q.refs]


def _objectives_note(objectives: tuple[str, ...]) -> str:
    return "Efter modulen ska deltagarna: " + " ".join(sentences(o) for o in objectives)


def _add_slide(
    pack: _Pack, slide: Slide, *, tracker: Diagram | None = None, local: bool = False, extra: tuple[str, ...] = ()
) -> int:
    image = PlanImage(f"{pack.root}/{slide.image.path}", slide.image.alt, slide.image.path) if slide.image else None
    columns = tuple(PlanColumn(c.heading, tuple(c.bullets)) for c in slide.columns or [])
    diagram = pack.diagrams.get(slide.diagram) if slide.diagram else None
    kind: SlideKind = slide.layout
    if local:
        kind = "local-section" if slide.layout == "section" else "local"
    return pack.deck.add(
        kind,
        slide.title,
        bullets=(*slide.bullets, *extra),
        columns=columns,
        notes=_notes(slide, pack.audience, pack.taught),
        image=image,
        local_label=pack.label if local else None,
        diagram=plan_diagram(diagram, pack.sources) if diagram else None,
        tracker=plan_diagram(tracker, pack.sources, slide.step) if tracker and slide.step else None,
        source=slide.source or "",
        discusses=tuple(slide.discusses),
    )


def _slide_blocks(pack: _Pack, slide: Slide, number: int) -> None:
    handout, guide = pack.handout, pack.guide
    # The handout is participant material, not the slides again: it keeps the pictures of the
    # ideas (the diagrams); the words are in the summaries, the checklist and the quiz.
    diagram = pack.diagrams.get(slide.diagram) if slide.diagram else None
    if diagram is not None and not _is_cover_diagram(pack, diagram.id):  # the cover shows that one already
        handout.append(Block("diagram", diagram=plan_diagram(diagram, pack.sources)))
    guide.append(Block("heading", f"Bild {number}: {slide.title}", level=3))
    notes = _notes(slide, pack.audience, pack.taught)
    if notes:
        guide.extend(Block("note", paragraph) for paragraph in notes.split("\n\n"))


#: Most steps of a routine on one slide; a longer routine continues on the next.
ROUTINE_STEPS = 8
#: Most contacts in one slide's table.
CONTACT_ROWS = 5


#: The one marking of a district's own material, the same wherever it appears.
_LOCAL_NOTICE = "{label}. Det här gäller {district} och ingår inte i den centrala kursen."


def _local_notice(pack: _Pack) -> str:
    notice = _LOCAL_NOTICE.format(label=pack.label, district=pack.stamp.district_name)
    return f"{notice} {pack.committee}." if pack.committee else notice


def _local_part(pack: _Pack, addition: LocalAddition) -> None:
    """A district's addition: a divider, its slides, contacts as a table, routines as numbered steps."""
    deck, stamp = pack.deck, pack.stamp
    pack.guide.append(Block("local", _local_notice(pack)))
    slides = [s for s in addition.slides if applies_to(s.audiences, pack.audience.id)]
    committee = (pack.committee,) if pack.committee else ()
    opens_itself = bool(slides) and slides[0].layout == "section"
    if not opens_itself:
        deck.add(
            "local-section",
            addition.title,
            bullets=(pack.label, *committee),
            notes="Här börjar områdets egen del. Säg vem som ansvarar för att den hålls aktuell.",
            local_label=pack.label,
        )
    for index, slide in enumerate(slides):
        number = _add_slide(pack, slide, local=True, extra=committee if opens_itself and index == 0 else ())
        _slide_blocks(pack, slide, number)
    if addition.contacts:
        rows = [("Roll", "Verksamhet", "Så når du oss")]
        rows.extend((c.role, c.organisation, c.how) for c in addition.contacts)
        unconfirmed = sum(1 for c in addition.contacts if not c.verified)
        notes = "Kontaktvägarna är lokala."
        if unconfirmed:
            notes += (
                f" {unconfirmed} av {len(addition.contacts)} är inte bekräftade av området: "
                "stäm av dem före kurstillfället."
            )
        body = rows[1:]
        for part, start in enumerate(range(0, len(body), CONTACT_ROWS)):
            contacts = body[start : start + CONTACT_ROWS]
            title = f"Lokala kontakter – {stamp.district_name}"
            number = deck.add(
                "local",
                title + (" (forts.)" if part else ""),
                table=(rows[0], *contacts),
                notes=notes,
                local_label=pack.label,
            )
        pack.guide.append(Block("heading", f"Bild {number}: Lokala kontakter", level=3))
        pack.guide.append(Block("note", notes))
    for routine in addition.routines:
        steps = routine.steps
        # Split evenly beyond the limit, so no slide holds a lone step (9 steps: 5 + 4, not 8 + 1).
        slides_needed = -(-len(steps) // ROUTINE_STEPS)
        size = -(-len(steps) // slides_needed)
        step_chunks = [steps[i : i + size] for i in range(0, len(steps), size)]
        first = 1
        for part, chunk in enumerate(step_chunks):
            title = routine.title if not part else f"{routine.title}, forts. från steg {first}"
            number = deck.add(
                "local",
                title,
                bullets=tuple(chunk),
                numbered=True,
                notes=(routine.notes or "").strip(),
                local_label=pack.label,
                start_at=first,
            )
            first += len(chunk)
            pack.guide.append(Block("heading", f"Bild {number}: {title}", level=3))
            if routine.notes:
                pack.guide.append(Block("note", routine.notes.strip()))


def _closing(pack: _Pack, local: list[LocalAddition]) -> None:
    course = pack.sources.course
    lines = ["Frågor och funderingar: vad tar du med dig till din verksamhet?"]
    if course.material:
        lines.append(course.material.strip())
    if any(addition.contacts for addition in local):
        lines.append(f"Kontakter i {pack.stamp.district_name}: se tabellen i deltagarmaterialet och bilden tidigare.")
    else:
        lines.append("Lokala kontakter: fråga utbildningsansvarig i ditt område; de finns i områdets lokala tillägg.")
    if course.evaluation:
        lines.append(course.evaluation.strip())
    pack.deck.add(
        "closing",
        "Tack! Frågor?",
        bullets=tuple(lines),
        notes="Avsluta med frågor. Påminn om deltagarmaterialet, checklistan och utvärderingen.",
    )


def _references(pack: _Pack, cited: list[tuple[str, list[Ref]]]) -> None:
    """One reference appendix before the closing slide, grouped by module; the same in the documents."""
    editions, current = pack.sources.editions, pack.sources.edition

    def label(ref: Ref, basis: bool) -> str:
        key = ("reference", ref.edition, ref.section, basis)
        known = pack.sources.worked_out.get(key)
        if isinstance(known, str):
            return known
        # Sections of the edition in force are named without it; the heading says which it is.
        text = _ref_label(editions, ref, basis=basis)
        text = text.removesuffix(f" – {current.short_title}") if ref.edition == current.id else text
        pack.sources.worked_out[key] = text
        return text

    def grouped(basis: bool) -> list[tuple[str, list[str]]]:
        groups = [(title, sorted(dict.fromkeys(label(ref, basis) for ref in refs))) for title, refs in cited]
        return [(title, labels) for title, labels in groups if labels]

    # The slides name the sections only, to stay on two slides; the documents also say what
    # each section rests on (law, support material), where there is room to read it.
    on_slides, in_documents = grouped(basis=False), grouped(basis=True)
    if not on_slides:
        return
    pages: list[list[tuple[str, str]]] = [[]]
    lines = 0
    for title, labels in on_slides:
        text = "; ".join(labels)
        height = -(-len(text) // REFERENCE_LINE)
        if pages[-1] and lines + height > REFERENCE_LINES:
            pages.append([])
            lines = 0
        pages[-1].append((title, text))
        lines += height
    heading = f"Avsnitt i {current.short_title}"
    for part, page in enumerate(pages):
        pack.deck.add(
            "references",
            "Referenser" + (f" ({part + 1} av {len(pages)})" if len(pages) > 1 else ""),
            table=(("Modul", heading), *page),
            notes=f"Avsnitten finns i {current.title}. Källorna står i deltagarmaterialet.",
        )
    pack.references = (("Modul", heading), *((t, "; ".join(ls)) for t, ls in in_documents))


#: Characters of a reference cell that fit one line, and the lines one slide holds.
REFERENCE_LINE, REFERENCE_LINES = 70, 16


def _handout_end(pack: _Pack, taught: list[Taught], local: list[LocalAddition]) -> None:
    handout, sources = pack.handout, pack.sources
    for form in (form for item in taught for form in item.module.forms):
        # A filled-in example is a page to lay beside a real form, so it starts a page of its own.
        handout.append(Block("page-break"))
        handout.append(Block("heading", form.title, level=1))
        if form.intro:
            handout.append(Block("paragraph", form.intro.strip()))
        handout.append(Block("table", rows=(("Fält", "Ifyllt exempel"), *((f.label, f.value) for f in form.fields))))
    for addition in local:
        _local_appendix(pack, addition)
    discussed = {claim for item in taught for s in item.slides for claim in s.discusses}
    discussed |= {claim for item in taught for q in item.quiz for claim in q.discusses}
    claims = [claim for claim_id, claim in sources.claims.items() if claim_id in discussed]
    if claims:
        handout.append(Block("heading", "Vanliga missuppfattningar – och hur det är", level=1))
        rows = [("Det sägs ibland", "Så är det")]
        rows.extend((claim.misconception, claim.correct) for claim in claims)
        handout.append(Block("table", rows=tuple(rows)))
    if pack.questions:
        handout.append(Block("heading", "Testa dig själv", level=1))
        handout.append(Block("paragraph", "Kryssa för det svar du tror är rätt. Facit finns på sista sidan."))
        handout.extend(pack.questions)
    if pack.references:
        handout.append(Block("heading", "Referenser", level=1))
        handout.append(Block("table", rows=pack.references))
    edition = sources.edition
    handout.append(Block("heading", "Källor", level=1))
    handout.append(Block("paragraph", f"Kursen bygger på {edition.title}."))
    handout.extend(Block("reference", f"{s.title}: {s.url}") for s in edition.sources)
    if pack.answers:
        handout.append(Block("page-break"))
        handout.append(Block("heading", "Facit till Testa dig själv", level=1))
        for question, answer in pack.answers:
            handout.append(Block("paragraph", question))
            handout.append(Block("note", f"Rätt svar: {answer}"))


def _local_appendix(pack: _Pack, addition: LocalAddition) -> None:
    for blocks in (pack.handout, pack.guide):
        blocks.append(Block("heading", local_title(addition, pack.stamp.district_name), level=1))
        blocks.append(Block("local", _local_notice(pack)))
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
        pack.guide.append(Block("heading", f"Gott exempel: {example.title}", level=2))
        pack.guide.append(Block("paragraph", example.summary.strip()))
        if example.share:
            pack.guide.append(Block("local", "Föreslås för den centrala kursen."))


def _guide_end(pack: _Pack) -> None:
    edition, guide = pack.sources.edition, pack.guide
    if pack.references:
        guide.append(Block("heading", "Referenser", level=1))
        guide.append(Block("table", rows=pack.references))
    guide.append(Block("heading", "Källor", level=1))
    guide.append(Block("paragraph", f"{edition.title}. {' '.join(edition.summary.split())}"))
    guide.extend(Block("reference", f"{s.title}: {s.url}") for s in edition.sources)
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


def quiz_explanation(item: QuizItem) -> str:
    """The explanation, without an opening "Ja."/"Nej." that repeats the answer just given."""
    return explanation_after(quiz_answer(item), item.explanation)
