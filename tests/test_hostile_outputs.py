"""Issue 24, classes 1, 10, 11 and 12: what the commands write, and where.

1. An output the user names (``-o``, ``--html``) never replaces what the name points at.
10. Text from files is printed with control characters escaped; JSON is always valid UTF-8.
11. A closed or full stdout is one line and exit 3; an encoding without å does not crash.
12. ``report -f csv`` cells that a spreadsheet would run as formulas are quoted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import ENV, REPO, no_hang, replace_in

Run = Callable[..., Result]

#: A module key with a terminal escape (retitle the window, clear the screen) and one with a
#: newline that would start a forged finding line.
HOSTILE_KEYS = '"\\e]0;pwned\\a\\e[2J": 1\n"a\\nfake.yaml:1:1: error forged/rule gotcha": 2\n'


def _empty_build(folder: Path) -> Path:
    """An output folder a build made with nothing in it: report and site trust only the manifest (issue 30)."""
    folder.mkdir()
    (folder / "manifest.json").write_text('{"files": []}\n', encoding="utf-8")
    return folder


def _cli(*args: str | Path, **options: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m vastbus_cli`` as a separate process (its own stdout), bytes in and out."""
    env = {**os.environ, **ENV, **options.pop("env", {})}  # type: ignore[dict-item]
    return subprocess.run(
        [sys.executable, "-m", "vastbus_cli", *map(str, args)],
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
        **options,  # type: ignore[call-overload]
    )


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- 1. outputs never replace what the user named ------------------------------------------


def test_output_to_a_link_writes_its_target_and_keeps_the_link(run: Run, mini: Path, tmp_path: Path) -> None:
    _empty_build(tmp_path / "build")
    target = tmp_path / "mål" / "rapport.json"
    target.parent.mkdir()
    target.write_text("gammalt", encoding="utf-8")
    link = tmp_path / "länk.json"
    link.symlink_to(target)

    result = run("check", "--workspace", mini, "--format", "json", "--output", link)

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.readlink() == target
    assert json.loads(target.read_text(encoding="utf-8"))["summary"] == {"error": 0, "warning": 0, "info": 0}
    assert [p.name for p in target.parent.iterdir()] == ["rapport.json"], "no temporary file left"


