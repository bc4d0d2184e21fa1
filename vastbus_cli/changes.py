"""What changed in the course between two versions: modules, slides, quiz items, local additions and refs.

Pure: two :class:`CourseContent` in (the validated models of each side), one
:class:`CourseChanges` out, and the formatters. Where the versions come from (a folder,
a git revision) is ``api``'s business.

Everything is matched by its stable id (modules, slides, quiz items, routines, examples;
local files by their path under ``curriculum/local/``), never by position. Text is
compared as the fingerprints compare it: a difference in whitespace alone (re-wrapped
notes, trailing spaces) is not a change; the diff shows the text as written. A ref is
matched by the section it cites: an edition that moved is listed as a ref moved, not as a
change of the slide; a new fingerprint or review record without a new edition is
bookkeeping that ``check`` follows, and is not listed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from vastbus_cli import __version__
from vastbus_cli.models import Course, LocalAddition, Module
from vastbus_cli.safetext import json_text, printable_lines

#: The lists of items with ids compared one by one, per kind of unit, and the field naming each item.
MODULE_PARTS: dict[str, str] = {"slides": "title", "quiz": "question"}
LOCAL_PARTS: dict[str, str] = {"slides": "title", "routines": "title", "examples": "title"}
#: What the JSON calls each part's items in a ref move, and the text's Swedish words for them.
ITEM_KIND = {"slides": "slide", "quiz": "quiz", "routines": "routine", "examples": "example"}
_SV_PART = {
    "slides": ("bild", "bilder"),
    "quiz": ("fråga", "frågor"),
    "routines": ("rutin", "rutiner"),
    "examples": ("exempel", "exempel"),
}
_SV_KIND = {"slide": "bild", "quiz": "fråga", "routine": "rutin", "example": "exempel"}


@dataclass(frozen=True)
class CourseContent:
    """One side of the comparison: what the user named it, and the course's validated models."""

    label: str
    kind: Literal["folder", "revision"]
    course: Course
    modules: Mapping[str, Module]
    local: Mapping[str, LocalAddition]
    commit: str | None = None


@dataclass(frozen=True)
class Side:
    """A course version as the report names it."""

    label: str
    kind: str
    commit: str | None
    version: str
    built_on: str


@dataclass(frozen=True)
class Item:
    """A slide, quiz item, routine or example that was added or removed."""

    id: str
    title: str


@dataclass(frozen=True)
class ItemChange:
    """An item on both sides whose content differs: which fields, and the text difference."""

    id: str
    title: str
    old_title: str
    fields: list[str]
    diff: list[str]


@dataclass(frozen=True)
class ItemChanges:
    """The changes to one list of items (a module's slides, its quiz …)."""

    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    reordered: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.reordered)


@dataclass(frozen=True)
class RefMove:
    """A ref on an item of both sides whose edition moved."""

    kind: str
    item: str
    section: str
    old_edition: str
    new_edition: str


@dataclass(frozen=True)
class UnitChanges:
    """A module, or a local file, that was added, removed or changed."""

    id: str
    title: str
    status: Literal["added", "removed", "changed"]
    fields: list[str]
    diff: list[str]
    parts: dict[str, ItemChanges]
    refs: list[RefMove]


@dataclass(frozen=True)
class CourseChanges:
    """Everything that changed from ``old`` to ``new``."""

    old: Side
    new: Side
    fields: list[str]
    diff: list[str]
    modules: list[UnitChanges]
    local: list[UnitChanges]

    @property
    def unchanged(self) -> bool:
        """Whether the course content is the same on both sides (the version number aside)."""
        return not (self.fields or self.modules or self.local)

    def summary(self) -> dict[str, Any]:
        """Counts of what changed: modules, slides, quiz items, refs moved, local files."""
        counts: dict[str, Any] = {
            "modules": _status_counts(self.modules),
            "slides": _item_counts(self.modules, "slides"),
            "quiz": _item_counts(self.modules, "quiz"),
            "refs_moved": sum(len(unit.refs) for unit in self.modules),
            "local": _status_counts(self.local),
            "local_refs_moved": sum(len(unit.refs) for unit in self.local),
        }
        return counts


