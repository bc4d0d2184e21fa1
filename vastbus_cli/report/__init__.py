"""The steering group's view: per district and audience, is the material current?

``compute`` works the report out (``district_report``); ``words`` holds the labels and the
summary line every view shares; ``text`` and ``html`` are the views (the HTML view's styles
are shared with the trainers' site). Everything is re-exported here.
"""

from __future__ import annotations

from vastbus_cli.report.compute import (
    SUSPECT_RULES,
    Cell,
    DistrictRow,
    Report,
    Status,
    Training,
    district_report,
)
from vastbus_cli.report.html import REPORT_CSS, as_html, proposals, status_sections
from vastbus_cli.report.text import as_csv, as_text
from vastbus_cli.report.words import LABELS, SEVERITY, TRAINING, summary_line

__all__ = [
    "LABELS",
    "REPORT_CSS",
    "SEVERITY",
    "SUSPECT_RULES",
    "TRAINING",
    "Cell",
    "DistrictRow",
    "Report",
    "Status",
    "Training",
    "as_csv",
    "as_html",
    "as_text",
    "district_report",
    "proposals",
    "status_sections",
    "summary_line",
]
