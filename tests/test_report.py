"""`vastbus report`: the status matrix in the terminal and as a static HTML page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import current_fingerprint, replace_in
from tests.test_scan import current_document, old_deck
from vastbus_cli.build import build
from vastbus_cli.report import district_report


def test_status_per_district_and_audience(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    from vastbus_cli import api

    report = district_report(api.open_workspace(mini), out)
    statuses = {row.id: {a: c.status for a, c in row.cells.items()} for row in report.rows}
    assert statuses == {
        d: {"bvc": "current", "forskola": "current"} for d in ("central", "örgryte-härlanda", "angered")
    }
    (out / "angered/bvc/slides.pptx").unlink()
    replace_in(
        mini / "curriculum/local/örgryte-härlanda/lokalt.yaml", "built_on: bou-halsa-2023", "built_on: bou-halsa-2021"
    )
    replace_in(mini / "curriculum/modules/samtycke.yaml", "Vårdnadshavarna bestämmer", "Vårdnadshavarna avgör")
    report = district_report(api.open_workspace(mini), out)
    rows = {row.id: row for row in report.rows}
    assert rows["angered"].cells["bvc"].status == "missing"
    assert rows["angered"].cells["forskola"].status == "stale"
    assert rows["örgryte-härlanda"].cells["bvc"].status == "outdated"
    assert rows["örgryte-härlanda"].local_files == [
        ("curriculum/local/örgryte-härlanda/lokalt.yaml", "bou-halsa-2021", False)
    ]


def test_suspect_refs_and_shared_examples(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    replace_in(
        mini / "curriculum/local/örgryte-härlanda/lokalt.yaml",
        "slides:\n",
        'examples:\n  - id: god-rutin\n    title: "Gemensam genomgång"\n    summary: "Så gör vi."\n'
        "    share: true\nslides:\n",
    )
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    replace_in(mini / "curriculum/modules/samtycke.yaml", current_fingerprint("samtycke"), "h1:0123456789abcdef")
    from vastbus_cli import api

    report = district_report(api.open_workspace(mini), out)
    assert report.central_suspect == 1
    assert {cell.status for row in report.rows for cell in row.cells.values()} == {"suspect"}
    result = run("report", "--workspace", mini, "--out", out)
    assert result.exit_code == 0, result.output
    flowing = " ".join(result.stdout.split())  # the text is wrapped at 80 columns
    assert "Föreslås för den centrala kursen:" in flowing
    assert "Örgryte-Härlanda: Gemensam genomgång" in flowing
    # The summary comes first, in words a steering group uses.
    assert flowing.startswith(
        "0 av 2 områden är aktuella; 2 har hänvisningar som behöver granskas; den centrala versionen är inte aktuell."
    ), flowing


def test_report_with_scan_and_html(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    (folders / "örgryte-härlanda").mkdir()
    old_deck(folders / "angered" / "gammal.pptx")
    current_document(folders / "örgryte-härlanda" / "ny.docx")
    html = tmp_path / "rapport" / "status.html"
    result = run("report", "--workspace", mini, "--out", out, "--scan", folders, "--html", html)
    assert result.exit_code == 0, result.output
    flowing = " ".join(result.stdout.split())
    assert "Angered" in flowing and "filer i områdets mapp: 0 aktuella, 1 på äldre utgåva" in flowing
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert "<script" not in page and "http" not in page.split("<footer>")[0].replace("http-equiv", "")
    assert "@page { size: A4" in page
    assert "✓</span>Aktuellt" in page
    assert "Skanning av områdenas mappar" in page
    assert '<p class="summary">2 av 2 områden är aktuella.</p>' in page  # the summary first, as in the text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed; .ci/run installs it")
def test_html_renders_in_headless_chromium(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    html = tmp_path / "status.html"
    assert run("report", "--workspace", mini, "--out", out, "--html", html).exit_code == 0
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profil'}",
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120, env=env
    )
    assert "<table>" in dom.stdout
    assert dom.stdout.count('<td class="current">') == 6
    assert "Örgryte-Härlanda" in dom.stdout
    shot = tmp_path / "status.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1200,900", f"--screenshot={shot}", html.as_uri()],
        capture_output=True,
        timeout=120,
        env=env,
    )
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000


def test_the_text_report_fits_80_columns_and_leads_with_the_summary(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    text = run("report", "--workspace", mini, "--out", out).stdout
    assert text.splitlines()[0] == "2 av 2 områden är aktuella."
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "current" not in text and "missing" not in text  # Swedish throughout


@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux script for a pseudo-terminal")
def test_a_terminal_gets_the_table_only_when_it_is_wide_enough(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(mini, out, jobs=1)
    command = f"{sys.executable} -m vastbus_cli report --workspace '{mini}' --out '{out}'"

    def on_terminal(columns: int) -> str:
        env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
        done = subprocess.run(["script", "-qc", command, "/dev/null"], env=env, capture_output=True, text=True)
        return done.stdout

    # Two audiences fit in 80 columns as a table; in 40 the names would be cut short, so it is text.
    narrow, wide = on_terminal(40), on_terminal(80)
    assert "┃" not in narrow and "2 av 2 områden är aktuella." in narrow and "Örgryte-Härlanda" in narrow
    assert "┃ Område" in wide and "Örgryte-Härlanda" in wide
    assert max(len(line.rstrip("\r")) for line in wide.splitlines()) <= 80