def _status_counts(units: list[UnitChanges]) -> dict[str, int]:
    return {status: sum(1 for u in units if u.status == status) for status in ("added", "removed", "changed")}


def _item_counts(units: list[UnitChanges], part: str) -> dict[str, int]:
    parts = [unit.parts[part] for unit in units if part in unit.parts]
    return {
        "added": sum(len(p.added) for p in parts),
        "removed": sum(len(p.removed) for p in parts),
        "changed": sum(len(p.changed) for p in parts),
    }


# --- comparing ---------------------------------------------------------------------------------


def compare_courses(old: CourseContent, new: CourseContent) -> CourseChanges:
    """What changed from ``old`` to ``new``: the course's own fields, each module, each local file."""
    course_fields, course_diff = _compare_fields(_dump(old.course), _dump(new.course), skip={"version"})
    old_ids = [m for m in old.course.modules if m in old.modules]
    new_ids = [m for m in new.course.modules if m in new.modules]
    modules = []
    for module_id in new_ids:
        if module_id in old_ids:
            unit = _changed_unit(module_id, old.modules[module_id], new.modules[module_id], MODULE_PARTS)
            if unit is not None:
                modules.append(unit)
        else:
            modules.append(_whole_unit(module_id, new.modules[module_id], MODULE_PARTS, "added"))
    modules.extend(
        _whole_unit(module_id, old.modules[module_id], MODULE_PARTS, "removed")
        for module_id in old_ids
        if module_id not in new_ids
    )
    local = []
    for path in sorted(set(old.local) | set(new.local)):
        if path not in old.local:
            local.append(_whole_unit(path, new.local[path], LOCAL_PARTS, "added"))
        elif path not in new.local:
            local.append(_whole_unit(path, old.local[path], LOCAL_PARTS, "removed"))
        else:
            unit = _changed_unit(path, old.local[path], new.local[path], LOCAL_PARTS)
            if unit is not None:
                local.append(unit)
    return CourseChanges(_side(old), _side(new), course_fields, course_diff, modules, local)


def _side(content: CourseContent) -> Side:
    return Side(content.label, content.kind, content.commit, content.course.version, content.course.built_on)


def _whole_unit(
    unit_id: str, model: Module | LocalAddition, parts: dict[str, str], status: Literal["added", "removed"]
) -> UnitChanges:
    """A module or local file on one side only: every item added, or every item removed."""
    listed: dict[str, ItemChanges] = {}
    for part, title_field in parts.items():
        items = [Item(item.id, str(getattr(item, title_field))) for item in getattr(model, part)]
        listed[part] = ItemChanges(added=items) if status == "added" else ItemChanges(removed=items)
    return UnitChanges(unit_id, model.title, status, [], [], listed, [])


def _changed_unit(
    unit_id: str, old: Module | LocalAddition, new: Module | LocalAddition, parts: dict[str, str]
) -> UnitChanges | None:
    """A module or local file on both sides, or None when nothing in it changed."""
    fields, diff = _compare_fields(_dump(old), _dump(new), skip={"id", *parts})
    compared: dict[str, ItemChanges] = {}
    moves: list[RefMove] = []
    for part, title_field in parts.items():
        compared[part], part_moves = _compare_items(getattr(old, part), getattr(new, part), title_field)
        moves.extend(RefMove(ITEM_KIND[part], item, section, was, now) for item, section, was, now in part_moves)
    if not (fields or moves or any(compared.values())):
        return None
    return UnitChanges(unit_id, new.title, "changed", fields, diff, compared, moves)


def _compare_items(
    old: Sequence[Any], new: Sequence[Any], title_field: str
) -> tuple[ItemChanges, list[tuple[str, str, str, str]]]:
    old_by_id = {item.id: item for item in reversed(old)}  # the first of a duplicated id, as check reports it
    new_by_id = {item.id: item for item in reversed(new)}
    added = [Item(item.id, str(getattr(item, title_field))) for item in _unique(new) if item.id not in old_by_id]
    removed = [Item(item.id, str(getattr(item, title_field))) for item in _unique(old) if item.id not in new_by_id]
    changed = []
    moves: list[tuple[str, str, str, str]] = []
    for item in _unique(new):
        before = old_by_id.get(item.id)
        if before is None:
            continue
        fields, diff = _compare_fields(_dump(before), _dump(item), skip={"id"})
        if fields:
            title = str(getattr(item, title_field))
            changed.append(ItemChange(item.id, title, str(getattr(before, title_field)), fields, diff))
        moves.extend((item.id, *move) for move in _ref_moves(getattr(before, "refs", []), getattr(item, "refs", [])))
    common_old = [item.id for item in _unique(old) if item.id in new_by_id]
    common_new = [item.id for item in _unique(new) if item.id in old_by_id]
    return ItemChanges(added, removed, changed, common_old != common_new), moves


