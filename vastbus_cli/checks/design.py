"""Design rules: the slides a build would draw, measured with the template's font and boxes.

The rules read the plan (:mod:`vastbus_cli.buildsources`, :mod:`vastbus_cli.render.plan`) of
every district's pack for every audience, so a district's local slides get the same
feedback as the central ones, and measure text with the real advance widths of the
template's font (:mod:`vastbus_cli.render.metrics`) in the boxes of the template's layouts.
A build refuses a workspace with errors, so the plan is made only when the other rules
found none. Thresholds are data: :data:`LIMITS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vastbus_cli.checks.context import Context
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import Course, Track
from vastbus_cli.render.contract import LAYOUT_FOR_KIND, SLIDES_TEMPLATE, layout_for
from vastbus_cli.render.metrics import TextBox, layout_boxes, table_height
from vastbus_cli.render.packplan import PackPlan, PlanSlide
from vastbus_cli.rules import DESIGN, ERROR, WARNING, Rule
from vastbus_cli.workspace import Document


@dataclass(frozen=True)
class Limits:
    """The thresholds of the design rules."""

    bullets: int = 6  # bullets on a content slide
    words: int = 40  # words on a content slide, titles excluded
    body_points: float = 24.0  # smallest body text as rendered
    statement_points: float = 40.0  # a statement slide's sentence
    title_points: float = 28.0  # smallest title as rendered
    title_lines: int = 2  # lines a title may wrap to at its layout's size
    minutes_per_slide: int = 3  # a track's slide budget: one slide per this many minutes
    label_tolerance: int = 0  # minutes a track's name may differ from its agenda total


LIMITS = Limits()

_MEANING_DENSE = N_("a content slide has more than six bullets or forty words")
DESIGN_BULLETS = Rule("design/too-many-bullets", WARNING, DESIGN, _MEANING_DENSE)
DESIGN_WORDS = Rule("design/too-many-words", WARNING, DESIGN, _MEANING_DENSE)
DESIGN_SMALL = Rule(
    "design/small-type",
    WARNING,
    DESIGN,
    N_("text would be drawn under 24 pt (titles 28 pt, a statement 40 pt): it does not fit its box at that size"),
)
DESIGN_TITLE = Rule("design/long-title", WARNING, DESIGN, N_("a slide title wraps to more than two lines"))
DESIGN_BUDGET = Rule(
    "design/slide-budget",
    ERROR,
    DESIGN,
    N_("a track has more than one slide per three minutes (an error for the core, shortest, track)"),
    also=(WARNING,),
)
DESIGN_LABEL = Rule(
    "design/duration-label", ERROR, DESIGN, N_("a track's name gives another length than its agenda adds up to")
)
DESIGN_QUIZ = Rule(
    "design/quiz-title",
    ERROR,
    DESIGN,
    N_("a quiz question does not fit beside the QUIZ label at its size (at least 28 pt)"),
)
RULES: tuple[Rule, ...] = (
    DESIGN_BULLETS,
    DESIGN_WORDS,
    DESIGN_SMALL,
    DESIGN_TITLE,
    DESIGN_BUDGET,
    DESIGN_LABEL,
    DESIGN_QUIZ,
)

#: Slides whose body is bullets a trainer wrote: the ones held to six bullets and forty words.
_CONTENT_KINDS = frozenset({"content", "two-content", "local", "statement", "case", "exercise", "takeaways"})
#: What each body placeholder of a case, an exercise and takeaways holds, for the messages.
_PART_NAMES = {
    "case": {1: N_("person"), 2: N_("situation"), 3: N_("question")},
    "exercise": {1: N_("task"), 2: N_("debrief questions"), 3: N_("minutes and group size")},
    "takeaways": {1: N_("points"), 2: N_("call to action")},
}
_TEXT_SHARE = 38  # per cent of the body's width the writer leaves for text beside a picture or diagram

_NUMBER_WORDS = {"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8}
_MINUTES = re.compile(r"(\d+)\s*min", re.IGNORECASE)
#: A track name that gives its length before the district's local part: "80 minuter + lokal del".
_PLUS_LOCAL = re.compile(r"\+\s*lokal", re.IGNORECASE)
_HOURS = re.compile(r"(\d+(?:[,.]\d+)?|en|ett|två|tre|fyra|fem|sex|sju|åtta)\s+timm(?:e|ar)\b", re.IGNORECASE)

Where = tuple[Document[Any], tuple[Any, ...]]


def labelled_minutes(name: str) -> int | None:
    """The length a track's name gives, in minutes ("cirka 90 minuter", "två timmar"); None if it gives none."""
    found = _MINUTES.search(name)
    if found:
        return int(found.group(1))
    hours = _HOURS.search(name)
    if hours is None:
        return None
    word = hours.group(1).lower()
    return round(float(_NUMBER_WORDS.get(word, 0) or word.replace(",", ".")) * 60)


