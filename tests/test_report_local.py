"""The status says the truth about each district's local part, once per district (issue 28)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import Result

from tests.conftest import CHROMIUM, chromium, replace_in
from tests.test_scan import current_document, old_deck
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.report import district_report
from vastbus_cli.report.compute import LocalState

LOCAL_FILE = "curriculum/local/örgryte-härlanda/lokalt.yaml"
NO_LOCAL_PART = {
    "Askim-Frölunda-Högsbo",
    "Centrum",
    "Lundby",
    "Majorna-Linné",
    "Norra Hisingen",
    "Västra Göteborg",
    "Örgryte-Härlanda",
    "Östra Göteborg",
}


def test_each_districts_local_part_missing_unconfirmed_or_confirmed(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    rows = {row.id: row for row in district_report(open_workspace(mini), out).rows}
    assert rows["central"].local is None
    assert rows["angered"].local is not None and rows["angered"].local.state is LocalState.MISSING
    confirmed = rows["örgryte-härlanda"].local
    assert confirmed is not None and confirmed.state is LocalState.CONFIRMED and confirmed.confirmed_on is None
    replace_in(mini / LOCAL_FILE, "title:", 'confirmed: {by: "Områdets samordnare", on: 2026-11-30}\ntitle:')
    confirmed = next(r for r in district_report(open_workspace(mini), out).rows if r.id == "örgryte-härlanda").local
    assert confirmed is not None and str(confirmed.confirmed_on) == "2026-11-30"
    replace_in(mini / LOCAL_FILE, "    verified: true\n", "")
    waiting = next(r for r in district_report(open_workspace(mini), out).rows if r.id == "örgryte-härlanda").local
    assert waiting is not None and waiting.state is LocalState.UNCONFIRMED and waiting.pending == 1
    assert waiting.files == [LOCAL_FILE]


@pytest.mark.slow
def test_the_shipped_status_names_the_districts_without_a_local_part(
    shipped: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(open_workspace(shipped), out, jobs=2)
    text = run("report", "--workspace", shipped, "--out", out).stdout
    flowing = " ".join(text.split())
    assert flowing.startswith(
        "Paketen är aktuella i 10 av 10 områden; 10 av 10 saknar en bekräftad lokal del (8 har ingen, "
        "2 är inte bekräftade)."
    )
    steps = flowing[flowing.index("Nästa steg:") :]
    # One step for the eight districts without a local part, naming who acts and each district once.
    send = steps[steps.index("Områdets utbildare: skicka") :]
    listed = send[send.index("(") + 1 : send.index(")")]
    assert set(listed.split(", ")) == NO_LOCAL_PART
    assert flowing.count("Områdets utbildare: skicka") == 1
    # The two districts with an unconfirmed part each get their own step, naming their file and themselves.
    for district, file in (("Angered", "angered"), ("Västra Hisingen", "västra-hisingen")):
        step = steps[steps.index(f"(fil: curriculum/local/{file}/lokalt.yaml)") :]
        assert step.startswith(f"(fil: curriculum/local/{file}/lokalt.yaml). ({district})"), step[:120]
    assert steps.count("Områdets samordnare: bekräfta 4 kontakter och rutiner för kursredaktionen") == 2
    assert "vastbus held" not in text

    page = tmp_path / "status.html"
    assert run("report", "--workspace", shipped, "--out", out, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    overview = html[html.index("Områdena i korthet") : html.index("<h2>Nästa steg")]
    for name in NO_LOCAL_PART:
        assert (
            f'<th scope="row">{name}</th><td class="none"><span class="symbol" aria-hidden="true">○</span>'
            "Ingen lokal del</td>" in overview
        ), name
    assert overview.count("Inte bekräftad: 4 punkter") == 2
    # A row with one state says it once, not in every cell (nine audiences).
    matrix = html[html.index("Paket per yrkesgrupp") : html.index("Utbildade yrkesgrupper")]
    assert matrix.count("<td") == 11 and matrix.count("Aktuellt – alla yrkesgrupper") == 11
    assert "Aldrig utbildade" not in html and "vastbus held" not in html
    if CHROMIUM is None:
        return
    for width in (1280, 390):
        shot = tmp_path / f"status-{width}.png"
        chromium(tmp_path, f"--window-size={width},1400", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
        assert shot.stat().st_size > 10_000
        dom = chromium(tmp_path, f"--window-size={width},1400", "--dump-dom", page.as_uri()).stdout
        assert "Ingen lokal del" in dom


def test_each_state_has_its_own_symbol_and_colour() -> None:
    from vastbus_cli.report.words import LABELS, SEVERITY

    symbols = [symbol for symbol, _ in LABELS.values()]
    assert len(set(symbols)) == len(symbols)
    assert len(set(SEVERITY.values())) == len(SEVERITY)


def test_report_scan_lists_files_outside_every_district(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    (folders / "okänt område").mkdir()
    current_document(folders / "angered" / "ny.docx")
    old_deck(folders / "okänt område" / "gammal.pptx")
    current_document(folders / "lös fil.docx")
    text = " ".join(run("report", "--workspace", mini, "--out", out, "--scan", folders).stdout.split())
    assert "Utan område (filer utanför områdenas mappar):" in text
    unplaced = text.split("Utan område (filer utanför områdenas mappar):")[1]
    assert "på äldre utgåva" in unplaced and "okänt område/gammal.pptx" in unplaced
    assert "lös fil.docx" in text
    assert "angered/ny.docx" not in text.split("Utan område")[1]
    html = tmp_path / "status.html"
    assert run("report", "--workspace", mini, "--out", out, "--scan", folders, "--html", html).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "Utan område" in page and "lös fil.docx" in unquote(page)


def test_nothing_outside_the_district_folders_adds_no_row(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, jobs=1)
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    current_document(folders / "angered" / "ny.docx")
    text = run("report", "--workspace", mini, "--out", out, "--scan", folders).stdout
    assert "Utan område" not in text
