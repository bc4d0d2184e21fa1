"""Nothing lost: files keep their mode, line endings, BOM and comments; edits are all or nothing."""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import current_fingerprint, ref, write
from vastbus_cli.yamlio import load_yaml

MOD = "curriculum/modules/samtycke.yaml"
FP = current_fingerprint("samtycke")
OLD_FP = current_fingerprint("samtycke", "bou-halsa-2021")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _module(refs: str, slide_id: str = "kravs", module_id: str = "samtycke") -> str:
    return (
        f'id: {module_id}\ntitle: "Samtycke"\narea: funktion\nbuilt_on: bou-halsa-2023\nminutes: 20\n'
        f'objectives:\n  - "Kunna förklara samtycke."\nslides:\n'
        f'  - id: {slide_id}\n    title: "Ingen SIP utan samtycke"\n    bullets:\n      - "En SIP kräver samtycke."\n'
        f"    refs:\n{refs}"
    )


def _changed_lines(before: str, after: str) -> int:
    matcher = difflib.SequenceMatcher(a=before.splitlines(keepends=True), b=after.splitlines(keepends=True))
    return sum(max(a2 - a1, b2 - b1) for tag, a1, a2, b1, b2 in matcher.get_opcodes() if tag != "equal")


# --- 1. modes ------------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="mode bits are POSIX")
def test_written_files_get_the_umask_mode(
    mini: Path, run: Callable[..., Result], tmp_path: Path, umask_022: None
) -> None:
    out = tmp_path / "paket"
    assert run("build", "--workspace", mini, "--out", out, "--district", "central", "--jobs", "1").exit_code == 0
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert written and {p.name for p in written} >= {"slides.pptx", "handout.docx", "manifest.json"}
    assert {_mode(p) for p in written} == {0o644}
    report = tmp_path / "fynd.json"
    assert run("check", "--workspace", mini, "--format", "json", "--output", report).exit_code == 0
    html = tmp_path / "status.html"
    assert run("report", "--workspace", mini, "--out", out, "--html", html).exit_code == 0
    assert _mode(report) == _mode(html) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="mode bits are POSIX")
def test_an_edited_file_keeps_its_own_mode(mini: Path, run: Callable[..., Result], umask_022: None) -> None:
    (mini / MOD).chmod(0o664)
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna")
    assert result.exit_code == 0, result.output
    assert _mode(mini / MOD) == 0o664


# --- 2. line endings and BOM -----------------------------------------------------------------


def test_review_keeps_crlf_and_bom(mini: Path, run: Callable[..., Result]) -> None:
    text = _module(ref("samtycke", "bou-halsa-2021")).replace("\n", "\r\n")
    (mini / MOD).write_bytes("\ufeff".encode() + text.encode("utf-8"))
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    raw = (mini / MOD).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"\r\n" in raw
    edited = raw.decode("utf-8")
    assert _changed_lines(text, edited[1:]) == 2  # the edition and the reviewed record
    assert "edition: bou-halsa-2023\r\n" in edited and 'reviewed: {by: "Anna", on: 2026-11-30}\r\n' in edited


@pytest.mark.slow
def test_review_keeps_lone_cr_line_ends(mini: Path, run: Callable[..., Result]) -> None:
    unreviewed = ref("samtycke", "bou-halsa-2021").split("        reviewed:")[0]
    text = _module(unreviewed).replace("\n", "\r")
    (mini / MOD).write_bytes(text.encode("utf-8"))
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    raw = (mini / MOD).read_bytes()
    assert b"\n" not in raw and b'        reviewed:\r          by: "Anna"\r          on: 2026-11-30' in raw


def test_upgrade_keeps_crlf(mini: Path, run: Callable[..., Result]) -> None:
    text = _module(ref("samtycke", "bou-halsa-2021")).replace("bou-halsa-2023", "bou-halsa-2021", 1)
    crlf = text.replace("\n", "\r\n")
    (mini / MOD).write_bytes(crlf.encode("utf-8"))
    result = run("upgrade", "--workspace", mini, "--to", "bou-halsa-2023", MOD, "--write")
    assert result.exit_code == 0, result.output
    raw = (mini / MOD).read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert _changed_lines(crlf, raw.decode("utf-8")) == 2  # built_on and the ref's edition


def test_review_with_no_change_gives_identical_bytes(mini: Path, run: Callable[..., Result]) -> None:
    text = _module(ref("samtycke")).replace("\n", "\r\n")
    (mini / MOD).write_bytes("\ufeff".encode() + text.encode("utf-8"))
    first = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Testare", "--on", "2026-11-22")
    assert first.exit_code == 0, first.output
    once = (mini / MOD).read_bytes()
    run("review", "--workspace", mini, "--section", "samtycke", "--by", "Testare", "--on", "2026-11-22")
    assert (mini / MOD).read_bytes() == once
    assert once.startswith(b"\xef\xbb\xbf") and once.count(b"\n") == once.count(b"\r\n")


