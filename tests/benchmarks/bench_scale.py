"""Benchmark: every pack of the shipped course, and of a copy ten times its size, with one and two workers.

Run from the repository: ``python -m tests.benchmarks.bench_scale [--factor N] [--runs N]``.
The larger course is made in memory: every module repeated under new ids and every track
that much longer. A course that size breaks the track budgets, so ``vastbus build`` would
refuse it; this plans and renders exactly as a build does after its check. Each size and
worker count runs in a fresh process, so its peak memory is its own: the parent's peak and
the largest worker's, and their sum as the most the build can hold at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.common import REPO, record


def scaled(workspace: Any, factor: int) -> Any:
    """The workspace with its course ``factor`` times as long (modules copied under new ids)."""
    course = workspace.course.model
    modules = []
    for doc in workspace.modules:
        for copy in range(factor):
            update = {"id": f"{doc.model.id}-x{copy}", "title": f"{doc.model.title} ({copy})"}
            modules.append(
                dataclasses.replace(doc, model=doc.model if copy == 0 else doc.model.model_copy(update=update))
            )
    tracks = [
        track.model_copy(
            update={
                "modules": [
                    entry if copy == 0 else entry.model_copy(update={"module": f"{entry.module}-x{copy}"})
                    for entry in track.modules
                    for copy in range(factor)
                ]
            }
        )
        for track in course.tracks
    ]
    ids = [m if copy == 0 else f"{m}-x{copy}" for m in course.modules for copy in range(factor)]
    workspace.course = dataclasses.replace(
        workspace.course, model=course.model_copy(update={"modules": ids, "tracks": tracks})
    )
    workspace.modules = modules
    return workspace


def _one(factor: int, jobs: int, out: Path) -> dict[str, float]:
    """Plan and render every pack in this process; what it took."""
    from vastbus_cli import api
    from vastbus_cli.buildpool import Job, PackJob, WorkerSetup, render_all
    from vastbus_cli.buildsources import selection, sources_for
    from vastbus_cli.packs import PARTS

    started = time.perf_counter()
    workspace = scaled(api.open_workspace(REPO), factor)
    sources = sources_for(workspace)
    todo: list[PackJob] = []
    for district, audience in selection(sources, None, None):
        district_id = district.id if district else "central"
        files = tuple(
            Job(f"{district_id}/{audience.id}/{name}", part, str(REPO / "templates" / template), "", "", None)
            for part, (name, template, _) in PARTS.items()
        )
        todo.append(
            PackJob(
                district_id,
                audience.id,
                tuple(dataclasses.replace(job, out=str(out / job.rel)) for job in files),
            )
        )
    for pack in todo:
        for job in pack.files:
            Path(job.out).parent.mkdir(parents=True, exist_ok=True)
    written: list[Any] = []
    render_all(todo, jobs, written.append, WorkerSetup(REPO.as_posix(), None, dt.date.today(), sources))
    elapsed = time.perf_counter() - started
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": elapsed, "files": len(written), "parent_mb": parent, "worker_mb": worker}


def main() -> None:
    """Print time and peak memory per size and worker count."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("FACTOR", "JOBS", "OUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        factor, jobs, out = arguments.child
        print(json.dumps(_one(int(factor), int(jobs), Path(out))))
        return
    runs: dict[tuple[int, int], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="vastbus-scale-") as scratch:
        # In turn, so that a slow patch of the machine hits every size and worker count alike.
        for run in range(arguments.runs):
            for factor in (1, arguments.factor):
                for jobs in (1, 2):
                    out = Path(scratch) / f"{factor}x{jobs}-{run}"
                    command = [sys.executable, "-m", "tests.benchmarks.bench_scale", "--child"]
                    done = subprocess.run(
                        [*command, str(factor), str(jobs), str(out)],
                        cwd=REPO,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    runs.setdefault((factor, jobs), []).append(json.loads(done.stdout.strip().splitlines()[-1]))
    # The median run by time; memory is the largest of any run.
    results = {
        key: {
            **sorted(found, key=lambda one: one["seconds"])[len(found) // 2],
            "parent_mb": max(one["parent_mb"] for one in found),
            "worker_mb": max(one["worker_mb"] for one in found),
        }
        for key, found in runs.items()
    }
    print(f"every pack planned and rendered (after the check a build runs first), median of {arguments.runs} runs")
    print(f"{'course':>7} {'jobs':>4} {'files':>6} {'seconds':>8} {'parent MB':>10} {'worker MB':>10} {'sum MB':>8}")
    for (factor, jobs), found in results.items():
        workers = found["worker_mb"] if jobs > 1 else 0.0
        print(
            f"{factor:>6}x {jobs:>4} {found['files']:>6.0f} {found['seconds']:>8.2f} {found['parent_mb']:>10.0f} "
            f"{workers:>10.0f} {found['parent_mb'] + workers * jobs:>8.0f}"
        )
    for jobs in (1, 2):
        ratio = results[(arguments.factor, jobs)]["seconds"] / results[(1, jobs)]["seconds"]
        print(f"--jobs {jobs}: {arguments.factor}x the course takes {ratio:.1f}x the time (target <= 8x)")
        big = results[(arguments.factor, jobs)]
        memory = big["parent_mb"] + (big["worker_mb"] * jobs if jobs > 1 else 0.0)
        record(
            **{
                f"scale_ratio_jobs{jobs}": ratio,
                f"scale_memory_mb_jobs{jobs}": memory,
                "scale_factor": arguments.factor,
            }
        )


if __name__ == "__main__":
    main()
