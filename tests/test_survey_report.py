"""vastbus survey report, and the survey in report and on the site: shares right, intervals, small groups hidden.

The fixture (tests/data/survey_results/) holds answers from two districts, two professions,
before and after; BVC in Örgryte-Härlanda has exactly 4 respondents before, so it is never shown.
Worked numbers for the first item ("bara-komplexa-fall", right answer "Stämmer inte"):

- Angered before: förskola 4 of 12, BVC 3 of 7 (one skipped it) → 7 of 19 = 37 % (19–59 %);
  after: 10 of 12 and 7 of 8 → 17 of 20 = 85 % (64–95 %).
- Örgryte-Härlanda before: förskola 6 of 10, BVC 1 of 4 (hidden) → 7 of 14 = 50 % (27–73 %); the
  förskola group is hidden too, since the district's total minus it would give the BVC group away.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import CHROMIUM, REPO, chromium, replace_in
from vastbus_cli import api
from vastbus_cli.build import build
from vastbus_cli.models.survey import ResultGroup, Survey
from vastbus_cli.survey.analysis import analyse, wilson

FIXTURE = Path(__file__).parent / "data" / "survey_results"
FIRST = "bara-komplexa-fall"


def with_results(root: Path) -> Path:
    """Give a workspace the shipped survey and the fixture's answers."""
    shutil.copy(REPO / "curriculum" / "survey.yaml", root / "curriculum" / "survey.yaml")
    folder = root / "curriculum" / "surveys" / "kunskap-2026"
    folder.mkdir(parents=True)
    for path in FIXTURE.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return root


@pytest.fixture
def surveyed(mini: Path) -> Path:
    return with_results(mini)


# --- the interval ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("right", "n", "low", "high"),
    [(0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (5, 10, 0.2366, 0.7634), (1, 3, 0.0615, 0.7923)],
)
def test_wilson_interval_matches_known_values(right: int, n: int, low: float, high: float) -> None:
    assert wilson(right, n) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


@pytest.mark.parametrize(("right", "n"), [(0, 0), (4, 3), (-1, 3)])
def test_wilson_interval_refuses_what_is_not_a_share(right: int, n: int) -> None:
    with pytest.raises(ValueError, match="share"):
        wilson(right, n)


# --- the analysis ----------------------------------------------------------------------------


