"""``vastbus report`` in a terminal: a compact table that fits 100 columns, or the full matrix with ``--wide``.

The compact table has one row per district (its packs, its local part and, when sessions are
recorded, its training, each by the state that needs most, with a symbol as well as a colour),
then the next steps and proposals as the text report words them. ``--wide`` shows every district
× audience cell. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

from typing import Any

from vastbus_cli.safetext import printable
from vastbus_cli.views import console

#: The widest the compact table may be: it must fit a normal terminal.
COMPACT_WIDTH = 100

_COLOURS = {
    "ok": "green",
    "warning": "yellow",
    "error": "red",
    "review": "dark_orange",
    "rebuild": "blue",
    "none": "dim",
}


def _title(result: Any) -> str:
    from vastbus_cli.report import summary_line

    return f"{summary_line(result)}\n{result.day.isoformat()} – {printable(result.edition_title)}"


def _coloured(symbol: str, words: str, severity: str) -> str:
    from rich.markup import escape

    return f"[{_COLOURS[severity]}]{symbol} {escape(printable(words))}[/]"


def compact_table(result: Any) -> Any:
    """One row per district: Område, Paket, Lokal del (and Utbildning when sessions are recorded)."""
    from rich.markup import escape
    from rich.table import Table

    from vastbus_cli.report import LABELS, SEVERITY, TRAINING
    from vastbus_cli.report.words import LOCAL_PART, local_words, packs_words, training_words

    table = Table(title=_title(result), width=None, expand=False)
    table.add_column("Område", no_wrap=True)
    table.add_column("Paket")
    table.add_column("Lokal del")
    if result.has_records:
        table.add_column("Utbildning")
    for row in result.rows:
        worst, words = packs_words(row)
        cells = [escape(printable(row.name)), _coloured(LABELS[worst][0], words, SEVERITY[worst])]
        if row.local is not None:
            symbol, _, colour = LOCAL_PART[row.local.state]
            cells.append(_coloured(symbol, local_words(row), colour))
        else:
            cells.append("")
        if result.has_records:
            state, trained = training_words(result, row)
            cells.append(_coloured(TRAINING[state][0], trained, TRAINING[state][2]))
        table.add_row(*cells)
    return table


def wide_table(result: Any) -> Any:
    """Every district × audience cell: the full matrix."""
    from rich.markup import escape
    from rich.table import Table

    from vastbus_cli.report import LABELS, SEVERITY
    from vastbus_cli.report.words import LOCAL_PART, local_words

    table = Table(title=_title(result))
    table.add_column("Område")
    table.add_column("Lokal del")
    for _, name in result.audiences:
        table.add_column(escape(printable(name)))
    for row in result.rows:
        local = ""
        if row.local is not None:
            symbol, _, colour = LOCAL_PART[row.local.state]
            local = _coloured(symbol, local_words(row), colour)
        cells = []
        for audience_id, _ in result.audiences:
            status = row.cells[audience_id].status
            symbol, label = LABELS[status]
            cells.append(_coloured(symbol, label, SEVERITY[status]))
        table.add_row(escape(printable(row.name)), local, *cells)
    return table


def report_table(result: Any, *, wide: bool = False, out: Any = None) -> bool:
    """Print the report as a table and what follows it; False (nothing printed) when it would not fit.

    The compact table is drawn at most :data:`COMPACT_WIDTH` columns wide, and only when the
    terminal can show it without cutting district names short; ``wide`` draws the matrix as wide
    as it needs (scroll sideways, or pipe it to ``less -S``).
    """
    from rich.measure import Measurement

    from vastbus_cli.report.text import follow_up

    out = out if out is not None else console(stderr=False)
    if wide:
        table = wide_table(result)
        needed = Measurement.get(out, out.options.update(max_width=10_000), table).maximum
        out.width = max(out.width, needed)
    else:
        table = compact_table(result)
        width = min(out.width, COMPACT_WIDTH)
        # Measured unbounded: Rich clamps a measurement to the width it is given.
        if Measurement.get(out, out.options.update(max_width=10_000), table).minimum > width:
            return False
        out.width = width
    out.print(table)
    out.print(follow_up(result).rstrip("\n"), markup=False, highlight=False)
    return True
