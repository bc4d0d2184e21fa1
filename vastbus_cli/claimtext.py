"""The text a claim is matched in: its words indexed by written form, its chunks and sentences.

Words are compared by their stem (Snowball's Swedish stemmer); a full stop after a Swedish
abbreviation does not end a sentence. :mod:`vastbus_cli.claims` holds the claim language
that looks things up here.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

#: Abbreviations whose full stop does not end a sentence ("t.ex.", "bl.a.", "kap.").
ABBREVIATIONS = frozenset(
    {
        "t.ex",
        "bl.a",
        "kap",
        "s.k",
        "m.m",
        "osv",
        "ca",
        "jfr",
        "resp",
        "nr",
        "p.g.a",
        "pga",
        "dvs",
        "d.v.s",
        "t.o.m",
        "fr.o.m",
        "o.s.v",
        "m.fl",
        "prop",
        "st",
        "kl",
        "f.d",
        "ang",
        "inkl",
        "exkl",
        "tel",
        "e.d",
        "o.d",
        "s",
        "sid",
        "enl",
        "bil",
        "avd",
        "mfl",
        "etc",
    }
)
#: Words this short are compared as written: their stems run into other words ("före" and
#: "för" share the stem "för").
EXACT_BELOW = 5
#: A stem may be this much longer than the concept's and still count: Snowball stems
#: "ärende" to "ärend" but "ärendena" to "ärenden".
STEM_SLACK = 2
MIN_STEM_FOR_SLACK = 4

#: Stems this long (the words a letter longer) tolerate one slip (see :meth:`TextIndex._misspelt`).
TYPO_FROM = 5
#: The letters a slip never touches: a stem's beginning is also what finds a concept's cue.
SLIP_KEEPS = 3
#: Spoken and chat forms of common words, read as the written word (the offsets stay the text's).
SPOKEN = {
    "e": "är",
    "me": "med",
    "nån": "någon",
    "nåt": "något",
    "nåra": "några",
    "int": "inte",
    "inge": "inget",
    "å": "och",
    "mej": "mig",
    "dej": "dig",
    "sej": "sig",
    "sen": "sedan",
    "bvc:n": "bvc",
}
#: Endings a short word takes and still is the same word: "plan", "planen", "planer", "planerna".
SHORT_ENDINGS = ("en", "er", "erna", "et", "ar", "arna", "or", "orna", "ens", "ets", "s")
#: Endings only a short word ending in a vowel takes: "möte", "mötet", "möten".
VOWEL_ENDINGS = ("n", "t", "na", "ns", "ts")


@functools.lru_cache(maxsize=4096)
def short_forms(word: str) -> tuple[str, ...]:
    """A short word as written and inflected; words of two letters only as written."""
    if len(word) < 3:
        return (word,)
    endings = SHORT_ENDINGS + (VOWEL_ENDINGS if word[-1] in "aeiouyåäö" else ())
    return (word, *(word + ending for ending in endings))


@functools.lru_cache(maxsize=4096)
def slips(wanted: str) -> tuple[str, ...]:
    """The stem with one letter left out, or two neighbours swapped, past its first letters."""
    # Never the last letter: without it the stem is only a shorter beginning ("fråga" of "frågar").
    dropped = {wanted[:at] + wanted[at + 1 :] for at in range(SLIP_KEEPS, len(wanted) - 1)}
    swapped = {
        wanted[:at] + wanted[at + 1] + wanted[at] + wanted[at + 2 :]
        for at in range(SLIP_KEEPS, len(wanted) - 1)
        if wanted[at] != wanted[at + 1]
    }
    return tuple(sorted(variant for variant in dropped | swapped if len(variant) >= TYPO_FROM - 1))


_WORD = re.compile(r"[^\W_]+(?:[-:][^\W_]+)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s|$)|\n\s*\n")
#: In text read from Office files a line is a paragraph (a title, a bullet), so it ends a sentence.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_LINE = re.compile(r"\n\s*")
_PARAGRAPH_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s|$)|\n")


@functools.cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("swedish")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Swedish stem of a lower-case word."""
    return str(_stemmer().stemWord(word))