def core_tracks(course: Course) -> set[str]:
    """The core tracks: the shortest (smallest budget); the course marks no track otherwise."""
    if not course.tracks:
        return set()
    shortest = min(track.budget for track in course.tracks)
    return {track.id for track in course.tracks if track.budget == shortest}


def check_design(ctx: Context) -> Iterator[Finding]:
    """The design rules, on every pack a build would plan; only when no other rule found an error."""
    course_doc = ctx.workspace.course
    if ctx.errors or course_doc is None or course_doc.model is None or ctx.workspace.districts is None:
        return
    from vastbus_cli.buildsources import sources_for
    from vastbus_cli.render.plan import plan_pack
    from vastbus_cli.render.planlocal import local_for
    from vastbus_cli.render.schedule import schedule_rows, taught_modules, track_for

    sources = sources_for(ctx.workspace, ctx.current.id, ctx.as_of)
    course = course_doc.model
    boxes = _template_boxes(ctx.workspace.root)
    where = _locations(ctx)
    seen: set[tuple[str, str, tuple[Any, ...]]] = set()
    measured: dict[int, tuple[PlanSlide, list[tuple[Rule, Severity, str]]]] = {}
    # Slides over budget per track: (slides, minutes, which pack), the worst pack.
    worst: dict[str, tuple[int, int, str]] = {}
    totals: dict[str, dict[int, str]] = {}  # per track: each agenda total and the first pack with it
    before_local: dict[str, dict[int, str]] = {}  # the same without the district's local part
    root = ctx.workspace.root.as_posix()
    for district in (None, *sources.districts):
        for audience in course.audiences:
            track = track_for(course, sources.modules, audience.id)
            local = local_for(sources.local, district, audience.id)
            if district is not None and not local:
                continue  # the same slides as the central pack
            plan = plan_pack(sources, audience, district, root)
            taught = taught_modules(track, sources.modules, audience.id)
            minutes = sum(row.minutes for row in schedule_rows(track, taught, local, plan.stamp.district_name))
            _note_budget(worst, track, plan, minutes)
            totals.setdefault(track.id, {}).setdefault(minutes, f"{audience.id} ({plan.stamp.district})")
            if local:  # what the agenda adds up to before the local part, for names like "80 minuter + lokal del"
                before = sum(row.minutes for row in schedule_rows(track, taught, [], plan.stamp.district_name))
                before_local.setdefault(track.id, {}).setdefault(before, f"{audience.id} ({plan.stamp.district})")
            else:
                before_local.setdefault(track.id, {}).setdefault(minutes, f"{audience.id} ({plan.stamp.district})")
            for slide in plan.slides:
                kept = measured.get(id(slide))
                if kept is None or kept[0] is not slide:
                    kept = measured[id(slide)] = (slide, list(_slide_problems(slide, boxes)))
                for rule, severity, message in kept[1]:
                    doc, loc = where.get(_where_key(slide), (course_doc, _track_loc(course, track)))
                    key = (rule.id, doc.rel, loc)
                    if key not in seen:
                        seen.add(key)
                        yield ctx.finding(rule, severity, message, doc, loc)
    yield from _check_labels(ctx, course_doc, course, totals, before_local)
    yield from _check_budgets(ctx, course_doc, course, worst)


def _track_loc(course: Course, track: Track) -> tuple[Any, ...]:
    for index, candidate in enumerate(course.tracks):
        if candidate.id == track.id:
            return ("tracks", index, "name")
    return ()


def _where_key(slide: PlanSlide) -> tuple[str, str]:
    return ("quiz" if slide.kind == "quiz" else "slide", slide.title)


def _locations(ctx: Context) -> dict[tuple[str, str], Where]:
    """Where each slide title and quiz question is written in the YAML, the first place winning."""
    found: dict[tuple[str, str], Where] = {}
    for doc in ctx.workspace.modules:
        if doc.model is None:
            continue
        for index, slide in enumerate(doc.model.slides):
            found.setdefault(("slide", slide.title), (doc, ("slides", index, "title")))
        for index, item in enumerate(doc.model.quiz):
            found.setdefault(("quiz", item.question), (doc, ("quiz", index, "question")))
    for local in ctx.workspace.local:
        if local.model is None:
            continue
        found.setdefault(("slide", local.model.title), (local, ("title",)))
        for index, slide in enumerate(local.model.slides):
            found.setdefault(("slide", slide.title), (local, ("slides", index, "title")))
        for index, routine in enumerate(local.model.routines):
            found.setdefault(("slide", routine.title), (local, ("routines", index, "title")))
    return found


