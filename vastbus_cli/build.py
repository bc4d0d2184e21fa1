"""Building packs: plan every district and audience, render what changed, write a manifest.

The keys that tell what changed are in :mod:`~vastbus_cli.buildkey`, what packs are planned
from in :mod:`~vastbus_cli.buildsources`, rendering and its workers in :mod:`~vastbus_cli.buildpool`,
the manifest and state in :mod:`~vastbus_cli.buildstate`, and stopping in :mod:`~vastbus_cli.buildstop`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from vastbus_cli import checking
from vastbus_cli.buildkey import InputKeys, plan_key, workspace_key
from vastbus_cli.buildpool import Job, PackJob, Rendered, WorkerSetup, render_all, render_file
from vastbus_cli.buildsources import plan_all, selection, sources_for
from vastbus_cli.buildstate import (
    MANIFEST,
    STATE,
    merge_manifest,
    outputs_untouched,
    read_manifest,
    read_state,
    untouched,
)
from vastbus_cli.buildstop import output_in_use, stops_on_sigterm
from vastbus_cli.errors import VastbusError
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import ngettext
from vastbus_cli.packs import CENTRAL, PACK_FILES, PARTS, PDF_FILES
from vastbus_cli.render.packplan import PackPlan
from vastbus_cli.render.pdf import PDF_STATE, PdfResult, drop_outdated_pdfs, find_soffice, make_pdfs
from vastbus_cli.render.plan import Sources, plan_pack
from vastbus_cli.workspace import Workspace


class BuildRefused(VastbusError):
    """``check`` found errors; nothing is built until they are fixed."""

    exit_code = 1

    def __init__(self, findings: list[Finding], edition: str = "") -> None:
        """Keep the findings, and the edition they were checked against, for the CLI to print."""
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        super().__init__(
            ngettext(
                "build refused: check found {n} error; fix it and build again",
                "build refused: check found {n} errors; fix them and build again",
                errors,
            ).format(n=errors)
        )
        self.findings = findings
        self.edition = edition


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

    The phases: read what the last build left and key the inputs (:class:`_Build`), stop there
    if nothing changed; check; find the files to render (:meth:`_Build.plan`); render them with
    workers (:meth:`_Build.render`); write the manifest and the PDFs (:meth:`_Build.finish`).

    Raises:
        BuildRefused: check found errors.
        UsageError: an unknown district, audience or edition; ``pdf`` without LibreOffice.
        InputOutputError: the output folder cannot be written.
    """
    soffice = find_soffice() if pdf else None
    options = _Options(districts, audiences, formats, jobs, force, edition, as_of, progress, pdf, pdf_progress)
    run = _Build(workspace, out.resolve(), options)
    if run.unchanged():
        return BuildResult(skipped=sorted(run.previous), manifest=run.manifest_path, notices=run.notices)
    work = run.plan()
    run.render(work)
    return run.finish(work, soffice)


@dataclass(frozen=True)
class _Options:
    """What :func:`build` was asked for."""

    districts: list[str] | None
    audiences: list[str] | None
    formats: Iterable[str]
    jobs: int | None
    force: bool
    edition: str | None
    as_of: dt.date | None
    progress: Callable[[int, int], None] | None
    pdf: bool
    pdf_progress: Callable[[int, int], None] | None

    def key(self) -> str:
        """The options that change what is built, as part of the workspace key."""
        return repr(
            (
                sorted(self.districts or []),
                sorted(self.audiences or []),
                sorted(self.formats),
                self.edition,
                str(self.as_of or dt.date.today()),
            )
        )


