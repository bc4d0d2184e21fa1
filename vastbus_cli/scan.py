"""Scanning anyone's .pptx and .docx files for the guideline edition they teach.

A vastbus stamp is trusted first (and the content hash says whether the file was
edited after it was built). Otherwise the text is matched against every edition's
markers, the outdated terms and the misconception claims. A file with no evidence
either way is ``unknown``; a file that cannot be read safely is ``unreadable``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vastbus_cli import saferead
from vastbus_cli.builtrecord import BuiltBlock, Judged, compare, record_of
from vastbus_cli.editions import Editions
from vastbus_cli.errors import InputOutputError
from vastbus_cli.findings import Severity
from vastbus_cli.i18n import _, language, ngettext, set_language
from vastbus_cli.models import Edition
from vastbus_cli.officetext import (
    DamagedRecord,
    Parts,
    TextPiece,
    UnreadableDocument,
    content_sha256,
    custom_properties,
    docx_text,
    pptx_text,
    recorded_blocks,
)
from vastbus_cli.safetext import printable
from vastbus_cli.scanfiles import SUFFIXES, display_name, office_files
from vastbus_cli.textrules import RuleSet, TextRule, active_rules
from vastbus_cli.workers import usable_cpus
from vastbus_cli.zipguard import guard, refuse_huge_directory

MAX_FILE_BYTES = saferead.LIMITS["office"]
#: Text matched per file: a long book is about a million characters. Beyond this a file
#: is read only in part (and says so), which keeps time and memory per file bounded.
MAX_TEXT_CHARS = 2_000_000
#: Evidence listed per rule and file; further matches are only counted.
MAX_EVIDENCE_PER_RULE = 20
#: Text matched at a time: the rules run over batches so that a file's text is never held whole.
BATCH_CHARS = 200_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Evidence:
    """Why a file got its status: the rule, where in the file, and the text."""

    rule: str
    location: str
    text: str
    #: What to say instead: a misconception's correction (the claim's ``correct``, whitespace
    #: normalised) or an outdated term's replacement; None for other evidence.
    correct: str | None = None


@dataclass
class FileResult:
    """The verdict on one file (the scan JSON contract; fields are only ever added).

    Attributes:
        path: The name the file is listed under, always valid UTF-8 (see :func:`_display`).
        status: ``current``, ``outdated``, ``unknown`` or ``unreadable``.
        edition: The edition the file was built on or names, when known.
        evidence: The stamp, and at most ``MAX_EVIDENCE_PER_RULE`` matches per rule.
        reason: Why a file is unreadable or unknown, and whether it was read only in part.
        modified: The text was changed after vastbus built (and stamped) the file.
        truncated: Only the first ``MAX_TEXT_CHARS`` characters of text were matched.
        evidence_omitted: Matches found beyond those listed in ``evidence``.
        changed: For a file vastbus built: the slides, notes, paragraphs and tables whose
            text differs from the build, in document order (only these are judged).
        unchanged: For a file vastbus built: how many blocks are as they were built.
        rule_counts: How many matches each rule had, including those not listed.
        judged_lines: For a file vastbus built: the lines judged in the changed blocks, those
            the edit added or changed (a block built without a record of its text counts whole).
    """

    path: str
    status: str
    edition: str | None
    evidence: list[Evidence] = field(default_factory=list)
    reason: str | None = None
    modified: bool = False
    truncated: bool = False
    evidence_omitted: int = 0
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    rule_counts: dict[str, int] = field(default_factory=dict)
    judged_lines: int = 0


@dataclass(frozen=True)
class Rules:
    """Everything a scan matches, prepared once and sent to worker processes."""

    current: str
    current_kind: str
    rank: dict[str, int]
    kinds: dict[str, str]
    supersedes: dict[str, str | None]
    markers: RuleSet
    rules: RuleSet
    #: (edition, rule kind, id) -> what to say instead: a claim's correction, a term's replacement.
    corrections: dict[tuple[str, str, str], str] = field(default_factory=dict)


def prepare(editions: Editions, current: Edition, as_of: dt.date) -> Rules:
    """Compile the markers of every edition and the terms and claims in force."""
    markers = [
        TextRule(
            f"{edition.id}-{i}",
            "marker/edition",
            Severity.INFO,
            (pattern,),
            f"names {edition.short_title}",
            "",
            edition.id,
        )
        for edition in editions.ordered
        for i, pattern in enumerate(edition.markers)
    ]
    return Rules(
        current=current.id,
        current_kind=current.kind.value,
        rank={e.id: editions.rank(e.id) for e in editions.ordered},
        kinds={e.id: e.kind.value for e in editions.ordered},
        supersedes={e.id: e.supersedes for e in editions.ordered},
        markers=RuleSet(markers),
        rules=RuleSet(active_rules(editions, current, as_of), lines_are_paragraphs=True),
        corrections=_corrections(editions, current),
    )


def _corrections(editions: Editions, current: Edition) -> dict[tuple[str, str, str], str]:
    """What to say instead of each claim and term in force, as ``check`` says it."""
    found: dict[tuple[str, str, str], str] = {}
    for edition in editions.lineage(current.id):
        for term in edition.terms:
            found[(edition.id, "term/outdated", term.id)] = " ".join(term.replacement.split())
        for claim in edition.claims:
            found[(edition.id, "claim/misconception", claim.id)] = " ".join(claim.correct.split())
    return found


def scan_file(path: Path, rules: Rules, shown: str | None = None) -> FileResult:
    """Decide one file's status; never raises for a bad file."""
    name = shown or display_name(path, None)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return FileResult(name, "unreadable", None, reason=_("not a .pptx or .docx file"))
    try:
        return _scan(path, kind, rules, name)
    except UnreadableDocument as error:
        return _unreadable(name, str(error))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        return _unreadable(name, _("broken or truncated zip ({error})").format(error=error))
    except (OSError, ValueError, NotImplementedError, RuntimeError) as error:
        return _unreadable(name, _("cannot be read ({error})").format(error=error))
    except Exception as error:  # the scan goes on whatever one file does (the property tests look for these)
        return _unreadable(
            name, _("cannot be read (unexpected {kind}: {error})").format(kind=type(error).__name__, error=error)
        )


