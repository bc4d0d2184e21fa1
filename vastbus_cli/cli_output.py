"""What the commands print: messages on stderr, output to stdout or a file, progress bars, results.

Part of the CLI layer, with :mod:`vastbus_cli.cli` (which parses options and calls the API)
and :mod:`vastbus_cli.cli_options`. The results it prints come from the API; it calls nothing
of the library itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from vastbus_cli.errors import VastbusError
from vastbus_cli.safetext import printable
from vastbus_cli.streams import write_stdout
from vastbus_cli.views import console

WARNING = "[yellow]warning:[/] "
ERROR = "[bold red]error:[/] "


def say(message: str, label: str = "") -> None:
    """One message on stderr after an optional Rich-styled label; the message is printed as text.

    File names and user text may hold brackets (``[x].yaml``) that Rich would read as markup,
    and control characters (a newline, a terminal escape) that are shown escaped: one line.
    """
    from rich.markup import escape

    console().print(label + escape(printable(message)))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a VastbusError into one line on stderr and its exit code; never a traceback."""
    try:
        yield
    except VastbusError as error:
        say(str(error), ERROR)
        raise typer.Exit(error.exit_code) from None


def to_stdout(path: Path) -> bool:
    """``-``: the conventional name for standard output."""
    return str(path) == "-"


def emit(text: str, output: Path | None) -> None:
    """Write to stdout, or to the file ``output`` names (see :func:`vastbus_cli.fsio.write_output`)."""
    if output is None or to_stdout(output):
        write_stdout(text)
        return
    from vastbus_cli.fsio import write_output

    write_output(output, text)
    say(f"wrote {output}")


def step_summary(markdown: str) -> None:
    """On GitHub Actions, add to the job's summary page: annotations stop after a few, the summary does not."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(markdown + "\n")
    except OSError as error:
        say(f"could not add to the step summary {target}: {error.strerror or error}", WARNING)


Advance = Callable[[int, int], None]


@contextmanager
def progress(watched: bool, *labels: str) -> Iterator[list[Advance | None]]:
    """One progress bar per label, shown once its work starts; none when nobody watches."""
    if not watched:
        yield [None for _ in labels]
        return
    from rich.progress import Progress

    with Progress(transient=True, console=console()) as bar:

        def bar_for(label: str) -> Advance:
            task: list[Any] = []

            def advance(done: int, total: int) -> None:
                if not task:
                    task.append(bar.add_task(label, total=total))
                bar.update(task[0], completed=done, total=total)

            return advance

        yield [bar_for(label) for label in labels]


def build_result(result: Any) -> None:
    """What ``build`` did (an ``api.build`` result); exits with 3 when a PDF could not be made."""
    for notice in result.notices:
        say(notice, WARNING)
    if result.warnings:
        say(f"{len(result.warnings)} warning(s) from check; run 'vastbus check' to see them")
    say(f"wrote {len(result.written)} file(s), skipped {len(result.skipped)} unchanged; manifest: {result.manifest}")
    if result.pdf is not None:
        say(f"wrote {len(result.pdf.written)} PDF(s), skipped {len(result.pdf.skipped)} unchanged")
        for rel, reason in result.pdf.failed:
            say(f"{rel}: no PDF: {reason}", "[red]error:[/] ")
    step_summary(
        f"### vastbus build\n\n{len(result.written)} file(s) written, {len(result.skipped)} unchanged, "
        f"{len(result.warnings)} warning(s) from check; manifest: `{result.manifest}`\n"
    )
    if not result.written:
        say("nothing changed since the last build")
    if result.pdf is not None and result.pdf.failed:
        raise typer.Exit(3)


def edition_rows(rows: list[Any]) -> None:
    """``editions`` as text: the one in force marked with ``*``."""
    for row in rows:
        marker = "*" if row.current else " "
        supersedes = f", supersedes {row.supersedes}" if row.supersedes else ""
        write_stdout(
            printable(f"{marker} {row.id:<16} {row.valid_from:<11} {row.kind:<16} {row.title}{supersedes}") + "\n"
            f"  {'':<16} {printable(row.note)}\n"
        )


def review_result(result: Any, dry_run: bool) -> None:
    """What ``review`` changed, or would change."""
    for change in result.changes:
        write_stdout(
            printable(f"{change.file}:{change.line}: {change.action} {change.section} ({change.detail})") + "\n"
        )
    if dry_run:
        say(f"would change {len({c.file for c in result.changes if c.action == 'reviewed'})} file(s)")
    else:
        say(f"wrote {len(result.files_written)} file(s)")


def upgrade_result(result: Any, write: bool) -> None:
    """What ``upgrade`` changed, or would change, and a count of each action."""
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        where = f"{change.file}:{change.line}" if change.line else change.file
        section = f" {change.section}" if change.section else ""
        write_stdout(printable(f"{where}: {change.action}{section}: {change.detail}") + "\n")
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to do"
    say(("" if write else "dry run (add --write to apply): ") + summary)


def version_problems(problems: list[tuple[Any, list[Any]]]) -> None:
    """Why a course version given to ``changes`` does not load: its findings, then one line per version."""
    for version, found in problems:
        for f in found:
            place = f"{version.where}{f.file}" + (f":{f.line}:{f.column}" if f.line else "")
            hint = f" ({f.hint})" if f.hint else ""
            say(f"{place}: error {f.rule} {f.message}{hint}")
        if found:
            say(
                f"{version.label} does not load ({len(found)} problem(s)); fix it, or compare other versions",
                ERROR,
            )


def site_result(result: Any, thumbnails: bool, start_page: Path, *, allow_stale: bool = False) -> None:
    """What ``site`` wrote, and what to do before publishing it: stale packs last, one line per pack."""
    if thumbnails and result.thumbnails:
        say(result.thumbnails, WARNING)
    for notice in result.notices:
        say(notice, WARNING)
    kept = f", kept {len(result.kept)} thumbnail(s) of earlier runs (--clean removes them)" if result.kept else ""
    say(
        f"wrote {len(result.written)} file(s), {len(result.unchanged)} unchanged, "
        f"removed {len(result.removed)}{kept}; start page: {start_page}"
    )
    if result.stale_packs:
        packs = stale_by_pack(result.stale_packs)
        then = "" if allow_stale else " (or pass --allow-stale to publish them as they are)"
        say(
            f"{len(result.stale_packs)} file(s) in {len(packs)} pack(s) are older than their inputs (the course, "
            f"a district's local part, the templates); their pages say so. Run 'vastbus build', then 'vastbus site' "
            f"again, before you publish{then}:",
            WARNING if allow_stale else ERROR,
        )
        for line in packs[:STALE_SHOWN]:
            say(f"  {line}")
        if len(packs) > STALE_SHOWN:
            say(f"  … and {len(packs) - STALE_SHOWN} more pack(s); 'vastbus report' shows them all")


#: How many stale packs ``site`` lists; the rest are counted.
STALE_SHOWN = 20


def stale_by_pack(files: list[str]) -> list[str]:
    """``angered/forskola/slides.pptx``… as one line per pack: ``angered/forskola: slides.pptx, handout.docx``."""
    packs: dict[str, list[str]] = {}
    for rel in files:
        folder, _, name = rel.rpartition("/")
        packs.setdefault(folder, []).append(name)
    return [f"{folder}: {', '.join(names)}" for folder, names in packs.items()]
