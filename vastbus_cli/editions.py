"""Guideline editions: which is current, section fingerprints and tracing across editions.

Everything here is pure: it takes loaded :class:`~vastbus_cli.models.Edition` objects
and answers questions about them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from vastbus_cli.errors import UsageError
from vastbus_cli.i18n import _
from vastbus_cli.models import GONE, NEEDS_REVIEW, Basis, Change, ChangeKind, Edition, Section, earliest_day

#: Bump the prefix if normalisation ever changes, so old stamps are recognisably old.
FINGERPRINT_PREFIX = "h1:"
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as fingerprints see it: NFC, any run of whitespace or line endings is one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fingerprint(section: Section) -> str:
    """Return the content fingerprint of a section (title, summary, key points and basis).

    The basis counts only where a section declares one, so sections that rest on the
    edition's own text keep the fingerprints they were reviewed with.
    """
    parts = [section.title, section.summary, *section.key_points]
    if section.basis:
        parts.append("basis: " + ", ".join(basis.value for basis in section.basis))
    parts.extend(f"update {update.on}: {update.text}" for update in section.updates)
    canonical = "\n".join(normalise_text(part) for part in parts)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return FINGERPRINT_PREFIX + digest[:16]


class Editions:
    """The set of loaded editions, ordered oldest first by ``valid_from``."""

    def __init__(self, editions: Iterable[Edition]) -> None:
        """Index the editions by id and order them by the day they became valid."""
        self._by_id: dict[str, Edition] = {}
        for edition in editions:
            self._by_id.setdefault(edition.id, edition)
        self.ordered: list[Edition] = sorted(self._by_id.values(), key=lambda e: (earliest_day(e.valid_from), e.id))
        self._rank = {edition.id: index for index, edition in enumerate(self.ordered)}
        self._sections: dict[tuple[str, str], Section] = {}
        for edition in self._by_id.values():
            for section in edition.sections:
                self._sections.setdefault((edition.id, section.id), section)

    def __contains__(self, edition_id: object) -> bool:
        """Whether an edition with this id is loaded."""
        return edition_id in self._by_id

    def __len__(self) -> int:
        """How many editions are loaded."""
        return len(self._by_id)

    def get(self, edition_id: str) -> Edition | None:
        """The edition with this id, or None."""
        return self._by_id.get(edition_id)

    @property
    def ids(self) -> list[str]:
        """Edition ids, oldest first."""
        return [edition.id for edition in self.ordered]

    def rank(self, edition_id: str) -> int:
        """Position in time order; higher is newer."""
        return self._rank[edition_id]

    def current(self, as_of: dt.date) -> Edition | None:
        """The latest edition whose ``valid_from`` is on or before ``as_of``."""
        valid = [e for e in self.ordered if earliest_day(e.valid_from) <= as_of]
        return valid[-1] if valid else None

    def section(self, edition_id: str, section_id: str) -> Section | None:
        """A section of an edition, or None if either is unknown."""
        return self._sections.get((edition_id, section_id))

    def chain(self, old_id: str, new_id: str) -> list[Edition] | None:
        """Editions after ``old_id`` up to and including ``new_id``, following ``supersedes``.

        Returns None when ``new_id`` does not descend from ``old_id``.
        """
        steps: list[Edition] = []
        edition = self._by_id.get(new_id)
        seen: set[str] = set()
        while edition is not None and edition.id != old_id and edition.id not in seen:
            seen.add(edition.id)
            steps.append(edition)
            edition = self._by_id.get(edition.supersedes) if edition.supersedes else None
        if edition is None or edition.id != old_id:
            return None
        return list(reversed(steps))

    def lineage(self, edition_id: str) -> list[Edition]:
        """The edition and every edition it supersedes, oldest first."""
        found: list[Edition] = []
        edition = self._by_id.get(edition_id)
        while edition is not None and edition not in found:
            found.append(edition)
            edition = self._by_id.get(edition.supersedes) if edition.supersedes else None
        return list(reversed(found))


@dataclass(frozen=True)
class Step:
    """What happened to a section in one edition step."""

    edition: str
    kind: ChangeKind
    old_id: str
    new_ids: tuple[str, ...]
    note: str | None = None
    declared: bool = True


@dataclass(frozen=True)
class Trace:
    """A cited section followed from the edition it was reviewed in to a later one."""

    section: str
    start: str
    end: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def current_ids(self) -> tuple[str, ...]:
        """Where the section lives in the end edition (empty if withdrawn)."""
        return self.steps[-1].new_ids if self.steps else (self.section,)

    @property
    def worst(self) -> ChangeKind:
        """The most serious change on the way."""
        order = list(ChangeKind)
        if not self.steps:
            return ChangeKind.UNCHANGED
        return max((step.kind for step in self.steps), key=order.index)

    @property
    def needs_review(self) -> bool:
        """Whether a person must read the new text before the material can move on."""
        return any(step.kind in NEEDS_REVIEW for step in self.steps)


def declared_change(edition: Edition, old_id: str) -> Change | None:
    """The crosswalk entry of ``edition`` that says what happened to old section ``old_id``."""
    for change in edition.changes:
        if change.change in GONE or change.change is ChangeKind.SPLIT:
            if change.section == old_id:
                return change
        elif change.change in (ChangeKind.RENAMED, ChangeKind.MERGED):
            sources = change.from_ if isinstance(change.from_, list) else [change.from_]
            if old_id in sources:
                return change
        elif change.section == old_id and change.change is not ChangeKind.NEW:
            return change
    return None


def step_section(previous: Edition, edition: Edition, old_id: str) -> Step:
    """Follow one section from ``previous`` into ``edition`` using the crosswalk and hashes."""
    change = declared_change(edition, old_id)
    old = next((s for s in previous.sections if s.id == old_id), None)
    same = next((s for s in edition.sections if s.id == old_id), None)
    if change is None or change.change is ChangeKind.UNCHANGED:
        if same is None:
            return Step(edition.id, ChangeKind.WITHDRAWN, old_id, (), declared=False)
        if old is not None and fingerprint(old) != fingerprint(same):
            return Step(edition.id, ChangeKind.SUBSTANTIVE, old_id, (old_id,), declared=False)
        return Step(edition.id, ChangeKind.UNCHANGED, old_id, (old_id,))
    kind = change.change
    if kind in GONE:
        new_ids: tuple[str, ...] = ()
    elif kind is ChangeKind.SPLIT:
        new_ids = tuple(change.into or ())
    elif kind in (ChangeKind.RENAMED, ChangeKind.MERGED):
        new_ids = (change.section,)
    else:
        new_ids = (old_id,)
    return Step(edition.id, kind, old_id, new_ids, change.note)


def basis_of(edition: Edition, section: Section) -> list[Basis]:
    """What a section rests on: its own ``basis``, or else the edition's own text."""
    if section.basis:
        return list(section.basis)
    return [Basis.OVERENSKOMMELSE if edition.kind.value == "överenskommelse" else Basis.RIKTLINJER]