@pytest.mark.parametrize(
    "command",
    [
        ("report", "--out", "{build}", "--html", "{out}"),
        pytest.param(("report", "--out", "{build}", "--format", "csv", "--output", "{out}"), marks=pytest.mark.slow),
        pytest.param(("report", "--out", "{build}", "--output", "{out}"), marks=pytest.mark.slow),
        pytest.param(("scan", "{build}", "--output", "{out}"), marks=pytest.mark.slow),
        ("scan", "{build}", "--format", "json", "--output", "{out}"),
        pytest.param(("changes", ".", ".", "--output", "{out}"), marks=pytest.mark.slow),
    ],
    ids=["report-html", "report-csv", "report-text", "scan-text", "scan-json", "changes"],
)
def test_every_command_output_follows_a_link(
    run: Run, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    build = _empty_build(mini / "paket")
    target = tmp_path / "mål.txt"
    target.write_text("gammalt", encoding="utf-8")
    link = tmp_path / "länk.txt"
    link.symlink_to(target)
    args = [a.format(build=build, out=link) for a in command]

    monkeypatch.chdir(mini)
    result = run(*args, "--workspace", mini)

    assert result.exit_code in (0, 1), result.output
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert target.read_text(encoding="utf-8") not in ("", "gammalt")


def test_output_to_a_fifo_is_streamed_to_its_reader(run: Run, mini: Path, tmp_path: Path) -> None:
    expected = run("check", "--workspace", mini, "--format", "json").stdout
    fifo = tmp_path / "rör"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    try:
        with no_hang(30):
            result = run("check", "--workspace", mini, "--format", "json", "--output", fifo)
        received, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
        reader.wait()
    assert result.exit_code == 0, result.output
    assert received.decode("utf-8") == expected
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO stays a FIFO"


def test_output_to_a_character_device_writes_to_the_device(run: Run, mini: Path, tmp_path: Path) -> None:
    """A private copy of /dev/null (made with mknod, so a failure cannot harm the machine's)."""
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        node.write_bytes(b"x")  # a filesystem mounted nodev refuses to open it
    except (PermissionError, OSError):
        pytest.skip("cannot make or use a device node here (not root, or nodev)")

    result = run("check", "--workspace", mini, "--format", "json", "--output", node)

    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(node.lstat().st_mode), "the device was replaced by a regular file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".null")] == []


def test_output_to_dev_null_works_and_leaves_it_a_device(run: Run, mini: Path) -> None:
    result = run("check", "--workspace", mini, "--output", "/dev/null")

    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_output_to_dev_stdout_goes_to_standard_output(mini: Path) -> None:
    done = _cli("check", "--workspace", mini, "--format", "json", "--output", "/dev/stdout", capture_output=True)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["summary"]["error"] == 0
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


@pytest.mark.parametrize("through_link", [False, True], ids=["folder", "link-to-folder"])
def test_output_to_a_folder_is_one_line_and_exit_2(run: Run, mini: Path, tmp_path: Path, through_link: bool) -> None:
    folder = tmp_path / "en mapp"
    folder.mkdir()
    (folder / "behåll.txt").write_text("kvar", encoding="utf-8")
    named = folder
    if through_link:
        named = tmp_path / "länk"
        named.symlink_to(folder)

    result = run("check", "--workspace", mini, "--output", named)

    assert result.exit_code == 2, result.output
    assert "is a folder" in _one_line(result.stderr)
    assert [p.name for p in folder.iterdir()] == ["behåll.txt"]


# --- 10. text from files is printable; JSON is valid UTF-8 ---------------------------------


def test_keys_with_escapes_and_newlines_are_shown_escaped_one_finding_per_line(run: Run, mini: Path) -> None:
    module = mini / "curriculum" / "modules" / "samtycke.yaml"
    module.write_text(module.read_text(encoding="utf-8") + HOSTILE_KEYS, encoding="utf-8")

    result = run("check", "--workspace", mini)

    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout and "\a" not in result.stdout
    lines = result.stdout.splitlines()
    assert not any(line.startswith("fake.yaml") for line in lines), "a forged finding line"
    unknown = [line for line in lines if "schema/unknown-key" in line]
    assert len(unknown) == 2
    assert "'\\x1b]0;pwned\\x07\\x1b[2J'" in unknown[0]
    assert "'a\\nfake.yaml:1:1: error forged/rule gotcha'" in unknown[1]
    # JSON keeps the exact text (JSON escapes control characters itself).
    report = json.loads(run("check", "--workspace", mini, "--format", "json").stdout)
    assert {"\x1b]0;pwned\x07\x1b[2J", "a\nfake.yaml:1:1: error forged/rule gotcha"} <= {
        f["message"].split("'")[1] for f in report["findings"] if f["rule"] == "schema/unknown-key"
    }


def test_messages_on_stderr_show_escapes_escaped(run: Run, tmp_path: Path) -> None:
    result = run("check", "--workspace", tmp_path / "x\x1b[2J\nerror: forged")

    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "x\\x1b[2J\\nerror: forged" in _one_line(result.stderr)


@pytest.mark.slow
def test_a_non_utf8_file_name_keeps_json_valid_utf8(run: Run, mini: Path, tmp_path: Path) -> None:
    modules = os.fsencode(mini / "curriculum" / "modules")
    Path(os.fsdecode(modules + b"/gammal-\xff.yaml")).write_text("id: gammal\n", encoding="utf-8")
    out = tmp_path / "fynd.json"

    for output_format in ("json", "sarif"):
        result = run("check", "--workspace", mini, "--format", output_format, "--output", out)
        assert result.exit_code == 1, result.output
        text = out.read_bytes().decode("utf-8")  # strict: fails on any byte that is not UTF-8
        assert "gammal-\\\\xff.yaml" in text
        json.loads(text)
    report = json.loads(run("check", "--workspace", mini, "--format", "json").stdout)
    assert "curriculum/modules/gammal-\\xff.yaml" in {f["file"] for f in report["findings"]}
    text_report = run("check", "--workspace", mini).stdout
    assert "curriculum/modules/gammal-\\xff.yaml:" in text_report


def test_a_non_utf8_file_name_keeps_json_on_stdout_valid_utf8(mini: Path) -> None:
    modules = os.fsencode(mini / "curriculum" / "modules")
    Path(os.fsdecode(modules + b"/gammal-\xff.yaml")).write_text("id: gammal\n", encoding="utf-8")

    done = _cli("check", "--workspace", mini, "--format", "json", capture_output=True)

    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout.decode("utf-8"))
    assert "curriculum/modules/gammal-\\xff.yaml" in {f["file"] for f in report["findings"]}


