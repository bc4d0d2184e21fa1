"""The README documents every command, and the code stays clean under ruff and mypy."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from vastbus_cli.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or "" for c in app.registered_commands))
def test_readme_shows_every_command(command: str) -> None:
    heading = re.search(rf"^### `vastbus {command}\b[^`]*`$", README, re.MULTILINE)
    assert heading, f"no README section for vastbus {command}"
    assert f"vastbus {command}" in README[heading.end() :].split("\n### ", 1)[0], "the section has no example"


def test_readme_setup_commands() -> None:
    assert (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/vastbus check && .venv/bin/vastbus build"
        in README
    )
    assert "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest" in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest" in ci


def _tool(name: str) -> list[str]:
    if (
        shutil.which(name) is None
        and subprocess.run([sys.executable, "-m", name, "--version"], capture_output=True).returncode
    ):
        pytest.skip(f"{name} is not installed")
    return [sys.executable, "-m", name]


def test_ruff_is_clean() -> None:
    tool = _tool("ruff")
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([*tool, *args], cwd=REPO, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    tool = _tool("mypy")
    result = subprocess.run(tool, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_subpackage_is_packaged() -> None:
    """A subpackage missing from pyproject.toml passes in-process tests but breaks `pip install .`."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {
        p.parent.relative_to(REPO).as_posix().replace("/", ".") for p in (REPO / "vastbus_cli").rglob("__init__.py")
    }
    for package in packages:
        assert any(
            package == pattern or (pattern.endswith(".*") and package.startswith(pattern[:-1])) for pattern in include
        ), package


def test_the_template_script_recreates_the_committed_templates_byte_for_byte(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(REPO / "templates" / "make_templates.py", folder)
    done = subprocess.run(
        [sys.executable, str(folder / "make_templates.py")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for name in ("slides.pptx", "handout.docx", "trainer-guide.docx"):
        assert (folder / name).read_bytes() == (REPO / "templates" / name).read_bytes(), name
    assert not (folder / "images").exists(), "the picture is redrawn only with --picture"


def test_the_tool_never_imports_python_pptx_or_python_docx() -> None:
    """They are test and template tools only (pyproject's extras); the tool writes Office files itself."""
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "vastbus_cli").rglob("*.py"))
    for module in ("pptx", "docx"):
        assert not re.search(rf"^\s*(from|import) {module}\b", sources, re.M), module
