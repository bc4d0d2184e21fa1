"""The command line: exit codes, formats, help and the shipped workspace."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import ENV, REPO, findings_of, replace_in
from vastbus_cli import __version__
from vastbus_cli.cli import app

MOD = "curriculum/modules/samtycke.yaml"
COMMANDS = sorted(command.name or "" for command in app.registered_commands)


def test_version(run: Callable[..., Result]) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"vastbus {__version__}"


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, **ENV},
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"vastbus {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(run: Callable[..., Result], command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"vastbus {command}" in result.stdout


def test_shipped_workspace_is_clean(shipped: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    report = check_json(shipped)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors == []
    assert report["exit_code"] == 0
    assert report["edition"] == "bou-halsa-2023"


def test_text_format_is_one_line_per_finding(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    result = run("check", "--workspace", mini)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert re.match(r"^curriculum/modules/samtycke\.yaml:1:1: error schema/missing ", lines[0])
    assert re.match(
        r"^curriculum/modules/samtycke\.yaml:6:1: error schema/unknown-key .*did you mean 'objectives'", lines[1]
    )
    assert lines[-1].endswith("files checked against bou-halsa-2023: 2 errors in 1 file")


def test_json_has_the_same_findings_as_text(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    replace_in(mini / MOD, '"En SIP kräver samtycke."', '"Ett Västbusmöte kräver samtycke."')
    text = run("check", "--workspace", mini).stdout.strip().splitlines()[:-1]
    report = json.loads(run("check", "--workspace", mini, "--format", "json").stdout)
    assert set(report) >= {"edition", "findings", "summary"}
    assert report["summary"] == {"error": 3, "warning": 0, "info": 0}
    as_lines = [
        f"{f['file']}:{f['line']}:{f['column']}: {f['severity']} {f['rule']} {f['message']}" for f in report["findings"]
    ]
    assert [line.split(" (")[0] for line in text] == [line.split(" (")[0] for line in as_lines]
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "message", "file", "line", "column", "hint"}
        assert finding["line"] >= 1 and finding["column"] >= 1


def test_github_format(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    result = run("check", "--workspace", mini, "--format", "github")
    assert result.exit_code == 1
    assert "::error file=curriculum/modules/samtycke.yaml,line=6,col=1,title=schema/unknown-key::" in result.stdout


def test_sarif_and_junit_formats(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    sarif = json.loads(run("check", "--workspace", mini, "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in results} == {"schema/unknown-key", "schema/missing"}
    junit = ET.fromstring(run("check", "--workspace", mini, "--format", "junit").stdout)
    assert junit.get("failures") == "2"
    failing = junit.findall(".//testcase/failure")
    assert len(failing) == 2
    assert {case.get("classname") for case in junit.iter("testcase") if case.find("failure") is not None} == {
        "curriculum/modules/samtycke.yaml"
    }


def test_junit_counts_a_passing_case_per_clean_file_and_a_failure_per_finding_at_fail_on(
    mini: Path, run: Callable[..., Result]
) -> None:
    clean = ET.fromstring(run("check", "--workspace", mini, "--format", "junit").stdout)
    cases = list(clean.iter("testcase"))
    # Every file check reads is a passing test case: the editions, the course, the districts, the module,
    # the local file and the three templates.
    assert clean.get("failures") == "0" and int(clean.get("tests") or 0) == len(cases) >= 8
    assert "curriculum/course.yaml" in {case.get("classname") for case in cases}
    assert all(case.find("failure") is None for case in cases)
    replace_in(mini / MOD, "objectives:", "objektives:")
    on_error = ET.fromstring(run("check", "--workspace", mini, "--format", "junit").stdout)
    failures = on_error.findall(".//failure")
    assert on_error.get("failures") == str(len(failures)) == "2"
    assert int(on_error.get("tests") or 0) == len(cases) - 1 + 2  # the module's passing case became two failures
    never = ET.fromstring(run("check", "--workspace", mini, "--format", "junit", "--fail-on", "never").stdout)
    assert never.get("failures") == "0" and "schema/unknown-key" in (never.findtext(".//system-out") or "")


def test_output_file(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "rapporter" / "fynd.json"
    result = run("check", "--workspace", mini, "--format", "json", "--output", target)
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["findings"] == []
    assert result.stdout == ""


def test_fail_on(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "        reviewed: {by: Testare, on: 2026-11-22}\n", "")
    assert run("check", "--workspace", mini).exit_code == 0
    assert run("check", "--workspace", mini, "--fail-on", "warning").exit_code == 1
    replace_in(mini / MOD, "objectives:", "objektives:")
    assert run("check", "--workspace", mini, "--fail-on", "never").exit_code == 0


def test_paths_limit_the_report(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    assert run("check", "--workspace", mini, mini / "curriculum" / "course.yaml").exit_code == 0
    assert run("check", "--workspace", mini, mini / "curriculum" / "modules").exit_code == 1


def test_as_of_picks_the_edition(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    report = check_json(mini, "--as-of", "2022-06-01")
    assert report["edition"] == "bou-halsa-2021"
    assert {f["rule"] for f in report["findings"]} == {"edition/newer"}
    assert check_json(mini, "--as-of", "2015-01-01")["edition"] == "vastbus-2012"
    assert check_json(mini, "--edition", "bou-halsa-2021")["edition"] == "bou-halsa-2021"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--edition", "bou-halsa-2099"], "unknown edition 'bou-halsa-2099'"),
        (["check", "--as-of", "2023-02-30"], "--as-of '2023-02-30' is not a date"),
        (["check", "--as-of", "1999-01-01"], "no guideline edition is valid on 1999-01-01"),
        (["check", "saknas.yaml"], "saknas.yaml does not exist"),
        (["check", "--format", "pdf"], "pdf"),
    ],
)
def test_usage_errors_exit_2(mini: Path, run: Callable[..., Result], args: list[str], message: str) -> None:
    result = run(*args, "--workspace", mini)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_no_workspace_found(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, **ENV},
        timeout=60,
    )
    assert result.returncode == 2
    assert "no workspace found" in result.stderr
    assert "Traceback" not in result.stderr


def test_workspace_found_from_a_subfolder(mini: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "check"],
        capture_output=True,
        text=True,
        cwd=mini / "curriculum" / "modules",
        env={**os.environ, **ENV},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "no errors" in result.stdout


def test_unwritable_output_exits_3(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    result = run("check", "--workspace", mini, "--output", blocker / "under" / "rapport.txt")
    assert result.exit_code == 3
    assert "cannot write" in result.stderr


def test_done_when_mistakes_on_the_shipped_workspace(shipped: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    """Each mistake named in the foundation issue, on a copy of the shipped workspace."""
    module = shipped / MOD
    original = module.read_text(encoding="utf-8")
    slides_line = original.splitlines().index("slides:") + 1
    first_slide = original.index("slides:\n") + len("slides:\n")
    new_slide = '  - id: test-bild\n    title: "Test"\n    bullets:\n      - "{text}"\n'

    def with_slide(text: str) -> str:
        return original[:first_slide] + new_slide.format(text=text) + original[first_slide:]

    cases: list[tuple[str, str, str, int]] = [
        ("tab", original[:first_slide] + "\t" + original[first_slide:].lstrip(" "), "yaml/tab", slides_line + 1),
        ("duplicate key", original.replace("minutes:", "minutes: 1\nminutes:", 1), "yaml/duplicate-key", 0),
        ("unknown key", original.replace("objectives:", "objektives:", 1), "schema/unknown-key", 0),
        ("unknown section", original.replace("section: samtycke", "section: finns-inte", 1), "ref/unknown-section", 0),
        ("Västbusmöte", with_slide("Vi kallar till ett Västbusmöte."), "term/outdated", slides_line + 4),
        (
            "only complex",
            with_slide("Västbus är bara för de mest komplexa fallen."),
            "claim/misconception",
            slides_line + 4,
        ),
    ]
    for name, text, rule, line in cases:
        module.write_text(text, encoding="utf-8")
        report = check_json(shipped)
        found = [f for f in findings_of(report, rule) if f["file"] == MOD]
        assert report["exit_code"] == 1, name
        assert found, (name, report["findings"][:3])
        if line:
            assert found[0]["line"] == line, (name, found)
        else:
            assert found[0]["line"] >= 1, (name, found)
    module.write_text(original, encoding="utf-8")
    replace_in(shipped / "curriculum" / "course.yaml", "built_on: bou-halsa-2023", "built_on: vastbus-2012")
    report = check_json(shipped)
    (outdated,) = [f for f in findings_of(report, "edition/outdated") if f["file"] == "curriculum/course.yaml"]
    assert outdated["severity"] == "error"
    assert report["exit_code"] == 1


def test_repo_is_the_default_workspace() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", "check", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **ENV},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout[-2000:]


_LOADED_AFTER = """
import sys
from vastbus_cli.cli import app
try:
    app(sys.argv[1:], prog_name="vastbus")
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_loaded_by(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_AFTER, *args], cwd=REPO, env=ENV, capture_output=True, text=True, check=True
    )
    return set(done.stderr.split())


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("check", "--help"), ("build", "--help")])
def test_version_and_help_load_no_models_rules_or_writers(args: tuple[str, ...]) -> None:
    loaded = _modules_loaded_by(*args)
    heavy = {"ruamel.yaml", "vastbus_cli.models", "vastbus_cli.checks.runner", "vastbus_cli.render", "rich.markdown"}
    if len(args) == 1:  # a command's own options are coerced by Typer, which uses pydantic for that
        heavy.add("pydantic")
    assert not heavy & loaded, sorted(heavy & loaded)


