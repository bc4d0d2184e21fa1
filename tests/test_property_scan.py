"""Property tests: no bytes, however mangled, make ``scan_file`` raise or hang.

The seeds are real files: packs built by ``vastbus build`` (stamped) and decks and
documents made with python-pptx and python-docx (unstamped, matched by their text).
Mutations work on the raw bytes (flips, cuts, insertions) and on the zip entries
(replaced by random bytes, malformed XML or XML with a DTD, duplicated, dropped,
recompressed). The profile in conftest sets the number of examples; this file asks for
at least a modest number so the suite finds something in CI, and
``pytest tests/test_property_scan.py --hypothesis-profile long`` searches deeper.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import signal
import struct
import warnings
import zipfile
from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, make_mini, no_hang
from tests.test_scan import current_document, old_deck, old_document
from tests.test_scan_hostile import big_document
from vastbus_cli import api
from vastbus_cli import scan as scan_module
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.scan import FileResult, Rules, prepare, scan_file

#: Every test here searches examples for seconds; the fast loop leaves them to CI (tests/test_scan_hostile.py
#: has a fast test of each kind of damage).
pytestmark = pytest.mark.slow

STATUSES = {"current", "outdated", "unknown", "unreadable"}
#: A scan of one small file takes milliseconds; this only catches a hang.
HANG_SECONDS = 20


def _examples(wanted: int) -> int:
    """At least ``wanted`` examples, more when the profile (``--hypothesis-profile long``) asks for more."""
    return max(wanted, settings().max_examples)


def _settings(wanted: int) -> settings:
    return settings(
        max_examples=_examples(wanted),
        deadline=dt.timedelta(seconds=HANG_SECONDS),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


@dataclass(frozen=True)
class Seed:
    """A real Office file to mutate."""

    name: str
    suffix: str
    data: bytes
    entries: tuple[tuple[str, bytes], ...]

    def __repr__(self) -> str:
        """Just the name: hypothesis prints the examples it draws."""
        return f"Seed({self.name!r})"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Seed]:
    """Built (stamped) packs and python-pptx/python-docx files, read once."""
    root = make_mini(tmp_path_factory.mktemp("arbetsyta") / "Västbus arbetsyta")
    out = root / "paket"
    build(open_workspace(root), out, districts=["central"], audiences=["bvc"], jobs=1)
    made = root / "gjorda"
    made.mkdir()
    files = [
        out / "central" / "bvc" / "slides.pptx",
        out / "central" / "bvc" / "handout.docx",
        old_deck(made / "gammal.pptx"),
        old_document(made / "gammalt.docx"),
        current_document(made / "aktuellt.docx"),
    ]
    result = []
    for path in files:
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = tuple((info.filename, archive.read(info)) for info in archive.infolist())
        result.append(Seed(path.relative_to(root).as_posix(), path.suffix, data, entries))
    return result


@pytest.fixture(scope="module")
def rules() -> Rules:
    editions = api.editions_of(api.open_workspace(REPO))
    day = dt.date(2026, 11, 23)
    return prepare(editions, api.select_edition(editions, None, day), day)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutationer")


def _no_hang(seconds: int = HANG_SECONDS) -> AbstractContextManager[None]:
    return no_hang(seconds)


def _check(path: Path, data: bytes, rules: Rules) -> FileResult:
    path.write_bytes(data)
    with _no_hang():
        result = scan_file(path, rules)
    assert isinstance(result, FileResult)
    assert result.status in STATUSES
    assert "unexpected" not in (result.reason or ""), result.reason
    for text in (result.path, result.reason or "", *(e.text for e in result.evidence)):
        text.encode("utf-8")
    counts = Counter(e.rule for e in result.evidence if e.rule.startswith(("term/", "claim/")))
    assert all(n <= scan_module.MAX_EVIDENCE_PER_RULE for n in counts.values())
    if result.status == "unreadable":
        assert result.reason and not result.evidence
    return result


# --- raw bytes ---------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM")
@_settings(100)
@given(
    prefix=st.sampled_from([b"", b"PK", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    body=st.binary(max_size=4096),
    suffix=st.sampled_from([".pptx", ".docx"]),
)
def test_random_bytes_never_crash(scratch: Path, rules: Rules, prefix: bytes, body: bytes, suffix: str) -> None:
    result = _check(scratch / f"slump{suffix}", prefix + body, rules)
    assert result.status == "unreadable"


def _read_spans(seed: Seed) -> list[tuple[int, int]]:
    """Where the stored data of the parts the scan reads lies in the file, so that edits can aim there."""
    spans = []
    with zipfile.ZipFile(io.BytesIO(seed.data)) as archive:
        for info in archive.infolist():
            if _read_by_scan(info.filename, seed):
                header = info.header_offset
                name_length, extra_length = struct.unpack("<HH", seed.data[header + 26 : header + 30])
                start = header + 30 + name_length + extra_length
                spans.append((start, start + info.compress_size))
    return spans


@st.composite
def _mutated(draw: st.DrawFn, seed: Seed) -> bytes:
    buffer = bytearray(seed.data)
    spans = _read_spans(seed)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if draw(st.booleans()) and spans:
            # Inside the compressed data of a part the scan reads: corrupt streams, CRC errors.
            low, high = draw(st.sampled_from(spans))
            at = draw(st.integers(min_value=low, max_value=max(low, min(high, len(buffer)) - 1)))
        else:
            at = draw(st.integers(min_value=0, max_value=len(buffer)))
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if kind == "flip":
            for offset, byte in enumerate(draw(st.binary(min_size=1, max_size=4))):
                if at + offset < len(buffer):
                    buffer[at + offset] ^= byte or 0xFF
        elif kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del buffer[at : at + draw(st.integers(min_value=1, max_value=64))]
    return bytes(buffer)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM")
@_settings(150)
@given(which=st.integers(min_value=0, max_value=4), data=st.data())
def test_mutated_bytes_of_real_files_never_crash(
    seeds: list[Seed], scratch: Path, rules: Rules, which: int, data: st.DataObject
) -> None:
    seed = seeds[which]
    _check(scratch / f"muterad{seed.suffix}", data.draw(_mutated(seed)), rules)


# --- zip entries -----------------------------------------------------------------------------------------------------

_DTD = (
    b'<!DOCTYPE r [<!ENTITY e "Samverkan f\xc3\xb6r barns och ungas h\xc3\xa4lsa">]>',
    b'<!DOCTYPE r SYSTEM "http://example.invalid/r.dtd">',
    b'<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
)


def _xml_variant(data: bytes, draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "cut", "garbage", "dtd", "deep", "entity-ref", "empty"]))
    if kind == "random":
        return draw(st.binary(max_size=2048))
    if kind == "cut":
        return data[: draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))]
    if kind == "garbage":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        junk = draw(st.sampled_from([b"<", b">", b"</x>", b"<x", b"&", b"&amp", b"]]>", b"<?x", b"\x00", b"\xff"]))
        return data[:at] + junk + data[at:]
    if kind == "dtd":
        padding = b"<!--" + b"-" * 0 + b"x" * draw(st.integers(min_value=0, max_value=6000)) + b"-->"
        declaration = draw(st.sampled_from(_DTD))
        start = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:start] + padding + declaration + data[start:]
    if kind == "deep":
        depth = draw(st.integers(min_value=100, max_value=5000))
        return b"<r>" + b"<a>" * depth + b"</a>" * depth + b"</r>"
    if kind == "entity-ref":
        return data.replace(b"<a:t>", b"<a:t>&undefined;", 1).replace(b"<w:t>", b"<w:t>&undefined;", 1)
    return b""


@st.composite
def _repacked(draw: st.DrawFn, seeds: list[Seed]) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(seeds))
    entries = list(seed.entries)
    names = [name for name, _ in entries]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        action = draw(st.sampled_from(["replace", "duplicate", "drop", "rename"]))
        index = draw(st.integers(min_value=0, max_value=len(entries) - 1))
        name, data = entries[index]
        if action == "replace":
            entries[index] = (name, _xml_variant(data, draw))
        elif action == "duplicate":
            entries.insert(draw(st.integers(min_value=0, max_value=len(entries))), (name, _xml_variant(data, draw)))
        elif action == "drop" and len(entries) > 1:
            del entries[index]
        elif action == "rename":
            entries[index] = (draw(st.sampled_from([*names, "../x.xml", "/abs.xml", "ppt/slides/\u00e5.xml"])), data)
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return seed.suffix, buffer.getvalue()


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM")
@_settings(150)
@given(data=st.data())
def test_repacked_entries_never_crash(seeds: list[Seed], scratch: Path, rules: Rules, data: st.DataObject) -> None:
    suffix, content = data.draw(_repacked(seeds))
    _check(scratch / f"ompackad{suffix}", content, rules)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM")
@_settings(60)
@given(data=st.data())
def test_a_dtd_anywhere_before_the_root_is_refused(
    seeds: list[Seed], scratch: Path, rules: Rules, data: st.DataObject
) -> None:
    seed = data.draw(st.sampled_from(seeds))
    text_parts = [n for n, _ in seed.entries if n.endswith(".xml") and not n.startswith("[")]
    part = data.draw(st.sampled_from(text_parts))
    comment = b"<!--" + b"x" * data.draw(st.integers(min_value=0, max_value=20_000)) + b"-->"
    declaration = data.draw(st.sampled_from(_DTD))
    entries = []
    for name, content in seed.entries:
        if name == part:
            start = content.find(b"?>") + 2 if content.startswith(b"<?xml") else 0
            content = content[:start] + comment + declaration + content[start:]
        entries.append((name, content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    result = _check(scratch / f"dtd{seed.suffix}", buffer.getvalue(), rules)
    # A part the scan does not read (a theme, a layout) may carry anything; a part it reads may not.
    if result.status != "unreadable":
        assert not _read_by_scan(part, seed), part
    else:
        assert "DTD" in (result.reason or ""), result.reason


def _read_by_scan(part: str, seed: Seed) -> bool:
    if part in ("docProps/custom.xml", "word/document.xml", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels"):
        return True
    if seed.suffix == ".docx":
        return re.fullmatch(r"word/(header|footer)\d*\.xml", part) is not None
    return part.startswith(("ppt/slides/slide", "ppt/notesSlides/", "ppt/slides/_rels/"))


# --- scanning a long text gives what one pass over it gives ------------------------------------------------

WORDS = [
    "Västbusmöte",
    "västbus-möte",
    "HSL 3 f §",
    "landstinget",
    "Västbus reviderade riktlinjer 2012",
    "Samverkan för barns och ungas hälsa",
    "SIP",
    "samordnad individuell plan",
    # A claim with a look-behind ("inte bara …") and one with a look-ahead ("gäller inte").
    "inte",
    "bara",
    "för de mest komplexa fall",
    "Västbus gäller",
    "längre",
    "och",
    "barn",
    "skola",
    ".",
    "\n",
]


def _evidence_text(match: Any) -> str:
    """The evidence text scan gives a match: a claim names itself and the words that made it."""
    text = " ".join(match.text.split())
    if match.rule.rule != "claim/misconception":
        return text
    words = f" (words: {', '.join(match.words)})" if match.words else ""
    return f"{match.rule.id}: {text}{words}"


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM")
@_settings(60)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2500))
def test_long_text_scanned_like_one_pass(scratch: Path, rules: Rules, words: list[str]) -> None:
    text = " ".join(words).replace(" \n ", "\n")
    path = big_document(scratch / "lang.docx", 1, text.replace("\n", " "))
    text = text.replace("\n", " ")
    expected = Counter(
        (f"term/{m.rule.id}" if m.rule.rule == "term/outdated" else m.rule.rule, _evidence_text(m))
        for ruleset in (rules.markers, rules.rules)
        for index, m in ruleset.matches_many([text])
    )
    with mock.patch.object(scan_module, "MAX_EVIDENCE_PER_RULE", 1_000_000), _no_hang():
        result = scan_file(path, rules)
    found = Counter(
        ("marker/edition" if e.rule == "marker/edition" else e.rule, e.text)
        for e in result.evidence
        if e.location == "paragraph 1"
    )
    assert found == expected