# --- 11. streams ----------------------------------------------------------------------------


def test_a_closed_stdout_is_one_line_and_exit_3(mini: Path) -> None:
    done = _cli("check", "--workspace", mini, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))

    assert done.returncode == 3, done.stderr
    assert "cannot write to standard output" in _one_line(done.stderr.decode())


def test_a_closed_stdout_does_not_matter_when_the_output_goes_to_a_file(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "fynd.txt"
    done = _cli("check", "--workspace", mini, "-o", out, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))

    assert done.returncode == 0, done.stderr
    assert "no errors" in out.read_text(encoding="utf-8")


def test_a_broken_pipe_stays_quiet(mini: Path) -> None:
    """A reader that stops early (``| head``) ends the command without a message, as before."""
    command = [sys.executable, "-m", "vastbus_cli", "check", "--workspace", str(mini)]
    process = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, **ENV}, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    process.stdout.close()  # before the command writes anything
    _, errors = process.communicate(timeout=120)

    assert process.returncode not in (0, 3), errors
    assert errors == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_stdout_is_one_line_and_exit_3(mini: Path) -> None:
    with Path("/dev/full").open("wb") as full:
        done = _cli("check", "--workspace", mini, "--format", "json", stdout=full, stderr=subprocess.PIPE)

    assert done.returncode == 3, done.stderr
    assert "No space left on device" in _one_line(done.stderr.decode())


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_an_encoding_without_the_characters_escapes_them(mini: Path, encoding: str) -> None:
    _empty_build(mini / "paket")
    env = {"PYTHONIOENCODING": encoding}

    diff = _cli("diff", "bou-halsa-2021", "bou-halsa-2023", "-w", mini, capture_output=True, env=env)
    report = _cli("report", "-w", mini, capture_output=True, env=env)
    as_json = _cli("diff", "bou-halsa-2021", "bou-halsa-2023", "-w", mini, "-f", "json", capture_output=True, env=env)
    as_utf8 = _cli("diff", "bou-halsa-2021", "bou-halsa-2023", "-w", mini, "-f", "json", capture_output=True)

    assert (diff.returncode, report.returncode, as_json.returncode) == (0, 0, 0), (diff.stderr, report.stderr)
    assert diff.stdout.decode(encoding).startswith("bou-halsa-2021 \\u2192 bou-halsa-2023")
    assert "\\u2013" in report.stdout.decode(encoding)  # the en dash in the edition line
    assert json.loads(as_json.stdout.decode(encoding)) == json.loads(as_utf8.stdout.decode("utf-8"))


# --- 12. CSV formula injection --------------------------------------------------------------


def test_csv_cells_that_start_like_a_formula_are_quoted(run: Run, mini: Path, tmp_path: Path) -> None:
    districts = mini / "curriculum" / "districts.yaml"
    replace_in(districts, 'name: "Angered"', 'name: "=HYPERLINK(\\"http://x.example\\",\\"Klicka\\")"')
    replace_in(mini / "curriculum" / "course.yaml", 'name: "BVC"', "name: \"@SUM(1+1)*cmd|' /C calc'!A0\"")
    replace_in(mini / "curriculum" / "course.yaml", 'name: "Förskola"', 'name: "\\t=1+2"')
    _empty_build(mini / "paket")
    out = tmp_path / "status.csv"

    result = run("report", "--workspace", mini, "--format", "csv", "--output", out)

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8").lstrip("\ufeff")), delimiter=";"))
    names = {row["område_id"]: row["område"] for row in rows}
    assert names["angered"] == '\'=HYPERLINK("http://x.example","Klicka")'
    assert names["örgryte-härlanda"] == "Örgryte-Härlanda", "other text is unchanged"
    audiences = {row["yrkesgrupp_id"]: row["yrkesgrupp"] for row in rows}
    assert audiences == {"bvc": "'@SUM(1+1)*cmd|' /C calc'!A0", "forskola": "'\t=1+2"}
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
