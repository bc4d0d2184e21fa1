"""Checks of the course's tracks and the diagrams its slides draw.

A track is what one group of audiences is taught: the modules, slides and questions,
with minutes. It must fit its time budget (with each district's local part) and still
correct every misconception the guidelines list; a diagram must exist, have the
boxes its kind can draw, and a step tracker must point at a step that exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vastbus_cli.checks.context import ID_DUPLICATE, Context
from vastbus_cli.checks.curriculum import AUDIENCE_UNKNOWN
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.models import DIAGRAM_LIMITS, Course, Diagram, District, Module, Slide, Track
from vastbus_cli.rules import DIAGRAM, ERROR, INFO, TRACK, Rule
from vastbus_cli.workspace import Document, LocalDocument

_TRACK_NAMES = N_("a track names material that does not exist, or an audience is in two tracks or none")
_DIAGRAM = N_(
    "a slide names a diagram no module declares, a diagram has too few or too many boxes, or a "
    "step the tracker does not have"
)
TRACK_OVER_BUDGET = Rule(
    "track/over-budget",
    ERROR,
    TRACK,
    N_("a track's minutes (welcome, modules, breaks, closing, and a district's local part) exceed its budget"),
)
TRACK_MISCONCEPTION_MISSING = Rule(
    "track/misconception-missing",
    ERROR,
    TRACK,
    N_("a track leaves out every slide and question that corrects one of the guidelines' misconceptions"),
)
TRACK_MISCONCEPTION_UNQUIZZED = Rule(
    "track/misconception-unquizzed",
    ERROR,
    TRACK,
    N_(
        "a track asks no quiz question on a misconception the guidelines mark `quizzed: true` (the "
        "ones the districts asked the course to correct: only the most complex cases, the ordering "
        "forum)"
    ),
)
TRACK_UNKNOWN_MODULE = Rule("track/unknown-module", ERROR, TRACK, _TRACK_NAMES)
TRACK_UNKNOWN_SLIDE = Rule("track/unknown-slide", ERROR, TRACK, _TRACK_NAMES)
TRACK_UNKNOWN_QUIZ = Rule("track/unknown-quiz", ERROR, TRACK, _TRACK_NAMES)
TRACK_UNKNOWN_OBJECTIVE = Rule("track/unknown-objective", ERROR, TRACK, _TRACK_NAMES)
TRACK_AUDIENCE_TWICE = Rule("track/audience-twice", ERROR, TRACK, _TRACK_NAMES)
TRACK_AUDIENCE_MISSING = Rule("track/audience-missing", ERROR, TRACK, _TRACK_NAMES)
TRACK_ONLY_FULL = Rule(
    "track/only-full",
    INFO,
    TRACK,
    N_(
        "slides of a module are in no track but the full one, although a shorter track could show them: the tracks "
        "that list slides by name leave out a slide added to the module"
    ),
)
DIAGRAM_UNKNOWN = Rule("diagram/unknown", ERROR, DIAGRAM, _DIAGRAM)
DIAGRAM_ITEMS = Rule("diagram/items", ERROR, DIAGRAM, _DIAGRAM)
DIAGRAM_STEP = Rule("diagram/step", ERROR, DIAGRAM, _DIAGRAM)
DIAGRAM_NO_TRACKER = Rule("diagram/no-tracker", ERROR, DIAGRAM, _DIAGRAM)

RULES: tuple[Rule, ...] = (
    TRACK_OVER_BUDGET,
    TRACK_MISCONCEPTION_MISSING,
    TRACK_MISCONCEPTION_UNQUIZZED,
    TRACK_UNKNOWN_MODULE,
    TRACK_UNKNOWN_SLIDE,
    TRACK_UNKNOWN_QUIZ,
    TRACK_UNKNOWN_OBJECTIVE,
    TRACK_AUDIENCE_TWICE,
    TRACK_AUDIENCE_MISSING,
    TRACK_ONLY_FULL,
    DIAGRAM_UNKNOWN,
    DIAGRAM_ITEMS,
    DIAGRAM_STEP,
    DIAGRAM_NO_TRACKER,
)


def _modules(ctx: Context) -> dict[str, Module]:
    found: dict[str, Module] = {}
    for doc in ctx.workspace.modules:
        if doc.model is not None:
            found.setdefault(doc.model.id, doc.model)
    return found


def check_tracks(ctx: Context) -> Iterator[Finding]:
    """Every audience follows one track; each track fits its budget and corrects every misconception."""
    doc = ctx.workspace.course
    if doc is None or doc.model is None or not doc.model.tracks:
        return
    course = doc.model
    modules = _modules(ctx)
    audiences = {a.id for a in course.audiences}
    placed: dict[str, str] = {}
    for t_index, track in enumerate(course.tracks):
        here = ("tracks", t_index)
        for a_index, audience in enumerate(track.audiences):
            if audience not in audiences:
                yield ctx.unknown(
                    AUDIENCE_UNKNOWN,
                    _("track '{track}': unknown audience '{audience}'").format(track=track.id, audience=audience),
                    doc,
                    (*here, "audiences", a_index),
                    audience,
                    audiences,
                    otherwise=_("known audiences: {items}").format(items=", ".join(sorted(audiences))),
                )
            elif audience in placed:
                yield ctx.finding(
                    TRACK_AUDIENCE_TWICE,
                    Severity.ERROR,
                    _("audience '{audience}' is in track '{first}' and in track '{track}'").format(
                        audience=audience, first=placed[audience], track=track.id
                    ),
                    doc,
                    (*here, "audiences", a_index),
                    hint=_("each audience follows one track; remove it from one of them"),
                )
            placed.setdefault(audience, track.id)
        yield from _check_material(ctx, doc, track, here, modules)
        yield from _check_budget(ctx, doc, track, here)
        yield from _check_misconceptions(ctx, doc, track, here, modules)
    yield from _check_only_full(ctx, doc, course, modules)
    for index, group in enumerate(course.audiences):
        if group.id not in placed:
            yield ctx.finding(
                TRACK_AUDIENCE_MISSING,
                Severity.ERROR,
                _("audience '{audience}' is in no track, so no pack would say how long its course is").format(
                    audience=group.id
                ),
                doc,
                ("audiences", index, "id"),
                hint=_("add it to the 'audiences' of one track in course.yaml"),
            )


def _teaches(track: Track, module: Module, slide: Slide) -> bool:
    """Whether ``track`` shows ``slide`` of ``module`` (to some audience, if the slide is for some only)."""
    entry = next((e for e in track.modules if e.module == module.id), None)
    return entry is not None and (entry.slides is None or slide.id in entry.slides)


def _could_show(track: Track, module: Module, slide: Slide) -> bool:
    """Whether an audience of ``track`` may see ``slide`` at all (the module's and slide's audiences allow it)."""
    return any(
        (module.audiences is None or audience in module.audiences)
        and (slide.audiences is None or audience in slide.audiences)
        for audience in track.audiences
    )


def full_track(course: Course, modules: dict[str, Module]) -> Track | None:
    """The track that shows the most slides of the course (the first on a tie); None without tracks."""

    def shown(track: Track) -> int:
        return sum(_teaches(track, module, slide) for module in modules.values() for slide in module.slides)

    return max(course.tracks, key=shown, default=None)


def _check_only_full(
    ctx: Context, doc: Document[Course], course: Course, modules: dict[str, Module]
) -> Iterator[Finding]:
    """One ``track/only-full`` per module whose slides only the full track shows though another track could."""
    full = full_track(course, modules)
    if full is None or len(course.tracks) < 2:
        return
    others = [track for track in course.tracks if track is not full]
    for module_id in course.modules:
        module = modules.get(module_id)
        if module is None:
            continue
        left_out = [
            slide.id
            for slide in module.slides
            if any(_could_show(track, module, slide) for track in others)
            and not any(_teaches(track, module, slide) for track in others)
        ]
        if not left_out:
            continue
        names = ", ".join(track.id for track in others)
        yield ctx.finding(
            TRACK_ONLY_FULL,
            Severity.INFO,
            ngettext(
                "module '{module}': slide {slides} is only in the full track '{full}', in no other ({others})",
                "module '{module}': slides {slides} are only in the full track '{full}', in no other ({others})",
                len(left_out),
            ).format(module=module.id, slides=", ".join(left_out), full=full.id, others=names),
            doc,
            ("modules", course.modules.index(module_id)),
            hint=_(
                "if a shorter track should show them, add the slide ids to its 'slides:' for the module in "
                "course.yaml (or the module, if the track lacks it)"
            ),
        )


def _check_material(
    ctx: Context, doc: Document[Course], track: Track, here: tuple[Any, ...], modules: dict[str, Module]
) -> Iterator[Finding]:
    taught = [entry.module for entry in track.modules]
    for m_index, entry in enumerate(track.modules):
        module = modules.get(entry.module)
        if module is None:
            yield ctx.unknown(
                TRACK_UNKNOWN_MODULE,
                _("track '{track}': module '{module}' does not exist").format(track=track.id, module=entry.module),
                doc,
                (*here, "modules", m_index, "module"),
                entry.module,
                modules,
            )
            continue
        if taught.count(entry.module) > 1 and taught.index(entry.module) != m_index:
            yield ctx.finding(
                ID_DUPLICATE,
                Severity.ERROR,
                _("track '{track}' lists module '{module}' twice").format(track=track.id, module=entry.module),
                doc,
                (*here, "modules", m_index, "module"),
            )
        for rule, key, known in (
            (TRACK_UNKNOWN_SLIDE, "slides", [s.id for s in module.slides]),
            (TRACK_UNKNOWN_QUIZ, "quiz", [q.id for q in module.quiz]),
        ):
            for i_index, item in enumerate(getattr(entry, key) or []):
                if item not in known:
                    yield ctx.unknown(
                        rule,
                        (
                            _("track '{track}': module '{module}' has no slide '{item}'")
                            if key == "slides"
                            else _("track '{track}': module '{module}' has no quiz '{item}'")
                        ).format(track=track.id, module=module.id, item=item),
                        doc,
                        (*here, "modules", m_index, key, i_index),
                        item,
                        known,
                    )
        for o_index, number in enumerate(entry.objectives or []):
            if number > len(module.objectives):
                yield ctx.finding(
                    TRACK_UNKNOWN_OBJECTIVE,
                    Severity.ERROR,
                    _("track '{track}': module '{module}' has {n} objective(s), not {number}").format(
                        track=track.id, module=module.id, n=len(module.objectives), number=number
                    ),
                    doc,
                    (*here, "modules", m_index, "objectives", o_index),
                    hint=_("number the module's objectives 1 to {n}, in the order of its file").format(
                        n=len(module.objectives)
                    ),
                )
    for b_index, pause in enumerate(track.breaks):
        if pause.after not in taught:
            yield ctx.unknown(
                TRACK_UNKNOWN_MODULE,
                _("track '{track}': the break after '{after}' follows no module of the track").format(
                    track=track.id, after=pause.after
                ),
                doc,
                (*here, "breaks", b_index, "after"),
                pause.after,
                taught,
            )


def _check_budget(ctx: Context, doc: Document[Course], track: Track, here: tuple[Any, ...]) -> Iterator[Finding]:
    parts = _("{welcome} welcome + {modules} modules + {breaks} breaks + {closing} closing").format(
        welcome=track.welcome,
        modules=sum(m.minutes for m in track.modules),
        breaks=sum(b.minutes for b in track.breaks),
        closing=track.closing,
    )
    if track.minutes > track.budget:
        yield ctx.finding(
            TRACK_OVER_BUDGET,
            Severity.ERROR,
            _("track '{track}' takes {minutes} minutes ({parts}), over its budget of {budget}").format(
                track=track.id, minutes=track.minutes, parts=parts, budget=track.budget
            ),
            doc,
            (*here, "budget"),
            hint=_("shorten modules or drop slides from the track, or raise the budget"),
        )
        return
    taught = {entry.module for entry in track.modules}
    reported: set[str] = set()
    for district in _districts(ctx):
        for audience in track.audiences:
            parts_of_district = _local_parts(ctx, district, audience, taught)
            local_minutes = sum(local.model.minutes for local in parts_of_district if local.model)
            total = track.minutes + local_minutes
            if total <= track.budget or not parts_of_district:
                continue
            blamed = parts_of_district[-1]
            if blamed.rel in reported:
                continue
            reported.add(blamed.rel)
            yield ctx.finding(
                TRACK_OVER_BUDGET,
                Severity.ERROR,
                _(
                    "with its local part, track '{track}' takes {total} minutes in {district} ({parts} + "
                    "{local_minutes} local), over its budget of {budget}"
                ).format(
                    track=track.id,
                    total=total,
                    district=district.id,
                    parts=parts,
                    local_minutes=local_minutes,
                    budget=track.budget,
                ),
                blamed,
                ("minutes",) if "minutes" in (blamed.loaded.data or {}) else (),
                hint=_("shorten the local part ('minutes:') or ask the course owner for time in the track"),
            )


def _districts(ctx: Context) -> list[District]:
    """The districts of curriculum/districts.yaml (none when it did not load)."""
    districts_doc = ctx.workspace.districts
    return districts_doc.model.districts if districts_doc and districts_doc.model else []


def _local_parts(ctx: Context, district: District, audience: str, taught: set[str]) -> list[LocalDocument]:
    """The district's local parts that take time in a track teaching ``taught`` to ``audience``."""
    return [
        local
        for local in ctx.workspace.local
        if local.model is not None
        and local.model.minutes
        and local.folder_district in (district.id, district.area)
        and (local.model.audiences is None or audience in local.model.audiences)
        and (local.model.after in taught or local.model.after is None)
    ]


