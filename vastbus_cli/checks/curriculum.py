"""Checks of the course, districts and modules (slides, pictures, quizzes); local additions are in ``checks.local``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from vastbus_cli.checks.context import ID_DUPLICATE, Context, duplicate_ids, suggest
from vastbus_cli.findings import Finding, Severity
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

_NO_MODULE = "the course lists a module with no file / a module file is not in the course"
COURSE_UNKNOWN_MODULE = Rule("course/unknown-module", ERROR, COURSE, _NO_MODULE)
COURSE_UNLISTED_MODULE = Rule("course/unlisted-module", WARNING, COURSE, _NO_MODULE)
MODULE_FILE_NAME = Rule("module/file-name", WARNING, MODULE, "a module's file is not named after its id")
AUDIENCE_UNKNOWN = Rule("audience/unknown", ERROR, AUDIENCE, UNRESOLVED)
CLAIM_UNKNOWN = Rule("claim/unknown", ERROR, CLAIM, UNRESOLVED)
QUIZ_ANSWER = Rule("quiz/answer", ERROR, QUIZ, UNRESOLVED)
SLIDE_LAYOUT = Rule("slide/layout", ERROR, SLIDE, UNRESOLVED)
DISTRICT_UNKNOWN_AREA = Rule(
    "district/unknown-area", ERROR, DISTRICT, "a district names an `area` that `areas:` does not declare"
)
SLIDE_QUOTE_SOURCE = Rule(
    "slide/quote-source", ERROR, SLIDE, "the quote layout is used without a `source`: it is for real quotes only"
)
SLIDE_THIN = Rule("slide/thin", WARNING, SLIDE, "a content slide holds a single one-line bullet")
A11Y_MISSING_TITLE = Rule("a11y/missing-title", ERROR, A11Y, "accessibility")
A11Y_MISSING_ALT = Rule("a11y/missing-alt", ERROR, A11Y, "accessibility")
A11Y_ALT_IS_FILE_NAME = Rule("a11y/alt-is-file-name", WARNING, A11Y, "accessibility")
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
                f"module '{module_id}' has no file in curriculum/modules/",
                doc,
                ("modules", index),
                module_id,
                modules,
                otherwise=f"create curriculum/modules/{module_id}.yaml",
            )
    yield from duplicate_ids(ctx, doc, "module", course.modules, ("modules",), key=())
    yield from duplicate_ids(ctx, doc, "audience id", [a.id for a in course.audiences], ("audiences",))
    for module_id, module_doc in sorted(modules.items()):
        if module_id not in course.modules:
            yield ctx.finding(
                COURSE_UNLISTED_MODULE,
                Severity.WARNING,
                f"module '{module_id}' is not listed in course.yaml and will not be built",
                module_doc,
                ("id",),
                hint="add it to 'modules' in curriculum/course.yaml or delete the file",
            )


def check_districts(ctx: Context) -> Iterator[Finding]:
    """District and area ids are unique and every district's area is declared."""
    doc = ctx.workspace.districts
    if doc is None or doc.model is None:
        return
    yield from duplicate_ids(ctx, doc, "district id", [d.id for d in doc.model.districts], ("districts",))
    yield from duplicate_ids(ctx, doc, "area id", [a.id for a in doc.model.areas], ("areas",))
    area_ids = [a.id for a in doc.model.areas]
    for index, district in enumerate(doc.model.districts):
        if district.area is not None and district.area not in area_ids:
            yield ctx.unknown(
                DISTRICT_UNKNOWN_AREA,
                f"district '{district.id}' names area '{district.area}', which is not under 'areas:'",
                doc,
                ("districts", index, "area"),
                district.area,
                area_ids,
                otherwise="declare the area under 'areas:' with its name and committee",
            )
        if district.id in area_ids and district.area != district.id:
            yield ctx.finding(
                ID_DUPLICATE,
                Severity.ERROR,
                f"'{district.id}' is both a district and an area; local folders could not tell them apart",
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
                f"module id '{module.id}' is also used in {seen[module.id]}",
                doc,
                ("id",),
            )
        seen.setdefault(module.id, doc.rel)
        if PurePosixPath(doc.rel).stem != module.id:
            yield ctx.finding(
                MODULE_FILE_NAME,
                Severity.WARNING,
                f"file name does not match the module id '{module.id}'",
                doc,
                ("id",),
                hint=f"rename the file to {module.id}.yaml",
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
                    f"unknown misconception claim '{item.claim}'",
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
                f"unknown audience '{audience}'",
                doc,
                (*loc, index),
                audience,
                known,
                otherwise=f"known audiences: {', '.join(sorted(known))}",
            )


