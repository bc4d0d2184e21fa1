"""``vastbus survey import``: exports of Microsoft Forms, Google Forms and Netigate become counts, never people.

The tuning exports in tests/data/survey_tuning/ are made by its make_fixtures.py from the shipped
survey; the other exports are written here, into tmp_path, from the same survey.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from ruamel.yaml import YAML
from typer.testing import Result

from tests.conftest import REPO
from vastbus_cli import api
from vastbus_cli.errors import InputOutputError, UsageError
from vastbus_cli.models import SurveyResults
from vastbus_cli.survey.importer import key

TUNING = REPO / "tests" / "data" / "survey_tuning"
FORMS = TUNING / "Kunskapsenkät före (1-7).xlsx"
GOOGLE = TUNING / "Formulärsvar efter – Google.csv"
NETIGATE = TUNING / "netigate_före_export.csv"
SURVEY = YAML(typ="safe").load((REPO / "curriculum" / "survey.yaml").read_text(encoding="utf-8"))
ITEMS = SURVEY["items"]
DISTRICT = "Vilket område arbetar du i?"
AUDIENCE = "Vilken yrkesgrupp tillhör du?"
TODAY = dt.date(2026, 12, 5)

Run = Callable[..., Result]


def people(export: Path) -> list[tuple[str, str]]:
    """Every name and e-mail address in a Forms export, read from its Namn and E-post columns."""
    book = openpyxl.load_workbook(export, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    name, address = rows[0].index("Namn"), rows[0].index("E-post")
    return [(str(r[name]), str(r[address])) for r in rows[1:]]


def stored(root: Path) -> list[Path]:
    """The results files in the workspace."""
    return sorted((root / "curriculum" / "surveys").rglob("*.yaml"))


def results(path: Path) -> SurveyResults:
    return SurveyResults.model_validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def right_answers() -> list[str]:
    """Each item's right answer as the form prints it."""
    labels = {"stammer": "Stämmer", "stammer-inte": "Stämmer inte"}
    return [labels.get(i["right"]) or i["options"][int(i["right"]) - 1] for i in ITEMS]