def _check_misconceptions(
    ctx: Context, doc: Document[Course], track: Track, here: tuple[Any, ...], modules: dict[str, Module]
) -> Iterator[Finding]:
    claims, must_quiz = _claims(ctx)
    unquizzed_reported = False
    for audience in track.audiences:
        corrected, quizzed = _discussed(track, modules, audience)
        unquizzed = [claim for claim in must_quiz if claim not in quizzed]
        if unquizzed and not unquizzed_reported:
            unquizzed_reported = True
            yield ctx.finding(
                TRACK_MISCONCEPTION_UNQUIZZED,
                Severity.ERROR,
                _(
                    "track '{track}' asks no quiz question on {items} for '{audience}'; every track must quiz "
                    "the misconceptions the districts asked the course to correct"
                ).format(track=track.id, items=", ".join(repr(m) for m in unquizzed), audience=audience),
                doc,
                (*here, "modules"),
                at_key=True,
                hint=_("include a quiz question that lists the claim under 'discusses' in the track's 'quiz:'"),
            )
        missing = [claim for claim in claims if claim not in corrected]
        if missing:
            yield ctx.finding(
                TRACK_MISCONCEPTION_MISSING,
                Severity.ERROR,
                _("track '{track}' never corrects {items} for '{audience}'").format(
                    track=track.id, items=", ".join(repr(m) for m in missing), audience=audience
                ),
                doc,
                (*here, "modules"),
                at_key=True,
                hint=_("include a slide or question that lists the claim under 'discusses'"),
            )
            return


