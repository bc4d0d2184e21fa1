"""Checks of what material cites: the edition it is built on and every ref."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vastbus_cli.checks.context import Context, suggest
from vastbus_cli.editions import Trace, fingerprint, text_diff, trace
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.models import ChangeKind, Edition, LocalAddition, Module, Ref, Section
from vastbus_cli.rules import EDITION, ERROR, INFO, REF, WARNING, Rule
from vastbus_cli.workspace import Document, LocalDocument

_NO_SUCH = "a reference names a section or edition that does not exist"
_GONE = "the cited section was withdrawn, or changed substantively, split or merged since"
_RESTAMP = "the reference only needs restamping (`vastbus upgrade`)"
_BUILT_ON = "`built_on` names an unknown edition / one newer than the one checked"
REF_UNKNOWN_EDITION = Rule("ref/unknown-edition", ERROR, REF, _NO_SUCH)
REF_UNKNOWN_SECTION = Rule("ref/unknown-section", ERROR, REF, _NO_SUCH)
REF_WITHDRAWN_SECTION = Rule("ref/withdrawn-section", ERROR, REF, _GONE)
REF_CHANGED_SECTION = Rule("ref/changed-section", ERROR, REF, _GONE)
REF_UNVERIFIED_SECTION = Rule(
    "ref/unverified-section",
    WARNING,
    REF,
    "what became of the cited section in the edition in force is not known (crosswalk `unverified`): teach it as "
    "the old text, say its status is not verified and whom to ask",
)
REF_UNRELATED_EDITION = Rule(
    "ref/unrelated-edition",
    ERROR,
    REF,
    "a reference names an edition that is not an earlier edition of the one in force (another line of documents)",
)
REF_RENAMED_SECTION = Rule("ref/renamed-section", WARNING, REF, _RESTAMP)
REF_OUTDATED_EDITION = Rule("ref/outdated-edition", WARNING, REF, _RESTAMP)
REF_SUSPECT = Rule("ref/suspect", ERROR, REF, "the section's text changed after the reference was reviewed")
REF_UNREVIEWED = Rule("ref/unreviewed", WARNING, REF, "the reference has no `reviewed` record")
EDITION_OUTDATED = Rule(
    "edition/outdated",
    ERROR,
    EDITION,
    "material is built on an older edition: an error where a cited section changed or the edition was replaced by "
    "another kind of document, a warning where nothing it cites changed",
    also=(WARNING,),
)
EDITION_UNKNOWN = Rule("edition/unknown", ERROR, EDITION, _BUILT_ON)
EDITION_NEWER = Rule("edition/newer", INFO, EDITION, _BUILT_ON)

RULES: tuple[Rule, ...] = (
    REF_UNKNOWN_EDITION,
    REF_UNKNOWN_SECTION,
    REF_WITHDRAWN_SECTION,
    REF_CHANGED_SECTION,
    REF_UNVERIFIED_SECTION,
    REF_UNRELATED_EDITION,
    REF_RENAMED_SECTION,
    REF_OUTDATED_EDITION,
    REF_SUSPECT,
    REF_UNREVIEWED,
    EDITION_OUTDATED,
    EDITION_UNKNOWN,
    EDITION_NEWER,
)


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
            yield ctx.unknown(
                EDITION_UNKNOWN,
                f"built_on names unknown edition '{built_on}'",
                doc,
                ("built_on",),
                built_on,
                ctx.editions.ids,
                otherwise=f"known editions: {', '.join(ctx.editions.ids)}",
            )
            continue
        if base.id == current.id:
            continue
        if ctx.editions.rank(base.id) > ctx.editions.rank(current.id):
            yield ctx.finding(
                EDITION_NEWER,
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
                EDITION_OUTDATED,
                Severity.ERROR,
                f"built on {base.id} but the current edition is {current.id}{detail}",
                doc,
                ("built_on",),
                hint=f"review the material against {current.id}, then run 'vastbus upgrade --to {current.id}'",
            )
        else:
            yield ctx.finding(
                EDITION_OUTDATED,
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
        yield ctx.unknown(
            REF_UNKNOWN_EDITION,
            f"ref names unknown edition '{ref.edition}'",
            doc,
            (*loc, "edition"),
            ref.edition,
            ctx.editions.ids,
        )
        return
    section = ctx.editions.section(edition.id, ref.section)
    if section is None:
        section_ids = [s.id for s in edition.sections]
        hint = suggest(ref.section, section_ids) or f"sections of {edition.id}: {', '.join(section_ids)}"
        yield ctx.finding(
            REF_UNKNOWN_SECTION,
            Severity.ERROR,
            f"section '{ref.section}' does not exist in {edition.id}",
            doc,
            (*loc, "section"),
            hint=hint,
        )
        return
    if ref.fingerprint != fingerprint(section):
        yield ctx.finding(
            REF_SUSPECT,
            Severity.ERROR,
            f"the text of section '{ref.section}' in {edition.id} changed after this ref was reviewed",
            doc,
            (*loc, "fingerprint"),
            hint=_suspect_hint(ctx, ref, section),
        )
    if ref.reviewed is None:
        yield ctx.finding(
            REF_UNREVIEWED,
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
            REF_UNRELATED_EDITION,
            Severity.ERROR,
            f"{edition.id} is not an earlier edition of {ctx.current.id}",
            doc,
            (*loc, "edition"),
        )
        return
    story = describe_trace(followed)
    if not followed.current_ids and followed.worst is ChangeKind.UNVERIFIED:
        yield ctx.finding(
            REF_UNVERIFIED_SECTION,
            Severity.WARNING,
            f"what became of section '{ref.section}' ({edition.id}) in {ctx.current.id} is not verified: {story}",
            doc,
            (*loc, "section"),
            hint=f"teach it as {edition.id}'s text, say that its place in {ctx.current.id} is not verified, "
            "and tell participants whom to ask",
        )
    elif not followed.current_ids:
        yield ctx.finding(
            REF_WITHDRAWN_SECTION,
            Severity.ERROR,
            f"section '{ref.section}' ({edition.id}) is withdrawn in {ctx.current.id}: {story}",
            doc,
            (*loc, "section"),
            hint="rewrite the slide and cite a current section",
        )
    elif followed.needs_review:
        yield ctx.finding(
            REF_CHANGED_SECTION,
            Severity.ERROR,
            f"section '{ref.section}' changed between {edition.id} and {ctx.current.id}: {story}",
            doc,
            (*loc, "section"),
            hint=f"run 'vastbus diff {edition.id} {ctx.current.id}', update the slide, then 'vastbus review'",
        )
    elif followed.worst is ChangeKind.RENAMED:
        yield ctx.finding(
            REF_RENAMED_SECTION,
            Severity.WARNING,
            f"section '{ref.section}' is now '{followed.current_ids[0]}' in {ctx.current.id}",
            doc,
            (*loc, "section"),
            hint=f"run 'vastbus upgrade --to {ctx.current.id} --write'",
        )
    elif built_on == ctx.current.id:
        yield ctx.finding(
            REF_OUTDATED_EDITION,
            Severity.WARNING,
            f"ref still stamped with {edition.id}; section '{ref.section}' did not change",
            doc,
            (*loc, "edition"),
            hint=f"run 'vastbus upgrade --to {ctx.current.id} --write' to restamp it",
        )
