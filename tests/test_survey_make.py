"""``vastbus survey make``: the printable form, the Forms import document and the answer sheet."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import Result

from tests.conftest import replace_in, write
from vastbus_cli import api
from vastbus_cli.models import Survey
from vastbus_cli.models.survey import PROFILE_QUESTIONS
from vastbus_cli.officetext import Parts, custom_properties, docx_text

Run = Callable[..., Result]
FILES = ["enkät.docx", "forms-import.docx", "svarsblad.csv", "svarsblad.xlsx"]


def survey_of(root: Path) -> Survey:
    """The workspace's survey, as loaded."""
    workspace = api.open_workspace(root)
    assert workspace.survey is not None and workspace.survey.model is not None
    return workspace.survey.model


def lines_of(path: Path) -> list[str]:
    """A Word file's paragraphs and table rows, as scan reads them."""
    with zipfile.ZipFile(path) as archive:
        # A tick box and its label are held together by a no-break space.
        return [line.replace("\xa0", " ") for piece in docx_text(Parts(archive)) for line in piece.text.splitlines()]


def stamp_of(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return custom_properties(Parts(archive))


def test_make_writes_the_four_files_for_the_shipped_course(shipped: Path, run: Run) -> None:
    survey_file = shipped / "curriculum" / "survey.yaml"
    before = survey_file.read_bytes()
    result = run("survey", "make", "-w", shipped)
    assert result.exit_code == 0, result.output
    folder = shipped / "paket" / "enkät"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert survey_file.read_bytes() == before  # the shipped survey is never replaced
    for name in FILES:
        assert name in result.output
    assert "kunskap-2026 (12 items, made from bou-halsa-2023)" in result.output


def test_the_form_asks_district_profession_and_phase_but_no_name(shipped: Path, run: Run) -> None:
    assert run("survey", "make", "-w", shipped).exit_code == 0
    form = shipped / "paket" / "enkät" / "enkät.docx"
    text = "\n".join(lines_of(form))
    survey = survey_of(shipped)
    assert text.startswith(survey.title)
    for question in PROFILE_QUESTIONS.values():
        assert question in text
    assert "☐ Före utbildningen" in text and "☐ Efter utbildningen" in text
    assert "☐ Angered" in text and "☐ Örgryte-Härlanda" in text  # districts.yaml's names
    assert "☐ Förskola" in text and "☐ Barnavårdscentral (BVC)" in text  # course.yaml's audiences
    assert "anonymt" in text and "skriv inte ditt namn" in text
    assert "Namn:" not in text and "E-post" not in text
    for item in survey.items:
        assert item.text in text
        for option in item.options:
            assert f"☐ {option}" in text
    statements = [line for line in lines_of(form) if line.count("☐") == 3 and "|" in line]
    assert len(statements) == sum(1 for item in survey.items if item.claim)
    assert "Stämmer | Stämmer inte | Vet inte" in text
    assert f"{len(survey.items)}." in text


def test_the_form_is_stamped_like_a_pack(shipped: Path, run: Run) -> None:
    assert run("survey", "make", "-w", shipped).exit_code == 0
    stamp = stamp_of(shipped / "paket" / "enkät" / "enkät.docx")
    assert stamp["vastbus.edition"] == "bou-halsa-2023"
    assert stamp["vastbus.course_version"] == survey_of(shipped).course_version
    assert stamp["vastbus.survey"] == "kunskap-2026"
    assert len(stamp["vastbus.content_sha256"]) == 64


def test_forms_import_lists_numbered_questions_with_their_options(shipped: Path, run: Run) -> None:
    assert run("survey", "make", "-w", shipped).exit_code == 0
    lines = lines_of(shipped / "paket" / "enkät" / "forms-import.docx")
    survey = survey_of(shipped)
    assert lines[0] == survey.title
    questions = [line for line in lines if line[:1].isdigit()]
    expected = [*PROFILE_QUESTIONS.values(), *(item.text for item in survey.items)]
    assert questions == [f"{n}. {text}" for n, text in enumerate(expected, start=1)]
    first = lines.index(f"1. {PROFILE_QUESTIONS['district']}")
    assert lines[first + 1 : first + 3] == ["Angered", "Askim-Frölunda-Högsbo"]
    statement = lines.index(f"3. {survey.items[0].text}")
    assert lines[statement + 1 : statement + 4] == ["Stämmer", "Stämmer inte", "Vet inte"]
    question = next(item for item in survey.items if item.options)
    at = lines.index(f"{3 + survey.items.index(question)}. {question.text}")
    assert lines[at + 1 : at + 2 + len(question.options)] == [*question.options, "Vet inte"]


def test_the_answer_sheet_has_a_column_per_question(shipped: Path, run: Run) -> None:
    assert run("survey", "make", "-w", shipped).exit_code == 0
    folder = shipped / "paket" / "enkät"
    survey = survey_of(shipped)
    headings = [PROFILE_QUESTIONS["district"], PROFILE_QUESTIONS["audience"], "Datum", *(i.text for i in survey.items)]
    raw = (folder / "svarsblad.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").rstrip("\r\n").split(";") == headings
    book = load_workbook(folder / "svarsblad.xlsx")
    sheet = book["Svar"]
    assert [cell.value for cell in sheet[1]] == headings
    lists = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert lists["A2:A501"] == "=Svarsalternativ!$A$2:$A$11"
    statement = book["Svarsalternativ"]
    assert [statement.cell(row=r, column=4).value for r in (2, 3, 4)] == ["Stämmer", "Stämmer inte", "Vet inte"]


def test_scan_calls_the_form_current_and_an_older_surveys_form_outdated(shipped: Path, run: Run) -> None:
    assert run("survey", "make", "-w", shipped).exit_code == 0
    folder = shipped / "paket" / "enkät"
    result = run("scan", "-w", shipped, folder, "--format", "json")
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    for name in ("enkät.docx", "forms-import.docx"):
        assert files[name]["status"] == "current", files[name]
        assert {"rule": "stamp/survey", "location": "custom properties", "text": "vastbus.survey = kunskap-2026"} in [
            {k: e[k] for k in ("rule", "location", "text")} for e in files[name]["evidence"]
        ]
    # Made from an older edition: the stamp says so, and scan calls the form outdated.
    replace_in(shipped / "curriculum" / "survey.yaml", "built_on: bou-halsa-2023", "built_on: bou-halsa-2021")
    remade = run("survey", "make", "-w", shipped)
    assert remade.exit_code == 0
    assert "made from bou-halsa-2021 but the current edition is bou-halsa-2023" in remade.output
    result = run("scan", "-w", shipped, folder / "enkät.docx", "--format", "json")
    (form,) = json.loads(result.stdout)["files"]
    assert form["status"] == "outdated"


def test_a_workspace_without_a_survey_gets_one_made_from_the_course(mini: Path, run: Run) -> None:
    survey_file = mini / "curriculum" / "survey.yaml"
    assert not survey_file.exists()
    result = run("survey", "make", "-w", mini, "--out", mini / "ut")
    assert result.exit_code == 0, result.output
    assert "made" in result.output and "survey.yaml" in result.output
    survey = survey_of(mini)
    assert survey.id == f"kunskap-{dt.date.today().year}"
    assert survey.built_on == "bou-halsa-2023"
    assert sorted(p.name for p in (mini / "ut").iterdir()) == sorted(FILES)
    report = json.loads(run("check", "-w", mini, "--format", "json").stdout)
    assert [f for f in report["findings"] if "survey" in f["file"] or f["rule"].startswith("survey/")] == []
    # A second run uses the survey as it now is: edited by hand, it is kept.
    replace_in(survey_file, "Vad vet du om samverkan", "Vad kan du om samverkan")
    edited = survey_file.read_bytes()
    again = run("survey", "make", "-w", mini, "--out", mini / "ut")
    assert again.exit_code == 0
    assert "from the course" not in again.output
    assert survey_file.read_bytes() == edited
    assert "Vad kan du om samverkan" in "\n".join(lines_of(mini / "ut" / "enkät.docx"))


def test_only_its_own_files_are_replaced(shipped: Path, run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    write(out / "annat.docx", "mitt eget")
    write(out / "enkät.docx", "gammal")
    assert run("survey", "make", "-w", shipped, "--out", out).exit_code == 0
    assert (out / "annat.docx").read_text(encoding="utf-8") == "mitt eget"
    assert (out / "enkät.docx").read_bytes().startswith(b"PK")
    assert sorted(p.name for p in out.iterdir()) == sorted([*FILES, "annat.docx"])  # no temporary files left


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("out-is-a-file", "is a file"),
        ("target-is-a-folder", "it is a folder"),
        ("broken-survey", "curriculum/survey.yaml has errors"),
        ("broken-course", "curriculum/course.yaml is missing or has errors"),
    ],
)
def test_mistakes_are_one_line_and_no_traceback(
    shipped: Path, run: Run, tmp_path: Path, case: str, expected: str
) -> None:
    out = tmp_path / "ut"
    if case == "out-is-a-file":
        write(out, "en fil")
    elif case == "target-is-a-folder":
        (out / "svarsblad.csv").mkdir(parents=True)
    elif case == "broken-survey":
        replace_in(shipped / "curriculum" / "survey.yaml", "minutes: 5", "minutes: fem")
    else:
        replace_in(shipped / "curriculum" / "course.yaml", "version:", "versjon:")
    result = run("survey", "make", "-w", shipped, "--out", out)
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (out / "enkät.docx").exists()  # nothing is written before every file can be


