"""What commands show in a terminal: tables, plain-text reports and the Rich console.

Texts are translated through ``i18n._`` (the name ``_`` is a loop variable in :func:`report_table`).

The CLI parses options and calls the library; the views here turn the library's results
into what a person reads. Rich is imported only when a view draws.
"""

from __future__ import annotations

import os
import re
from typing import Any

from vastbus_cli import i18n
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
        flag = (
            "  " + i18n._("UNDECLARED: the text changed but the crosswalk does not say so")
            if not change.declared
            else ""
        )
        lines.append(f"\n{i18n._(change.kind).upper():<12} {change.section}{target}{flag}")
        lines.extend("  " + i18n._("note: {note}").format(note=note) for note in change.notes)
        lines.extend(f"  {line}" for line in change.diff)
        lines.extend(
            "  " + i18n._("cited by {file}:{line} ({where})").format(file=c.file, line=c.line, where=c.where)
            for c in change.cited_by
        )
    undeclared = sum(1 for c in changes if not c.declared)
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    summary = ", ".join(f"{n} {i18n._(kind)}" for kind, n in sorted(counts.items()))
    if undeclared:
        summary += "; " + i18n.ngettext("{n} undeclared change", "{n} undeclared changes", undeclared).format(
            n=undeclared
        )
    lines.append("\n" + summary)
    return printable_lines("\n".join(lines)) + "\n"


#: How a section changed, as ``diff`` shows it (the edition files and JSON keep the English values).
CHANGE_KINDS = (
    i18n.N_("unchanged"),
    i18n.N_("editorial"),
    i18n.N_("renamed"),
    i18n.N_("new"),
    i18n.N_("substantive"),
    i18n.N_("split"),
    i18n.N_("merged"),
    i18n.N_("unverified"),
    i18n.N_("withdrawn"),
)


#: Evidence that makes a file outdated comes first, then what names an edition, then the stamp.
EVIDENCE_ORDER = {"term": 0, "claim": 0, "marker": 1, "stamp": 2}


def worst_first(evidence: list[Any]) -> list[Any]:
    """The evidence with what makes a file outdated first, each kind in file order."""
    return sorted(evidence, key=lambda e: EVIDENCE_ORDER.get(e.rule.split("/")[0], 3))


#: Leads the correction under a misconception or outdated term in the scan views.
SAY_INSTEAD = i18n.N_("say instead")

#: A scan's verdicts as people read them; JSON keeps ``current``, ``outdated``, ``unknown``, ``unreadable``.
STATUS_WORDS = {
    "current": i18n.N_("current"),
    "outdated": i18n.N_("outdated"),
    "unknown": i18n.N_("unknown"),
    "unreadable": i18n.N_("unreadable"),
}


def status_word(status: str) -> str:
    """A scan verdict in the current language."""
    return i18n._(STATUS_WORDS[status]) if status in STATUS_WORDS else status


#: Places in a file, as the scan names them (the build's record in a file keeps them in English).
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"slide (?P<n>\d+)"), i18n.N_("slide {n}")),
    (re.compile(r"notes of slide (?P<n>\d+)"), i18n.N_("notes of slide {n}")),
    (re.compile(r"paragraph (?P<n>\d+)"), i18n.N_("paragraph {n}")),
    (re.compile(r"table (?P<n>\d+)"), i18n.N_("table {n}")),
    (re.compile(r"header"), i18n.N_("header")),
    (re.compile(r"footer"), i18n.N_("footer")),
    (re.compile(r"custom properties"), i18n.N_("custom properties")),
)
_REMOVED = " (removed)"


def place(location: str) -> str:
    """A place in a file (``slide 3``, ``notes of slide 3 (removed)``) in the current language."""
    if location.endswith(_REMOVED):
        return i18n._("{place} (removed)").format(place=place(location[: -len(_REMOVED)]))
    if ", " in location:  # the stamp evidence lists the changed places
        return ", ".join(place(part) for part in location.split(", "))
    for pattern, text in _PLACES:
        match = pattern.fullmatch(location)
        if match:
            return i18n._(text).format(**match.groupdict())
    return location


def _evidence_cell(evidence: Any) -> str:
    """One piece of evidence in the table: where and what, then what to say instead."""
    correct = getattr(evidence, "correct", None)
    cell = printable(f"{place(evidence.location)}: {evidence.text}")
    return cell + (f"\n  → {i18n._(SAY_INSTEAD)}: {printable(correct)}" if correct else "")


