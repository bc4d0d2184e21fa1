"""``vastbus build --pdf``: PDFs beside the packs, made by LibreOffice, incremental, never outdated.

Most cases run a stand-in for LibreOffice (a small script named by ``VASTBUS_SOFFICE`` that
writes a PDF with one page per slide, or a wrong count, or hangs), so the rules hold on any
machine; one case runs the real LibreOffice where it is installed (CI installs it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import replace_in
from vastbus_cli.render.pdf import make_pdfs

ONE_PACK = ("--district", "central", "--audience", "bvc")
FILES = ("slides", "handout", "trainer-guide")

#: Writes "<stem>.pdf" for every input into --outdir, with one page per slide of a deck (plus
#: $FAKE_EXTRA_PAGES), and logs each input; $FAKE_SLEEP makes it hang.
FAKE_SOFFICE = """\
import os, re, sys, time, zipfile
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(f"pid {os.getpid()}\\n")
time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
inputs = [a for a in args if a.endswith((".pptx", ".docx"))]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(f"{args[0]}\\n")
    for path in inputs:
        if path.endswith(".pptx"):
            names = zipfile.ZipFile(path).namelist()
            pages = sum(1 for n in names if re.fullmatch(r"ppt/slides/slide\\d+\\.xml", n))
        else:
            pages = 3
        pages += int(os.environ.get("FAKE_EXTRA_PAGES", "0"))
        body = b"".join(b"%d 0 obj << /Type /Page >> endobj\\n" % (n + 3) for n in range(pages))
        (out / (Path(path).stem + ".pdf")).write_bytes(b"%PDF-1.4\\n" + body + b"%%EOF\\n")
        log.write(path + "\\n")