def _claims(ctx: Context) -> tuple[list[str], list[str]]:
    """The misconception claims of the edition's lineage, and those every track must quiz (once each)."""
    claims = [c.id for e in ctx.editions.lineage(ctx.current.id) for c in e.claims]
    must_quiz = list(dict.fromkeys(c.id for e in ctx.editions.lineage(ctx.current.id) for c in e.claims if c.quizzed))
    return claims, must_quiz


def _discussed(track: Track, modules: dict[str, Module], audience: str) -> tuple[set[str], set[str]]:
    """The claims the track's slides and questions for ``audience`` discuss, and those its questions discuss."""
    corrected: set[str] = set()
    quizzed: set[str] = set()
    for entry in track.modules:
        module = modules.get(entry.module)
        if module is None or (module.audiences is not None and audience not in module.audiences):
            continue
        for slide in module.slides:
            if (entry.slides is None or slide.id in entry.slides) and (
                slide.audiences is None or audience in slide.audiences
            ):
                corrected.update(slide.discusses)
        for item in module.quiz:
            if (entry.quiz is None or item.id in entry.quiz) and (item.audiences is None or audience in item.audiences):
                corrected.update(item.discusses)
                quizzed.update(item.discusses)
    return corrected, quizzed


def check_diagrams(ctx: Context) -> Iterator[Finding]:
    """Diagrams have the boxes their kind draws; slides name diagrams and steps that exist."""
    declared: dict[str, Diagram] = {}
    for doc in ctx.workspace.modules:
        module = doc.model
        if module is None:
            continue
        for index, diagram in enumerate(module.diagrams):
            if diagram.id in declared:
                yield ctx.finding(
                    ID_DUPLICATE,
                    Severity.ERROR,
                    _("diagram id '{diagram}' is declared twice").format(diagram=diagram.id),
                    doc,
                    ("diagrams", index, "id"),
                )
            declared.setdefault(diagram.id, diagram)
            yield from _check_items(ctx, doc, diagram, ("diagrams", index))
    material_docs: list[Document[Any]] = [*ctx.workspace.modules, *ctx.workspace.local]
    for material_doc in material_docs:
        material = material_doc.model
        if material is None:
            continue
        named = material.tracker if isinstance(material, Module) else None
        tracker = declared.get(named) if named else None
        if named and (tracker is None or tracker.kind != "steps"):
            yield ctx.unknown(
                DIAGRAM_UNKNOWN,
                _("tracker '{named}' is not a declared diagram of kind 'steps'").format(named=named),
                material_doc,
                ("tracker",),
                named,
                declared,
            )
            tracker = None
        for index, slide in enumerate(material.slides):
            here = ("slides", index)
            if slide.diagram is not None:
                shown = declared.get(slide.diagram)
                if shown is None:
                    yield ctx.unknown(
                        DIAGRAM_UNKNOWN,
                        _("slide '{slide}': no module declares a diagram '{diagram}'").format(
                            slide=slide.id, diagram=slide.diagram
                        ),
                        material_doc,
                        (*here, "diagram"),
                        slide.diagram,
                        declared,
                        otherwise=_("declare it under 'diagrams:' in a module"),
                    )
            if slide.step is not None and not (tracker is None and named):
                # (a tracker of the wrong kind was reported above: one finding for one mistake)
                yield from _check_step(ctx, material_doc, slide, here, tracker)


