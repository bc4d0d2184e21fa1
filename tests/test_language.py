"""One language: Swedish by default, English with --lang en or VASTBUS_LANG; the catalog is whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from vastbus_cli import catalog
from vastbus_cli.i18n import UnknownLanguage, chosen, normalise


def test_every_marked_text_has_a_swedish_translation_with_the_same_placeholders() -> None:
    assert catalog.problems() == []


def test_the_compiled_catalog_is_the_one_the_po_files_make() -> None:
    assert catalog.mo_path().read_bytes() == catalog.compiled_bytes(), "run: python -m vastbus_cli.catalog compile"


def test_a_lost_placeholder_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "LOCALE_DIR", tmp_path)
    (tmp_path / "sv").mkdir()
    (tmp_path / "sv" / "kommandon.po").write_text(
        'msgid "{n} files"\nmsgstr "filer"\n\nmsgid "Done"\nmsgstr ""\n', encoding="utf-8"
    )
    found = catalog.problems(marked={"{n} files", "Done", "Gone"})
    assert any("placeholders differ" in line and "{n} files" in line for line in found)
    assert any("no translation" in line and "Done" in line for line in found)
    assert any("not in the catalog" in line and "Gone" in line for line in found)


@pytest.mark.parametrize(("given", "lang"), [("sv", "sv"), ("SV", "sv"), ("sv_SE.UTF-8", "sv"), ("en-GB", "en")])
def test_language_names_are_read_loosely(given: str, lang: str) -> None:
    assert normalise(given) == lang


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(UnknownLanguage):
        normalise("fr")


def test_the_flag_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VASTBUS_LANG", "en")
    assert chosen("sv") == "sv"
    assert chosen(None) == "en"
    monkeypatch.delenv("VASTBUS_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert chosen(None) == "sv", "the locale is not read: servers say en_US whoever uses them"


@pytest.mark.usefixtures("swedish")
def test_help_and_usage_errors_are_swedish_by_default(run: Callable[..., Result]) -> None:
    helped = run("review", "--help")
    assert "Användning: vastbus review" in helped.output
    assert "Visa den här hjälpen och avsluta." in helped.output
    assert "Usage:" not in helped.output
    missing = run("review")
    assert missing.exit_code == 2
    assert "Flaggan '--by' saknas." in missing.output


@pytest.mark.usefixtures("swedish")
def test_lang_en_anywhere_on_the_line_gives_english(run: Callable[..., Result]) -> None:
    before = run("--lang", "en", "review")
    after = run("review", "--lang", "en")
    for result in (before, after):
        assert result.exit_code == 2
        assert "Missing option '--by'." in result.output


@pytest.mark.usefixtures("swedish")
def test_an_unknown_language_is_a_usage_error(run: Callable[..., Result]) -> None:
    result = run("check", "--lang", "fr")
    assert result.exit_code == 2
    assert "okänt språk 'fr'" in result.output
