"""Building packs: plan every district and audience, render what changed, write a manifest."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vastbus_cli import __version__, api
from vastbus_cli.errors import UsageError, VastbusError
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.fsio import atomic_write_bytes, atomic_write_text, folder_lock
from vastbus_cli.models import Audience, District
from vastbus_cli.render.contract import GUIDE_TEMPLATE, HANDOUT_TEMPLATE, SLIDES_TEMPLATE
from vastbus_cli.render.packplan import CENTRAL, PackPlan
from vastbus_cli.render.plan import Sources, plan_pack
from vastbus_cli.workspace import Workspace

Part = Literal["slides", "handout", "guide"]
PARTS: dict[Part, tuple[str, str, str]] = {
    "slides": ("slides.pptx", SLIDES_TEMPLATE, "pptx"),
    "handout": ("handout.docx", HANDOUT_TEMPLATE, "docx"),
    "guide": ("trainer-guide.docx", GUIDE_TEMPLATE, "docx"),
}
MANIFEST = "manifest.json"
#: Sizes and modification times of the built files, so an unchanged build needs no hashing;
#: kept out of the manifest so that the manifest is reproducible.
STATE = ".vastbus-build-state.json"
#: Held while the manifest and the state cache are merged, so concurrent builds into one folder add up.
LOCK = ".vastbus-build.lock"


class BuildRefused(VastbusError):
    """``check`` found errors; nothing is built until they are fixed."""

    exit_code = 1

    def __init__(self, findings: list[Finding], edition: str = "") -> None:
        """Keep the findings, and the edition they were checked against, for the CLI to print."""
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        super().__init__(f"build refused: check found {errors} error(s); fix them and build again")
        self.findings = findings
        self.edition = edition


@dataclass(frozen=True)
class Job:
    """One file to render."""

    rel: str
    part: Part
    plan: PackPlan
    template: str
    key: str
    out: str


@dataclass
class BuildResult:
    """What a build wrote and what it left alone because nothing changed."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    manifest: Path | None = None
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _select(kind: str, wanted: list[str] | None, known: dict[str, Any]) -> list[str]:
    if not wanted:
        return list(known)
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(f"unknown {kind} '{unknown[0]}' (known: {', '.join(known)})")
    return list(dict.fromkeys(wanted))


def plan_all(
    workspace: Workspace,
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    districts: list[str] | None = None,
    audiences: list[str] | None = None,
) -> list[PackPlan]:
    """Plans for the selected districts (``central`` is the pack without a district) and audiences."""
    course = workspace.course.model if workspace.course else None
    districts_file = workspace.districts.model if workspace.districts else None
    if course is None or districts_file is None:
        raise UsageError("the course or districts file did not load; run 'vastbus check'")
    editions = api.editions_of(workspace)
    selected = api.select_edition(editions, edition, as_of or dt.date.today())
    lineage = editions.lineage(selected.id)
    sources = Sources(
        course=course,
        modules={doc.model.id: doc.model for doc in workspace.modules if doc.model is not None},
        edition=selected,
        editions=editions,
        claims={claim.id: claim for e in lineage for claim in e.claims},
        local=tuple((doc.folder_district, doc.model) for doc in workspace.local if doc.model is not None),
        districts=tuple(districts_file.districts),
        areas=tuple(districts_file.areas),
    )
    by_district: dict[str, District | None] = {CENTRAL: None, **{d.id: d for d in districts_file.districts}}
    by_audience: dict[str, Audience] = {a.id: a for a in course.audiences}
    plans = []
    root = workspace.root.as_posix()
    for district_id in _select("district", districts, by_district):
        for audience_id in _select("audience", audiences, by_audience):
            plans.append(plan_pack(sources, by_audience[audience_id], by_district[district_id], root))
    return plans


