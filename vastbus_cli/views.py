"""What commands show in a terminal: tables, plain-text reports and the Rich console.

The CLI parses options and calls the library; the views here turn the library's results
into what a person reads. Rich is imported only when a view draws.
"""

from __future__ import annotations

import os
from typing import Any

from vastbus_cli.safetext import printable, printable_lines


def console(*, stderr: bool = True) -> Any:
    """A Rich console; with NO_COLOR set (to anything but empty) it writes no styling at all, bold included."""
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    # Rich alone drops only the colours for NO_COLOR; without a colour system it drops every style.
    options: dict[str, Any] = {"color_system": None} if plain else {}
    return Console(stderr=stderr, highlight=False, soft_wrap=stderr, **options)


def diff_text(old: str, new: str, changes: list[Any]) -> str:
    """``vastbus diff`` as text: each section's change, its diff, notes and what cites it, then counts.

    Text from the guideline files is shown with control characters escaped (:func:`printable`).
    """
    lines = [f"{old} → {new}"]
    for change in changes:
        target = f" → {', '.join(change.new_ids)}" if change.new_ids != [change.section] else ""
        flag = "  UNDECLARED: the text changed but the crosswalk does not say so" if not change.declared else ""
        lines.append(f"\n{change.kind.upper():<12} {change.section}{target}{flag}")
        lines.extend(f"  note: {note}" for note in change.notes)
        lines.extend(f"  {line}" for line in change.diff)
        lines.extend(f"  cited by {c.file}:{c.line} ({c.where})" for c in change.cited_by)
    undeclared = sum(1 for c in changes if not c.declared)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    lines.append(
        "\n"
        + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        + (f"; {undeclared} undeclared change(s)" if undeclared else "")
    )
    return printable_lines("\n".join(lines)) + "\n"


#: Evidence that makes a file outdated comes first, then what names an edition, then the stamp.
EVIDENCE_ORDER = {"term": 0, "claim": 0, "marker": 1, "stamp": 2}


def worst_first(evidence: list[Any]) -> list[Any]:
    """The evidence with what makes a file outdated first, each kind in file order."""
    return sorted(evidence, key=lambda e: EVIDENCE_ORDER.get(e.rule.split("/")[0], 3))


#: Leads the correction under a misconception or outdated term in the scan views.
SAY_INSTEAD = "say instead"


def _evidence_cell(evidence: Any) -> str:
    """One piece of evidence in the table: where and what, then what to say instead."""
    correct = getattr(evidence, "correct", None)
    cell = printable(f"{evidence.location}: {evidence.text}")
    return cell + (f"\n  → {SAY_INSTEAD}: {printable(correct)}" if correct else "")


def scan_text(results: list[Any], edition: str) -> str:
    """``vastbus scan`` as text: a line per file, why it got its status, and a summary."""
    lines = []
    for result in results:
        edition_text = f" [{result.edition}]" if result.edition else ""
        reason = f" ({result.reason})" if result.reason else ""
        changed = " (changed after it was built)" if result.modified else ""
        lines.append(f"{result.status:<10} {result.path}{edition_text}{changed}{reason}")
        if result.changed:
            lines.append(
                f"           changed since the build: {', '.join(result.changed)}; "
                f"{result.unchanged} block(s) unchanged and not judged; "
                f"{getattr(result, 'judged_lines', 0)} line(s) added or changed, judged"
            )
        if result.rule_counts:
            lines.append("           matches: " + ", ".join(f"{rule} {n}" for rule, n in result.rule_counts.items()))
        for e in worst_first(result.evidence)[:10]:
            lines.append(f"           {e.location}: {e.rule}: {e.text}")
            if getattr(e, "correct", None):
                lines.append(f"             {SAY_INSTEAD}: {e.correct}")
        more = len(result.evidence) - 10 + result.evidence_omitted
        if more > 0:
            lines.append(
                f"           … and {more} more" + (" (see --format json)" if len(result.evidence) > 10 else "")
            )
    lines.append(scan_summary(results, edition))
    return printable_lines("\n".join(lines)) + "\n"


def scan_summary(results: list[Any], edition: str) -> str:
    """How many files got each status, and the edition they were compared with."""
    counts = {
        status: sum(1 for r in results if r.status == status)
        for status in ("current", "outdated", "unknown", "unreadable")
    }
    return f"{len(results)} file(s): " + ", ".join(f"{n} {s}" for s, n in counts.items()) + f"; compared with {edition}"


def scan_table(results: list[Any], edition: str) -> None:
    """``vastbus scan`` as a table on a terminal."""
    from rich.markup import escape
    from rich.table import Table

    colours = {"current": "green", "outdated": "red", "unknown": "yellow", "unreadable": "magenta"}
    table = Table("status", "file", "edition", "evidence", show_lines=False)
    for result in results:
        first = worst_first(result.evidence)[:3]
        evidence = "\n".join(_evidence_cell(e) for e in first) or (result.reason or "")
        more = len(result.evidence) - 3 + result.evidence_omitted
        if more > 0:
            evidence += f"\n… {more} more"
        # Names, reasons and quoted text come from other people's files: never Rich markup.
        cells = (escape(result.path), escape(printable(result.edition or "")), escape(evidence))
        table.add_row(f"[{colours[result.status]}]{result.status}[/]", *cells)
    out = console(stderr=False)  # no colouring of numbers and words in names
    out.print(table)
    out.print(scan_summary(results, edition))
