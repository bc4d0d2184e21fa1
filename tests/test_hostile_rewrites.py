"""Issue 24, classes 4-6: rewrites all or nothing, `held` on hostile arguments and files, SIGTERM during a build."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import current_fingerprint, make_mini, ref, write
from vastbus_cli import fsio
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.errors import InputOutputError

OLD_FP = current_fingerprint("samtycke", "bou-halsa-2021")
FP = current_fingerprint("samtycke")
TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=3)).isoformat()
SESSIONS = f"curriculum/sessions/{TODAY.year}.yaml"


def _module(module_id: str, refs: str) -> str:
    return (
        f'id: {module_id}\ntitle: "Samtycke"\narea: funktion\nbuilt_on: bou-halsa-2023\nminutes: 20\n'
        f'objectives:\n  - "Kunna förklara samtycke."\nslides:\n'
        f'  - id: kravs\n    title: "Ingen SIP utan samtycke"\n    bullets:\n      - "En SIP kräver samtycke."\n'
        f"    refs:\n{refs}"
    )


def _outdated_modules(mini: Path, count: int = 4) -> dict[Path, bytes]:
    """``count`` module files whose ref review --all restamps; their bytes as written."""
    for index in range(count):
        write(
            mini / f"curriculum/modules/modul-{index}.yaml",
            _module(f"modul-{index}", ref("samtycke", "bou-halsa-2021")),
        )
    return _snapshot(mini)


def _snapshot(mini: Path) -> dict[Path, bytes]:
    """Every file's bytes, but the (empty) lock files."""
    files = (p for p in sorted((mini / "curriculum").rglob("*")) if p.is_file() and not p.name.endswith(".lock"))
    return {p: p.read_bytes() for p in files}


def _leftovers(mini: Path) -> list[Path]:
    return [p for p in (mini / "curriculum").rglob(".*") if p.suffix in (".tmp", ".bak")]


