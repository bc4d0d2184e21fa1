"""`report` and `site` trust only a build's manifest, never a folder's name (issue 30, item 1).

`pip install .` makes setuptools write `build/lib` and `build/bdist.*` into the repository.
That was the tool's default output folder; the default is now `paket/`, which no packaging
tool writes, and `--out build` still works, trusting only the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result


def _setuptools_leftovers(root: Path) -> None:
    """The folders `pip install .` leaves in a clone."""
    (root / "build/lib/vastbus_cli").mkdir(parents=True)
    (root / "build/lib/vastbus_cli/__init__.py").write_text("", encoding="utf-8")
    (root / "build/bdist.linux-x86_64").mkdir(parents=True)


@pytest.mark.usefixtures("swedish")
def test_after_pip_install_report_and_site_say_build_first(mini: Path, run: Callable[..., Result]) -> None:
    _setuptools_leftovers(mini)
    report = run("report", "--workspace", mini)
    assert report.exit_code == 2
    assert "bygg först" in report.stderr and "paket" in report.stderr
    site = run("site", "--workspace", mini, "--out", mini / "webbplats")
    assert site.exit_code == 2 and "bygg först" in site.stderr
    assert not (mini / "webbplats").exists()


def test_a_folder_another_tool_wrote_is_no_build(mini: Path, run: Callable[..., Result]) -> None:
    _setuptools_leftovers(mini)
    report = run("report", "--workspace", mini, "--out", mini / "build")
    assert report.exit_code == 2
    assert "run 'vastbus build' first" in report.stderr and "holds no build" in report.stderr


def test_the_default_output_folder_is_paket_and_out_build_still_works(mini: Path, run: Callable[..., Result]) -> None:
    assert run("build", "--workspace", mini, "--district", "central").exit_code == 0
    assert (mini / "paket" / "manifest.json").is_file()
    assert not (mini / "build").exists()
    assert run("build", "--workspace", mini, "--district", "central", "--out", mini / "build").exit_code == 0
    report = run("report", "--workspace", mini, "--out", mini / "build")
    assert report.exit_code == 0, report.output


def test_after_a_build_the_leftovers_do_not_matter(mini: Path, run: Callable[..., Result]) -> None:
    _setuptools_leftovers(mini)
    assert run("build", "--workspace", mini, "--out", mini / "build").exit_code == 0
    report = run("report", "--workspace", mini, "--out", mini / "build")
    assert report.exit_code == 0, report.output
    assert report.stdout.startswith("Paketen är aktuella i 2 av 2 områden")
    assert (mini / "build/lib/vastbus_cli/__init__.py").is_file()  # not ours: left alone


def test_a_missing_folder_says_to_build(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("report", "--workspace", mini, "--out", tmp_path / "finns-inte")
    assert result.exit_code == 2 and "does not exist" in result.stderr and "run 'vastbus build' first" in result.stderr
