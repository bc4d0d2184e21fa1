"""Issue 24, classes 2, 3, 7, 8 and 9: hostile or careless files in the workspace and the output folders.

Each test fails on the code before the issue: a deletion outside the site folder, a read that
blocks on a pipe or never ends on /dev/zero, a hash of an unrelated 2 GB file, a segfault in
the YAML parser, a PermissionError traceback, or minutes of work for a small Office file.
"""

from __future__ import annotations

import builtins
import datetime as dt
import io
import json
import os
import re
import resource
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

from tests.conftest import ENV, findings_of, slow_except
from vastbus_cli import api, officetext
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.rulebook import MEANINGS
from vastbus_cli.scan import scan_file

MOD = "curriculum/modules/samtycke.yaml"
IMAGE_YAML = '    image:\n      path: {path}\n      alt: "De sex stegen i SIP-processen"\n'
FIFOS = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")


def _vastbus(*args: str | Path, timeout: float = 60, limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess: a hang, a crash or a memory blow-up fails the test, not the run."""

    def limit() -> None:  # 1.5 GB of address space: reading /dev/zero whole would need more
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    return subprocess.run(
        [sys.executable, "-m", "vastbus_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **ENV},
        check=False,
        preexec_fn=limit if limit_memory else None,
    )


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert "MemoryError" not in result.stderr and "RecursionError" not in result.stderr, result.stderr


def _show_picture(workspace: Path, path: str) -> None:
    target = workspace / MOD
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("    refs:\n", IMAGE_YAML.format(path=path) + "    refs:\n", 1), encoding="utf-8")


# --- class 2: site deletes outside its folder; packs that are links out -----------------------------------


@pytest.fixture
def published(mini: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The mini workspace built into ``paket/`` and published once into ``webb/``."""
    packs, site = tmp_path / "paket", tmp_path / "webb"
    build(open_workspace(mini), packs, districts=["central"], jobs=1)
    assert _vastbus("site", "--workspace", mini, "--packs", packs, "--out", site).returncode == 0
    return packs, site


@pytest.mark.slow
def test_site_state_naming_paths_outside_the_site_deletes_nothing_there(
    mini: Path, tmp_path: Path, published: tuple[Path, Path]
) -> None:
    packs, site = published
    victim, victim2 = tmp_path / "victim.txt", tmp_path / "abs" / "victim2.txt"
    victim.write_text("keep me", encoding="utf-8")
    victim2.parent.mkdir()
    victim2.write_text("keep me too", encoding="utf-8")
    (site / ".vastbus-site-state.json").write_text(json.dumps({"files": ["../victim.txt", str(victim2)]}))
    result = _vastbus("site", "--workspace", mini, "--packs", packs, "--out", site)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "keep me" and victim2.is_file()
    assert "lead out of" in result.stderr and "victim.txt" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("files", ["ab", 5, [5, None], {"a": 1}], ids=["a string", "a number", "not text", "a map"])
def test_site_state_of_the_wrong_shape_is_no_usable_state(
    mini: Path, published: tuple[Path, Path], files: object
) -> None:
    packs, site = published
    for name in ("a", "b"):
        (site / name).write_text("someone's file", encoding="utf-8")
    (site / ".vastbus-site-state.json").write_text(json.dumps({"files": files}))
    result = _vastbus("site", "--workspace", mini, "--packs", packs, "--out", site)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert (site / "a").is_file() and (site / "b").is_file()
    assert "ignoring .vastbus-site-state.json" in result.stderr
    state = json.loads((site / ".vastbus-site-state.json").read_text(encoding="utf-8"))
    assert "index.html" in state["files"]


@pytest.mark.slow
def test_site_does_not_publish_a_pack_that_links_out_of_the_packs_folder(
    mini: Path, tmp_path: Path, published: tuple[Path, Path]
) -> None:
    packs, site = published
    secret = tmp_path / "hemligt.docx"
    secret.write_bytes(b"PK not a pack but a secret")
    handout = packs / "central" / "bvc" / "handout.docx"
    handout.unlink()
    handout.symlink_to(secret)
    (site / "central" / "bvc" / "handout.docx").unlink()
    result = _vastbus("site", "--workspace", mini, "--packs", packs, "--out", site)
    _no_traceback(result)
    # Not the file that was built: a stale pack (exit 1), and its page says so.
    assert result.returncode == 1 and "central/bvc: handout.docx" in result.stderr, result.stderr
    assert not (site / "central" / "bvc" / "handout.docx").exists()
    assert "leads out of the packs folder" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("manifest.json", '{"files": [{"path": "/etc/hostname", "sha256": "x"}]}'),
        (".vastbus-pdf-state.json", '{"../../utanför.pdf": {"from": "x"}, "a.pdf": 5}'),
        (".vastbus-pdf-state.json", "[" * 200_000),
        (".vastbus-build-state.json", '{"files": {"a": [1, 2, 3]}, "keys": [], "inputs": null}'),
        (".vastbus-build-state.json", "[" * 200_000),
    ],
    ids=["manifest absolute", "pdf state outside", "pdf state deep", "build state shape", "build state deep"],
)
def test_build_state_files_of_the_wrong_shape_or_with_outside_paths_are_not_used(
    mini: Path, tmp_path: Path, name: str, content: str
) -> None:
    out = tmp_path / "paket"
    assert _vastbus("build", "--workspace", mini, "--out", out, "--district", "central").returncode == 0
    (out / name).write_text(content, encoding="utf-8")
    result = _vastbus("build", "--workspace", mini, "--out", out, "--district", "central", "--force")
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(not entry["path"].startswith("/") for entry in manifest["files"])


