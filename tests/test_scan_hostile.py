"""`vastbus scan` against hostile folders and files: nothing hangs, crashes or stops the scan."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import Result

from tests.conftest import ENV
from tests.test_scan import current_document, old_deck
from vastbus_cli import scan as scan_module
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


def test_corrupt_deflate_stream_in_report_scan(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    folders = tmp_path / "områden"
    (folders / "angered").mkdir(parents=True)
    old_deck(folders / "angered" / "gammal.pptx")
    corrupt(folders / "angered" / "gammal.pptx", "ppt/presentation.xml", "deflate")
    current_document(folders / "angered" / "ny.docx")
    build(mini, tmp_path / "paket", jobs=1)
    result = run("report", "--workspace", mini, "--out", tmp_path / "paket", "--scan", folders)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output
    assert "1 current, 0 outdated, 0 unknown, 1 unreadable" in result.stdout


def test_corrupt_deflate_stream_in_a_parallel_scan(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    for index in range(10):
        current_document(folder / f"fil{index}.docx")
    corrupt(folder / "fil3.docx", "word/document.xml", "deflate")
    files = _json(_cli(mini, "--format", "json", "--jobs", "2", folder))
    assert [files[f"fil{i}.docx"]["status"] for i in range(10)] == ["current"] * 3 + ["unreadable"] + ["current"] * 6


# --- item 11: file names that are not UTF-8 ----------------------------------------------------------------


# --- item 15: --jobs is capped ---------------------------------------------------------------------------------


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


# --- helpers ---------------------------------------------------------------------------------------------------------


def _rules() -> scan_module.Rules:
    import datetime as dt

    from tests.conftest import REPO
    from vastbus_cli import api

    editions = api.editions_of(api.open_workspace(REPO))
    day = dt.date(2026, 1, 1)
    return scan_module.prepare(editions, api.select_edition(editions, None, day), day)
