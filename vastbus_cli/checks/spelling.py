"""Swedish spelling of the course text (``check --spelling``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from vastbus_cli.checks.context import Context
from vastbus_cli.checks.prose import SourceText, prose_strings, text_documents
from vastbus_cli.findings import Finding, Severity
from vastbus_cli.i18n import N_, _
from vastbus_cli.rules import SPELLING, WARNING, Rule
from vastbus_cli.yamlpos import value_position

SPELLING_UNKNOWN_WORD = Rule(
    "spelling/unknown-word",
    WARNING,
    SPELLING,
    N_("with `--spelling`: a word that is neither in the Swedish dictionary nor in `curriculum/ordlista.txt`"),
)
RULES: tuple[Rule, ...] = (SPELLING_UNKNOWN_WORD,)


def check_spelling(ctx: Context) -> Iterator[Finding]:
    """Every word of the course text is in the Swedish dictionary or the project's word list."""
    speller = ctx.speller
    if speller is None:
        return
    from vastbus_cli.spelling import words_of

    texts: list[tuple[Any, ...]] = []
    for doc, data, source in text_documents(ctx):
        for container, key, text, _pos, _path in prose_strings(data, frozenset()):
            texts.append((doc, container, key, text, source))
    all_words = {word for *_, text, _ in texts for _, word in words_of(text)}
    unknown = speller.unknown(all_words)
    speller.save()
    if not unknown:
        return
    spelled_right = sorted(all_words - unknown)
    reported: set[tuple[str, str]] = set()
    for doc, container, key, text, source in texts:
        for offset, word in words_of(text):
            if word not in unknown or (doc.rel, word) in reported:
                continue
            reported.add((doc.rel, word))
            yield _finding(doc.rel, container, key, text, offset, word, source, spelled_right)


def _finding(
    rel: str,
    container: Any,
    key: Any,
    text: str,
    offset: int,
    word: str,
    source: SourceText,
    spelled_right: list[str],
) -> Finding:
    start = value_position(container, key)
    line, column = start or (0, 0)
    if start is not None:
        found = source.locate(source.offset(*start), text, text[offset : offset + len(word)])
        if found is not None:
            line, column = source.position(found)
    from vastbus_cli.spelling import WORD_LIST

    close = difflib.get_close_matches(word, spelled_right, n=1, cutoff=0.85)
    fix = _("did you mean '{option}'? ").format(option=close[0]) if close else ""
    return SPELLING_UNKNOWN_WORD.at(
        _("'{word}' is not in the Swedish dictionary").format(word=word),
        rel,
        line,
        column,
        _("{fix}fix the spelling, or add the word to {word_list} if it is a correct term").format(
            fix=fix, word_list=WORD_LIST
        ),
        severity=Severity.WARNING,
    )
