"""The format-neutral plan of a pack: which slides and text, in which order, for whom.

Pure: models in, frozen dataclasses out. All decisions about content live here and in the
``plan*`` modules beside it; the writers only lay a plan onto a template.

:func:`plan_pack` runs the steps in order: the opening (title, agenda, schedule), each module
with the district's additions after it, then the end (:mod:`~vastbus_cli.render.planend`).
What every step shares is in :mod:`~vastbus_cli.render.planbase`, a district's own material in
:mod:`~vastbus_cli.render.planlocal`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vastbus_cli.models import (
    Audience,
    District,
    LocalAddition,
    Module,
    QuizItem,
    Ref,
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
    PlanDiagram,
    PlanSlide,
    Stamp,
)
from vastbus_cli.render.planbase import (
    Pack,
    Sources,
    add_slide,
    diagrams_by_id,
    plan_diagram,
    slide_blocks,
)
from vastbus_cli.render.planend import closing, guide_end, handout_end, references
from vastbus_cli.render.planguide import before_course, closing_script, guide_with_slides, opening_script, takeaways
from vastbus_cli.render.planlocal import committee_line, local_for, local_part
from vastbus_cli.render.schedule import (
    ScheduleRow,
    Taught,
    clock,
    ends_after,
    schedule_rows,
    schedule_table,
    taught_modules,
    taught_targets,
    track_for,
)
from vastbus_cli.render.typography import sentences


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
        edition_valid_from=sources.edition.valid_from,
    )
    pack = Pack(
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
    points = takeaways(course, taught)
    _opening(pack, track, rows, points, local)
    opening_script(pack, track, rows, points, local)
    _title_and_agenda(pack, track, rows)
    breaks = {b.after: b for b in track.breaks}
    refs: list[tuple[str, list[Ref]]] = []
    for index, item in enumerate(taught, start=1):
        refs.append((item.module.title, _module(pack, index, item)))
        for addition in local:
            if addition.after == item.module.id:
                local_part(pack, addition)
        pause = breaks.get(item.module.id)
        if pause:
            pack.guide.append(Block("heading", f"{pause.title} – {pause.minutes} minuter", level=1))
            pack.mark(pause.minutes)
            pack.deck.add(
                "break",
                f"{pause.title} – {pause.minutes} minuter",
                bullets=(f"Vi fortsätter {clock(track.start, ends_after(rows, item.module.title))}",)
                if track.start
                else (),
                notes="Paus. Stäm av att tiden håller innan ni går vidare.",
            )
    placed = {item.module.id for item in taught}
    for addition in local:
        if addition.after not in placed:
            local_part(pack, addition)
    closing_script(pack, track, points, local)
    references(pack, refs)
    closing(pack, local)
    handout_end(pack, taught, local)
    guide_end(pack)
    return PackPlan(
        stamp=stamp,
        slides=tuple(pack.deck.slides),
        handout=DocumentPlan(f"{course.title} – deltagarmaterial", tuple(pack.handout)),
        guide=DocumentPlan(f"{course.title} – utbildarhandledning", guide_with_slides(pack)),
    )


def _opening(
    pack: Pack, track: Track, rows: list[ScheduleRow], points: tuple[str, ...], local: list[LocalAddition]
) -> None:
    """The title and agenda slides, the documents' covers, the handout's "I korthet"."""
    sources, stamp = pack.sources, pack.stamp
    course = sources.course
    where = stamp.district_name
    dates = " · ".join(stamp.dates)
    edition_line = f"Bygger på {sources.edition.title}. Kursversion {stamp.course_version}."
    for blocks, kind in ((pack.handout, "Deltagarmaterial"), (pack.guide, "Utbildarhandledning")):
        blocks.extend(
            [
                Block("title", course.title),
                Block("subtitle", f"{kind} · {stamp.audience_name} · {where}"),
                Block("paragraph", dates),
                Block("paragraph", edition_line),
            ]
        )
    pack.handout.append(Block("paragraph", "Kursdag: ____________________   Utbildare: ____________________"))
    tracker = _first_tracker(pack)
    if tracker is not None:
        pack.handout.append(Block("diagram", diagram=tracker))
    # What a participant keeps: the track's key points and what they do in practice, not the objectives.
    if points or pack.audience.checklist:
        pack.handout.append(Block("heading", "I korthet", level=1))
    if points:
        pack.handout.append(Block("bullets", items=points))
    if pack.audience.checklist:
        pack.handout.append(Block("heading", f"Det här gör du i praktiken – {pack.audience.name}", level=2))
        pack.handout.append(Block("checklist", items=tuple(pack.audience.checklist)))
    before_course(pack, track, rows, local)
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


def _title_and_agenda(pack: Pack, track: Track, rows: list[ScheduleRow]) -> None:
    """The deck's first two slides; the title slide states the dates as the documents' covers do."""
    sources, stamp = pack.sources, pack.stamp
    pack.deck.add(
        "title",
        sources.course.title,
        bullets=tuple(
            line
            for line in (
                sources.course.subtitle or "",
                # Who and where on a line of its own, so a long district name never pushes the track off it.
                f"{stamp.audience_name} · {stamp.district_name}",
                track.name,
                " · ".join(stamp.dates),
            )
            if line
        ),
        notes=(
            f"Kursen bygger på {sources.edition.title}. Kursversion {sources.course.version}. "
            "Presentera dig: ditt namn och var du arbetar. Ett tomt namnfält visas inte på bilden, "
            "så att ingen platshållare syns för deltagarna."
        ),
    )
    header, *lines = schedule_table(track, rows, minutes_column=False)
    parts = agenda_parts(rows)
    for index, (first, end) in enumerate(parts, start=1):
        pack.deck.add(
            "agenda",
            "Dagens upplägg" if len(parts) == 1 else f"Dagens upplägg ({index} av {len(parts)})",
            table=(header, *lines[first:end]),
            notes=(
                f"{track.name}: {sum(r.minutes for r in rows)} minuter. "
                "Berätta vad deltagarna får med sig: deltagarmaterialet med checklista, kontakter och facit."
            )
            if index == 1
            else "Resten av dagen.",
        )


#: Rows of the schedule one agenda slide holds at 24 pt, under its header.
AGENDA_ROWS = 9


def agenda_parts(rows: list[ScheduleRow]) -> list[tuple[int, int]]:
    """The agenda's rows per slide, as (first, end) indices: one slide, or two split after the longest break.

    A full day's schedule does not fit one slide at a size the back row can read; it is split
    where the day itself breaks (lunch), so each slide is half a day.
    """
    if len(rows) <= AGENDA_ROWS:
        return [(0, len(rows))]
    breaks = [i for i, row in enumerate(rows) if row.kind == "break"]
    middle = len(rows) / 2
    # The longest break, the one nearest the middle among equals; without breaks, the middle.
    cut = max(breaks, key=lambda i: (rows[i].minutes, -abs(i + 1 - middle))) + 1 if breaks else round(middle)
    return [(0, cut), (cut, len(rows))]


def _first_tracker(pack: Pack) -> PlanDiagram | None:
    """The course's process diagram (a module's tracker), for the handout's first page."""
    for module in pack.sources.modules.values():
        if module.tracker and module.tracker in pack.diagrams:
            return plan_diagram(pack.diagrams[module.tracker], pack.sources)
    return None