def write_csv(
    path: Path,
    rows: list[list[str]],
    headings: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """A CSV export: by default a timestamp, the profile questions and every item by its text."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings or ["Tidstämpel", DISTRICT, AUDIENCE, *(i["text"] for i in ITEMS)])
    writer.writerows(rows)
    path.write_bytes(stream.getvalue().encode(encoding))
    return path


def row(district: str = "Angered", audience: str = "Förskola", stamp: str = "2026-11-20 10:15:00") -> list[str]:
    return [stamp, district, audience, *right_answers()]


# --- the done-when: a Forms export with names and e-mail addresses -------------------------


def test_a_forms_export_with_names_and_addresses_stores_counts_only(shipped: Path, run: Run) -> None:
    result = run("survey", "import", FORMS, "--phase", "före", "-w", shipped)
    assert result.exit_code == 0, result.output
    [path] = stored(shipped)
    assert path.name == "före-2026-11-20--2026-11-21-kunskapsenkät-före-1-7.yaml"  # å, ä, ö kept
    text = path.read_text(encoding="utf-8")
    found = people(FORMS)
    assert len(found) == 7 and all("@" in address for _name, address in found)
    for name, address in found:
        assert name not in text and address not in text
        assert name.split()[0] not in text and address.split("@")[0] not in text
        assert name not in result.output and address not in result.output
    assert not re.search(r"\d{1,2}:\d{2}", text), "a time of day was stored"
    assert "Mer om samtycke" not in text and "Mer om samtycke" not in result.output  # the free text
    assert text.startswith("# yaml-language-server: $schema=../../schemas/survey-results.schema.json\n")
    stored_results = results(path)
    assert stored_results.source == FORMS.name
    assert stored_results.dropped == [
        "ID",
        "Starttid",
        "Sluttid",
        "E-post",
        "Namn",
        "Tid för senaste ändring",
        "Övriga kommentarer",
    ]
    groups = {(g.district, g.audience, g.date.isoformat()): g for g in stored_results.groups}
    assert {k: g.respondents for k, g in groups.items()} == {
        ("angered", "forskola", "2026-11-20"): 3,  # by name and by id
        ("örgryte-härlanda", "bvc", "2026-11-20"): 2,
        ("örgryte-härlanda", "vardcentral", "2026-11-21"): 1,  # the end time, after midnight, wins
    }
    bvc = groups["örgryte-härlanda", "bvc", "2026-11-20"]
    assert bvc.answers["sip-bara-vuxna-diagnos"]["blank"] == 1  # the skipped question
    assert all(set(c) == {"1", "2", "3", "vet-inte", "blank"} for i, c in bvc.answers.items() if i.startswith("quiz"))
    assert "ID, Starttid, Sluttid, E-post, Namn, Tid för senaste ändring, Övriga kommentarer" in result.output
    assert "1 row left out" in result.output
    assert "3 groups, 6 respondents, 2 days" in result.output


def test_a_stored_file_passes_check(shipped: Path) -> None:
    workspace = api.open_workspace(shipped)
    api.survey_import(workspace, FORMS, phase="före")
    api.survey_import(api.open_workspace(shipped), GOOGLE, phase="efter")
    checked = api.check(api.open_workspace(shipped))
    survey_findings = [f for f in checked.findings if "curriculum/surveys" in f.file]
    assert not survey_findings
    assert len(api.open_workspace(shipped).survey_results) == 2


def test_a_stored_file_reads_back_through_the_workspace(shipped: Path) -> None:
    api.survey_import(api.open_workspace(shipped), NETIGATE, phase="före", today=TODAY)
    [document] = api.open_workspace(shipped).survey_results
    assert document.model is not None and document.model.imported == TODAY
    assert not document.loaded.findings


# --- each shape of export ------------------------------------------------------------------


def test_google_forms_numbered_headings_quotes_and_blanks(shipped: Path, run: Run) -> None:
    result = run("survey", "import", GOOGLE, "--phase", "efter", "-w", shipped)
    assert result.exit_code == 0, result.output
    [path] = stored(shipped)
    assert path.name == "efter-2026-12-01--2026-12-03-formulärsvar-efter-google.yaml"
    stored_results = results(path)
    assert stored_results.dropped == ["Tidstämpel", "E-postadress", "Kommentar"]
    assert [(g.date.isoformat(), g.respondents) for g in stored_results.groups] == [
        ("2026-12-01", 1),
        ("2026-12-02", 1),
        ("2026-12-03", 1),
    ]
    second = stored_results.groups[1].answers
    assert second["bara-komplexa-fall"]["blank"] == 1 and second["quiz-lagens-krav"]["blank"] == 1
    assert "Tydligt om vem" not in path.read_text(encoding="utf-8")
    assert "1 row left out" in result.output  # no profession


def test_netigate_semicolons_bom_crlf_and_any_case(shipped: Path, run: Run) -> None:
    assert NETIGATE.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in NETIGATE.read_bytes()
    result = run("survey", "import", NETIGATE, "--phase", "före", "-w", shipped)
    assert result.exit_code == 0, result.output
    stored_results = results(stored(shipped)[0])
    assert stored_results.dropped == ["Respondent ID", "Datum", "Name", "Email", "Fritext"]  # no BOM in the first
    assert [(g.district, g.audience) for g in stored_results.groups] == [
        ("lundby", "skola-elevhalsa"),
        ("lundby", "socialtjanst"),  # answered in capitals
        ("majorna-linné", "skola-elevhalsa"),
    ]


def test_windows_1252_and_tabs(shipped: Path, tmp_path: Path) -> None:
    export = write_csv(tmp_path / "svar från pappret.txt", [row("Örgryte-Härlanda")], delimiter="\t", encoding="cp1252")
    done = api.survey_import(api.open_workspace(shipped), export, phase="efter")
    assert [(g.district, g.respondents) for g in done.results.groups] == [("örgryte-härlanda", 1)]


def test_an_answer_sheet_by_item_ids_in_xlsx(shipped: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", DISTRICT, AUDIENCE, *(i["id"] for i in ITEMS)])
    sheet.append([dt.date(2026, 11, 30), "Lundby", "bvc", *right_answers()])
    sheet.append([])
    sheet.append([dt.date(2026, 11, 30), "Lundby", "bvc", *([None] * len(ITEMS))])
    book.save(tmp_path / "svarsblad.xlsx")
    done = api.survey_import(api.open_workspace(shipped), tmp_path / "svarsblad.xlsx", phase="före")
    [group] = done.results.groups
    assert group.respondents == 2 and group.answers["quiz-lagens-krav"] == {
        "1": 0,
        "2": 1,
        "3": 0,
        "vet-inte": 0,
        "blank": 1,
    }


def test_excel_sep_line_and_forms_quiz_score_columns(shipped: Path, tmp_path: Path) -> None:
    headings = ["Tidstämpel", DISTRICT, AUDIENCE, *(i["text"] for i in ITEMS), f"Poäng – {ITEMS[9]['text']}"]
    export = write_csv(tmp_path / "poäng.csv", [[*row(), "1"]], headings, delimiter=";")
    export.write_bytes(b"sep=;\r\n" + export.read_bytes())
    done = api.survey_import(api.open_workspace(shipped), export, phase="före", dry_run=True)
    assert done.results.dropped == ["Tidstämpel", f"Poäng – {ITEMS[9]['text']}"] and done.respondents == 1


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("3. Text här", "text här"),
        ("3) Text här:", "text här"),
        ("Fråga 3: Text här", "text här"),
        ("Q3. Text\u00a0 här\n", "text här"),
        ("  TEXT   HÄR ", "text här"),
        ("2026 års text", "2026 års text"),
    ],
)
def test_headings_are_compared_without_number_whitespace_case_and_colon(heading: str, expected: str) -> None:
    assert key(heading) == expected


def test_the_day_comes_from_date_when_there_is_no_timestamp(shipped: Path, tmp_path: Path, run: Run) -> None:
    headings = [DISTRICT, AUDIENCE, *(i["text"] for i in ITEMS)]
    export = write_csv(tmp_path / "utan tid.csv", [row()[1:]], headings)
    refused = run("survey", "import", export, "--phase", "före", "-w", shipped)
    assert refused.exit_code == 2 and "--date" in refused.output
    assert not stored(shipped)
    result = run("survey", "import", export, "--phase", "före", "--date", "2026-11-28", "-w", shipped)
    assert result.exit_code == 0, result.output
    assert results(stored(shipped)[0]).groups[0].date == dt.date(2026, 11, 28)


def test_slashed_dates_are_read_only_when_the_column_tells_day_from_month(shipped: Path, tmp_path: Path) -> None:
    us = write_csv(tmp_path / "us.csv", [row(stamp="11/20/2026 9:41:12"), row(stamp="11/5/2026 10:00:00")])
    done = api.survey_import(api.open_workspace(shipped), us, phase="före", dry_run=True)
    assert done.days == [dt.date(2026, 11, 5), dt.date(2026, 11, 20)]
    unclear = write_csv(tmp_path / "oklart.csv", [row(stamp="11/05/2026 9:41:12")])
    with pytest.raises(UsageError, match="--date"):
        api.survey_import(api.open_workspace(shipped), unclear, phase="före")


# --- problems: every one named, nothing written --------------------------------------------


def test_an_unknown_question_is_named(shipped: Path, tmp_path: Path, run: Run) -> None:
    headings = ["Tidstämpel", DISTRICT, AUDIENCE, *(i["text"] for i in ITEMS), "Hur länge har du arbetat här?"]
    export = write_csv(tmp_path / "annan.csv", [[*row(), "tre år"]], headings)
    result = run("survey", "import", export, "--phase", "före", "-w", shipped)
    assert result.exit_code == 2
    assert "column P 'Hur länge har du arbetat här?'" in result.output
    assert "tre år" not in result.output
    assert not stored(shipped)


def test_missing_columns_and_bad_answers_are_all_named_at_once(shipped: Path, tmp_path: Path, run: Run) -> None:
    headings = ["Tidstämpel", DISTRICT, *(i["text"] for i in ITEMS[1:])]
    answers = right_answers()[1:]
    answers[2] = "Kanske"
    export = write_csv(
        tmp_path / "fel.csv", [row()[:2] + right_answers()[1:], ["2026-11-20 10:00", "Angered", *answers]], headings
    )
    result = run("survey", "import", export, "--phase", "före", "-w", shipped)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 4 and "3 problems, so nothing was stored" in lines[-1], result.output
    assert any(AUDIENCE in line for line in lines)
    assert any("bara-komplexa-fall" in line and ITEMS[0]["text"] in line for line in lines)
    bad = next(line for line in lines if "Kanske" in line)
    assert "row 3" in bad and "column E" in bad and ITEMS[3]["text"] in bad
    assert not stored(shipped)


def test_an_unknown_district_or_profession_is_an_error(shipped: Path, tmp_path: Path, run: Run) -> None:
    export = write_csv(tmp_path / "okänt.csv", [row("Atlantis"), row(audience="Astronaut")])
    result = run("survey", "import", export, "--phase", "före", "-w", shipped)
    assert result.exit_code == 2
    assert "row 2" in result.output and "'Atlantis'" in result.output
    assert "row 3" in result.output and "'Astronaut'" in result.output
    assert not stored(shipped)


def test_a_free_text_question_must_not_look_like_an_item(shipped: Path, tmp_path: Path) -> None:
    headings = ["Tidstämpel", DISTRICT, AUDIENCE, *(i["text"] for i in ITEMS), "Övriga synpunkter"]
    export = write_csv(tmp_path / "fritext.csv", [[*row(), "Bra kurs, tack!\nMer tid"]], headings)
    done = api.survey_import(api.open_workspace(shipped), export, phase="efter")
    assert done.results.dropped == ["Tidstämpel", "Övriga synpunkter"]
    assert "Bra kurs" not in done.text


def test_the_same_export_is_imported_once(shipped: Path, tmp_path: Path, run: Run) -> None:
    assert run("survey", "import", FORMS, "--phase", "före", "-w", shipped).exit_code == 0
    again = run("survey", "import", FORMS, "--phase", "före", "-w", shipped)
    assert again.exit_code == 2 and "imported before" in again.output
    renamed = tmp_path / "kopia.xlsx"
    shutil.copyfile(FORMS, renamed)
    assert run("survey", "import", renamed, "--phase", "före", "-w", shipped).exit_code == 2
    assert len(stored(shipped)) == 1


def test_an_export_of_the_same_name_and_days_gets_a_new_file(shipped: Path, tmp_path: Path, run: Run) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_csv(tmp_path / "a" / "svar.csv", [row()])
    second = write_csv(tmp_path / "b" / "svar.csv", [row(), row()])
    assert run("survey", "import", first, "--phase", "före", "-w", shipped).exit_code == 0
    result = run("survey", "import", second, "--phase", "före", "-w", shipped)
    assert result.exit_code == 0 and "same name" in result.output
    assert [p.name for p in stored(shipped)] == ["före-2026-11-20-svar-2.yaml", "före-2026-11-20-svar.yaml"]


def test_a_dry_run_writes_nothing_and_shows_the_file(shipped: Path, run: Run) -> None:
    result = run("survey", "import", NETIGATE, "--phase", "före", "--dry-run", "-w", shipped)
    assert result.exit_code == 0, result.output
    assert "survey: kunskap-2026" in result.stdout and "nothing was written" in result.output
    assert not (shipped / "curriculum" / "surveys").exists()


def test_a_damaged_or_protected_workbook_is_one_clear_error(shipped: Path, tmp_path: Path, run: Run) -> None:
    damaged = tmp_path / "trasig.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("hej.txt", "inte en arbetsbok")
    protected = tmp_path / "lösenord.xlsx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    for path, words in ((damaged, "Excel workbook"), (protected, "password")):
        result = run("survey", "import", path, "--phase", "före", "-w", shipped)
        assert result.exit_code == 3 and words in result.output and "Traceback" not in result.output
    with pytest.raises(InputOutputError):
        api.survey_import(api.open_workspace(shipped), damaged, phase="före")


def test_a_missing_file_or_a_wrong_phase_is_a_usage_error(shipped: Path, run: Run) -> None:
    assert run("survey", "import", shipped / "finns-inte.xlsx", "--phase", "före", "-w", shipped).exit_code == 2
    wrong = run("survey", "import", FORMS, "--phase", "under", "-w", shipped)
    assert wrong.exit_code == 2 and "--phase" in wrong.output
    assert run("survey", "import", FORMS, "--phase", "fore", "--dry-run", "-w", shipped).exit_code == 0


@pytest.mark.usefixtures("swedish")
def test_it_speaks_swedish(shipped: Path, tmp_path: Path, run: Run) -> None:
    result = run("survey", "import", FORMS, "--phase", "före", "-w", shipped)
    assert result.exit_code == 0, result.output
    assert "sparade" in result.output.lower() and "3 grupper, 6 svarande, 2 dagar" in result.output
    export = write_csv(tmp_path / "fel.csv", [row("Atlantis")])
    refused = run("survey", "import", export, "--phase", "före", "-w", shipped)
    assert refused.exit_code == 2 and "rad 2" in refused.output and "Atlantis" in refused.output
