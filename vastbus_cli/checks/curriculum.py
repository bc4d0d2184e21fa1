"""Checks of the course, districts and modules (slides, pictures, quizzes); local additions are in ``checks.local``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from vastbus_cli.checks.context import ID_DUPLICATE, Context, duplicate_ids, suggest
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.images import NOT_AN_IMAGE, TOO_LARGE, verify_image
from vastbus_cli.models import Module, QuizItem, Slide
from vastbus_cli.rules import (
    A11Y,
    AUDIENCE,
    BAD_IMAGE_PATH,
    CLAIM,
    COURSE,
    DISTRICT,
    ERROR,
    MODULE,
    PATH,
    QUIZ,
    SLIDE,
    UNRESOLVED,
    WARNING,
    Rule,
)
from vastbus_cli.workspace import Document
from vastbus_cli.yamlpos import key_position, node_position

_NO_MODULE = N_("the course lists a module with no file / a module file is not in the course")
COURSE_UNKNOWN_MODULE = Rule("course/unknown-module", ERROR, COURSE, _NO_MODULE)
COURSE_UNLISTED_MODULE = Rule("course/unlisted-module", WARNING, COURSE, _NO_MODULE)
MODULE_FILE_NAME = Rule("module/file-name", WARNING, MODULE, N_("a module's file is not named after its id"))
AUDIENCE_UNKNOWN = Rule("audience/unknown", ERROR, AUDIENCE, UNRESOLVED)
CLAIM_UNKNOWN = Rule("claim/unknown", ERROR, CLAIM, UNRESOLVED)
QUIZ_ANSWER = Rule("quiz/answer", ERROR, QUIZ, UNRESOLVED)
SLIDE_LAYOUT = Rule("slide/layout", ERROR, SLIDE, UNRESOLVED)
DISTRICT_UNKNOWN_AREA = Rule(
    "district/unknown-area", ERROR, DISTRICT, N_("a district names an `area` that `areas:` does not declare")
)
SLIDE_QUOTE_SOURCE = Rule(
    "slide/quote-source", ERROR, SLIDE, N_("the quote layout is used without a `source`: it is for real quotes only")
)
SLIDE_THIN = Rule("slide/thin", WARNING, SLIDE, N_("a content slide holds a single one-line bullet"))
A11Y_MISSING_TITLE = Rule("a11y/missing-title", ERROR, A11Y, N_("accessibility"))
A11Y_MISSING_ALT = Rule("a11y/missing-alt", ERROR, A11Y, N_("accessibility"))
A11Y_ALT_IS_FILE_NAME = Rule("a11y/alt-is-file-name", WARNING, A11Y, N_("accessibility"))
PATH_OUTSIDE_WORKSPACE = Rule("path/outside-workspace", ERROR, PATH, BAD_IMAGE_PATH)
PATH_MISSING_FILE = Rule("path/missing-file", ERROR, PATH, BAD_IMAGE_PATH)

RULES: tuple[Rule, ...] = (
    COURSE_UNKNOWN_MODULE,
    COURSE_UNLISTED_MODULE,
    MODULE_FILE_NAME,
    AUDIENCE_UNKNOWN,
    CLAIM_UNKNOWN,
    QUIZ_ANSWER,
    SLIDE_LAYOUT,
    DISTRICT_UNKNOWN_AREA,
    SLIDE_QUOTE_SOURCE,
    SLIDE_THIN,
    A11Y_MISSING_TITLE,
    A11Y_MISSING_ALT,
    A11Y_ALT_IS_FILE_NAME,
    PATH_OUTSIDE_WORKSPACE,
    PATH_MISSING_FILE,
)


def audience_ids(ctx: Context) -> set[str]:
    """The audience ids the course declares (none when it did not load)."""
    course = ctx.workspace.course.model if ctx.workspace.course else None
    return {a.id for a in course.audiences} if course else set()


def _module_docs(ctx: Context) -> dict[str, Document[Module]]:
    found: dict[str, Document[Module]] = {}
    for doc in ctx.workspace.modules:
        if doc.model is not None:
            found.setdefault(doc.model.id, doc)
    return found


def check_course(ctx: Context) -> Iterator[Finding]:
    """The course lists modules that exist, once each, and audiences are unique."""
    doc = ctx.workspace.course
    if doc is None or doc.model is None:
        return
    course = doc.model
    modules = _module_docs(ctx)
    on_disk = set(modules) | {
        str(doc.loaded.data["id"])
        for doc in ctx.workspace.modules
        if isinstance(doc.loaded.data, dict) and "id" in doc.loaded.data
    }
    # A module that does not parse is reported where it is, not again as missing from the course.
    on_disk |= {PurePosixPath(doc.rel).stem for doc in ctx.workspace.modules if doc.model is None}
    for index, module_id in enumerate(course.modules):
        if module_id not in on_disk:
            yield ctx.unknown(
                COURSE_UNKNOWN_MODULE,
                _("module '{module_id}' has no file in curriculum/modules/").format(module_id=module_id),
                doc,
                ("modules", index),
                module_id,
                modules,
                otherwise=_("create curriculum/modules/{module_id}.yaml").format(module_id=module_id),
            )
    yield from duplicate_ids(ctx, doc, _("module"), course.modules, ("modules",), key=())
    yield from duplicate_ids(ctx, doc, _("audience id"), [a.id for a in course.audiences], ("audiences",))
    for module_id, module_doc in sorted(modules.items()):
        if module_id not in course.modules:
            yield ctx.finding(
                COURSE_UNLISTED_MODULE,
                Severity.WARNING,
                _("module '{module_id}' is not listed in course.yaml and will not be built").format(
                    module_id=module_id
                ),
                module_doc,
                ("id",),
                hint=_("add it to 'modules' in curriculum/course.yaml or delete the file"),
            )


def check_districts(ctx: Context) -> Iterator[Finding]:
    """District and area ids are unique and every district's area is declared."""
    doc = ctx.workspace.districts
    if doc is None or doc.model is None:
        return
    yield from duplicate_ids(ctx, doc, _("district id"), [d.id for d in doc.model.districts], ("districts",))
    yield from duplicate_ids(ctx, doc, _("area id"), [a.id for a in doc.model.areas], ("areas",))
    area_ids = [a.id for a in doc.model.areas]
    for index, district in enumerate(doc.model.districts):
        if district.area is not None and district.area not in area_ids:
            yield ctx.unknown(
                DISTRICT_UNKNOWN_AREA,
                _("district '{district}' names area '{area}', which is not under 'areas:'").format(
                    district=district.id, area=district.area
                ),
                doc,
                ("districts", index, "area"),
                district.area,
                area_ids,
                otherwise=_("declare the area under 'areas:' with its name and committee"),
            )
        if district.id in area_ids and district.area != district.id:
            yield ctx.finding(
                ID_DUPLICATE,
                Severity.ERROR,
                _("'{district}' is both a district and an area; local folders could not tell them apart").format(
                    district=district.id
                ),
                doc,
                ("districts", index, "id"),
            )


