"""The command line's own texts: Swedish by default, English with --lang en, usage lines as people write them."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import Result

from vastbus_cli import helptext
from vastbus_cli.cli import app

#: English words of the help texts as they were before translation; none may reach the Swedish help.
ENGLISH = (
    " the ",
    " and ",
    " with ",
    " of ",
    " to ",
    " or ",
    " is ",
    " are ",
    " for ",
    " in ",
    "Show",
    "Examples",
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "default:",
    "required",
    "Write",
    "Only",
    "Also",
    "Which",
    "Who",
    "Where",
    "file",
    "folder",
    "workspace",
    "refs",
    "district",
    "audience",
    "COMMAND",
    "PATH",
    "NAME",
    "DIR",
    "FILE",
    "PACK",
    "OLD",
    "NEW",
    "YYYY",
    "<list",
    "<path>",
    "<dir>",
    "Path]",
)
#: What the help may keep in English: option names, file names and paths (a contract, or typed as is).
_KEPT = re.compile(r"--?[\w-]+|\S*[./]\S*")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _prose(help_text: str) -> str:
    """The help a person reads as sentences: without the usage line, example commands (their comments are kept),
    command, option and file names.
    """
    lines = []
    for line in help_text.splitlines():
        command, _, comment = line.strip().partition("#")
        if command.startswith("vastbus ") or line.startswith(("Användning:", "Usage:")):
            lines.append(comment)
        else:
            lines.append(re.sub(r"^  [a-z]+  ", "", line))  # a command's name in a list of commands
    return _KEPT.sub(" ", "\n".join(lines))


def test_every_command_is_listed() -> None:
    assert ("new", "local") in COMMANDS and ("held",) in COMMANDS and () in COMMANDS
    assert ("survey", "make") in COMMANDS and ("survey", "import") in COMMANDS and ("survey", "report") in COMMANDS
    assert len(COMMANDS) == 21  # 17, the survey group and its make, import and report


@pytest.mark.usefixtures("swedish")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "vastbus")
def test_help_of_every_command_is_swedish_by_default(run: Callable[..., Result], command: tuple[str, ...]) -> None:
    result = run(*command, "--help", env_extra={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "Användning: vastbus" in result.output
    prose = _prose(result.output)
    found = [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", prose)]
    assert not found, f"English in 'vastbus {' '.join(command)} --help': {found}\n{result.output}"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "vastbus")
def test_help_of_every_command_is_english_with_lang_en(run: Callable[..., Result], command: tuple[str, ...]) -> None:
    result = run("--lang", "en", *command, "--help", env_extra={"VASTBUS_LANG": "sv"})
    assert result.exit_code == 0, result.output
    assert "Usage: vastbus" in result.output
    name = r"Västbus\s+/\s+Samverkan\s+för\s+barns\s+och\s+ungas\s+hälsa"  # the agreement's name, in every language
    prose = _prose(re.sub(name, "", result.output))
    assert not re.search("[åäöÅÄÖ]", prose), prose


@pytest.mark.usefixtures("swedish")
def test_examples_stay_as_written_and_their_comments_are_translated(run: Callable[..., Result]) -> None:
    shown = run("build", "--help").output
    assert "vastbus build --district angered --audience forskola --audience bvc" in shown
    assert "vastbus build -d örgryte -a barnavård     # början av ett namn räcker" in shown
    assert "Exempel:" in shown and "Examples" not in shown


@pytest.mark.usefixtures("swedish")
@pytest.mark.parametrize(
    ("command", "usage", "argument"),
    [
        ("review", "vastbus review [FLAGGOR] [SÖKVÄG]...", "SÖKVÄG..."),
        ("check", "vastbus check [FLAGGOR] [SÖKVÄG]...", "SÖKVÄG..."),
        ("scan", "vastbus scan [FLAGGOR] SÖKVÄG...", "SÖKVÄG..."),
        ("held", "vastbus held [FLAGGOR] PAKET", "PAKET"),
        ("diff", "vastbus diff [FLAGGOR] ÄLDRE NYARE", "ÄLDRE"),
        ("new", "vastbus new [FLAGGOR] KOMMANDO [ARGUMENT]...", None),
        ("new workspace", "vastbus new workspace [FLAGGOR] MAPP", "MAPP"),
    ],
)
def test_usage_lines_read_as_people_write_them(
    run: Callable[..., Result], command: str, usage: str, argument: str | None
) -> None:
    shown = run(*command.split(), "--help").output
    assert f"Användning: {usage}\n" in shown
    if argument is not None:
        assert re.search(rf"^  {re.escape(argument)}  ", shown, re.M), shown
    assert not re.search(r"<list|<path>|<dir>|\{[A-ZÅÄÖ]|\.\.\.\]", shown), shown


def test_usage_lines_in_english(run: Callable[..., Result]) -> None:
    assert "Usage: vastbus review [OPTIONS] [PATH]...\n" in run("review", "--help").output
    assert "Usage: vastbus held [OPTIONS] PACK\n" in run("held", "--help").output
    assert "Usage: vastbus [OPTIONS] COMMAND [ARGS]...\n" in run("--help").output


@pytest.mark.usefixtures("swedish")
def test_a_required_option_says_so_once(run: Callable[..., Result]) -> None:
    line = next(line for line in run("review", "--help").output.splitlines() if line.startswith("  --by"))
    assert line.split() == ["--by", "NAMN", "Vem", "som", "granskade.", "[krävs]"]
    shown = run("review", "--help", "--lang", "en").output
    english = next(line for line in shown.splitlines() if line.startswith("  --by"))
    assert english.count("required") == 1


@pytest.mark.usefixtures("swedish")
def test_a_missing_argument_is_named_by_its_swedish_metavar(run: Callable[..., Result]) -> None:
    result = run("held", "--date", "2026-11-20", "--participants", "3")
    assert result.exit_code == 2
    assert "PAKET" in result.output and "PACK" not in result.output


@pytest.mark.usefixtures("swedish")
def test_a_bad_date_is_said_in_swedish(run: Callable[..., Result]) -> None:
    result = run("editions", "--as-of", "igår")
    assert result.exit_code == 2
    assert "--as-of 'igår' är inget datum; skriv ÅÅÅÅ-MM-DD" in result.output


@pytest.mark.parametrize("name", [n for n in vars(helptext) if n.endswith("_HELP")])
def test_help_texts_are_declared_as_typer_keeps_them(name: str) -> None:
    """Typer stores a help text cleaned (:func:`inspect.cleandoc`); only that form is found in the catalog."""
    text = getattr(helptext, name)
    assert inspect.cleandoc(text) == text


# --- what cli.py and cli_new.py say themselves ---------------------------------------------------


@pytest.mark.usefixtures("swedish")
def test_a_missing_path_is_said_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    result = run("check", "-w", mini, mini / "saknas.yaml")
    assert result.exit_code == 2
    assert "saknas.yaml finns inte" in result.stderr


@pytest.mark.usefixtures("swedish")
def test_schema_says_what_it_wrote_in_swedish(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("schema", "-w", mini, "--out", tmp_path / "scheman")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(": skriven\n") == 8
    assert "8 scheman i" in result.stderr and "skrev 8, redan aktuella: 0" in result.stderr
    english = run("schema", "-w", mini, "--out", tmp_path / "scheman", "--lang", "en")
    assert english.stdout.count(": current\n") == 8


@pytest.mark.usefixtures("swedish")
def test_new_says_what_it_wrote_and_what_to_run_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    result = run("new", "local", "angered", "-w", mini)
    assert result.exit_code == 0, result.output
    assert "skrev " in result.stderr and "lokalt.yaml" in result.stderr
    assert ", kör sedan: vastbus check -w " in result.stderr
