"""Renderers of findings: plain text, JSON, GitHub annotations, SARIF and JUnit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from vastbus_cli import __version__
from vastbus_cli.findings import Finding, Severity, summarise
from vastbus_cli.i18n import N_, _, ngettext
from vastbus_cli.safetext import json_text, printable


def _printable(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with file, message and hint :func:`printable`: one line each, no terminal escapes.

    Text formats (text, GitHub, JUnit, Markdown) show them so; JSON and SARIF keep the text
    exact (JSON escapes control characters itself).
    """
    return [
        replace(f, file=printable(f.file), message=printable(f.message), hint=f.hint and printable(f.hint))
        for f in findings
    ]


#: The severity words people read (JSON, SARIF and JUnit keep ``error``/``warning``/``info``).
SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}


def severity_word(severity: Severity) -> str:
    """A severity as a person reads it, in the current language."""
    return _(SEVERITY_WORDS[severity])


def counted(findings: list[Finding]) -> str:
    """The findings counted by severity, in words: "no errors, 2 warnings", "1 error, 1 info"."""
    counts = summarise(findings)
    errors, warnings, infos = counts["error"], counts["warning"], counts["info"]
    parts = [
        ngettext("{n} error", "{n} errors", errors).format(n=errors) if errors else _("no errors"),
    ]
    if warnings:
        parts.append(ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings))
    if infos:
        parts.append(ngettext("{n} info", "{n} info", infos).format(n=infos))
    return ", ".join(parts)


def summary_line(edition: str, findings: list[Finding], checked: int | None = None) -> str:
    """What ``check`` found, in one line that says what it looked at.

    "24 files checked against bou-halsa-2023: no errors, 2 warnings in 2 files"; a clean run
    says "… no errors, nothing to remark"; without a count of the files read, "Checked against …".
    """
    against = edition or _("no edition")
    if checked is None:
        head = _("Checked against {edition}").format(edition=against)
    else:
        head = ngettext("{n} file checked against {edition}", "{n} files checked against {edition}", checked).format(
            n=checked, edition=against
        )
    if not findings:
        return _("{head}: no errors, nothing to remark").format(head=head)
    files = len({f.file for f in findings})
    where = ngettext("in {n} file", "in {n} files", files).format(n=files)
    return _("{head}: {counts} {where}").format(head=head, counts=counted(findings), where=where)


def as_text(edition: str, findings: list[Finding], *, checked: int | None = None) -> str:
    r"""One ``file:line:col: severity rule message`` line per finding, then a summary.

    ``checked`` is how many files were read, so a clean run says what it looked at
    ("24 files checked against bou-halsa-2023: no errors, nothing to remark").

    A newline or terminal escape in a file name or message is shown escaped (``\n``,
    ``\x1b``), so every finding is one line and none can be forged.
    """
    lines = []
    for f in _printable(findings):
        hint = f" ({f.hint})" if f.hint else ""
        lines.append(f"{f.file}:{f.line}:{f.column}: {severity_word(f.severity)} {f.rule} {f.message}{hint}")
    lines.append(summary_line(edition, findings, checked))
    return "\n".join(lines) + "\n"


def as_json(edition: str, findings: list[Finding]) -> str:
    """The JSON contract: edition, findings and summary."""
    document = {
        "edition": edition,
        "findings": [f.to_json() for f in findings],
        "summary": summarise(findings),
        "tool": {"name": "vastbus", "version": __version__},
    }
    return json_text(document)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def as_github(edition: str, findings: list[Finding]) -> str:
    """GitHub Actions workflow commands, highest severity first (GitHub caps annotations)."""
    ordered = sorted(_printable(findings), key=lambda f: (-f.severity.rank, f.sort_key))
    lines = []
    for f in ordered:
        props = [f"file={_escape_property(f.file)}"]
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.rule)}")
        hint = f" ({f.hint})" if f.hint else ""
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f.message + hint)}")
    lines.append("vastbus: " + summary_line(edition, findings))
    return "\n".join(lines) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(edition: str, findings: list[Finding]) -> str:
    """SARIF 2.1.0 for code scanning: every rule with its help, workspace-relative paths, stable fingerprints."""
    import hashlib

    from vastbus_cli.rulebook import MEANINGS, rule_help

    rules = sorted({f.rule for f in findings})
    levels: dict[str, Severity] = {}
    for f in findings:
        levels[f.rule] = max(levels.get(f.rule, f.severity), f.severity, key=lambda s: s.rank)
    results = []
    for f in findings:
        region = {"startLine": max(f.line, 1)}
        if f.column:
            region["startColumn"] = f.column
        # Stable across pushes: the rule, the file and the message, not the line (text moves when lines are added).
        # surrogatepass: a file name byte that is not UTF-8 (U+DCFF) must not stop the report.
        key = f"{f.rule}\x00{f.file}\x00{f.message}".encode("utf-8", "surrogatepass")
        identity = hashlib.sha256(key).hexdigest()[:32]
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": rules.index(f.rule),
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": f.file, "uriBaseId": "WORKSPACE"},
                            "region": region,
                        }
                    }
                ],
                "partialFingerprints": {"vastbusFinding/v1": identity},
            }
        )
    descriptors = []
    for rule in rules:
        about = rule_help(rule)
        # Meanings and fixes are marked N_() where the rules are declared: shown here in the run's language.
        meaning = _(MEANINGS[rule]).replace("`", "") if rule in MEANINGS else about.meaning
        fix = _(about.fix)
        sentence = meaning[:1].upper() + meaning[1:]
        descriptors.append(
            {
                "id": rule,
                "name": rule.replace("/", "-"),
                "shortDescription": {"text": sentence},
                "fullDescription": {"text": f"{sentence}. {fix}"},
                "help": {
                    "text": _("{meaning}. How to fix it: {fix}").format(meaning=meaning, fix=fix),
                    "markdown": _("**{rule}**: {meaning}.\n\n**How to fix it:** {fix}").format(
                        rule=rule, meaning=meaning, fix=fix
                    ),
                },
                "defaultConfiguration": {"level": _SARIF_LEVEL[levels[rule]]},
                "properties": {"tags": list(about.tags)},
            }
        )
    document = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vastbus",
                        "version": __version__,
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {
                    "WORKSPACE": {"description": {"text": _("The vastbus workspace (the repository root).")}}
                },
                "properties": {"edition": edition},
                "results": results,
            }
        ],
    }
    return json_text(document)


