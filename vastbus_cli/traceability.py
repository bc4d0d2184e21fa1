"""Guideline changes: list editions, diff two of them, review refs, upgrade material."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vastbus_cli.checks.refs import describe_trace, refs_of
from vastbus_cli.editions import Editions, Trace, fingerprint, select_edition, text_diff, trace
from vastbus_cli.errors import UsageError
from vastbus_cli.i18n import _, ngettext
from vastbus_cli.models import ChangeKind, Edition, LocalAddition, Module, Section, earliest_day
from vastbus_cli.transaction import Change, Seen, rewrite_all
from vastbus_cli.workspace import Document, LocalDocument, Workspace, editions_of, within
from vastbus_cli.yamledit import (
    Edit,
    OverlappingEdits,
    Source,
    apply,
    apply_in_layout,
    ref_mappings,
    replace_value,
    set_review,
)
from vastbus_cli.yamlio import parse_yaml

# --- editions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionRow:
    """One edition as ``vastbus editions`` shows it."""

    id: str
    title: str
    kind: str
    adopted: str | None
    valid_from: str
    supersedes: str | None
    current: bool
    note: str


def list_editions(workspace: Workspace, as_of: dt.date | None = None) -> list[EditionRow]:
    """Every edition, oldest first, with the one in force on ``as_of`` marked and why."""
    day = as_of or dt.date.today()
    editions = editions_of(workspace)
    current = editions.current(day)
    rows = []
    for edition in editions.ordered:
        is_current = current is not None and edition.id == current.id
        if is_current:
            note = _("current: the latest edition valid on {day} (valid from {start})").format(
                day=day.isoformat(), start=edition.valid_from
            )
        elif earliest_day(edition.valid_from) > day:
            note = _("not yet valid on {day}").format(day=day.isoformat())
        else:
            later = [e.id for e in editions.ordered if e.supersedes == edition.id]
            note = _("superseded by {later}").format(later=", ".join(later)) if later else _("superseded")
        rows.append(
            EditionRow(
                edition.id,
                edition.short_title,
                edition.kind.value,
                edition.adopted,
                edition.valid_from,
                edition.supersedes,
                is_current,
                note,
            )
        )
    return rows


# --- diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A ref in the curriculum that cites a section."""

    file: str
    line: int
    where: str


@dataclass
class SectionChange:
    """What happened to one section between two editions."""

    section: str
    kind: str
    new_ids: list[str]
    declared: bool
    notes: list[str]
    diff: list[str]
    cited_by: list[Citation] = field(default_factory=list)


@dataclass
class EditionDiff:
    """All section changes between two editions."""

    old: str
    new: str
    changes: list[SectionChange]

    @property
    def undeclared(self) -> list[SectionChange]:
        """Changes the crosswalk hides."""
        return [c for c in self.changes if not c.declared]


def _resolve_pair(editions: Editions, old: str, new: str) -> tuple[Edition, Edition]:
    for edition_id in (old, new):
        if edition_id not in editions:
            raise UsageError(
                _("unknown edition '{edition}' (known: {known})").format(
                    edition=edition_id, known=", ".join(editions.ids)
                )
            )
    if editions.chain(old, new) is None:
        raise UsageError(
            f"{new} does not follow {old}; compare an older edition with a newer one (order: {', '.join(editions.ids)})"
        )
    old_edition, new_edition = editions.get(old), editions.get(new)
    assert old_edition is not None and new_edition is not None
    return old_edition, new_edition


def citations(workspace: Workspace) -> dict[tuple[str, str], list[Citation]]:
    """(edition, section) → every ref citing it."""
    found: dict[tuple[str, str], list[Citation]] = {}
    documents: list[Document[Any]] = [*workspace.modules, *workspace.local]
    for doc in documents:
        if doc.model is None:
            continue
        for cited in refs_of(doc.model):
            container = doc.loaded.data
            for part in cited.loc:
                container = container[part]
            line = container.lc.line + 1 if hasattr(container, "lc") else 0
            where = f"{cited.loc[0]} {_item_id(doc.model, cited.loc)}"
            found.setdefault((cited.ref.edition, cited.ref.section), []).append(Citation(doc.rel, line, where))
    return found


def _item_id(model: Module | LocalAddition, loc: tuple[Any, ...]) -> str:
    items = getattr(model, loc[0])
    return str(getattr(items[loc[1]], "id", loc[1]))