def test_shell_completion_completes_commands_and_options_without_loading_models() -> None:
    def complete(words: str, cword: int) -> tuple[str, set[str]]:
        env = ENV | {"PATH": os.environ["PATH"], "_VASTBUS_COMPLETE": "complete_bash"}
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(cword)}
        script = _LOADED_AFTER.replace('app(sys.argv[1:], prog_name="vastbus")', 'app(prog_name="vastbus")')
        done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True)
        return done.stdout, set(done.stderr.split())

    commands, loaded = complete("vastbus bu", 1)
    assert commands.split() == ["build"]
    assert "vastbus_cli.models" not in loaded and "vastbus_cli.checks.runner" not in loaded
    options, _ = complete("vastbus build --dis", 2)
    assert options.split() == ["--district"]


def test_editions_loads_the_models_but_no_rules_or_writers() -> None:
    loaded = _modules_loaded_by("editions")
    assert "vastbus_cli.models" in loaded
    unused = {"vastbus_cli.checks.runner", "vastbus_cli.claims", "vastbus_cli.render", "vastbus_cli.build"}
    assert not unused & loaded, sorted(unused & loaded)


# --- conventions people expect from a command-line tool -----------------------------------------


def test_short_version_flag(run: Callable[..., Result]) -> None:
    assert run("-V").stdout.strip() == f"vastbus {__version__}"