@pytest.mark.usefixtures("swedish")
def test_make_speaks_swedish(shipped: Path, run: Run) -> None:
    result = run("survey", "make", "-w", shipped)
    assert result.exit_code == 0
    assert "enkäten kunskap-2026 (12 frågor, bygger på bou-halsa-2023): skrev till" in result.output
    assert "formuläret att skriva ut (en A4-sida)" in result.output
    assert "Skriv enkäten som ett formulär" in run("survey", "make", "--help").output


def test_the_api_returns_what_it_wrote(shipped: Path, tmp_path: Path) -> None:
    made = api.survey_make(api.open_workspace(shipped), tmp_path / "ut")
    assert [p.name for p in made.written] == FILES
    assert not made.created and made.findings == []
    assert "id: kunskap-2026" in made.survey_file.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_the_form_prints_on_one_or_two_a4_pages_at_10_pt_or_more(shipped: Path, run: Run, tmp_path: Path) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTPage

    out = tmp_path / "ut"
    assert run("survey", "make", "-w", shipped, "--out", out).exit_code == 0
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            out / "enkät.docx",
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = [page for page in extract_pages(out / "enkät.pdf") if isinstance(page, LTPage)]
    assert 1 <= len(pages) <= 2
    assert all(abs(page.width - 595.3) < 1 and abs(page.height - 841.9) < 1 for page in pages)  # A4

    def characters(item: Any) -> Any:
        if isinstance(item, LTChar):
            yield item
        for child in getattr(item, "_objs", []):
            yield from characters(child)

    sizes = [round(char.size, 1) for page in pages for char in characters(page) if char.get_text().strip()]
    assert sizes and min(sizes) >= 9.9
    text = io.StringIO()
    for page in pages:
        for char in characters(page):
            text.write(char.get_text())
    assert "Vilket område arbetar du i?" in text.getvalue()


def test_both_word_files_are_valid_office_open_xml(shipped: Path, run: Run, tmp_path: Path) -> None:
    from openxml_audit import FileFormat, OpenXmlValidator

    out = tmp_path / "ut"
    assert run("survey", "make", "-w", shipped, "--out", out).exit_code == 0
    validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0, strict=True)
    for name in ("enkät.docx", "forms-import.docx"):
        result = validator.validate(out / name)
        assert result.is_valid, [str(error) for error in result.errors]
