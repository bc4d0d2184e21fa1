"""`vastbus site` never offers a stale pack silently, and keeps the thumbnails it made before.

A pack file built before its inputs last changed (here: a district's local contact) is
marked on its page and makes the command exit 1, unless ``--allow-stale``. Thumbnails made
by an earlier run survive a run without ``--thumbnails``; only ``--clean`` removes them.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import CHROMIUM, chromium, replace_in

LOCAL = Path("curriculum/local/örgryte-härlanda/lokalt.yaml")
NOTICE = "Obs! Filerna att ladda ner är inte uppdaterade"
MARK = "(byggt före senaste ändringen)"
DECK = "örgryte-härlanda/bvc/slides.pptx"


def _build(run: Callable[..., Result], mini: Path, packs: Path, *only: str) -> None:
    done = run("build", "--workspace", mini, "--out", packs, "--jobs", "1", *only)
    assert done.exit_code == 0, done.output


def _page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_an_edited_local_contact_makes_site_exit_1_and_the_page_say_so(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    _build(run, mini, packs)
    fresh = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert fresh.exit_code == 0, fresh.output
    assert NOTICE not in _page(site, "örgryte-härlanda/bvc.html") and MARK not in _page(site, "index.html")

    replace_in(mini / LOCAL, 'how: "Via kontaktcenter"', 'how: "031-365 00 00"')
    stale = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert stale.exit_code == 1, stale.output
    assert "older than their inputs" in stale.stderr and "--allow-stale" in stale.stderr
    # One line per pack, naming its files; the packs of the other district are current.
    listed = [line.strip() for line in stale.stderr.splitlines() if line.startswith("  ")]
    assert "örgryte-härlanda/bvc: handout.docx, slides.pptx, trainer-guide.docx" in listed, stale.stderr
    assert any(line.startswith("örgryte-härlanda/forskola: ") for line in listed)
    assert not any(line.startswith(("angered/", "central/")) for line in listed)
    assert "Traceback" not in stale.output

    page = _page(site, "örgryte-härlanda/bvc.html")
    # The notice is right under the heading, says who acts, and the page itself is current.
    assert re.search(r"</h1><div class=\"stale-notice\" role=\"note\">.*?" + re.escape(NOTICE), page)
    assert "Kontakta den som bygger utbildningsmaterialet" in page and "031-365 00 00" in page
    assert "kursen eller områdets lokala tillägg" in page
    for file_name in ("slides.pptx", "handout.docx", "trainer-guide.docx"):
        assert re.search(rf'<a class="stale" href="bvc/{file_name}" download>[^<]+ {re.escape(MARK)}</a>', page)
    assert (site / DECK).is_file()  # still offered, marked
    assert NOTICE not in _page(site, "angered/bvc.html") and MARK not in _page(site, "angered/bvc.html")
    assert NOTICE not in _page(site, "central/bvc.html")
    start = _page(site, "index.html")
    assert "Obs! 2 av 6 sidor har filer som inte är uppdaterade" in start
    assert re.search(r"Det gäller <a href=\"[^\"]+/bvc.html\">Örgryte-Härlanda – BVC</a>, <a ", start)

    allowed = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--allow-stale")
    assert allowed.exit_code == 0, allowed.output
    assert "warning:" in allowed.stderr and "örgryte-härlanda/bvc: " in allowed.stderr
    assert NOTICE in _page(site, "örgryte-härlanda/bvc.html")

    _build(run, mini, packs)
    rebuilt = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "older than" not in rebuilt.stderr
    for rel in ("örgryte-härlanda/bvc.html", "örgryte-härlanda/forskola.html", "index.html"):
        assert NOTICE not in _page(site, rel) and MARK not in _page(site, rel) and "Obs!" not in _page(site, rel)


def test_a_stale_module_is_marked_on_the_central_page_without_naming_a_local_part(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    _build(run, mini, packs, "--district", "central")
    replace_in(mini / "curriculum/modules/samtycke.yaml", 'title: "Ingen SIP utan samtycke"', 'title: "Samtycke först"')
    result = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert result.exit_code == 1 and "central/bvc: " in result.stderr, result.output
    page = _page(site, "central/bvc.html")
    assert NOTICE in page and "gjordes innan kursen ändrades senast" in page
    # Packs never built are not stale: they say "inte byggt ännu", with no notice.
    assert NOTICE not in _page(site, "angered/bvc.html") and "inte byggt ännu" in _page(site, "angered/bvc.html")


def _slides(deck: Path) -> int:
    with zipfile.ZipFile(deck) as archive:
        return sum(1 for name in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", name))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fake_earlier_thumbnails(packs: Path, site: Path) -> list[Path]:
    """What ``site --thumbnails`` leaves: a PDF made from the deck (recorded in the packs), and its
    pictures in the site, recorded in the site's state."""
    pdf = packs / DECK.replace(".pptx", ".pdf")
    pdf.write_bytes(b"%PDF-1.4 stand-in for the deck\n")
    (packs / ".vastbus-pdf-state.json").write_text(
        json.dumps({DECK.replace(".pptx", ".pdf"): {"from": _sha(packs / DECK), "sha256": _sha(pdf)}}),
        encoding="utf-8",
    )
    names = [f"örgryte-härlanda/bvc/bilder/bild-{n:02d}.png" for n in range(1, _slides(packs / DECK) + 1)]
    for name in names:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(b"\x89PNG\r\n\x1a\n stand-in")
    state_file = site / ".vastbus-site-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["files"] = sorted([*state["files"], *names])
    state["thumbnails"] = {DECK: [_sha(pdf), *names]}
    state_file.write_text(json.dumps(state), encoding="utf-8")
    return [site / name for name in names]