def check_modules(ctx: Context) -> Iterator[Finding]:
    """Module ids, slide and quiz ids, audiences, layouts, images and quiz answers."""
    audiences = audience_ids(ctx)
    seen: dict[str, str] = {}
    for doc in ctx.workspace.modules:
        module = doc.model
        if module is None:
            continue
        if module.id in seen:
            yield ctx.finding(
                ID_DUPLICATE,
                Severity.ERROR,
                _("module id '{module}' is also used in {seen}").format(module=module.id, seen=seen[module.id]),
                doc,
                ("id",),
            )
        seen.setdefault(module.id, doc.rel)
        if PurePosixPath(doc.rel).stem != module.id:
            yield ctx.finding(
                MODULE_FILE_NAME,
                Severity.WARNING,
                _("file name does not match the module id '{module}'").format(module=module.id),
                doc,
                ("id",),
                hint=_("rename the file to {module}.yaml").format(module=module.id),
            )
        if module.audiences is not None:
            yield from unknown_audiences(ctx, doc, ("audiences",), module.audiences, audiences)
        yield from check_slides(ctx, doc, module.slides, ("slides",), audiences)
        yield from _check_quiz(ctx, doc, module.quiz, audiences)
        claims = {c.id for e in ctx.editions.lineage(ctx.current.id) for c in e.claims}
        for index, item in enumerate(module.misconceptions):
            if item.claim not in claims:
                yield ctx.unknown(
                    CLAIM_UNKNOWN,
                    _("unknown misconception claim '{claim}'").format(claim=item.claim),
                    doc,
                    ("misconceptions", index, "claim"),
                    item.claim,
                    claims,
                )


def unknown_audiences(
    ctx: Context, doc: Document[Any], loc: tuple[Any, ...], used: Iterable[str], known: set[str]
) -> Iterator[Finding]:
    """An `audience/unknown` finding for each id in ``used`` the course does not declare."""
    if not known:
        return
    for index, audience in enumerate(used):
        if audience not in known:
            yield ctx.unknown(
                AUDIENCE_UNKNOWN,
                _("unknown audience '{audience}'").format(audience=audience),
                doc,
                (*loc, index),
                audience,
                known,
                otherwise=_("known audiences: {items}").format(items=", ".join(sorted(known))),
            )