# --- 3. all or nothing; aliases and flow refs ------------------------------------------------


ALIASED = f"""\
id: samtycke
title: "Samtycke"
area: funktion
built_on: bou-halsa-2023
minutes: 20
objectives:
  - "Kunna förklara samtycke."
slides:
  - id: kravs
    title: "Ingen SIP utan samtycke"
    bullets: ["En SIP kräver samtycke."]
    refs:
      - &r1
        section: samtycke
        edition: bou-halsa-2021
        fingerprint: {OLD_FP}
  - id: igen
    title: "Samma källa"
    bullets: ["Samma sak igen."]
    refs:
      - *r1
      - {{section: samtycke, edition: bou-halsa-2021, fingerprint: "{OLD_FP}"}}
"""


def test_review_all_edits_aliased_and_flow_refs(mini: Path, run: Callable[..., Result]) -> None:
    write(mini / MOD, ALIASED)
    other = mini / "curriculum/modules/annan.yaml"
    write(other, _module(ref("samtycke", "bou-halsa-2021"), module_id="annan"))
    result = run("review", "--workspace", mini, "--all", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    edited = (mini / MOD).read_text(encoding="utf-8")
    loaded = load_yaml(mini / MOD, MOD)
    assert not loaded.findings
    refs = [r for slide in loaded.data["slides"] for r in slide["refs"]]
    assert len(refs) == 3
    assert all(r["fingerprint"] == FP and r["edition"] == "bou-halsa-2023" for r in refs)
    assert all(r["reviewed"]["by"] == "Anna" for r in refs)
    assert "      - *r1\n" in edited and 'reviewed: {by: "Anna", on: 2026-11-30}}' in edited
    assert "the same ref as above (a YAML alias)" in result.stdout
    assert FP in other.read_text(encoding="utf-8")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_review_all_writes_nothing_when_one_file_cannot_be_edited(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    write(mini / MOD, _module(ref("samtycke", "bou-halsa-2021")))
    outside = write(tmp_path / "utanför.yaml", _module(ref("samtycke", "bou-halsa-2021"), module_id="annan"))
    (mini / "curriculum/modules/annan.yaml").symlink_to(outside)
    before = {p: p.read_bytes() for p in (mini / MOD, outside)}
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 2
    assert "nothing was written" in result.stderr
    assert "curriculum/modules/annan.yaml is a link to" in result.stderr and "outside the workspace" in result.stderr
    assert {p: p.read_bytes() for p in before} == before


# --- 4. comments after block scalars -----------------------------------------------------------


FOLDED = f"""\
      - section: samtycke
        edition: bou-halsa-2021
        fingerprint: {OLD_FP}
        reviewed:
          by: Bo
          on: 2025-01-01
          note: >-
            Läst mot 2021 års text,
            utan ändringar.
        # Granskas igen när riktlinjen ändras.
"""


def test_comment_after_a_folded_note_stays_on_its_own_line(mini: Path, run: Callable[..., Result]) -> None:
    write(mini / MOD, _module(FOLDED))
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    edited = (mini / MOD).read_text(encoding="utf-8")
    assert '          by: "Anna"\n          on: 2026-11-30\n        # Granskas igen när riktlinjen ändras.\n' in edited
    assert not load_yaml(mini / MOD, MOD).findings


def test_inserted_record_goes_after_a_trailing_comment_and_block_note(mini: Path, run: Callable[..., Result]) -> None:
    refs = f"      - section: samtycke\n        edition: bou-halsa-2021\n        fingerprint: {OLD_FP}  # gammal\n"
    write(mini / MOD, _module(refs) + "# slut\n")
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    edited = (mini / MOD).read_text(encoding="utf-8")
    assert f"fingerprint: {FP}  # gammal\n        reviewed:\n" in edited and edited.endswith("# slut\n")


# --- 5. symbolic links -------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_review_through_a_link_edits_the_target(mini: Path, run: Callable[..., Result]) -> None:
    target = write(mini / "curriculum/delat/samtycke.yaml", _module(ref("samtycke", "bou-halsa-2021")))
    (mini / MOD).unlink()
    (mini / MOD).symlink_to(Path("../delat/samtycke.yaml"))
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna")
    assert result.exit_code == 0, result.output
    assert (mini / MOD).is_symlink()
    assert FP in target.read_text(encoding="utf-8")
