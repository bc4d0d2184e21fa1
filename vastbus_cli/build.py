"""Building packs: plan every district and audience, render what changed, write a manifest."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from vastbus_cli import __version__, checking, saferead
from vastbus_cli.buildstate import (
    MANIFEST,
    STATE,
    merge_manifest,
    outputs_untouched,
    read_manifest,
    read_state,
    untouched,
)
from vastbus_cli.buildstop import ignore_stop_signals, output_in_use, stops_on_sigterm, uninterrupted
from vastbus_cli.checks.context import suggest
from vastbus_cli.editions import select_edition
from vastbus_cli.errors import UsageError, VastbusError
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.fsio import (
    atomic_write_bytes,
    move_into_place,
    write_beside,
)
from vastbus_cli.models import Audience, District
from vastbus_cli.packs import CENTRAL, PACK_FILES, PARTS, PDF_FILES, Part
from vastbus_cli.render.packplan import PackPlan
from vastbus_cli.render.pdf import PDF_STATE, PdfResult, drop_outdated_pdfs, find_soffice, make_pdfs
from vastbus_cli.render.plan import Sources, plan_pack
from vastbus_cli.workers import worker_count
from vastbus_cli.workspace import Document, Workspace, editions_of, open_workspace


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
    """One file to render: where it goes and what it is made from, never the plan itself."""

    rel: str
    part: Part
    template: str
    template_sha256: str
    out: str
    #: The plan key the manifest has for the file, when the file is as built: a plan with the same
    #: key is not written again.
    built_from: str | None


@dataclass(frozen=True)
class PackJob:
    """The files of one pack to render; a worker plans the pack itself, so no plan crosses processes."""

    district: str
    audience: str
    files: tuple[Job, ...]


@dataclass
class BuildResult:
    """What a build wrote and what it left alone because nothing changed."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    manifest: Path | None = None
    warnings: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: With ``pdf=True``: the PDFs written, left alone and not made.
    pdf: PdfResult | None = None