@dataclass(frozen=True)
class _PlannedModule:
    """What planning one module added to a pack, to be added again to another."""

    slides: tuple[PlanSlide, ...]
    diagrams: tuple[Block, ...]
    guide: tuple[Block, ...]
    #: How many of ``guide`` come before the module's slide pages (its heading, time, objectives).
    guide_before: int
    questions: tuple[Block, ...]
    answers: tuple[tuple[str, str], ...]
    quizzes: int
    refs: tuple[Ref, ...]


def _module(pack: Pack, index: int, item: Taught) -> list[Ref]:
    """The module's slides, quiz and guide pages; returns the refs it cites."""
    # A module comes out the same in every district's pack for an audience, given where its
    # slides and questions start: each is planned once per set of sources and added again.
    key = ("module", pack.audience.id, item.module.id, index, len(pack.deck.slides), pack.quiz_number)
    kept = pack.sources.worked_out.get(key)
    if isinstance(kept, _PlannedModule):
        pack.guide.extend(kept.guide[: kept.guide_before])
        pack.mark(item.minutes)
        pack.guide.extend(kept.guide[kept.guide_before :])
        pack.deck.slides.extend(kept.slides)
        pack.diagram_blocks.extend(kept.diagrams)
        pack.questions.extend(kept.questions)
        pack.answers.extend(kept.answers)
        pack.quiz_number += kept.quizzes
        return list(kept.refs)
    marks = len(pack.deck.slides), len(pack.diagram_blocks), len(pack.guide), len(pack.questions), len(pack.answers)
    quizzes = pack.quiz_number
    refs = _plan_module(pack, index, item)
    pack.sources.worked_out[key] = _PlannedModule(
        tuple(pack.deck.slides[marks[0] :]),
        tuple(pack.diagram_blocks[marks[1] :]),
        tuple(pack.guide[marks[2] :]),
        pack.slots[-1][0] - marks[2],
        tuple(pack.questions[marks[3] :]),
        tuple(pack.answers[marks[4] :]),
        pack.quiz_number - quizzes,
        tuple(refs),
    )
    return refs


