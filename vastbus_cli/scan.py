"""Scanning anyone's .pptx and .docx files for the guideline edition they teach.

A vastbus stamp is trusted first (and the content hash says whether the file was
edited after it was built). Otherwise the text is matched against every edition's
markers, the outdated terms and the misconception claims. A file with no evidence
either way is ``unknown``; a file that cannot be read safely is ``unreadable``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import struct
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vastbus_cli import saferead
from vastbus_cli.editions import Editions
from vastbus_cli.errors import InputOutputError
from vastbus_cli.findings import Severity
from vastbus_cli.models import Edition
from vastbus_cli.officetext import (
    Parts,
    TextPiece,
    UnreadableDocument,
    content_sha256,
    custom_properties,
    docx_text,
    pptx_text,
    stamped_blocks,
)
from vastbus_cli.safetext import printable
from vastbus_cli.texthash import block_sha
from vastbus_cli.textrules import RuleSet, TextRule, active_rules
from vastbus_cli.workers import usable_cpus

SUFFIXES = {".pptx": "pptx", ".docx": "docx"}
MAX_FILE_BYTES = saferead.LIMITS["office"]
MAX_TOTAL_UNPACKED = 500_000_000
MAX_RATIO = 200
#: Text matched per file: a long book is about a million characters. Beyond this a file
#: is read only in part (and says so), which keeps time and memory per file bounded.
MAX_TEXT_CHARS = 2_000_000
#: Evidence listed per rule and file; further matches are only counted.
MAX_EVIDENCE_PER_RULE = 20
#: Text matched at a time: the rules run over batches so that a file's text is never held whole.
BATCH_CHARS = 200_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_ENTRIES = 10_000
#: Central directory bytes for MAX_ENTRIES entries with long names and extra fields.
MAX_CENTRAL_DIRECTORY = MAX_ENTRIES * 600
#: The zip end records (APPNOTE 4.3.16, 4.3.15, 4.3.14).
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")


@dataclass(frozen=True)
class Evidence:
    """Why a file got its status: the rule, where in the file, and the text."""

    rule: str
    location: str
    text: str


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
    )


def office_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .pptx and .docx under the given files and folders, sorted, without following links to folders.

    A folder named on the command line is walked even when it is a link; inside it, links to
    folders are not followed, so a link loop cannot make the walk endless.
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(top: Path) -> Iterator[Path]:
    """Depth first, sorted, as ``os.walk`` would, but with a stack: os.walk recurses and fails on deep trees."""
    stack = [top]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # gone or not readable: os.walk skipped these too
        # A bind mount can bring a folder back inside itself; links are not followed anyway.
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        files, folders = [], []
        for entry in entries:
            if _is_real_folder(entry):
                if not entry.name.startswith("."):
                    folders.append(entry.name)
            elif not _is_link_to_folder(entry):
                name = entry.name
                if Path(name).suffix.lower() in SUFFIXES and not name.startswith("~$"):
                    files.append(name)
        yield from (folder / name for name in sorted(files))
        stack.extend(folder / name for name in sorted(folders, reverse=True))


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_link_to_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def scan_file(path: Path, rules: Rules, shown: str | None = None) -> FileResult:
    """Decide one file's status; never raises for a bad file."""
    name = shown or _display(path, None)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return FileResult(name, "unreadable", None, reason="not a .pptx or .docx file")
    try:
        return _scan(path, kind, rules, name)
    except UnreadableDocument as error:
        return _unreadable(name, str(error))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        return _unreadable(name, f"broken or truncated zip ({error})")
    except (OSError, ValueError, NotImplementedError, RuntimeError) as error:
        return _unreadable(name, f"cannot be read ({error})")
    except Exception as error:  # the scan goes on whatever one file does (the property tests look for these)
        return _unreadable(name, f"cannot be read (unexpected {type(error).__name__}: {error})")


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
    with _open_regular(path) as stream:
        head = stream.read(8)
        if head == _OLE:
            raise UnreadableDocument("encrypted (password-protected) or an old binary Office file, not Office Open XML")
        if not head.startswith(b"PK"):
            raise UnreadableDocument(f"not an Office file: a {kind} file is a zip archive, this is not")
        _refuse_huge_directory(stream)
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            _guard(archive)
            parts = Parts(archive)
            properties = custom_properties(parts)
            stamped = properties.get("vastbus.edition")
            modified = False
            blocks = stamped_blocks(parts) if stamped else None
            changed: list[TextPiece] = []
            removed: list[str] = []
            unchanged = 0
            if blocks is not None:
                # Built by vastbus with a fingerprint per block: judge only what changed since.
                seen: set[str] = set()
                for piece in _bounded(_text(parts, kind)):
                    seen.add(piece.location)
                    if blocks.get(piece.location, ("",))[0] == block_sha(piece.text):
                        unchanged += 1
                    else:
                        changed.append(piece)
                removed = [location for location in blocks if location not in seen]
                modified = bool(changed or removed)
                discounted = {location: set(blocks[location][1]) for location in blocks if blocks[location][1]}
                matched = _match(iter(changed), rules, discounted) if changed else None
            else:
                if stamped:
                    # The whole text, streamed and never kept: the hash needs all of it.
                    actual = content_sha256(_text(parts, kind))
                    recorded = properties.get("vastbus.content_sha256")
                    modified = bool(recorded) and recorded != actual
                matched = _match(_text(parts, kind), rules) if not stamped or modified else None
    evidence: list[Evidence] = []
    if stamped:
        evidence.append(Evidence("stamp/edition", "custom properties", f"vastbus.edition = {stamped}"))
        if modified:
            evidence.append(
                Evidence("stamp/modified", "custom properties", "the text was changed after vastbus built the file")
            )
        if blocks is not None and modified:
            where = ", ".join([p.location for p in changed] + [f"{location} (removed)" for location in removed])
            evidence.append(
                Evidence("stamp/changed", where, f"changed since the build; {unchanged} block(s) unchanged")
            )
    verdicts: set[tuple[str, str | None]] = set()
    truncated, omitted, notes = False, 0, []
    counts: dict[str, int] = {}
    if matched is not None:
        evidence.extend(matched.evidence())
        counts = dict(sorted(matched.counts.items()))
        verdicts = matched.verdicts
        truncated, omitted = matched.truncated, matched.omitted
        if truncated:
            notes.append(f"read only the first {MAX_TEXT_CHARS} characters of text")
        if omitted:
            notes.append(f"{omitted} more matches not listed (at most {MAX_EVIDENCE_PER_RULE} per rule)")
        # A pattern that ran out of its time budget (here or on an earlier file in this
        # process) is never matched again: say so rather than let the file look clean of it.
        stopped = sorted({rule_id for _, rule_id in (*rules.markers.too_slow, *rules.rules.too_slow)})
        if stopped:
            notes.append(f"not matched, their patterns ran out of time: {', '.join(stopped)}")
    edition: str | None
    if stamped:
        status, edition = _stamp_status(rules, stamped, modified, verdicts), stamped
    elif any(v == "outdated" for v, _ in verdicts):
        named = [e for v, e in verdicts if v == "outdated" and e]
        status, edition = "outdated", max(named, key=lambda e: (rules.rank.get(e, -1), e)) if named else None
    elif verdicts:
        known = [e for _, e in verdicts if e]
        status, edition = "current", max(known, key=lambda e: (rules.rank.get(e, -1), e)) if known else None
    else:
        status, edition = "unknown", None
        notes.insert(0, "no marker of any edition found")
    changed_at = [p.location for p in changed] + [f"{location} (removed)" for location in removed]
    return FileResult(
        name, status, edition, evidence, _reason(notes), modified, truncated, omitted, changed_at, unchanged, counts
    )


