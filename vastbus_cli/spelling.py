"""Swedish spelling with a Hunspell dictionary, a project word list and a cache of answers.

The dictionary is ``hunspell-sv`` (a maintained Swedish Hunspell dictionary); the engine is
``spylls`` (Hunspell in pure Python, so nothing to compile). Loading the dictionary takes
seconds and each new word a few milliseconds, so every answer is kept in a per-user cache
keyed by the dictionary's content: a second run looks words up in a set.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import sysconfig
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vastbus_cli import saferead
from vastbus_cli.errors import UsageError
from vastbus_cli.i18n import _

#: The project's own words (terms, names, abbreviations), one per line, relative to the workspace.
WORD_LIST = "curriculum/ordlista.txt"
DICTIONARY = "sv_SE"

#: Web addresses, e-mail addresses, domain names and anything with a digit (ids such as
#: bou-halsa-2023, law references such as 2:7, source keys such as S12) are not prose.
_NOT_PROSE = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:se|nu|com|org|net|eu)\b|\S*\d\S*")
_WORD = re.compile(r"[^\W\d_]+")
#: Compounds of a listed word and a dictionary word ("Västbusmöte") are accepted when the
#: listed part is at least this long, so a short entry cannot excuse arbitrary words.
COMPOUND_HEAD = 4
#: How many looked-up words between two progress reports.
_PROGRESS_EVERY = 25


def words_of(text: str) -> Iterator[tuple[int, str]]:
    """(offset, word) for every word worth checking: not a web address, a number or an abbreviation."""
    text = _NOT_PROSE.sub(lambda match: " " * len(match.group()), text)
    for match in _WORD.finditer(text):
        word = match.group()
        # "hälso- och sjukvård": the first part of a shared compound stands alone with a dash.
        after = text[match.end() : match.end() + 2]
        if after[:1] == "-" and not after[1:].isalpha():
            continue
        # Abbreviations and product names (SIP, BUP, MedControlPRO) are written as their owners write them.
        if len(word) < 2 or sum(1 for ch in word if ch.isupper()) >= 2:
            continue
        yield match.start(), word


def dictionary_paths() -> list[Path]:
    """Where an installed ``hunspell-sv`` or the system may keep sv_SE.dic, best first."""
    roots: list[str] = []
    for scheme_path in (sysconfig.get_path("data"), sysconfig.get_path("data", f"{os.name}_user")):
        if scheme_path:
            roots.append(scheme_path)
    roots.extend([sys.prefix, sys.base_prefix, "/usr/local", "/usr"])
    candidates = [Path(root) / "share" / "hunspell" / DICTIONARY for root in dict.fromkeys(roots)]
    try:
        import spylls.hunspell

        # spylls ships an older Swedish dictionary: better than none.
        candidates.append(Path(spylls.hunspell.__file__).parent / "data" / "sv" / DICTIONARY)
    except ImportError:
        pass
    return [path for path in candidates if path.with_suffix(".dic").is_file() and path.with_suffix(".aff").is_file()]


#: Loaded dictionaries by path: loading takes seconds, so a process (a test run, an editor
#: integration) loads each once.
_ENGINES: dict[Path, Any] = {}


def _engine(dictionary: Path) -> Any:
    engine = _ENGINES.get(dictionary)
    if engine is None:
        from spylls.hunspell import Dictionary

        engine = _ENGINES[dictionary] = Dictionary.from_files(str(dictionary))
    return engine


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "vastbus"


@dataclass
class Speller:
    """Answers "is this a Swedish word?" from the word list, the cache, then the dictionary."""

    dictionary: Path
    accepted: frozenset[str] = frozenset()
    cache_file: Path | None = None
    known: dict[str, bool] = field(default_factory=dict)
    looked_up: int = 0
    #: Told (done, total) while words the cache does not know are looked up (the first run takes seconds).
    progress: Callable[[int, int], None] | None = None
    _dirty: bool = False

    @classmethod
    def for_workspace(cls, root: Path) -> Speller:
        """The speller for a workspace: its word list, the best dictionary found, the user's cache.

        Raises:
            UsageError: no Swedish dictionary is installed.
        """
        found = dictionary_paths()
        if not found:
            raise UsageError(
                _(
                    "no Swedish spelling dictionary found; install it with 'pip install hunspell-sv spylls' "
                    "(both are dependencies of vastbus, so reinstalling vastbus also works)"
                )
            )
        dictionary = found[0]
        digest = hashlib.sha256()
        for suffix in (".aff", ".dic"):
            try:
                digest.update(saferead.sha256(dictionary.with_suffix(suffix), "dictionary").encode())
            except saferead.Refused as refused:
                raise UsageError(
                    _("cannot read the dictionary {file}: {problem}").format(
                        file=dictionary.with_suffix(suffix), problem=refused.message
                    )
                ) from None
        speller = cls(dictionary, read_word_list(root / WORD_LIST))
        speller.cache_file = _cache_dir() / f"spelling-{digest.hexdigest()[:16]}.json"
        speller.known = _read_cache(speller.cache_file)
        return speller

    def is_known(self, word: str) -> bool:
        """Whether ``word`` is spelled right: listed, cached, or in the dictionary."""
        if word.lower() in self.accepted:
            return True
        answer = self.known.get(word)
        if answer is None:
            answer = self._lookup(word)
            self.known[word] = answer
            self._dirty = True
        if not answer:
            answer = any(
                word.lower().startswith(head) and self.is_known(word[len(head) :])
                for head in self.accepted
                if len(head) >= COMPOUND_HEAD and len(word) - len(head) >= 2
            )
        return answer

    def unknown(self, words: Iterable[str]) -> set[str]:
        """The words of ``words`` that are not spelled right; ``progress`` hears of the dictionary look-ups."""
        distinct = sorted(set(words))
        fresh = {word for word in distinct if word.lower() not in self.accepted and word not in self.known}
        if fresh and self.progress is not None:
            self.progress(0, len(fresh))  # before the dictionary loads, which is most of a first run's wait
        found: set[str] = set()
        done = 0
        for word in distinct:
            if not self.is_known(word):
                found.add(word)
            if word in fresh:
                done += 1
                if self.progress is not None and (done % _PROGRESS_EVERY == 0 or done == len(fresh)):
                    self.progress(done, len(fresh))
        return found

    def _lookup(self, word: str) -> bool:
        self.looked_up += 1
        return bool(_engine(self.dictionary).lookup(word))

    def save(self) -> None:
        """Keep the answers for the next run; a cache that cannot be written only costs time."""
        if not self._dirty or self.cache_file is None:
            return
        from vastbus_cli.errors import InputOutputError
        from vastbus_cli.fsio import atomic_write_text

        try:
            atomic_write_text(self.cache_file, json.dumps(self.known, ensure_ascii=False, sort_keys=True))
            self._dirty = False
        except InputOutputError:
            pass


def read_word_list(path: Path) -> frozenset[str]:
    """The project's accepted words, lower case; lines starting with # are comments; none without the file.

    Raises:
        UsageError: the word list is a pipe, a device, too large, not UTF-8 or unreadable.
    """
    try:
        text = saferead.read_text(path, "word-list")
    except saferead.Refused as refused:
        if refused.problem == "missing":
            return frozenset()
        raise UsageError(
            _("{file} cannot be read: {problem}; make it a UTF-8 text file with one word a line").format(
                file=WORD_LIST, problem=refused.message
            )
        ) from None
    words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(word for word in words if word)


def _read_cache(path: Path) -> dict[str, bool]:
    try:
        data = saferead.read_json(path, "cache")
    except saferead.Refused:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(word): bool(answer) for word, answer in data.items()}
