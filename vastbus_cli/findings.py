"""Findings: every problem a command reports, as data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is; ``--fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Lines and columns are 1-based; 0 means the whole file."""

    rule: str
    severity: Severity
    message: str
    file: str
    line: int = 0
    column: int = 0
    hint: str | None = None

    def to_json(self) -> dict[str, object]:
        """The finding as the JSON contract spells it."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, rule, then message."""
        return (self.file, self.line, self.column, self.rule, self.message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in reading order, duplicates removed."""
    return sorted(set(findings), key=lambda finding: finding.sort_key)


def summarise(findings: Iterable[Finding]) -> dict[str, int]:
    """Count findings per severity: ``{"error": N, "warning": N, "info": N}``."""
    counts = Counter(finding.severity for finding in findings)
    return {severity.value: counts.get(severity, 0) for severity in reversed(Severity)}


def fails(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """Whether any finding is at or above ``fail_on`` (None means never fail)."""
    if fail_on is None:
        return False
    return any(finding.severity.rank >= fail_on.rank for finding in findings)