def diff_editions(workspace: Workspace, old: str, new: str) -> EditionDiff:
    """Section by section: the declared change, the text difference and who cites it."""
    editions = editions_of(workspace)
    old_edition, new_edition = _resolve_pair(editions, old, new)
    cited = citations(workspace)
    changes: list[SectionChange] = []
    reached: set[str] = set()
    for section in old_edition.sections:
        followed = trace(editions, section.id, old, new)
        assert followed is not None
        targets = [s for s in (editions.section(new, i) for i in followed.current_ids) if s is not None]
        reached.update(followed.current_ids)
        same = len(targets) == 1 and targets[0].id == section.id and fingerprint(targets[0]) == fingerprint(section)
        changes.append(
            SectionChange(
                section=section.id,
                kind=followed.worst.value,
                new_ids=list(followed.current_ids),
                declared=all(step.declared for step in followed.steps),
                notes=[step.note for step in followed.steps if step.note],
                diff=[] if same else text_diff(section, targets),
                cited_by=[c for i in followed.current_ids for c in cited.get((new, i), [])]
                + cited.get((old, section.id), []),
            )
        )
    for section in new_edition.sections:
        if section.id not in reached:
            changes.append(
                SectionChange(
                    section.id,
                    ChangeKind.NEW.value,
                    [section.id],
                    True,
                    _new_notes(editions, old, new, section.id),
                    text_diff(None, [section]),
                    cited.get((new, section.id), []),
                )
            )
    return EditionDiff(old, new, changes)


def _new_notes(editions: Editions, old: str, new: str, section_id: str) -> list[str]:
    notes: list[str] = []
    for edition in editions.chain(old, new) or []:
        notes.extend(c.note for c in edition.changes if c.section == section_id and c.note)
    return notes


# --- review --------------------------------------------------------------------------------


@dataclass
class RefChange:
    """One ref that review or upgrade changed, or left for a person."""

    file: str
    line: int
    section: str
    action: str
    detail: str = ""


@dataclass
class EditResult:
    """What review or upgrade did (or, in a dry run, would do)."""

    changes: list[RefChange] = field(default_factory=list)
    files_written: list[str] = field(default_factory=list)


def _selected(
    doc: Document[Any],
    loc: tuple[Any, ...],
    section_id: str,
    *,
    module: str | None,
    slide: str | None,
    section: str | None,
) -> bool:
    model = doc.model
    if module is not None and not (isinstance(model, Module) and model.id == module):
        return False
    if slide is not None and (model is None or _item_id(model, loc) != slide):
        return False
    return section is None or section_id == section


def review(
    workspace: Workspace,
    *,
    by: str,
    paths: list[Path] | None = None,
    module: str | None = None,
    slide: str | None = None,
    section: str | None = None,
    everything: bool = False,
    note: str | None = None,
    on: dt.date | None = None,
    edition: str | None = None,
    write: bool = True,
) -> EditResult:
    """Restamp the selected refs after a person has read the sections' current text.

    Raises:
        UsageError: nothing is selected, or the selection matches no ref.
    """
    if not (paths or module or slide or section or everything):
        raise UsageError(_("say which refs were reviewed: give files, --module, --slide, --section or --all"))
    if not by.strip():
        raise UsageError(_("--by must name who reviewed"))
    editions = editions_of(workspace)
    target = select_edition(editions, edition, dt.date.today())
    day = on or dt.date.today()
    wanted = [workspace.rel(p) for p in paths or []]
    result = EditResult()
    plan = _EditPlan(workspace)
    documents: list[Document[Module] | LocalDocument] = [*workspace.modules, *workspace.local]
    for doc in documents:
        if doc.model is None or not within(doc.rel, wanted):
            continue
        source = Source(doc.loaded.text)
        edits: list[Edit] = []
        seen: set[tuple[int, int]] = set()
        for loc, mapping in ref_mappings(doc.loaded.data):
            section_id = str(mapping.get("section", ""))
            if not _selected(doc, loc, section_id, module=module, slide=slide, section=section):
                continue
            line = mapping.lc.line + 1
            position = (mapping.lc.line, mapping.lc.col)
            if position in seen:  # a YAML alias repeats a ref already handled
                result.changes.append(
                    RefChange(
                        doc.rel, line, section_id, "reviewed", _("the same ref as above (a YAML alias): stamped once")
                    )
                )
                continue
            seen.add(position)
            current = editions.section(target.id, section_id)
            if current is None:
                result.changes.append(
                    RefChange(
                        doc.rel,
                        line,
                        section_id,
                        "skipped",
                        _(
                            "'{section}' is not a section of {edition}; "
                            "run 'vastbus upgrade --to {edition}' or rewrite the ref"
                        ).format(section=section_id, edition=target.id),
                    )
                )
                continue
            edits.append(replace_value(source, mapping, "edition", target.id))
            edits.append(replace_value(source, mapping, "fingerprint", fingerprint(current)))
            edits.append(set_review(source, mapping, by, day, note))
            result.changes.append(
                RefChange(doc.rel, line, section_id, "reviewed", _("stamped {edition}").format(edition=target.id))
            )
        plan.add(doc, edits)
    if not result.changes:
        raise UsageError(_("no ref matches the selection"))
    plan.finish(result, write=write)
    return result


