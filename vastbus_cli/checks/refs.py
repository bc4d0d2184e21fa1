"""Checks of what material cites: the edition it is built on and every ref."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vastbus_cli.checks.context import Context, suggest
from vastbus_cli.editions import Trace, fingerprint, text_diff, trace
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.models import ChangeKind, Edition, LocalAddition, Module, Ref, Section
from vastbus_cli.rules import EDITION, ERROR, INFO, REF, WARNING, Rule
from vastbus_cli.workspace import Document, LocalDocument

_NO_SUCH = N_("a reference names a section or edition that does not exist")
_GONE = N_("the cited section was withdrawn, or changed substantively, split or merged since")
_RESTAMP = N_("the reference only needs restamping (`vastbus upgrade`)")
_BUILT_ON = N_("`built_on` names an unknown edition / one newer than the one checked")
REF_UNKNOWN_EDITION = Rule("ref/unknown-edition", ERROR, REF, _NO_SUCH)
REF_UNKNOWN_SECTION = Rule("ref/unknown-section", ERROR, REF, _NO_SUCH)
REF_WITHDRAWN_SECTION = Rule("ref/withdrawn-section", ERROR, REF, _GONE)
REF_CHANGED_SECTION = Rule("ref/changed-section", ERROR, REF, _GONE)
REF_UNVERIFIED_SECTION = Rule(
    "ref/unverified-section",
    WARNING,
    REF,
    N_(
        "what became of the cited section in the edition in force is not known (crosswalk "
        "`unverified`): teach it as the old text, say its status is not verified and whom to ask"
    ),
)
REF_UNRELATED_EDITION = Rule(
    "ref/unrelated-edition",
    ERROR,
    REF,
    N_("a reference names an edition that is not an earlier edition of the one in force (another line of documents)"),
)
REF_RENAMED_SECTION = Rule("ref/renamed-section", WARNING, REF, _RESTAMP)
REF_OUTDATED_EDITION = Rule("ref/outdated-edition", WARNING, REF, _RESTAMP)
REF_SUSPECT = Rule("ref/suspect", ERROR, REF, N_("the section's text changed after the reference was reviewed"))
REF_UNREVIEWED = Rule("ref/unreviewed", WARNING, REF, N_("the reference has no `reviewed` record"))
EDITION_OUTDATED = Rule(
    "edition/outdated",
    ERROR,
    EDITION,
    N_(
        "material is built on an older edition: an error where a cited section changed or the "
        "edition was replaced by another kind of document, a warning where nothing it cites changed"
    ),
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
                _("built_on names unknown edition '{built_on}'").format(built_on=built_on),
                doc,
                ("built_on",),
                built_on,
                ctx.editions.ids,
                otherwise=_("known editions: {items}").format(items=", ".join(ctx.editions.ids)),
            )
            continue
        if base.id == current.id:
            continue
        if ctx.editions.rank(base.id) > ctx.editions.rank(current.id):
            yield ctx.finding(
                EDITION_NEWER,
                Severity.INFO,
                _("built on {base}, newer than the edition checked against ({current})").format(
                    base=base.id, current=current.id
                ),
                doc,
                ("built_on",),
            )
            continue
        changed = _changed_since(ctx, base, refs)
        replaced = base.kind != current.kind or ctx.editions.chain(base.id, current.id) is None
        if changed or replaced:
            detail = (
                _("; cited sections changed since: {sections}").format(sections=", ".join(changed[:6]))
                if changed
                else ""
            )
            if len(changed) > 6:
                detail += _(" and {n} more").format(n=len(changed) - 6)
            if replaced:
                detail = (
                    _("; {old} was replaced by {new}").format(old=base.short_title, new=current.short_title) + detail
                )
            yield ctx.finding(
                EDITION_OUTDATED,
                Severity.ERROR,
                _("built on {base} but the current edition is {current}{detail}").format(
                    base=base.id, current=current.id, detail=detail
                ),
                doc,
                ("built_on",),
                hint=_("review the material against {current}, then run 'vastbus upgrade --to {current}'").format(
                    current=current.id
                ),
            )
        else:
            yield ctx.finding(
                EDITION_OUTDATED,
                Severity.WARNING,
                _("built on {base} but the current edition is {current}; nothing it cites changed").format(
                    base=base.id, current=current.id
                ),
                doc,
                ("built_on",),
                hint=_("run 'vastbus upgrade --to {current} --write' to move it").format(current=current.id),
            )


def _changed_since(ctx: Context, base: Edition, refs: list[CitedRef]) -> list[str]:
    base_ids = {s.id for s in base.sections}
    changed: dict[str, str] = {}
    for cited in refs:
        section_id = cited.ref.section
        if section_id not in base_ids:
            changed.setdefault(
                section_id, _("{section} (not in {edition})").format(section=section_id, edition=base.id)
            )
            continue
        followed = trace(ctx.editions, section_id, base.id, ctx.current.id)
        if followed is None or followed.needs_review:
            kind = followed.worst.value if followed else _("unrelated edition")
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
    action = _("read the section again, then run 'vastbus review --section {section} --by NAME'").format(
        section=ref.section
    )
    for edition in reversed(ctx.editions.ordered):
        old = ctx.editions.section(edition.id, ref.section)
        if old is not None and fingerprint(old) == ref.fingerprint:
            changed = [line for line in text_diff(old, [section]) if line[:1] in "+-"]
            return _("reviewed against the text in {edition}; changed: {items}; {action}").format(
                edition=edition.id, items=" | ".join(changed), action=action
            )
    return _("the reviewed text is not in any edition; {action}").format(action=action)


def describe_trace(followed: Trace) -> str:
    """A one-line account of what happened to a section on the way to the current edition."""
    parts = []
    for step in followed.steps:
        if step.kind is ChangeKind.UNCHANGED:
            continue
        where = (
            _(" into {items}").format(items=", ".join(step.new_ids))
            if step.kind in (ChangeKind.SPLIT, ChangeKind.RENAMED, ChangeKind.MERGED)
            else ""
        )
        declared = "" if step.declared else _(" (not declared in the crosswalk)")
        note = f": {step.note}" if step.note else ""
        parts.append(
            _("{kind}{where} in {edition}{declared}{note}").format(
                kind=step.kind.value, where=where, edition=step.edition, declared=declared, note=note
            )
        )
    return "; ".join(parts) or _("unchanged")


def _check_ref(ctx: Context, doc: Document[Any], built_on: str, cited: CitedRef) -> Iterator[Finding]:
    ref, loc = cited.ref, cited.loc
    edition = ctx.editions.get(ref.edition)
    if edition is None:
        yield ctx.unknown(
            REF_UNKNOWN_EDITION,
            _("ref names unknown edition '{edition}'").format(edition=ref.edition),
            doc,
            (*loc, "edition"),
            ref.edition,
            ctx.editions.ids,
        )
        return
    section = ctx.editions.section(edition.id, ref.section)
    if section is None:
        section_ids = [s.id for s in edition.sections]
        hint = suggest(ref.section, section_ids) or _("sections of {edition}: {items}").format(
            edition=edition.id, items=", ".join(section_ids)
        )
        yield ctx.finding(
            REF_UNKNOWN_SECTION,
            Severity.ERROR,
            _("section '{section}' does not exist in {edition}").format(section=ref.section, edition=edition.id),
            doc,
            (*loc, "section"),
            hint=hint,
        )
        return
    if ref.fingerprint != fingerprint(section):
        yield ctx.finding(
            REF_SUSPECT,
            Severity.ERROR,
            _("the text of section '{section}' in {edition} changed after this ref was reviewed").format(
                section=ref.section, edition=edition.id
            ),
            doc,
            (*loc, "fingerprint"),
            hint=_suspect_hint(ctx, ref, section),
        )
    if ref.reviewed is None:
        yield ctx.finding(
            REF_UNREVIEWED,
            Severity.WARNING,
            _("the ref to '{section}' has no review record").format(section=ref.section),
            doc,
            loc,
            hint=_("after checking the slide against the section, run 'vastbus review'"),
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
            _("{edition} is not an earlier edition of {current}").format(edition=edition.id, current=ctx.current.id),
            doc,
            (*loc, "edition"),
        )
        return
    story = describe_trace(followed)
    if not followed.current_ids and followed.worst is ChangeKind.UNVERIFIED:
        yield ctx.finding(
            REF_UNVERIFIED_SECTION,
            Severity.WARNING,
            _("what became of section '{section}' ({edition}) in {current} is not verified: {story}").format(
                section=ref.section, edition=edition.id, current=ctx.current.id, story=story
            ),
            doc,
            (*loc, "section"),
            hint=_(
                "teach it as {edition}'s text, say that its place in {current} is not verified, and tell "
                "participants whom to ask"
            ).format(edition=edition.id, current=ctx.current.id),
        )
    elif not followed.current_ids:
        yield ctx.finding(
            REF_WITHDRAWN_SECTION,
            Severity.ERROR,
            _("section '{section}' ({edition}) is withdrawn in {current}: {story}").format(
                section=ref.section, edition=edition.id, current=ctx.current.id, story=story
            ),
            doc,
            (*loc, "section"),
            hint=_("rewrite the slide and cite a current section"),
        )
    elif followed.needs_review:
        yield ctx.finding(
            REF_CHANGED_SECTION,
            Severity.ERROR,
            _("section '{section}' changed between {edition} and {current}: {story}").format(
                section=ref.section, edition=edition.id, current=ctx.current.id, story=story
            ),
            doc,
            (*loc, "section"),
            hint=_("run 'vastbus diff {edition} {current}', update the slide, then 'vastbus review'").format(
                edition=edition.id, current=ctx.current.id
            ),
        )
    elif followed.worst is ChangeKind.RENAMED:
        yield ctx.finding(
            REF_RENAMED_SECTION,
            Severity.WARNING,
            _("section '{section}' is now '{current_ids}' in {current}").format(
                section=ref.section, current_ids=followed.current_ids[0], current=ctx.current.id
            ),
            doc,
            (*loc, "section"),
            hint=_("run 'vastbus upgrade --to {current} --write'").format(current=ctx.current.id),
        )
    elif built_on == ctx.current.id:
        yield ctx.finding(
            REF_OUTDATED_EDITION,
            Severity.WARNING,
            _("ref still stamped with {edition}; section '{section}' did not change").format(
                edition=edition.id, section=ref.section
            ),
            doc,
            (*loc, "edition"),
            hint=_("run 'vastbus upgrade --to {current} --write' to restamp it").format(current=ctx.current.id),
        )
