"""The trainer guide as a facilitator's script: before the course, the opening, every slide, the close.

Pure: models in, frozen dataclasses out (see :mod:`vastbus_cli.render.plan`).

Every part of the schedule (the welcome, each module, a district's local part, a break, the close)
marks where its slides start (:meth:`~vastbus_cli.render.planbase.Pack.mark`). When the deck is
done, :func:`guide_with_slides` gives every slide, first to last, a page in the guide: a sketch of
the slide beside its minutes and its notes. A part's minutes are spread over its slides by weight:
a divider (section, local section) and a reference slide count one, every other slide two, in whole
minutes that add up to the part's minutes (the largest remainders round up).
"""

from __future__ import annotations

import re

from vastbus_cli.models import Course, LocalAddition, Track
from vastbus_cli.render.memo import remember
from vastbus_cli.render.packplan import DEBRIEF, Block, NoteKind, NoteLine, PlanSlide, SlidePage
from vastbus_cli.render.planbase import Pack
from vastbus_cli.render.planlocal import confirmed_contacts, contact_route, contact_rows
from vastbus_cli.render.schedule import ScheduleRow, Taught, schedule_table

#: Slides that take half the time of a content slide: dividers and the reading list.
_LIGHT = frozenset({"section", "local-section", "references", "break"})
#: Minutes a trainer needs to debrief an exercise, on top of the exercise's own.
DEBRIEF_MINUTES = 2
#: How the guide names a slide's kind beside its sketch; an ordinary content slide has no label.
_LABELS = {
    "title": "Titelbild",
    "agenda": "Agenda",
    "section": "Avsnitt",
    "quiz": "Quiz",
    "references": "Läs mer",
    "local": "Lokalt",
    "local-section": "Lokalt avsnitt",
    "closing": "Avslutning",
    "quote": "Citat",
    "break": "Paus",
    "statement": "Påstående",
    "table": "Tabell",
    "case": "Fall",
    "exercise": "Övning",
    "takeaways": "Att ta med",
}
#: Lines and characters a sketch shows of a slide.
SKETCH_LINES, SKETCH_CHARACTERS = 4, 60

OPTIONAL = "Valfri fråga om tiden räcker:"
ASK = "Fråga gruppen:"
_MARKS = re.compile(rf"({re.escape(OPTIONAL)}|{re.escape(ASK)})")
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
#: A short lead-in before a question that stays with it: "För Förskola:".
_LEAD = re.compile(r"^(?:\S+\s+){0,3}\S+:$")


def takeaways(course: Course, taught: list[Taught]) -> tuple[str, ...]:
    """The track's key points: the bullets of the course's closing module (its last), when the track teaches it.

    The course ends with what participants take with them (``att-ta-med`` in the shipped course);
    a track without it has no key points beyond the audience's checklist.
    """
    if not course.modules:
        return ()
    last = course.modules[-1]
    item = next((t for t in taught if t.module.id == last), None)
    if item is None:
        return ()
    return tuple(bullet for slide in item.slides if slide.layout != "section" for bullet in slide.bullets)


def before_course(pack: Pack, track: Track, rows: list[ScheduleRow], local: list[LocalAddition]) -> None:
    """The guide's first part: what the trainer does before the day, from the course's data."""
    guide, stamp = pack.guide, pack.stamp
    total = sum(row.minutes for row in rows)
    when = f", med start kl. {track.start}" if track.start else ""
    contacts = [contact for addition in local for contact in addition.contacts]
    waiting = [item for addition in local for items in addition.unconfirmed() for item in items]
    if contacts and not waiting:
        confirm = f"Områdets lokala kontakter är bekräftade av {stamp.district_name}; de står i deltagarmaterialet."
    elif waiting:
        confirm = (
            f"{stamp.district_name} har inte bekräftat {len(waiting)} av sina lokala kontakter och rutiner "
            "(listan nedan). De visas inte för deltagarna: fråga områdets samordnare om de är bekräftade nu."
        )
    else:
        confirm = (
            "Ta reda på områdets lokala kontakter för SIP hos utbildningsansvarig i området, "
            "så att du kan svara på vem deltagarna vänder sig till."
        )
    items = [
        f"Boka lokalen för {total} minuter{when}: {track.name}.",
        "Pröva tekniken i lokalen: projektor, ljud, att bildspelet startar och att anteckningarna syns för dig.",
        f"Skriv ut deltagarmaterialet, ett för varje deltagare ({stamp.audience_name}).",
        confirm,
        f"Ta reda på vilka yrken deltagarna har. Materialet är gjort för {stamp.audience_name}: "
        "välj exempel och frågor efter gruppen.",
        "Läs anteckningarna till varje bild i den här handledningen. Valfria frågor är märkta: "
        "hoppa över dem när tiden är knapp.",
    ]
    if pack.sources.course.evaluation:
        items.append("Ta med utvärderingen, på papper eller som länk.")
    guide.append(Block("heading", "Före kursen", level=1))
    guide.append(Block("checklist", items=tuple(items)))
    for addition in local:
        _to_confirm(pack, addition)