class TextIndex:
    """A text's words indexed by written form, so a concept's places are looked up, not searched.

    The words are kept as parallel lists, and only the words a concept's stem can begin
    are stemmed (a Swedish Snowball stem is always the beginning of its word).
    """

    def __init__(self, starts: list[int], ends: list[int], lowers: list[str]) -> None:
        """Index the words once; every claim then asks for its concepts' places."""
        self.starts, self.ends, self.lowers = starts, ends, lowers
        by_lower: defaultdict[str, list[int]] = defaultdict(list)
        for position, lower in enumerate(lowers):
            by_lower[lower].append(position)
        self.by_lower: dict[str, list[int]] = dict(by_lower)
        self._lowers = sorted(by_lower)
        self._candidates: dict[str, list[int]] = {}
        self._candidate_sets: dict[str, frozenset[int]] = {}

    #: Whether a line break ends a sentence (text from Office files) or not (YAML).
    lines_are_paragraphs = False

    @classmethod
    def of(cls, text: str, *, lines_are_paragraphs: bool = False) -> TextIndex:
        """Find the words of ``text`` and their lower case, and index them."""
        lowered = text.lower()
        if len(lowered) == len(text):  # lower-casing kept every offset: split the lower-case text
            # Words and the text between them alternate; their running lengths are the offsets.
            parts = _WORD_SPLIT.split(lowered)
            bounds = list(itertools.accumulate(map(len, parts)))
            starts, ends, lowers = bounds[0:-1:2], bounds[1::2], parts[1::2]
        else:
            found = [(match.start(), match.end(), match.group().lower()) for match in _WORD.finditer(text)]
            starts = [start for start, _, _ in found]
            ends = [end for _, end, _ in found]
            lowers = [lower for _, _, lower in found]
        # Spoken forms read as their written words: "e" is "är", "me" "med", "nån" "någon".
        lowers = [SPOKEN.get(lower, lower) for lower in lowers]
        index = cls(starts, ends, lowers)
        index.lines_are_paragraphs = lines_are_paragraphs
        return index

    def candidates(self, part: str) -> list[int]:
        """Positions where the first word of a term can match, looked up once per text."""
        found = self._candidates.get(part)
        if found is None:
            found = self._candidates[part] = sorted(self._candidates_of(part))
        return found

    def candidate_set(self, part: str) -> frozenset[int]:
        """The candidates as a set, for checking the later words of a phrase."""
        found = self._candidate_sets.get(part)
        if found is None:
            found = self._candidate_sets[part] = frozenset(self.candidates(part))
        return found

    def _candidates_of(self, part: str) -> list[int]:
        if part.startswith("!"):
            return [position for form in short_forms(part[1:]) for position in self.by_lower.get(form, ())]
        if part.startswith("="):
            wanted = part[1:]
            # The stem itself, or one a letter or two longer ("ärend" also finds "ärenden").
            slack = STEM_SLACK if len(wanted) >= MIN_STEM_FOR_SLACK else 0
            found = [
                position
                for key in _starting_with(self._lowers, wanted)
                if _stem_fits(stem(key.split(":", 1)[0]), wanted, slack)  # "SIP:en" is stemmed as "SIP"
                for position in self.by_lower[key]
            ]
            return found + self._misspelt(wanted)

        if not part.startswith("*"):  # "beställ*": a prefix of the written word, or a slip from it
            prefix = part.rstrip("*")
            return [
                position for key in _starting_with(self._lowers, prefix) for position in self.by_lower[key]
            ] + self._misspelt(prefix)
        core = part.strip("*")
        if part.endswith("*"):  # "*möte*": anywhere in the word
            keys = [key for key in self._lowers if core in key]
        else:  # "*forum": the end of the word
            keys = [key for key in self._lowers if key.endswith(core)]
        return [position for key in keys for position in self.by_lower[key]]

    def _misspelt(self, wanted: str) -> list[int]:
        """Words one slip away from a long stem: a letter left out or two swapped ("samtyke", "diagons").

        The first letters are kept (a slip rarely falls there), so the few variants are looked
        up in the sorted words like the stem itself; a word the stem itself begins is no slip.
        """
        if len(wanted) < TYPO_FROM:
            return []
        found = []
        for variant in slips(wanted):
            for key in _starting_with(self._lowers, variant):
                if not key.startswith(wanted) and len(key) >= TYPO_FROM + 1 and len(key) - len(variant) <= 5:
                    found.extend(self.by_lower[key])
        return found

    def chunk_of(self, text: str) -> list[int]:
        """Per word, its chunk: the text between two breaks that always end a sentence, found once.

        A blank line (in YAML) or a line break (in Office text) always ends a sentence, so
        a claim first finds the chunks holding all its concepts and splits only those into
        sentences.
        """
        cached = getattr(self, "_chunk_of", None)
        if cached is None:
            breaks = [match.end() for match in (_LINE if self.lines_are_paragraphs else _BLANK_LINE).finditer(text)]
            self._chunk_chars = [0, *breaks, len(text)]
            edges = [0, *(_bisect(self.starts, offset) for offset in breaks), len(self.starts)]
            cached = [0] * len(self.starts)
            for chunk, (first, last) in enumerate(itertools.pairwise(edges)):
                cached[first:last] = [chunk] * (last - first)
            self._chunk_of = cached
            self._chunk_sentences: dict[int, list[tuple[int, int, int, int]]] = {}
        return cached

    def sentences_in(self, text: str, chunk: int) -> list[tuple[int, int, int, int]]:
        """(first word, end word, start, end) of each sentence of a chunk."""
        self.chunk_of(text)
        found = self._chunk_sentences.get(chunk)
        if found is None:
            base, end = self._chunk_chars[chunk], self._chunk_chars[chunk + 1]
            found = []
            for start, stop in sentences(text[base:end], lines_are_paragraphs=self.lines_are_paragraphs):
                first, last = _bisect(self.starts, base + start), _bisect(self.starts, base + stop)
                if first < last:
                    found.append((first, last, base + start, base + stop))
            self._chunk_sentences[chunk] = found
        return found