"""


@pytest.fixture
def fake_soffice(tmp_path: Path) -> dict[str, str]:
    """The environment that makes build use the stand-in; its log lists each profile and file converted."""
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\n{FAKE_SOFFICE}", encoding="utf-8")
    script.chmod(0o755)
    return {"VASTBUS_SOFFICE": str(script), "FAKE_LOG": str(tmp_path / "soffice.log")}


def _converted(env: dict[str, str]) -> list[str]:
    log = Path(env["FAKE_LOG"])
    if not log.exists():
        return []
    return [Path(line).name.split("-", 1)[1] for line in log.read_text(encoding="utf-8").splitlines() if "/in/" in line]


def _pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


def _slides(deck: Path) -> int:
    with zipfile.ZipFile(deck) as archive:
        return sum(1 for name in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", name))


def test_pdf_writes_a_pdf_beside_every_file_and_only_changed_ones_again(
    mini: Path, run: Callable[..., Result], tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    out = tmp_path / "Paket åäö"
    first = run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice)
    assert first.exit_code == 0, first.output
    pack = out / "central" / "bvc"
    for name in FILES:
        assert (pack / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    assert _pages(pack / "slides.pdf") == _slides(pack / "slides.pptx")
    assert "Wrote 3 files and 3 PDFs. Manifest:" in first.stderr
    assert sorted(_converted(fake_soffice)) == ["handout.docx", "slides.pptx", "trainer-guide.docx"]

    again = run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice)
    assert again.exit_code == 0, again.output
    assert "Nothing changed since the last build; unchanged: 3 files and 3 PDFs." in again.stderr
    assert len(_converted(fake_soffice)) == 3  # nothing converted the second time

    replace_in(mini / "curriculum/modules/samtycke.yaml", 'title: "Ingen SIP utan samtycke"', 'title: "Samtycke först"')
    edited = run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice)
    assert edited.exit_code == 0, edited.output
    # The deck and the guide (every slide's notes under its title) changed; the handout did not.
    assert sorted(_converted(fake_soffice)[3:]) == ["slides.pptx", "trainer-guide.docx"]


def test_each_libreoffice_gets_its_own_profile(
    mini: Path, run: Callable[..., Result], tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    result = run(
        "build", "--workspace", mini, "--out", tmp_path / "out", "--pdf", "--jobs", "2", env_extra=fake_soffice
    )
    assert result.exit_code == 0, result.output
    log = Path(fake_soffice["FAKE_LOG"]).read_text(encoding="utf-8").splitlines()
    profiles = [line for line in log if line.startswith("-env:UserInstallation=")]
    assert len(profiles) == 2 and len(set(profiles)) == 2
    assert not list((tmp_path / "out").glob(".vastbus-pdf-work-*"))  # the scratch folders are gone


def test_an_outdated_pdf_is_removed_when_its_file_is_built_anew_without_pdf(
    mini: Path, run: Callable[..., Result], tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    out = tmp_path / "out"
    assert run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice).exit_code == 0
    mine = out / "central" / "bvc" / "anteckningar.pdf"
    mine.write_bytes(b"%PDF-1.4 not made by vastbus")
    replace_in(mini / "curriculum/modules/samtycke.yaml", 'title: "Ingen SIP utan samtycke"', 'title: "Samtycke först"')
    result = run("build", "--workspace", mini, "--out", out, *ONE_PACK)
    assert result.exit_code == 0, result.output
    assert "removed 2 PDFs made from an earlier version of their file" in result.stderr
    assert not (out / "central/bvc/slides.pdf").exists() and not (out / "central/bvc/trainer-guide.pdf").exists()
    assert (out / "central/bvc/handout.pdf").exists() and mine.exists()


def test_a_deck_pdf_without_one_page_per_slide_is_not_kept(
    mini: Path, run: Callable[..., Result], tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    env = fake_soffice | {"FAKE_EXTRA_PAGES": "1"}
    result = run("build", "--workspace", mini, "--out", tmp_path / "out", *ONE_PACK, "--pdf", env_extra=env)
    assert result.exit_code == 3
    slides = _slides(tmp_path / "out/central/bvc/slides.pptx")
    assert f"central/bvc/slides.pptx: no PDF: the PDF has {slides + 1} pages for {slides} slides" in result.stderr
    assert not (tmp_path / "out/central/bvc/slides.pdf").exists()
    assert (tmp_path / "out/central/bvc/handout.pdf").exists()
    assert "Traceback" not in result.output


def test_without_libreoffice_pdf_says_how_to_install_it_and_builds_nothing(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run("build", "--workspace", mini, "--out", tmp_path / "out", "--pdf", env_extra={"PATH": str(empty)})
    assert result.exit_code == 2
    assert "--pdf needs LibreOffice" in result.stderr and "apt-get install libreoffice-impress" in result.stderr
    assert not (tmp_path / "out").exists()
    wrong = run("build", "--workspace", mini, "--pdf", env_extra={"VASTBUS_SOFFICE": str(empty / "soffice")})
    assert wrong.exit_code == 2 and "VASTBUS_SOFFICE" in wrong.stderr


@pytest.mark.slow
def test_a_libreoffice_over_its_time_limit_is_stopped(
    mini: Path,
    run: Callable[..., Result],
    tmp_path: Path,
    fake_soffice: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out"
    assert run("build", "--workspace", mini, "--out", out, *ONE_PACK).exit_code == 0
    for name, value in (fake_soffice | {"FAKE_SLEEP": "60"}).items():
        monkeypatch.setenv(name, value)
    files = {f"central/bvc/{name}": "sha" for name in ("slides.pptx", "handout.docx")}
    start = time.monotonic()
    result = make_pdfs(out, files, soffice=Path(fake_soffice["VASTBUS_SOFFICE"]), jobs=1, time_limit=1)
    assert time.monotonic() - start < 30
    assert [rel for rel, _ in result.failed] == sorted(files)
    assert all("did not finish within 1 s" in reason for _, reason in result.failed)
    assert not list(out.rglob("*.pdf"))


@pytest.mark.slow
def test_ctrl_c_stops_libreoffice_at_once_and_keeps_the_packs(
    mini: Path, tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "vastbus_cli", "build", "--workspace", str(mini), "--out", str(out), "--pdf"]
    env = {**os.environ, **fake_soffice, "FAKE_SLEEP": "120"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    log = Path(fake_soffice["FAKE_LOG"])
    deadline = time.monotonic() + 120
    while not (log.exists() and "pid" in log.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr.decode()
    assert "Traceback" not in stderr.decode()
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("pid "):
            with pytest.raises(ProcessLookupError):
                os.kill(int(line.split()[1]), 0)
    assert (out / "manifest.json").is_file() and (out / "central/bvc/slides.pptx").is_file()
    assert not list(out.glob(".vastbus-pdf-work-*")) and not list(out.rglob("*.pdf"))


@pytest.mark.slow
@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)
def test_libreoffice_writes_one_pdf_page_per_slide(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "Paket"
    district = ("--district", "örgryte-härlanda", "--audience", "bvc")
    result = run("build", "--workspace", mini, "--out", out, *district, "--pdf", env_extra={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    pack = out / "örgryte-härlanda" / "bvc"
    assert _pages(pack / "slides.pdf") == _slides(pack / "slides.pptx")
    assert _pages(pack / "handout.pdf") >= 1 and _pages(pack / "trainer-guide.pdf") >= 1