class _EditPlan:
    """Every file's edits, applied in memory and checked before any file is written.

    Either every planned file is written or, when one edit cannot be made, none is
    and the message names each file, line and reason.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.root = workspace.root
        self.ready: list[tuple[Document[Any], Path, bytes, bytes]] = []  # file, target, as read, new
        self.problems: list[str] = []

    def add(self, doc: Document[Any], edits: list[Edit]) -> None:
        """Apply ``doc``'s edits in memory; record a problem instead when they cannot be made."""
        if not edits:
            return
        loaded = doc.loaded
        try:
            text = apply(loaded.text, edits)
            original = apply_in_layout(loaded.original or loaded.text, edits)
        except OverlappingEdits:
            self.problems.append(
                _("{file}: two refs share the same text and need different edits").format(file=doc.rel)
            )
            return
        reparsed = parse_yaml(text, loaded.path, doc.rel)
        if reparsed.data is None or reparsed.findings:
            first = reparsed.findings[0] if reparsed.findings else None
            if first is None:
                self.problems.append(_("{file}: the edit would break the file").format(file=doc.rel))
            else:
                self.problems.append(
                    _("{file}: the edit would break the file at line {line} ({problem})").format(
                        file=doc.rel, line=first.line, problem=first.message
                    )
                )
            return
        if original == (loaded.original or loaded.text):
            return  # every value was already as asked: the file is not rewritten
        target = self._target(doc)
        if target is not None:
            read = (("\ufeff" if loaded.bom else "") + (loaded.original or loaded.text)).encode("utf-8")
            data = ("\ufeff" if loaded.bom else "") + original
            self.ready.append((doc, target, read, data.encode("utf-8")))

    def _target(self, doc: Document[Any]) -> Path | None:
        """The file to write: the file itself, or the file a link inside the workspace points to."""
        path = Path(doc.loaded.path)
        if not path.is_symlink():
            return path
        target = path.resolve()
        if not target.is_relative_to(self.root):
            self.problems.append(
                _(
                    "{file} is a link to {target}, outside the workspace; edit that file there, "
                    "or replace the link with the file"
                ).format(file=doc.rel, target=target)
            )
            return None
        return target

    def finish(self, result: EditResult, *, write: bool) -> None:
        """Write every planned file, or none: see :mod:`vastbus_cli.transaction`.

        Raises:
            UsageError: an edit cannot be made; nothing was written.
            InputOutputError: a file could not be written, or changed while the command ran;
                nothing was changed.
        """
        if self.problems:
            raise UsageError(_("nothing was written: {problems}").format(problems="; ".join(self.problems)))
        if not write:
            return
        rewrite_all([Change(target, new, Seen.of(target, read)) for _, target, read, new in self.ready])
        result.files_written.extend(doc.rel for doc, *_ in self.ready)


# --- upgrade -------------------------------------------------------------------------------


