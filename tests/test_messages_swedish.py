"""What the commands report, in Swedish by default and in English with ``--lang en`` (issue 30).

The summaries of ``check``, ``build`` and ``scan``, the verdicts of ``scan``, the errors of
``report``, ``held`` and ``new``, and what scan and build workers say. Contracts never change
with the language: JSON, SARIF and JUnit field names and their enumerated values.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import Result

from tests.conftest import ENV, MODULE, REPO, ref, replace_in, write
from tests.test_build_pdf import FAKE_SOFFICE, ONE_PACK
from tests.test_scan import old_deck
from vastbus_cli import api, i18n
from vastbus_cli.buildpool import WorkerSetup, _start_worker
from vastbus_cli.cli_output import build_summary, shipped_notice
from vastbus_cli.render.pdf import PdfResult

MOD = "curriculum/modules/samtycke.yaml"
swedish = pytest.mark.usefixtures("swedish")


def _two_warnings(mini: Path) -> None:
    """Two modules the course does not list: a warning each, in two files, no errors."""
    for name in ("extra", "tillagd"):
        write(
            mini / f"curriculum/modules/{name}.yaml",
            MODULE.format(refs=ref("samtycke")).replace("id: samtycke", f"id: {name}", 1),
        )


# --- check: the summary ------------------------------------------------------------------------


@swedish
def test_a_clean_check_says_in_swedish_how_many_files_it_checked(mini: Path, run: Callable[..., Result]) -> None:
    result = run("check", "--workspace", mini)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.endswith("filer kontrollerade mot bou-halsa-2023: inga fel, inga anmärkningar"), last
    assert int(last.split()[0]) > 1
    assert "error(s)" not in result.stdout and "0 fel" not in result.stdout


@swedish
def test_check_findings_and_summary_in_swedish_with_plural_forms(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    result = run("check", "--workspace", mini)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("curriculum/modules/samtycke.yaml:1:1: fel schema/missing ")
    assert lines[-1].endswith("filer kontrollerade mot bou-halsa-2023: 2 fel i 1 fil"), lines[-1]


@swedish
def test_check_counts_warnings_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    _two_warnings(mini)
    result = run("check", "--workspace", mini)
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.endswith(" filer kontrollerade mot bou-halsa-2023: inga fel, 2 varningar i 2 filer"), summary
    assert " varning " in result.stdout  # the severity word of each finding line


@swedish
def test_lang_en_gives_the_english_summary(mini: Path, run: Callable[..., Result]) -> None:
    result = run("check", "--workspace", mini, "--lang", "en")
    assert result.stdout.strip().endswith("files checked against bou-halsa-2023: no errors, nothing to remark")


@swedish
def test_json_and_junit_keep_their_field_names_and_values_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    document = json.loads(run("check", "--workspace", mini, "--format", "json").stdout)
    assert set(document) == {"edition", "findings", "summary", "tool"}
    assert set(document["summary"]) == {"error", "warning", "info"}
    assert {f["severity"] for f in document["findings"]} == {"error"}
    assert {"file", "line", "column", "severity", "rule", "message"} <= set(document["findings"][0])
    junit = ET.fromstring(run("check", "--workspace", mini, "--format", "junit").stdout)
    failure = junit.find(".//failure")
    assert failure is not None and failure.get("type") == "error"


@swedish
def test_sarif_keeps_its_contract_and_gives_rule_help_in_the_run_s_language(
    mini: Path, run: Callable[..., Result]
) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    sv = json.loads(run("check", "--workspace", mini, "--format", "sarif").stdout)
    en = json.loads(run("check", "--workspace", mini, "--format", "sarif", "--lang", "en").stdout)
    for document in (sv, en):
        result = document["runs"][0]["results"][0]
        assert result["level"] == "error" and result["ruleId"].startswith("schema/")
        rule = document["runs"][0]["tool"]["driver"]["rules"][0]
        assert set(rule) == {
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
            "properties",
        }
    assert "Så rättar du:" in sv["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"]
    assert "How to fix it:" in en["runs"][0]["tool"]["driver"]["rules"][0]["help"]["text"]


@swedish
def test_github_format_keeps_its_command_syntax(mini: Path, run: Callable[..., Result]) -> None:
    replace_in(mini / MOD, "objectives:", "objektives:")
    lines = run("check", "--workspace", mini, "--format", "github").stdout.splitlines()
    assert lines[0].startswith("::error file=curriculum/modules/samtycke.yaml,")
    assert lines[-1].startswith("vastbus: ") and "2 fel i 1 fil" in lines[-1]


# --- scan -------------------------------------------------------------------------------------


@swedish
def test_scan_speaks_swedish_by_default(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    old_deck(tmp_path / "gammal.pptx")
    result = run("scan", "--workspace", mini, tmp_path / "gammal.pptx")
    assert result.exit_code == 1
    assert result.stdout.startswith("inaktuell ")
    assert "talaranteckningar till bild 2: term/vastbusmote: Västbusmöte" in result.stdout
    assert "säg i stället: " in result.stdout
    assert result.stdout.rstrip().endswith("1 fil jämförd med bou-halsa-2023: 1 inaktuell")
    for english in ("outdated", "notes of slide", "say instead", "compared with"):
        assert english not in result.stdout


@swedish
def test_scan_lang_en_speaks_english_and_json_keeps_its_values(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    old_deck(tmp_path / "gammal.pptx")
    english = run("scan", "--workspace", mini, tmp_path / "gammal.pptx", "--lang", "en")
    assert english.stdout.startswith("outdated ")
    assert "notes of slide 2: term/vastbusmote" in english.stdout
    assert english.stdout.rstrip().endswith("1 file compared with bou-halsa-2023: 1 outdated")
    document = json.loads(run("scan", "--workspace", mini, "--format", "json", tmp_path / "gammal.pptx").stdout)
    assert set(document) == {"edition", "files"}
    assert document["files"][0]["status"] == "outdated"
    assert any(e["location"] == "notes of slide 2" for e in document["files"][0]["evidence"])


@swedish
def test_scan_counts_each_verdict_with_its_plural(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    folder = tmp_path / "delad"
    folder.mkdir()
    old_deck(folder / "a.pptx")
    old_deck(folder / "b.pptx")
    (folder / "trasig.pptx").write_bytes(b"inte en zip")
    result = run("scan", "--workspace", mini, folder)
    assert result.stdout.rstrip().endswith("3 filer jämförda med bou-halsa-2023: 2 inaktuella, 1 oläslig")
    assert "inte en Office-fil: en pptx-fil är ett zip-arkiv" in result.stdout


def _eight_broken(folder: Path) -> Path:
    """Enough files for scan to start workers (it does from eight), each with a reason made by a worker."""
    folder.mkdir()
    for number in range(9):
        (folder / f"trasig-{number}.pptx").write_bytes(b"inte en zip")
    return folder


@swedish
def test_scan_workers_speak_swedish(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("scan", "--workspace", mini, "--jobs", "2", _eight_broken(tmp_path / "delad"))
    assert result.stdout.count("oläslig ") == 9
    assert result.stdout.count("inte en Office-fil") == 9
    assert "not an Office file" not in result.stdout


SPAWNED = """\
import multiprocessing, sys
from vastbus_cli.cli import main
if __name__ == "__main__":
    multiprocessing.set_start_method("spawn", force=True)
    sys.argv = ["vastbus", *sys.argv[1:]]
    main()