def _unique(items: Sequence[Any]) -> list[Any]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return unique


def _ref_moves(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[str, str, str]]:
    """(section, old edition, new edition) for each ref citing the same section on both sides, in order."""
    moves: list[tuple[str, str, str]] = []
    for section in dict.fromkeys(ref.section for ref in new):
        before = [ref for ref in old if ref.section == section]
        after = [ref for ref in new if ref.section == section]
        pairs = zip(before, after, strict=False)
        moves.extend((section, b.edition, a.edition) for b, a in pairs if b.edition != a.edition)
    return moves


def _dump(model: BaseModel) -> dict[str, Any]:
    """The model as plain data, refs reduced to the sections they cite (their stamps are compared apart)."""
    return _without_stamps(model.model_dump(mode="json", by_alias=True, exclude_none=True))  # type: ignore[no-any-return]


def _without_stamps(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: [ref["section"] for ref in item] if key == "refs" else _without_stamps(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_stamps(item) for item in value]
    return value


def _compare_fields(old: dict[str, Any], new: dict[str, Any], *, skip: set[str]) -> tuple[list[str], list[str]]:
    """The top-level fields whose content differs (whitespace aside), and a diff of their text."""
    names = [key for key in [*new, *(k for k in old if k not in new)] if key not in skip]
    changed = [name for name in names if _normalised(old.get(name)) != _normalised(new.get(name))]
    before = [line for name in changed for line in _lines(name, old.get(name))]
    after = [line for name in changed for line in _lines(name, new.get(name))]
    return changed, text_diff(before, after)


def _normalised(value: Any) -> Any:
    """Whitespace does not count, as in the fingerprints; an empty list or mapping is the same as none."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return [_normalised(item) for item in value] or None
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()} or None
    return value


def _lines(name: str, value: Any) -> list[str]:
    """A field as lines of text, for the diff: ``name: value``, lists as ``- item``, multi-line text indented."""
    if value is None or value == [] or value == {}:
        return []
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _lines(f"{name}.{key}", item)]
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return [f"{name}:", *(line for item in value for line in _text(_scalar(item), "  - ", "    "))]
        return [line for number, item in enumerate(value, 1) for line in _entry_lines(name, number, item)]
    text = _scalar(value)
    if "\n" in text:
        return [f"{name}:", *_text(text, "  ", "  ")]
    return [f"{name}: {text}"]


#: Keys that name an entry of a list (an audience by its id, a track's module by its module), so that
#: an entry added in the middle does not renumber every entry after it in the diff.
_NAMING_KEYS = ("id", "module", "claim", "after", "section")


def _entry_lines(name: str, number: int, item: Any) -> list[str]:
    """An entry of a list of mappings, named by its id (then left out of its lines) or else by its number."""
    if isinstance(item, dict):
        for key in _NAMING_KEYS:
            if isinstance(item.get(key), str):
                rest = {k: v for k, v in item.items() if k != key}
                return _lines(f"{name}[{item[key]}]", rest) or [f"{name}[{item[key]}]"]
    return _lines(f"{name}[{number}]", item)


def _scalar(value: Any) -> str:
    return value.rstrip() if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _text(text: str, first: str, rest: str) -> list[str]:
    lines = [line.rstrip() for line in text.strip("\n").split("\n")]
    return [(first if n == 0 else rest) + line if line else "" for n, line in enumerate(lines)]


def text_diff(old: list[str], new: list[str]) -> list[str]:
    """A compact unified diff (one line of context) without file headers; hunks are separated by ``…``."""
    lines: list[str] = []
    for line in difflib.unified_diff(old, new, lineterm="", n=1):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:
                lines.append("…")
            continue
        lines.append(line)
    return lines


# --- formatting --------------------------------------------------------------------------------


def as_json(changes: CourseChanges) -> str:
    """The documented JSON shape (see the README): stable keys, every list present even when empty."""
    document = {
        "old": asdict(changes.old),
        "new": asdict(changes.new),
        "course": {"fields": changes.fields, "diff": changes.diff},
        "modules": [_unit_json(unit) for unit in changes.modules],
        "local": [_unit_json(unit) for unit in changes.local],
        "summary": changes.summary(),
        "tool": {"name": "vastbus", "version": __version__},
    }
    return json_text(document)


def _unit_json(unit: UnitChanges) -> dict[str, Any]:
    data: dict[str, Any] = {"id": unit.id, "title": unit.title, "status": unit.status}
    data |= {"fields": unit.fields, "diff": unit.diff}
    for part, items in unit.parts.items():
        data[part] = asdict(items)
    data["refs"] = [asdict(move) for move in unit.refs]
    return data


#: Adjectives agree with the noun: en bild (ny, ändrad), ett exempel (nytt, ändrat), plural (nya, ändrade).
_NEW = ("ny", "nytt", "nya")
_CHANGED = ("ändrad", "ändrat", "ändrade")
_REMOVED = ("borttagen", "borttaget", "borttagna")
_NEUTER = frozenset({"examples"})


def news(changes: CourseChanges) -> list[str]:
    """What is new, one short line per module, for trainers ("Nytt i denna version" on the site)."""
    if changes.unchanged:
        return []
    lines = []
    if changes.old.version != changes.new.version:
        lines.append(f"Kursversion {changes.new.version} (förra: {changes.old.version}).")
    for unit in changes.modules:
        if unit.status == "added":
            lines.append(f"Ny modul: {unit.title}.")
            continue
        if unit.status == "removed":
            lines.append(f"Modulen {unit.title} ingår inte längre.")
            continue
        said = []
        for part, items in unit.parts.items():
            for forms, found in ((_NEW, items.added), (_CHANGED, items.changed), (_REMOVED, items.removed)):
                if found:
                    singular, plural = _SV_PART[part]
                    if len(found) == 1:
                        word = forms[1] if part in _NEUTER else forms[0]
                    else:
                        word = forms[2]
                    said.append(f"{len(found)} {word} {singular if len(found) == 1 else plural}")
        if unit.refs:
            said.append(f"{len(unit.refs)} hänvisning{'ar' if len(unit.refs) != 1 else ''} till en ny utgåva")
        if not said and unit.fields:
            said.append("ändrat " + ", ".join(unit.fields))
        if said:
            lines.append(f"{unit.title}: {', '.join(said)}.")
    return lines


def as_news(changes: CourseChanges) -> str:
    """The news lines as YAML, to paste under ``news:`` in curriculum/course.yaml (and edit)."""
    lines = news(changes)
    if not lines:
        return "news: []\n"
    quoted = (line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)
    return "news:\n" + "".join(f'  - "{line}"\n' for line in quoted)


def as_text(changes: CourseChanges) -> str:
    """The report for people, in Swedish like the course: per module, then the local additions.

    Text from the course files is shown with control characters escaped (``safetext.printable``).
    """
    old, new = changes.old, changes.new
    lines = [f"Ändringar från {_side_text(old)} till {_side_text(new)}"]
    if old.version == new.version and not changes.unchanged:
        lines.append(f"  Obs: kursens versionsnummer är detsamma ({new.version}); höj det i curriculum/course.yaml.")
    if changes.unchanged:
        lines.append("\nInga ändringar i kursens innehåll.")
        return printable_lines("\n".join(lines)) + "\n"
    if changes.fields:
        lines.append(f"\nKursen (curriculum/course.yaml): ändrat {', '.join(changes.fields)}")
        lines.extend(_indented(changes.diff, 4))
    for unit in changes.modules:
        lines.extend(_unit_text(unit, "Modul", "Ny modul", "Borttagen modul"))
    if changes.local:
        lines.append("\nLokala tillägg (curriculum/local/)")
        for unit in changes.local:
            lines.extend(_unit_text(unit, "Fil", "Ny fil", "Borttagen fil"))
    lines.append("\n" + _summary_text(changes))
    return printable_lines("\n".join(lines)) + "\n"


def _side_text(side: Side) -> str:
    commit = f"{side.commit[:10]}, " if side.commit else ""
    return f"{side.label} ({commit}version {side.version})"


def _unit_text(unit: UnitChanges, changed: str, added: str, removed: str) -> list[str]:
    if unit.status != "changed":
        counts = ", ".join(_count(len(items.added or items.removed), part) for part, items in unit.parts.items())
        lines = [f"\n{added if unit.status == 'added' else removed} {unit.id} – {unit.title} ({counts})"]
        if unit.status == "added":
            for part, items in unit.parts.items():
                lines.extend(f"  + {_sv(part)[0]} {item.id} – {item.title}" for item in items.added)
        return lines
    lines = [f"\n{changed} {unit.id} – {unit.title}"]
    if unit.fields:
        lines.append(f"  Ändrat: {', '.join(unit.fields)}")
        lines.extend(_indented(unit.diff, 4))
    for part, items in unit.parts.items():
        plural = _sv(part)[1]
        if items.added:
            lines.append(f"  Nya {plural}")
            lines.extend(f"    + {item.id} – {item.title}" for item in items.added)
        if items.removed:
            lines.append(f"  Borttagna {plural}")
            lines.extend(f"    - {item.id} – {item.title}" for item in items.removed)
        if items.changed:
            lines.append(f"  Ändrade {plural}")
            for change in items.changed:
                was = f" (förut: {change.old_title})" if change.old_title != change.title else ""
                lines.append(f"    ~ {change.id} – {change.title}{was}: {', '.join(change.fields)}")
                lines.extend(_indented(change.diff, 8))
        if items.reordered:
            lines.append(f"  Ordningen på {plural} har ändrats")
    if unit.refs:
        lines.append("  Hänvisningar till en annan utgåva")
        for move in unit.refs:
            kind = _SV_KIND.get(move.kind, move.kind)
            lines.append(f"    {kind} {move.item}: {move.section} {move.old_edition} → {move.new_edition}")
    return lines


def _sv(part: str) -> tuple[str, str]:
    return _SV_PART.get(part, (part, part))


def _count(n: int, part: str) -> str:
    singular, plural = _sv(part)
    return f"{n} {singular if n == 1 else plural}"


def _indented(lines: list[str], width: int) -> list[str]:
    return [" " * width + line for line in lines]


def _summary_text(changes: CourseChanges) -> str:
    summary = changes.summary()
    modules = summary["modules"]
    parts = [
        _counted("moduler", modules, ("ny", "nya"), ("ändrad", "ändrade"), ("borttagen", "borttagna")),
        _counted("bilder", summary["slides"], ("ny", "nya"), ("ändrad", "ändrade"), ("borttagen", "borttagna")),
        _counted("frågor", summary["quiz"], ("ny", "nya"), ("ändrad", "ändrade"), ("borttagen", "borttagna")),
    ]
    moved = summary["refs_moved"]
    parts.append(f"{moved} {'hänvisning' if moved == 1 else 'hänvisningar'} till en annan utgåva")
    local = summary["local"]
    parts.append(_counted("lokala filer", local, ("ny", "nya"), ("ändrad", "ändrade"), ("borttagen", "borttagna")))
    return "Sammanfattning: " + "; ".join(parts)


def _counted(
    label: str, counts: dict[str, int], added: tuple[str, str], changed: tuple[str, str], removed: tuple[str, str]
) -> str:
    def word(n: int, forms: tuple[str, str]) -> str:
        return f"{n} {forms[0] if n == 1 else forms[1]}"

    return (
        f"{label} {word(counts['added'], added)}, {word(counts['changed'], changed)}, "
        f"{word(counts['removed'], removed)}"
    )


__all__ = [
    "CourseChanges",
    "CourseContent",
    "Item",
    "ItemChange",
    "ItemChanges",
    "RefMove",
    "Side",
    "UnitChanges",
    "as_json",
    "as_text",
    "compare_courses",
]
