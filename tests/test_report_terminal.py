"""`vastbus report` in a terminal: a compact table within 100 columns; the full matrix with --wide (issue 30)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import Result

from vastbus_cli.api import open_workspace, report
from vastbus_cli.build import build
from vastbus_cli.views_report import COMPACT_WIDTH, report_table

Run = Callable[..., Result]


@pytest.fixture
def packs(mini: Path) -> Path:
    out = mini / "paket"
    build(open_workspace(mini), out, jobs=1)
    return out


def _terminal(width: int) -> tuple[Console, io.StringIO]:
    text = io.StringIO()
    return Console(file=text, width=width, color_system=None, force_terminal=False), text


def _draw(mini: Path, width: int, *, wide: bool = False) -> tuple[bool, str]:
    result = report(open_workspace(mini), None)
    out, text = _terminal(width)
    return report_table(result, wide=wide, out=out), text.getvalue()


@pytest.mark.usefixtures("packs")
@pytest.mark.parametrize("width", [100, 200])
def test_the_compact_table_fits_100_columns_whatever_the_terminal(mini: Path, width: int) -> None:
    drawn, text = _draw(mini, width)
    assert drawn
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= COMPACT_WIDTH
    assert any("Örgryte-Härlanda" in line and "Aktuellt" in line for line in lines)
    assert "Paket" in text and "Lokal del" in text
    assert "Förskola" not in text, "audiences are summarised, not one column each"


@pytest.mark.usefixtures("packs")
def test_the_compact_table_gives_way_to_text_in_a_very_narrow_terminal(mini: Path) -> None:
    drawn, text = _draw(mini, 30)
    assert not drawn and text == ""


@pytest.mark.slow
def test_the_shipped_status_is_compact_and_wide_on_request(shipped: Path) -> None:
    build(open_workspace(shipped), shipped / "paket", jobs=2)
    drawn, text = _draw(shipped, 100)
    assert drawn
    assert max(len(line) for line in text.splitlines()) <= COMPACT_WIDTH
    assert sum(1 for line in text.splitlines() if "Aktuellt" in line) == 11  # 10 districts and the central pack
    drawn, text = _draw(shipped, 100, wide=True)
    assert drawn
    assert "Förskola" in text and "Vårdcentral" in text
    assert max(len(line) for line in text.splitlines()) > COMPACT_WIDTH, "the matrix is drawn whole, not squeezed"


@pytest.mark.usefixtures("packs")
def test_training_gets_a_column_once_a_session_is_recorded(mini: Path, packs: Path, run: Run) -> None:
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    held = run("held", packs / "örgryte-härlanda" / "bvc", "--date", day, "--participants", "9", "--workspace", mini)
    assert held.exit_code == 0, held.output
    drawn, text = _draw(mini, 100)
    assert drawn
    assert "Utbildning" in text
    assert max(len(line) for line in text.splitlines()) <= COMPACT_WIDTH


@pytest.mark.usefixtures("packs")
def test_report_wide_prints_the_matrix_even_into_a_pipe(mini: Path, run: Run) -> None:
    plain = run("report", "--workspace", mini)
    assert plain.exit_code == 0
    assert "Förskola" not in plain.stdout  # the text report, one line per district
    wide = run("report", "--workspace", mini, "--wide")
    assert wide.exit_code == 0, wide.output
    assert "Förskola" in wide.stdout and "Område" in wide.stdout
