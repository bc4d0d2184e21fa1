"""One language: Swedish by default, English with --lang en or VASTBUS_LANG; the catalog is whole."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# --- No English reaches a Swedish user ------------------------------------------------------------

_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé']+")
#: Words that are the same in both languages or are names (a command, a format, a file kind).
_SHARED = {"info", "vastbus", "sarif", "json", "csv", "html", "yaml", "pptx", "docx", "pdf", "git", "junit", "github"}


def _english_words() -> set[str]:
    """Words of the current English messages that their Swedish translations never use."""
    english: set[str] = set()
    swedish: set[str] = set()
    for part in catalog.PARTS:
        for message in catalog.read_part(part):
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids:
                english.update(w.lower() for w in _WORD.findall(re.sub(r"\{[^{}]*\}", " ", text)) if len(w) >= 4)
            for text in strings:
                swedish.update(w.lower() for w in _WORD.findall(text))
    return english - swedish - _SHARED


def _readable_words(output: str) -> set[str]:
    """The words a person reads: paths, ids, rule ids, options and quoted YAML keys left out."""
    kept = []
    for token in output.split():
        if any(mark in token for mark in ("/", "\\", "--", "=", "_", ".yaml", ".py", "@")):
            continue
        if re.fullmatch(r"[\W\d]*[a-z0-9]+(-[a-z0-9]+)+[\W\d]*", token):  # an id such as bou-halsa-2023
            continue
        if token.startswith(("'", '"', "`", "‘", "“")):  # a quoted key or value, the user's own words
            continue
        kept.append(token)
    return {w.lower() for w in _WORD.findall(" ".join(kept))}


def _old_deck(path: Path) -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph("Västbus riktlinjer 2012: SIP är bara för de mest komplexa ärendena.")
    document.add_paragraph("Socialtjänstlagen (2001:453) gäller.")
    document.save(path)
    return path


@pytest.mark.slow
@pytest.mark.usefixtures("swedish")
def test_no_english_word_of_the_current_messages_reaches_a_swedish_user(
    shipped: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    # Words of the workspace's own files (YAML keys such as routines:, ids such as organisation) are the
    # user's, shown so that they can find the place; they are not the tool's English.
    theirs = {
        word.lower()
        for path in [*shipped.glob("guidelines/*.yaml"), *shipped.glob("curriculum/**/*.yaml")]
        for word in _WORD.findall(path.read_text(encoding="utf-8"))
    }
    english = _english_words() - theirs
    assert len(english) > 500, "the list is drawn from the catalog"
    old = tmp_path / "gamla filer"
    old.mkdir()
    _old_deck(old / "Västbus 2012.docx")
    broken = shipped / "curriculum" / "modules" / "samtycke.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    ws = ("--workspace", shipped)
    commands: list[tuple[Any, ...]] = [
        ("check", *ws),
        ("build", *ws),
    ]
    broken.write_text(broken.read_text(encoding="utf-8").replace("titel:", "title:", 1), encoding="utf-8")
    commands += [
        ("build", *ws, "--district", "angered", "--audience", "forskola"),
        ("report", *ws),
        ("site", *ws, "--out", tmp_path / "webbplats", "--allow-stale"),
        ("held", shipped / "paket" / "angered" / "forskola", "--date", day, "--participants", "12", *ws),
        ("scan", old),
        ("scan", shipped / "paket" / "angered"),
        ("editions", *ws),
        ("diff", "bou-halsa-2021", "bou-halsa-2023", *ws),
        ("review", "--all", "--by", "Anna Berg", "--dry-run", *ws),
        ("upgrade", "--to", "bou-halsa-2023", *ws),
        ("changes", shipped, shipped),
        ("schema", "--out", tmp_path / "scheman", *ws),
        ("new", "local", "lundby", *ws),
        ("new", "workspace", tmp_path / "Härryda", *ws),
        ("build", *ws, "--audience", "finns-inte"),
        ("report", *ws, "--out", tmp_path / "inget"),
    ]
    leaks: dict[str, set[str]] = {}
    for command in commands:
        result = run(*command)
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.output)
        found = _readable_words(result.stdout + result.stderr) & english
        if found:
            leaks[" ".join(str(part) for part in command[:2])] = found
    assert not leaks, f"English in Swedish output: {leaks}"


@pytest.mark.slow
def test_the_packs_are_the_same_whatever_language_the_command_line_speaks(
    mini: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    for lang in ("sv", "en"):
        assert run("--lang", lang, "build", "-w", mini, "-o", tmp_path / lang).exit_code == 0
    built = sorted(p.relative_to(tmp_path / "sv") for p in (tmp_path / "sv").rglob("*.*x"))
    assert built, "something was built"
    for rel in built:
        assert (tmp_path / "sv" / rel).read_bytes() == (tmp_path / "en" / rel).read_bytes(), rel
