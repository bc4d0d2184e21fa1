"""`vastbus scan`: anyone's .pptx and .docx files, judged by stamp or by text."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Inches
from typer.testing import Result

from tests.conftest import ENV, SHARED
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build


def _scan(run: Callable[..., Result], workspace: Path, *paths: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    result = run("scan", "--workspace", workspace, "--format", "json", *paths)
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert set(data) == {"edition", "files"}
    for entry in data["files"]:
        assert {"path", "status", "edition", "evidence"} <= set(entry)
        assert entry["status"] in ("current", "outdated", "unknown", "unreadable")
    return result.exit_code, {Path(f["path"]).name: f for f in data["files"]}


def _locations(entry: dict[str, Any]) -> set[str]:
    return {e["location"] for e in entry["evidence"]}


def old_deck(path: Path) -> Path:
    """An unstamped deck teaching the 2012 guidelines: body, notes, table and grouped shape."""
    deck = Presentation()
    blank, content = deck.slide_layouts[6], deck.slide_layouts[1]
    first = deck.slides.add_slide(content)
    first.shapes.title.text = "Välkommen"
    first.placeholders[1].text = "Vi utgår från Västbus reviderade riktlinjer 2012."
    second = deck.slides.add_slide(content)
    second.shapes.title.text = "Så gör vi"
    second.placeholders[1].text = "Ta kontakt tidigt."
    second.notes_slide.notes_text_frame.text = "Berätta hur man kallar till ett Västbusmöte."
    third = deck.slides.add_slide(blank)
    table = third.shapes.add_table(2, 2, Inches(1), Inches(1), Inches(6), Inches(2)).table
    table.cell(0, 0).text = "Lag"
    table.cell(1, 0).text = "HSL 3 f §"
    fourth = deck.slides.add_slide(blank)
    group = fourth.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(1), Inches(4), Inches(1))
    box.text_frame.text = "Kontakta landstinget."
    deck.save(str(path))
    return path


def old_document(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Information om samverkan")
    document.add_paragraph("Enligt Västbus riktlinjer ska skolan ta kontakt.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Blankett"
    table.cell(0, 1).text = "Avvikelserapport enligt Västbus riktlinjer"
    document.save(str(path))
    return path


def current_document(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Samverkan för barns och ungas hälsa")
    document.add_paragraph("Förskolan kan kalla till SIP. Planen följs upp vid ett SIP-möte.")
    document.save(str(path))
    return path


def test_unstamped_files_by_their_text(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "Delad mapp – Västbus"
    folder.mkdir()
    old_deck(folder / "gammal.pptx")
    old_document(folder / "gammalt.docx")
    current_document(folder / "aktuellt.docx")
    Document().save(str(folder / "tomt.docx"))
    code, files = _scan(run, mini, folder)
    assert code == 1
    deck = files["gammal.pptx"]
    assert deck["status"] == "outdated"
    assert deck["edition"] == "vastbus-2012"
    assert {"slide 1", "notes of slide 2", "slide 3", "slide 4"} <= _locations(deck)
    rules = {(e["location"], e["rule"]) for e in deck["evidence"]}
    assert ("notes of slide 2", "term/vastbusmote") in rules
    assert ("slide 3", "term/hsl-3f") in rules
    assert ("slide 4", "term/landstinget") in rules
    document = files["gammalt.docx"]
    assert document["status"] == "outdated"
    assert {"paragraph 2", "table 1"} <= _locations(document)
    assert files["aktuellt.docx"]["status"] == "current"
    assert files["aktuellt.docx"]["edition"] == "bou-halsa-2021"
    assert files["tomt.docx"]["status"] == "unknown"


def test_built_packs_by_their_stamp(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1)
    code, files = _scan(run, mini, out)
    assert code == 0
    assert {entry["status"] for entry in files.values()} == {"current"}
    assert all(entry["edition"] == "bou-halsa-2023" and not entry["modified"] for entry in files.values())
    deck = out / "central/bvc/slides.pptx"
    _edit_slide(deck, "Ingen SIP utan samtycke", "Inget möte utan samtycke")
    code, files = _scan(run, mini, deck)
    assert files["slides.pptx"]["modified"] is True
    assert "stamp/modified" in {e["rule"] for e in files["slides.pptx"]["evidence"]}
    _edit_slide(deck, "Inget möte utan samtycke", "Kalla till ett Västbusmöte")
    code, files = _scan(run, mini, deck)
    assert code == 1 and files["slides.pptx"]["status"] == "outdated"


def test_pack_on_an_older_edition_is_outdated(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "gammalt"
    build(
        open_workspace(mini),
        out,
        districts=["central"],
        audiences=["bvc"],
        formats=["docx"],
        edition="bou-halsa-2021",
        jobs=1,
    )
    code, files = _scan(run, mini, out)
    assert code == 1
    assert files["handout.docx"]["status"] == "outdated"
    assert files["handout.docx"]["edition"] == "bou-halsa-2021"


def _edit_slide(deck: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(deck) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(deck, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename.startswith("ppt/slides/slide"):
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def hostile_files(folder: Path) -> dict[str, str]:
    """Broken and hostile files, with a word their reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    _zip(folder / "bomb.pptx", {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"\0" * 60_000_000})
    buffer = io.BytesIO()
    old_deck(folder / "hel.pptx")
    data = (folder / "hel.pptx").read_bytes()
    (folder / "avklippt.pptx").write_bytes(data[: len(data) // 2])
    (folder / "hel.pptx").unlink()
    (folder / "text.pptx").write_text("Det här är ingen presentation.", encoding="utf-8")
    entities = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        b"<w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    _zip(folder / "entiteter.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": entities})
    (folder / "krypterad.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    del buffer
    return {
        "bomb.pptx": "zip bomb",
        "avklippt.pptx": "zip",
        "text.pptx": "not an Office file",
        "entiteter.docx": "entities",
        "krypterad.docx": "encrypted",
    }


def test_hostile_files_are_unreadable_and_the_scan_goes_on(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "fientligt"
    expected = hostile_files(folder)
    current_document(folder / "aktuellt.docx")
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "scan", "--workspace", str(mini), "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **ENV},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    for name, word in expected.items():
        assert files[name]["status"] == "unreadable", files[name]
        assert word in files[name]["reason"], files[name]["reason"]
    assert files["aktuellt.docx"]["status"] == "current"


CORPUS = SHARED / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (real Office files written by others)")
def test_every_corpus_file_gets_a_status(mini: Path, run: Callable[..., Result]) -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".pptx", ".docx"))
    _code, results = _scan(run, mini, CORPUS)
    assert len(results) == len(files)
    assert all(entry["status"] in ("current", "unknown", "outdated", "unreadable") for entry in results.values())
    assert [name for name, entry in results.items() if entry["status"] == "unreadable"] == []


def test_parallel_scan_gives_the_same_result(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "många"
    folder.mkdir()
    for index in range(12):
        (old_deck if index % 2 else current_document)(folder / f"fil{index:02}.{'pptx' if index % 2 else 'docx'}")
    one = run("scan", "--workspace", mini, "--format", "json", folder)
    two = run("scan", "--workspace", mini, "--format", "json", "--jobs", "2", folder)
    assert one.stdout == two.stdout


def test_text_output_and_usage_errors(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    old_deck(tmp_path / "gammal.pptx")
    result = run("scan", "--workspace", mini, tmp_path / "gammal.pptx")
    assert result.exit_code == 1
    assert result.stdout.startswith("outdated")
    assert "notes of slide 2: term/vastbusmote: Västbusmöte" in result.stdout
    assert result.stdout.rstrip().endswith("1 file compared with bou-halsa-2023: 1 outdated")
    missing = run("scan", "--workspace", mini, tmp_path / "finns-inte")
    assert missing.exit_code == 2


def _claim_correction(workspace: Path, claim_id: str) -> str:
    """The claim's ``correct`` text as the guideline file has it, whitespace normalised."""
    editions = [document.model for document in open_workspace(workspace).editions]
    (claim, *_) = [claim for edition in editions for claim in edition.claims if claim.id == claim_id]
    return " ".join(claim.correct.split())


def misconceptions_document(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Om samverkan")
    document.add_paragraph("SIP-mötet är ett beställningsforum för skolan.")
    document.add_paragraph("Vi utgår från Västbus reviderade riktlinjer.")
    document.add_paragraph("Kalla till ett Västbusmöte.")
    document.save(str(path))
    return path


def test_scan_says_what_to_say_instead_of_each_misconception(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    path = misconceptions_document(tmp_path / "fel.docx")
    code, files = _scan(run, mini, path)
    assert code == 1
    evidence = files["fel.docx"]["evidence"]
    by_rule = {e["rule"]: e for e in evidence}
    claim = next(e for e in evidence if e["text"].startswith("bestallningsforum:"))
    assert claim["location"] == "paragraph 2"
    assert claim["correct"] == _claim_correction(mini, "bestallningsforum")
    assert "  " not in claim["correct"] and "\n" not in claim["correct"]
    assert by_rule["term/vastbusmote"]["correct"] == "SIP-möte"
    # What names an edition or the stamp has nothing to correct.
    assert by_rule["marker/edition"]["correct"] is None
    text = run("scan", "--workspace", mini, path).stdout.splitlines()
    at = text.index(next(line for line in text if "paragraph 2: claim/misconception: bestallningsforum" in line))
    assert text[at + 1].strip() == f"say instead: {claim['correct']}"
    assert not any("say instead" in line for line in text if "marker/edition" in line)


def test_a_current_document_has_nothing_to_correct(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    path = current_document(tmp_path / "aktuellt.docx")
    code, files = _scan(run, mini, path)
    assert code == 0
    assert files["aktuellt.docx"]["evidence"]
    assert all(e["correct"] is None for e in files["aktuellt.docx"]["evidence"])
    assert "say instead" not in run("scan", "--workspace", mini, path).stdout


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
def test_the_terminal_table_shows_what_to_say_instead(mini: Path, tmp_path: Path) -> None:
    import pty

    path = misconceptions_document(tmp_path / "fel.docx")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "vastbus_cli", "scan", "--workspace", str(mini), str(path)],
        stdout=follower,
        stderr=subprocess.PIPE,
        env={
            **{k: v for k, v in os.environ.items() if k != "COLUMNS"},
            **ENV,
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, stderr = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 1, stderr.decode()
    # The table wraps the evidence column: its rows read as one text without the rules.
    shown = " ".join(re.sub("[│┃]", " ", b"".join(chunks).decode("utf-8", "replace")).split())
    # An outdated term's replacement (the table keeps the first findings and counts the rest).
    assert "Västbus reviderade riktlinjer → say instead: Samverkan för barns och ungas hälsa" in shown
    assert "→ say instead: " + _claim_correction(mini, "bestallningsforum") in shown
