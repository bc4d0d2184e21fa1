"""`vastbus scan` against hostile folders and files: nothing hangs, crashes or stops the scan."""

from __future__ import annotations

import json
import os
import re
import socket
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation
from typer.testing import Result

from tests.conftest import ENV
from tests.test_scan import current_document, old_deck
from vastbus_cli import scan as scan_module
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build

NOT_UTF8 = os.fsdecode(b"gammal-\xff.pptx")


def _cli(workspace: Path, *args: str | Path, timeout: float = 30) -> subprocess.CompletedProcess[bytes]:
    """The real command in a subprocess, so that a hang is a timeout and not a frozen test run."""
    return subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "scan", "--workspace", str(workspace), *map(str, args)],
        capture_output=True,
        timeout=timeout,
        env={**os.environ, **ENV},
    )


def _json(result: subprocess.CompletedProcess[bytes]) -> dict[str, dict[str, Any]]:
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert result.returncode in (0, 1), result.stderr.decode("utf-8", "replace")
    data = json.loads(result.stdout.decode("utf-8"))
    return {Path(entry["path"]).name: entry for entry in data["files"]}


def _scan(run: Callable[..., Result], workspace: Path, *paths: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    result = run("scan", "--workspace", workspace, "--format", "json", *extra, *paths)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    files = json.loads(result.stdout)["files"]
    return {Path(entry["path"]).name: entry for entry in files}


# --- item 9: FIFOs, sockets, devices, link loops, deep trees --------------------------------------------


def test_fifo_in_a_folder_is_unreadable_and_does_not_hang(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    os.mkfifo(folder / "rör.pptx")
    current_document(folder / "aktuellt.docx")
    files = _json(_cli(mini, "--format", "json", folder))
    assert files["rör.pptx"]["status"] == "unreadable"
    assert files["rör.pptx"]["reason"] == "not a regular file: a named pipe (FIFO)"
    assert files["aktuellt.docx"]["status"] == "current"


def test_fifo_on_the_command_line_is_unreadable_and_does_not_hang(mini: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "rör.docx")
    current_document(tmp_path / "aktuellt.docx")
    files = _json(_cli(mini, "--format", "json", "--jobs", "2", tmp_path / "rör.docx", tmp_path / "aktuellt.docx"))
    assert files["rör.docx"]["status"] == "unreadable"
    assert "FIFO" in files["rör.docx"]["reason"]
    assert files["aktuellt.docx"]["status"] == "current"


def test_socket_and_device_are_unreadable(
    mini: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    # A socket path must be short; bind relative to the folder.
    monkeypatch.chdir(folder)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind("uttag.docx")
        (folder / "noll.pptx").symlink_to("/dev/zero")
        files = _scan(run, mini, folder)
    finally:
        server.close()
    assert files["uttag.docx"]["status"] == "unreadable"
    assert files["uttag.docx"]["reason"] == "not a regular file: a socket"
    assert files["noll.pptx"]["reason"] == "not a regular file: a character device"


def test_self_referencing_link_is_unreadable_and_the_scan_goes_on(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    (folder / "själv.pptx").symlink_to("själv.pptx")
    (folder / "a.docx").symlink_to("b.docx")
    (folder / "b.docx").symlink_to("a.docx")
    current_document(folder / "c-aktuellt.docx")
    files = _scan(run, mini, folder)
    for name in ("själv.pptx", "a.docx", "b.docx"):
        assert files[name]["status"] == "unreadable"
        assert "link loop" in files[name]["reason"], files[name]
    assert files["c-aktuellt.docx"]["status"] == "current"


def test_a_very_deep_tree_is_walked_without_recursion(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    top = tmp_path / "djup"
    chain = [top]
    for _ in range(1200):
        chain.append(chain[-1] / "d")
        chain[-1].mkdir(parents=True)
    current_document(chain[-1] / "längst-ner.docx")
    try:
        files = _scan(run, mini, top)
    finally:
        # shutil.rmtree recurses, and so would pytest's clean-up of tmp_path: remove the tree here.
        (chain[-1] / "längst-ner.docx").unlink()
        for folder in reversed(chain):
            folder.rmdir()
    assert files["längst-ner.docx"]["status"] == "current"


def test_a_folder_link_loop_is_not_followed(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    (folder / "under").mkdir(parents=True)
    current_document(folder / "under" / "aktuellt.docx")
    (folder / "under" / "tillbaka").symlink_to("..", target_is_directory=True)
    (folder / "ring").symlink_to("ring", target_is_directory=True)
    result = _cli(mini, "--format", "json", folder)
    files = json.loads(result.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == ["aktuellt.docx"]


# --- item 10: corrupt compressed entries --------------------------------------------------------------------


def _entry_data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length


def _recompress(path: Path, method: int) -> None:
    with zipfile.ZipFile(path) as old:
        entries = {info.filename: old.read(info) for info in old.infolist()}
    with zipfile.ZipFile(path, "w", method) as new:
        for name, data in entries.items():
            new.writestr(name, data)


def corrupt(path: Path, part: str, how: str) -> Path:
    """Damage one entry of an Office file in place, in the way ``how`` names."""
    methods = {
        "deflate": zipfile.ZIP_DEFLATED,
        "flip": zipfile.ZIP_DEFLATED,
        "lzma": zipfile.ZIP_LZMA,
        "bzip2": zipfile.ZIP_BZIP2,
        "crc": zipfile.ZIP_STORED,
    }
    if how in methods:
        _recompress(path, methods[how])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    start = _entry_data_offset(bytes(data), info)
    if how == "deflate":
        # BFINAL=1 with block type 3, which does not exist: zlib stops with "invalid block type".
        data[start] = 0xFF
    elif how in ("lzma", "bzip2"):
        for offset in range(start + 8, start + min(info.compress_size, 64)):
            data[offset] ^= 0x5A
    elif how in ("flip", "crc"):
        data[start + info.compress_size // 2] ^= 0xFF
    elif how == "method":
        # Compression method 99 in both headers: zipfile knows no such method.
        struct.pack_into("<H", data, info.header_offset + 8, 99)
        central = bytes(data).index(b"PK\x01\x02")
        while struct.unpack_from("<I", data, central + 42)[0] != info.header_offset:
            central = bytes(data).index(b"PK\x01\x02", central + 4)
        struct.pack_into("<H", data, central + 10, 99)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("how", ["deflate", "flip", "lzma", "bzip2", "crc", "method"])
def test_corrupt_entry_is_unreadable_and_the_scan_goes_on(
    mini: Path, tmp_path: Path, run: Callable[..., Result], how: str
) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    current_document(folder / "a-trasig.docx")
    corrupt(folder / "a-trasig.docx", "word/document.xml", how)
    current_document(folder / "b-aktuellt.docx")
    files = _scan(run, mini, folder)
    assert files["a-trasig.docx"]["status"] == "unreadable"
    assert "word/document.xml" in files["a-trasig.docx"]["reason"]
    assert files["b-aktuellt.docx"]["status"] == "current"


@pytest.mark.slow
def test_corrupt_deflate_stream_in_report_scan(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    old_deck(folders / "angered" / "gammal.pptx")
    corrupt(folders / "angered" / "gammal.pptx", "ppt/presentation.xml", "deflate")
    current_document(folders / "angered" / "ny.docx")
    build(open_workspace(mini), tmp_path / "paket", jobs=1)
    result = run("report", "--workspace", mini, "--out", tmp_path / "paket", "--scan", folders)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "1 aktuella, 0 på äldre utgåva, 0 utan känd utgåva, 1 oläsliga" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_corrupt_deflate_stream_in_a_parallel_scan(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    for index in range(10):
        current_document(folder / f"fil{index}.docx")
    corrupt(folder / "fil3.docx", "word/document.xml", "deflate")
    files = _json(_cli(mini, "--format", "json", "--jobs", "2", folder))
    assert [files[f"fil{i}.docx"]["status"] for i in range(10)] == ["current"] * 3 + ["unreadable"] + ["current"] * 6


# --- item 11: file names that are not UTF-8 ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_name_that_is_not_utf8_is_shown_escaped_everywhere(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    old_deck(Path(os.fsdecode(os.fsencode(folder) + b"/gammal-\xff.pptx")))
    (Path(os.fsdecode(os.fsencode(folder) + b"/ny\x1b[31m.docx"))).write_bytes(b"")
    written = tmp_path / "skanning.json"
    result = _cli(mini, "--format", "json", "--output", written, folder)
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    files = json.loads(written.read_bytes().decode("utf-8"))["files"]
    assert [Path(f["path"]).name for f in files] == ["gammal-\\xff.pptx", "ny\\x1b[31m.docx"]
    as_json = _cli(mini, "--format", "json", folder)
    assert json.loads(as_json.stdout.decode("utf-8"))["files"] == files
    as_text = _cli(mini, folder)
    text = as_text.stdout.decode("utf-8")
    assert "gammal-\\xff.pptx" in text and "\x1b" not in text
    as_text_file = _cli(mini, "--output", tmp_path / "skanning.txt", folder)
    assert as_text_file.returncode == 1
    assert "gammal-\\xff.pptx" in (tmp_path / "skanning.txt").read_bytes().decode("utf-8")


def test_display_name_is_always_valid_utf8(tmp_path: Path) -> None:
    result = scan_module.scan_file(tmp_path / NOT_UTF8, _rules())
    assert result.path.endswith("gammal-\\xff.pptx")
    result.path.encode("utf-8")


# --- item 15: --jobs is capped ---------------------------------------------------------------------------------


def test_jobs_are_capped_at_the_processors_and_files(
    mini: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "många"
    folder.mkdir()
    for index in range(12):
        current_document(folder / f"fil{index:02}.docx")
    started: list[int] = []
    real = scan_module.ProcessPoolExecutor

    class Recording(real):  # type: ignore[misc, valid-type]
        def __init__(self, max_workers: int | None = None, **kwargs: Any) -> None:
            started.append(max_workers or 0)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(scan_module, "ProcessPoolExecutor", Recording)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 2, raising=False)
    files = _scan(run, mini, folder, extra=("--jobs", "100000"))
    assert started == [2]
    assert {entry["status"] for entry in files.values()} == {"current"}


# --- item 16: very large text --------------------------------------------------------------------------------


def big_document(path: Path, paragraphs: int, text: str) -> Path:
    """A .docx with many paragraphs, written straight as XML (python-docx is slow at this size)."""
    current_document(path)
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    body = (f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * paragraphs).encode("utf-8")
    document = entries["word/document.xml"]
    start = document.index(b"<w:body>") + len(b"<w:body>")
    entries["word/document.xml"] = document[:start] + body + document[start:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_text_read_and_evidence_kept_are_bounded(
    mini: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Kalla till ett Västbusmöte enligt HSL 3 f §."
    monkeypatch.setattr(scan_module, "MAX_TEXT_CHARS", 250 * len(text))
    big_document(tmp_path / "stor.docx", 2000, text)
    entry = _scan(run, mini, tmp_path / "stor.docx")["stor.docx"]
    assert entry["status"] == "outdated"
    assert entry["truncated"] is True
    assert f"first {250 * len(text)} characters" in entry["reason"]
    rules: dict[str, int] = {}
    for evidence in entry["evidence"]:
        rules[evidence["rule"]] = rules.get(evidence["rule"], 0) + 1
    # Issue 29: "Kalla till ett Västbusmöte" is also the claim that Västbus still applies.
    kept = scan_module.MAX_EVIDENCE_PER_RULE
    assert rules == {"term/vastbusmote": kept, "term/hsl-3f": kept, "claim/misconception": kept}
    # The bound holds 250 whole paragraphs, each with both terms and the claim.
    assert entry["evidence_omitted"] == 3 * (250 - kept)


@pytest.mark.slow
def test_a_large_document_is_read_in_part_with_the_default_bound(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    paragraph = "Kalla till ett Västbusmöte. " * 10
    count = scan_module.MAX_TEXT_CHARS // len(paragraph) + 100
    big_document(tmp_path / "stor.docx", count, paragraph)
    entry = _scan(run, mini, tmp_path / "stor.docx")["stor.docx"]
    assert entry["status"] == "outdated" and entry["truncated"] is True
    # The term, and (issue 29) the claim that Västbus still applies, each kept to the bound.
    kept = scan_module.MAX_EVIDENCE_PER_RULE
    assert {e["rule"] for e in entry["evidence"]} == {"term/vastbusmote", "claim/misconception"}
    assert len(entry["evidence"]) == 2 * kept
    assert entry["evidence_omitted"] >= scan_module.MAX_TEXT_CHARS // len(paragraph) * 10 - kept


def test_a_small_file_is_read_whole(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    old_deck(tmp_path / "gammal.pptx")
    entry = _scan(run, mini, tmp_path / "gammal.pptx")["gammal.pptx"]
    assert entry["truncated"] is False and entry["evidence_omitted"] == 0
    assert entry["reason"] is None


@pytest.mark.slow
def test_one_enormous_paragraph_is_matched_in_linear_time(mini: Path, tmp_path: Path) -> None:
    # Overlapping matches were checked pairwise within a text: 40 000 matches in one paragraph took 80 s.
    big_document(tmp_path / "ett-stycke.docx", 1, "Västbusmöte " * 40_000)
    files = _json(_cli(mini, "--format", "json", tmp_path / "ett-stycke.docx", timeout=60))
    entry = files["ett-stycke.docx"]
    assert entry["status"] == "outdated" and entry["truncated"] is False
    listed = [e for e in entry["evidence"] if e["rule"] == "term/vastbusmote"]
    assert len(listed) + entry["evidence_omitted"] == 40_000


@pytest.mark.slow
def test_a_slide_referenced_over_and_over_is_unreadable(mini: Path, tmp_path: Path) -> None:
    # Found by hand after the property tests: 300 000 references to one slide without text took a minute.
    path = tmp_path / "upprepad.pptx"
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[6])
    deck.save(str(path))
    with zipfile.ZipFile(path) as archive:
        presentation = archive.read("ppt/presentation.xml").decode("utf-8")
    first = re.search(r"<p:sldId [^>]*/>", presentation)
    assert first is not None
    _replace_part(path, "ppt/presentation.xml", presentation.replace(first[0], first[0] * 300_000).encode())
    current_document(tmp_path / "vanlig.docx")
    files = _json(_cli(mini, "--format", "json", tmp_path, timeout=30))
    assert files["upprepad.pptx"]["status"] == "unreadable"
    assert "part reads" in files["upprepad.pptx"]["reason"]
    assert files["vanlig.docx"]["status"] == "current"


@pytest.mark.slow
def test_a_central_directory_of_millions_of_entries_is_refused_before_it_is_parsed(mini: Path, tmp_path: Path) -> None:
    # Found by hand: zipfile reads the whole central directory before the entry limit is checked,
    # so 2 million entries (94 MB) took about a minute and more than a gigabyte.
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) + b"a"
    directory = entry * 2_000_000
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, len(directory), 0, 0)
    (tmp_path / "miljoner.docx").write_bytes(b"PK" + directory[2:] + end)
    current_document(tmp_path / "vanlig.docx")
    files = _json(_cli(mini, "--format", "json", tmp_path, timeout=30))
    assert files["miljoner.docx"]["status"] == "unreadable"
    assert "central directory" in files["miljoner.docx"]["reason"]
    assert files["vanlig.docx"]["status"] == "current"


def _peak_rss_of_scan(workspace: Path, *paths: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """Scan in a subprocess that reports its own peak memory (kB) as it exits.

    VmHWM, not ru_maxrss: the latter survives exec, so it would count the test process that forked.
    """
    code = (
        "import atexit, pathlib, re, sys\n"
        "atexit.register(lambda: sys.stderr.write('peak=' + re.search(r'VmHWM:\\s*(\\d+)', "
        "pathlib.Path('/proc/self/status').read_text(encoding='utf-8'))[1] + '\\n'))\n"
        "from vastbus_cli.cli import app\n"
        "app()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "scan", "--workspace", str(workspace), "--format", "json", *map(str, paths)],
        capture_output=True,
        timeout=120,
        env={**os.environ, **ENV},
    )
    peak = int(re.findall(rb"peak=(\d+)", result.stderr)[-1])
    return peak, _json(result)


def _many(tag: bytes, count: int) -> bytes:
    # Attributes that differ keep the part under the zip-bomb ratio.
    return b"".join(b'<%s r="%d"/>' % (tag, (index * 7919) % 1_000_003) for index in range(count))


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux's /proc/self/status")
def test_a_huge_slide_and_a_huge_body_are_read_in_flat_memory(mini: Path, tmp_path: Path) -> None:
    # A million elements made a 400 MB tree; the parts are now parsed as they stream in.
    deck = tmp_path / "stor.pptx"
    old_deck(deck)
    with zipfile.ZipFile(deck) as archive:
        slide = archive.read("ppt/slides/slide2.xml")
    _replace_part(
        deck, "ppt/slides/slide2.xml", slide.replace(b"</p:txBody>", _many(b"a:p", 1_000_000) + b"</p:txBody>", 1)
    )
    document = big_document(tmp_path / "stor.docx", 1, "Kalla till ett Västbusmöte.")
    with zipfile.ZipFile(document) as archive:
        body = archive.read("word/document.xml")
    _replace_part(document, "word/document.xml", body.replace(b"<w:body>", b"<w:body>" + _many(b"w:x", 1_000_000), 1))
    for path in (deck, document):
        peak, files = _peak_rss_of_scan(mini, path)
        assert files[path.name]["status"] == "outdated", files[path.name]
        assert peak < 200_000, f"{path.name}: peak {peak} kB"


def test_a_rule_stopped_for_taking_too_long_is_named_in_the_reason(tmp_path: Path) -> None:
    # A pattern that runs out of its time budget on one file is not matched again in that
    # process (textrules); the files scanned after it must say they were not checked for it.
    from vastbus_cli.textrules import SlowPattern

    rules = _rules()
    rule = next(r for r in rules.rules if r.id == "vastbusmote")
    rules.rules.too_slow[(rule.edition, rule.id)] = SlowPattern(rule, 0, 0.25)
    result = scan_module.scan_file(old_deck(tmp_path / "gammal.pptx"), rules)
    assert result.status == "outdated"
    assert "term/vastbusmote" not in {e.rule for e in result.evidence}
    assert result.reason == "not matched, their patterns ran out of time: vastbusmote"


# --- item 17: a DTD after the first 4096 bytes ---------------------------------------------------------------


def _replace_part(path: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    entries[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE w:document [<!ENTITY dold "">]>',
        b'<!DOCTYPE w:document SYSTEM "https://example.invalid/x.dtd">',
    ],
    ids=["internal subset", "external id"],
)
def test_dtd_after_a_long_comment_is_unreadable(
    mini: Path, tmp_path: Path, run: Callable[..., Result], prolog: bytes
) -> None:
    path = tmp_path / "dold.docx"
    document = Document()
    document.save(str(path))
    hidden = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!--' + b"x" * 5000 + b"-->\n" + prolog + b'\n<w:document xmlns:w="'
        b"" + W.encode() + b'"><w:body><w:p><w:r><w:t>&dold;Kalla till ett V\xc3\xa4stbusm\xc3\xb6te.</w:t></w:r></w:p>'
        b"</w:body></w:document>"
    )
    if b"ENTITY" not in prolog:
        hidden = hidden.replace(b"&dold;", b"")
    _replace_part(path, "word/document.xml", hidden)
    entry = _scan(run, mini, path)["dold.docx"]
    assert entry["status"] == "unreadable"
    assert "DTD" in entry["reason"]


def test_dtd_in_a_header_part_is_unreadable(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    path = tmp_path / "sidhuvud.docx"
    current_document(path)
    header = (
        b'<?xml version="1.0"?><!--' + b"y" * 6000 + b'--><!DOCTYPE w:hdr [<!ENTITY e "x">]><w:hdr xmlns:w="'
        b"" + W.encode() + b'"><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:hdr>'
    )
    _replace_part(path, "word/header1.xml", header)
    entry = _scan(run, mini, path)["sidhuvud.docx"]
    assert entry["status"] == "unreadable" and "DTD" in entry["reason"]


# --- item 18: links ------------------------------------------------------------------------------------------------


def test_links_are_listed_under_their_own_names(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    elsewhere = tmp_path / "annat"
    elsewhere.mkdir()
    current_document(elsewhere / "mål.docx")
    (folder / "länk.docx").symlink_to(elsewhere / "mål.docx")
    (folder / "trasig.pptx").symlink_to("finns-inte.pptx")
    current_document(folder / "mål.docx")
    result = run("scan", "--workspace", mini, "--format", "json", folder)
    paths = [Path(f["path"]) for f in json.loads(result.stdout)["files"]]
    assert [p.name for p in paths] == ["länk.docx", "mål.docx", "trasig.pptx"]
    assert all(p.parent.name == "delad" for p in paths)
    files = _scan(run, mini, folder)
    assert files["länk.docx"]["status"] == "current"
    assert files["trasig.pptx"]["status"] == "unreadable"
    assert files["trasig.pptx"]["reason"] == "a broken symbolic link (to finns-inte.pptx)"


@pytest.mark.slow
def test_broken_link_inside_the_current_folder_keeps_its_name(
    mini: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    (folder / "trasig.pptx").symlink_to("saknas/borta.pptx")
    monkeypatch.chdir(folder)
    result = run("scan", "--workspace", mini, "--format", "json", ".")
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == ["trasig.pptx"]


# --- helpers ---------------------------------------------------------------------------------------------------------


def _rules() -> scan_module.Rules:
    import datetime as dt

    from tests.conftest import REPO
    from vastbus_cli import api

    editions = api.editions_of(api.open_workspace(REPO))
    day = dt.date(2026, 1, 1)
    return scan_module.prepare(editions, api.select_edition(editions, None, day), day)


def test_built_pack_still_round_trips_its_stamp(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1)
    files = _scan(run, mini, out)
    assert {entry["status"] for entry in files.values()} == {"current"}
    assert not any(entry["modified"] or entry["truncated"] for entry in files.values())