def _to_confirm(pack: Pack, addition: LocalAddition) -> None:
    """The district's contacts with whether each is confirmed, and the routines it has not decided."""
    contacts, routines = addition.unconfirmed()
    if not (contacts or routines):
        return
    pack.guide.append(Block("heading", f"Att bekräfta före kursen – {pack.stamp.district_name}", level=2))
    pack.guide.append(
        Block(
            "paragraph",
            "Det här har området inte bekräftat. Det står inte på bilderna eller i deltagarmaterialet "
            "förrän området har bekräftat det.",
        )
    )
    if contacts:
        pack.guide.append(Block("table", rows=contact_rows(addition)))
    for routine in routines:
        pack.guide.append(Block("paragraph", f"Rutin som området inte har fastställt: {routine.title}"))
        pack.guide.append(Block("numbered", items=tuple(routine.steps)))


def opening_script(
    pack: Pack, track: Track, rows: list[ScheduleRow], points: tuple[str, ...], local: list[LocalAddition]
) -> None:
    """The welcome as a script: who you are, what the training is for, the agenda; then its slides' pages."""
    guide = pack.guide
    guide.append(Block("heading", "Så inleder du", level=1))
    guide.append(Block("paragraph", f"Välkommen och dagens upplägg: {track.welcome} minuter. Säg ungefär så här:"))
    guide.append(
        Block(
            "note",
            "Välkomna! Jag heter … och arbetar som … . Be deltagarna säga sitt namn, sin verksamhet "
            "och om de har varit med på en SIP.",
        )
    )
    if points:
        guide.append(Block("note", "Säg vad utbildningen är till för: det här ska ni ha med er när vi är klara."))
        guide.append(Block("bullets", items=points))
    agenda = schedule_table(track, rows, minutes_column=False)[1:]
    guide.append(Block("note", "Gå igenom dagens upplägg på bild 2:"))
    guide.append(Block("bullets", items=tuple(f"{when} {what}" for when, what in agenda)))
    guide.append(
        Block(
            "note",
            "Säg att deltagarmaterialet har checklistan, "
            + ("de lokala kontakterna, " if any(confirmed_contacts(a) for a in local) else "")
            + "de ifyllda exemplen och facit, och att frågor är välkomna hela tiden.",
        )
    )
    pack.mark(track.welcome)


def closing_script(pack: Pack, track: Track, points: tuple[str, ...], local: list[LocalAddition]) -> None:
    """The close as a script: the takeaways, where the material is, the evaluation; then its slides' pages."""
    course, guide = pack.sources.course, pack.guide
    guide.append(Block("heading", "Så avslutar du", level=1))
    guide.append(
        Block("paragraph", f"Frågor, utvärdering och avslutning: {track.closing} minuter. Säg ungefär så här:")
    )
    if points:
        guide.append(Block("note", "Det här är det viktigaste att ta med sig:"))
        guide.append(Block("bullets", items=points))
    guide.append(Block("note", "Be var och en säga en sak som hen gör först när hen är tillbaka i sin verksamhet."))
    if any(confirmed_contacts(addition) for addition in local):
        guide.append(Block("note", f"Visa var kontakterna i {pack.stamp.district_name} står i deltagarmaterialet."))
    else:
        guide.append(Block("note", f"Säg vem deltagarna vänder sig till: {' '.join(contact_route(pack))}"))
    if course.material:
        guide.append(Block("note", f"Säg var materialet finns: {' '.join(course.material.split())}"))
    if course.evaluation:
        guide.append(Block("note", f"Dela ut utvärderingen: {' '.join(course.evaluation.split())}"))
    pack.mark(track.closing)


def spread(minutes: int, weights: list[int]) -> list[int]:
    """``minutes`` shared by ``weights`` in whole minutes that add up to ``minutes`` (largest remainders up)."""
    total = sum(weights)
    if not weights or total <= 0:
        return [0] * len(weights)
    shares = [minutes * weight / total for weight in weights]
    whole = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda i: (whole[i] - shares[i], i))
    for i in order[: minutes - sum(whole)]:
        whole[i] += 1
    return whole


def guide_with_slides(pack: Pack) -> tuple[Block, ...]:
    """The guide's blocks with every slide's page placed where its part of the schedule marked it."""
    slides, guide = pack.deck.slides, pack.guide
    blocks: list[Block] = []
    done = 0
    for index, (at, first, minutes) in enumerate(pack.slots):
        end = pack.slots[index + 1][1] if index + 1 < len(pack.slots) else len(slides)
        blocks.extend(guide[done:at])
        done = at
        part = slides[first:end]
        for slide, share in zip(part, _shares(part, minutes), strict=True):
            blocks.extend(_page(slide, share))
    blocks.extend(guide[done:])
    return tuple(blocks)


