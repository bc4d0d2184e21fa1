"""Property tests: any YAML, however mangled, gives findings or one-line errors, never a traceback or a hang.

Profiles (see conftest): the default runs in CI in well under a minute; run
``pytest tests/test_property_yaml.py --hypothesis-profile long`` for a deeper search.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tests.conftest import ENV, MODULE, current_fingerprint, make_mini, no_hang, ref
from vastbus_cli.cli import app
from vastbus_cli.yamlio import load_yaml

MOD = "curriculum/modules/samtycke.yaml"
FILES = {
    "module": MOD,
    "course": "curriculum/course.yaml",
    "districts": "curriculum/districts.yaml",
    "local": "curriculum/local/örgryte-härlanda/lokalt.yaml",
    "edition": "guidelines/bou-halsa-2023.yaml",
}
#: Pieces that break YAML in the ways people and tools do.
HOSTILE = [
    "&a ",
    "*a",
    "<<: *a",
    "{",
    "}",
    "[",
    "]",
    "- ",
    ": ",
    "? ",
    "!!python/object/apply:os.system ['x']",
    "!!binary ",
    "!tagg ",
    "\t",
    "'",
    '"',
    "|",
    ">-",
    "# ",
    "---",
    "...",
    "%YAML 1.1",
    "~",
    "null",
    "2026-13-45",
    "1e999",
    "0x",
    "åäö",
    "\ufeff",
    "\r",
    "\x85",
    "\u2028",
    "\x00",
    "\\",
    "@",
    "`",
    "%",
    ",",
    "section: samtycke",
    "edition: vastbus-2005",
    "fingerprint: h1:0000000000000000",
    "built_on: bou-halsa-2021",
    "id: samtycke",
    "layout: quote",
    "image: {path: ../../etc/passwd, alt: x}",
    "answer: 99",
    "pattern: '(a+)+b'",
    "patterns: ['[']",
    "valid_from: 2099-01-01",
    "supersedes: bou-halsa-2023",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines deleted, doubled, re-indented, replaced or spliced with hostile pieces."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [""]
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "double", "indent", "dedent", "splice", "replace", "cut"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "double":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = " " * draw(st.integers(1, 9)) + line
        elif action == "dedent":
            lines[index] = line.lstrip()
        elif action == "splice":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(HOSTILE)) + line[at:]
        elif action == "replace":
            lines[index] = draw(st.text(max_size=40))
        else:
            lines = lines[: index + 1]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_mini(tmp_path_factory.mktemp("egenskaper") / "Västbus arbetsyta", "bou-halsa-2021")


@contextmanager
def replaced(root: Path, rel: str, data: bytes) -> Iterator[Path]:
    """The workspace with one file's bytes replaced, restored afterwards."""
    path = root / rel
    before = path.read_bytes()
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.write_bytes(before)
        shutil.rmtree(root / "ut", ignore_errors=True)


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


def _no_traceback(result: Result) -> None:
    """Exit codes from the contract only, and any exception is the CLI's own exit."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2, 3), result.output
    assert "Traceback" not in result.output


def _commands(root: Path) -> Iterator[Callable[[], Result]]:
    yield lambda: _cli("check", "--workspace", root, "--format", "json")
    yield lambda: _cli("build", "--workspace", root, "--out", root / "ut", "-d", "örgryte-härlanda", "-a", "bvc")
    yield lambda: _cli("review", "--workspace", root, "--all", "--by", "Egenskap", "--on", "2026-11-30")
    yield lambda: _cli("upgrade", "--workspace", root, "--to", "bou-halsa-2023", "--write")
    yield lambda: _cli("diff", "--workspace", root, "bou-halsa-2021", "bou-halsa-2023")


SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        ("course", "id: testkurs", "i[d: testkurs"),  # found by the property test below: IndexError
    ],
)
def test_cases_the_property_tests_found(workspace: Path, kind: str, old: str, new: str) -> None:
    rel = FILES[kind]
    text = (workspace / rel).read_text(encoding="utf-8").replace(old, new, 1)
    with replaced(workspace, rel, text.encode("utf-8")):
        for command in _commands(workspace):
            with no_hang(60):
                _no_traceback(command())


@pytest.mark.slow
@SLOW
@given(data=st.data(), kind=st.sampled_from(sorted(FILES)))
def test_mutated_yaml_never_crashes_or_hangs(workspace: Path, data: st.DataObject, kind: str) -> None:
    rel = FILES[kind]
    text = data.draw(mutated((workspace / rel).read_text(encoding="utf-8")), label="text")
    encoded = text.encode("utf-8", "surrogatepass")
    with replaced(workspace, rel, encoded):
        for command in _commands(workspace):
            with no_hang(60):
                _no_traceback(command())


@pytest.mark.slow
@SLOW
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes_for_a_module_never_crash(workspace: Path, raw: bytes) -> None:
    with replaced(workspace, MOD, raw):
        for command in _commands(workspace):
            with no_hang(60):
                _no_traceback(command())


@st.composite
def layouts(draw: st.DrawFn) -> tuple[str, bool, str, int]:
    """A valid module laid out as people do: CRLF or LF, a BOM, comments, block or flow refs."""
    fingerprint = current_fingerprint("samtycke")
    if draw(st.booleans()):
        refs = f"      - {{section: samtycke, edition: bou-halsa-2023, fingerprint: '{fingerprint}'}}\n"
    else:
        refs = ref("samtycke")
    lines = MODULE.format(refs=refs).split("\n")
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        indent = len(lines[index]) - len(lines[index].lstrip())
        lines.insert(index, " " * indent + "# " + draw(st.text(alphabet="abcåäö -:#'\"", max_size=20)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines), draw(st.booleans()), newline, draw(st.sampled_from([0o644, 0o664, 0o600]))


@pytest.mark.slow
@SLOW
@given(layout=layouts())
def test_review_and_upgrade_with_nothing_to_change_keep_every_byte(
    workspace: Path, layout: tuple[str, bool, str, int]
) -> None:
    text, bom, newline, mode = layout
    raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    with replaced(workspace, MOD, raw) as path:
        path.chmod(mode)
        stamp = ("review", "--workspace", workspace, "--all", "--by", "Egenskap", "--on", "2026-11-30")
        first = _cli(*stamp)
        assert first.exit_code == 0, first.output
        once = path.read_bytes()
        assert once.startswith(b"\xef\xbb\xbf") == bom
        assert once.count(b"\n") == once.count(b"\r\n") if newline == "\r\n" else b"\r" not in once
        assert not load_yaml(path, MOD).findings
        assert _cli(*stamp).exit_code == 0
        assert path.read_bytes() == once
        upgrade = _cli("upgrade", "--workspace", workspace, "--to", "bou-halsa-2023", "--write")
        assert upgrade.exit_code == 0, upgrade.output
        assert path.read_bytes() == once
        assert stat.S_IMODE(path.stat().st_mode) == mode
