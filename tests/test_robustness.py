"""No input file, however broken, produces a traceback or a hang: each becomes a finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ENV, findings_of, rules_of, write

MOD = "curriculum/modules/samtycke.yaml"

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

CASES: list[tuple[str, bytes, str]] = [
    ("binary junk", bytes(range(256)) * 40, "file/not-text"),
    ("not utf-8", "title: Västbus".encode("latin-1"), "file/encoding"),
    ("empty", b"", "file/empty"),
    ("only a comment", b"# nothing here\n", "file/empty"),
    ("alias bomb", BILLION_LAUGHS.encode(), "yaml/too-complex"),
    ("deep flow nesting", b"[" * 100_000 + b"]" * 100_000, "yaml/too-deep"),
    (
        "deep block nesting",
        "".join(" " * i + "a:\n" for i in range(500)).encode() + b" " * 500 + b"b\n",
        "yaml/too-deep",
    ),
    ("compact nested lists", b"- " * 5000 + b"x\n", "yaml/too-deep"),
    ("moderate nesting", ("x: " + "[" * 80 + "]" * 80 + "\n").encode(), "yaml/too-deep"),
    ("python tag", b"id: !!python/object/apply:os.system ['echo pwned']\n", "yaml/unsupported-tag"),
    ("a list, not a mapping", b"- a\n- b\n", "schema/type"),
    ("a single value", b"just text\n", "schema/type"),
    ("unclosed quote", b'id: "samtycke\ntitle: x\n', "yaml/syntax"),
    ("bad indentation", b"id: x\n  title: y\n title: z\n", "yaml/syntax"),
]


@pytest.mark.parametrize(("name", "content", "rule"), CASES, ids=[c[0] for c in CASES])
def test_broken_module_is_a_finding(mini: Path, name: str, content: bytes, rule: str) -> None:
    (mini / MOD).write_bytes(content)
    # A subprocess, so that a crash in the C parser could not take the test run down with it.
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "check", "--workspace", str(mini), "--format", "json"],
        capture_output=True,
        timeout=60,
        env={**os.environ, **ENV},
    )
    assert result.returncode == 1, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert rule in rules_of(report), report["findings"]
    assert any(f["file"] == MOD for f in findings_of(report, rule))


def test_python_tag_is_never_executed(mini: Path, tmp_path: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    marker = tmp_path / "pwned"
    (mini / MOD).write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    check_json(mini)
    assert not marker.exists()


def test_oversized_file(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    (mini / MOD).write_text("# " + "x" * 2_100_000 + "\n", encoding="utf-8")
    assert findings_of(check_json(mini), "file/too-large")


def test_crlf_and_bom_keep_positions(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    path = mini / MOD
    text = path.read_text(encoding="utf-8").replace("objectives:", "objektives:")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    (finding,) = findings_of(check_json(mini), "schema/unknown-key")
    assert (finding["line"], finding["column"]) == (6, 1)


def test_several_duplicate_keys_are_all_reported(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    path = mini / MOD
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("minutes: 20\n", "minutes: 20\nminutes: 25\n").replace(
            "area: funktion\n", "area: funktion\narea: x\n"
        ),
        encoding="utf-8",
    )
    lines = sorted(f["line"] for f in findings_of(check_json(mini), "yaml/duplicate-key"))
    assert lines == [4, 7]


def test_missing_course_file(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    (mini / "curriculum" / "course.yaml").unlink()
    report = check_json(mini)
    assert [f["file"] for f in findings_of(report, "file/missing")] == ["curriculum/course.yaml"]


def test_broken_guideline_file_does_not_stop_the_rest(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    write(mini / "guidelines" / "trasig.yaml", "id: [\n")
    replace_text = (mini / MOD).read_text(encoding="utf-8").replace("objectives:", "objektives:")
    (mini / MOD).write_text(replace_text, encoding="utf-8")
    rules = rules_of(check_json(mini))
    assert {"yaml/syntax", "schema/unknown-key"} <= rules


def test_unreadable_file_is_reported(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = mini / MOD
    path.chmod(0)
    try:
        assert findings_of(check_json(mini), "file/unreadable")
    finally:
        path.chmod(0o644)


def test_no_guideline_editions_at_all(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    for path in (mini / "guidelines").iterdir():
        path.unlink()
    report = check_json(mini)
    assert findings_of(report, "file/missing")
    assert report["exit_code"] == 1