def _shares(part: list[PlanSlide], minutes: int) -> list[int]:
    """Each slide's minutes: an exercise its own and the debrief's (as far as the part has them), the rest spread."""
    fixed = [s.exercise.minutes + DEBRIEF_MINUTES if s.exercise else 0 for s in part]
    if sum(fixed) > minutes:  # the part is shorter than its exercises: spread them too
        fixed = spread(minutes, fixed) if any(fixed) else fixed
    rest = minutes - sum(fixed)
    weights = [0 if s.exercise else 1 if s.kind in _LIGHT else 2 for s in part]
    if not any(weights):  # only exercises: they share the whole part
        return spread(minutes, [f or 1 for f in fixed])
    return [f + r for f, r in zip(fixed, spread(rest, weights), strict=True)]


#: Slide pages already made in this process: most slides are the same in every district's guide.
_PAGES: dict[tuple[PlanSlide, int], tuple[Block, Block]] = {}


def _page(slide: PlanSlide, minutes: int) -> tuple[Block, Block]:
    key = (slide, minutes)
    page = _PAGES.get(key)
    if page is None:
        notes = (*_exercise_lines(slide), *note_lines(slide.notes))
        sketch = SlidePage(slide.number, slide.title, minutes, _sketch(slide), _LABELS.get(slide.kind, ""), notes)
        heading = Block("heading", f"Bild {slide.number}: {slide.title}", level=3)
        page = remember(_PAGES, key, (heading, Block("slide", slide=sketch)), 4096)
    return page


def _exercise_lines(slide: PlanSlide) -> tuple[NoteLine, ...]:
    """How to run an exercise: the task, group size and minutes, then the debrief questions."""
    exercise = slide.exercise
    if exercise is None:
        return ()
    run = NoteLine(
        "say",
        f"{exercise.group}, {exercise.minutes} minuter, och {DEBRIEF_MINUTES} minuter för att samla ihop: "
        f"{exercise.task}",
        "Övning:",
    )
    return (run, *(NoteLine("ask", question, DEBRIEF) for question in exercise.debrief))


def _sketch(slide: PlanSlide) -> tuple[str, ...]:
    """The slide's first lines, shortened, as its sketch in the guide shows them."""
    lines: list[str] = []
    if slide.table:
        lines.extend(" · ".join(cell for cell in row if cell) for row in slide.table[1:])
    elif slide.columns:
        lines.extend(f"{column.heading}: {', '.join(column.bullets)}" for column in slide.columns)
    elif slide.kind == "quiz" or slide.numbered:
        lines.extend(f"{n}. {bullet}" for n, bullet in enumerate(slide.bullets, start=slide.start_at))
    else:
        lines.extend(slide.lines())
    if slide.diagram is not None:
        lines.insert(0, f"[Bild: {slide.diagram.title}]")
    elif slide.image is not None:
        lines.insert(0, "[Bild]")
    shown = [_shorten(line) for line in lines[:SKETCH_LINES]]
    if len(lines) > SKETCH_LINES:
        shown[-1] = "…"
    return tuple(shown)


def _shorten(line: str) -> str:
    if len(line) <= SKETCH_CHARACTERS:
        return line
    return line[: SKETCH_CHARACTERS - 1].rsplit(" ", 1)[0] + " …"


def note_lines(notes: str) -> tuple[NoteLine, ...]:
    """A slide's notes as paragraphs, with its questions for the group and its optional questions apart.

    A question runs from its marking ("Fråga gruppen:", "Valfri fråga om tiden räcker:") over the
    sentences after it that end in a question mark.
    """
    lines: list[NoteLine] = []
    for paragraph in notes.split("\n\n"):
        text = " ".join(paragraph.split())
        if not text:
            continue
        pieces = _MARKS.split(text)
        lead = pieces[0].strip()
        for mark, rest in zip(pieces[1::2], pieces[2::2], strict=True):
            sentences = _SENTENCE.split(rest.strip())
            count = 1
            while count < len(sentences) and sentences[count].endswith("?"):
                count += 1
            question, after = " ".join(sentences[:count]), " ".join(sentences[count:])
            kind: NoteKind = "optional" if mark == OPTIONAL else "ask"
            if lead and _LEAD.match(lead):
                lines.append(NoteLine(kind, question, lead))
            else:
                if lead:
                    lines.append(NoteLine("say", lead))
                lines.append(NoteLine(kind, question))
            lead = after
        if lead:
            lines.append(NoteLine("say", lead))
    return tuple(lines)