def _refuse_huge_directory(stream: BinaryIO) -> None:
    """Refuse a central directory too large for ``MAX_ENTRIES`` entries, before zipfile parses all of it.

    ``zipfile.ZipFile`` makes an object for every entry as it opens the archive, so
    millions of tiny entries would cost a minute and gigabytes before :func:`_guard` ran.
    Only the end records are read here; anything odd about them is left to zipfile.
    """
    end = stream.seek(0, os.SEEK_END)
    tail_start = max(0, end - _EOCD.size - 0xFFFF)
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return
    *_, entries, size, _offset, _comment = _EOCD.unpack_from(tail, at)
    locator = at - _ZIP64_LOCATOR.size
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        record = _ZIP64_LOCATOR.unpack_from(tail, locator)[2]
        if 0 <= record <= end - _ZIP64_END.size:
            stream.seek(record)
            data = stream.read(_ZIP64_END.size)
            if data[:4] == b"PK\x06\x06":
                fields = _ZIP64_END.unpack(data)
                entries, size = max(entries, fields[7]), max(size, fields[8])
    if entries != 0xFFFF and entries > MAX_ENTRIES:
        raise UnreadableDocument(f"the archive has {entries} entries (limit {MAX_ENTRIES})")
    if size > MAX_CENTRAL_DIRECTORY:
        raise UnreadableDocument(
            f"the archive's central directory is {size} bytes (limit {MAX_CENTRAL_DIRECTORY}, "
            f"enough for {MAX_ENTRIES} entries)"
        )


