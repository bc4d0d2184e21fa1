"""Shared fixtures: real workspaces in tmp_path and a CLI runner with a pinned terminal."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import settings
from ruamel.yaml import YAML
from typer.testing import CliRunner, Result

from vastbus_cli.api import write_schemas
from vastbus_cli.cli import app
from vastbus_cli.editions import fingerprint
from vastbus_cli.i18n import ENV as ENV_LANG
from vastbus_cli.i18n import speaking
from vastbus_cli.models import Edition

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
ENV = {"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}


def current_fingerprint(section_id: str, edition_id: str = "bou-halsa-2023") -> str:
    """The fingerprint of a section in the shipped guideline data."""
    text = (REPO / "guidelines" / f"{edition_id}.yaml").read_text(encoding="utf-8")
    edition = Edition.model_validate(YAML(typ="safe").load(text))
    return fingerprint(next(s for s in edition.sections if s.id == section_id))


def ref(section: str, edition: str = "bou-halsa-2023", indent: int = 6) -> str:
    """A YAML ref block, reviewed, with the real fingerprint."""
    pad = " " * indent
    return (
        f"{pad}- section: {section}\n"
        f"{pad}  edition: {edition}\n"
        f"{pad}  fingerprint: {current_fingerprint(section, edition)}\n"
        f"{pad}  reviewed: {{by: Testare, on: 2026-11-22}}\n"
    )


MODULE = """\
id: samtycke
title: "Samtycke"
area: funktion
built_on: bou-halsa-2023
minutes: 20
objectives:
  - "Kunna förklara samtycke."
slides:
  - id: start
    layout: section
    title: "Samtycke"
  - id: kravs
    layout: content
    title: "Ingen SIP utan samtycke"
    bullets:
      - "En SIP kräver samtycke."
      - "Vårdnadshavarna bestämmer vilka som deltar."
    notes: |
      Fråga gruppen hur de brukar be om samtycke.
    audience_notes:
      bvc: "På BVC möter ni ofta familjen först."
    refs:
{refs}
quiz:
  - id: vem
    question: "Vem samtycker för ett barn?"
    options: ["Rektorn", "Vårdnadshavarna"]
    answer: 2
    explanation: "Vårdnadshavarna samtycker."
    refs:
{refs}
"""

COURSE = """\
id: testkurs
title: "Testkurs"
version: "1.0.0"
built_on: bou-halsa-2023
owner: "Testare"
audiences:
  - id: bvc
    name: "BVC"
  - id: forskola
    name: "Förskola"
modules:
  - samtycke
"""

DISTRICTS = """\
districts:
  - id: örgryte-härlanda
    name: "Örgryte-Härlanda"
  - id: angered
    name: "Angered"
"""

LOCAL = """\
district: örgryte-härlanda
built_on: bou-halsa-2023
title: "Lokalt i Örgryte-Härlanda"
after: samtycke
contacts:
  - role: "Samordnare"
    organisation: "Förskoleförvaltningen"
    how: "Via kontaktcenter"
    verified: true
slides:
  - id: lokal-rutin
    title: "Så gör vi här"
    bullets:
      - "Vi frågar alltid vårdnadshavarna först."
      - "Samordnaren hjälper till med kallelsen."
    notes: "Berätta hur området arbetar och fråga gruppen om deras erfarenheter."
"""


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Most tests read the messages as written in the code, in English (``VASTBUS_LANG=en``).

    The tool speaks Swedish by default; tests of what a Swedish user reads ask for the
    ``swedish`` fixture (tests/test_language.py runs every command that way).
    """
    monkeypatch.setenv(ENV_LANG, "en")
    with speaking("en"):
        yield


