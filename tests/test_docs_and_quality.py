"""The docs document every command and the development loop; CI and pre-commit run ruff and mypy."""

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
HANDBOOK = (REPO / "docs" / "handbok.md").read_text(encoding="utf-8")
DEVELOPMENT = (REPO / "docs" / "utveckling.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or "" for c in app.registered_commands))
def test_the_handbook_shows_every_command(command: str) -> None:
    heading = re.search(rf"^## `vastbus {command}\b[^`]*`$", HANDBOOK, re.MULTILINE)
    assert heading, f"no section for vastbus {command} in docs/handbok.md"
    assert f"vastbus {command}" in HANDBOOK[heading.end() :].split("\n## ", 1)[0], "the section has no example"


def test_readme_setup_commands() -> None:
    assert (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/vastbus check && .venv/bin/vastbus build"
        in README
    )
    assert "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest" in README


LINT = ".venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy"


def test_ci_runs_the_readmes_test_command_with_ruff_and_mypy_before_the_tests() -> None:
    """pytest does not run ruff and mypy: CI runs them between the install and the full suite."""
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    steps = [line for line in lines if line and not line.startswith("#")]
    assert steps[0] == "set -euo pipefail", "a failing step must fail CI"
    install = steps.index("python3 -m venv .venv && .venv/bin/pip install '.[test]'")
    assert steps[install + 1 :] == [LINT, ".venv/bin/python -m pytest"], "the full suite, after ruff and mypy"
    assert LINT in README, "the README shows the lint command"


def test_pre_commit_runs_ruff_and_mypy_from_the_venv() -> None:
    from ruamel.yaml import YAML

    config = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = config["repos"]
    assert local["repo"] == "local"
    entries = {hook["id"]: hook for hook in local["hooks"]}
    assert {hook["language"] for hook in entries.values()} == {"system"}
    assert entries["ruff-check"]["entry"].startswith(".venv/bin/ruff check")
    assert entries["ruff-format"]["entry"].startswith(".venv/bin/ruff format --check")
    assert entries["mypy"]["entry"] == ".venv/bin/mypy" and entries["mypy"]["pass_filenames"] is False
    # The hook other repositories use is a different file, and stays as it was.
    offered = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in offered] == ["vastbus-check"]


def test_the_tests_no_longer_run_ruff_or_mypy() -> None:
    for path in (REPO / "tests").glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""[(,]\s*["'](ruff|mypy)["']\s*[,)\]]""", text), f"{path.name} runs ruff or mypy"


def test_markers_are_declared_and_explained() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {m.split(":")[0].strip(): m for m in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(markers) == {"slow", "browser", "office"}
    assert '-m "not slow"' in DEVELOPMENT
    for marker in markers:
        assert f"`{marker}`" in DEVELOPMENT, f"docs/utveckling.md does not explain {marker}"


def test_the_ci_hypothesis_profile_is_derandomized_and_long_is_not() -> None:
    from hypothesis import settings

    assert settings.get_profile("ci").derandomize is True, "CI must run the same examples every time"
    assert settings.get_profile("long").derandomize is False
    assert settings.get_profile("long").max_examples > settings.get_profile("ci").max_examples


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
