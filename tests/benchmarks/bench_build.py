"""Benchmark: ``vastbus build`` on the shipped workspace, and one deck next to pandoc.

Run from the repository: ``python -m tests.benchmarks.bench_build [--runs N]``.
Needs ``pip install '.[bench]'`` for the pandoc comparison (pypandoc-binary bundles
pandoc). Measures:

- a cold build of every pack (empty output folder), with all cores;
- a rebuild with nothing changed;
- one pack (central, one audience, all three files);
- one deck: vastbus's writer next to pandoc converting the same slides, written as
  the equivalent Markdown (slide titles, bullets, speaker notes, the picture);
- the handout and the trainer guide: vastbus's writer next to pandoc converting the same
  blocks (headings, paragraphs, lists, tables, quotes) written as Markdown.
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from tests.benchmarks.common import REPO, table


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
    runs = parser.parse_args().runs
    compileall.compile_dir(REPO / "vastbus_cli", quiet=1)
    vastbus = [sys.executable, "-m", "vastbus_cli"]
    scratch = Path(tempfile.mkdtemp(prefix="vastbus-bench-"))
    try:
        cold, warm, one_pack = [], [], []
        for run in range(runs):
            out = scratch / f"full{run}"
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
                },
                "cold build of every pack (all cores)",
            )
        )
        _zip_floor(scratch / "full0", statistics.median(cold))
        _compare_with_pandoc(scratch, runs * 3)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _zip_floor(built: Path, cold: float) -> None:
    """The physical floor of a build: deflating and writing the same zip entries, and nothing else."""
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
    print(
        f"\nfloor: deflating and writing the same {len(packages)} packages' entries, one core: {least:.2f} s; "
        f"cold build (all cores, checks and start-up included) {cold:.2f} s = {cold / least:.2f}x the floor "
        "(target <= 2x)"
    )


def _compare_with_pandoc(scratch: Path, runs: int) -> None:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        print("\npandoc comparison skipped: pip install '.[bench]' (pypandoc-binary)")
        return
    from vastbus_cli import api
    from vastbus_cli.build import Job, plan_all, render_file

    workspace = api.open_workspace(REPO)
    plan = plan_all(workspace, districts=["central"], audiences=["bvc"])[0]
    markdown = scratch / "deck.md"
    markdown.write_text(_markdown(plan), encoding="utf-8")
    pandoc = pypandoc.get_pandoc_path()
    template = REPO / "templates" / "slides.pptx"
    ours, theirs, ours_cli = [], [], []
    for run in range(runs):
        start = time.perf_counter()
        render_file(plan, Job("deck", "slides", str(template), "bench", str(scratch / f"ours{run}.pptx"), None))
        ours.append(time.perf_counter() - start)
        theirs.append(_time([pandoc, str(markdown), "-o", str(scratch / f"pandoc{run}.pptx")], cwd=scratch))
        ours_cli.append(_time(_central_bvc(scratch / f"cli{run}", "pptx")))
    print(f"\none deck of {len(plan.slides)} slides, {runs} runs each (pandoc {pypandoc.get_pandoc_version()})")
    print(
        table(
            {
                "pandoc deck.md -o deck.pptx (process)": theirs,
                "vastbus deck writer (in process)": ours,
                "vastbus build --format pptx, one deck (process)": ours_cli,
            },
            "pandoc deck.md -o deck.pptx (process)",
        )
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"target: one deck faster than pandoc's -> writer takes {ratio:.2f}x pandoc's time")
    _compare_documents_with_pandoc(scratch, runs, plan, pandoc)


def _compare_documents_with_pandoc(scratch: Path, runs: int, plan: object, pandoc: str) -> None:
    """The handout and the trainer guide, ours against pandoc converting the same blocks."""
    from vastbus_cli.build import Job, render_file

    sources = {}
    for part in ("handout", "guide"):
        sources[part] = scratch / f"{part}.md"
        sources[part].write_text(_document_markdown(getattr(plan, part)), encoding="utf-8")
    template = {"handout": REPO / "templates" / "handout.docx", "guide": REPO / "templates" / "trainer-guide.docx"}
    ours, theirs, ours_cli = [], [], []
    for run in range(runs):
        start = time.perf_counter()
        for part in ("handout", "guide"):
            out = scratch / f"ours-{part}{run}.docx"
            render_file(plan, Job(part, part, str(template[part]), "bench", str(out), None))  # type: ignore[arg-type]
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        for part in ("handout", "guide"):
            _time([pandoc, str(sources[part]), "-o", str(scratch / f"pandoc-{part}{run}.docx")], cwd=scratch)
        theirs.append(time.perf_counter() - start)
        ours_cli.append(_time(_central_bvc(scratch / f"cli-docx{run}", "docx")))
    blocks = sum(len(getattr(plan, part).blocks) for part in ("handout", "guide"))
    print(f"\nhandout + trainer guide ({blocks} blocks), {runs} runs each")
    print(
        table(
            {
                "pandoc handout.md + guide.md -> .docx (2 processes)": theirs,
                "vastbus docx writer, both (in process)": ours,
                "vastbus build --format docx, both (process)": ours_cli,
            },
            "pandoc handout.md + guide.md -> .docx (2 processes)",
        )
    )


if __name__ == "__main__":
    main()