def _template_boxes(root: Path) -> dict[str, dict[int, TextBox]] | None:
    """The slide template's text boxes; None when it cannot be used (the template rules say why)."""
    from vastbus_cli.render.templates import BrokenTemplate, usable_package

    path = root / "templates" / SLIDES_TEMPLATE
    try:
        return layout_boxes(usable_package(str(path), "pptx", path.stat().st_mtime).parts)
    except (OSError, BrokenTemplate):
        return None


def _slide_problems(
    slide: PlanSlide, boxes: dict[str, dict[int, TextBox]] | None
) -> Iterator[tuple[Rule, Severity, str]]:
    """What is wrong with one planned slide, as (rule, severity, message)."""
    name = _("slide '{title}'").format(title=_short(slide.title))
    if slide.kind in _CONTENT_KINDS and not slide.table:
        bullets = [b for b in slide.bullets if b] + [b for c in slide.columns for b in c.bullets if b]
        words = sum(len(line.split()) for line in slide.lines())
        if len(bullets) > LIMITS.bullets:
            yield (
                DESIGN_BULLETS,
                Severity.WARNING,
                _("{name} has {n} bullets (at most {most})").format(name=name, n=len(bullets), most=LIMITS.bullets),
            )
        if words > LIMITS.words:
            yield (
                DESIGN_WORDS,
                Severity.WARNING,
                _("{name} has {words} words (at most {most})").format(name=name, words=words, most=LIMITS.words),
            )
    if boxes is None:
        return
    name_of_layout = layout_for(slide.kind, boxes.__contains__)
    layout = boxes.get(name_of_layout, {})
    if name_of_layout != LAYOUT_FOR_KIND[slide.kind]:  # drawn on a stand-in layout: its lines as bullets
        slide = slide.as_bullets()
    title = layout.get(0)
    if title is not None and slide.title:
        yield from _title_problems(slide, title, name)
    yield from _body_problems(slide, layout, name)


def _title_problems(slide: PlanSlide, box: TextBox, name: str) -> Iterator[tuple[Rule, Severity, str]]:
    minimum = LIMITS.title_points
    size = max(box.size, minimum)  # the writer sets titles at the layout's size and never shrinks them
    if slide.kind == "quiz":
        if not box.fits((slide.title,), size):
            lines = box.lines((slide.title,), size)
            yield (
                DESIGN_QUIZ,
                Severity.ERROR,
                _(
                    "quiz question '{title}' takes {lines} lines at {size:g} pt and does not fit beside the "
                    "QUIZ label; shorten the question"
                ).format(title=_short(slide.title), lines=lines, size=size),
            )
        return
    lines = box.lines((slide.title,), size)
    if lines > LIMITS.title_lines:
        yield (
            DESIGN_TITLE,
            Severity.WARNING,
            _("{name}: the title wraps to {lines} lines at {size:g} pt (at most {most})").format(
                name=name, lines=lines, size=size, most=LIMITS.title_lines
            ),
        )
    elif not box.fits((slide.title,), minimum):
        yield (
            DESIGN_SMALL,
            Severity.WARNING,
            _("{name}: the title does not fit its box at {minimum:g} pt").format(name=name, minimum=minimum),
        )