class _Build:
    """One build in progress: what the last build left, what this one found, checked and wrote so far."""

    def __init__(self, workspace: Workspace, out: Path, options: _Options) -> None:
        """Read the manifest and the state the last build left, and key the inputs."""
        self.workspace = workspace
        self.out = out
        self.options = options
        self.manifest_path = out / MANIFEST
        self.notices: list[str] = []
        self.previous = read_manifest(self.manifest_path, self.notices)
        self.state = read_state(out / STATE, self.notices)
        # Only what the build uses is hashed (documents, their pictures, the templates), each read
        # safely and streamed: an unrelated large file or a pipe beside them costs nothing.
        self.input_keys = InputKeys.of(workspace, workspace.root / "templates")
        self.inputs = workspace_key(self.input_keys, options.key())
        self.result = BuildResult(notices=self.notices)
        self.passed = False  # the check found no error
        # The input keys of files known to match them: skipped, or written or found current.
        # A file an interrupted build never reached keeps its old key, so the next build looks at it.
        self.confirmed: dict[str, str] = {}
        self.written: dict[str, dict[str, Any]] = {}
        # With workers, packs are rendered while the check runs, into files beside their targets
        # that are moved into place once it passed. A workspace whose files did not all load is
        # checked first: planning assumes that what it plans from is whole.
        self.check_first = any(f.severity is Severity.ERROR for f in workspace.findings)
        self.day: dt.date  # set by plan(), with the sources the packs are planned from
        self.sources: Sources

    def unchanged(self) -> bool:
        """Nothing the build uses changed since the last one, and its files are as it left them."""
        options = self.options
        return (
            not options.force
            and not options.pdf
            and self.inputs == self.state.get("inputs")
            and outputs_untouched(self.out, self.previous, self.state)
        )

    def check(self) -> None:
        """Refuse the build if check finds errors; keep its warnings."""
        checked = checking.check(self.workspace, edition=self.options.edition, as_of=self.options.as_of)
        if any(f.severity is Severity.ERROR for f in checked.findings):
            raise BuildRefused(checked.findings, checked.edition)
        self.result.warnings = [f for f in checked.findings if f.severity is Severity.WARNING]
        self.passed = True

    def plan(self) -> _Work:
        """The sources and the files to render (after the check, if it must come first)."""
        if self.check_first:
            self.check()
        options = self.options
        self.day = options.as_of or dt.date.today()
        try:
            self.sources = sources_for(self.workspace, options.edition, self.day)
            self.input_keys = dataclasses.replace(self.input_keys, edition=self.sources.edition.id)
            wanted = (options.districts, options.audiences, set(options.formats))
            work = _work(self.input_keys, self.sources, self.out, wanted, options.force, self.previous, self.state)
        except (VastbusError, OSError):
            if not self.check_first:
                self.check()  # what the check finds comes first, as when nothing was prepared before it
            raise
        self.result.skipped = list(work.skipped)
        self.confirmed = {rel: work.keys[rel] for rel in work.skipped}
        return work

    def render(self, work: _Work) -> None:
        """Render every pack (checking meanwhile, unless it came first); record what is written."""
        setup = WorkerSetup(self.workspace.root.as_posix(), self.options.edition, self.day, self.sources)
        missing = [folder for folder in _folders(self.out, work.todo) if not folder.is_dir()]
        total = sum(len(pack.files) for pack in work.todo)
        try:
            render_all(
                work.todo,
                self.options.jobs,
                lambda rendered: self._record(work, rendered, total),
                setup,
                None if self.check_first else self.check,
            )
        except BaseException:
            self._stopped(missing)
            raise

    def _record(self, work: _Work, rendered: Rendered, total: int) -> None:
        self.confirmed[rendered.rel] = work.keys[rendered.rel]
        if rendered.sha256 is None:  # its inputs changed, but not its plan: the file stands
            self.result.skipped.append(rendered.rel)
        else:
            self.written[rendered.rel] = {
                "path": rendered.rel,
                "sha256": rendered.sha256,
                "input": rendered.plan_key,
                "content_sha256": rendered.content_sha256,
                "stamp": rendered.stamp,
            }
            self.result.written.append(rendered.rel)
        if self.options.progress:
            self.options.progress(len(self.result.written) + len(self.result.skipped) - len(work.skipped), total)

    def _stopped(self, missing: list[Path]) -> None:
        """A build refused, failed or interrupted while rendering: leave the output folder consistent."""
        if not self.passed:
            # Refused, or stopped before the check passed: nothing was moved into place, and
            # the folders the workers made for it go too.
            for folder in missing:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            return
        # Interrupted or failed: every file on disk is whole (atomic writes); list those written.
        with contextlib.suppress(VastbusError):
            merge_manifest(self.out, self.written, _manifest_header(self.sources), None, self.confirmed)
            drop_outdated_pdfs(self.out, self._written_sha256())

    def _written_sha256(self) -> dict[str, str]:
        return {rel: entry["sha256"] for rel, entry in self.written.items()}

    def finish(self, work: _Work, soffice: Path | None) -> BuildResult:
        """Write the manifest, remove outdated PDFs, and make the PDFs asked for."""
        merge_manifest(self.out, self.written, _manifest_header(self.sources), self.inputs, self.confirmed)
        result = self.result
        result.manifest = self.manifest_path
        removed = drop_outdated_pdfs(self.out, self._written_sha256())
        if removed and soffice is None:
            result.notices.append(
                ngettext(
                    "removed {n} PDF made from an earlier version of its file; build with --pdf to make it again",
                    "removed {n} PDFs made from an earlier version of their file; build with --pdf to make them again",
                    len(removed),
                ).format(n=len(removed))
            )
        if soffice is not None:
            built = read_manifest(self.manifest_path, [])
            office = {rel: built[rel]["sha256"] for rel in work.selected if rel in built}
            jobs, force = self.options.jobs, self.options.force
            result.pdf = make_pdfs(
                self.out, office, soffice=soffice, jobs=jobs, force=force, progress=self.options.pdf_progress
            )
        return result


@dataclass(frozen=True)
class _Work:
    """What a build has to do: the packs to render, and what it found it need not."""

    todo: list[PackJob]
    keys: dict[str, str]  # every selected file's input key
    selected: list[str]
    skipped: list[str]  # as built, from inputs that did not change


def _work(
    input_keys: InputKeys,
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
    for district, audience in selection(sources, districts, audiences):
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
    keys = InputKeys.of(workspace, workspace.root / "templates", sources.edition.id)
    out = out.resolve()
    previous = read_manifest(out / MANIFEST, [])
    state = read_state(out / STATE, [])
    root = workspace.root.as_posix()
    found = {}
    for district, audience in selection(sources, None, None):
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
            current = entry.get("input") == plan_key(plan, part, keys.templates[template])
            found[rel] = "current" if current else "stale"
    return found


__all__ = [
    "MANIFEST",
    "STATE",
    "BuildRefused",
    "BuildResult",
    "Job",
    "PackJob",
    "build",
    "pack_status",
    "plan_all",
    "render_file",
    "sources_for",
]