def test_thumbnails_survive_a_run_without_thumbnails_and_only_clean_removes_them(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    _build(run, mini, packs, "--district", "örgryte-härlanda", "--audience", "bvc")
    assert run("site", "--workspace", mini, "--packs", packs, "--out", site).exit_code == 0
    pictures = _fake_earlier_thumbnails(packs, site)
    own = site / "örgryte-härlanda/bvc/bilder/egen.png"  # a file the tool never made
    own.write_bytes(b"someone's picture")

    kept = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert kept.exit_code == 0, kept.output
    assert all(picture.is_file() for picture in pictures)
    assert f"kept {len(pictures)} thumbnails" in kept.stderr and "--clean removes them" in kept.stderr
    page = _page(site, "örgryte-härlanda/bvc.html")
    assert page.count('<img src="bvc/bilder/bild-') == len(pictures)  # they still picture the deck
    assert 'alt="Bild 1: ' in page and "Miniatyrbilder är inte byggda" not in page
    state = json.loads((site / ".vastbus-site-state.json").read_text(encoding="utf-8"))
    assert set(state["thumbnails"]) == {DECK} and str(pictures[0].relative_to(site)) in state["files"]

    # The deck built anew: its PDF is gone, so the pictures are of an older deck. Kept, not shown.
    (packs / DECK.replace(".pptx", ".pdf")).unlink()
    older = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert older.exit_code == 0 and all(picture.is_file() for picture in pictures), older.output
    page = _page(site, "örgryte-härlanda/bvc.html")
    assert "<img" not in page and "de gjordes från en äldre version av bildspelet" in page

    cleaned = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--clean")
    assert cleaned.exit_code == 0, cleaned.output
    assert not any(picture.exists() for picture in pictures) and own.is_file()
    assert f"removed {len(pictures)}" in cleaned.stderr
    state = json.loads((site / ".vastbus-site-state.json").read_text(encoding="utf-8"))
    assert state["thumbnails"] == {} and not any("/bilder/" in rel for rel in state["files"])
    assert "Miniatyrbilder är inte byggda" in _page(site, "örgryte-härlanda/bvc.html")


def test_a_page_the_site_no_longer_has_takes_its_thumbnails_with_it(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    _build(run, mini, packs, "--district", "örgryte-härlanda", "--audience", "bvc")
    assert run("site", "--workspace", mini, "--packs", packs, "--out", site).exit_code == 0
    pictures = _fake_earlier_thumbnails(packs, site)
    replace_in(mini / "curriculum/districts.yaml", '  - id: angered\n    name: "Angered"\n', "")
    replace_in(mini / "curriculum/districts.yaml", "örgryte-härlanda", "angered", count=1)
    shutil.rmtree(mini / "curriculum/local")
    result = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert result.exit_code == 0, result.output
    assert not (site / "örgryte-härlanda/bvc.html").exists()
    assert not any(picture.exists() for picture in pictures)


@pytest.mark.slow
@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="needs LibreOffice and poppler"
)
def test_real_thumbnails_survive_a_run_without_thumbnails(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    env = {"HOME": str(tmp_path)}
    _build(run, mini, packs, "--district", "örgryte-härlanda", "--audience", "bvc")
    made = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--thumbnails", env_extra=env)
    assert made.exit_code == 0, made.output
    pictures = sorted((site / "örgryte-härlanda/bvc/bilder").glob("bild-*.png"))
    assert len(pictures) == _slides(packs / DECK)
    before = _page(site, "örgryte-härlanda/bvc.html")

    again = run("site", "--workspace", mini, "--packs", packs, "--out", site)
    assert again.exit_code == 0 and f"kept {len(pictures)} thumbnails" in again.stderr, again.output
    assert all(picture.is_file() for picture in pictures)
    assert _page(site, "örgryte-härlanda/bvc.html") == before  # the same page, pictures linked

    cleaned = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--clean")
    assert cleaned.exit_code == 0 and not any(picture.exists() for picture in pictures), cleaned.output


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed; .ci/run installs it")
def test_the_stale_notice_renders_in_headless_chromium(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webbplats"
    _build(run, mini, packs)
    replace_in(mini / LOCAL, 'how: "Via kontaktcenter"', 'how: "031-365 00 00"')
    assert run("site", "--workspace", mini, "--packs", packs, "--out", site).exit_code == 1
    url = (site / "örgryte-härlanda/bvc.html").as_uri()
    dom = chromium(tmp_path, "--dump-dom", url).stdout
    assert NOTICE in dom and MARK in dom
    for width in (1280, 390):
        shot = tmp_path / f"stale-{width}.png"
        chromium(tmp_path, f"--window-size={width},900", f"--screenshot={shot}", url)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, width