def _body_problems(slide: PlanSlide, layout: dict[int, TextBox], name: str) -> Iterator[tuple[Rule, Severity, str]]:
    minimum = LIMITS.body_points
    body = layout.get(1)
    if body is None:
        return
    if slide.table:
        if not _table_fits(slide.table, body.box, minimum):
            yield (
                DESIGN_SMALL,
                Severity.WARNING,
                _(
                    "{name}: the table's {n} rows do not fit at {minimum:g} pt; split it or move it to the handout"
                ).format(name=name, n=len(slide.table), minimum=minimum),
            )
        return
    if slide.kind == "two-content":
        columns = [(layout.get(i, body), (c.heading, *c.bullets)) for i, c in zip((1, 2), slide.columns, strict=False)]
        if any(not box.fits(tuple(p for p in lines if p), minimum) for box, lines in columns):
            yield (
                DESIGN_SMALL,
                Severity.WARNING,
                _("{name}: a column's text does not fit at {minimum:g} pt").format(name=name, minimum=minimum),
            )
        return
    if len(slide.parts()) > 1:  # a case, an exercise, takeaways: each part in its own box
        for idx, part in slide.parts().items():
            box = layout.get(idx)
            if box is not None and part and not box.fits(part, minimum):
                yield (
                    DESIGN_SMALL,
                    Severity.WARNING,
                    _("{name}: its {part} does not fit its box at {minimum:g} pt; shorten it").format(
                        name=name, part=_(_PART_NAMES[slide.kind][idx]), minimum=minimum
                    ),
                )
        return
    lines = tuple(b for b in slide.bullets if b)
    if not lines:
        return
    if slide.kind == "statement":
        minimum = LIMITS.statement_points
    box = body
    if slide.image is not None or (slide.diagram is not None and slide.diagram.kind != "steps"):
        x, y, cx, cy = body.box
        box = body.resized((x, y, cx * _TEXT_SHARE // 100, cy))
    elif slide.diagram is not None:
        x, y, cx, cy = body.box
        box = body.resized((x, y, cx, min(cy // 2, 150_000 + len(lines) * 480_000)))
    if not box.fits(lines, minimum):
        yield (
            DESIGN_SMALL,
            Severity.WARNING,
            _(
                "{name}: the text does not fit its box at {minimum:g} pt, so it would be drawn smaller; "
                "shorten it or move some to the notes"
            ).format(name=name, minimum=minimum),
        )


def _table_fits(table: tuple[tuple[str, ...], ...], box: tuple[int, int, int, int], size: float) -> bool:
    """Whether a table fits the body at ``size``, its columns and rows measured as the writer draws them."""
    return table_height(table, box[2], round(size * 100)) <= box[3]


def _note_budget(worst: dict[str, tuple[int, int, str]], track: Track, plan: PackPlan, minutes: int) -> None:
    slides = len(plan.slides)
    allowed = minutes // LIMITS.minutes_per_slide
    over = slides - allowed
    kept = worst.get(track.id)
    if kept is None or over > kept[0] - kept[1] // LIMITS.minutes_per_slide:
        pack = f"{plan.stamp.audience} ({plan.stamp.district})"
        worst[track.id] = (slides, minutes, pack)


def _check_budgets(
    ctx: Context, doc: Document[Course], course: Course, worst: dict[str, tuple[int, int, str]]
) -> Iterator[Finding]:
    core = core_tracks(course)
    for index, track in enumerate(course.tracks):
        if track.id not in worst:
            continue
        slides, minutes, pack = worst[track.id]
        allowed = minutes // LIMITS.minutes_per_slide
        if slides <= allowed:
            continue
        severity = Severity.ERROR if track.id in core else Severity.WARNING
        yield ctx.finding(
            DESIGN_BUDGET,
            severity,
            _(
                "track '{track}' plans {slides} slides for {minutes} minutes (pack {pack}); at most "
                "{allowed}, one per {minutes_per_slide} minutes, title and closing included"
            ).format(
                track=track.id,
                slides=slides,
                minutes=minutes,
                pack=pack,
                allowed=allowed,
                minutes_per_slide=LIMITS.minutes_per_slide,
            ),
            doc,
            ("tracks", index, "id"),
            hint=_("move detail to the speaker notes and the handout, and merge or drop slides"),
        )


def _check_labels(
    ctx: Context,
    doc: Document[Course],
    course: Course,
    totals: dict[str, dict[int, str]],
    before_local: dict[str, dict[int, str]],
) -> Iterator[Finding]:
    """A track whose name gives a length that one of its packs' agendas does not add up to.

    A name that adds the local part to its length ("80 minuter + lokal del") is held to the
    agenda without the district's local part.
    """
    for index, track in enumerate(course.tracks):
        said = labelled_minutes(track.name)
        if said is None:
            continue
        compared = before_local if _PLUS_LOCAL.search(track.name) else totals
        wrong = {m: pack for m, pack in compared.get(track.id, {}).items() if abs(m - said) > LIMITS.label_tolerance}
        if not wrong:
            continue
        shown = ", ".join(
            _("{minutes} minutes in pack {pack}").format(minutes=minutes, pack=pack)
            for minutes, pack in sorted(wrong.items())
        )
        yield ctx.finding(
            DESIGN_LABEL,
            Severity.ERROR,
            _("track '{track}' is called '{name}' ({said} minutes) but its agenda adds up to {shown}").format(
                track=track.id, name=track.name, said=said, shown=shown
            ),
            doc,
            ("tracks", index, "name"),
            hint=_("make the name say what the agenda adds up to, local part included, or cut the agenda"),
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["LIMITS", "RULES", "Limits", "check_design", "core_tracks", "labelled_minutes"]