# --- class 3: unbounded or blocking reads ---------------------------------------------------------------


def _fifo(path: Path) -> None:
    if path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


@pytest.mark.slow
@FIFOS
def test_a_pipe_as_a_picture_or_a_template_is_a_finding_and_build_is_refused(mini: Path, tmp_path: Path) -> None:
    _fifo(mini / "templates" / "images" / "rör.png")
    _show_picture(mini, "templates/images/rör.png")
    _fifo(mini / "templates" / "slides.pptx")
    result = _vastbus("build", "--workspace", mini, "--out", tmp_path / "paket")
    _no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert "rör.png" in result.stdout + result.stderr and "templates/slides.pptx" in result.stdout + result.stderr


@pytest.mark.slow
@FIFOS
@pytest.mark.parametrize("name", ["manifest.json", ".vastbus-build-state.json", ".vastbus-pdf-state.json"])
def test_a_pipe_as_a_state_file_is_no_usable_state(mini: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "paket"
    assert _vastbus("build", "--workspace", mini, "--out", out, "--district", "central").returncode == 0
    _fifo(out / name)
    for command in (["build", "--district", "central"], ["report"]):
        result = _vastbus(*command, "--workspace", mini, "--out", out)
        _no_traceback(result)
        assert result.returncode in (0, 1), result.stderr


@FIFOS
def test_a_pipe_as_the_word_list_is_one_line(mini: Path) -> None:
    _fifo(mini / "curriculum" / "ordlista.txt")
    result = _vastbus("check", "--workspace", mini, "--spelling", timeout=300)
    _no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "curriculum/ordlista.txt cannot be read: not a regular file" in result.stderr


@pytest.mark.slow
@FIFOS
def test_a_pipe_as_the_records_file_makes_held_say_so(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    assert _vastbus("build", "--workspace", mini, "--out", out, "--district", "central").returncode == 0
    day = dt.date.today()
    _fifo(mini / "curriculum" / "sessions" / f"{day.year}.yaml")
    result = _vastbus(
        "held", out / "central" / "bvc", "--workspace", mini, "--date", day.isoformat(), "--participants", "5"
    )
    _no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert f"{day.year}.yaml is not a regular file: a named pipe (FIFO)" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("how", ["absolute", "link"])
def test_a_picture_that_is_dev_zero_is_refused_before_it_is_read(mini: Path, tmp_path: Path, how: str) -> None:
    if how == "link":
        (mini / "templates" / "images" / "noll.png").symlink_to("/dev/zero")
        _show_picture(mini, "templates/images/noll.png")
    else:
        _show_picture(mini, "/dev/zero")
    result = _vastbus("build", "--workspace", mini, "--out", tmp_path / "paket", "-j", "1", limit_memory=True)
    _no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert "/dev/zero" in result.stdout + result.stderr or "noll.png" in result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["dev-zero", "deep"])
def test_a_manifest_linked_to_dev_zero_or_nested_200000_deep_is_no_usable_state(
    mini: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "paket"
    assert _vastbus("build", "--workspace", mini, "--out", out, "--district", "central").returncode == 0
    manifest = out / "manifest.json"
    manifest.unlink()
    if kind == "dev-zero":
        manifest.symlink_to("/dev/zero")
    else:
        manifest.write_text("[" * 200_000, encoding="utf-8")
    result = _vastbus("build", "--workspace", mini, "--out", out, "--district", "central", limit_memory=True)
    _no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "warning: ignoring manifest.json" in result.stderr


def test_the_input_key_never_reads_a_file_the_build_does_not_use(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unrelated = [mini / "templates" / "stor.bin", mini / "curriculum" / "stor.bin", mini / "guidelines" / "x.dat"]
    for path in unrelated:
        with path.open("wb") as stream:
            stream.truncate(2 << 30)  # sparse: 2 GB that take no disk
    forbidden = {os.fspath(path) for path in unrelated}
    real_io_open, real_os_open = io.open, os.open

    def refuse(path: Any) -> None:
        if isinstance(path, str | bytes | os.PathLike) and os.fsdecode(path) in forbidden:
            raise AssertionError(f"the build opened {os.fsdecode(path)}, which it does not use")

    def spy_io(file: Any, *args: Any, **kwargs: Any) -> Any:
        refuse(file)
        return real_io_open(file, *args, **kwargs)

    def spy_os(path: Any, *args: Any, **kwargs: Any) -> Any:
        refuse(path)
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy_io)
    monkeypatch.setattr(builtins, "open", spy_io)
    monkeypatch.setattr(os, "open", spy_os)
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["central"], jobs=1)
    again = build(open_workspace(mini), out, districts=["central"], jobs=1)
    assert not again.written and again.skipped


# --- class 7: YAML that kills the interpreter -----------------------------------------------------------


def test_yaml_too_deep_is_a_declared_rule() -> None:
    assert "yaml/too-deep" in MEANINGS


@pytest.mark.parametrize(
    "text",
    slow_except(
        ["? " * 300_000 + "a\n", "? " * 100_000 + "a\n", "- ? " * 50_000 + "a\n", ": " * 100_000 + "a\n"],
        ["nested items and keys"],
        ids=["300000 complex keys", "100000 complex keys", "nested items and keys", "100000 values"],
    ),
)
def test_nested_complex_keys_are_too_deep_not_a_crash(mini: Path, text: str) -> None:
    (mini / "curriculum" / "modules" / "x.yaml").write_text(text, encoding="utf-8")
    result = _vastbus("check", "--workspace", mini, "--format", "json")  # a segfault is a negative exit code
    _no_traceback(result)
    assert result.returncode == 1, (result.returncode, result.stderr)
    (finding,) = findings_of(json.loads(result.stdout), "yaml/too-deep")
    assert finding["file"] == "curriculum/modules/x.yaml"


# --- class 8: unreadable folders -------------------------------------------------------------------------


def test_a_folder_that_cannot_be_listed_is_a_finding(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = mini / "curriculum" / "local" / "örgryte-härlanda"
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    result = api.check(api.open_workspace(mini))
    (finding,) = [f for f in result.findings if f.rule == "file/unreadable"]
    assert finding.file == "curriculum/local/örgryte-härlanda"
    assert "cannot be read" in finding.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any folder")
def test_a_folder_made_unreadable_with_chmod_is_a_finding(mini: Path) -> None:
    locked = mini / "curriculum" / "local" / "örgryte-härlanda"
    locked.chmod(0)
    try:
        result = _vastbus("check", "--workspace", mini, "--format", "json")
    finally:
        locked.chmod(0o755)
    _no_traceback(result)
    (finding,) = findings_of(json.loads(result.stdout), "file/unreadable")
    assert finding["file"] == "curriculum/local/örgryte-härlanda"


# --- class 9: scan work per file ---------------------------------------------------------------------------


def _rewrite(path: Path, changes: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, changes.pop(name, data))
        for name, data in changes.items():
            archive.writestr(name, data)


def _repeated_slide(path: Path, paragraphs: int, references: int) -> Path:
    """A deck whose one slide of empty paragraphs the slide list names ``references`` times."""
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[5])
    deck.save(str(path))
    with zipfile.ZipFile(path) as archive:
        presentation = archive.read("ppt/presentation.xml").decode("utf-8")
        slide = archive.read("ppt/slides/slide1.xml").decode("utf-8")
    first = re.search(r"<p:sldId [^>]*/>", presentation)
    assert first is not None
    slide = re.sub(r"<a:p>.*?</a:p>|<a:p/>", "<a:p/>" * paragraphs, slide, count=1, flags=re.S)
    _rewrite(
        path,
        {
            "ppt/presentation.xml": presentation.replace(first[0], first[0] * references).encode(),
            "ppt/slides/slide1.xml": slide.encode(),
        },
    )
    return path


def _empty_headers(path: Path, headers: int, paragraphs: int) -> Path:
    document = Document()
    document.add_paragraph("Hej")
    document.save(str(path))
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    header = f"<w:hdr {namespace}>{'<w:p/>' * paragraphs}</w:hdr>".encode()
    _rewrite(path, {f"word/header{number}.xml": header for number in range(1, headers + 1)})
    return path


@pytest.fixture(scope="module")
def rules() -> Any:
    from tests.conftest import REPO
    from vastbus_cli.scan import prepare

    workspace = api.open_workspace(REPO)
    editions = api.editions_of(workspace)
    return prepare(editions, api.select_edition(editions, None, dt.date(2026, 1, 1)), dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: _repeated_slide(folder / "upprepad.pptx", 20_000, 200),
        lambda folder: _empty_headers(folder / "huvuden.docx", 12, 150_000),
    ],
    ids=["one slide of empty paragraphs named 200 times", "12 headers of empty paragraphs"],
)
def test_a_file_over_the_work_budget_is_unreadable_as_too_much_work(
    tmp_path: Path, rules: Any, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    assert path.stat().st_size < 1_000_000  # a small file: its size says nothing of its work
    result = scan_file(path, rules)
    assert result.status == "unreadable", result
    assert result.reason is not None and result.reason.startswith("too much work")


def test_every_reference_to_a_part_counts_its_work_but_it_is_parsed_once(tmp_path: Path) -> None:
    path = _repeated_slide(tmp_path / "upprepad.pptx", 100, 40)
    with zipfile.ZipFile(path) as archive:
        slide_size = archive.getinfo("ppt/slides/slide1.xml").file_size
        parts = officetext.Parts(archive)
        decompressed: list[str] = []
        real = parts._decompress

        def counted(info: zipfile.ZipInfo) -> Any:
            decompressed.append(info.filename)
            return real(info)

        parts._decompress = counted  # type: ignore[method-assign]
        list(officetext.pptx_text(parts))
    assert decompressed.count("ppt/slides/slide1.xml") == 1  # parsed once
    assert parts.work_bytes >= 40 * slide_size  # counted at every reference
    assert parts.work_elements >= 40 * 100


def test_the_work_budget_is_a_parameter_and_stops_the_reading(tmp_path: Path) -> None:
    path = _repeated_slide(tmp_path / "upprepad.pptx", 100, 40)
    with zipfile.ZipFile(path) as archive:
        roomy = officetext.Parts(archive)
        list(officetext.pptx_text(roomy))
        tight = officetext.Parts(archive, max_work_elements=roomy.work_elements // 2)
        with pytest.raises(officetext.UnreadableDocument, match="too much work"):
            list(officetext.pptx_text(tight))
    assert tight.work_elements <= roomy.work_elements // 2 + 100 + 50  # stopped at the reference over the budget


def test_a_usual_deck_is_far_inside_the_budget(tmp_path: Path) -> None:
    deck = Presentation()
    for _ in range(60):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = "Rubrik"
        slide.placeholders[1].text = "\n".join(f"Punkt {n}" for n in range(8))
    deck.save(str(tmp_path / "vanlig.pptx"))
    with zipfile.ZipFile(tmp_path / "vanlig.pptx") as archive:
        parts = officetext.Parts(archive)
        assert len(list(officetext.pptx_text(parts))) == 60
    assert parts.work_elements < officetext.MAX_WORK_ELEMENTS // 100


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_manifest_linked_to_a_device_is_replaced_by_a_file_with_an_ordinary_mode(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "paket"
    out.mkdir()
    (out / "manifest.json").symlink_to("/dev/zero")
    mask = os.umask(0o022)
    try:
        assert _vastbus("build", "--workspace", mini, "--out", out, "--district", "central").returncode == 0
    finally:
        os.umask(mask)
    manifest = out / "manifest.json"
    assert not manifest.is_symlink()
    assert stat.S_ISCHR(Path("/dev/zero").stat().st_mode)
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o644  # the umask's, not the device's rw-rw-rw-
