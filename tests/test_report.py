"""`vastbus report`: the status matrix in the terminal and as a static HTML page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import Result

from tests.conftest import CHROMIUM, chromium, current_fingerprint, ref, replace_in
from tests.test_scan import current_document, old_deck
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.report import SEVERITY, district_report


def test_status_per_district_and_audience(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
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
    # The local file cites nothing that changed from 2021 to 2023: a routine step, not an error.
    assert rows["örgryte-härlanda"].cells["bvc"].status == "stale"
    assert rows["örgryte-härlanda"].local_files == [
        ("curriculum/local/örgryte-härlanda/lokalt.yaml", "bou-halsa-2021", "restamp")
    ]


LOCAL_FILE = "curriculum/local/örgryte-härlanda/lokalt.yaml"


def _cite_a_section_changed_in_2023(mini: Path) -> None:
    replace_in(
        mini / LOCAL_FILE,
        '    notes: "Berätta',
        f'    refs:\n{ref("placerade-barn", "bou-halsa-2021", indent=6)}    notes: "Berätta',
    )


def test_a_local_file_on_an_older_edition_is_a_warning_unless_what_it_cites_changed(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    from vastbus_cli import api

    out = tmp_path / "paket"
    replace_in(mini / LOCAL_FILE, "built_on: bou-halsa-2023", "built_on: bou-halsa-2021")
    build(open_workspace(mini), out, jobs=1)
    report = district_report(api.open_workspace(mini), out)
    cells = {row.id: {cell.status for cell in row.cells.values()} for row in report.rows}
    assert cells == {"central": {"current"}, "angered": {"current"}, "örgryte-härlanda": {"restamp"}}
    assert {SEVERITY[status] for status in cells["örgryte-härlanda"]} == {"warning"}
    text = " ".join(run("report", "--workspace", mini, "--out", out).stdout.split())
    assert text.startswith(
        "Paketen är aktuella i 1 av 2 områden; 1 har lokala tillägg att uppdatera till gällande utgåva; "
        "1 av 2 saknar en bekräftad lokal del (1 har ingen)."
    )

    _cite_a_section_changed_in_2023(mini)
    report = district_report(api.open_workspace(mini), out)
    row = next(row for row in report.rows if row.id == "örgryte-härlanda")
    assert {cell.status for cell in row.cells.values()} == {"outdated"}
    assert row.local_files[0][2] == "outdated"
    assert {cell.detail for cell in row.cells.values()} == {"det de hänvisar till har ändrats"}


def test_suspect_refs_and_shared_examples(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    replace_in(
        mini / "curriculum/local/örgryte-härlanda/lokalt.yaml",
        "slides:\n",
        'examples:\n  - id: god-rutin\n    title: "Gemensam genomgång"\n    summary: "Så gör vi."\n'
        "    share: true\nslides:\n",
    )
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    replace_in(mini / "curriculum/modules/samtycke.yaml", current_fingerprint("samtycke"), "h1:0123456789abcdef")
    from vastbus_cli import api

    report = district_report(api.open_workspace(mini), out)
    assert report.central_suspect == 1
    assert {cell.status for row in report.rows for cell in row.cells.values()} == {"suspect"}
    result = run("report", "--workspace", mini, "--out", out)
    assert result.exit_code == 0, result.output
    flowing = " ".join(result.stdout.split())  # the text is wrapped at 80 columns
    assert "Förslag till den centrala kursen:" in flowing
    assert "Örgryte-Härlanda: Gemensam genomgång" in flowing
    # The summary comes first, in words a steering group uses.
    assert flowing.startswith(
        "Paketen är aktuella i 0 av 2 områden; 2 har hänvisningar som behöver granskas; "
        "den centrala versionen är inte aktuell; 1 av 2 saknar en bekräftad lokal del (1 har ingen)."
    ), flowing


def test_report_with_scan_and_html(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
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
    # The summary first, as in the text.
    assert (
        '<p class="summary">Paketen är aktuella i 2 av 2 områden; 1 av 2 saknar en bekräftad lokal del (1 har ingen).'
        "</p>" in page
    )


#: The page's backgrounds for a warning and an error (report.py's CSS).
WARNING, ERROR = (0xFF, 0xF1, 0xCC), (0xF9, 0xD6, 0xD0)


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed; .ci/run installs it")
def test_html_in_headless_chromium_colours_a_warning_yellow_not_red(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    from PIL import Image

    replace_in(mini / LOCAL_FILE, "built_on: bou-halsa-2023", "built_on: bou-halsa-2021")
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    html = tmp_path / "status.html"
    assert run("report", "--workspace", mini, "--out", out, "--html", html).exit_code == 0
    dom = chromium(tmp_path, "--dump-dom", html.as_uri()).stdout
    # The district's packs (overview and matrix) and its local file are warnings; nothing is an error.
    assert dom.count('<td class="warning"') == 3 and '<td class="error"' not in dom
    assert "Örgryte-Härlanda" in dom and "Lokala tillägg behöver uppdateras" in dom
    shot = tmp_path / "status.png"
    chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", html.as_uri())
    with Image.open(shot) as image:
        colours = {colour: n for n, colour in image.convert("RGB").getcolors(1200 * 900) or []}
    assert colours.get(WARNING, 0) > 5_000, "the warning cells are not yellow"
    # Only the legend's two small swatches for errors are red (about 1,000 pixels).
    assert colours.get(ERROR, 0) < 2_000, "a warning-level issue is shown in red"

    _cite_a_section_changed_in_2023(mini)
    assert run("report", "--workspace", mini, "--out", out, "--html", html).exit_code == 0
    red = tmp_path / "status-fel.png"
    chromium(tmp_path, "--window-size=1200,900", f"--screenshot={red}", html.as_uri())
    with Image.open(red) as image:
        colours = {colour: n for n, colour in image.convert("RGB").getcolors(1200 * 900) or []}
    assert colours.get(ERROR, 0) > 5_000, "an error is not red"


def test_the_html_links_every_scanned_file_that_is_not_current(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    old_deck(folders / "angered" / "gammal presentation.pptx")
    current_document(folders / "angered" / "ny.docx")
    html = tmp_path / "rapport" / "status.html"
    assert run("report", "--workspace", mini, "--out", out, "--scan", folders, "--html", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page)
    assert [text for _, text in links] == ["angered/gammal presentation.pptx"]  # only what is not current
    target = (html.parent / unquote(links[0][0])).resolve()
    assert target == (folders / "angered" / "gammal presentation.pptx").resolve() and target.is_file()
    text = run("report", "--workspace", mini, "--out", out, "--scan", folders).stdout
    assert "på äldre utgåva: angered/gammal presentation.pptx" in " ".join(text.split())


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.office
@pytest.mark.skipif(
    CHROMIUM is None or shutil.which("pdftotext") is None, reason="needs chromium and poppler; .ci/run installs them"
)
def test_a_printed_matrix_never_leaves_one_row_alone_on_a_page(mini: Path, tmp_path: Path) -> None:
    from vastbus_cli import api
    from vastbus_cli.report import as_html

    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], jobs=1)
    districts = mini / "curriculum/districts.yaml"
    base = districts.read_text(encoding="utf-8")
    spans = []
    # With A4 landscape and the test fonts, 16 rows fill the first page: 17 rows would leave one alone.
    for extra in (13, 14, 15):
        added = "".join(f'  - id: omrade-{n}\n    name: "Område {n}"\n' for n in range(extra))
        districts.write_text(base + added, encoding="utf-8")
        page = tmp_path / f"status{extra}.html"
        page.write_text(as_html(district_report(api.open_workspace(mini), out)), encoding="utf-8")
        pdf = tmp_path / f"status{extra}.pdf"
        chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        named = r"\s*(Område \d+|Örgryte-Härlanda|Angered|Central)"
        for table, marker in (
            ("overview", r"(Inget paket byggt: alla 2 yrkesgrupper|Aktuellt)\s+(Ingen|Kursred|Områdets)"),
            ("matrix", "– alla yrkesgrupper"),
        ):
            rows = [
                sum(1 for line in sheet.splitlines() if re.match(named, line) and re.search(marker, line))
                for sheet in text.split("\f")
            ]
            assert sum(rows) == extra + 3, (table, rows, text)
            assert 1 not in rows, f"{extra + 3} rows of the {table} printed as {rows}: one row alone on a page"
            if table == "matrix":
                spans.append(sum(1 for n in rows if n))
    assert max(spans) >= 2  # the matrix did run over a page break


def test_the_text_report_fits_80_columns_and_leads_with_the_summary(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    text = run("report", "--workspace", mini, "--out", out).stdout
    assert text.splitlines()[0].startswith("Paketen är aktuella i 2 av 2 områden;")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "current" not in text and "missing" not in text  # Swedish throughout


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("script") is None, reason="needs util-linux script for a pseudo-terminal")
def test_a_terminal_gets_the_table_only_when_it_is_wide_enough(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    command = f"{sys.executable} -m vastbus_cli report --workspace '{mini}' --out '{out}'"

    def on_terminal(columns: int) -> str:
        env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
        done = subprocess.run(["script", "-qc", command, "/dev/null"], env=env, capture_output=True, text=True)
        return done.stdout

    # Two audiences fit in 80 columns as a table; in 40 the names would be cut short, so it is text.
    narrow, wide = on_terminal(40), on_terminal(80)
    assert "┃" not in narrow and "aktuella i 2 av 2 områden;" in narrow and "Örgryte-Härlanda" in narrow
    assert "┃ Område" in wide and "Örgryte-Härlanda" in wide
    assert max(len(line.rstrip("\r")) for line in wide.splitlines()) <= 80
