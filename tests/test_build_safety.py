"""Builds that are interrupted, run at once, moved or fed a damaged cache lose nothing."""

from __future__ import annotations

import hashlib
import json
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
from typing import Any

import pytest
from docx import Document
from pptx import Presentation
from typer.testing import Result

from tests.conftest import ENV, findings_of, rules_of, write
from vastbus_cli.api import open_workspace
from vastbus_cli.build import STATE, build, pack_status
from vastbus_cli.workspace import load_workspace

IMAGE_SLIDE = """\
  - id: bild
    title: "Stegen i bild"
    image:
      path: templates/images/sip-steg.png
      alt: "De sex stegen i en SIP"
"""


def _run_vastbus(*args: str | Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "vastbus_cli", *map(str, args)],
        cwd=cwd,
        env={**os.environ, **ENV, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _pack_files(out: Path) -> dict[str, Path]:
    return {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file() and p.suffix in (".pptx", ".docx")}


def _assert_manifest_matches_disk(out: Path) -> dict[str, Any]:
    """Every pack file opens, none is half-written, and the manifest lists exactly those files."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = _pack_files(out)
    assert set(listed) == set(on_disk)
    assert not list(out.rglob("*.tmp"))
    for rel, path in on_disk.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == listed[rel]["sha256"], rel
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        (Presentation if path.suffix == ".pptx" else Document)(str(path))
    return listed


# --- 6. concurrent builds; SIGINT ----------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_into_one_folder_at_once_list_every_file(shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    builds = [
        _run_vastbus("build", "--workspace", shipped, "--out", out, "--district", district, "--jobs", "1")
        for district in ("angered", "centrum")
    ]
    for process in builds:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr.decode()
    listed = _assert_manifest_matches_disk(out)
    assert {rel.split("/")[0] for rel in listed} == {"angered", "centrum"}


def test_a_stale_manifest_entry_is_dropped(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], jobs=1)
    shutil.rmtree(out / "central/bvc")  # a colleague cleaned up the shared folder
    build(open_workspace(mini), out, districts=["angered"], jobs=1)
    listed = _assert_manifest_matches_disk(out)
    assert "central/forskola/slides.pptx" in listed and not [rel for rel in listed if "central/bvc" in rel]


@pytest.mark.slow
def test_interrupted_build_leaves_whole_files_all_listed(shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    process = _run_vastbus("build", "--workspace", shipped, "--out", out, "--jobs", "2")
    deadline = time.monotonic() + 120
    while len(_pack_files(out)) < 6 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the build finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr.decode()
    assert "Traceback" not in stderr.decode()
    listed = _assert_manifest_matches_disk(out)
    assert 6 <= len(listed) < 264
    resumed = build(open_workspace(shipped), out)
    assert not set(resumed.written) & set(listed)  # what was whole and listed is not built again
    _assert_manifest_matches_disk(out)


# --- 7. a moved workspace -----------------------------------------------------------------------


def test_a_copied_workspace_builds_nothing_anew(mini: Path, tmp_path: Path) -> None:
    module = mini / "curriculum/modules/samtycke.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("quiz:\n", IMAGE_SLIDE + "quiz:\n", 1), encoding="utf-8")
    out = tmp_path / "paket"
    assert build(open_workspace(mini), out, jobs=1).written
    moved = tmp_path / "flyttad arbetsyta"
    shutil.copytree(mini, moved)
    again = build(open_workspace(moved), out, jobs=1)
    assert again.written == [] and again.skipped
    assert set(pack_status(load_workspace(moved), out).values()) == {"current"}


# --- 8. damaged cache and manifest ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (STATE, '{"files": []}'),
        pytest.param(STATE, '{"inputs": 5, "files": {}}', marks=pytest.mark.slow),
        pytest.param(STATE, '{"files": {"central/bvc/slides.pptx": 7}}', marks=pytest.mark.slow),
        pytest.param(STATE, "[1, 2", marks=pytest.mark.slow),
        pytest.param("manifest.json", '{"files": [{"path": 5, "sha256": "x"}]}', marks=pytest.mark.slow),
        pytest.param("manifest.json", '{"files": {"central": 1}}', marks=pytest.mark.slow),
        pytest.param(
            "manifest.json",
            '{"files": [{"path": "../../utanför.pptx", "sha256": "x"}, 7, null]}',
            marks=pytest.mark.slow,
        ),
        ("manifest.json", "\u00ff not json"),
    ],
)
@pytest.mark.parametrize("force", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_damaged_cache_or_manifest_is_ignored_and_rebuilt(
    mini: Path, run: Callable[..., Result], tmp_path: Path, name: str, content: str, force: bool
) -> None:
    out = tmp_path / "paket"
    assert run("build", "--workspace", mini, "--out", out, "--district", "central").exit_code == 0
    (out / name).write_text(content, encoding="utf-8")
    result = run("build", "--workspace", mini, "--out", out, "--district", "central", *(["--force"] if force else []))
    assert result.exit_code == 0, result.output
    assert "warning: ignoring" in result.stderr
    _assert_manifest_matches_disk(out)
    assert not (tmp_path / "utanför.pptx").exists()
    clean = run("build", "--workspace", mini, "--out", out, "--district", "central")
    assert clean.exit_code == 0 and "warning" not in clean.stderr


# --- 18. paths, pipes and links in the workspace --------------------------------------------------


def test_check_of_a_path_outside_the_workspace_is_a_usage_error(mini: Path, run: Callable[..., Result]) -> None:
    result = run("check", "--workspace", mini, "/etc/passwd")
    assert result.exit_code == 2
    assert "/etc/passwd is outside the workspace" in result.stderr
    assert run("check", "--workspace", mini, mini / "curriculum/modules").exit_code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_for_course_yaml_is_named_not_missing(mini: Path, check_json: Callable[..., Any]) -> None:
    course = mini / "curriculum/course.yaml"
    course.unlink()
    os.mkfifo(course)
    (finding,) = findings_of(check_json(mini), "file/not-regular")
    assert finding["file"] == "curriculum/course.yaml" and "named pipe" in finding["message"]
    assert "file/missing" not in rules_of(check_json(mini))


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_link_loops_and_broken_links_under_modules_are_findings(mini: Path, check_json: Callable[..., Any]) -> None:
    modules = mini / "curriculum/modules"
    (modules / "slinga.yaml").symlink_to("slinga.yaml")
    (modules / "trasig.yaml").symlink_to("finns-inte.yaml")
    found = {f["file"]: f["message"] for f in findings_of(check_json(mini), "file/unreadable")}
    assert "link loop" in found["curriculum/modules/slinga.yaml"]
    assert "broken symbolic link (to finns-inte.yaml)" in found["curriculum/modules/trasig.yaml"]


# --- 19. default output folder ---------------------------------------------------------------------


def test_build_in_a_subfolder_writes_to_the_workspace_packs_folder(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mini / "curriculum")
    assert run("build", "--district", "central", "--audience", "bvc").exit_code == 0
    assert (mini / "paket/central/bvc/slides.pptx").is_file()
    assert not (mini / "curriculum/paket").exists()
    report = run("report")
    assert report.exit_code == 0 and re.search(r"Central version +1 aktuella, 1 saknas", report.stdout), report.stdout
    assert run("build", "--district", "central", "--audience", "bvc", "--out", "egen").exit_code == 0
    assert (mini / "curriculum/egen/central/bvc/slides.pptx").is_file()


# --- 20. messages and exit codes ------------------------------------------------------------------


def test_refused_build_names_the_edition(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    write(mini / "curriculum/modules/trasig.yaml", "id: trasig\n")
    result = run("build", "--workspace", mini, "--out", tmp_path / "paket")
    assert result.exit_code == 1
    assert "Checked against bou-halsa-2023" in result.stdout and "no edition" not in result.stdout


def test_bad_review_date_names_the_option(mini: Path, run: Callable[..., Result]) -> None:
    result = run("review", "--workspace", mini, "--all", "--by", "Anna", "--on", "2026-13-01")
    assert result.exit_code == 2
    assert "--on '2026-13-01' is not a date" in result.stderr and "--as-of" not in result.stderr


def test_no_arguments_shows_help_and_exits_2() -> None:
    process = _run_vastbus()
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Usage: vastbus" in stdout.decode()


def test_report_on_a_missing_build_folder_is_a_usage_error(mini: Path, run: Callable[..., Result]) -> None:
    result = run("report", "--workspace", mini, "--out", mini / "finns-inte")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "vastbus build" in result.stderr


def test_messages_keep_brackets_in_names(run: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "[utkast] material"
    folder.mkdir()
    result = run("check", "--workspace", folder)
    assert result.exit_code == 2
    assert "[utkast] material is not a workspace" in result.stderr


def test_sample_slides_left_in_the_template_are_not_in_the_deck(mini: Path, tmp_path: Path) -> None:
    template = mini / "templates/slides.pptx"
    designed = Presentation(str(template))
    for _ in range(2):
        sample = designed.slides.add_slide(designed.slide_layouts[0])
        sample.shapes.title.text = "Exempelbild från formgivaren"
    designed.save(str(template))
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], formats=["pptx"], jobs=1)
    deck = out / "central/bvc/slides.pptx"
    with zipfile.ZipFile(deck) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names))
        presentation = archive.read("ppt/presentation.xml").decode("utf-8")
    assert presentation.count("<p:sldIdLst>") == 1
    titles = [slide.shapes.title.text for slide in Presentation(str(deck)).slides if slide.shapes.title is not None]
    assert "Exempelbild från formgivaren" not in titles and titles


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and links")
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.mkdir(), ("path/not-an-image", "is a folder")),
        (lambda path: os.mkfifo(path), ("path/not-an-image", "pipe or device")),
        (lambda path: path.symlink_to(path.name), ("path/missing-file", "a link loop")),
    ],
)
def test_an_image_path_that_is_no_file_says_what_it_is(
    mini: Path, check_json: Callable[..., Any], make: Callable[[Path], None], expected: tuple[str, str]
) -> None:
    make(mini / "templates/images/konstig.png")
    module = mini / "curriculum/modules/samtycke.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace("quiz:\n", IMAGE_SLIDE.replace("sip-steg", "konstig") + "quiz:\n", 1), encoding="utf-8"
    )
    rule, words = expected
    (finding,) = findings_of(check_json(mini), rule)
    assert words in finding["message"]


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
def test_scan_table_on_a_terminal_shows_bracketed_names_as_they_are(mini: Path, tmp_path: Path) -> None:
    import pty

    folder = tmp_path / "delat"
    folder.mkdir()
    (folder / "[red]gammal.docx").write_bytes(b"inte ett dokument")
    (folder / "länk.pptx").symlink_to("[/bold]")
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "vastbus_cli", "scan", "--workspace", str(mini), "."],
        cwd=folder,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**os.environ, **ENV, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
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
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, stderr.decode()
    assert "[red]gammal.docx" in shown and "[/bold]" in shown


def _worker_dies(batch: list[tuple[str, str]], rules: Any) -> list[Any]:
    os._exit(9)


def test_a_scan_worker_that_dies_is_one_line_not_a_traceback(
    mini: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vastbus_cli import scan

    for number in range(10):
        (tmp_path / f"fil{number}.docx").write_bytes(b"x")
    monkeypatch.setattr(scan, "usable_cpus", lambda: 2)
    monkeypatch.setattr(scan, "_scan_many", _worker_dies)
    result = run("scan", "--workspace", mini, "--jobs", "2", tmp_path)
    assert result.exit_code == 3
    assert "a scan worker stopped unexpectedly" in result.stderr
