"""`scan` anywhere: the guideline editions ship inside the package (issue 30, item 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.test_scan import current_document, old_deck
from vastbus_cli.editions import shipped_editions

SHIPPED = REPO / "vastbus_cli" / "guidelines"


def test_the_shipped_editions_are_the_repositorys() -> None:
    ours = {path.name: path.read_bytes() for path in (REPO / "guidelines").glob("*.yaml")}
    shipped = {path.name: path.read_bytes() for path in SHIPPED.glob("*.yaml")}
    assert shipped == ours, "copy them: cp guidelines/*.yaml vastbus_cli/guidelines/"
    assert [edition.id for edition in shipped_editions().ordered] == [
        "vastbus-2005",
        "vastbus-2012",
        "bou-halsa-2021",
        "bou-halsa-2023",
    ]


def _scan_outside(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run scan from a folder with no workspace above it, as a trainer on a shared drive would."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "scan", *arguments],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_scan_runs_anywhere_with_the_shipped_editions(tmp_path: Path) -> None:
    folder = tmp_path / "Delad mapp – gamla filer"
    folder.mkdir()
    old_deck(folder / "gammal.pptx")
    current_document(folder / "ny.docx")
    done = _scan_outside(tmp_path, "--format", "json", str(folder))
    assert done.returncode == 1, done.stderr
    assert "shipped with vastbus" in done.stderr
    report = json.loads(done.stdout)
    assert report["edition"] == "bou-halsa-2023"
    status = {Path(entry["path"]).name: entry["status"] for entry in report["files"]}
    assert status == {"gammal.pptx": "outdated", "ny.docx": "current"}


def test_a_workspace_given_that_is_none_is_still_an_error(tmp_path: Path) -> None:
    old_deck(tmp_path / "gammal.pptx")
    done = _scan_outside(tmp_path, "--workspace", str(tmp_path), "gammal.pptx")
    assert done.returncode == 2 and "is not a workspace" in done.stderr