def test_help_lists_commands_in_the_order_a_user_meets_them(run: Callable[..., Result]) -> None:
    listed = re.findall(r"^  (\w+)\s{2,}", run("--help").stdout, re.M)
    assert listed[:6] == ["check", "build", "report", "site", "held", "scan"], listed


def test_a_dash_as_output_means_standard_output(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    done = run("check", "--workspace", mini, "--format", "json", "--output", "-")
    assert json.loads(done.stdout)["summary"] is not None
    assert not (Path.cwd() / "-").exists()
    out = tmp_path / "paket"
    run("build", "--workspace", mini, "--out", out, "--jobs", "1")
    page = run("report", "--workspace", mini, "--out", out, "--html", "-")
    assert page.stdout.lstrip().startswith("<!DOCTYPE html>"), page.stdout[:80]


def _stderr_of(args: list[str], **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "vastbus_cli", *args],
        cwd=REPO,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "NO_COLOR" or "NO_COLOR" in env},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stderr


@pytest.mark.slow
def test_no_color_removes_every_style_bold_included() -> None:
    args = ["build", "--district", "ingenstans", "--out", "/nonexistent-vastbus"]
    assert "\x1b[" in _stderr_of(args, FORCE_COLOR="1"), "styled when a terminal is forced"
    assert "\x1b[" not in _stderr_of(args, FORCE_COLOR="1", NO_COLOR="1")


