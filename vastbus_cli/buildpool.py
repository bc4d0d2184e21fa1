"""Rendering packs: one file (:func:`render_file`), one pack (:func:`render_pack`), or all of them in workers.

Only paths, hashes and stamps cross between processes, never a plan: a worker plans its
pack itself, from the parent's sources when forked or from the workspace loaded once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from vastbus_cli.buildkey import plan_key
from vastbus_cli.buildsources import sources_for
from vastbus_cli.buildstop import ignore_stop_signals, uninterrupted
from vastbus_cli.errors import VastbusError
from vastbus_cli.fsio import atomic_write_bytes, move_into_place, write_beside
from vastbus_cli.i18n import language, set_language
from vastbus_cli.packs import Part
from vastbus_cli.render.packplan import PackPlan
from vastbus_cli.render.plan import Sources, plan_pack
from vastbus_cli.workers import worker_count
from vastbus_cli.workspace import open_workspace


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


@dataclass(frozen=True)
class Rendered:
    """What a worker sends back for one file: never the plan."""

    rel: str
    plan_key: str
    sha256: str | None = None  # None: the plan is the one the file was built from; nothing written
    content_sha256: str = ""
    stamp: dict[str, str] = field(default_factory=dict)
    #: Written beside its target, to be moved there once the build's check passed (see render_all).
    staged: str | None = None
    target: str = ""


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


def render_file(plan: PackPlan, job: Job, *, stage: bool = False) -> Rendered:
    """Render, stamp and atomically write one file of a planned pack, unless its plan did not change.

    With ``stage``, the file is left beside its target (``Rendered.staged``) for the caller to move.
    """
    key = plan_key(plan, job.part, job.template_sha256)
    if key == job.built_from:
        return Rendered(job.rel, key)
    from vastbus_cli.render.package import blocks_xml, write_package
    from vastbus_cli.render.writers import WRITERS
    from vastbus_cli.texthash import fingerprints

    writer = WRITERS[job.part]
    entries, written = writer.write(plan, Path(job.template))
    # The writers record the text they emit, so the file is never read back; a test holds it
    # equal to what scan reads from every built file.
    content, shas = fingerprints(written)
    # Decks also record each block's text as built, so that scan judges only what an edit added;
    # the handout and guide keep fingerprints only (their text too made a full build about 5 % slower).
    texts = [text for _, text in written] if job.part == "slides" else None
    blocks = blocks_xml([location for location, _ in written], shas, writer.discussed(plan), texts)
    stamp = _stamp_properties(plan, content)
    final = write_package(entries, stamp, plan.stamp.date, blocks)
    sha256 = hashlib.sha256(final).hexdigest()
    # Not flushed to disk file by file, which kept a cold build waiting on the disk: a file a power cut
    # leaves damaged fails its recorded size and hash, and the next build writes it again.
    if stage:
        staged = write_beside(Path(job.out), final, durable=False)
        return Rendered(job.rel, key, sha256, content, stamp, str(staged), job.out)
    atomic_write_bytes(Path(job.out), final, durable=False)
    return Rendered(job.rel, key, sha256, content, stamp)


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker plans from: the parent's sources when forked, else loaded once from the workspace."""

    root: str
    edition: str | None
    day: dt.date
    sources: Sources | None = None
    stage: bool = False  # leave files beside their targets (see render_file)
    #: The language of the run: what a worker says (an error in a pack) is said in it.
    lang: str = field(default_factory=language)

    def without_sources(self) -> WorkerSetup:
        """The setup sent to workers: they plan from the sources they inherited or loaded."""
        return WorkerSetup(self.root, self.edition, self.day, stage=self.stage, lang=self.lang)


#: The sources in this process: set by the parent before its workers start (a forked worker
#: inherits them), or loaded by a worker that started afresh.
_SOURCES: dict[tuple[str, str | None, dt.date], Sources] = {}


def _start_worker(setup: WorkerSetup) -> None:
    """Workers leave Ctrl-C and SIGTERM to the parent, which lets running packs finish and records them.

    They speak the run's language, forked or spawned.
    """
    ignore_stop_signals()
    set_language(setup.lang)
    key = (setup.root, setup.edition, setup.day)
    if key not in _SOURCES:
        _SOURCES[key] = sources_for(open_workspace(Path(setup.root)), setup.edition, setup.day)


def render_pack(pack: PackJob, setup: WorkerSetup) -> list[Rendered]:
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


def render_all(
    todo: list[PackJob],
    jobs: int | None,
    record: Callable[[Rendered], None],
    setup: WorkerSetup,
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
    small: WorkerSetup,
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