def _fail_on_call(number: int, real: Callable[..., Any], error: Exception) -> Callable[..., Any]:
    """``real``, except that call ``number`` (1-based) raises ``error``."""
    calls = 0

    def patched(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(*args, **kwargs)

    return patched


# --- 4. rewrites are all or nothing -------------------------------------------------------------


def test_review_all_changes_nothing_when_the_disk_fills_midway(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _outdated_modules(mini)
    full = InputOutputError("cannot write modul-2.yaml: No space left on device")
    monkeypatch.setattr(fsio, "write_beside", _fail_on_call(3, fsio.write_beside, full))
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 3, result.output
    assert _snapshot(mini) == before
    assert "nothing was changed" in result.stderr and "No space left on device" in result.stderr
    assert _leftovers(mini) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 8 MB, where the machine lets the tests mount one (root, with the capability)."""
    mount = tmp_path / "liten disk"
    mount.mkdir()
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.slow
def test_review_all_on_a_full_disk_changes_nothing(small_disk: Path, run: Callable[..., Result]) -> None:
    mini = make_mini(small_disk / "arbetsyta")
    before = _outdated_modules(mini, 40)
    free = shutil.disk_usage(small_disk).free
    (small_disk / "fyllnad").write_bytes(bytes(free - 80 * 1024))  # room for some of the new files, not all
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 3, result.output
    assert _snapshot(mini) == before
    assert "nothing was changed" in result.stderr and "No space left on device" in result.stderr
    assert _leftovers(mini) == []


@pytest.mark.parametrize("failing", [1, pytest.param(3, marks=pytest.mark.slow)])
def test_review_all_puts_every_original_back_when_a_rename_fails_midway(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    before = _outdated_modules(mini)
    monkeypatch.setattr(fsio, "replace", _fail_on_call(failing, fsio.replace, OSError(5, "Input/output error")))
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 3, result.output
    assert _snapshot(mini) == before
    assert "nothing was changed" in result.stderr and "Input/output error" in result.stderr
    assert _leftovers(mini) == []
    again = run("review", "--workspace", mini, "--all", "--by", "Anna")  # the seam works again: all are written
    assert again.exit_code == 0, again.output
    assert all(FP in p.read_text(encoding="utf-8") for p in (mini / "curriculum/modules").glob("modul-*.yaml"))


def test_when_even_putting_back_fails_the_message_names_the_backup(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _outdated_modules(mini)
    real = fsio.replace
    calls = 0

    def third_rename_and_first_restore_fail(source: Path, target: Path) -> None:
        nonlocal calls
        calls += 1
        if calls in (3, 4):  # renames 1 and 2 succeed, 3 fails; putting back file 1 fails too
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr(fsio, "replace", third_rename_and_first_restore_fail)
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 3, result.output
    after = _snapshot(mini)
    changed = [p for p in before if after[p] != before[p]]
    assert len(changed) == 1  # only the file that could not be put back
    backups = _leftovers(mini)
    assert [b.read_bytes() for b in backups] == [before[changed[0]]]
    assert "could not put back" in result.stderr and str(backups[0]) in result.stderr


def test_upgrade_write_changes_nothing_when_a_write_fails(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        text = _module(f"modul-{index}", ref("samtycke", "bou-halsa-2021")).replace(
            "built_on: bou-halsa-2023", "built_on: bou-halsa-2021"
        )
        write(mini / f"curriculum/modules/modul-{index}.yaml", text)
    before = _snapshot(mini)
    denied = InputOutputError("cannot write modul-1.yaml: Permission denied")
    monkeypatch.setattr(fsio, "write_beside", _fail_on_call(2, fsio.write_beside, denied))
    result = run("upgrade", "--workspace", mini, "--to", "bou-halsa-2023", "--write")
    assert result.exit_code == 3, result.output
    assert _snapshot(mini) == before
    assert "nothing was changed" in result.stderr
    assert _leftovers(mini) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_review_all_changes_nothing_when_one_folder_is_read_only(mini: Path, run: Callable[..., Result]) -> None:
    before = _outdated_modules(mini)
    local = mini / "curriculum/local/örgryte-härlanda"
    write(
        local / "lokalt.yaml",
        (local / "lokalt.yaml").read_text(encoding="utf-8") + "    refs:\n" + ref("samtycke", "bou-halsa-2021"),
    )
    before = _snapshot(mini)
    local.chmod(0o555)
    try:
        result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    finally:
        local.chmod(0o755)
    assert result.exit_code == 3, result.output
    assert _snapshot(mini) == before
    assert "nothing was changed" in result.stderr
    assert _leftovers(mini) == []


def test_review_leaves_a_file_appended_to_during_the_run(
    mini: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _outdated_modules(mini, 2)
    victim = mini / "curriculum/modules/modul-1.yaml"
    appended = "".join(f"# rad {n} från ett annat program\n" for n in range(5))
    real = fsio.write_beside

    def another_program_appends(path: Path, data: bytes, *, durable: bool = True) -> Path:
        if path == victim:
            with victim.open("a", encoding="utf-8") as stream:
                stream.write(appended)
        return real(path, data, durable=durable)

    monkeypatch.setattr(fsio, "write_beside", another_program_appends)
    result = run("review", "--workspace", mini, "--all", "--by", "Anna")
    assert result.exit_code == 3, result.output
    assert "changed while vastbus was editing it" in result.stderr and "modul-1.yaml" in result.stderr
    assert "nothing was changed" in result.stderr
    assert victim.read_bytes() == before[victim] + appended.encode("utf-8")
    assert {p: b for p, b in _snapshot(mini).items() if p != victim} == {p: b for p, b in before.items() if p != victim}
    assert _leftovers(mini) == []


def test_review_stamps_a_flow_ref_with_an_anchor(mini: Path, run: Callable[..., Result]) -> None:
    refs = (
        f'      - &r1 {{section: samtycke, edition: bou-halsa-2021, fingerprint: "{OLD_FP}"}}\n'
        "      - *r1\n"
        f'      - !!map &r2 {{section: samtycke, edition: bou-halsa-2021, fingerprint: "{OLD_FP}"}}\n'
    )
    path = write(mini / "curriculum/modules/samtycke.yaml", _module("samtycke", refs))
    result = run("review", "--workspace", mini, "--section", "samtycke", "--by", "Anna", "--on", "2026-11-30")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert (
        f'      - &r1 {{section: samtycke, edition: bou-halsa-2023, fingerprint: "{FP}", '
        'reviewed: {by: "Anna", on: 2026-11-30}}\n      - *r1\n'
    ) in text
    assert text.count('reviewed: {by: "Anna", on: 2026-11-30}') == 2


# --- 4. held edits in the file's own layout, through links inside the workspace only ---------------


@pytest.fixture
def pack(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], formats=("pptx",), jobs=1)
    return out / "central" / "bvc"


def _held(run: Callable[..., Result], mini: Path, pack: Path, *extra: str) -> Result:
    return run("held", pack, "--date", PAST, "--workspace", mini, *extra)


RECORDS = (
    "# Förs av samordnaren.\nsessions:\n"
    "  - date: 2024-05-02\n    district: central\n    audience: bvc\n    participants: 9\n"
    '    edition: bou-halsa-2023\n    course_version: "1.0.0"\n'
)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_held_keeps_the_line_ends_and_bom_of_the_records(
    mini: Path, pack: Path, run: Callable[..., Result], newline: str
) -> None:
    path = mini / SESSIONS
    path.parent.mkdir(parents=True)
    before = b"\xef\xbb\xbf" + RECORDS.replace("\n", newline).encode("utf-8")
    path.write_bytes(before)
    result = _held(run, mini, pack, "--participants", "4", "--trainer", "Åsa Öberg")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :].decode("utf-8")
    assert added.startswith(f"  - date: {PAST}{newline}") and added.endswith(f'  trainer: "Åsa Öberg"{newline}')
    assert added.count(newline) == 7 and added.replace(newline, "").count("\n") == 0
    assert added.replace(newline, "").count("\r") == 0


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_held_edits_the_file_a_records_link_inside_the_workspace_points_to(
    mini: Path, pack: Path, run: Callable[..., Result]
) -> None:
    target = write(mini / "curriculum/arkiv/utbildningar.yaml", RECORDS)
    link = mini / SESSIONS
    link.parent.mkdir(parents=True)
    link.symlink_to(Path("../arkiv/utbildningar.yaml"))
    result = _held(run, mini, pack, "--participants", "4")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith(RECORDS) and "participants: 4\n" in target.read_text(
        encoding="utf-8"
    )


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("linked", ["folder", "file"])
def test_held_writes_nothing_through_a_link_that_leaves_the_workspace(
    mini: Path, pack: Path, run: Callable[..., Result], tmp_path: Path, linked: str
) -> None:
    outside = tmp_path / "utanför"
    outside.mkdir()
    write(outside / f"{TODAY.year}.yaml", RECORDS)
    if linked == "folder":
        (mini / "curriculum/sessions").symlink_to(outside, target_is_directory=True)
    else:
        (mini / "curriculum/sessions").mkdir()
        (mini / SESSIONS).symlink_to(outside / f"{TODAY.year}.yaml")
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    result = _held(run, mini, pack, "--participants", "4")
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert result.exit_code == 2, result.output
    assert "outside the workspace" in result.stderr


def test_held_changes_nothing_when_the_write_fails(
    mini: Path, pack: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(mini / SESSIONS, RECORDS)
    monkeypatch.setattr(fsio, "replace", _fail_on_call(1, fsio.replace, OSError(28, "No space left on device")))
    result = _held(run, mini, pack, "--participants", "4")
    assert result.exit_code == 3, result.output
    assert path.read_text(encoding="utf-8") == RECORDS and "nothing was changed" in result.stderr
    assert _leftovers(mini) == []


# --- 5. held: every bad argument or file is one line naming it and the fix ------------------------


def _one_line(result: Result, code: int, *named: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert all(name in lines[0] for name in named), lines[0]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--participants", "20000"], ["--participants 20000", "give 1 to 10000"]),
        (["--participants", "0"], ["--participants 0"]),
        (["--participants", "3", "--trainer", "\udcff"], ["--trainer", "UTF-8"]),
        (["--participants", "3", "--trainer", "Anna\nBerg"], ["--trainer", "one line"]),
        (["--participants", "3", "--trainer", "Anna\x1b[2JBerg"], ["--trainer", "control character"]),
    ],
)
def test_held_refuses_bad_arguments_in_one_line(
    mini: Path, pack: Path, run: Callable[..., Result], arguments: list[str], named: list[str]
) -> None:
    result = _held(run, mini, pack, *arguments)
    _one_line(result, 2, *named)
    assert "could not be extended safely" not in result.stderr
    assert not (mini / "curriculum/sessions").exists()


def _restamped(pack: Path, tmp_path: Path, district: str) -> Path:
    """A copy of the pack's deck whose stamp names ``district``."""
    import zipfile

    copy = tmp_path / "främmande.pptx"
    with zipfile.ZipFile(pack / "slides.pptx") as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/custom.xml":
                data = data.replace(b">central<", f">{district}<".encode())
                assert district.encode() in data
            target.writestr(item, data)
    return copy


def test_held_refuses_a_pack_stamped_with_a_path_as_district(
    mini: Path, pack: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = _held(run, mini, _restamped(pack, tmp_path, "../../../etc"), "--participants", "3")
    _one_line(result, 2, "främmande.pptx", "vastbus.district", "vastbus build")
    assert not (mini / "curriculum/sessions").exists()


@pytest.mark.parametrize(
    ("make", "named"),
    [
        ("folder", [SESSIONS, "a folder"]),
        ("latin-1", [SESSIONS, "UTF-8"]),
        ("sessions-is-a-file", ["curriculum/sessions", "is a file"]),
    ],
)
def test_held_names_a_records_file_it_cannot_extend(
    mini: Path, pack: Path, run: Callable[..., Result], make: str, named: list[str]
) -> None:
    path = mini / SESSIONS
    if make == "folder":
        path.mkdir(parents=True)
    elif make == "latin-1":
        path.parent.mkdir(parents=True)
        path.write_bytes(RECORDS.replace("Förs", "F\xf6rs").encode("latin-1"))
    else:
        write(path.parent, "inte en mapp\n")
    before = _snapshot(mini)
    result = _held(run, mini, pack, "--participants", "3")
    _one_line(result, 2, *named)
    assert _snapshot(mini) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads unreadable files")
def test_held_names_an_unreadable_records_file(mini: Path, pack: Path, run: Callable[..., Result]) -> None:
    path = write(mini / SESSIONS, RECORDS)
    path.chmod(0)
    try:
        result = _held(run, mini, pack, "--participants", "3")
    finally:
        path.chmod(0o644)
    _one_line(result, 2, SESSIONS)
    assert path.read_text(encoding="utf-8") == RECORDS


# --- 6. SIGTERM during a build; what a killed build left ---------------------------------------------


def _listed_and_whole(out: Path) -> None:
    """Every pack file on disk is listed in the manifest with its hash, and every listed file is there."""
    manifest = out / "manifest.json"  # none when the build stopped before its check passed
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"] if manifest.exists() else []
    listed = {entry["path"]: entry["sha256"] for entry in files}
    on_disk = {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.suffix in (".pptx", ".docx")
    }
    assert on_disk == listed


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="signals and process groups")
@pytest.mark.parametrize("to", ["parent", "group"])
@pytest.mark.parametrize("once", [(".tmp",), (".pptx", ".docx")], ids=["staged", "placed"])
def test_sigterm_stops_a_parallel_build_cleanly(shipped: Path, tmp_path: Path, to: str, once: tuple[str, ...]) -> None:
    """Signalled once the first file is staged (the check still running) or in place (the check passed)."""
    out = tmp_path / "ut"
    errors = tmp_path / "stderr.txt"
    command = [sys.executable, "-m", "vastbus_cli", "build", "-j", "2", "--workspace", str(shipped), "--out", str(out)]
    with errors.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    group = process.pid
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if out.is_dir() and any(p.suffix in once for p in out.rglob("*")):
                break
            time.sleep(0.005)
        assert process.poll() is None, "the build ended before it could be stopped"
        if to == "parent":
            process.send_signal(signal.SIGTERM)
        else:
            os.killpg(group, signal.SIGTERM)
        code = process.wait(timeout=60)
        time.sleep(0.5)
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)  # no worker is left running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    assert code == 143, errors.read_text(encoding="utf-8")
    assert "terminated" in errors.read_text(encoding="utf-8")
    assert sorted(out.rglob("*.tmp")) == []
    _listed_and_whole(out)
    if once != (".tmp",):
        assert (out / "manifest.json").exists()


@pytest.mark.skipif(os.name != "posix", reason="the lock that keeps a running build's files is fcntl's")
def test_a_build_removes_what_a_killed_build_left_beside_its_files(mini: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "ut"
    build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1)
    pack = out / "central" / "bvc"
    stale = [pack / ".slides.pptx.abc123.tmp", pack / ".handout.docx.k3v9x_q1.tmp", out / ".manifest.json.zz9.tmp"]
    kept = [pack / ".anteckningar.txt.abc123.tmp", pack / "slides.pptx.abc123.tmp", pack / ".slides.pptx.tmp"]
    for path in [*stale, *kept]:
        path.write_bytes(b"half a file")
    # While another build uses the folder, what lies beside its files may be that build's: it stays.
    handle = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_SH)
        assert build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1).written == []
        assert all(path.exists() for path in stale)
    finally:
        os.close(handle)
    assert build(open_workspace(mini), out, districts=["central"], audiences=["bvc"], jobs=1).written == []
    assert [path for path in stale if path.exists()] == []
    assert all(path.read_bytes() == b"half a file" for path in kept)