def _unreadable(name: str, reason: str) -> FileResult:
    return FileResult(name, "unreadable", None, reason=printable(reason))


def _open_regular(path: Path) -> BinaryIO:
    """Open a regular file within the Office limit (:mod:`~vastbus_cli.saferead`); never blocks.

    Raises:
        UnreadableDocument: not a regular file, a broken link, a link loop or too large.
    """
    try:
        return saferead.open_regular(path, "office")
    except saferead.Refused as refused:
        raise UnreadableDocument(refused.message) from None


def _scan(path: Path, kind: str, rules: Rules, name: str) -> FileResult:
    reading = _read(path, kind, rules)
    evidence = _stamp_evidence(reading)
    verdicts: set[tuple[str, str | None]] = set()
    truncated, omitted, notes = False, 0, []
    counts: dict[str, int] = {}
    matched = reading.matched
    if matched is not None:
        evidence.extend(matched.evidence())
        counts = dict(sorted(matched.counts.items()))
        verdicts = matched.verdicts
        truncated, omitted = matched.truncated, matched.omitted
        notes = _match_notes(matched, rules)
    if reading.damaged_record:
        notes.insert(0, _("the build's record of its text cannot be read, so all of the text was judged"))
    status, edition = _status(rules, reading, verdicts, notes)
    return FileResult(
        name,
        status,
        edition,
        evidence,
        _reason(notes),
        reading.modified,
        truncated,
        omitted,
        reading.changed_at,
        reading.unchanged,
        counts,
        reading.lines,
    )


@dataclass
class _Reading:
    """What one file holds: its stamp, what changed since it was built, and the matches in its text."""

    stamped: str | None
    #: Built by vastbus with a fingerprint per block (only the changed blocks are matched).
    by_block: bool = False
    modified: bool = False
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: Lines judged in the changed blocks: those the edit added or changed.
    lines: int = 0
    #: The build's record of the blocks is damaged, so the whole changed text was judged.
    damaged_record: bool = False
    matched: _Matches | None = None
    #: A knowledge survey's form (``vastbus survey make``): the survey's id. It quotes misconceptions
    #: on purpose, so its stamp, like a pack's, says which edition it was made from.
    survey: str | None = None

    @property
    def changed_at(self) -> list[str]:
        """The changed blocks' locations, then the removed ones."""
        return [*self.changed, *(f"{location} (removed)" for location in self.removed)]