def _folded(text: str) -> str:
    """A name as people write it, compared the way ids are made: "Västra Hisingen" ~ "västra-hisingen"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", "-", plain).strip("-")


def _select(kind: str, wanted: list[str] | None, known: dict[str, Any]) -> list[str]:
    """The ids asked for; each may be given by its id or by its name, in any case, with or without å, ä, ö."""
    if not wanted:
        return list(known)
    names = {key: getattr(value, "name", key) for key, value in known.items()}
    by_folded: dict[str, str] = {}
    for known_id, name in names.items():
        by_folded.setdefault(_folded(name), known_id)
        by_folded.setdefault(_folded(known_id), known_id)
    chosen = []
    for asked in wanted:
        key = asked if asked in known else by_folded.get(_folded(asked))
        if key is None:
            hint = suggest(asked, [*known, *names.values()])
            raise UsageError(f"unknown {kind} '{asked}' ({hint + ' ' if hint else ''}known: {', '.join(known)})")
        chosen.append(key)
    return list(dict.fromkeys(chosen))


def sources_for(workspace: Workspace, edition: str | None = None, as_of: dt.date | None = None) -> Sources:
    """What every pack is planned from: the course, modules, edition in force, local additions and districts."""
    course = workspace.course.model if workspace.course else None
    districts_file = workspace.districts.model if workspace.districts else None
    if course is None or districts_file is None:
        raise UsageError("the course or districts file did not load; run 'vastbus check'")
    editions = editions_of(workspace)
    selected = select_edition(editions, edition, as_of or dt.date.today())
    lineage = editions.lineage(selected.id)
    return Sources(
        course=course,
        modules={doc.model.id: doc.model for doc in workspace.modules if doc.model is not None},
        edition=selected,
        editions=editions,
        claims={claim.id: claim for e in lineage for claim in e.claims},
        local=tuple((doc.folder_district, doc.model) for doc in workspace.local if doc.model is not None),
        districts=tuple(districts_file.districts),
        areas=tuple(districts_file.areas),
    )


def _selection(
    sources: Sources, districts: list[str] | None, audiences: list[str] | None
) -> list[tuple[District | None, Audience]]:
    by_district: dict[str, District | None] = {CENTRAL: None, **{d.id: d for d in sources.districts}}
    by_audience: dict[str, Audience] = {a.id: a for a in sources.course.audiences}
    return [
        (by_district[district_id], by_audience[audience_id])
        for district_id in _select("district", districts, by_district)
        for audience_id in _select("audience", audiences, by_audience)
    ]


def plan_all(
    workspace: Workspace,
    *,
    edition: str | None = None,
    as_of: dt.date | None = None,
    districts: list[str] | None = None,
    audiences: list[str] | None = None,
) -> list[PackPlan]:
    """Plans for the selected districts (``central`` is the pack without a district) and audiences."""
    sources = sources_for(workspace, edition, as_of)
    root = workspace.root.as_posix()
    return [
        plan_pack(sources, audience, district, root) for district, audience in _selection(sources, districts, audiences)
    ]


P = ParamSpec("P")

#: The files a build writes into a pack folder or its output folder; what is left beside them is its own.
_OWN_FILES = (
    *PACK_FILES,
    *PDF_FILES,
    MANIFEST,
    STATE,
    PDF_STATE,
)


def _in_output_folder(
    function: Callable[Concatenate[Workspace, Path, P], BuildResult],
) -> Callable[Concatenate[Workspace, Path, P], BuildResult]:
    """Run a build holding its output folder (see :func:`buildstop.output_in_use`)."""

    @functools.wraps(function)
    def wrapper(workspace: Workspace, out: Path, /, *args: P.args, **kwargs: P.kwargs) -> BuildResult:
        with output_in_use(out.resolve(), _OWN_FILES):
            return function(workspace, out, *args, **kwargs)

    return wrapper


@stops_on_sigterm
@_in_output_folder
def build(
    workspace: Workspace,
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
    pdf: bool = False,
    pdf_progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Check ``workspace``, then render every selected pack whose inputs changed into ``out``.

    With ``pdf``, also convert them to PDF.

    SIGTERM stops it as Ctrl-C does, and it exits with 143; files a build that was killed
    left beside their targets are removed first (see :mod:`vastbus_cli.buildstop`).

    A PDF made from an earlier version of a file that is now written anew is removed, with or
    without ``pdf``, so no outdated PDF stands beside a new deck.

    Raises:
        BuildRefused: check found errors.
        UsageError: an unknown district, audience or edition; ``pdf`` without LibreOffice.
        InputOutputError: the output folder cannot be written.
    """
    soffice = find_soffice() if pdf else None
    out = out.resolve()
    manifest_path = out / MANIFEST
    notices: list[str] = []
    previous = read_manifest(manifest_path, notices)
    state_path = out / STATE
    state = read_state(state_path, notices)
    options = (
        sorted(districts or []),
        sorted(audiences or []),
        sorted(formats),
        edition,
        str(as_of or dt.date.today()),
    )
    # Only what the build uses is hashed (documents, their pictures, the templates), each read
    # safely and streamed: an unrelated large file or a pipe beside them costs nothing.
    input_keys = _InputKeys.of(workspace, workspace.root / "templates")
    inputs = _workspace_key(input_keys, repr(options))
    if not force and not pdf and inputs == state.get("inputs") and outputs_untouched(out, previous, state):
        return BuildResult(skipped=sorted(previous), manifest=manifest_path, notices=notices)
    result = BuildResult(notices=notices)

    passed = False

    def check() -> None:
        """Refuse the build if check finds errors; keep its warnings."""
        nonlocal passed
        checked = checking.check(workspace, edition=edition, as_of=as_of)
        if any(f.severity is Severity.ERROR for f in checked.findings):
            raise BuildRefused(checked.findings, checked.edition)
        result.warnings = [f for f in checked.findings if f.severity is Severity.WARNING]
        passed = True

    # With workers, packs are rendered while the check runs, into files beside their targets
    # that are moved into place once it passed. A workspace whose files did not all load is
    # checked first: planning assumes that what it plans from is whole.
    check_first = any(f.severity is Severity.ERROR for f in workspace.findings)
    if check_first:
        check()
    day = as_of or dt.date.today()
    try:
        sources = sources_for(workspace, edition, day)
        input_keys = dataclasses.replace(input_keys, edition=sources.edition.id)
        work = _work(input_keys, sources, out, (districts, audiences, set(formats)), force, previous, state)
    except (VastbusError, OSError):
        if not check_first:
            check()  # what the check finds comes first, as when nothing was prepared before it
        raise
    result.skipped = list(work.skipped)
    # The input keys of files known to match them: skipped above, or written or found current below.
    # A file an interrupted build never reached keeps its old key, so the next build looks at it.
    confirmed = {rel: work.keys[rel] for rel in work.skipped}
    written: dict[str, dict[str, Any]] = {}
    total = sum(len(pack.files) for pack in work.todo)

    def record(rendered: Rendered) -> None:
        confirmed[rendered.rel] = work.keys[rendered.rel]
        if rendered.sha256 is None:  # its inputs changed, but not its plan: the file stands
            result.skipped.append(rendered.rel)
        else:
            written[rendered.rel] = {
                "path": rendered.rel,
                "sha256": rendered.sha256,
                "input": rendered.plan_key,
                "content_sha256": rendered.content_sha256,
                "stamp": rendered.stamp,
            }
            result.written.append(rendered.rel)
        if progress:
            progress(len(result.written) + len(result.skipped) - len(work.skipped), total)

    header = _manifest_header(sources)
    setup = _WorkerSetup(workspace.root.as_posix(), edition, day, sources)
    folders = _folders(out, work.todo)
    missing = [folder for folder in folders if not folder.is_dir()]
    try:
        _render_all(work.todo, jobs, record, setup, None if check_first else check)
    except BaseException:
        if not passed:
            # Refused, or stopped before the check passed: nothing was moved into place, and
            # the folders the workers made for it go too.
            for folder in missing:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        # Interrupted or failed: every file on disk is whole (atomic writes); list those written.
        with contextlib.suppress(VastbusError):
            merge_manifest(out, written, header, None, confirmed)
            drop_outdated_pdfs(out, {rel: entry["sha256"] for rel, entry in written.items()})
        raise
    merge_manifest(out, written, header, inputs, confirmed)
    result.manifest = manifest_path
    removed = drop_outdated_pdfs(out, {rel: entry["sha256"] for rel, entry in written.items()})
    if removed and soffice is None:
        result.notices.append(
            f"removed {len(removed)} PDF(s) made from an earlier version of their file; "
            "build with --pdf to make them again"
        )
    if soffice is not None:
        built = read_manifest(manifest_path, [])
        office = {rel: built[rel]["sha256"] for rel in work.selected if rel in built}
        result.pdf = make_pdfs(out, office, soffice=soffice, jobs=jobs, force=force, progress=pdf_progress)
    return result