def _check_step(
    ctx: Context, doc: Document[Any], slide: Slide, here: tuple[Any, ...], tracker: Diagram | None
) -> Iterator[Finding]:
    """A slide's ``step``: its module has a steps tracker, and the tracker has that step."""
    if tracker is None:
        local = not isinstance(doc.model, Module)
        yield ctx.finding(
            DIAGRAM_NO_TRACKER,
            Severity.ERROR,
            (
                _("slide '{slide}' has 'step: {step}' but a local addition has no step tracker")
                if local
                else _("slide '{slide}' has 'step: {step}' but its module has no 'tracker'")
            ).format(slide=slide.id, step=slide.step),
            doc,
            (*here, "step"),
            hint=_("remove 'step' (the step tracker is drawn on module slides only)")
            if local
            else _("set 'tracker: <steps diagram id>' on the module, or remove 'step'"),
        )
    elif slide.step is not None and slide.step > len(tracker.items):
        yield ctx.finding(
            DIAGRAM_STEP,
            Severity.ERROR,
            _("slide '{slide}': step {step}, but '{tracker}' has {n} steps").format(
                slide=slide.id, step=slide.step, tracker=tracker.id, n=len(tracker.items)
            ),
            doc,
            (*here, "step"),
        )


def _check_items(ctx: Context, doc: Document[Module], diagram: Diagram, here: tuple[Any, ...]) -> Iterator[Finding]:
    limits = DIAGRAM_LIMITS.get(diagram.kind)
    if limits is None:
        if diagram.items:
            yield ctx.finding(
                DIAGRAM_ITEMS,
                Severity.ERROR,
                _("diagram '{diagram}': a '{kind}' diagram is drawn from the data and takes no items").format(
                    diagram=diagram.id, kind=diagram.kind
                ),
                doc,
                (*here, "items"),
                at_key=True,
                hint=_("remove 'items'; editions come from guidelines/, the organisation from districts.yaml"),
            )
        return
    low, high = limits
    if not low <= len(diagram.items) <= high:
        yield ctx.finding(
            DIAGRAM_ITEMS,
            Severity.ERROR,
            _("diagram '{diagram}' has {n} items; a '{kind}' diagram draws {low}–{high}").format(
                diagram=diagram.id, n=len(diagram.items), kind=diagram.kind, low=low, high=high
            ),
            doc,
            (*here, "items") if diagram.items else (*here, "kind"),
            at_key=bool(diagram.items),
        )