def _group(district: str, audience: str, respondents: int, right: int, blank: int = 0) -> ResultGroup:
    wrong = respondents - right - blank
    return ResultGroup(
        district=district,
        audience=audience,
        phase="före",
        date=dt.date(2026, 9, 1),
        respondents=respondents,
        answers={"a": {"stammer-inte": right, "stammer": wrong - wrong // 2, "vet-inte": wrong // 2, "blank": blank}},
    )


SURVEY = Survey(
    id="s",
    title="Test",
    built_on="bou-halsa-2023",
    course_version="1.0.0",
    items=[{"id": "a", "claim": "bara-komplexa-fall", "text": "Ett påstående.", "right": "stammer-inte"}],
)


def test_a_group_of_five_is_shown_and_a_group_of_four_is_not() -> None:
    analysis = analyse(SURVEY, [_group("x", "bvc", 5, 2), _group("y", "bvc", 4, 2)])
    assert analysis.cells[("a", "x", "bvc", "före")].shown is not None
    assert analysis.cells[("a", "y", "bvc", "före")].shown is None
    assert analysis.district_cells[("a", "y", "före")].shown is None
    assert analysis.respondents == {"före": 9} and analysis.small_groups == {"före": 4}


def test_vet_inte_is_not_right_and_a_skipped_item_is_left_out() -> None:
    # 8 respondents: 4 right, 1 wrong, 2 "Vet inte", 1 skipped → 4 of 7.
    group = _group("x", "bvc", 8, 4, blank=1)
    share = analyse(SURVEY, [group]).cells[("a", "x", "bvc", "före")].shown
    assert share is not None and (share.right, share.n) == (4, 7)


def test_an_audience_that_would_give_a_small_one_away_is_hidden_too() -> None:
    groups = [_group("x", "bvc", 4, 1), _group("x", "forskola", 10, 6), _group("x", "skola", 20, 9)]
    analysis = analyse(SURVEY, groups)
    hidden = {key[2]: cell.hidden for key, cell in analysis.cells.items()}
    # The district's total (34) is shown: förskola (the smallest shown) goes too, so 34 − 20 = 14 is two groups.
    assert hidden == {"bvc": "small", "forskola": "reveals", "skola": ""}
    assert analysis.district_cells[("a", "x", "före")].shown is not None
    # Two small groups that together reach 5 need no other group hidden.
    analysis = analyse(SURVEY, [_group("x", "bvc", 3, 1), _group("x", "vc", 3, 1), _group("x", "skola", 20, 9)])
    assert {key[2]: cell.hidden for key, cell in analysis.cells.items()} == {"bvc": "small", "vc": "small", "skola": ""}


def test_two_districts_before_and_after_from_the_fixture(surveyed: Path) -> None:
    analysis = api.survey_report(api.open_workspace(surveyed))
    assert analysis.phases == ["före", "efter"] and analysis.respondents == {"före": 34, "efter": 38}
    angered = {p: analysis.district_cells[(FIRST, "angered", p)].shown for p in ("före", "efter")}
    assert (angered["före"].right, angered["före"].n) == (7, 19)  # type: ignore[union-attr]
    assert (angered["efter"].right, angered["efter"].n) == (17, 20)  # type: ignore[union-attr]
    assert analysis.cells[(FIRST, "örgryte-härlanda", "bvc", "före")].hidden == "small"
    assert analysis.cells[(FIRST, "örgryte-härlanda", "forskola", "före")].hidden == "reveals"
    assert analysis.cells[(FIRST, "örgryte-härlanda", "bvc", "efter")].hidden == ""
    spread = analysis.spread_of(FIRST, "före")
    assert spread is not None and spread.highest is not None and spread.lowest is not None
    assert (spread.highest[0], spread.lowest[0]) == ("örgryte-härlanda", "angered")
    assert spread.difference == pytest.approx(7 / 14 - 7 / 19)
    persistent = {p.district: (p.phase, p.item) for p in analysis.persistent}
    assert persistent == {
        "örgryte-härlanda": ("efter", "vastbus-galler-fortfarande"),
        "angered": ("efter", "inte-vart-arende"),
    }


def test_the_persistent_misconception_links_the_module_and_slide_that_teach_it(
    surveyed: Path, run: Callable[..., Result]
) -> None:
    before = run("survey", "report", "--workspace", surveyed)
    assert before.exit_code == 0, before.output
    assert "Ingen modul tar upp påståendet inte-vart-arende" in before.stdout
    replace_in(
        surveyed / "curriculum/modules/samtycke.yaml",
        '    title: "Ingen SIP utan samtycke"\n',
        '    title: "Ingen SIP utan samtycke"\n    discusses: [inte-vart-arende]\n',
    )
    after = run("survey", "report", "--workspace", surveyed)
    assert "Lärs ut i modul samtycke (Samtycke): bild kravs ”Ingen SIP utan samtycke”." in after.stdout.replace(
        "\n  ", " "
    )


# --- survey report: text, JSON, HTML, DOCX ------------------------------------------------


def test_survey_report_json_numbers(surveyed: Path, run: Callable[..., Result]) -> None:
    result = run("survey", "report", "--workspace", surveyed, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["method"] == {
        "share": "right / (respondents - blank); 'vet-inte' counts as not right",
        "interval": "wilson",
        "confidence": 0.95,
        "threshold": 5,
    }
    districts = {(r["item"], r["district"], r["phase"]): r for r in data["district_shares"]}
    assert districts[(FIRST, "angered", "före")] == {
        "item": FIRST,
        "district": "angered",
        "phase": "före",
        "n": 19,
        "right": 7,
        "share": 0.3684,
        "low": 0.1915,
        "high": 0.5896,
        "hidden": None,
    }
    groups = {(r["item"], r["district"], r["audience"], r["phase"]): r for r in data["groups"]}
    # A hidden group says only that it is hidden: never its counts.
    assert groups[(FIRST, "örgryte-härlanda", "bvc", "före")] == {
        "item": FIRST,
        "district": "örgryte-härlanda",
        "audience": "bvc",
        "phase": "före",
        "hidden": "small",
    }
    assert groups[(FIRST, "örgryte-härlanda", "forskola", "före")]["hidden"] == "reveals"
    spread = next(s for s in data["spread"] if s["item"] == FIRST and s["phase"] == "före")
    assert spread["highest"]["district"] == "örgryte-härlanda" and spread["lowest"]["district"] == "angered"
    assert spread["difference"] == 0.1316
    assert data["respondents_in_small_groups"] == {"före": 4, "efter": 0}


def test_survey_report_text_fits_80_columns_and_hides_the_group_of_four(
    surveyed: Path, run: Callable[..., Result]
) -> None:
    result = run("survey", "report", "--workspace", surveyed)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "   Angered                 37 % (19–59) n=19         85 % (64–95) n=20" in lines
    assert "     BVC                   n < 5, visas inte         67 % (30–90) n=6" in lines
    assert "     Förskola              visas inte*               100 % (74–100) n=11" in lines
    assert "”Vet inte”" in result.stdout and "Wilson" in result.stdout


def test_survey_report_writes_a_page_and_a_summary(surveyed: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    page, summary = tmp_path / "ut" / "enkät.html", tmp_path / "ut" / "styrgrupp.docx"
    page.parent.mkdir()
    result = run(
        "survey", "report", "--workspace", surveyed, "--html", page, "--docx", summary, "--as-of", "2026-11-05"
    )
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and html.count('role="img"') == 12 + 2
    with zipfile.ZipFile(summary) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        assert "<dc:title>Kunskapsenkäten: sammanfattning för styrgruppen</dc:title>" in docx.read(
            "docProps/core.xml"
        ).decode("utf-8")
    text = re.sub(r"<[^>]+>", "", document)
    for words in (
        "Likvärdighet mellan områdena",
        "Wilson",
        "”Vet inte” räknas som inte rätt",
        "37 % (19–59 %), n = 19",
    ):
        assert words in text
    assert text.count("Fråga ") >= 12


def test_survey_report_without_a_survey_or_answers_says_what_to_do(mini: Path, run: Callable[..., Result]) -> None:
    result = run("survey", "report", "--workspace", mini)
    assert result.exit_code == 2 and "vastbus survey make" in result.stderr and "Traceback" not in result.output
    shutil.copy(REPO / "curriculum" / "survey.yaml", mini / "curriculum" / "survey.yaml")
    result = run("survey", "report", "--workspace", mini)
    assert result.exit_code == 2 and "curriculum/surveys/kunskap-2026/" in result.stderr
    assert "vastbus survey import" in result.stderr


@pytest.mark.usefixtures("swedish")
def test_survey_report_says_it_in_swedish(mini: Path, run: Callable[..., Result]) -> None:
    result = run("survey", "report", "--workspace", mini, env_extra={"VASTBUS_LANG": ""})
    assert result.exit_code == 2 and "arbetsytan har ingen enkät" in result.stderr


# --- the charts ------------------------------------------------------------------------------


def test_every_chart_is_described_and_readable(surveyed: Path) -> None:
    page = api.survey_report_page(api.survey_report(api.open_workspace(surveyed)))
    charts = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    assert len(charts) == 14
    for chart in charts:
        labelled = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', chart)
        assert labelled and 'role="img"' in chart
        assert f'<title id="{labelled.group(1)}">' in chart and f'<desc id="{labelled.group(2)}">' in chart
        assert min(int(size) for size in re.findall(r'font-size="(\d+)"', chart)) >= 12
    first = charts[0]
    # Before and after differ by shape, not colour only: a hatched bar and a solid one.
    assert 'fill="url(#enkat-fraga-1-diagram-hatch)"' in first and 'fill="#1F4E79"' in first
    assert "Angered: före 37 % (19–59 %, n = 19), efter 85 % (64–95 %, n = 20)" in first
    # The dot plot: an open circle before, a filled square after.
    assert "<circle" in charts[12] and "<rect" in charts[12]


# --- report and site -------------------------------------------------------------------------


def test_report_shows_the_survey_after_the_districts(
    surveyed: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    out = tmp_path / "paket"
    build(api.open_workspace(surveyed), out, jobs=1)
    html = tmp_path / "status.html"
    result = run("report", "--workspace", surveyed, "--out", out, "--html", html, "--output", tmp_path / "r.txt")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert text.index("Angered  ") < text.index("Kunskapsenkäten (kunskap-2026):") < text.index("Nästa steg")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "   Angered                 37 % (19–59) n=19         85 % (64–95) n=20" in text
    assert "   Skillnad (högst–lägst)  13 procentenheter         3 procentenheter" in text
    page = html.read_text(encoding="utf-8")
    assert '<h2 id="kunskapsenkaten">Kunskapsenkäten</h2>' in page
    assert '<tr><th scope="row">Örgryte-Härlanda, BVC</th><td class="hidden">n &lt; 5, visas inte</td>' in page, (
        "the group of 4 is shown"
    )
    assert "Skillnad 13 procentenheter" in page and "Lägst: Angered, 37 % (19–59 %), n = 19" in page


def test_report_without_answers_has_no_survey_section(mini: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    out = tmp_path / "paket"
    build(api.open_workspace(mini), out, jobs=1)
    result = run("report", "--workspace", mini, "--out", out, "--html", tmp_path / "s.html", "-o", tmp_path / "r.txt")
    assert result.exit_code == 0
    assert "Kunskapsenkäten" not in (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "Kunskapsenkäten" not in (tmp_path / "s.html").read_text(encoding="utf-8")


def test_the_site_status_page_shows_the_survey(surveyed: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    packs, site = tmp_path / "paket", tmp_path / "webb"
    build(api.open_workspace(surveyed), packs, jobs=1)
    assert run("site", "--workspace", surveyed, "--packs", packs, "--out", site).exit_code == 0
    status = (site / "status.html").read_text(encoding="utf-8")
    assert '<section class="survey"' in status and "<script" not in status
    assert status.count('role="img"') == 14 and "n &lt; 5, visas inte" in status
    assert ".survey .pair" in (site / "style.css").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed; .ci/run installs it")
def test_the_charts_render_in_headless_chromium(surveyed: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    from PIL import Image

    page = tmp_path / "enkät.html"
    assert run("survey", "report", "--workspace", surveyed, "--html", page).exit_code == 0
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count("<svg") == 14 and "Kunskapsenkäten" in dom
    shot = tmp_path / "enkät.png"
    chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", page.as_uri())
    with Image.open(shot) as image:
        colours = {colour: n for n, colour in image.convert("RGB").getcolors(1280 * 2000) or []}
    # The first item's chart is in view: its solid "after" bars are the report's blue.
    assert colours.get((0x1F, 0x4E, 0x79), 0) > 5_000, "the bars are not drawn"


def test_the_difference_shown_is_that_of_the_shares_shown() -> None:
    from vastbus_cli.survey.analysis import Share, Spread, points

    # 5/12 = 41.7 % shows as 42 %, 7/17 = 41.2 % as 41 %: the page says 1 percentage point, not 0.
    spread = Spread("fraga", "före", (("a", Share.of(5, 12)), ("b", Share.of(7, 17))))
    assert spread.difference is not None and round(spread.difference * 100) == 0
    assert spread.shown_difference is not None and points(spread.shown_difference) == "1 procentenhet"