def test_districts_and_audiences_by_the_names_people_write(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    built = run("build", "--workspace", mini, "--out", tmp_path / "ut", "-d", "Örgryte-Härlanda", "-a", "BVC")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "ut" / "örgryte-härlanda" / "bvc" / "slides.pptx").is_file()
    wrong = run("build", "--workspace", mini, "--out", tmp_path / "ut", "--district", "Angred")
    assert wrong.exit_code == 2
    assert "did you mean 'Angered'?" in wrong.stderr


def test_ci_false_is_not_a_ci_service(monkeypatch: pytest.MonkeyPatch) -> None:
    from vastbus_cli import cli

    for value, expected in (("true", True), ("1", True), ("false", False), ("0", False), ("", False)):
        monkeypatch.setenv("CI", value)
        assert cli._in_ci() is expected, value


SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-2.1.0-rtm.5.json"


def test_sarif_validates_against_the_2_1_0_schema_with_help_for_every_rule(
    mini: Path, run: Callable[..., Result]
) -> None:
    import jsonschema

    replace_in(mini / MOD, "objectives:", "objektives:")
    replace_in(mini / MOD, "En SIP kräver samtycke.", "Västbusmötet kräver samtycke.")
    document = json.loads(run("check", "--workspace", mini, "--format", "sarif").stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    run_ = document["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert {"schema/unknown-key", "term/outdated"} <= set(rules)
    for rule in rules.values():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "How to fix it" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["tags"]
    assert "WORKSPACE" in run_["originalUriBaseIds"]
    for result in run_["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "WORKSPACE" and not location["uri"].startswith("/")
        assert result["partialFingerprints"]["vastbusFinding/v1"]


def test_a_sarif_alert_keeps_its_fingerprint_when_lines_move(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "En SIP kräver samtycke.", "Västbusmötet kräver samtycke.")

    def fingerprints() -> dict[int, str]:
        results = json.loads(run("check", "--workspace", mini, "--format", "sarif").stdout)["runs"][0]["results"]
        return {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["partialFingerprints"]["vastbusFinding/v1"]
            for r in results
            if r["ruleId"] == "term/outdated"
        }

    before = fingerprints()
    replace_in(mini / MOD, "slides:\n", "# En rad till.\nslides:\n")
    after = fingerprints()
    assert set(before.values()) == set(after.values()) and set(before) != set(after)


def test_every_rule_the_checks_emit_is_documented_and_has_help() -> None:
    from vastbus_cli.rulebook import MEANINGS

    emitted = set()
    for path in (REPO / "vastbus_cli").rglob("*.py"):
        emitted |= set(re.findall(r'"([a-z0-9]+/[a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    families = {rule.split("/")[0] for rule in MEANINGS}
    emitted = {rule for rule in emitted if rule.split("/")[0] in families and not rule.endswith("-")}
    table = (REPO / "docs" / "regler.md").read_text(encoding="utf-8")
    for rule in sorted(emitted):
        assert rule in MEANINGS, f"{rule} has no entry in vastbus_cli/rulebook.py"
        assert f"`{rule}`" in table or f"`{rule.split('/')[0]}/*`" in table, f"{rule} is not in docs/regler.md"


def test_on_github_every_finding_goes_to_the_step_summary(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    def on_github(summary: Path, *args: str | Path) -> Result:
        return run(*args, env_extra={"GITHUB_STEP_SUMMARY": str(summary)})

    def build_into(summary: Path) -> Result:
        return on_github(summary, "build", "--workspace", mini, "--out", tmp_path / "ut", "--jobs", "1")

    summary = tmp_path / "sammanfattning.md"
    replace_in(mini / MOD, "En SIP kräver samtycke.", "Västbusmötet | kräver samtycke..")
    assert on_github(summary, "check", "--workspace", mini, "--format", "github").exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "| severity | rule | where | finding |" in text
    assert "`term/outdated`" in text and "`curriculum/modules/samtycke.yaml:" in text
    assert "usmötet \\| kräver samtycke.." in text  # a pipe in the text does not break the table
    build_into(summary)
    assert "### vastbus build" not in summary.read_text(encoding="utf-8")  # refused: check found an error
    clean = tmp_path / "ren.md"
    replace_in(mini / MOD, "Västbusmötet | kräver samtycke..", "En SIP kräver samtycke.")
    on_github(clean, "check", "--workspace", mini)
    build_into(clean)
    assert "no errors" in clean.read_text(encoding="utf-8")
    assert "### vastbus build" in clean.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_pre_commit_hook_checks_the_staged_files(mini: Path) -> None:
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "vastbus-check" and hook["pass_filenames"] is True

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=mini, capture_output=True, text=True, check=True)
        return done.stdout

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")

    def hook_on_staged() -> subprocess.CompletedProcess[str]:
        staged = [name for name in git("diff", "--cached", "--name-only").split() if re.search(hook["files"], name)]
        assert staged, "the hook's files pattern matches the staged curriculum"
        entry = hook["entry"].split()
        command = [sys.executable, "-m", "vastbus_cli", *entry[1:]] if entry[0] == "vastbus" else entry
        return subprocess.run(
            [*command, *staged],
            cwd=mini,
            capture_output=True,
            text=True,
            check=False,
            env=ENV | {"PATH": os.environ["PATH"]},
        )

    assert hook_on_staged().returncode == 0
    replace_in(mini / MOD, "objectives:", "objektives:")
    git("add", MOD)
    failed = hook_on_staged()
    assert failed.returncode == 1 and "curriculum/modules/samtycke.yaml" in failed.stdout


#: What each short option means, in every command that has it.
SHORT_OPTIONS = {
    "-h": "--help",
    "-V": "--version",
    "-w": "--workspace",
    "-f": "--format",
    "-j": "--jobs",
    "-d": "--district",
    "-a": "--audience",
    "-o": "where the command writes",
}


def test_a_short_option_means_the_same_in_every_command(run: Callable[..., Result]) -> None:
    from vastbus_cli.cli import COMMAND_ORDER

    seen = set()
    for command in ("", *COMMAND_ORDER):
        help_text = run(*command.split(), "--help").stdout
        for short, long in re.findall(r"^\s+(-[A-Za-z]), (--[a-z-]+)", help_text, re.MULTILINE):
            seen.add(short)
            assert short in SHORT_OPTIONS, f"vastbus {command} {short}: give it a meaning in SHORT_OPTIONS or drop it"
            if short == "-o":
                # check, scan, report and changes write their report to --output, build, site and schema their folders to --out.
                writes = (
                    ("check", "--output"),
                    ("scan", "--output"),
                    ("report", "--output"),
                    ("changes", "--output"),
                    ("build", "--out"),
                    ("site", "--out"),
                    ("schema", "--out"),
                )
                assert (command, long) in writes, command
            else:
                assert long == SHORT_OPTIONS[short], f"vastbus {command}: {short} is {long}"
    assert seen == set(SHORT_OPTIONS)  # the help was read