@dataclass(frozen=True)
class _Work:
    """What a build has to do: the packs to render, and what it found it need not."""

    todo: list[PackJob]
    keys: dict[str, str]  # every selected file's input key
    selected: list[str]
    skipped: list[str]  # as built, from inputs that did not change


def _work(
    input_keys: _InputKeys,
    sources: Sources,
    out: Path,
    wanted: tuple[list[str] | None, list[str] | None, set[str]],
    force: bool,
    previous: dict[str, dict[str, Any]],
    state: dict[str, Any],
) -> _Work:
    """The files the selection (districts, audiences, formats) asks for, and which must be rendered.

    Raises:
        UsageError: an unknown district or audience.
        OSError: a template cannot be read.
    """
    districts, audiences, formats = wanted
    templates = input_keys.folder
    work = _Work([], {}, [], [])
    for district, audience in _selection(sources, districts, audiences):
        district_id = district.id if district else CENTRAL
        files = []
        for part, (file_name, template, kind) in PARTS.items():
            if kind not in formats:
                continue
            rel = f"{district_id}/{audience.id}/{file_name}"
            work.selected.append(rel)
            work.keys[rel] = input_keys.key(part, district, audience.id)
            old = previous.get(rel)
            as_built = not force and old is not None and untouched(out / rel, old, state)
            if as_built and state.get("keys", {}).get(rel) == work.keys[rel]:
                work.skipped.append(rel)  # nothing it is made from changed: no need to plan it
                continue
            built_from = old.get("input") if as_built and old else None
            files.append(
                Job(rel, part, str(templates / template), input_keys.templates[template], str(out / rel), built_from)
            )
        if files:
            work.todo.append(PackJob(district_id, audience.id, tuple(files)))
    return work