def _reason(notes: list[str]) -> str | None:
    return "; ".join(notes) or None


def _text(parts: Parts, kind: str) -> Generator[TextPiece, None, None]:
    return pptx_text(parts) if kind == "pptx" else docx_text(parts)


class _Matches:
    """Evidence and verdicts from matching a file's text a batch at a time, within the bounds."""

    def __init__(self, rules: Rules, discounted: dict[str, set[str]] | None = None) -> None:
        self.rules = rules
        #: location -> rule ids the course quotes there on purpose (``discusses``): not evidence.
        self.discounted = discounted or {}
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
            for sequence, (index, match) in enumerate(ruleset.matches_many(texts)):
                rule = match.rule
                if group == 1 and rule.id in self.discounted.get(batch[index].location, ()):
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
                if len(kept) < MAX_EVIDENCE_PER_RULE:
                    kept.append((self._batches, sequence, Evidence(name, batch[index].location, text)))
                else:
                    self.omitted += 1
        self._batches += 1

    def evidence(self) -> list[Evidence]:
        """The kept evidence sorted by place in the file (slide 2 before slide 10), then by rule."""
        kept = [item for key in sorted(self._kept) for item in sorted(self._kept[key])]
        return [
            evidence for _, _, evidence in sorted(kept, key=lambda item: (location_key(item[2].location), item[:2]))
        ]


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


def _match(pieces: Iterator[TextPiece], rules: Rules, discounted: dict[str, set[str]] | None = None) -> _Matches:
    """Match the rules against at most ``MAX_TEXT_CHARS`` of the text, a batch at a time."""
    matches = _Matches(rules, discounted)
    left = MAX_TEXT_CHARS
    batch: list[TextPiece] = []
    size = 0
    try:
        for piece in pieces:
            if len(piece.text) > left:
                matches.truncated = True
                piece = TextPiece(piece.location, piece.text[:left])
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


def _guard(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs before anything is decompressed."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnreadableDocument(f"the archive has {len(infos)} entries (limit {MAX_ENTRIES})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000:
            raise UnreadableDocument(
                f"{info.filename} expands {info.file_size // max(info.compress_size, 1)}-fold (a zip bomb?)"
            )
        if info.flag_bits & 0x1:
            raise UnreadableDocument("the archive is encrypted")
    if total > MAX_TOTAL_UNPACKED:
        raise UnreadableDocument(f"the archive unpacks to {total} bytes (limit {MAX_TOTAL_UNPACKED})")


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
    shown = [_display(path, base) for path in files]
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
        with ProcessPoolExecutor(max_workers=workers) as pool:
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
            "a scan worker stopped unexpectedly (out of memory?); run again with --jobs 1 to see which file"
        ) from None
    return [result for result in placed if result is not None]


def _display(path: Path, base: Path | None) -> str:
    """The name a file is listed under: relative to ``base`` where it lies inside, always valid UTF-8.

    The folders are resolved but not the name itself, so a link is listed under its own
    name, and a link loop or a broken link cannot stop the listing.
    """
    shown = path
    if base is not None:
        with contextlib.suppress(ValueError):
            shown = _absolute(path).relative_to(_absolute(base))
    return printable(shown.as_posix())


def _absolute(path: Path) -> Path:
    absolute = path.absolute()
    try:
        return absolute.parent.resolve() / absolute.name
    except (OSError, RuntimeError):  # a loop among the folders: keep the path as given
        return absolute
