"""Cross-file checks: every rule is a function that yields findings.

The models have already checked each file's shape; these rules need more than one
file (does the cited section exist, which edition is current, which district is this).
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from vastbus_cli.editions import Editions, Trace, fingerprint, text_diff, trace
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.images import verify_image
from vastbus_cli.models import (
    ChangeKind,
    Edition,
    LocalAddition,
    Module,
    QuizItem,
    Ref,
    Section,
    Slide,
)
from vastbus_cli.textrules import RuleSet, active_rules, claim_rule, rules_in_text, term_rule
from vastbus_cli.workspace import Document, LocalDocument, Workspace
from vastbus_cli.yamlio import key_position, node_position, position_of, value_position

#: Keys whose values are ids, dates or paths, never prose to lint.
NON_PROSE_KEYS = frozenset(
    {
        "id",
        "section",
        "edition",
        "fingerprint",
        "layout",
        "discusses",
        "claim",
        "audiences",
        "after",
        "district",
        "built_on",
        "area",
        "path",
        "by",
        "on",
        "version",
        "modules",
        "answer",
        "minutes",
    }
)


@dataclass
class Context:
    """What every rule needs: the workspace, the editions and the one checked against."""

    workspace: Workspace
    editions: Editions
    current: Edition
    as_of: dt.date
    rules: RuleSet = field(default_factory=lambda: RuleSet([]))
    #: Where each pattern in ``rules.too_slow`` was stopped, for its finding.
    slow_where: dict[tuple[str, str], str] = field(default_factory=dict)

    def note_slow(self, where: str) -> None:
        """Remember ``where`` for patterns stopped since the last call."""
        for key in self.rules.too_slow.keys() - self.slow_where.keys():
            self.slow_where[key] = where

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        doc: Document[Any],
        loc: tuple[Any, ...] = (),
        *,
        at_key: bool = False,
        hint: str | None = None,
    ) -> Finding:
        """A finding positioned at ``loc`` inside a document."""
        line, column = position_of(doc.loaded.data, loc, at_key=at_key) if loc else (0, 0)
        return Finding(rule, severity, message, doc.rel, line, column, hint)


def _suggest(value: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _duplicates(values: Iterable[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


# --- guideline editions -----------------------------------------------------------------


def check_editions(ctx: Context) -> Iterator[Finding]:
    """Edition ids, supersedes links, crosswalks, claims and terms are consistent."""
    seen: dict[str, str] = {}
    for doc in ctx.workspace.editions:
        edition = doc.model
        if edition is None:
            continue
        if edition.id in seen:
            yield ctx.finding(
                "id/duplicate",
                Severity.ERROR,
                f"edition id '{edition.id}' is also used in {seen[edition.id]}",
                doc,
                ("id",),
            )
        seen.setdefault(edition.id, doc.rel)
        if PurePosixPath(doc.rel).stem != edition.id:
            yield ctx.finding(
                "guideline/file-name",
                Severity.WARNING,
                f"file name does not match the edition id '{edition.id}'",
                doc,
                ("id",),
                hint=f"rename the file to {edition.id}.yaml",
            )
        for section_id in sorted(_duplicates(s.id for s in edition.sections)):
            index = [s.id for s in edition.sections].index(section_id)
            yield ctx.finding(
                "id/duplicate",
                Severity.ERROR,
                f"section id '{section_id}' is used twice",
                doc,
                ("sections", index, "id"),
            )
        if edition.supersedes and edition.supersedes not in ctx.editions:
            yield ctx.finding(
                "guideline/unknown-supersedes",
                Severity.ERROR,
                f"supersedes unknown edition '{edition.supersedes}'",
                doc,
                ("supersedes",),
                hint=_suggest(edition.supersedes, ctx.editions.ids),
            )
        yield from _check_crosswalk(ctx, doc, edition)
        yield from _check_claims_and_terms(ctx, doc, edition)


def _check_crosswalk(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    previous = ctx.editions.get(edition.supersedes) if edition.supersedes else None
    new_ids = {s.id for s in edition.sections}
    old_sections = {s.id: s for s in previous.sections} if previous else {}
    accounted_new: set[str] = set()
    accounted_old: set[str] = set()
    for index, change in enumerate(edition.changes):
        kind = change.change
        sources = change.from_ if isinstance(change.from_, list) else ([change.from_] if change.from_ else [])
        problems: list[str] = []
        if kind in (ChangeKind.WITHDRAWN, ChangeKind.SPLIT):
            accounted_old.add(change.section)
            if previous and change.section not in old_sections:
                problems.append(f"'{change.section}' is not a section of {previous.id}")
            if kind is ChangeKind.WITHDRAWN and change.section in new_ids:
                problems.append(f"'{change.section}' is withdrawn but still a section of {edition.id}")
            if kind is ChangeKind.SPLIT:
                if not change.into:
                    problems.append("a split needs 'into: [...]'")
                problems.extend(
                    f"'{target}' is not a section of {edition.id}"
                    for target in change.into or []
                    if target not in new_ids
                )
                accounted_new.update(change.into or [])
        else:
            accounted_new.add(change.section)
            if change.section not in new_ids:
                problems.append(f"'{change.section}' is not a section of {edition.id}")
            if kind in (ChangeKind.RENAMED, ChangeKind.MERGED) and not sources:
                problems.append(f"a {kind.value} section needs 'from'")
            if kind is ChangeKind.RENAMED and len(sources) != 1:
                problems.append("a renamed section has exactly one 'from'")
            if previous:
                problems.extend(
                    f"'{source}' is not a section of {previous.id}" for source in sources if source not in old_sections
                )
            accounted_old.update(sources)
            if kind is not ChangeKind.NEW:
                accounted_old.add(change.section)
        for problem in problems:
            yield ctx.finding(
                "guideline/bad-crosswalk",
                Severity.ERROR,
                f"crosswalk entry {index + 1}: {problem}",
                doc,
                ("changes", index),
            )
    if previous is None:
        return
    declared = {c.section: c.change for c in edition.changes}
    for index, section in enumerate(edition.sections):
        old = old_sections.get(section.id)
        if (
            old is not None
            and declared.get(section.id, ChangeKind.UNCHANGED) is ChangeKind.UNCHANGED
            and fingerprint(old) != fingerprint(section)
        ):
            yield ctx.finding(
                "guideline/undeclared-change",
                Severity.ERROR,
                f"section '{section.id}' differs from {previous.id} but the crosswalk does not declare a change",
                doc,
                ("sections", index, "id"),
                hint=f"add a 'changes' entry for '{section.id}' (editorial or substantive)",
            )
        if old is None and section.id not in accounted_new:
            yield ctx.finding(
                "guideline/undeclared-new",
                Severity.WARNING,
                f"section '{section.id}' is not in {previous.id} and the crosswalk does not say where it comes from",
                doc,
                ("sections", index, "id"),
                hint="declare it as new, renamed, merged or a split target",
            )
    for old_id in sorted(set(old_sections) - new_ids - accounted_old):
        yield ctx.finding(
            "guideline/undeclared-removal",
            Severity.ERROR,
            f"section '{old_id}' of {previous.id} is gone but the crosswalk does not say what happened to it",
            doc,
            ("changes",) if edition.changes else ("sections",),
            at_key=True,
            hint="declare it withdrawn, renamed, merged or split",
        )


def _check_claims_and_terms(ctx: Context, doc: Document[Edition], edition: Edition) -> Iterator[Finding]:
    section_ids = {s.id for s in edition.sections}
    for index, claim in enumerate(edition.claims):
        for pos, section_id in enumerate(claim.sections):
            if section_id not in section_ids:
                yield ctx.finding(
                    "guideline/unknown-section",
                    Severity.ERROR,
                    f"claim '{claim.id}' cites unknown section '{section_id}'",
                    doc,
                    ("claims", index, "sections", pos),
                    hint=_suggest(section_id, section_ids),
                )
        rule = claim_rule(claim, edition)
        slow = ctx.rules.too_slow
        matched = [rules_in_text([rule], example, slow) for example in claim.examples.match]
        ignored = [rules_in_text([rule], example, slow) for example in claim.examples.ignore]
        ctx.note_slow("its own examples")
        if (edition.id, claim.id) in slow:  # stopped: what it matched says nothing
            continue
        for pos, example in enumerate(claim.examples.match):
            if not matched[pos]:
                yield ctx.finding(
                    "guideline/claim-example",
                    Severity.ERROR,
                    f"claim '{claim.id}' does not match its own example '{example}'",
                    doc,
                    ("claims", index, "examples", "match", pos),
                )
        for pos, example in enumerate(claim.examples.ignore):
            if ignored[pos]:
                yield ctx.finding(
                    "guideline/claim-example",
                    Severity.ERROR,
                    f"claim '{claim.id}' matches '{example}', which it must ignore",
                    doc,
                    ("claims", index, "examples", "ignore", pos),
                )
    for index, term in enumerate(edition.terms):
        if term.pattern and not rules_in_text([term_rule(term, edition)], term.term, ctx.rules.too_slow):
            ctx.note_slow("the term itself")
            if (edition.id, term.id) in ctx.rules.too_slow:
                continue
            yield ctx.finding(
                "guideline/term-pattern",
                Severity.ERROR,
                f"term '{term.id}': the pattern does not match the term '{term.term}' itself",
                doc,
                ("terms", index, "pattern"),
            )
    lineage_ids = Counter(
        [term.id for e in ctx.editions.lineage(edition.id) for term in e.terms]
        + [claim.id for e in ctx.editions.lineage(edition.id) for claim in e.claims]
    )
    for kind in ("terms", "claims"):
        for index, item in enumerate(getattr(edition, kind)):
            if lineage_ids[item.id] > 1:
                yield ctx.finding(
                    "id/duplicate",
                    Severity.ERROR,
                    f"term or claim id '{item.id}' is used more than once in this edition's lineage",
                    doc,
                    (kind, index, "id"),
                )


# --- course, districts and modules -------------------------------------------------------


def _audience_ids(ctx: Context) -> set[str]:
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
            yield ctx.finding(
                "course/unknown-module",
                Severity.ERROR,
                f"module '{module_id}' has no file in curriculum/modules/",
                doc,
                ("modules", index),
                hint=_suggest(module_id, modules) or f"create curriculum/modules/{module_id}.yaml",
            )
    for module_id in sorted(_duplicates(course.modules)):
        yield ctx.finding(
            "id/duplicate",
            Severity.ERROR,
            f"module '{module_id}' is listed twice",
            doc,
            ("modules", course.modules.index(module_id)),
        )
    for audience_id in sorted(_duplicates(a.id for a in course.audiences)):
        index = [a.id for a in course.audiences].index(audience_id)
        yield ctx.finding(
            "id/duplicate",
            Severity.ERROR,
            f"audience id '{audience_id}' is used twice",
            doc,
            ("audiences", index, "id"),
        )
    for module_id, module_doc in sorted(modules.items()):
        if module_id not in course.modules:
            yield ctx.finding(
                "course/unlisted-module",
                Severity.WARNING,
                f"module '{module_id}' is not listed in course.yaml and will not be built",
                module_doc,
                ("id",),
                hint="add it to 'modules' in curriculum/course.yaml or delete the file",
            )


def check_districts(ctx: Context) -> Iterator[Finding]:
    """District ids are unique."""
    doc = ctx.workspace.districts
    if doc is None or doc.model is None:
        return
    ids = [d.id for d in doc.model.districts]
    for district_id in sorted(_duplicates(ids)):
        yield ctx.finding(
            "id/duplicate",
            Severity.ERROR,
            f"district id '{district_id}' is used twice",
            doc,
            ("districts", ids.index(district_id), "id"),
        )


def check_modules(ctx: Context) -> Iterator[Finding]:
    """Module ids, slide and quiz ids, audiences, layouts, images and quiz answers."""
    audiences = _audience_ids(ctx)
    seen: dict[str, str] = {}
    for doc in ctx.workspace.modules:
        module = doc.model
        if module is None:
            continue
        if module.id in seen:
            yield ctx.finding(
                "id/duplicate",
                Severity.ERROR,
                f"module id '{module.id}' is also used in {seen[module.id]}",
                doc,
                ("id",),
            )
        seen.setdefault(module.id, doc.rel)
        if PurePosixPath(doc.rel).stem != module.id:
            yield ctx.finding(
                "module/file-name",
                Severity.WARNING,
                f"file name does not match the module id '{module.id}'",
                doc,
                ("id",),
                hint=f"rename the file to {module.id}.yaml",
            )
        if module.audiences is not None:
            yield from _unknown_audiences(ctx, doc, ("audiences",), module.audiences, audiences)
        yield from _check_slides(ctx, doc, module.slides, ("slides",), audiences)
        yield from _check_quiz(ctx, doc, module.quiz, audiences)
        claims = {c.id for e in ctx.editions.lineage(ctx.current.id) for c in e.claims}
        for index, item in enumerate(module.misconceptions):
            if item.claim not in claims:
                yield ctx.finding(
                    "claim/unknown",
                    Severity.ERROR,
                    f"unknown misconception claim '{item.claim}'",
                    doc,
                    ("misconceptions", index, "claim"),
                    hint=_suggest(item.claim, claims),
                )


def _unknown_audiences(
    ctx: Context, doc: Document[Any], loc: tuple[Any, ...], used: Iterable[str], known: set[str]
) -> Iterator[Finding]:
    if not known:
        return
    for index, audience in enumerate(used):
        if audience not in known:
            yield ctx.finding(
                "audience/unknown",
                Severity.ERROR,
                f"unknown audience '{audience}'",
                doc,
                (*loc, index),
                hint=_suggest(audience, known) or f"known audiences: {', '.join(sorted(known))}",
            )


def _check_slides(
    ctx: Context, doc: Document[Any], slides: list[Slide], loc: tuple[Any, ...], audiences: set[str]
) -> Iterator[Finding]:
    ids = [s.id for s in slides]
    for slide_id in sorted(_duplicates(ids)):
        yield ctx.finding(
            "id/duplicate",
            Severity.ERROR,
            f"slide id '{slide_id}' is used twice",
            doc,
            (*loc, ids.index(slide_id), "id"),
        )
    for index, slide in enumerate(slides):
        here = (*loc, index)
        if not slide.title.strip():
            yield ctx.finding(
                "a11y/missing-title",
                Severity.ERROR,
                f"slide '{slide.id}' has an empty title",
                doc,
                (*here, "title"),
                hint="every slide needs a title; screen readers navigate by it",
            )
        if slide.audiences is not None:
            yield from _unknown_audiences(ctx, doc, (*here, "audiences"), slide.audiences, audiences)
        if audiences:
            for key in slide.audience_notes:
                if key not in audiences:
                    notes = _node(doc.loaded.data, (*here, "audience_notes"))
                    line, column = key_position(notes, key) or node_position(notes)
                    yield Finding(
                        "audience/unknown",
                        Severity.ERROR,
                        f"unknown audience '{key}' in audience_notes",
                        doc.rel,
                        line,
                        column,
                        _suggest(key, audiences),
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
    problem = None
    if slide.layout == "two-content" and not slide.columns:
        problem = "a two-content slide needs 'columns' (two columns with heading and bullets)"
    elif slide.layout != "two-content" and slide.columns:
        problem = f"'columns' only works with layout two-content, not {slide.layout}"
    elif slide.layout == "quote" and len(slide.bullets) != 1:
        problem = "a quote slide holds exactly one bullet: the statement"
    elif slide.layout == "section" and len(slide.bullets) > 1:
        problem = "a section slide holds at most one bullet (its subtitle)"
    elif slide.layout == "content" and not slide.bullets and slide.image is None:
        problem = "a content slide needs bullets or an image"
    if problem:
        yield ctx.finding("slide/layout", Severity.ERROR, f"slide '{slide.id}': {problem}", doc, (*here, "layout"))


_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|bmp|tiff?|emf|wmf)\s*$", re.IGNORECASE)


def _check_image(ctx: Context, doc: Document[Any], slide: Slide, here: tuple[Any, ...]) -> Iterator[Finding]:
    assert slide.image is not None
    image = slide.image
    if not image.alt.strip():
        yield ctx.finding(
            "a11y/missing-alt",
            Severity.ERROR,
            f"the image on slide '{slide.id}' has no alt text",
            doc,
            (*here, "image", "alt"),
            hint="describe what the picture shows, in Swedish",
        )
    elif _FILE_NAME.search(image.alt):
        yield ctx.finding(
            "a11y/alt-is-file-name",
            Severity.WARNING,
            f"the alt text of the image on slide '{slide.id}' looks like a file name",
            doc,
            (*here, "image", "alt"),
            hint="describe what the picture shows",
        )
    resolved = resolve_workspace_path(ctx.workspace.root, image.path)
    if resolved is None:
        yield ctx.finding(
            "path/outside-workspace",
            Severity.ERROR,
            f"image path '{image.path}' leaves the workspace",
            doc,
            (*here, "image", "path"),
            hint="keep images inside the workspace and use a relative path, e.g. templates/images/x.png",
        )
    elif not resolved.exists():
        link = " (a broken link or a link loop)" if resolved.is_symlink() else ""
        yield ctx.finding(
            "path/missing-file",
            Severity.ERROR,
            f"image '{image.path}' does not exist{link}",
            doc,
            (*here, "image", "path"),
            hint="paths are relative to the workspace root",
        )
    elif not resolved.is_file():
        yield ctx.finding(
            "path/not-an-image",
            Severity.ERROR,
            f"'{image.path}' is {'a folder' if resolved.is_dir() else 'not a regular file (a pipe or device)'}, "
            "not a picture",
            doc,
            (*here, "image", "path"),
            hint="name the picture file itself, e.g. templates/images/sip-steg.png",
        )
    elif (problem := verify_image(resolved)) is not None:
        message = {
            "path/not-an-image": f"'{image.path}' is not a PNG, JPEG or GIF picture",
            "image/too-large": f"'{image.path}' is too large: {problem.reason}",
        }.get(problem.rule, f"'{image.path}' cannot be shown: {problem.reason}")
        yield ctx.finding(problem.rule, Severity.ERROR, message, doc, (*here, "image", "path"), hint=problem.hint)


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
    ids = [q.id for q in quiz]
    for quiz_id in sorted(_duplicates(ids)):
        yield ctx.finding(
            "id/duplicate",
            Severity.ERROR,
            f"quiz id '{quiz_id}' is used twice",
            doc,
            ("quiz", ids.index(quiz_id), "id"),
        )
    for index, item in enumerate(quiz):
        if item.answer > len(item.options):
            yield ctx.finding(
                "quiz/answer",
                Severity.ERROR,
                f"quiz '{item.id}': answer {item.answer} but there are only {len(item.options)} options",
                doc,
                ("quiz", index, "answer"),
                hint="answer is the 1-based number of the right option",
            )
        if item.audiences is not None:
            yield from _unknown_audiences(ctx, doc, ("quiz", index, "audiences"), item.audiences, audiences)


# --- local additions --------------------------------------------------------------------


def check_local(ctx: Context) -> Iterator[Finding]:
    """Local files belong to a known district, name it, and place slides after a real module."""
    districts_doc = ctx.workspace.districts
    districts = {d.id for d in districts_doc.model.districts} if districts_doc and districts_doc.model else set()
    course = ctx.workspace.course.model if ctx.workspace.course else None
    audiences = _audience_ids(ctx)
    for doc in ctx.workspace.local:
        local = doc.model
        if local is None:
            continue
        if districts and doc.folder_district not in districts:
            yield ctx.finding(
                "local/unknown-district",
                Severity.ERROR,
                f"folder '{doc.folder_district}' is not a district in curriculum/districts.yaml",
                doc,
                ("district",),
                hint=_suggest(doc.folder_district, districts) or "add the district to districts.yaml",
            )
        if local.district != doc.folder_district:
            yield ctx.finding(
                "local/district-mismatch",
                Severity.ERROR,
                f"district '{local.district}' does not match its folder '{doc.folder_district}'",
                doc,
                ("district",),
                hint=f"write 'district: {doc.folder_district}' or move the file",
            )
        if local.slides and local.after is None:
            yield ctx.finding(
                "local/missing-after",
                Severity.ERROR,
                "local slides need 'after: <module id>'",
                doc,
                ("slides",),
                at_key=True,
            )
        if local.after and course and local.after not in course.modules:
            yield ctx.finding(
                "local/unknown-module",
                Severity.ERROR,
                f"'after: {local.after}' is not a module of the course",
                doc,
                ("after",),
                hint=_suggest(local.after, course.modules),
            )
        if local.audiences is not None:
            yield from _unknown_audiences(ctx, doc, ("audiences",), local.audiences, audiences)
        yield from _check_slides(ctx, doc, local.slides, ("slides",), audiences)


# --- editions of material and refs -------------------------------------------------------


@dataclass(frozen=True)
class CitedRef:
    """A ref in a document, with its path inside the document."""

    ref: Ref
    loc: tuple[Any, ...]


def refs_of(model: Module | LocalAddition) -> list[CitedRef]:
    """Every ref in a module or local addition, in file order."""
    found: list[CitedRef] = []
    for index, slide in enumerate(model.slides):
        found.extend(CitedRef(ref, ("slides", index, "refs", pos)) for pos, ref in enumerate(slide.refs))
    if isinstance(model, Module):
        for index, item in enumerate(model.quiz):
            found.extend(CitedRef(ref, ("quiz", index, "refs", pos)) for pos, ref in enumerate(item.refs))
    else:
        for index, routine in enumerate(model.routines):
            found.extend(CitedRef(ref, ("routines", index, "refs", pos)) for pos, ref in enumerate(routine.refs))
        for index, example in enumerate(model.examples):
            found.extend(CitedRef(ref, ("examples", index, "refs", pos)) for pos, ref in enumerate(example.refs))
    return found


def _material(ctx: Context) -> Iterator[tuple[Document[Any], str, list[CitedRef]]]:
    """(document, built_on, refs) for the course, every module and every local file."""
    modules = [d for d in ctx.workspace.modules if d.model is not None]
    course = ctx.workspace.course
    if course is not None and course.model is not None:
        listed = set(course.model.modules)
        refs = [c for d in modules if d.model and d.model.id in listed for c in refs_of(d.model)]
        yield course, course.model.built_on, refs
    for doc in modules:
        assert doc.model is not None
        yield doc, doc.model.built_on, refs_of(doc.model)
    for local in ctx.workspace.local:
        if local.model is not None:
            yield local, local.model.built_on, refs_of(local.model)


def check_material_editions(ctx: Context) -> Iterator[Finding]:
    """Material built on an older edition: error if what it cites changed, else a warning."""
    current = ctx.current
    for doc, built_on, refs in _material(ctx):
        base = ctx.editions.get(built_on)
        if base is None:
            yield ctx.finding(
                "edition/unknown",
                Severity.ERROR,
                f"built_on names unknown edition '{built_on}'",
                doc,
                ("built_on",),
                hint=_suggest(built_on, ctx.editions.ids) or f"known editions: {', '.join(ctx.editions.ids)}",
            )
            continue
        if base.id == current.id:
            continue
        if ctx.editions.rank(base.id) > ctx.editions.rank(current.id):
            yield ctx.finding(
                "edition/newer",
                Severity.INFO,
                f"built on {base.id}, newer than the edition checked against ({current.id})",
                doc,
                ("built_on",),
            )
            continue
        changed = _changed_since(ctx, base, refs)
        replaced = base.kind != current.kind or ctx.editions.chain(base.id, current.id) is None
        if changed or replaced:
            detail = f"; cited sections changed since: {', '.join(changed[:6])}" if changed else ""
            if len(changed) > 6:
                detail += f" and {len(changed) - 6} more"
            if replaced:
                detail = f"; {base.short_title} was replaced by {current.short_title}" + detail
            yield ctx.finding(
                "edition/outdated",
                Severity.ERROR,
                f"built on {base.id} but the current edition is {current.id}{detail}",
                doc,
                ("built_on",),
                hint=f"review the material against {current.id}, then run 'vastbus upgrade --to {current.id}'",
            )
        else:
            yield ctx.finding(
                "edition/outdated",
                Severity.WARNING,
                f"built on {base.id} but the current edition is {current.id}; nothing it cites changed",
                doc,
                ("built_on",),
                hint=f"run 'vastbus upgrade --to {current.id} --write' to move it",
            )


def _changed_since(ctx: Context, base: Edition, refs: list[CitedRef]) -> list[str]:
    base_ids = {s.id for s in base.sections}
    changed: dict[str, str] = {}
    for cited in refs:
        section_id = cited.ref.section
        if section_id not in base_ids:
            changed.setdefault(section_id, f"{section_id} (not in {base.id})")
            continue
        followed = trace(ctx.editions, section_id, base.id, ctx.current.id)
        if followed is None or followed.needs_review:
            kind = followed.worst.value if followed else "unrelated edition"
            changed.setdefault(section_id, f"{section_id} ({kind})")
    return sorted(changed.values())


def check_refs(ctx: Context) -> Iterator[Finding]:
    """Every ref names a real section, has not gone stale, and was reviewed."""
    documents: list[Document[Module] | LocalDocument] = [*ctx.workspace.modules, *ctx.workspace.local]
    for doc in documents:
        if doc.model is None:
            continue
        for cited in refs_of(doc.model):
            yield from _check_ref(ctx, doc, doc.model.built_on, cited)


def _suspect_hint(ctx: Context, ref: Ref, section: Section) -> str:
    """What changed since the review, when an edition still holds the reviewed text."""
    action = f"read the section again, then run 'vastbus review --section {ref.section} --by NAME'"
    for edition in reversed(ctx.editions.ordered):
        old = ctx.editions.section(edition.id, ref.section)
        if old is not None and fingerprint(old) == ref.fingerprint:
            changed = [line for line in text_diff(old, [section]) if line[:1] in "+-"]
            return f"reviewed against the text in {edition.id}; changed: {' | '.join(changed)}; {action}"
    return f"the reviewed text is not in any edition; {action}"


def describe_trace(followed: Trace) -> str:
    """A one-line account of what happened to a section on the way to the current edition."""
    parts = []
    for step in followed.steps:
        if step.kind is ChangeKind.UNCHANGED:
            continue
        where = (
            f" into {', '.join(step.new_ids)}"
            if step.kind in (ChangeKind.SPLIT, ChangeKind.RENAMED, ChangeKind.MERGED)
            else ""
        )
        declared = "" if step.declared else " (not declared in the crosswalk)"
        note = f": {step.note}" if step.note else ""
        parts.append(f"{step.kind.value}{where} in {step.edition}{declared}{note}")
    return "; ".join(parts) or "unchanged"


def _check_ref(ctx: Context, doc: Document[Any], built_on: str, cited: CitedRef) -> Iterator[Finding]:
    ref, loc = cited.ref, cited.loc
    edition = ctx.editions.get(ref.edition)
    if edition is None:
        yield ctx.finding(
            "ref/unknown-edition",
            Severity.ERROR,
            f"ref names unknown edition '{ref.edition}'",
            doc,
            (*loc, "edition"),
            hint=_suggest(ref.edition, ctx.editions.ids),
        )
        return
    section = ctx.editions.section(edition.id, ref.section)
    if section is None:
        section_ids = [s.id for s in edition.sections]
        hint = _suggest(ref.section, section_ids) or f"sections of {edition.id}: {', '.join(section_ids)}"
        yield ctx.finding(
            "ref/unknown-section",
            Severity.ERROR,
            f"section '{ref.section}' does not exist in {edition.id}",
            doc,
            (*loc, "section"),
            hint=hint,
        )
        return
    if ref.fingerprint != fingerprint(section):
        yield ctx.finding(
            "ref/suspect",
            Severity.ERROR,
            f"the text of section '{ref.section}' in {edition.id} changed after this ref was reviewed",
            doc,
            (*loc, "fingerprint"),
            hint=_suspect_hint(ctx, ref, section),
        )
    if ref.reviewed is None:
        yield ctx.finding(
            "ref/unreviewed",
            Severity.WARNING,
            f"the ref to '{ref.section}' has no review record",
            doc,
            loc,
            hint="after checking the slide against the section, run 'vastbus review'",
        )
    if edition.id == ctx.current.id:
        return
    if ctx.editions.rank(edition.id) > ctx.editions.rank(ctx.current.id):
        return
    followed = trace(ctx.editions, ref.section, edition.id, ctx.current.id)
    if followed is None:
        yield ctx.finding(
            "ref/unrelated-edition",
            Severity.ERROR,
            f"{edition.id} is not an earlier edition of {ctx.current.id}",
            doc,
            (*loc, "edition"),
        )
        return
    story = describe_trace(followed)
    if not followed.current_ids:
        yield ctx.finding(
            "ref/withdrawn-section",
            Severity.ERROR,
            f"section '{ref.section}' ({edition.id}) is withdrawn in {ctx.current.id}: {story}",
            doc,
            (*loc, "section"),
            hint="rewrite the slide and cite a current section",
        )
    elif followed.needs_review:
        yield ctx.finding(
            "ref/changed-section",
            Severity.ERROR,
            f"section '{ref.section}' changed between {edition.id} and {ctx.current.id}: {story}",
            doc,
            (*loc, "section"),
            hint=f"run 'vastbus diff {edition.id} {ctx.current.id}', update the slide, then 'vastbus review'",
        )
    elif followed.worst is ChangeKind.RENAMED:
        yield ctx.finding(
            "ref/renamed-section",
            Severity.WARNING,
            f"section '{ref.section}' is now '{followed.current_ids[0]}' in {ctx.current.id}",
            doc,
            (*loc, "section"),
            hint=f"run 'vastbus upgrade --to {ctx.current.id} --write'",
        )
    elif built_on == ctx.current.id:
        yield ctx.finding(
            "ref/outdated-edition",
            Severity.WARNING,
            f"ref still stamped with {edition.id}; section '{ref.section}' did not change",
            doc,
            (*loc, "edition"),
            hint=f"run 'vastbus upgrade --to {ctx.current.id} --write' to restamp it",
        )


# --- prose: terms and claims ---------------------------------------------------------------


def _prose(
    node: Any, allowed: frozenset[str], path: tuple[Any, ...] = ()
) -> Iterator[tuple[Any, Any, str, frozenset[str], tuple[Any, ...]]]:
    """(container, key, text, allowed rule ids, path) for every prose string in a tree."""
    if isinstance(node, dict):
        discusses = node.get("discusses")
        if isinstance(discusses, list):
            allowed = allowed | frozenset(str(d) for d in discusses)
        for key, value in node.items():
            if key in NON_PROSE_KEYS:
                continue
            if isinstance(value, str):
                yield node, key, value, allowed, (*path, key)
            else:
                yield from _prose(value, allowed, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield node, index, value, allowed, (*path, index)
            else:
                yield from _prose(value, allowed, (*path, index))


_NEWLINE = re.compile("\n")


class _SourceText:
    """Maps text found in a parsed value back to its line and column in the file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[min(line, len(self.line_starts)) - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def locate(self, start: int, value: str, matched: str) -> int | None:
        """Offset of ``matched`` in the raw file, searching from the value's start.

        Folded and multi-line scalars change line breaks and indentation, so words
        are matched with any whitespace between them.
        """
        words = matched.split()
        if not words:
            return None
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
        window_end = min(len(self.text), start + 2 * len(value) + 400)
        found = pattern.search(self.text, start, window_end)
        return found.start() if found else None


def check_prose(ctx: Context) -> Iterator[Finding]:
    """Outdated terms and misconceptions in any text of the curriculum, with their position."""
    known_ids = {r.id for r in ctx.rules}
    term_ids = {r.id for r in ctx.rules if r.rule == "term/outdated"}
    documents: list[Document[Any]] = [*ctx.workspace.modules, *ctx.workspace.local]
    if ctx.workspace.course is not None:
        documents.append(ctx.workspace.course)
    for doc in documents:
        data = doc.loaded.data
        if not isinstance(data, dict):
            continue
        source = _SourceText(doc.loaded.text)
        used: set[tuple[tuple[Any, ...], str]] = set()
        prose = list(_prose(data, frozenset()))
        found: dict[int, list[Any]] = {}
        for index, match in ctx.rules.matches_many([item[2] for item in prose]):
            found.setdefault(index, []).append(match)
        ctx.note_slow(f"the text of {doc.rel}")
        for index in sorted(found):
            container, key, text, allowed, path = prose[index]
            start_pos = value_position(container, key)
            cursor = source.offset(*start_pos) if start_pos else 0
            for match in sorted(found[index], key=lambda m: m.start):
                if match.rule.id in allowed:
                    used.add((_owner(path), match.rule.id))
                    continue
                offset = source.locate(cursor, text, match.text)
                if offset is not None:
                    line, column = source.position(offset)
                    cursor = offset + 1
                else:
                    line, column = start_pos or (0, 0)
                yield Finding(
                    match.rule.rule,
                    match.rule.severity,
                    f"{match.rule.message} — found '{match.text}'",
                    doc.rel,
                    line,
                    column,
                    match.rule.hint,
                )
        # A stopped rule matched nothing in this text, so nothing says its discusses is unused.
        stopped = {rule_id for _, rule_id in ctx.rules.too_slow}
        yield from _check_discusses(ctx, doc, data, known_ids, term_ids - stopped, used)


def _owner(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """The path of the slide, quiz item, routine or example a text belongs to."""
    for size in range(len(path), 0, -1):
        if (
            isinstance(path[size - 1], int)
            and size >= 2
            and path[size - 2] in ("slides", "quiz", "routines", "examples")
        ):
            return path[:size]
    return ()


def _check_discusses(
    ctx: Context,
    doc: Document[Any],
    data: Any,
    known_ids: set[str],
    term_ids: set[str],
    used: set[tuple[tuple[Any, ...], str]],
) -> Iterator[Finding]:
    for kind in ("slides", "quiz", "routines", "examples"):
        items = data.get(kind) if isinstance(data, dict) else None
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            discusses = item.get("discusses") if isinstance(item, dict) else None
            if not isinstance(discusses, list):
                continue
            for pos, rule_id in enumerate(discusses):
                loc = (kind, index, "discusses", pos)
                if rule_id not in known_ids:
                    yield ctx.finding(
                        "discusses/unknown",
                        Severity.ERROR,
                        f"'{rule_id}' is not a term or claim of {ctx.current.id} or earlier editions",
                        doc,
                        loc,
                        hint=_suggest(str(rule_id), known_ids),
                    )
                elif rule_id in term_ids and ((kind, index), rule_id) not in used:
                    yield ctx.finding(
                        "discusses/unused",
                        Severity.INFO,
                        f"'{rule_id}' is listed in discusses but the text never mentions it",
                        doc,
                        loc,
                        hint="remove it from discusses",
                    )


def check_patterns(ctx: Context) -> Iterator[Finding]:
    """Term and claim patterns stopped for backtracking too long; runs last, after all matching."""
    docs = {doc.model.id: doc for doc in ctx.workspace.editions if doc.model is not None}
    for key, slow in ctx.rules.too_slow.items():
        doc = docs.get(slow.rule.edition)
        is_term = slow.rule.rule == "term/outdated"
        items: list[Any] = (doc.model.terms if is_term else doc.model.claims) if doc and doc.model else []
        index = next((i for i, item in enumerate(items) if item.id == slow.rule.id), None)
        if doc is None or index is None:
            continue
        loc = ("terms", index, "pattern") if is_term else ("claims", index, "patterns", slow.position)
        what = "term" if is_term else "claim"
        yield ctx.finding(
            "pattern/too-slow",
            Severity.ERROR,
            f"the pattern of {what} '{slow.rule.id}' was stopped after {slow.seconds:.2f} s of backtracking on "
            f"{ctx.slow_where.get(key, 'the text')}; {what} '{slow.rule.id}' was not checked from there on",
            doc,
            loc,
            hint="simplify the pattern: avoid nested repetition like (\\w+\\s?)+ or (a|a)+, which can match one "
            "text in very many ways",
        )


CHECKS: tuple[Callable[[Context], Iterable[Finding]], ...] = (
    check_editions,
    check_course,
    check_districts,
    check_modules,
    check_local,
    check_material_editions,
    check_refs,
    check_prose,
    check_patterns,
)


def run_checks(workspace: Workspace, editions: Editions, current: Edition, as_of: dt.date) -> list[Finding]:
    """Run every rule and return all findings, loading problems included."""
    ctx = Context(workspace, editions, current, as_of, RuleSet(active_rules(editions, current, as_of)))
    findings = list(workspace.findings)
    for check in CHECKS:
        findings.extend(check(ctx))
    return findings


__all__ = ["CHECKS", "Context", "describe_trace", "refs_of", "resolve_workspace_path", "run_checks"]