def upgrade(workspace: Workspace, to: str, *, write: bool = False, paths: list[Path] | None = None) -> EditResult:
    """Move material to edition ``to``: rename, restamp what did not change, list the rest for review."""
    editions = editions_of(workspace)
    target = select_edition(editions, to)
    wanted = [workspace.rel(p) for p in paths or []]
    result = EditResult()
    plan = _EditPlan(workspace)
    modules_on_target = True
    documents: list[Document[Module] | LocalDocument] = [*workspace.modules, *workspace.local]
    for doc in documents:
        model = doc.model
        if model is None or not within(doc.rel, wanted):
            continue
        edits, pending = _upgrade_document(doc, editions, target, result)
        on_target = model.built_on == target.id
        if not on_target and not pending and editions.chain(model.built_on, target.id) is not None:
            edits.append(_move_built_on(doc, model.built_on, target.id, result))
            on_target = True
        elif not on_target:
            result.changes.append(
                RefChange(
                    doc.rel,
                    0,
                    "",
                    "kept",
                    ngettext(
                        "built_on stays {edition}: {n} ref needs review",
                        "built_on stays {edition}: {n} refs need review",
                        pending,
                    ).format(edition=model.built_on, n=pending),
                )
            )
        if isinstance(model, Module) and not on_target:
            modules_on_target = False
        plan.add(doc, edits)
    course = workspace.course
    if course is not None and course.model is not None and course.model.built_on != target.id and not wanted:
        if modules_on_target and editions.chain(course.model.built_on, target.id) is not None:
            plan.add(course, [_move_built_on(course, course.model.built_on, target.id, result)])
        else:
            result.changes.append(
                RefChange(
                    course.rel,
                    0,
                    "",
                    "kept",
                    _("built_on stays {edition} until every module is upgraded").format(edition=course.model.built_on),
                )
            )
    plan.finish(result, write=write)
    return result


def _move_built_on(doc: Document[Any], old: str, new: str, result: EditResult) -> Edit:
    data = doc.loaded.data
    result.changes.append(RefChange(doc.rel, data.lc.key("built_on")[0] + 1, "", "built_on", f"{old} → {new}"))
    return replace_value(Source(doc.loaded.text), data, "built_on", new)


def _upgrade_document(
    doc: Document[Any], editions: Editions, target: Edition, result: EditResult
) -> tuple[list[Edit], int]:
    source = Source(doc.loaded.text)
    edits: list[Edit] = []
    needs_review = 0
    seen: set[tuple[int, int]] = set()
    for _loc, mapping in ref_mappings(doc.loaded.data):
        section_id = str(mapping.get("section", ""))
        edition_id = str(mapping.get("edition", ""))
        line = mapping.lc.line + 1
        position = (mapping.lc.line, mapping.lc.col)
        if edition_id == target.id or position in seen:  # a YAML alias repeats a ref already handled
            continue
        seen.add(position)
        old_section = editions.section(edition_id, section_id)
        followed = trace(editions, section_id, edition_id, target.id) if old_section else None
        detail = None
        if old_section is None or followed is None:
            detail = _("cannot follow '{section}' from {old} to {new}").format(
                section=section_id, old=edition_id, new=target.id
            )
        else:
            suspect = str(mapping.get("fingerprint", "")) != fingerprint(old_section)
            if followed.needs_review or suspect or len(followed.current_ids) != 1:
                detail = _review_detail(editions, followed, old_section, target, suspect)
        if detail is not None:
            needs_review += 1
            result.changes.append(RefChange(doc.rel, line, section_id, "review", detail))
            continue
        assert followed is not None
        new_id = followed.current_ids[0]
        new_section = editions.section(target.id, new_id)
        assert new_section is not None
        if new_id != section_id:
            edits.append(replace_value(source, mapping, "section", new_id))
            result.changes.append(RefChange(doc.rel, line, section_id, "renamed", f"{section_id} → {new_id}"))
        else:
            result.changes.append(
                RefChange(
                    doc.rel,
                    line,
                    section_id,
                    "restamped",
                    _("{change} between {old} and {new}").format(
                        change=_(followed.worst.value), old=edition_id, new=target.id
                    ),
                )
            )
        edits.append(replace_value(source, mapping, "edition", target.id))
        edits.append(replace_value(source, mapping, "fingerprint", fingerprint(new_section)))
    return edits, needs_review


def _review_detail(editions: Editions, followed: Trace, old: Section, target: Edition, suspect: bool) -> str:
    if suspect:
        return _("the ref's fingerprint does not match its own edition's text; review it first")
    new = [s for s in (editions.section(target.id, i) for i in followed.current_ids) if s is not None]
    diff = text_diff(old, new)
    return describe_trace(followed) + ("\n" + "\n".join(diff) if diff else "")
