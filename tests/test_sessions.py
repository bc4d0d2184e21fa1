"""`vastbus held` and the training records: who has been trained, where, and on which edition."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.conftest import write
from vastbus_cli import api
from vastbus_cli.api import open_workspace
from vastbus_cli.build import build
from vastbus_cli.report import as_csv, as_html, district_report

TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=3)).isoformat()
SESSIONS = f"curriculum/sessions/{TODAY.year}.yaml"


@pytest.fixture
def packs(mini: Path, tmp_path: Path) -> Path:
    out = tmp_path / "paket"
    build(open_workspace(mini), out, districts=["örgryte-härlanda", "central"], audiences=["bvc"], jobs=1)
    return out


def test_held_records_the_packs_stamp_and_keeps_the_comments(
    mini: Path, packs: Path, run: Callable[..., Result], check_json: Callable[..., dict[str, Any]]
) -> None:
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    pack = packs / "örgryte-härlanda" / "bvc"
    first = run("held", pack, "--date", day, "--participants", "14", "--workspace", mini)
    assert first.exit_code == 0, first.output
    path = mini / f"curriculum/sessions/{day[:4]}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/sessions.schema.json\n")  # mini has schemas
    assert "inga namn" in text
    assert (
        f"  - date: {day}\n    district: örgryte-härlanda\n    audience: bvc\n    participants: 14\n"
        '    edition: bou-halsa-2023\n    course_version: "1.0.0"\n'
    ) in text
    path.write_text(text.replace("sessions:\n", "# Förs av utbildningssamordnaren.\nsessions:\n"), encoding="utf-8")
    second = run(
        "held",
        pack / "handout.docx",
        "--date",
        day,
        "--participants",
        "3",
        "--trainer",
        "Åsa Öberg",
        "--workspace",
        mini,
    )
    assert second.exit_code == 0, second.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text.replace("sessions:\n", "# Förs av utbildningssamordnaren.\nsessions:\n"))
    assert after.endswith('    trainer: "Åsa Öberg"\n')
    assert session_findings(check_json(mini)) == []


def test_held_names_every_mistake_in_one_line_and_writes_nothing(
    mini: Path, packs: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    result = run("held", packs / "finns-inte", "--date", tomorrow, "--participants", "-2", "--workspace", mini)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output
    assert "in the future" in message and "not a number of people" in message and "does not exist" in message
    assert not (mini / "curriculum/sessions").exists()
    stranger = write(tmp_path / "egen.docx", "inte en docx")
    unstamped = run("held", stranger, "--date", PAST, "--participants", "5", "--workspace", mini)
    assert unstamped.exit_code == 2 and "is not a pack file" in unstamped.stderr
    bad_day = run("held", packs / "central/bvc", "--date", "2026-02-30", "--participants", "5", "--workspace", mini)
    assert bad_day.exit_code == 2 and "--date" in bad_day.stderr


def test_a_file_held_cannot_extend_safely_is_left_alone(mini: Path, packs: Path, run: Callable[..., Result]) -> None:
    path = write(mini / f"curriculum/sessions/{PAST[:4]}.yaml", "sessions: [{date: 2026-01-01}]\nnote: x\n")
    before = path.read_bytes()
    result = run("held", packs / "central/bvc", "--date", PAST, "--participants", "5", "--workspace", mini)
    assert result.exit_code == 2 and "could not be extended safely" in result.stderr
    assert path.read_bytes() == before


def session_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [finding for finding in report["findings"] if finding["rule"].startswith("session/")]


RECORD = """\
sessions:
  - date: {date}
    district: {district}
    audience: {audience}
    participants: 12
    edition: {edition}
    course_version: "1.0.0"
"""


@pytest.mark.parametrize(
    ("rule", "field", "value"),
    [
        ("session/future-date", "date", (TODAY + dt.timedelta(days=2)).isoformat()),
        ("session/unknown-district", "district", "angerd"),
        ("session/unknown-audience", "audience", "bvcc"),
        ("session/unknown-edition", "edition", "bou-halsa-2099"),
    ],
)
def test_every_session_rule_passes_a_good_record_and_fails_a_bad_one(
    mini: Path, check_json: Callable[..., dict[str, Any]], rule: str, field: str, value: str
) -> None:
    good = {"date": PAST, "district": "angered", "audience": "bvc", "edition": "bou-halsa-2021"}
    _only_record(mini, good)
    assert session_findings(check_json(mini)) == []
    _only_record(mini, good | {field: value})
    (finding,) = session_findings(check_json(mini))
    assert finding["rule"] == rule
    assert finding["line"] == 2 + ["date", "district", "audience", "participants", "edition"].index(field)


def _only_record(mini: Path, record: dict[str, str]) -> None:
    """The workspace's one training record, in the file of its year."""
    for old in (mini / "curriculum/sessions").glob("*.yaml"):
        old.unlink()
    write(mini / f"curriculum/sessions/{record['date'][:4]}.yaml", RECORD.format(**record))