@pytest.fixture
def swedish(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The default language, as a Swedish user meets it (no ``--lang``, no ``VASTBUS_LANG``)."""
    monkeypatch.delenv(ENV_LANG, raising=False)
    with speaking("sv"):
        yield


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small valid workspace with the real guideline editions, in a folder with å, ä, ö."""
    return make_mini(tmp_path / "Västbus arbetsyta")


def make_mini(root: Path, edition: str = "bou-halsa-2023") -> Path:
    """Write the small workspace at ``root``; its module cites samtycke as reviewed in ``edition``."""
    shutil.copytree(REPO / "guidelines", root / "guidelines")
    shutil.copytree(REPO / "templates", root / "templates", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    write(root / "curriculum" / "course.yaml", COURSE)
    write(root / "curriculum" / "districts.yaml", DISTRICTS)
    write(root / "curriculum" / "modules" / "samtycke.yaml", MODULE.format(refs=ref("samtycke", edition)))
    write(root / "curriculum" / "local" / "örgryte-härlanda" / "lokalt.yaml", LOCAL)
    # The guideline files name curriculum/schemas/edition.schema.json on their first line.
    write_schemas(root / "curriculum" / "schemas")
    return root


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped workspace in a folder with å, ä, ö."""
    root = tmp_path / "Göteborg – Västbus"
    for name in ("guidelines", "curriculum", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    return root


def write(path: Path, text: str) -> Path:
    """Write UTF-8 text, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly if the old text is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process with a fixed terminal."""
    runner = CliRunner()

    def invoke(*args: str | Path, env_extra: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], env=ENV | (env_extra or {}))

    return invoke


@pytest.fixture
def check_json(run: Callable[..., Result]) -> Callable[..., dict[str, Any]]:
    """Run ``check --format json`` on a workspace and return the parsed report."""

    def invoke(workspace: Path, *extra: str) -> dict[str, Any]:
        result = run("check", "--workspace", workspace, "--format", "json", *extra)
        assert result.exit_code in (0, 1), result.output
        data: dict[str, Any] = json.loads(result.stdout)
        data["exit_code"] = result.exit_code
        return data

    return invoke


def rules_of(report: dict[str, Any]) -> set[str]:
    """The rule ids in a JSON report."""
    return {finding["rule"] for finding in report["findings"]}


def findings_of(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    """Findings of one rule."""
    return [finding for finding in report["findings"] if finding["rule"] == rule]


def slow_except(cases: Iterable[Any], keep: Iterable[str], ids: Iterable[str] | None = None) -> list[Any]:
    """``parametrize`` cases with all but ``keep`` (by id) marked ``slow``.

    For a test run on many variants of one mistake: the fast loop (``-m "not slow"``) runs
    the kept representatives, CI runs every case. ``ids`` default to each case (its first item if a tuple).
    """
    cases = list(cases)
    if ids is None:
        ids = [case[0] if isinstance(case, tuple) else case for case in cases]
    names = [str(name) for name in ids]
    kept = set(keep)
    assert kept <= set(names), f"no such case: {kept - set(names)}"
    return [
        pytest.param(
            *(case if isinstance(case, tuple) else (case,)), id=name, marks=() if name in kept else pytest.mark.slow
        )
        for case, name in zip(cases, names, strict=True)
    ]


@contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (hypothesis's deadline only measures an example after it returns)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# Hypothesis profiles: "ci" (the default) keeps the property suites to a minute or two on
# two cores and is derandomized, so CI runs the same examples every time and a failure
# there reproduces anywhere; "long" searches deeper with fresh random examples each run:
# pytest --hypothesis-profile long tests/test_property_*.py
settings.register_profile("ci", max_examples=25, derandomize=True, print_blob=True)
settings.register_profile("long", max_examples=2000, derandomize=False, print_blob=True)
settings.load_profile("ci")


#: Debian's headless browser, for opening HTML as people do; .ci/run installs it.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a private profile and home in ``tmp_path`` (``--dump-dom``, ``--screenshot``…)."""
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profil'}",
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run([CHROMIUM, *flags, *arguments], capture_output=True, text=True, timeout=120, env=env)