def check_slides(
    ctx: Context, doc: Document[Any], slides: list[Slide], loc: tuple[Any, ...], audiences: set[str]
) -> Iterator[Finding]:
    """The slides' layouts, fields, pictures and audiences (modules and local additions share these)."""
    yield from duplicate_ids(ctx, doc, _("slide id"), [s.id for s in slides], loc)
    for index, slide in enumerate(slides):
        here = (*loc, index)
        if not slide.title.strip():
            yield ctx.finding(
                A11Y_MISSING_TITLE,
                Severity.ERROR,
                _("slide '{slide}' has an empty title").format(slide=slide.id),
                doc,
                (*here, "title"),
                hint=_("every slide needs a title; screen readers navigate by it"),
            )
        if slide.audiences is not None:
            yield from unknown_audiences(ctx, doc, (*here, "audiences"), slide.audiences, audiences)
        if audiences:
            for key in slide.audience_notes:
                if key not in audiences:
                    notes = _node(doc.loaded.data, (*here, "audience_notes"))
                    line, column = key_position(notes, key) or node_position(notes)
                    yield AUDIENCE_UNKNOWN.at(
                        _("unknown audience '{key}' in audience_notes").format(key=key),
                        doc.rel,
                        line,
                        column,
                        suggest(key, audiences),
                        severity=Severity.ERROR,
                    )
        yield from _check_layout(ctx, doc, slide, here)
        if slide.image is not None:
            yield from _check_image(ctx, doc, slide, here)


def _node(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _check_layout(ctx: Context, doc: Document[Any], slide: Slide, here: tuple[Any, ...]) -> Iterator[Finding]:
    problem = _layout_problem(slide)
    if problem:
        yield ctx.finding(
            SLIDE_LAYOUT,
            Severity.ERROR,
            _("slide '{slide}': {problem}").format(slide=slide.id, problem=problem),
            doc,
            (*here, "layout"),
        )
    if slide.layout == "quote" and not (slide.source or "").strip():
        yield ctx.finding(
            SLIDE_QUOTE_SOURCE,
            Severity.ERROR,
            _("slide '{slide}' uses the quote layout but names no 'source'").format(slide=slide.id),
            doc,
            (*here, "layout"),
            hint=_(
                "the quote layout is for real quotes: add 'source:' (who said or wrote it, where), or use "
                "layout: content"
            ),
        )
    if _is_thin(slide):
        yield ctx.finding(
            SLIDE_THIN,
            Severity.WARNING,
            _("slide '{slide}' holds a single one-line bullet").format(slide=slide.id),
            doc,
            (*here, "bullets"),
            at_key=True,
            hint=_("merge it into the slide before or after, or say more: a slide this thin reads as unfinished"),
        )


def _layout_problem(slide: Slide) -> str | None:
    """What the slide's layout cannot hold (its columns, bullets, image or diagram), if anything."""
    if slide.layout == "two-content" and not slide.columns:
        return _("a two-content slide needs 'columns' (two columns with heading and bullets)")
    if slide.layout != "two-content" and slide.columns:
        return _("'columns' only works with layout two-content, not {layout}").format(layout=slide.layout)
    if slide.layout == "quote" and len(slide.bullets) != 1:
        return _("a quote slide holds exactly one bullet: the statement")
    if slide.layout == "section" and len(slide.bullets) > 1:
        return _("a section slide holds at most one bullet (its subtitle)")
    if slide.layout == "content" and not slide.bullets and slide.image is None and slide.diagram is None:
        return _("a content slide needs bullets, a diagram or an image")
    return _card_problem(slide)


#: The field each layout with its own content needs, and no other layout takes.
_OWN_FIELD = {"table": "table", "case": "case", "exercise": "exercise", "takeaways": "action"}


def _card_problem(slide: Slide) -> str | None:
    """What a statement, table, case, exercise or takeaways slide lacks, or a field its layout does not take."""
    for layout, name in _OWN_FIELD.items():
        given = getattr(slide, name) is not None
        if slide.layout == layout and not given:
            return _("a {layout} slide needs '{name}'{detail}").format(
                layout=layout, name=name, detail=_(_FIELD_HINTS[layout])
            )
        if slide.layout != layout and given:
            return _("'{name}' only works with layout {layout}, not {other}").format(
                name=name, layout=layout, other=slide.layout
            )
    if slide.layout == "statement" and len(slide.bullets) != 1:
        return _("a statement slide holds exactly one bullet: the sentence, shown large")
    if slide.layout in ("case", "exercise", "table") and slide.bullets:
        return _("a {layout} slide has no bullets: its text goes in '{field}'").format(
            layout=slide.layout, field=_OWN_FIELD[slide.layout]
        )
    if slide.layout == "takeaways" and not 1 <= len(slide.bullets) <= 3:
        return _("a takeaways slide holds one to three bullets (the points) and 'action'")
    if slide.table and len({len(row) for row in slide.table}) != 1:
        return _("every row of 'table' needs as many cells as the header (the first row)")
    return None


_FIELD_HINTS = {
    "table": N_(" (rows of cells, the first row the header)"),
    "case": N_(" (person, situation and question)"),
    "exercise": N_(" (task, minutes, group and debrief)"),
    "takeaways": N_(" (the one thing to do afterwards)"),
}


def _is_thin(slide: Slide) -> bool:
    """A content slide with nothing but one short bullet."""
    return (
        slide.layout == "content"
        and len(slide.bullets) == 1
        and len(slide.bullets[0]) <= THIN_BULLET
        and slide.image is None
        and slide.diagram is None
    )


#: A bullet this long or shorter fits one line of the content layout.
THIN_BULLET = 90


_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|bmp|tiff?|emf|wmf)\s*$", re.IGNORECASE)