def test_a_record_in_another_years_file_is_a_warning(mini: Path, check_json: Callable[..., dict[str, Any]]) -> None:
    record = {"date": "2025-03-04", "district": "angered", "audience": "bvc", "edition": "bou-halsa-2023"}
    write(mini / "curriculum/sessions/2024.yaml", RECORD.format(**record))
    (finding,) = session_findings(check_json(mini))
    assert finding["rule"] == "session/wrong-year" and finding["severity"] == "warning"


@pytest.mark.slow
def test_the_report_shows_a_district_trained_on_an_outdated_edition(
    mini: Path, packs: Path, run: Callable[..., Result]
) -> None:
    old = {"date": PAST, "district": "angered", "audience": "bvc", "edition": "bou-halsa-2021"}
    write(mini / f"curriculum/sessions/{PAST[:4]}.yaml", RECORD.format(**old))
    held = run("held", packs / "örgryte-härlanda/bvc", "--date", PAST, "--participants", "8", "--workspace", mini)
    assert held.exit_code == 0, held.output
    report = district_report(api.open_workspace(mini), packs)
    assert report.training("angered", "bvc") == "outdated"
    assert report.training("örgryte-härlanda", "bvc") == "current"
    assert report.training("örgryte-härlanda", "forskola") == "never"
    text = " ".join(run("report", "--workspace", mini, "--out", packs).stdout.split())
    assert "1 yrkesgrupp utbildad på äldre utgåva; 2 yrkesgrupper har aldrig utbildats." in text
    page = as_html(report)
    assert "Utbildade på äldre utgåva" in page and f"{PAST} · bou-halsa-2021 · 12 deltagare" in page
    rows = list(csv.DictReader(io.StringIO(as_csv(report).lstrip("\ufeff")), delimiter=";"))
    angered = next(r for r in rows if r["område_id"] == "angered" and r["yrkesgrupp_id"] == "bvc")
    assert angered["utbildning"] == "utbildade på äldre utgåva" and angered["deltagare"] == "12"
    exported = run("report", "--workspace", mini, "--out", packs, "--format", "csv", "--output", "-")
    assert exported.stdout.startswith("\ufeffområde_id;område;")


def test_without_records_the_report_says_none_are_registered(mini: Path, packs: Path) -> None:
    report = district_report(api.open_workspace(mini), packs)
    assert not report.has_records
    assert "Inga utbildningstillfällen är registrerade ännu" in as_html(report)
    assert "aldrig" not in as_html(report)


def test_the_site_says_when_a_group_was_last_trained(mini: Path, packs: Path, tmp_path: Path) -> None:
    from vastbus_cli.api import open_workspace
    from vastbus_cli.site.publish import publish_site

    old = {"date": PAST, "district": "angered", "audience": "bvc", "edition": "bou-halsa-2021"}
    write(mini / f"curriculum/sessions/{PAST[:4]}.yaml", RECORD.format(**old))
    site = tmp_path / "webbplats"
    publish_site(open_workspace(mini), site, packs=packs)
    page = (site / "angered" / "bvc.html").read_text(encoding="utf-8")
    assert f"Senast utbildade {PAST} med material på bou-halsa-2021 (en äldre utgåva); 12 deltagare" in page
    assert "Ingen utbildning är registrerad" in (site / "angered" / "forskola.html").read_text(encoding="utf-8")
    assert "Utbildade yrkesgrupper" in (site / "status.html").read_text(encoding="utf-8")


def test_without_schemas_in_the_workspace_the_records_name_none(
    mini: Path, packs: Path, run: Callable[..., Result], check_json: Callable[..., dict[str, Any]]
) -> None:
    import shutil

    shutil.rmtree(mini / "curriculum/schemas")
    assert run("held", packs / "central/bvc", "--date", PAST, "--participants", "4", "--workspace", mini).exit_code == 0
    text = (mini / f"curriculum/sessions/{PAST[:4]}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Genomförda utbildningar")
    findings = check_json(mini)["findings"]
    assert not [f for f in findings if f["rule"] == "schema/modeline" and f["file"].startswith("curriculum/sessions/")]