def as_junit(
    edition: str,
    findings: list[Finding],
    *,
    checked: list[str] | None = None,
    fail_on: Severity | None = Severity.ERROR,
) -> str:
    """JUnit XML: a test suite per file; one failing test case per finding at or above ``fail_on``.

    A checked file without such findings is one passing test case, so a clean run reads
    "N passed" in a CI pane; findings below ``fail_on`` are listed in its output.
    """
    from vastbus_cli.xmltext import escape, quoteattr

    by_file: dict[str, list[Finding]] = {printable(file): [] for file in checked or []}
    for f in _printable(findings):
        by_file.setdefault(f.file, []).append(f)
    suites = []
    total = failed = 0
    for file, items in sorted(by_file.items()):
        failing = [f for f in items if fail_on is not None and f.severity.rank >= fail_on.rank]
        noted = [f for f in items if f not in failing]
        cases = [
            f"    <testcase classname={quoteattr(file)} name={quoteattr(f'{f.rule} (line {f.line})')}>"
            f"<failure type={quoteattr(f.severity.value)} message={quoteattr(f'{f.line}:{f.column}: {f.message}')}>"
            f"{escape(f.hint or '')}</failure></testcase>"
            for f in failing
        ]
        if not failing:
            output = "\n".join(f"{f.line}:{f.column}: {f.severity.value} {f.rule} {f.message}" for f in noted)
            cases.append(
                f"    <testcase classname={quoteattr(file)} name={quoteattr('vastbus check')}>"
                + (f"<system-out>{escape(output)}</system-out>" if output else "")
                + "</testcase>"
            )
        total += len(cases)
        failed += len(failing)
        suites.append(
            f'  <testsuite name={quoteattr(file)} tests="{len(cases)}" failures="{len(failing)}" errors="0">\n'
            + "\n".join(cases)
            + "\n  </testsuite>"
        )
    name = quoteattr("vastbus check " + edition)
    header = f'<testsuites name={name} tests="{total}" failures="{failed}" errors="0">'
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + header + "\n" + "\n".join(suites) + "\n</testsuites>\n"


def as_markdown_summary(edition: str, findings: list[Finding]) -> str:
    """A Markdown summary for a pull request (GitHub's step summary): the counts, then every finding."""
    lines = [
        "### " + _("vastbus check against {edition}").format(edition=edition or _("no edition")),
        "",
        counted(findings),
    ]
    if findings:
        header = (_("severity"), _("rule"), _("where"), _("finding"))
        lines += ["", "| " + " | ".join(header) + " |", "|---|---|---|---|"]
        for f in _printable(findings):
            message = f.message + (f" ({f.hint})" if f.hint else "")
            cells = (severity_word(f.severity), f"`{f.rule}`", f"`{f.file}:{f.line}`", _markdown_cell(message))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


FORMATS: dict[str, Callable[[str, list[Finding]], str]] = {
    "text": as_text,
    "json": as_json,
    "github": as_github,
    "sarif": as_sarif,
    "junit": as_junit,
}


def render(name: str, edition: str, findings: list[Finding], *, checked: list[str], fail_on: Severity | None) -> str:
    """The report in the named format; JUnit also counts the clean files and fails only at ``fail_on``."""
    if name == "junit":
        return as_junit(edition, findings, checked=checked, fail_on=fail_on)
    if name == "text":
        return as_text(edition, findings, checked=len(checked))
    return FORMATS[name](edition, findings)