def sentences(text: str, *, lines_are_paragraphs: bool = False) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence; a full stop after a Swedish abbreviation does not end one.

    In YAML a line break may fall mid-sentence, so only a blank line ends one there;
    ``lines_are_paragraphs`` (text from a slide or a document) ends one at every line.
    """
    start = 0
    for match in (_PARAGRAPH_END if lines_are_paragraphs else _SENTENCE_END).finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last = before[-1].lower() if before else ""
        if match.group().startswith(".") and (last in ABBREVIATIONS or last.rstrip(".") in ABBREVIATIONS):
            continue
        if (
            match.group().startswith(".")
            and last[-1:].isdigit()
            and text[match.end() : match.end() + 2].strip()[:1].isdigit()
        ):
            continue  # "2 kap. 7 §", "1. 2." lists keep going
        yield start, match.end()
        start = match.end()
    if text[start:].strip():
        yield start, len(text)


def _stem_fits(found: str, wanted: str, slack: int) -> bool:
    return found.startswith(wanted) and len(found) - len(wanted) <= slack


def _starting_with(keys: list[str], prefix: str) -> Iterator[str]:
    """The keys of a sorted list that start with ``prefix``."""
    at = bisect.bisect_left(keys, prefix)
    while at < len(keys) and keys[at].startswith(prefix):
        yield keys[at]
        at += 1


def _bisect(starts: list[int], offset: int) -> int:
    return bisect.bisect_left(starts, offset)
