"""The output formats alone: a small list of findings through each renderer of formats.py.

The CLI tests run the formats on a real workspace (and validate SARIF against the 2.1.0
schema: tests/test_cli.py); these pin each format's shape on findings chosen to stress it:
every severity, a whole-file finding, a hint, and a message with a newline, a file name with a comma.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from vastbus_cli.findings import Finding, Severity
from vastbus_cli.formats import FORMATS, as_github, as_json, as_junit, as_markdown_summary, as_sarif, as_text, render

EDITION = "bou-halsa-2023"
FINDINGS = [
    Finding(
        "term/outdated",
        Severity.WARNING,
        "'Västbusmötet' is outdated",
        "curriculum/modules/a.yaml",
        12,
        9,
        "say 'SIP-mötet'",
    ),
    Finding("schema/unknown-key", Severity.ERROR, "unknown key 'objektives'", "curriculum/modules/a.yaml", 7, 1),
    Finding("file/not-regular", Severity.ERROR, "not a regular file,\nskipped", "curriculum/modules/å, b.yaml"),
    Finding("term/outdated", Severity.INFO, "a note", "guidelines/x.yaml", 3, 2),
]


def test_every_format_is_registered_and_render_dispatches_to_it() -> None:
    assert set(FORMATS) == {"text", "json", "github", "sarif", "junit"}
    for name, renderer in FORMATS.items():
        rendered = render(name, EDITION, FINDINGS, checked=[], fail_on=Severity.ERROR)
        if name == "text":  # the text summary also says how many files were read (issue 30)
            assert rendered == as_text(EDITION, FINDINGS, checked=0)
            assert rendered.endswith("0 files checked against bou-halsa-2023: 2 errors, 1 warning, 1 info in 3 files\n")
        else:
            assert rendered == renderer(EDITION, FINDINGS)


def test_a_clean_text_report_says_what_it_checked() -> None:
    assert render("text", EDITION, [], checked=["a.yaml", "b.yaml"], fail_on=None).splitlines() == [
        "2 files checked against bou-halsa-2023: no errors, nothing to remark"
    ]


def test_text_is_one_line_per_finding_then_a_summary() -> None:
    lines = as_text(EDITION, FINDINGS).splitlines()
    assert len(lines) == len(FINDINGS) + 1
    assert lines[0] == (
        "curriculum/modules/a.yaml:12:9: warning term/outdated 'Västbusmötet' is outdated (say 'SIP-mötet')"
    )
    # The newline in the message is shown escaped, so the finding stays on its line.
    assert lines[2] == "curriculum/modules/å, b.yaml:0:0: error file/not-regular not a regular file,\\nskipped"
    assert lines[-1] == "Checked against bou-halsa-2023: 2 errors, 1 warning, 1 info in 3 files"
    assert as_text("", []).splitlines() == ["Checked against no edition: no errors, nothing to remark"]


def test_json_is_valid_and_round_trips_every_finding() -> None:
    document = json.loads(as_json(EDITION, FINDINGS))
    assert document["edition"] == EDITION
    assert document["summary"] == {"error": 2, "warning": 1, "info": 1}
    assert document["tool"]["name"] == "vastbus"
    back = [Finding(**{**item, "severity": Severity(item["severity"])}) for item in document["findings"]]
    assert back == FINDINGS
    assert json.loads(as_json(EDITION, []))["findings"] == []


def test_github_annotations_escape_properties_and_put_errors_first() -> None:
    lines = as_github(EDITION, FINDINGS).splitlines()
    assert len(lines) == len(FINDINGS) + 1
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error", "::error", "::warning", "::notice"]
    assert (
        lines[0]
        == "::error file=curriculum/modules/a.yaml,line=7,col=1,title=schema/unknown-key::unknown key 'objektives'"
    )
    # A whole-file finding has no line or column; the comma in its file name is escaped, and the newline (shown escaped) cannot end the command.
    assert lines[1] == (
        "::error file=curriculum/modules/å%2C b.yaml,title=file/not-regular::not a regular file,\\nskipped"
    )
    assert lines[2].endswith("::'Västbusmötet' is outdated (say 'SIP-mötet')")
    assert lines[-1] == "vastbus: Checked against bou-halsa-2023: 2 errors, 1 warning, 1 info in 3 files"


def test_sarif_indexes_its_rules_and_gives_each_the_highest_level_seen() -> None:
    document = json.loads(as_sarif(EDITION, FINDINGS))
    run = document["runs"][0]
    assert document["version"] == "2.1.0" and run["properties"] == {"edition": EDITION}
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["file/not-regular", "schema/unknown-key", "term/outdated"]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules}
    assert levels == {"file/not-regular": "error", "schema/unknown-key": "error", "term/outdated": "warning"}
    results = run["results"]
    assert len(results) == len(FINDINGS)
    for finding, result in zip(FINDINGS, results, strict=True):
        assert rules[result["ruleIndex"]]["id"] == finding.rule == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == max(finding.line, 1)
        assert region.get("startColumn", 0) == finding.column
    assert [r["level"] for r in results] == ["warning", "error", "error", "note"]
    # JSON keeps the message exact (the newline is JSON's to escape); the hint joins it.
    assert results[2]["message"]["text"] == "not a regular file,\nskipped"
    assert results[0]["message"]["text"] == "'Västbusmötet' is outdated (say 'SIP-mötet')"
    fingerprints = {r["partialFingerprints"]["vastbusFinding/v1"] for r in results}
    assert len(fingerprints) == len(FINDINGS)


@pytest.mark.parametrize(
    ("fail_on", "failures"), [(Severity.ERROR, 2), (Severity.WARNING, 3), (Severity.INFO, 4), (None, 0)]
)
def test_junit_parses_with_a_suite_per_file_and_fails_at_fail_on(fail_on: Severity | None, failures: int) -> None:
    checked = ["curriculum/course.yaml", "curriculum/modules/a.yaml"]
    root = ET.fromstring(as_junit(EDITION, FINDINGS, checked=checked, fail_on=fail_on))
    assert root.tag == "testsuites" and root.get("name") == "vastbus check bou-halsa-2023"
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert sorted(suites) == [
        "curriculum/course.yaml",
        "curriculum/modules/a.yaml",
        "curriculum/modules/å, b.yaml",
        "guidelines/x.yaml",
    ]
    assert root.get("failures") == str(failures) == str(len(root.findall(".//failure")))
    assert int(root.get("tests") or 0) == len(root.findall(".//testcase"))
    # A clean file is one passing case.
    clean = suites["curriculum/course.yaml"].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    assert render("junit", EDITION, FINDINGS, checked=checked, fail_on=fail_on) == as_junit(
        EDITION, FINDINGS, checked=checked, fail_on=fail_on
    )


def test_junit_lists_findings_below_fail_on_in_the_passing_cases_output() -> None:
    root = ET.fromstring(as_junit(EDITION, FINDINGS, checked=[], fail_on=Severity.ERROR))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "guidelines/x.yaml")
    (case,) = suite.findall("testcase")
    assert case.findtext("system-out") == "3:2: info term/outdated a note"


def test_markdown_summary_counts_then_tables_every_finding() -> None:
    lines = as_markdown_summary(EDITION, FINDINGS).splitlines()
    assert lines[0] == "### vastbus check against bou-halsa-2023"
    assert lines[2] == "2 errors, 1 warning, 1 info"
    rows = [line for line in lines if line.startswith("| ") and "`" in line]
    assert len(rows) == len(FINDINGS)
    assert (
        rows[0]
        == "| warning | `term/outdated` | `curriculum/modules/a.yaml:12` | 'Västbusmötet' is outdated (say 'SIP-mötet') |"
    )
    assert as_markdown_summary(EDITION, []).count("|") == 0
