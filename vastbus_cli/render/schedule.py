"""Tracks and the schedule: which modules, slides and questions an audience gets, and when.

Pure: models in, frozen dataclasses and table rows out. The agenda slide and the trainer
guide's schedule are both made from ``schedule_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vastbus_cli.models import Course, LocalAddition, Module, QuizItem, Slide, Track, TrackModule


def applies_to(audiences: list[str] | None, audience: str) -> bool:
    """Whether material limited to ``audiences`` (None: everyone) is for ``audience``."""
    return audiences is None or audience in audiences


def track_for(course: Course, modules: dict[str, Module], audience: str) -> Track:
    """The track an audience follows; without tracks, every module at its own minutes."""
    for track in course.tracks:
        if audience in track.audiences:
            return track
    # Built without validation: a long course may exceed a declared track's limits.
    return Track.model_construct(
        id="hela",
        name="Hela kursen",
        audiences=[audience],
        budget=sum(modules[m].minutes for m in course.modules if m in modules) + 15,
        start=None,
        welcome=10,
        closing=5,
        modules=[
            TrackModule.model_construct(module=m, minutes=modules[m].minutes, slides=None, quiz=None)
            for m in course.modules
            if m in modules
        ],
        breaks=[],
    )


@dataclass(frozen=True)
class Taught:
    """A module as one audience's track teaches it."""

    module: Module
    minutes: int
    slides: tuple[Slide, ...]
    quiz: tuple[QuizItem, ...]
    #: The module's objectives this track teaches (course.yaml may pick them by number).
    objectives: tuple[str, ...] = ()


def taught_modules(track: Track, modules: dict[str, Module], audience: str) -> list[Taught]:
    """The track's modules with the slides and questions this audience gets, in the track's order."""
    taught = []
    for entry in track.modules:
        module = modules.get(entry.module)
        if module is None or not applies_to(module.audiences, audience):
            continue
        slides = tuple(
            s
            for s in module.slides
            if (entry.slides is None or s.id in entry.slides) and applies_to(s.audiences, audience)
        )
        quiz = tuple(
            q for q in module.quiz if (entry.quiz is None or q.id in entry.quiz) and applies_to(q.audiences, audience)
        )
        objectives = tuple(
            text
            for number, text in enumerate(module.objectives, start=1)
            if entry.objectives is None or number in entry.objectives
        )
        taught.append(Taught(module, entry.minutes, slides, quiz, objectives))
    return taught


def taught_targets(taught: list[Taught]) -> frozenset[tuple[str, str | None]]:
    """What a ``see:`` may point to in this pack: each module taught, and each of its slides shown."""
    targets: set[tuple[str, str | None]] = set()
    for item in taught:
        targets.add((item.module.id, None))
        targets.update((item.module.id, slide.id) for slide in item.slides)
    return frozenset(targets)


def see_also(slide: Slide, taught: frozenset[tuple[str, str | None]]) -> str:
    """The slide's pointers to other material, for its notes.

    Each ``see`` gives its ``text`` where the pack teaches the target, else its ``otherwise`` (or nothing).
    """
    written = []
    for see in slide.see:
        here = (see.module, see.slide) in taught
        sentence = see.text if here else see.otherwise
        if sentence:
            written.append(" ".join(sentence.split()))
    return " ".join(written)


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the agenda: what, how long, and whether it is a pause."""

    title: str
    minutes: int
    kind: Literal["welcome", "module", "local", "break", "closing"]


def clock(start: str | None, minute: int) -> str:
    """The clock time ``minute`` minutes after ``start`` (13.00), or the minute itself without a start."""
    if start is None:
        return f"{minute}"
    hours, minutes = (int(part) for part in start.split("."))
    total = hours * 60 + minutes + minute
    return f"{total // 60 % 24:02d}.{total % 60:02d}"


def _when(start: str | None, begin: int, end: int) -> str:
    if start is None:
        return f"{begin}–{end} min"
    return f"{clock(start, begin)}–{clock(start, end)}"


def schedule_rows(
    track: Track, taught: list[Taught], local: list[LocalAddition], district_name: str
) -> list[ScheduleRow]:
    """The agenda: welcome, each module (and the local additions after it), breaks, closing."""
    rows = [ScheduleRow("Välkommen och dagens upplägg", track.welcome, "welcome")] if track.welcome else []
    breaks = {b.after: b for b in track.breaks}
    for item in taught:
        rows.append(ScheduleRow(item.module.title, item.minutes, "module"))
        for addition in local:
            if addition.after == item.module.id and addition.minutes:
                rows.append(ScheduleRow(local_title(addition, district_name), addition.minutes, "local"))
        pause = breaks.get(item.module.id)
        if pause:
            rows.append(ScheduleRow(pause.title, pause.minutes, "break"))
    placed = {item.module.id for item in taught}
    for addition in local:
        if addition.after not in placed and addition.minutes:
            rows.append(ScheduleRow(local_title(addition, district_name), addition.minutes, "local"))
    if track.closing:
        rows.append(ScheduleRow("Frågor, utvärdering och avslutning", track.closing, "closing"))
    return rows


def local_title(addition: LocalAddition, district_name: str) -> str:
    """The local part's title, naming the district once."""
    if district_name.lower() in addition.title.lower():
        return addition.title
    return f"Lokalt i {district_name}: {addition.title}"


def schedule_table(track: Track, rows: list[ScheduleRow], *, minutes_column: bool) -> tuple[tuple[str, ...], ...]:
    """The schedule as table rows: time, content (and minutes with a total)."""
    table: list[tuple[str, ...]] = [("Tid", "Innehåll", "Minuter") if minutes_column else ("Tid", "Innehåll")]
    elapsed = 0
    for row in rows:
        when = _when(track.start, elapsed, elapsed + row.minutes)
        table.append((when, row.title, str(row.minutes)) if minutes_column else (when, row.title))
        elapsed += row.minutes
    if minutes_column:
        table.append(("", "Totalt", str(elapsed)))
    return tuple(table)


def ends_after(rows: list[ScheduleRow], title: str) -> int:
    """Minutes from the start until the break after the module ``title`` ends."""
    elapsed = 0
    seen = False
    for row in rows:
        elapsed += row.minutes
        if row.title == title:
            seen = True
        elif seen and row.kind == "break":
            return elapsed
    return elapsed