def scan_text(results: list[Any], edition: str) -> str:
    """``vastbus scan`` as text: a line per file, why it got its status, and a summary."""
    lines = []
    width = max((len(status_word(s)) for s in STATUS_WORDS), default=10) + 1
    indent = " " * (width + 1)
    for result in results:
        edition_text = f" [{result.edition}]" if result.edition else ""
        reason = f" ({result.reason})" if result.reason else ""
        changed = " " + i18n._("(changed after it was built)") if result.modified else ""
        lines.append(f"{status_word(result.status):<{width}} {result.path}{edition_text}{changed}{reason}")
        if result.changed:
            unchanged = result.unchanged
            judged = getattr(result, "judged_lines", 0)
            lines.append(
                indent
                + i18n._("changed since the build: {places}; {unchanged}; {judged}").format(
                    places=", ".join(place(c) for c in result.changed),
                    unchanged=i18n.ngettext(
                        "{n} block unchanged and not judged", "{n} blocks unchanged and not judged", unchanged
                    ).format(n=unchanged),
                    judged=i18n.ngettext(
                        "{n} line added or changed, judged", "{n} lines added or changed, judged", judged
                    ).format(n=judged),
                )
            )
        if result.rule_counts:
            lines.append(
                indent
                + i18n._("matches: {counts}").format(
                    counts=", ".join(f"{r} {n}" for r, n in result.rule_counts.items())
                )
            )
        for e in worst_first(result.evidence)[:10]:
            lines.append(f"{indent}{place(e.location)}: {e.rule}: {e.text}")
            if getattr(e, "correct", None):
                lines.append(f"{indent}  {i18n._(SAY_INSTEAD)}: {e.correct}")
        more = len(result.evidence) - 10 + result.evidence_omitted
        if more > 0:
            lines.append(
                indent
                + (
                    i18n._("… and {n} more (see --format json)")
                    if len(result.evidence) > 10
                    else i18n._("… and {n} more")
                ).format(n=more)
            )
    lines.append(scan_summary(results, edition))
    return printable_lines("\n".join(lines)) + "\n"


def _counted_status(status: str, n: int) -> str:
    """A number of files with a verdict, "2 outdated" (Swedish inflects the word for more than one)."""
    forms = {
        "current": i18n.ngettext("{n} current", "{n} current", n),
        "outdated": i18n.ngettext("{n} outdated", "{n} outdated", n),
        "unknown": i18n.ngettext("{n} unknown", "{n} unknown", n),
        "unreadable": i18n.ngettext("{n} unreadable", "{n} unreadable", n),
    }
    return forms.get(status, f"{{n}} {status}").format(n=n)


def scan_summary(results: list[Any], edition: str) -> str:
    """How many files got each status, and the edition they were compared with.

    "3 files compared with bou-halsa-2023: 1 current, 2 outdated"; statuses no file got are left out.
    """
    counts = {status: sum(1 for r in results if r.status == status) for status in STATUS_WORDS}
    head = i18n.ngettext("{n} file compared with {edition}", "{n} files compared with {edition}", len(results)).format(
        n=len(results), edition=edition
    )
    shown = ", ".join(_counted_status(s, n) for s, n in counts.items() if n)
    return f"{head}: {shown}" if shown else head


def scan_table(results: list[Any], edition: str) -> None:
    """``vastbus scan`` as a table on a terminal."""
    from rich.markup import escape
    from rich.table import Table

    colours = {"current": "green", "outdated": "red", "unknown": "yellow", "unreadable": "magenta"}
    table = Table(i18n._("status"), i18n._("file"), i18n._("edition"), i18n._("evidence"), show_lines=False)
    for result in results:
        first = worst_first(result.evidence)[:3]
        evidence = "\n".join(_evidence_cell(e) for e in first) or (result.reason or "")
        more = len(result.evidence) - 3 + result.evidence_omitted
        if more > 0:
            evidence += "\n" + i18n._("… {n} more").format(n=more)
        # Names, reasons and quoted text come from other people's files: never Rich markup.
        cells = (escape(result.path), escape(printable(result.edition or "")), escape(evidence))
        table.add_row(f"[{colours[result.status]}]{status_word(result.status)}[/]", *cells)
    out = console(stderr=False)  # no colouring of numbers and words in names
    out.print(table)
    out.print(scan_summary(results, edition))