def build(
    root: Path,
    out: Path,
    *,
    districts: list[str] | None = None,
    audiences: list[str] | None = None,
    formats: Iterable[str] = ("pptx", "docx"),
    jobs: int | None = None,
    force: bool = False,
    edition: str | None = None,
    as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Check, then render every selected pack whose inputs changed.

    Raises:
        BuildRefused: check found errors.
        UsageError: an unknown district, audience or edition.
        InputOutputError: the output folder cannot be written.
    """
    out = out.resolve()
    manifest_path = out / MANIFEST
    notices: list[str] = []
    previous = _read_manifest(manifest_path, notices)
    state_path = out / STATE
    state = _read_state(state_path, notices)
    options = (
        sorted(districts or []),
        sorted(audiences or []),
        sorted(formats),
        edition,
        str(as_of or dt.date.today()),
    )
    inputs = _workspace_key(root, repr(options))
    if not force and inputs == state.get("inputs") and _outputs_untouched(out, previous, state):
        return BuildResult(skipped=sorted(previous), manifest=manifest_path, notices=notices)
    workspace = api.open_workspace(root)
    checked = api.check(workspace, edition=edition, as_of=as_of)
    errors = [f for f in checked.findings if f.severity is Severity.ERROR]
    if errors:
        raise BuildRefused(checked.findings, checked.edition)
    plans = plan_all(workspace, edition=edition, as_of=as_of, districts=districts, audiences=audiences)
    templates = workspace.root / "templates"
    template_hashes = {name: _sha256_file(templates / name) for _, name, _ in PARTS.values()}
    wanted = set(formats)
    result = BuildResult(warnings=[f for f in checked.findings if f.severity is Severity.WARNING], notices=notices)
    written: dict[str, dict[str, Any]] = {}
    todo: list[Job] = []
    for plan in plans:
        for part, (file_name, template, kind) in PARTS.items():
            if kind not in wanted:
                continue
            rel = f"{plan.stamp.district}/{plan.stamp.audience}/{file_name}"
            key = _input_key(plan, part, template_hashes[template])
            old = previous.get(rel)
            if not force and old and old.get("input") == key and _untouched(out / rel, old, state):
                result.skipped.append(rel)
                continue
            todo.append(Job(rel, part, plan, str(templates / template), key, str(out / rel)))

    def record(job: Job, sha256: str, content: str) -> None:
        written[job.rel] = {
            "path": job.rel,
            "sha256": sha256,
            "input": job.key,
            "content_sha256": content,
            "stamp": _stamp_properties(job.plan, content),
        }
        result.written.append(job.rel)
        if progress:
            progress(len(result.written), len(todo))

    try:
        _render_all(todo, jobs, record)
    except BaseException:
        # Interrupted or failed: every file on disk is whole (atomic writes); list those written.
        with contextlib.suppress(VastbusError):
            _merge_manifest(out, written, plans, None)
        raise
    _merge_manifest(out, written, plans, inputs)
    result.manifest = manifest_path
    return result


def _merge_manifest(out: Path, written: dict[str, dict[str, Any]], plans: list[PackPlan], inputs: str | None) -> None:
    """Add this build's files to the manifest and the state cache, under a lock.

    Another build into the same folder may have finished meanwhile, so both files are
    read again under the lock and merged; entries whose file is gone are dropped.
    """
    with folder_lock(out, LOCK):
        manifest_path = out / MANIFEST
        damage: list[str] = []
        on_disk = _read_manifest(manifest_path, damage)
        entries = {rel: entry for rel, entry in {**on_disk, **written}.items() if (out / rel).is_file()}
        if entries != on_disk or damage or not manifest_path.is_file():
            _write_manifest(manifest_path, entries, plans)
        _write_state(out / STATE, out, entries, inputs, _read_state(out / STATE, []))


def pack_status(
    workspace: Workspace, out: Path, *, edition: str | None = None, as_of: dt.date | None = None
) -> dict[str, str]:
    """For every file a build would write: 'current', 'stale' (inputs changed) or 'missing'."""
    plans = plan_all(workspace, edition=edition, as_of=as_of)
    templates = workspace.root / "templates"
    template_hashes = {name: _sha256_file(templates / name) for _, name, _ in PARTS.values()}
    out = out.resolve()
    previous = _read_manifest(out / MANIFEST, [])
    state = _read_state(out / STATE, [])
    found = {}
    for plan in plans:
        for part, (file_name, template, _) in PARTS.items():
            rel = f"{plan.stamp.district}/{plan.stamp.audience}/{file_name}"
            entry = previous.get(rel)
            if not (out / rel).is_file():
                found[rel] = "missing"
            elif (
                entry
                and entry.get("input") == _input_key(plan, part, template_hashes[template])
                and _untouched(out / rel, entry, state)
            ):
                found[rel] = "current"
            else:
                found[rel] = "stale"
    return found


def _workspace_key(root: Path, options: str) -> str:
    """Hash of every input file and the build options: equal means nothing can have changed."""
    digest = hashlib.sha256(f"{__version__}\x00{options}".encode())
    for folder in ("guidelines", "curriculum", "templates"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _untouched(path: Path, entry: dict[str, Any], state: dict[str, Any]) -> bool:
    """Whether a built file is still the one the manifest describes (stat first, hash if needed)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    if state.get("files", {}).get(entry["path"]) == [entry.get("sha256"), stat.st_size, stat.st_mtime_ns]:
        return True
    try:
        return _sha256_file(path) == entry.get("sha256")
    except OSError:
        return False


def _outputs_untouched(out: Path, entries: dict[str, dict[str, Any]], state: dict[str, Any]) -> bool:
    return bool(entries) and all(_untouched(out / rel, entry, state) for rel, entry in entries.items())


def _input_key(plan: PackPlan, part: Part, template_hash: str) -> str:
    """What one file is made from: the plan (workspace-relative), the template and the pictures' bytes.

    Nothing depends on where the workspace is, so a copied or moved workspace builds nothing anew.
    """
    images = sorted({s.image.path for s in plan.slides if s.image}) if part == "slides" else []
    digest = hashlib.sha256(f"{__version__}\x00{part}\x00{plan.digest(part)}\x00{template_hash}".encode())
    for image in images:
        digest.update(_sha256_file(Path(image)).encode())
    return digest.hexdigest()


def _stamp_properties(plan: PackPlan, content_sha256: str) -> dict[str, str]:
    stamp = plan.stamp
    return {
        "vastbus.edition": stamp.edition,
        "vastbus.course": stamp.course_id,
        "vastbus.course_version": stamp.course_version,
        "vastbus.district": stamp.district,
        "vastbus.audience": stamp.audience,
        "vastbus.content_sha256": content_sha256,
        "vastbus.tool_version": stamp.tool_version,
    }


def render_job(job: Job) -> tuple[Job, str, str]:
    """Render, stamp and atomically write one file; return (job, file sha256, content sha256)."""
    from vastbus_cli.officetext import block_sha, content_sha256, written_text
    from vastbus_cli.render.package import StampedBlock, write_package

    _, _, kind = PARTS[job.part]
    if job.part == "slides":
        from vastbus_cli.render.pptx_writer import deck_entries

        entries = deck_entries(job.plan, Path(job.template))
    else:
        from vastbus_cli.render.docx_writer import document_entries

        document = job.plan.handout if job.part == "handout" else job.plan.guide
        entries = document_entries(document, job.plan.stamp, Path(job.template))
    # The text the writers emitted, read without an XML parser; equal to what scan reads from the file.
    pieces = written_text(entries, kind)
    content = content_sha256(pieces)
    discussed = {}
    if job.part == "slides":
        for slide in job.plan.slides:
            discussed[f"slide {slide.number}"] = discussed[f"notes of slide {slide.number}"] = slide.discusses
    blocks = [StampedBlock(p.location, block_sha(p.text), discussed.get(p.location, ())) for p in pieces]
    final = write_package(entries, _stamp_properties(job.plan, content), job.plan.stamp.date, blocks)
    atomic_write_bytes(Path(job.out), final)
    return job, hashlib.sha256(final).hexdigest(), content


def render_pack(jobs: list[Job]) -> list[tuple[Job, str, str]]:
    """Render the files of one pack; one task per pack sends each plan to a worker once."""
    return [render_job(job) for job in jobs]


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which lets running packs finish and records them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_all(todo: list[Job], jobs: int | None, record: Callable[[Job, str, str], None]) -> None:
    """Render every job, calling ``record`` for each file written, also when interrupted."""
    packs: dict[int, list[Job]] = {}
    for job in todo:
        packs.setdefault(id(job.plan), []).append(job)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(packs)))
    if workers == 1:
        for job in todo:
            record(*render_job(job))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts) as pool:
        futures = [pool.submit(render_pack, group) for group in packs.values()]
        recorded: set[int] = set()
        try:
            for future in as_completed(futures):
                recorded.add(id(future))
                for done in future.result():
                    record(*done)
        except BaseException:
            # Packs already running finish (their files are on disk): record them, start no more.
            pool.shutdown(wait=True, cancel_futures=True)
            for future in futures:
                if id(future) not in recorded and future.done() and not future.cancelled() and not future.exception():
                    for done in future.result():
                        record(*done)
            raise