def _check_image(ctx: Context, doc: Document[Any], slide: Slide, here: tuple[Any, ...]) -> Iterator[Finding]:
    assert slide.image is not None
    image = slide.image
    if not image.alt.strip():
        yield ctx.finding(
            A11Y_MISSING_ALT,
            Severity.ERROR,
            _("the image on slide '{slide}' has no alt text").format(slide=slide.id),
            doc,
            (*here, "image", "alt"),
            hint=_("describe what the picture shows, in Swedish"),
        )
    elif _FILE_NAME.search(image.alt):
        yield ctx.finding(
            A11Y_ALT_IS_FILE_NAME,
            Severity.WARNING,
            _("the alt text of the image on slide '{slide}' looks like a file name").format(slide=slide.id),
            doc,
            (*here, "image", "alt"),
            hint=_("describe what the picture shows"),
        )
    resolved = resolve_workspace_path(ctx.workspace.root, image.path)
    if resolved is None:
        yield ctx.finding(
            PATH_OUTSIDE_WORKSPACE,
            Severity.ERROR,
            _("image path '{path}' leaves the workspace").format(path=image.path),
            doc,
            (*here, "image", "path"),
            hint=_("keep images inside the workspace and use a relative path, e.g. templates/images/x.png"),
        )
    elif not resolved.exists():
        link = resolved.is_symlink()
        yield ctx.finding(
            PATH_MISSING_FILE,
            Severity.ERROR,
            (
                _("image '{path}' does not exist (a broken link or a link loop)")
                if link
                else _("image '{path}' does not exist")
            ).format(path=image.path),
            doc,
            (*here, "image", "path"),
            hint=_("paths are relative to the workspace root"),
        )
    elif not resolved.is_file():
        yield ctx.finding(
            NOT_AN_IMAGE,
            Severity.ERROR,
            (
                _("'{path}' is a folder, not a picture")
                if resolved.is_dir()
                else _("'{path}' is not a regular file (a pipe or device), not a picture")
            ).format(path=image.path),
            doc,
            (*here, "image", "path"),
            hint=_("name the picture file itself, e.g. templates/images/sip-steg.png"),
        )
    elif (problem := verify_image(resolved)) is not None:
        message = {
            NOT_AN_IMAGE: _("'{path}' is not a PNG, JPEG or GIF picture").format(path=image.path),
            TOO_LARGE: _("'{path}' is too large: {reason}").format(path=image.path, reason=problem.reason),
        }.get(problem.declared, _("'{path}' cannot be shown: {reason}").format(path=image.path, reason=problem.reason))
        yield ctx.finding(problem.declared, Severity.ERROR, message, doc, (*here, "image", "path"), hint=problem.hint)


def resolve_workspace_path(root: Path, relative: str) -> Path | None:
    """The file a workspace-relative path names, or None if it leaves the workspace."""
    candidate = PurePosixPath(relative.replace("\\", "/"))
    if candidate.is_absolute() or re.match(r"^[A-Za-z]:", relative):
        return None
    try:
        resolved = (root / candidate).resolve()
    except (OSError, RuntimeError):  # a link loop: the file cannot be read, and says so as missing
        return root / candidate
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        return None
    return resolved


def _check_quiz(ctx: Context, doc: Document[Module], quiz: list[QuizItem], audiences: set[str]) -> Iterator[Finding]:
    yield from duplicate_ids(ctx, doc, _("quiz id"), [q.id for q in quiz], ("quiz",))
    for index, item in enumerate(quiz):
        if item.answer > len(item.options):
            yield ctx.finding(
                QUIZ_ANSWER,
                Severity.ERROR,
                _("quiz '{item}': answer {answer} but there are only {n} options").format(
                    item=item.id, answer=item.answer, n=len(item.options)
                ),
                doc,
                ("quiz", index, "answer"),
                hint=_("answer is the 1-based number of the right option"),
            )
        if item.audiences is not None:
            yield from unknown_audiences(ctx, doc, ("quiz", index, "audiences"), item.audiences, audiences)
