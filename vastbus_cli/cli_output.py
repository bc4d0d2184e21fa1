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
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.safetext import printable
from vastbus_cli.streams import write_stdout
from vastbus_cli.views import console

WARNING = "[yellow]warning:[/] "
ERROR = "[bold red]error:[/] "
#: The words of the labels, translated where they are printed (the labels are Rich markup).
_LABEL_WORDS = (N_("warning:"), N_("error:"))


def _label(label: str) -> str:
    """A Rich-styled label with its word in the current language."""
    for word in _LABEL_WORDS:
        if word in label:
            return label.replace(word, _(word))
    return label


def say(message: str, label: str = "") -> None:
    """One message on stderr after an optional Rich-styled label; the message is printed as text.

    File names and user text may hold brackets (``[x].yaml``) that Rich would read as markup,
    and control characters (a newline, a terminal escape) that are shown escaped: one line.
    """
    from rich.markup import escape

    console().print(_label(label) + escape(printable(message)))


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
    say(_("wrote {file}").format(file=output))


def step_summary(markdown: str) -> None:
    """On GitHub Actions, add to the job's summary page: annotations stop after a few, the summary does not."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(markdown + "\n")
    except OSError as error:
        say(
            _("could not add to the step summary {file}: {reason}").format(file=target, reason=error.strerror or error),
            WARNING,
        )


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


def _files(n: int) -> str:
    return ngettext("{n} file", "{n} files", n).format(n=n)


def _pdfs(n: int) -> str:
    return ngettext("{n} PDF", "{n} PDFs", n).format(n=n)


def _and(parts: list[str]) -> str:
    """``a``, ``a and b``: the parts that are there, joined as one says them."""
    if len(parts) < 2:
        return "".join(parts)
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def build_summary(result: Any) -> str:
    """What ``build`` did as one statement: the files and PDFs written, then those left as they were.

    A build that wrote only PDFs says so; it never says both "wrote 3 PDFs" and "nothing changed".
    """
    pdf = result.pdf
    written = [_files(len(result.written))] if result.written else []
    unchanged = [_files(len(result.skipped))] if result.skipped else []
    if pdf is not None:
        written += [_pdfs(len(pdf.written))] if pdf.written else []
        unchanged += [_pdfs(len(pdf.skipped))] if pdf.skipped else []
    if written and unchanged:
        text = _("Wrote {written}; unchanged: {unchanged}.").format(written=_and(written), unchanged=_and(unchanged))
    elif written:
        text = _("Wrote {written}.").format(written=_and(written))
    elif unchanged:
        text = _("Nothing changed since the last build; unchanged: {unchanged}.").format(unchanged=_and(unchanged))
    else:
        text = _("Nothing to build.")
    if pdf is not None and pdf.failed:
        text += " " + ngettext("{n} PDF could not be made.", "{n} PDFs could not be made.", len(pdf.failed)).format(
            n=len(pdf.failed)
        )
    return text + " " + _("Manifest: {file}").format(file=result.manifest)


def build_result(result: Any) -> None:
    """What ``build`` did (an ``api.build`` result); exits with 3 when a PDF could not be made."""
    for notice in result.notices:
        say(notice, WARNING)
    warned = ""
    if result.warnings:
        n = len(result.warnings)
        warned = ngettext(
            "{n} warning from check; run 'vastbus check' to see it",
            "{n} warnings from check; run 'vastbus check' to see them",
            n,
        ).format(n=n)
        say(warned)
    if result.pdf is not None:
        for rel, reason in result.pdf.failed:
            say(_("{file}: no PDF: {reason}").format(file=rel, reason=reason), ERROR)
    summary = build_summary(result)
    say(summary)
    step_summary(f"### vastbus build\n\n{summary}" + (f" {warned}" if warned else "") + "\n")
    if result.pdf is not None and result.pdf.failed:
        raise typer.Exit(3)


def shipped_notice(scanned: Any) -> None:
    """Outside a workspace, say which editions ``scan`` compared with: those shipped with vastbus."""
    if not getattr(scanned, "shipped", False):
        return
    from vastbus_cli import __version__

    say(
        _(
            "No workspace here: compared with the guideline editions shipped with vastbus {version}: "
            "{editions} (in force: {current})"
        ).format(version=__version__, editions=", ".join(scanned.editions), current=scanned.edition)
    )


#: The words ``review`` and ``upgrade`` use for what they did to a ref, as people read them.
ACTIONS = {
    "reviewed": N_("reviewed"),
    "skipped": N_("skipped"),
    "renamed": N_("renamed"),
    "restamped": N_("restamped"),
    "review": N_("to review"),
    "kept": N_("kept"),
    "built_on": N_("built_on"),
}


def action_word(action: str) -> str:
    """An action of ``review``/``upgrade`` in the current language (an unknown one as it is)."""
    return _(ACTIONS[action]) if action in ACTIONS else action


def edition_rows(rows: list[Any]) -> None:
    """``editions`` as text: the one in force marked with ``*``."""
    for row in rows:
        marker = "*" if row.current else " "
        supersedes = _(", supersedes {edition}").format(edition=row.supersedes) if row.supersedes else ""
        write_stdout(
            printable(f"{marker} {row.id:<16} {row.valid_from:<11} {row.kind:<16} {row.title}{supersedes}") + "\n"
            f"  {'':<16} {printable(row.note)}\n"
        )


def review_result(result: Any, dry_run: bool) -> None:
    """What ``review`` changed, or would change."""
    for change in result.changes:
        write_stdout(
            printable(f"{change.file}:{change.line}: {action_word(change.action)} {change.section} ({change.detail})")
            + "\n"
        )
    if dry_run:
        n = len({c.file for c in result.changes if c.action == "reviewed"})
        say(ngettext("would change {n} file", "would change {n} files", n).format(n=n))
    else:
        n = len(result.files_written)
        say(ngettext("wrote {n} file", "wrote {n} files", n).format(n=n))


def upgrade_result(result: Any, write: bool) -> None:
    """What ``upgrade`` changed, or would change, and a count of each action."""
    counts: dict[str, int] = {}
    for change in result.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
        where = f"{change.file}:{change.line}" if change.line else change.file
        section = f" {change.section}" if change.section else ""
        write_stdout(printable(f"{where}: {action_word(change.action)}{section}: {change.detail}") + "\n")
    summary = ", ".join(f"{n} {action_word(action)}" for action, n in sorted(counts.items())) or _("nothing to do")
    say(summary if write else _("dry run (add --write to apply): {summary}").format(summary=summary))


def version_problems(problems: list[tuple[Any, list[Any]]]) -> None:
    """Why a course version given to ``changes`` does not load: its findings, then one line per version."""
    for version, found in problems:
        for f in found:
            place = f"{version.where}{f.file}" + (f":{f.line}:{f.column}" if f.line else "")
            hint = f" ({f.hint})" if f.hint else ""
            say(f"{place}: {_('error')} {f.rule} {f.message}{hint}")
        if found:
            say(
                ngettext(
                    "{version} does not load ({n} problem); fix it, or compare other versions",
                    "{version} does not load ({n} problems); fix it, or compare other versions",
                    len(found),
                ).format(version=version.label, n=len(found)),
                ERROR,
            )


def site_result(result: Any, thumbnails: bool, start_page: Path, *, allow_stale: bool = False) -> None:
    """What ``site`` wrote, and what to do before publishing it: stale packs last, one line per pack."""
    if thumbnails and result.thumbnails:
        say(result.thumbnails, WARNING)
    for notice in result.notices:
        say(notice, WARNING)
    kept = ""
    if result.kept:
        kept = ngettext(
            ", kept {n} thumbnail of earlier runs (--clean removes it)",
            ", kept {n} thumbnails of earlier runs (--clean removes them)",
            len(result.kept),
        ).format(n=len(result.kept))
    say(
        _("wrote {written}, {unchanged} unchanged, removed {removed}{kept}; start page: {page}").format(
            written=_files(len(result.written)),
            unchanged=len(result.unchanged),
            removed=len(result.removed),
            kept=kept,
            page=start_page,
        )
    )
    if result.stale_packs:
        packs = stale_by_pack(result.stale_packs)
        then = "" if allow_stale else _(" (or pass --allow-stale to publish them as they are)")
        say(
            ngettext(
                "{files} in {n} pack are older than their inputs (the course, a district's local part, the "
                "templates); their pages say so. Run 'vastbus build', then 'vastbus site' again, before you "
                "publish{then}:",
                "{files} in {n} packs are older than their inputs (the course, a district's local part, the "
                "templates); their pages say so. Run 'vastbus build', then 'vastbus site' again, before you "
                "publish{then}:",
                len(packs),
            ).format(files=_files(len(result.stale_packs)), n=len(packs), then=then),
            WARNING if allow_stale else ERROR,
        )
        for line in packs[:STALE_SHOWN]:
            say(f"  {line}")
        if len(packs) > STALE_SHOWN:
            more = len(packs) - STALE_SHOWN
            say(
                "  "
                + ngettext(
                    "… and {n} more pack; 'vastbus report' shows them all",
                    "… and {n} more packs; 'vastbus report' shows them all",
                    more,
                ).format(n=more)
            )


#: How many stale packs ``site`` lists; the rest are counted.
STALE_SHOWN = 20


def stale_by_pack(files: list[str]) -> list[str]:
    """``angered/forskola/slides.pptx``… as one line per pack: ``angered/forskola: slides.pptx, handout.docx``."""
    packs: dict[str, list[str]] = {}
    for rel in files:
        folder, _, name = rel.rpartition("/")
        packs.setdefault(folder, []).append(name)
    return [f"{folder}: {', '.join(names)}" for folder, names in packs.items()]