def _is_safe_rel(rel: object) -> bool:
    """A manifest path this tool could have written: relative, inside ``--out``."""
    return isinstance(rel, str) and bool(rel) and not rel.startswith("/") and ".." not in rel.split("/")


def _read_manifest(path: Path, notices: list[str]) -> dict[str, dict[str, Any]]:
    """The manifest's entries by path; a damaged manifest or entry is ignored (and said) and rebuilt."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        notices.append(f"ignoring {path.name}, which cannot be read ({error}); the files are built again")
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        notices.append(f"ignoring {path.name}: it has no list of files; the files are built again")
        return {}
    entries = {}
    for entry in files:
        if isinstance(entry, dict) and _is_safe_rel(entry.get("path")) and isinstance(entry.get("sha256"), str):
            entries[entry["path"]] = entry
    if len(entries) != len(files):
        notices.append(f"ignoring {len(files) - len(entries)} damaged entry(ies) in {path.name}; built again")
    return entries


def _write_manifest(path: Path, entries: dict[str, dict[str, Any]], plans: list[PackPlan]) -> None:
    stamp = plans[0].stamp if plans else None
    document = {
        "tool": {"name": "vastbus", "version": __version__},
        "edition": stamp.edition if stamp else None,
        "course": stamp.course_id if stamp else None,
        "course_version": stamp.course_version if stamp else None,
        "files": [entries[key] for key in sorted(entries)],
    }
    atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _read_state(path: Path, notices: list[str]) -> dict[str, Any]:
    """The build cache; one that cannot be read is ignored (and said), and rebuilt."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        data = None
    files = data.get("files") if isinstance(data, dict) else None
    inputs = data.get("inputs") if isinstance(data, dict) else None
    if (
        not isinstance(files, dict)
        or not isinstance(inputs, str | None)
        or not all(isinstance(v, list) and len(v) == 3 for v in files.values())
    ):
        notices.append(f"ignoring the build cache {path.name}, which is damaged; it is rebuilt")
        return {}
    return {"inputs": inputs, "files": files}


def _write_state(
    path: Path, out: Path, entries: dict[str, dict[str, Any]], inputs: str | None, kept: dict[str, Any]
) -> None:
    files = dict(kept.get("files", {}))
    for rel, entry in entries.items():
        try:
            stat = (out / rel).stat()
        except OSError:
            continue
        files[rel] = [entry.get("sha256"), stat.st_size, stat.st_mtime_ns]
    files = {rel: value for rel, value in files.items() if rel in entries}
    atomic_write_text(path, json.dumps({"inputs": inputs, "files": files}, sort_keys=True) + "\n")


__all__ = ["BuildRefused", "BuildResult", "build", "pack_status", "plan_all", "render_job"]