def _folders(out: Path, todo: list[PackJob]) -> list[Path]:
    """The folders packs are written into (``out/district/audience``), their districts' and ``out``: innermost first."""
    packs = {out / pack.district / pack.audience for pack in todo}
    return [*sorted(packs), *sorted({folder.parent for folder in packs}), out]


def _manifest_header(sources: Sources) -> dict[str, Any]:
    return {
        "edition": sources.edition.id,
        "course": sources.course.id,
        "course_version": sources.course.version,
    }


def pack_status(
    workspace: Workspace, out: Path, *, edition: str | None = None, as_of: dt.date | None = None
) -> dict[str, str]:
    """For every file a build would write: 'current', 'stale' (inputs changed) or 'missing'.

    A file whose inputs are those it was last built or found current from is current without
    planning its pack; otherwise its pack is planned and compared, as a build would.
    """
    sources = sources_for(workspace, edition, as_of)
    keys = _InputKeys.of(workspace, workspace.root / "templates", sources.edition.id)
    out = out.resolve()
    previous = read_manifest(out / MANIFEST, [])
    state = read_state(out / STATE, [])
    root = workspace.root.as_posix()
    found = {}
    for district, audience in _selection(sources, None, None):
        plan: PackPlan | None = None
        for part, (file_name, template, _) in PARTS.items():
            rel = f"{district.id if district else CENTRAL}/{audience.id}/{file_name}"
            entry = previous.get(rel)
            if not (out / rel).is_file():
                found[rel] = "missing"
                continue
            if not entry or not untouched(out / rel, entry, state):
                found[rel] = "stale"
                continue
            if state.get("keys", {}).get(rel) == keys.key(part, district, audience.id):
                found[rel] = "current"
                continue
            plan = plan or plan_pack(sources, audience, district, root)
            current = entry.get("input") == _plan_key(plan, part, keys.templates[template])
            found[rel] = "current" if current else "stale"
    return found


def _workspace_key(keys: _InputKeys, options: str) -> str:
    """Hash of what the build uses and its options: equal means nothing can have changed."""
    parts = [__version__, options, keys.shared]
    parts += [f"{folder}={digest}" for folder, digest in sorted(keys.local.items())]
    parts += [f"{name}={digest}" for name, digest in sorted(keys.templates.items())]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def _plan_key(plan: PackPlan, part: Part, template_hash: str) -> str:
    """What one file is made from: the plan (workspace-relative), the template and the pictures' bytes.

    Nothing depends on where the workspace is, so a copied or moved workspace builds nothing anew.
    """
    images = sorted({s.image.path for s in plan.slides if s.image}) if part == "slides" else []
    digest = hashlib.sha256(f"{__version__}\x00{part}\x00{plan.digest(part)}\x00{template_hash}".encode())
    for image in images:
        digest.update(_safe_sha256(Path(image), "picture").encode())
    return digest.hexdigest()


