"""The report as plain text for a terminal or an e-mail, and as CSV for a spreadsheet."""

from __future__ import annotations

import textwrap

from vastbus_cli.report.compute import DistrictRow, Report, Training
from vastbus_cli.report.survey import survey_lines
from vastbus_cli.report.words import (
    COUNTED,
    LABELS,
    LOCAL_PART,
    PROPOSALS,
    SCANNED,
    TRAINING,
    UNPLACED,
    grouped_steps,
    local_words,
    summary_line,
)
from vastbus_cli.safetext import csv_cell, printable_lines


def as_csv(report: Report) -> str:
    """One row per district and audience, for a spreadsheet: Swedish headers, ';' between fields.

    Starts with a byte-order mark and separates with semicolons, as Excel with Swedish settings
    expects, so å, ä and ö and the columns come out right when the file is double-clicked.
    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (a district
    named ``=HYPERLINK(…)``) gets a leading ``'`` so a spreadsheet shows it as text and never
    runs it as a formula (``safetext.csv_cell``).
    """
    import csv
    import io

    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "område_id",
            "område",
            "yrkesgrupp_id",
            "yrkesgrupp",
            "material",
            "senast_utbildad",
            "utgåva_vid_utbildning",
            "utbildning",
            "tillfällen",
            "deltagare",
            "lokal_del",
            "lokal_del_ej_bekräftade",
            "lokal_del_bekräftad",
        ]
    )
    for row in report.rows:
        for audience, audience_name in report.audiences:
            last = report.trained.get((row.id, audience))
            state = report.training(row.id, audience)
            writer.writerow(
                csv_cell(value)
                for value in [
                    row.id,
                    row.name,
                    audience,
                    audience_name,
                    LABELS[row.cells[audience].status][1],
                    last.date.isoformat() if last else "",
                    last.edition if last else "",
                    TRAINING[state][1] if report.has_records else "",
                    last.sessions if last else 0,
                    last.participants if last else 0,
                    LOCAL_PART[row.local.state][1] if row.local else "",
                    row.local.pending if row.local else "",
                    row.local.confirmed_on.isoformat() if row.local and row.local.confirmed_on else "",
                ]
            )
    return "\ufeff" + output.getvalue()


def as_text(report: Report) -> str:
    """A plain summary in Swedish: the summary line, one line per district, then proposed examples."""
    # Wrapped at 80 columns: the report is read in a terminal or pasted into an e-mail.
    lines = [
        *textwrap.wrap(summary_line(report), 80),
        *textwrap.wrap(
            f"Utbildningsmaterialet den {report.day.isoformat()}, jämfört med {report.edition_title} – "
            f"{report.edition}.",
            80,
        ),
        "",
    ]
    width = max((len(row.name) for row in report.rows), default=0) + 2
    for row in report.rows:
        summary = _row_summary(report, row)
        lines += textwrap.wrap(f"{row.name:<{width}}{summary}", 80, subsequent_indent=" " * width)
        for path, status, _ in row.scan_files:
            if status in ("outdated", "unreadable"):
                lines += textwrap.wrap(
                    f"{SCANNED[status]}: {path}",
                    80,
                    initial_indent=" " * (width + 2),
                    subsequent_indent=" " * (width + 4),
                    break_on_hyphens=False,
                )
    lines += follow_up_lines(report)
    return printable_lines("\n".join(lines)) + "\n"


def follow_up(report: Report) -> str:
    """What follows the districts' lines: the survey, files outside every district, the next steps, the proposals."""
    return printable_lines("\n".join(follow_up_lines(report))) + "\n"


def follow_up_lines(report: Report) -> list[str]:
    """:func:`follow_up` as lines wrapped at 80 columns (empty when there is nothing to say).

    The knowledge survey comes first, right after the districts' lines.
    """
    lines: list[str] = survey_lines(report.survey)
    if report.unplaced:
        lines += ["", f"{UNPLACED}:"]
        for path, status, edition in report.unplaced:
            named = f" ({edition})" if edition else ""
            lines += textwrap.wrap(
                f"{SCANNED[status]}{named}: {path}", 80, initial_indent="  ", subsequent_indent="    "
            )
    steps = grouped_steps(report)
    if steps:
        lines += ["", "Nästa steg:"]
        for step, names in steps:
            lines += textwrap.wrap(step, 80, initial_indent="- ", subsequent_indent="  ")
            lines += textwrap.wrap(f"({', '.join(names)})", 80, initial_indent="  ", subsequent_indent="  ")
    examples = [(row.name, proposal) for row in report.rows for proposal in row.examples]
    if examples:
        lines += ["", f"{PROPOSALS}:"]
        for name, proposal in examples:
            why = f" Varför: {proposal.why}" if proposal.why else ""
            lines += textwrap.wrap(
                f"{name}: {proposal.title} ({proposal.file}).{why}",
                80,
                initial_indent="  ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
    return lines


def _row_summary(report: Report, row: DistrictRow) -> str:
    """A district's packs counted per status, its scanned files and its trained groups."""
    counts: dict[str, int] = {}
    for cell in row.cells.values():
        counts[cell.status] = counts.get(cell.status, 0) + 1
    summary = ", ".join(f"{counts[status]} {label}" for status, label in COUNTED.items() if status in counts)
    if row.local is not None:
        summary += f"; lokal del: {local_words(row).lower()}"
    if row.scan is not None:
        scanned = ", ".join(f"{n} {SCANNED.get(status, status)}" for status, n in row.scan.items())
        summary += f"; filer i områdets mapp: {scanned}"
    if report.has_records:
        states = [report.training(row.id, audience) for audience, _ in report.audiences]
        summary += f"; utbildade på gällande utgåva: {states.count(Training.CURRENT)} av {len(states)} yrkesgrupper"
        if states.count(Training.OUTDATED):
            summary += f", på äldre utgåva: {states.count(Training.OUTDATED)}"
    return summary