def _read(path: Path, kind: str, rules: Rules) -> _Reading:
    """Open the file safely, read its stamp and match what needs matching."""
    with _open_regular(path) as stream:
        head = stream.read(8)
        if head == _OLE:
            raise UnreadableDocument(
                _("encrypted (password-protected) or an old binary Office file, not Office Open XML")
            )
        if not head.startswith(b"PK"):
            raise UnreadableDocument(
                _("not an Office file: a {kind} file is a zip archive, this is not").format(kind=kind)
            )
        refuse_huge_directory(stream)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            guard(archive)
            parts = Parts(archive)
            properties = custom_properties(parts)
            stamped = properties.get("vastbus.edition")
            record, damaged = _record(parts) if stamped else (None, False)
            survey = properties.get("vastbus.survey") if stamped else None
            if record is not None:
                reading = _read_blocks(parts, kind, rules, stamped, record)
                reading.survey = survey
                return reading
            reading = _Reading(stamped, survey=survey)
            if stamped:
                # The whole text, streamed and never kept: the hash needs all of it.
                actual = content_sha256(_text(parts, kind))
                recorded = properties.get("vastbus.content_sha256")
                reading.modified = bool(recorded) and recorded != actual
                reading.damaged_record = damaged and reading.modified
            reading.matched = _match(_text(parts, kind), rules) if not stamped or reading.modified else None
            return reading


def _record(parts: Parts) -> tuple[list[BuiltBlock] | None, bool]:
    """The build's record of the blocks, and whether there was one that cannot be used."""
    try:
        blocks = recorded_blocks(parts)
    except DamagedRecord:
        return None, True
    if blocks is None:
        return None, False
    record = record_of(blocks)
    return record, record is None


def _read_blocks(parts: Parts, kind: str, rules: Rules, stamped: str | None, record: list[BuiltBlock]) -> _Reading:
    """Built by vastbus with a record of its blocks: judge only what the edit added or changed."""
    reading = _Reading(stamped, by_block=True)
    comparison = compare(record, _bounded(_text(parts, kind)))
    reading.changed = comparison.changed
    reading.removed = comparison.removed
    reading.unchanged = comparison.unchanged
    reading.lines = comparison.lines
    reading.modified = bool(comparison.changed or comparison.removed)
    reading.matched = _match(iter(comparison.judged), rules) if comparison.judged else None
    return reading


def _stamp_evidence(reading: _Reading) -> list[Evidence]:
    """What the stamp says: the edition, and whether (and where) the text changed since the build."""
    if not reading.stamped:
        return []
    evidence = [Evidence("stamp/edition", "custom properties", f"vastbus.edition = {reading.stamped}")]
    if reading.survey:
        evidence.append(Evidence("stamp/survey", "custom properties", f"vastbus.survey = {reading.survey}"))
    if reading.modified:
        evidence.append(
            Evidence("stamp/modified", "custom properties", _("the text was changed after vastbus built the file"))
        )
        if reading.by_block:
            where = ", ".join(reading.changed_at)
            evidence.append(
                Evidence(
                    "stamp/changed",
                    where,
                    _("changed since the build; {unchanged}; {judged}").format(
                        unchanged=ngettext(
                            "{n} block unchanged and not judged",
                            "{n} blocks unchanged and not judged",
                            reading.unchanged,
                        ).format(n=reading.unchanged),
                        judged=ngettext(
                            "{n} line added or changed, judged", "{n} lines added or changed, judged", reading.lines
                        ).format(n=reading.lines),
                    ),
                )
            )
    return evidence


def _match_notes(matched: _Matches, rules: Rules) -> list[str]:
    """What the matching left out: text beyond the limit, matches beyond the list, patterns out of time."""
    notes = []
    if matched.truncated:
        notes.append(_("read only the first {n} characters of text").format(n=MAX_TEXT_CHARS))
    if matched.omitted:
        notes.append(
            ngettext(
                "{n} more match not listed (at most {limit} per rule)",
                "{n} more matches not listed (at most {limit} per rule)",
                matched.omitted,
            ).format(n=matched.omitted, limit=MAX_EVIDENCE_PER_RULE)
        )
    # A pattern that ran out of its time budget (here or on an earlier file in this
    # process) is never matched again: say so rather than let the file look clean of it.
    stopped = sorted({rule_id for _, rule_id in (*rules.markers.too_slow, *rules.rules.too_slow)})
    if stopped:
        notes.append(_("not matched, their patterns ran out of time: {rules}").format(rules=", ".join(stopped)))
    return notes


