"""Benchmark: ``vastbus build`` on the shipped workspace, and one deck next to pandoc.

Run from the repository: ``python -m tests.benchmarks.bench_build [--runs N]``.
Needs ``pip install '.[bench]'`` for the pandoc comparison (pypandoc-binary bundles
pandoc). Measures:

- a cold build of every pack (empty output folder), with all cores;
- a rebuild with nothing changed;
- ``vastbus check``, which every build runs first;
- the floors: deflating and writing every zip entry on one core, and each distinct entry once
  over two processes after the check;
- one pack (central, one audience, all three files);
- one deck: vastbus's writer next to pandoc converting the same slides, written as
  the equivalent Markdown (slide titles, bullets, speaker notes, the picture);
- the handout and the trainer guide: vastbus's writer next to pandoc converting the same
  blocks (headings, paragraphs, lists, tables, quotes) written as Markdown.
"""

from __future__ import annotations

import argparse
import compileall
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

from tests.benchmarks.common import REPO, record, table


def _time(command: list[str], cwd: Path = REPO) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr.decode()[-800:]}")
    return elapsed


def _central_bvc(out: Path, file_format: str) -> list[str]:
    """The command that builds one format of the central BVC pack, as a trainer would run it."""
    command = [sys.executable, "-m", "vastbus_cli", "build", "--out", str(out), "--district", "central"]
    return [*command, "--audience", "bvc", "--format", file_format]