def trace(editions: Editions, section_id: str, start: str, end: str) -> Trace | None:
    """Follow ``section_id`` of edition ``start`` to edition ``end``.

    Returns None when ``end`` does not descend from ``start``. A split section is
    followed into all its parts; the trace then reports the split, which needs review.
    """
    chain = editions.chain(start, end)
    if chain is None:
        return None
    previous = editions.get(start)
    assert previous is not None  # chain() found it
    steps: list[Step] = []
    current_ids: tuple[str, ...] = (section_id,)
    for edition in chain:
        next_ids: list[str] = []
        for old_id in current_ids:
            step = step_section(previous, edition, old_id)
            steps.append(step)
            next_ids.extend(step.new_ids)
        current_ids = tuple(dict.fromkeys(next_ids))
        previous = edition
    if steps:
        last = steps[-1]
        steps[-1] = Step(last.edition, last.kind, last.old_id, current_ids, last.note, last.declared)
    return Trace(section_id, start, end, tuple(steps))


def section_lines(section: Section | None) -> list[str]:
    """A section's text as lines to diff: title, summary sentences, key points."""
    if section is None:
        return []
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(section.summary.split())) if s.strip()]
    return [f"# {section.title}", *sentences, *(f"- {point}" for point in section.key_points)]


def text_diff(old: Section | None, new: list[Section]) -> list[str]:
    """A unified diff of the section text (new may be several sections after a split)."""
    new_lines = [line for section in new for line in section_lines(section)]
    return list(difflib.unified_diff(section_lines(old), new_lines, "före", "efter", lineterm="", n=1))[2:]


def select_edition(editions: Editions, edition: str | None = None, as_of: dt.date | None = None) -> Edition:
    """The edition to check against: ``edition`` if given, else the current one on ``as_of``.

    Raises:
        UsageError: the edition is unknown or none is valid on that day.
    """
    if edition is not None:
        found = editions.get(edition)
        if found is None:
            known = ", ".join(editions.ids) or _("none loaded")
            raise UsageError(_("unknown edition '{edition}' (known: {known})").format(edition=edition, known=known))
        return found
    day = as_of or dt.date.today()
    current = editions.current(day)
    if current is None:
        raise UsageError(
            _("no guideline edition is valid on {day}; known: {known}").format(
                day=day.isoformat(), known=", ".join(editions.ids) or _("none")
            )
        )
    return current


def shipped_editions() -> Editions:
    """The guideline editions that ship inside the package (a copy of the repository's ``guidelines/``).

    ``scan`` compares with them when it runs outside any workspace, so a trainer with no copy
    of the course can check a shared drive. ``tests/test_shipped_editions.py`` keeps the copy
    equal to ``guidelines/``.
    """
    from importlib.resources import files

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    folder = files("vastbus_cli") / "guidelines"
    return Editions(
        Edition.model_validate(yaml.load(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".yaml")
    )