def _status(
    rules: Rules, reading: _Reading, verdicts: set[tuple[str, str | None]], notes: list[str]
) -> tuple[str, str | None]:
    """The file's status and the edition it teaches: the stamp first, else the verdicts of its text."""
    if reading.stamped:
        return _stamp_status(rules, reading.stamped, reading.modified, verdicts), reading.stamped
    if any(v == "outdated" for v, _ in verdicts):
        return "outdated", _latest(rules, [e for v, e in verdicts if v == "outdated" and e])
    if verdicts:
        return "current", _latest(rules, [e for _, e in verdicts if e])
    notes.insert(0, _("no marker of any edition found"))
    return "unknown", None


def _latest(rules: Rules, editions: list[str]) -> str | None:
    """The newest of the editions (by their order in editions.yaml), None if there are none."""
    return max(editions, key=lambda e: (rules.rank.get(e, -1), e)) if editions else None


def _reason(notes: list[str]) -> str | None:
    return "; ".join(notes) or None


def _text(parts: Parts, kind: str) -> Generator[TextPiece, None, None]:
    return pptx_text(parts) if kind == "pptx" else docx_text(parts)


class _Matches:
    """Evidence and verdicts from matching a file's text a batch at a time, within the bounds."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.verdicts: set[tuple[str, str | None]] = set()
        self.truncated = False
        self.omitted = 0
        self.counts: dict[str, int] = {}
        self._kept: dict[tuple[int, int], list[tuple[int, int, Evidence]]] = {}
        self._batches = 0

    def feed(self, batch: list[TextPiece]) -> None:
        """Match one batch; keep the first evidence of each rule and count the rest."""
        if not batch:
            return
        texts = [item.text for item in batch]
        for group, ruleset in enumerate((self.rules.markers, self.rules.rules)):
            position = {id(rule): index for index, rule in enumerate(ruleset.rules)}
            already = _already_said(batch, ruleset)
            for sequence, (index, match) in enumerate(ruleset.matches_many(texts)):
                rule = match.rule
                piece = batch[index]
                if group == 1 and isinstance(piece, Judged) and rule.id in piece.quoted:
                    continue  # quoted on purpose where it was built
                said = (index, rule.edition, rule.id)
                if already.get(said):
                    already[said] -= 1  # the built text this replaced said it already
                    continue
                if group == 0:
                    self.verdicts.add((self_status(self.rules, rule.edition), rule.edition))
                    name = "marker/edition"
                else:
                    self.verdicts.add(("outdated", self.rules.supersedes.get(rule.edition)))
                    name = f"term/{rule.id}" if rule.rule == "term/outdated" else rule.rule
                label = f"claim/{rule.id}" if name == "claim/misconception" else name
                self.counts[label] = self.counts.get(label, 0) + 1
                kept = self._kept.setdefault((group, position[id(rule)]), [])
                text = " ".join(match.text.split())
                if match.words:
                    # Which claim, and the words that made the match, so a reader sees why.
                    text = f"{rule.id}: {text} (words: {', '.join(match.words)})"
                elif name == "claim/misconception":
                    text = f"{rule.id}: {text}"
                correct = self.rules.corrections.get((rule.edition, rule.rule, rule.id)) if group == 1 else None
                if len(kept) < MAX_EVIDENCE_PER_RULE:
                    kept.append((self._batches, sequence, Evidence(name, batch[index].location, text, correct)))
                else:
                    self.omitted += 1
        self._batches += 1

    def evidence(self) -> list[Evidence]:
        """The kept evidence sorted by place in the file (slide 2 before slide 10), then by rule."""
        kept = [item for key in sorted(self._kept) for item in sorted(self._kept[key])]
        return [
            evidence for _, _, evidence in sorted(kept, key=lambda item: (location_key(item[2].location), item[:2]))
        ]


def _already_said(batch: list[TextPiece], ruleset: RuleSet) -> dict[tuple[int, str, str], int]:
    """(piece, edition, rule id) -> how often the built text an edited piece replaced matched the rule.

    A piece of an edited built file (:class:`~vastbus_cli.builtrecord.Judged`) carries the
    built lines it replaced; that many of its own matches of a rule are not evidence.
    """
    baselines = [
        (index, item.baseline) for index, item in enumerate(batch) if isinstance(item, Judged) and item.baseline
    ]
    counts: dict[tuple[int, str, str], int] = {}
    if baselines:
        for at, match in ruleset.matches_many([text for _, text in baselines]):
            key = (baselines[at][0], match.rule.edition, match.rule.id)
            counts[key] = counts.get(key, 0) + 1
    return counts


def location_key(location: str) -> tuple[int, int, str]:
    """Sort key for a location: its number, a slide before its notes, then the text."""
    numbers = [int(n) for n in re.findall(r"\d+", location)]
    return (numbers[0] if numbers else 0, 1 if location.startswith("notes") else 0, location)


def _bounded(pieces: Generator[TextPiece, None, None]) -> Iterator[TextPiece]:
    """The pieces, stopping after ``MAX_TEXT_CHARS`` characters of text."""
    left = MAX_TEXT_CHARS
    try:
        for piece in pieces:
            if len(piece.text) > left:
                return
            left -= len(piece.text)
            yield piece
    finally:
        pieces.close()


def _match(pieces: Iterator[TextPiece], rules: Rules) -> _Matches:
    """Match the rules against at most ``MAX_TEXT_CHARS`` of the text, a batch at a time."""
    matches = _Matches(rules)
    left = MAX_TEXT_CHARS
    batch: list[TextPiece] = []
    size = 0
    try:
        for piece in pieces:
            if len(piece.text) > left:
                matches.truncated = True
                piece = dataclasses.replace(piece, text=piece.text[:left])
            left -= len(piece.text)
            batch.append(piece)
            size += len(piece.text)
            if size >= BATCH_CHARS:
                matches.feed(batch)
                batch, size = [], 0
            if matches.truncated:
                break
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()  # stops reading the part at once
    matches.feed(batch)
    return matches


def _stamp_status(rules: Rules, stamped: str, modified: bool, verdicts: Iterable[tuple[str, str | None]]) -> str:
    if modified and any(verdict == "outdated" for verdict, _ in verdicts):
        return "outdated"
    if stamped == rules.current:
        return "current"
    if stamped in rules.rank and rules.rank[stamped] < rules.rank[rules.current]:
        return "outdated"
    return "unknown"


def self_status(rules: Rules, edition: str) -> str:
    """What naming an edition says: a replaced kind of document is outdated."""
    if edition == rules.current:
        return "current"
    older = rules.rank.get(edition, 0) < rules.rank.get(rules.current, 0)
    return "outdated" if older and rules.kinds.get(edition) != rules.current_kind else "current"


def _scan_many(batch: list[tuple[str, str]], rules: Rules) -> list[FileResult]:
    return [scan_file(Path(path), rules, shown) for path, shown in batch]


def scan(
    paths: list[Path],
    rules: Rules,
    *,
    jobs: int | None = None,
    base: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Scan files and folders; results in path order.

    ``jobs`` is capped at the processors and the files: more workers than either only
    cost the time to start them.
    """
    files = list(office_files(paths))
    shown = [display_name(path, base) for path in files]
    workers = max(1, min(jobs or 1, len(files), usable_cpus()))
    if workers == 1 or len(files) < 8:
        results: list[FileResult] = []
        for done, (path, name) in enumerate(zip(files, shown, strict=True), start=1):
            results.append(scan_file(path, rules, name))
            if progress:
                progress(done, len(files))
        return results
    stride = workers * 4
    groups = [range(start, len(files), stride) for start in range(min(stride, len(files)))]
    batches = [[(os.fspath(files[i]), shown[i]) for i in group] for group in groups]
    placed: list[FileResult | None] = [None] * len(files)
    try:
        # Workers speak the run's language, however they are started (forked or spawned).
        with ProcessPoolExecutor(max_workers=workers, initializer=set_language, initargs=(language(),)) as pool:
            done = 0
            results_by_batch = pool.map(_scan_many, batches, [rules] * len(batches))
            for group, batch_results in zip(groups, results_by_batch, strict=True):
                for index, result in zip(group, batch_results, strict=True):
                    placed[index] = result
                done += len(batch_results)
                if progress:
                    progress(done, len(files))
    except BrokenProcessPool:
        # A worker was killed (out of memory, or by someone): which file did it is unknown here.
        raise InputOutputError(
            _("a scan worker stopped unexpectedly (out of memory?); run again with --jobs 1 to see which file")
        ) from None
    return [result for result in placed if result is not None]