def check_slides(
    ctx: Context, doc: Document[Any], slides: list[Slide], loc: tuple[Any, ...], audiences: set[str]
) -> Iterator[Finding]:
    """The slides' layouts, fields, pictures and audiences (modules and local additions share these)."""
    yield from duplicate_ids(ctx, doc, "slide id", [s.id for s in slides], loc)
    for index, slide in enumerate(slides):
        here = (*loc, index)
        if not slide.title.strip():
            yield ctx.finding(
                A11Y_MISSING_TITLE,
                Severity.ERROR,
                f"slide '{slide.id}' has an empty title",
                doc,
                (*here, "title"),
                hint="every slide needs a title; screen readers navigate by it",
            )
        if slide.audiences is not None:
            yield from unknown_audiences(ctx, doc, (*here, "audiences"), slide.audiences, audiences)
        if audiences:
            for key in slide.audience_notes:
                if key not in audiences:
                    notes = _node(doc.loaded.data, (*here, "audience_notes"))
                    line, column = key_position(notes, key) or node_position(notes)
                    yield AUDIENCE_UNKNOWN.at(
                        f"unknown audience '{key}' in audience_notes",
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
        yield ctx.finding(SLIDE_LAYOUT, Severity.ERROR, f"slide '{slide.id}': {problem}", doc, (*here, "layout"))
    if slide.layout == "quote" and not (slide.source or "").strip():
        yield ctx.finding(
            SLIDE_QUOTE_SOURCE,
            Severity.ERROR,
            f"slide '{slide.id}' uses the quote layout but names no 'source'",
            doc,
            (*here, "layout"),
            hint="the quote layout is for real quotes: add 'source:' (who said or wrote it, where), "
            "or use layout: content",
        )
    if _is_thin(slide):
        yield ctx.finding(
            SLIDE_THIN,
            Severity.WARNING,
            f"slide '{slide.id}' holds a single one-line bullet",
            doc,
            (*here, "bullets"),
            at_key=True,
            hint="merge it into the slide before or after, or say more: a slide this thin reads as unfinished",
        )


def _layout_problem(slide: Slide) -> str | None:
    """What the slide's layout cannot hold (its columns, bullets, image or diagram), if anything."""
    if slide.layout == "two-content" and not slide.columns:
        return "a two-content slide needs 'columns' (two columns with heading and bullets)"
    if slide.layout != "two-content" and slide.columns:
        return f"'columns' only works with layout two-content, not {slide.layout}"
    if slide.layout == "quote" and len(slide.bullets) != 1:
        return "a quote slide holds exactly one bullet: the statement"
    if slide.layout == "section" and len(slide.bullets) > 1:
        return "a section slide holds at most one bullet (its subtitle)"
    if slide.layout == "content" and not slide.bullets and slide.image is None and slide.diagram is None:
        return "a content slide needs bullets, a diagram or an image"
    return _card_problem(slide)


#: The field each layout with its own content needs, and no other layout takes.
_OWN_FIELD = {"table": "table", "case": "case", "exercise": "exercise", "takeaways": "action"}


def _card_problem(slide: Slide) -> str | None:
    """What a statement, table, case, exercise or takeaways slide lacks, or a field its layout does not take."""
    for layout, name in _OWN_FIELD.items():
        given = getattr(slide, name) is not None
        if slide.layout == layout and not given:
            return f"a {layout} slide needs '{name}'" + _FIELD_HINTS[layout]
        if slide.layout != layout and given:
            return f"'{name}' only works with layout {layout}, not {slide.layout}"
    if slide.layout == "statement" and len(slide.bullets) != 1:
        return "a statement slide holds exactly one bullet: the sentence, shown large"
    if slide.layout in ("case", "exercise", "table") and slide.bullets:
        return f"a {slide.layout} slide has no bullets: its text goes in '{_OWN_FIELD[slide.layout]}'"
    if slide.layout == "takeaways" and not 1 <= len(slide.bullets) <= 3:
        return "a takeaways slide holds one to three bullets (the points) and 'action'"
    if slide.table and len({len(row) for row in slide.table}) != 1:
        return "every row of 'table' needs as many cells as the header (the first row)"
    return None


_FIELD_HINTS = {
    "table": " (rows of cells, the first row the header)",
    "case": " (person, situation and question)",
    "exercise": " (task, minutes, group and debrief)",
    "takeaways": " (the one thing to do afterwards)",
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
            f"the image on slide '{slide.id}' has no alt text",
            doc,
            (*here, "image", "alt"),
            hint="describe what the picture shows, in Swedish",
        )
    elif _FILE_NAME.search(image.alt):
        yield ctx.finding(
            A11Y_ALT_IS_FILE_NAME,
            Severity.WARNING,
            f"the alt text of the image on slide '{slide.id}' looks like a file name",
            doc,
            (*here, "image", "alt"),
            hint="describe what the picture shows",
        )
    resolved = resolve_workspace_path(ctx.workspace.root, image.path)
    if resolved is None:
        yield ctx.finding(
            PATH_OUTSIDE_WORKSPACE,
            Severity.ERROR,
            f"image path '{image.path}' leaves the workspace",
            doc,
            (*here, "image", "path"),
            hint="keep images inside the workspace and use a relative path, e.g. templates/images/x.png",
        )
    elif not resolved.exists():
        link = " (a broken link or a link loop)" if resolved.is_symlink() else ""
        yield ctx.finding(
            PATH_MISSING_FILE,
            Severity.ERROR,
            f"image '{image.path}' does not exist{link}",
            doc,
            (*here, "image", "path"),
            hint="paths are relative to the workspace root",
        )
    elif not resolved.is_file():
        yield ctx.finding(
            NOT_AN_IMAGE,
            Severity.ERROR,
            f"'{image.path}' is {'a folder' if resolved.is_dir() else 'not a regular file (a pipe or device)'}, "
            "not a picture",
            doc,
            (*here, "image", "path"),
            hint="name the picture file itself, e.g. templates/images/sip-steg.png",
        )
    elif (problem := verify_image(resolved)) is not None:
        message = {
            NOT_AN_IMAGE: f"'{image.path}' is not a PNG, JPEG or GIF picture",
            TOO_LARGE: f"'{image.path}' is too large: {problem.reason}",
        }.get(problem.declared, f"'{image.path}' cannot be shown: {problem.reason}")
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
    yield from duplicate_ids(ctx, doc, "quiz id", [q.id for q in quiz], ("quiz",))
    for index, item in enumerate(quiz):
        if item.answer > len(item.options):
            yield ctx.finding(
                QUIZ_ANSWER,
                Severity.ERROR,
                f"quiz '{item.id}': answer {item.answer} but there are only {len(item.options)} options",
                doc,
                ("quiz", index, "answer"),
                hint="answer is the 1-based number of the right option",
            )
        if item.audiences is not None:
            yield from unknown_audiences(ctx, doc, ("quiz", index, "audiences"), item.audiences, audiences)
