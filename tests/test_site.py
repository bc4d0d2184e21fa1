"""`vastbus site`: the trainers' site, read as people and their browsers read it."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import Result

from tests.conftest import CHROMIUM, chromium, replace_in
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.site.html import CONTRAST, STYLE
from vastbus_cli.site.publish import publish_site


class _Page(HTMLParser):
    """What the accessibility and link checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "html":
            self.lang = named.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(named)
            self.links.append(named.get("src") or "")
        elif tag in ("a", "link") and named.get("href"):
            self.links.append(named["href"] or "")
        elif tag == "script":
            self.scripts += 1


def _read(page: Path) -> _Page:
    parsed = _Page()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


def _assert_accessible_and_linked(site: Path) -> int:
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        parsed = _read(page)
        name = page.relative_to(site).as_posix()
        assert parsed.lang == "sv", name
        assert parsed.headings.count(1) == 1 and parsed.headings[0] == 1, name
        for before, after in zip(parsed.headings, parsed.headings[1:], strict=False):
            assert after <= before + 1, f"{name}: h{before} is followed by h{after}"
        assert all((image.get("alt") or "").strip() for image in parsed.images), name
        assert parsed.scripts == 0, name
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{name}: {link} leads nowhere"
            assert site.resolve() in target.parents, f"{name}: {link} leads out of the site"
    return len(pages)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_colour_pair_has_a_contrast_of_at_least_4_5() -> None:
    for use, (text, background) in CONTRAST.items():
        light, dark = sorted((_luminance(text), _luminance(background)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, use
        assert text.upper() in STYLE.upper() or text.upper() == "#FFFFFF", use
    assert ":focus-visible" in STYLE and "@media print" in STYLE


@pytest.mark.slow
def test_the_site_for_the_whole_city_is_accessible_linked_and_incremental(
    shipped: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs = tmp_path / "paket"
    build(open_workspace(shipped), packs, jobs=2)
    site = tmp_path / "webbplats åäö"
    result = run("site", "--workspace", shipped, "--packs", packs, "--out", site)
    assert result.exit_code == 0, result.output
    pages = _assert_accessible_and_linked(site)
    # Start, status, proposals, the central version and ten districts for nine audiences, and a page for
    # each of the two local files with a proposal (Angered, Västra Hisingen).
    assert pages == 3 + 11 * 9 + 2
    proposals = (site / "forslag.html").read_text(encoding="utf-8")
    assert "Samtalsstöd inför förskolans första samtal om SIP" in proposals and "Varför:" in proposals
    assert 'href="kallor/angered/lokalt.html"' in proposals
    source = (site / "kallor/angered/lokalt.html").read_text(encoding="utf-8")
    assert "curriculum/local/angered/lokalt.yaml" in source and "samtalsstod-forskola" in source
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "Samverkan för barns och ungas hälsa (justerad 2023)" in start and "Kursversion 1.0.0" in start
    angered = (site / "angered" / "forskola.html").read_text(encoding="utf-8")
    assert "Angered (Nordost) – Förskola" in angered and "Lokalt i Angered" in angered
    assert '<a href="forskola/slides.pptx" download>' in angered and (site / "angered/forskola/slides.pptx").is_file()
    assert "Totalt" in angered and "Rektor för förskolan där barnet går" in angered
    assert "Miniatyrbilder är inte byggda" in angered

    again = publish_site(open_workspace(shipped), site, packs=packs)
    assert again.written == [] and again.removed == []
    fresh = tmp_path / "en till"
    publish_site(open_workspace(shipped), fresh, packs=packs)
    for page in site.rglob("*.html"):
        assert page.read_bytes() == (fresh / page.relative_to(site)).read_bytes()  # reproducible

    districts = shipped / "curriculum/districts.yaml"
    text = districts.read_text(encoding="utf-8")
    lundby = re.search(r"  - id: lundby\n(    .*\n)+", text)
    assert lundby is not None
    districts.write_text(text.replace(lundby.group(0), ""), encoding="utf-8")
    shrunk = publish_site(open_workspace(shipped), site, packs=packs)
    assert "lundby/bvc.html" in shrunk.removed and not (site / "lundby" / "bvc.html").exists()
    assert _assert_accessible_and_linked(site) == 3 + 10 * 9 + 2


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed; .ci/run installs it")
def test_the_site_opens_in_headless_chromium(mini: Path, tmp_path: Path) -> None:
    packs = tmp_path / "paket"
    build(open_workspace(mini), packs, jobs=1)
    site = tmp_path / "webbplats"
    publish_site(open_workspace(mini), site, packs=packs)
    for page, heading in (
        ("index.html", "<h1>"),
        ("örgryte-härlanda/bvc.html", "Örgryte-Härlanda – BVC"),
        ("status.html", "<h1>Status per område</h1>"),
    ):
        url = (site / page).as_uri()
        dom = chromium(tmp_path, "--dump-dom", url)
        assert heading in dom.stdout, page
        shot = tmp_path / (page.replace("/", "_") + ".png")
        chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", url)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000, page


@pytest.mark.slow
@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="needs LibreOffice and poppler"
)
def test_thumbnails_show_every_slide_with_alt_text(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    packs = tmp_path / "paket"
    build(open_workspace(mini), packs, districts=["örgryte-härlanda"], audiences=["bvc"], jobs=1)
    site = tmp_path / "webbplats"
    env = {"HOME": str(tmp_path)}
    result = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--thumbnails", env_extra=env)
    assert result.exit_code == 0, result.output
    page = _read(site / "örgryte-härlanda" / "bvc.html")
    pictures = sorted((site / "örgryte-härlanda" / "bvc" / "bilder").glob("bild-*.png"))
    with zipfile.ZipFile(packs / "örgryte-härlanda/bvc/slides.pptx") as deck:
        slides = sum(1 for n in deck.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))
    assert len(pictures) == len(page.images) == slides
    assert page.images[0]["alt"] and str(page.images[0]["alt"]).startswith("Bild 1: ")
    assert (packs / "örgryte-härlanda/bvc/slides.pdf").is_file()  # the PDF is a download too
    assert "bvc/slides.pdf" in (site / "örgryte-härlanda" / "bvc.html").read_text(encoding="utf-8")
    assert _assert_accessible_and_linked(site) > 0
    # Pages of packs that are not built say so, and link nothing that is missing.
    assert "inte byggt ännu" in (site / "angered" / "bvc.html").read_text(encoding="utf-8")

    again = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--thumbnails", env_extra=env)
    assert "wrote 0 files" in again.stderr


def test_without_libreoffice_thumbnails_are_said_to_be_missing(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    packs = tmp_path / "paket"
    build(open_workspace(mini), packs, jobs=1)
    empty = tmp_path / "bin"
    empty.mkdir()
    site = tmp_path / "webbplats"
    result = run(
        "site", "--workspace", mini, "--packs", packs, "--out", site, "--thumbnails", env_extra={"PATH": str(empty)}
    )
    assert result.exit_code == 0, result.output
    assert "LibreOffice behövs" in result.stderr
    assert "Miniatyrbilder är inte byggda: LibreOffice behövs" in (site / "angered/bvc.html").read_text(
        encoding="utf-8"
    )


def test_site_mistakes_are_one_line(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    missing = run("site", "--workspace", mini, "--packs", tmp_path / "finns-inte", "--out", tmp_path / "webb")
    assert missing.exit_code == 2 and "run 'vastbus build' first" in missing.stderr
    packs = tmp_path / "paket"
    build(open_workspace(mini), packs, districts=["central"], jobs=1)
    inside = run("site", "--workspace", mini, "--packs", packs, "--out", packs)
    assert inside.exit_code == 2 and "inside the packs folder" in inside.stderr
    assert "Traceback" not in missing.output + inside.output


def test_the_start_page_says_what_is_new_since_the_previous_version(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    before = tmp_path / "förra versionen"
    shutil.copytree(mini, before)
    packs = tmp_path / "paket"
    build(open_workspace(mini), packs, districts=["central"], jobs=1)
    replace_in(mini / "curriculum/modules/samtycke.yaml", 'title: "Ingen SIP utan samtycke"', 'title: "Samtycke först"')
    replace_in(mini / "curriculum/course.yaml", 'version: "1.0.0"', 'version: "1.1.0"')
    site = tmp_path / "webbplats"
    # The packs are older than the edit: published as they are (tests/test_site_stale.py).
    result = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--since", before, "--allow-stale")
    assert result.exit_code == 0, result.output
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "<li>Kursversion 1.1.0 (förra: 1.0.0).</li>" in start
    assert re.search(r"<li>Samtycke[^<]*: 1 ändrad bild\.</li>", start), start
    unknown = run("site", "--workspace", mini, "--packs", packs, "--out", site, "--since", "ingen-sådan-version")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output