def _plan_module(pack: Pack, index: int, item: Taught) -> list[Ref]:
    module = item.module
    deck, guide = pack.deck, pack.guide
    area = AREA_NAMES[module.area.value]
    guide.append(Block("heading", f"{index}. {module.title}", level=1))
    guide.append(Block("paragraph", f"Tid: {item.minutes} minuter · Område: {area}"))
    if item.objectives:
        guide.append(Block("heading", "Mål", level=2))
        guide.append(Block("bullets", items=item.objectives))
    pack.mark(item.minutes)
    if not item.slides or item.slides[0].layout != "section":
        deck.add(
            "section",
            module.title,
            bullets=(f"{area} · {item.minutes} minuter",),
            notes=_objectives_note(item.objectives),
        )
    tracker = pack.diagrams.get(module.tracker) if module.tracker else None
    for slide in item.slides:
        add_slide(pack, slide, tracker=tracker)
        slide_blocks(pack, slide)
    for question in item.quiz:
        deck.add(
            "quiz",
            question.question,
            bullets=tuple(question.options),  # the Quiz layout numbers the options
            notes=f"{sentences(f'Rätt svar: {question.answer}. {quiz_answer(question)}')}\n\n"
            f"{quiz_explanation(question)}",
            discusses=tuple(question.discusses),
        )
        pack.quiz_number += 1
        pack.questions.append(Block("paragraph", f"{pack.quiz_number}. {question.question}", strong=True))
        pack.questions.append(Block("checklist", items=tuple(question.options)))
        pack.answers.append(
            (
                f"{pack.quiz_number}. {question.question}",
                sentences(quiz_answer(question), quiz_explanation(question)),
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


def quiz_answer(item: QuizItem) -> str:
    """The right option's text."""
    return item.options[item.answer - 1]


def quiz_explanation(item: QuizItem) -> str:
    """The explanation, without an opening "Ja."/"Nej." that repeats the answer just given."""
    return explanation_after(quiz_answer(item), item.explanation)


__all__ = ["Sources", "committee_line", "local_for", "plan_diagram", "plan_pack", "quiz_answer", "quiz_explanation"]