@functools.cache
def _code_fingerprint() -> str:
    """The tool's own source: a change to a writer or to planning makes every file's inputs new."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class _InputKeys:
    """Digests of what the files are made from, so a build knows what to skip without planning anything.

    A pack is made from the tool, the guidelines, the course, the districts, the modules and
    their pictures (``shared``), the local folders of its district and its area, and a
    template. Nothing depends on where the workspace is, so a moved workspace builds nothing anew.
    """

    shared: str
    local: dict[str, str]
    templates: dict[str, str]
    edition: str
    folder: Path  # the templates folder

    @classmethod
    def of(cls, workspace: Workspace, templates: Path, edition: str = "") -> _InputKeys:
        """The digests of the documents the build plans from, their pictures and the three templates.

        Every file is read through :mod:`~vastbus_cli.saferead` (regular files within their
        limit, hashes streamed); one that cannot be read safely is hashed as a marker of why,
        and the check refuses the build.
        """
        shared = hashlib.sha256(_code_fingerprint().encode())
        documents: list[Document[Any]] = [*workspace.editions, *workspace.modules]
        documents += [doc for doc in (workspace.course, workspace.districts) if doc is not None]
        for doc in sorted(documents, key=lambda d: d.rel):
            shared.update(_file_digest(doc.rel, doc.loaded.text.encode("utf-8")))
        for module in workspace.modules:
            if module.model is not None:
                _add_pictures(shared, workspace.root, module.model.slides)
        local: dict[str, Any] = {}
        for doc in sorted(workspace.local, key=lambda d: d.rel):
            digest = local.setdefault(doc.folder_district, hashlib.sha256())
            digest.update(_file_digest(doc.rel, doc.loaded.text.encode("utf-8")))
            if doc.model is not None:
                _add_pictures(digest, workspace.root, doc.model.slides)
        return cls(
            shared.hexdigest(),
            {folder: digest.hexdigest() for folder, digest in local.items()},
            {name: _safe_sha256(templates / name, "template") for _, name, _ in PARTS.values()},
            edition,
            templates,
        )

    def key(self, part: Part, district: District | None, audience: str) -> str:
        """The input key of one file of one pack."""
        folders = [district.area, district.id] if district else []
        local = [f"{folder}={self.local.get(folder, '')}" for folder in folders if folder]
        text = "\x00".join([part, self.shared, self.edition, district.id if district else CENTRAL, audience, *local])
        return hashlib.sha256(f"{text}\x00{self.templates[PARTS[part][1]]}".encode()).hexdigest()


def _file_digest(rel: str, data: bytes) -> bytes:
    return rel.encode("utf-8") + b"\x00" + hashlib.sha256(data).digest()


def _safe_sha256(path: Path, kind: saferead.Kind) -> str:
    """A file's streamed SHA-256, or why it cannot be read safely (the check reports it)."""
    try:
        return saferead.sha256(path, kind)
    except saferead.Refused as refused:
        return f"unreadable:{refused.problem}"


def _add_pictures(digest: Any, root: Path, slides: Iterable[Any]) -> None:
    for path in sorted({slide.image.path for slide in slides if slide.image is not None}):
        digest.update(f"{path}\x00{_safe_sha256(root / path, 'picture')}".encode())


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


@dataclass(frozen=True)
class Rendered:
    """What a worker sends back for one file: never the plan."""

    rel: str
    plan_key: str
    sha256: str | None = None  # None: the plan is the one the file was built from; nothing written
    content_sha256: str = ""
    stamp: dict[str, str] = field(default_factory=dict)
    #: Written beside its target, to be moved there once the build's check passed (see _render_all).
    staged: str | None = None
    target: str = ""


def render_file(plan: PackPlan, job: Job, *, stage: bool = False) -> Rendered:
    """Render, stamp and atomically write one file of a planned pack, unless its plan did not change.

    With ``stage``, the file is left beside its target (``Rendered.staged``) for the caller to move.
    """
    plan_key = _plan_key(plan, job.part, job.template_sha256)
    if plan_key == job.built_from:
        return Rendered(job.rel, plan_key)
    from vastbus_cli.render.package import blocks_xml, write_package
    from vastbus_cli.texthash import fingerprints

    if job.part == "slides":
        from vastbus_cli.render.pptx_writer import deck_package

        entries, written = deck_package(plan, Path(job.template))
    else:
        from vastbus_cli.render.docx_writer import document_package

        document = plan.handout if job.part == "handout" else plan.guide
        entries, written = document_package(document, plan.stamp, Path(job.template))
    # The writers record the text they emit, so the file is never read back; a test holds it
    # equal to what scan reads from every built file.
    content, shas = fingerprints(written)
    discussed = {}
    if job.part == "slides":
        for slide in plan.slides:
            discussed[f"slide {slide.number}"] = discussed[f"notes of slide {slide.number}"] = slide.discusses
    blocks = blocks_xml([location for location, _ in written], shas, discussed)
    stamp = _stamp_properties(plan, content)
    final = write_package(entries, stamp, plan.stamp.date, blocks)
    sha256 = hashlib.sha256(final).hexdigest()
    # Not flushed to disk file by file, which kept a cold build waiting on the disk: a file a power cut
    # leaves damaged fails its recorded size and hash, and the next build writes it again.
    if stage:
        staged = write_beside(Path(job.out), final, durable=False)
        return Rendered(job.rel, plan_key, sha256, content, stamp, str(staged), job.out)
    atomic_write_bytes(Path(job.out), final, durable=False)
    return Rendered(job.rel, plan_key, sha256, content, stamp)