"""


@pytest.mark.slow
def test_spawned_scan_workers_speak_the_chosen_language(mini: Path, tmp_path: Path) -> None:
    """A spawned worker starts afresh (Swedish by default): the language is passed to it, not inherited."""
    script = tmp_path / "spawned.py"
    script.write_text(SPAWNED, encoding="utf-8")
    folder = _eight_broken(tmp_path / "delad")
    env = ENV | {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, str(script), "--lang", "en", "scan", "--workspace", str(mini), "--jobs", "2", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("not an Office file") == 9, done.stdout
    assert "inte en Office-fil" not in done.stdout


def test_a_build_worker_takes_the_language_of_the_run(mini: Path) -> None:
    with i18n.speaking("sv"):
        setup = WorkerSetup(str(mini), None, dt.date(2026, 1, 1))
    assert setup.lang == "sv" and setup.without_sources().lang == "sv"
    with i18n.speaking("en"):
        _start_worker(setup)  # what a (forked or spawned) worker runs first
        assert i18n.language() == "sv"
        _start_worker(WorkerSetup(str(mini), None, setup.day, lang="en"))
        assert i18n.language() == "en"


def test_outside_a_workspace_scan_names_the_shipped_editions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = old_deck(tmp_path / "gammal.pptx")
    scanned = api.scan(None, [deck])
    assert scanned.shipped and scanned.files[0].status == "outdated"
    assert scanned.editions[-1] == scanned.edition == "bou-halsa-2023"
    with i18n.speaking("sv"):
        shipped_notice(scanned)
    said = " ".join(capsys.readouterr().err.split())
    assert "Ingen arbetsyta här: jämförde med riktlinjernas utgåvor som följer med vastbus" in said
    assert "vastbus-2005, vastbus-2012, bou-halsa-2021, bou-halsa-2023 (gällande: bou-halsa-2023)" in said
    inside = api.scan(api.open_workspace(REPO), [deck])
    assert not inside.shipped
    shipped_notice(inside)
    assert capsys.readouterr().err == ""


# --- build: one statement of what was written and left alone ------------------------------------


def _summary(written: int, skipped: int, pdf: PdfResult | None) -> str:
    result = SimpleNamespace(
        written=["x"] * written, skipped=["y"] * skipped, pdf=pdf, manifest=Path("paket/manifest.json")
    )
    return build_summary(result)


@swedish
def test_build_summary_counts_files_and_pdfs_in_one_statement() -> None:
    only_pdfs = _summary(0, 3, PdfResult(written=["a.pdf", "b.pdf", "c.pdf"]))
    assert only_pdfs == "Skrev 3 PDF:er; oförändrat: 3 filer. Manifest: paket/manifest.json"
    both = _summary(1, 2, PdfResult(written=["a.pdf"], skipped=["b.pdf"]))
    assert both == "Skrev 1 fil och 1 PDF; oförändrat: 2 filer och 1 PDF. Manifest: paket/manifest.json"
    nothing = _summary(0, 3, PdfResult(skipped=["a.pdf", "b.pdf", "c.pdf"]))
    assert nothing.startswith("Inget har ändrats sedan förra bygget; oförändrat: 3 filer och 3 PDF:er.")
    failed = _summary(3, 0, PdfResult(failed=[("x.pptx", "fel")]))
    assert failed == "Skrev 3 filer. 1 PDF kunde inte göras. Manifest: paket/manifest.json"


@pytest.fixture
def fake_soffice(tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!{sys.executable}\n{FAKE_SOFFICE}", encoding="utf-8")
    script.chmod(0o755)
    return {"VASTBUS_SOFFICE": str(script), "FAKE_LOG": str(tmp_path / "soffice.log")}


@swedish
def test_build_then_build_pdf_says_the_pdfs_were_written_and_nothing_else_changed(
    mini: Path, run: Callable[..., Result], tmp_path: Path, fake_soffice: dict[str, str]
) -> None:
    out = tmp_path / "paket"
    first = run("build", "--workspace", mini, "--out", out, *ONE_PACK)
    assert "Skrev 3 filer. Manifest:" in first.stderr
    pdf = run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice)
    assert pdf.exit_code == 0, pdf.output
    assert "Skrev 3 PDF:er; oförändrat: 3 filer." in pdf.stderr
    assert "Inget har ändrats" not in pdf.stderr, "one statement, never 'wrote PDFs' and 'nothing changed'"
    again = run("build", "--workspace", mini, "--out", out, *ONE_PACK, "--pdf", env_extra=fake_soffice)
    assert "Inget har ändrats sedan förra bygget; oförändrat: 3 filer och 3 PDF:er." in again.stderr
    assert "Skrev" not in again.stderr


# --- report --out x.txt ---------------------------------------------------------------------------


@swedish
@pytest.mark.parametrize("name", ["x.txt", "rapport.html", "status.CSV"])
def test_report_out_with_a_file_name_says_out_is_the_packs_folder(
    mini: Path, run: Callable[..., Result], tmp_path: Path, name: str
) -> None:
    result = run("report", "--workspace", mini, "--out", tmp_path / name)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "ska vara mappen där paketen byggs, inte en fil att skriva" in message
    assert "--output FIL eller --html FIL" in message
    assert "bygg först" not in message
    assert not (tmp_path / name).exists()


def test_report_out_with_a_file_name_in_english(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("report", "--workspace", mini, "--out", tmp_path / "x.txt")
    assert result.exit_code == 2
    assert "--out" in result.stderr and "names the folder the packs are built in, not a file to write" in result.stderr
    assert "use --output FILE or --html FILE" in result.stderr


@swedish
def test_report_out_with_a_folder_name_still_says_build_first(
    mini: Path, run: Callable[..., Result], tmp_path: Path
) -> None:
    result = run("report", "--workspace", mini, "--out", tmp_path / "paket-som-saknas")
    assert result.exit_code == 2
    assert "finns inte: bygg först med 'vastbus build'" in result.stderr
    assert "--output" not in result.stderr


def test_an_existing_file_given_as_the_packs_folder_is_named_as_such(tmp_path: Path) -> None:
    from vastbus_cli.buildstate import require_built
    from vastbus_cli.errors import UsageError

    existing = tmp_path / "rapport"
    existing.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="names the folder the packs are built in"):
        require_built(existing, "--packs")


# --- held and new ---------------------------------------------------------------------------------


@swedish
def test_held_mistakes_are_swedish(mini: Path, run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("held", tmp_path / "saknas", "--date", "2099-01-01", "--participants", "0", "--workspace", mini)
    assert result.exit_code == 2
    assert "ligger i framtiden" in result.stderr
    assert "är inte ett antal deltagare vid ett tillfälle; ange 1 till" in result.stderr
    assert "finns inte; ange paketmappen" in result.stderr


@swedish
def test_unknown_district_is_said_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    result = run("build", "--workspace", mini, "--district", "angerd")
    assert result.exit_code == 2
    assert "okänt område 'angerd'" in result.stderr and "kända: " in result.stderr