def _fresh_writer(what: str, out: Path) -> float:
    """Seconds our writers take for the central BVC deck or its two documents, in a fresh process.

    Timed inside that process around the writing alone, after planning; fresh, so nothing
    the writers keep from one file to the next (a template read, a shape drawn) is warm.
    """
    command = [sys.executable, "-m", "tests.benchmarks.bench_build", "--write-once", what, str(out)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {result.stderr[-800:]}")
    return float(result.stdout.split()[-1])


def _write_once(what: str, out: Path) -> None:
    from vastbus_cli import api
    from vastbus_cli.build import Job, plan_all, render_file

    plan = plan_all(api.open_workspace(REPO), districts=["central"], audiences=["bvc"])[0]
    parts = ["slides"] if what == "slides" else ["handout", "guide"]
    templates = {"slides": "slides.pptx", "handout": "handout.docx", "guide": "trainer-guide.docx"}
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for part in parts:
        template = REPO / "templates" / templates[part]
        render_file(plan, Job(part, part, str(template), "bench", str(out / f"{part}.zip"), None))  # type: ignore[arg-type]
    print(time.perf_counter() - start)


def _markdown(plan: object) -> str:
    """The deck as pandoc Markdown: one level-1 heading per slide."""
    lines = []
    for slide in plan.slides:  # type: ignore[attr-defined]
        lines.append(f"# {slide.title}\n")
        if slide.columns:
            lines.append(":::::: columns")
            for column in slide.columns:
                lines.append("::: column")
                lines.append(f"**{column.heading}**\n")
                lines.extend(f"- {bullet}" for bullet in column.bullets)
                lines.append(":::")
            lines.append("::::::")
        else:
            lines.extend(f"- {bullet}" for bullet in slide.bullets if bullet)
        if slide.image:
            lines.append(f"\n![{slide.image.alt}]({slide.image.path})")
        if slide.notes:
            lines.append("\n::: notes\n" + slide.notes + "\n:::")
        lines.append("")
    return "\n".join(lines)


def _document_markdown(document: object) -> str:
    """A Word document plan as pandoc Markdown, block for block (diagrams as their title)."""
    lines: list[str] = []
    for block in document.blocks:  # type: ignore[attr-defined]
        if block.kind in ("title", "heading"):
            lines.append("#" * (1 if block.kind == "title" else block.level + 1) + " " + block.text)
        elif block.kind in ("bullets", "checklist"):
            lines.extend(f"- {item}" for item in block.items)
        elif block.kind == "numbered":
            lines.extend(f"{number}. {item}" for number, item in enumerate(block.items, 1))
        elif block.kind == "quote":
            lines.append(f"> {block.text}\n>\n> {block.source}")
        elif block.kind == "table" and block.rows:
            header, *rows = block.rows
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines.extend("| " + " | ".join(row) + " |" for row in rows)
        elif block.kind == "diagram" and block.diagram is not None:
            lines.append(f"**{block.diagram.title}**")
        elif block.kind == "page-break":
            lines.append("\\newpage")
        elif block.text:
            lines.append(f"**{block.text}**" if block.strong else block.text)
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Print the timing tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write-once", nargs=2, metavar=("slides|documents", "OUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.write_once:
        _write_once(arguments.write_once[0], Path(arguments.write_once[1]))
        return
    runs = arguments.runs
    compileall.compile_dir(REPO / "vastbus_cli", quiet=1)
    vastbus = [sys.executable, "-m", "vastbus_cli"]
    scratch = Path(tempfile.mkdtemp(prefix="vastbus-bench-"))
    try:
        cold, warm, one_pack, check = [], [], [], []
        for run in range(runs):
            out = scratch / f"full{run}"
            check.append(_time([*vastbus, "check"]))
            cold.append(_time([*vastbus, "build", "--out", str(out)]))
            warm.append(_time([*vastbus, "build", "--out", str(out)]))
            one_pack.append(
                _time(
                    [
                        *vastbus,
                        "build",
                        "--out",
                        str(scratch / f"one{run}"),
                        "--district",
                        "central",
                        "--audience",
                        "bvc",
                    ]
                )
            )
        files = sum(1 for path in (scratch / "full0").rglob("*") if path.suffix in (".pptx", ".docx"))
        print(f"vastbus build on the shipped workspace ({files} files), {runs} runs each")
        print(
            table(
                {
                    "cold build of every pack (all cores)": cold,
                    "rebuild with nothing changed": warm,
                    "one pack (central, bvc: 3 files)": one_pack,
                    "vastbus check (the first step of every build)": check,
                },
                "cold build of every pack (all cores)",
            )
        )
        record(files=files, cold_build=statistics.median(cold), no_change_build=statistics.median(warm))
        _zip_floor(scratch / "full0", statistics.median(cold), statistics.median(check))
        _compare_with_pandoc(scratch, runs * 3)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _zip_floor(built: Path, cold: float, check: float) -> None:
    """The floors of a build: deflating and writing its zip entries, all of them or each distinct one once.

    The first is the issue's floor: every entry of every file deflated and written, one core.
    The build deflates a part it has seen before only once per worker (the template's, a
    slide every district shares), so the second is stricter: every distinct entry deflated
    once, split over two processes as the build's workers are, the built files written, and
    the check that every build runs first.
    """
    packages = []
    for path in sorted(built.rglob("*")):
        if path.suffix in (".pptx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                packages.append([(info, archive.read(info)) for info in archive.infolist()])
    floor = []
    for run in range(3):
        target = built.parent / f"floor{run}"
        target.mkdir()
        start = time.perf_counter()
        for number, entries in enumerate(packages):
            with zipfile.ZipFile(target / f"{number}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for info, data in entries:
                    archive.writestr(info, data)
        floor.append(time.perf_counter() - start)
    least = statistics.median(floor)
    record(deflate_floor=least)
    print(
        f"\nfloor: deflating and writing the same {len(packages)} packages' entries, one core: {least:.2f} s; "
        f"cold build (all cores, checks and start-up included) {cold:.2f} s = {cold / least:.2f}x the floor "
        "(target <= 2x)"
    )
    _DISTINCT.extend(dict.fromkeys(data for entries in packages for _, data in entries))
    files = [path.read_bytes() for path in sorted(built.rglob("*")) if path.suffix in (".pptx", ".docx")]
    strict = []
    for run in range(3):
        target = built.parent / f"strict{run}"
        target.mkdir()
        start = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(2) as pool:
            pool.map(_deflate_share, [(0, 2), (1, 2)])
        for number, data in enumerate(files):
            (target / f"{number}.zip").write_bytes(data)
        strict.append(time.perf_counter() - start)
    distinct = statistics.median(strict)
    megabytes = sum(map(len, _DISTINCT)) / 1e6
    print(
        f"stricter floor: `vastbus check` {check:.2f} s, then each of the {len(_DISTINCT)} distinct entries "
        f"({megabytes:.0f} MB) deflated once over two processes and the files written {distinct:.2f} s: "
        f"{check + distinct:.2f} s; the cold build is {cold / (check + distinct):.2f}x that"
    )


#: The distinct zip entries of a build, inherited by the forked processes that deflate them.
_DISTINCT: list[bytes] = []


def _deflate_share(share: tuple[int, int]) -> None:
    index, of = share
    for data in _DISTINCT[index::of]:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        compressor.compress(data)
        compressor.flush()
        zlib.crc32(data)


def _compare_with_pandoc(scratch: Path, runs: int) -> None:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        print("\npandoc comparison skipped: pip install '.[bench]' (pypandoc-binary)")
        return
    from vastbus_cli import api
    from vastbus_cli.build import plan_all

    workspace = api.open_workspace(REPO)
    plan = plan_all(workspace, districts=["central"], audiences=["bvc"])[0]
    markdown = scratch / "deck.md"
    markdown.write_text(_markdown(plan), encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    ours, theirs, ours_cli = [], [], []
    for run in range(runs):
        ours.append(_fresh_writer("slides", scratch / f"ours{run}"))
        theirs.append(_time([pandoc, str(markdown), "-o", str(scratch / f"pandoc{run}.pptx")], cwd=scratch))
        ours_cli.append(_time(_central_bvc(scratch / f"cli{run}", "pptx")))
    print(f"\none deck of {len(plan.slides)} slides, {runs} runs each (pandoc {pypandoc.get_pandoc_version()})")
    print(
        table(
            {
                "pandoc deck.md -o deck.pptx (process)": theirs,
                "vastbus deck writer (in a fresh process, timed inside)": ours,
                "vastbus build --format pptx, one deck (process)": ours_cli,
            },
            "pandoc deck.md -o deck.pptx (process)",
        )
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"target: one deck faster than pandoc's -> writer takes {ratio:.2f}x pandoc's time")
    record(
        deck_pandoc=statistics.median(theirs),
        deck_writer=statistics.median(ours),
        deck_process=statistics.median(ours_cli),
    )
    _compare_documents_with_pandoc(scratch, runs, plan, pandoc)


def _compare_documents_with_pandoc(scratch: Path, runs: int, plan: object, pandoc: str) -> None:
    """The handout and the trainer guide, ours against pandoc converting the same blocks."""
    sources = {}
    for part in ("handout", "guide"):
        sources[part] = scratch / f"{part}.md"
        sources[part].write_text(_document_markdown(getattr(plan, part)), encoding="utf-8")
    ours, theirs, ours_cli = [], [], []
    for run in range(runs):
        ours.append(_fresh_writer("documents", scratch / f"ours-docx{run}"))
        start = time.perf_counter()
        for part in ("handout", "guide"):
            _time([pandoc, str(sources[part]), "-o", str(scratch / f"pandoc-{part}{run}.docx")], cwd=scratch)
        theirs.append(time.perf_counter() - start)
        ours_cli.append(_time(_central_bvc(scratch / f"cli-docx{run}", "docx")))
    record(
        documents_pandoc=statistics.median(theirs),
        documents_writer=statistics.median(ours),
        documents_process=statistics.median(ours_cli),
    )
    blocks = sum(len(getattr(plan, part).blocks) for part in ("handout", "guide"))
    print(f"\nhandout + trainer guide ({blocks} blocks), {runs} runs each")
    print(
        table(
            {
                "pandoc handout.md + guide.md -> .docx (2 processes)": theirs,
                "vastbus docx writer, both (in a fresh process, timed inside)": ours,
                "vastbus build --format docx, both (process)": ours_cli,
            },
            "pandoc handout.md + guide.md -> .docx (2 processes)",
        )
    )


if __name__ == "__main__":
    main()