@dataclass(frozen=True)
class _WorkerSetup:
    """What a worker plans from: the parent's sources when forked, else loaded once from the workspace."""

    root: str
    edition: str | None
    day: dt.date
    sources: Sources | None = None
    stage: bool = False  # leave files beside their targets (see render_file)

    def without_sources(self) -> _WorkerSetup:
        return _WorkerSetup(self.root, self.edition, self.day, stage=self.stage)


#: The sources in this process: set by the parent before its workers start (a forked worker
#: inherits them), or loaded by a worker that started afresh.
_SOURCES: dict[tuple[str, str | None, dt.date], Sources] = {}


def _start_worker(setup: _WorkerSetup) -> None:
    """Workers leave Ctrl-C and SIGTERM to the parent, which lets running packs finish and records them."""
    ignore_stop_signals()
    key = (setup.root, setup.edition, setup.day)
    if key not in _SOURCES:
        _SOURCES[key] = sources_for(open_workspace(Path(setup.root)), setup.edition, setup.day)


def render_pack(pack: PackJob, setup: _WorkerSetup) -> list[Rendered]:
    """Plan one pack and render its files; only paths, hashes and stamps go back to the parent."""
    sources = setup.sources or _SOURCES[(setup.root, setup.edition, setup.day)]
    district = next((d for d in sources.districts if d.id == pack.district), None)
    audience = next(a for a in sources.course.audiences if a.id == pack.audience)
    plan = plan_pack(sources, audience, district, setup.root)
    rendered: list[Rendered] = []
    try:
        for job in pack.files:
            rendered.append(render_file(plan, job, stage=setup.stage))
    except BaseException:
        for done in rendered:  # a pack that failed sends nothing back: what it left aside goes
            if done.staged is not None:
                Path(done.staged).unlink(missing_ok=True)
        raise
    return rendered


def _render_all(
    todo: list[PackJob],
    jobs: int | None,
    record: Callable[[Rendered], None],
    setup: _WorkerSetup,
    check: Callable[[], None] | None = None,
) -> None:
    """Render every pack, calling ``record`` for each file written, also when interrupted.

    ``check`` (which raises to refuse the build) runs first with one worker. With more, it runs
    while they render: they leave each file beside its target, and the files are moved into
    place once it returned, or removed if it raised.
    """
    workers = worker_count(jobs, len(todo))
    if workers == 1:
        if check is not None:
            check()
        for pack in todo:
            for done in render_pack(pack, setup):
                record(done)
        return
    assert setup.sources is not None
    key = (setup.root, setup.edition, setup.day)
    _SOURCES[key] = setup.sources
    try:
        small = dataclasses.replace(setup.without_sources(), stage=check is not None)
        _render_in_pool(todo, workers, record, small, check)
    finally:
        _SOURCES.pop(key, None)


def _render_in_pool(
    todo: list[PackJob],
    workers: int,
    record: Callable[[Rendered], None],
    small: _WorkerSetup,
    check: Callable[[], None] | None,
) -> None:
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(small,)) as pool:
        futures = [pool.submit(render_pack, pack, small) for pack in todo]
        passed = check is None
        recorded: set[str] = set()
        try:
            if check is not None:
                check()
                passed = True
            for future in as_completed(futures):
                for done in future.result():
                    with uninterrupted():  # stopped between the two, a file would be in place but not listed
                        record(_in_place(done))
                        recorded.add(done.rel)
        except BaseException:
            # Packs already running finish (their files are on disk): record them, start no more.
            # Before the check passed, what they left beside their targets is removed instead.
            pool.shutdown(wait=True, cancel_futures=True)
            finished = [f for f in futures if f.done() and not f.cancelled() and f.exception() is None]
            for done in (done for future in finished for done in future.result() if done.rel not in recorded):
                if passed:
                    with contextlib.suppress(VastbusError):  # the first failure is the one reported
                        record(_in_place(done))
                elif done.staged is not None:
                    Path(done.staged).unlink(missing_ok=True)
            raise


def _in_place(done: Rendered) -> Rendered:
    """A rendered file in its place: moved there, if it was left beside it."""
    if done.staged is not None:
        move_into_place(Path(done.staged), Path(done.target))
    return done


__all__ = [
    "MANIFEST",
    "STATE",
    "BuildRefused",
    "BuildResult",
    "build",
    "pack_status",
    "plan_all",
    "render_file",
    "sources_for",
]
