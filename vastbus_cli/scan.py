"""Scanning anyone's .pptx and .docx files for the guideline edition they teach.

A vastbus stamp is trusted first (and the content hash says whether the file was
edited after it was built). Otherwise the text is matched against every edition's
markers, the outdated terms and the misconception claims. A file with no evidence
either way is ``unknown``; a file that cannot be read safely is ``unreadable``.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli.editions import Editions
from vastbus_cli.findings import Severity
from vastbus_cli.models import Edition
from vastbus_cli.officetext import Parts, UnreadableDocument, content_sha256, custom_properties, document_text
from vastbus_cli.textrules import RuleSet, TextRule, active_rules

SUFFIXES = {".pptx": "pptx", ".docx": "docx"}
MAX_FILE_BYTES = 200_000_000
MAX_TOTAL_UNPACKED = 500_000_000
MAX_RATIO = 200
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Evidence:
    """Why a file got its status: the rule, where in the file, and the text."""

    rule: str
    location: str
    text: str


@dataclass
class FileResult:
    """The verdict on one file (the scan JSON contract)."""

    path: str
    status: str
    edition: str | None
    evidence: list[Evidence] = field(default_factory=list)
    reason: str | None = None
    modified: bool = False


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
        rules=RuleSet(active_rules(editions, current, as_of)),
    )


def office_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every .pptx and .docx under the given files and folders, sorted, without following links out."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if Path(name).suffix.lower() in SUFFIXES and not name.startswith("~$"):
                        yield Path(root) / name
        else:
            yield path


def scan_file(path: Path, rules: Rules, shown: str | None = None) -> FileResult:
    """Decide one file's status; never raises for a bad file."""
    name = shown or path.as_posix()
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return FileResult(name, "unreadable", None, reason="not a .pptx or .docx file")
    try:
        return _scan(path, kind, rules, name)
    except UnreadableDocument as error:
        return FileResult(name, "unreadable", None, reason=str(error))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        return FileResult(name, "unreadable", None, reason=f"broken or truncated zip ({error})")
    except (OSError, ValueError, NotImplementedError, RuntimeError) as error:
        return FileResult(name, "unreadable", None, reason=f"cannot be read ({error})")


def _scan(path: Path, kind: str, rules: Rules, name: str) -> FileResult:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"file is {size} bytes (limit {MAX_FILE_BYTES})")
    with path.open("rb") as stream:
        head = stream.read(8)
    if head == _OLE:
        raise UnreadableDocument("encrypted (password-protected) or an old binary Office file, not Office Open XML")
    if not head.startswith(b"PK"):
        raise UnreadableDocument(f"not an Office file: a {kind} file is a zip archive, this is not")
    with zipfile.ZipFile(path) as archive:
        _guard(archive)
        parts = Parts(archive)
        pieces = document_text(parts, kind)
        properties = custom_properties(parts)
    evidence: list[Evidence] = []
    stamped = properties.get("vastbus.edition")
    modified = False
    if stamped:
        recorded = properties.get("vastbus.content_sha256")
        modified = bool(recorded) and recorded != content_sha256(pieces)
        evidence.append(Evidence("stamp/edition", "custom properties", f"vastbus.edition = {stamped}"))
        if modified:
            evidence.append(
                Evidence("stamp/modified", "custom properties", "the text was changed after vastbus built the file")
            )
    verdicts: list[tuple[str, str | None]] = []
    if not stamped or modified:
        texts = [p.text for p in pieces]
        for index, match in rules.markers.matches_many(texts):
            evidence.append(Evidence("marker/edition", pieces[index].location, match.text))
            verdicts.append((self_status(rules, match.rule.edition), match.rule.edition))
        for index, match in rules.rules.matches_many(texts):
            rule = f"term/{match.rule.id}" if match.rule.rule == "term/outdated" else match.rule.rule
            evidence.append(Evidence(rule, pieces[index].location, match.text))
            verdicts.append(("outdated", rules.supersedes.get(match.rule.edition)))
    if stamped:
        return FileResult(name, _stamp_status(rules, stamped, modified, verdicts), stamped, evidence, modified=modified)
    if any(v == "outdated" for v, _ in verdicts):
        named = [e for v, e in verdicts if v == "outdated" and e]
        edition = max(named, key=lambda e: rules.rank.get(e, -1)) if named else None
        return FileResult(name, "outdated", edition, evidence)
    if verdicts:
        known = [e for _, e in verdicts if e]
        newest = max(known, key=lambda e: rules.rank.get(e, -1)) if known else None
        return FileResult(name, "current", newest, evidence)
    return FileResult(name, "unknown", None, evidence, reason="no marker of any edition found")


def _stamp_status(rules: Rules, stamped: str, modified: bool, verdicts: list[tuple[str, str | None]]) -> str:
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
    if len(infos) > 10_000:
        raise UnreadableDocument(f"the archive has {len(infos)} entries (limit 10000)")
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
    """Scan files and folders; results in path order."""
    files = list(office_files(paths))
    shown = [_display(path, base) for path in files]
    workers = max(1, min(jobs or 1, len(files)))
    results: list[FileResult] = []
    if workers == 1 or len(files) < 8:
        for done, (path, name) in enumerate(zip(files, shown, strict=True), start=1):
            results.append(scan_file(path, rules, name))
            if progress:
                progress(done, len(files))
        return results
    batches = [
        [(str(f), n) for f, n in zip(files[i :: workers * 4], shown[i :: workers * 4], strict=True)]
        for i in range(workers * 4)
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        done = 0
        for batch_results in pool.map(_scan_many, batches, [rules] * len(batches)):
            results.extend(batch_results)
            done += len(batch_results)
            if progress:
                progress(done, len(files))
    order = {name: index for index, name in enumerate(shown)}
    return sorted(results, key=lambda r: order.get(r.path, 0))


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
