"""The claim language: misconceptions as concepts that meet in one sentence, not as regexes.

A claim names *concepts*, each a set of words, and *when* they make the misconception:
all of a group's concepts in one sentence (or within a window of words, in order where
the claim says so), and no negation governing them. Words are compared by their stem
(Snowball's Swedish stemmer), so "ärende", "ärenden" and "ärendena" are one word and a
claim lists "komplex", "komplicerad" and "sammansatt" as one concept. A term with ``*``
matches the written word instead (``beställ*`` also covers "beställningsforum"), and so
does a word of four letters or fewer ("för" must not match "före").

Every match says which words made it, so a maintainer can see why a sentence was
flagged, and a claim is written in YAML without code.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from vastbus_cli.claimtext import EXACT_BELOW, SLIP_KEEPS, TYPO_FROM, TextIndex, stem
from vastbus_cli.phrases import FRAMING_AFTER, FRAMING_BEFORE, FRAMING_NEXT

#: Words that turn a statement around when they govern it.
NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig", "ingen", "inget", "inga", "varken", "knappast"})
#: A "no" later in the clause turns a statement around ("utan samtycke blir det ingen SIP").
LATER_NEGATIONS = frozenset({"ingen", "inget", "inga"})
LATER_REACH = 3
#: A clause opening with these gives the reason or the consequence the claim is said in ("…, för då
#: måste vi leda mötet"): a negation only in the clause before governs something else.
BECAUSE = frozenset({"för", "så", "då", "eftersom", "därför", "men", "utan", "det"})
#: A clause this short that opens with a negation after a comma is a contrast: "…, inte hos skolan".
CONTRAST_WORDS = 3
#: "inte bara", "inte minst": the negation widens the statement, it does not turn it around.
NOT_ONLY = frozenset({"bara", "endast", "enbart", "minst", "heller", "alltid"})
#: "utan att" negates what follows it ("SIP kan ges utan att barnet har en diagnos").
NEGATING_PHRASES = (("utan", "att"),)
#: How far a negation reaches: words before the first matched word, and after the last.
NEGATION_BEFORE, NEGATION_AFTER = 2, 1
#: A negation that must govern one concept ("kan inte få en SIP") may stand a word further off.
GOVERNING_BEFORE = 3


@dataclass(frozen=True)
class Term:
    """One word of a concept: a stem, or a written pattern with ``*``; several words are a phrase."""

    parts: tuple[str, ...]
    written: str

    @classmethod
    def parse(cls, written: str) -> Term:
        """A term as written in YAML: "bara", "beställ*", "*forum", "utan att"."""
        parts = tuple(part.lower() for part in written.split())
        return cls(tuple(_part(part) for part in parts), written)


def _part(written: str) -> str:
    """How one word of a term is matched: "=stem", "!word" (as written) or a * pattern."""
    if "*" in written:
        return written
    if len(written) < EXACT_BELOW:
        return "!" + written
    return "=" + stem(written)


@dataclass(frozen=True)
class Group:
    """Concepts that together make the misconception."""

    concepts: tuple[str, ...]
    within: int | None = None  # words from the first to the last matched word; None: the sentence
    ordered: bool = False
    #: The misconception is itself a negative statement ("samtycke behövs inte"): True requires a
    #: negation near the matched words, a concept name one governing that concept ("ingen SIP").
    negated: bool | str = False
    unless: tuple[str, ...] = ()  # concepts that turn the group off anywhere in the sentence ("förr", "tidigare")


@dataclass(frozen=True)
class ConceptMatch:
    """Where a claim matched in one text, and the words that made it."""

    start: int
    end: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class ConceptClaim:
    """A compiled claim: its concepts and the groups that make it."""

    concepts: dict[str, tuple[Term, ...]]
    groups: tuple[Group, ...]

    @classmethod
    def compile(cls, concepts: dict[str, list[str]], groups: Sequence[Group]) -> ConceptClaim:
        """Parse the terms once."""
        return cls({name: tuple(Term.parse(t) for t in terms) for name, terms in concepts.items()}, tuple(groups))

    @functools.cached_property
    def _cues(self) -> dict[str, tuple[str, ...]]:
        """Per concept, strings one of which every matching word contains (a stem is a word's beginning)."""
        return {name: tuple(_cue(part) for part in firsts) for name, firsts in self._firsts.items()}

    def might_match(self, lowered: str) -> bool:
        """False when some concept of every group is absent from the lower-cased text: no need to look closer."""
        cues = self._cues
        return any(
            all(any(cue in lowered for cue in cues.get(name, ())) for name in group.concepts) for group in self.groups
        )

    def find(self, text: str, index: TextIndex | None = None) -> Iterator[ConceptMatch]:
        """Every sentence of ``text`` the claim matches, with the matched words.

        ``text`` may be many texts joined with a full stop between them (see
        :meth:`RuleSet.matches_many`): only sentences holding every concept of a group
        are looked at, so the cost follows the places the concepts occur, not the text.
        """
        index = TextIndex.of(text) if index is None else index
        if not index.starts:
            return
        found = self._candidates(text, index)
        if found is None:
            return
        spans, candidates = found
        for chunk in sorted(candidates):
            said = index.sentences_in(text, chunk)
            for number, sentence in enumerate(said):
                match = self._match_in(text, index, spans, candidates[chunk], sentence)
                if (
                    match is None
                    and number
                    and (
                        _refers_back(index, sentence)
                        or _answers(text, sentence)
                        or _asked_short(text, index, said[number - 1])
                    )
                ):
                    # "Flickan klarar sig bra. Då finns det ingen anledning att samordna något."
                    before = said[number - 1]
                    joined = (before[0], sentence[1], before[2], sentence[3])
                    match = self._match_in(text, index, spans, candidates[chunk], joined)
                following = said[number + 1] if number + 1 < len(said) else None
                if match is not None and not _framed(text, sentence, match, following):
                    yield match

    @staticmethod
    def _match_in(
        text: str,
        index: TextIndex,
        spans: dict[str, list[tuple[int, int]]],
        groups: list[Group],
        sentence: tuple[int, int, int, int],
    ) -> ConceptMatch | None:
        """The first group one sentence (or a sentence and the one it refers back to) matches."""
        first, last = sentence[0], sentence[1]
        local = _SentencePlaces(spans, first, last)
        present = [g for g in groups if all(local[name] for name in g.concepts)]
        if not present:
            return None
        return _sentence_match(text, _context(text, index, *sentence), local, present)

    def _candidates(
        self, text: str, index: TextIndex
    ) -> tuple[dict[str, list[tuple[int, int]]], dict[int, list[Group]]] | None:
        """Each concept's places, and per chunk the groups whose every concept occurs in it; None if none."""
        # Set operations tell at C speed which concepts a text lacks; most texts lack one of every group.
        groups = [g for g in self.groups if all(self._present(name, index) for name in g.concepts)]
        if not groups:
            return None
        spans = {name: self._concept_spans(name, index) for g in groups for name in (*g.concepts, *g.unless)}
        groups = [g for g in groups if all(spans[name] for name in g.concepts)]
        if not groups:
            return None
        chunk_of = index.chunk_of(text)
        candidates: dict[int, list[Group]] = {}
        for group in groups:
            shared = set.intersection(*({chunk_of[start] for start, _ in spans[name]} for name in group.concepts))
            for chunk in shared:
                candidates.setdefault(chunk, []).append(group)
        return spans, candidates

    @functools.cached_property
    def _firsts(self) -> dict[str, tuple[str, ...]]:
        """Per concept, the first word of each of its terms."""
        return {name: tuple(dict.fromkeys(term.parts[0] for term in terms)) for name, terms in self.concepts.items()}

    def _present(self, name: str, index: TextIndex) -> bool:
        """Whether the text may hold the concept (the first word of one of its terms occurs)."""
        return any(index.candidates(part) for part in self._firsts.get(name, ()))

    def _concept_spans(self, name: str, index: TextIndex) -> list[tuple[int, int]]:
        """(first, end) of each place the concept matches; the longest match at each start ("utan att")."""
        single: set[int] = set()
        longest: dict[int, int] = {}
        for term in self.concepts.get(name, ()):
            positions = index.candidates(term.parts[0])
            if len(term.parts) == 1:
                single.update(positions)
                continue
            # A phrase: every later word must stand right after, checked against its own candidates.
            for offset, part in enumerate(term.parts[1:], start=1):
                if not positions:
                    break
                following = index.candidate_set(part)
                positions = [position for position in positions if position + offset in following]
            size = len(term.parts)
            for position in positions:
                longest[position] = max(position + size, longest.get(position, 0))
        if not longest:
            return [(position, position + 1) for position in sorted(single)]
        for position in single:
            longest.setdefault(position, position + 1)
        return sorted(longest.items())


#: Words a governing negation reaches past without counting them: articles, quantifiers, "egentlig".
LITTLE_WORDS = frozenset(
    {
        "en",
        "ett",
        "någon",
        "något",
        "några",
        "egentlig",
        "egentligt",
        "egentliga",
        "särskild",
        "särskilt",
        "alls",
        "ens",
        "har",
        "blivit",
        "varit",
        "mer",
        "speciellt",
        "tillräckligt",
        "riktigt",
        "så",
    }
)


#: A negation after these (or opening the clause) governs the rest of its clause: "Mötet är inte ett
#: ställe där …", "Vi tycker inte att …"; after a noun it governs its own verb only.
VERBS_BEFORE_NEGATION = frozenset(
    {
        "är",
        "var",
        "blir",
        "blev",
        "finns",
        "fanns",
        "tycker",
        "anser",
        "menar",
        "tror",
        "vill",
        "kan",
        "ska",
        "skall",
        "får",
        "bör",
        "behöver",
        "måste",
        "gör",
        "har",
        "hade",
        "handlar",
        "betyder",
        "innebär",
        "gäller",
    }
)


#: How far a negation before its verb ("inte är", "aldrig kan") reaches in a subordinate clause.
SUBORDINATE_REACH = 5


def _reaches_back(lowers: list[str], first: int, start: int) -> bool:
    """Whether a negation between the clause's start and the claim's first word governs the claim."""
    for index in range(start, first):
        if lowers[index] in NEGATIONS:
            if index == start or lowers[index - 1] in VERBS_BEFORE_NEGATION:
                return True
            # In a subordinate clause the negation stands before its verb ("att mötet inte är ett
            # beställningsforum"): it governs what follows the verb, a few words on.
            following = index + 1 < len(lowers) and lowers[index + 1] in VERBS_BEFORE_NEGATION
            return following and first - index <= SUBORDINATE_REACH
    return True


def _little_words(lowers: list[str], at: int, count: int) -> int:
    """How many little words stand among the ``count`` words before ``at`` (and so extend the reach)."""
    extra, position, seen = 0, at - 1, 0
    while position >= 0 and seen < count:
        if lowers[position] in LITTLE_WORDS:
            extra += 1
        else:
            seen += 1
        position -= 1
    return extra


def _asked_short(text: str, index: TextIndex, before: tuple[int, int, int, int]) -> bool:
    """Whether the sentence before is a question of a few words, as on a slide ("Samtycke? Ej nödvändigt.")."""
    return before[1] - before[0] <= SHORT_QUESTION and text[before[2] : before[3]].rstrip().endswith("?")


_SAYS_NO = re.compile(r"svar\s*:?\s*(?:nej|nä|fel)\b")


def _answers(text: str, sentence: tuple[int, int, int, int]) -> bool:
    """Whether a sentence is the answer to the question before it ("Svar: Västbus riktlinjer …"), not a "Nej"."""
    said = text[sentence[2] : sentence[3]].lower().lstrip(" •-–*\t")
    return said.startswith("svar") and not _SAYS_NO.match(said)


def _refers_back(index: TextIndex, sentence: tuple[int, int, int, int]) -> bool:
    """Whether a sentence opens with a word pointing back ("Då …", "Det …") or does "det" again ("göra det")."""
    words = index.lowers[sentence[0] : sentence[1]]
    if not words:
        return False
    return (
        words[0] in ANAPHORS
        or any(word in CONSEQUENCE for word in words[:4])
        or any(a == "göra" and b == "det" for a, b in itertools.pairwise(words))
    )


def _framed(
    text: str, sentence: tuple[int, int, int, int], match: ConceptMatch, following: tuple[int, int, int, int] | None
) -> bool:
    """Whether the misconception is quoted to be refuted: "Det är en myt att …", "… men så är det inte", "Nej, …".

    The cues are phrases of Swedish, declared in :mod:`vastbus_cli.phrases` (``FRAMING_*``).
    """
    before = text[sentence[2] : match.end].lower()  # up to the match's end: "Under Västbustiden …" names it
    after = text[match.end : sentence[3]].lower()
    if any(p.search(before) for p in FRAMING_BEFORE) or any(p.search(after) for p in FRAMING_AFTER):
        return True
    if following is not None:
        upcoming = text[following[2] : following[3]].lower().lstrip()
        if any(p.match(upcoming) for p in FRAMING_NEXT):
            return True
    return False


def _cue(part: str) -> str:
    """What every word a term's first part matches contains: a long stem's first letters (a slip may follow)."""
    core = part.lstrip("=!").strip("*")
    if (part.startswith("=") or (part.endswith("*") and not part.startswith("*"))) and len(core) >= TYPO_FROM:
        return core[:SLIP_KEEPS]
    return core


class _SentencePlaces(dict[str, list[tuple[int, int]]]):
    """A concept's places inside one sentence, counted from its first word; found when first asked for."""

    def __init__(self, spans: dict[str, list[tuple[int, int]]], first: int, last: int) -> None:
        super().__init__()
        self.spans, self.first, self.last = spans, first, last

    def __missing__(self, name: str) -> list[tuple[int, int]]:
        found = self[name] = _within(self.spans[name], self.first, self.last)
        return found


def _within(spans: list[tuple[int, int]], first: int, last: int) -> list[tuple[int, int]]:
    """The spans inside words ``first``..``last``, counted from ``first``."""
    at = bisect.bisect_left(spans, (first, 0))
    inside = []
    while at < len(spans) and spans[at][0] < last:
        if spans[at][1] <= last:
            inside.append((spans[at][0] - first, spans[at][1] - first))
        at += 1
    return inside


def _sentence_match(text: str, context: _Context, local: _SentencePlaces, present: list[Group]) -> ConceptMatch | None:
    """The first group (in order) the sentence matches, and the words it matched; None if none does."""
    starts, ends = context.starts, context.ends
    for group in present:
        if any(local[name] for name in group.unless):
            continue
        chosen = _choose([local[name] for name in group.concepts], group, context)
        if chosen is not None:
            picked = sorted(chosen, key=lambda span: span[0])
            return ConceptMatch(
                starts[picked[0][0]],
                ends[picked[-1][1] - 1],
                tuple(text[starts[a] : ends[b - 1]] for a, b in picked),
            )
    return None


def _context(text: str, index: TextIndex, first: int, last: int, sentence_start: int, sentence_end: int) -> _Context:
    question = text[sentence_start:sentence_end].rstrip().rstrip('"”’)').endswith("?")
    starts, ends, lowers = index.starts[first:last], index.ends[first:last], index.lowers[first:last]
    # A clause starts after a comma, semicolon, colon or dash, or at a clause word: "inte" reaches to its end.
    clauses = [0] + [
        position
        for position in range(1, len(lowers))
        if lowers[position] in CLAUSE_WORDS or _CLAUSE_BREAK.search(text, ends[position - 1], starts[position])
    ]
    opening = next((i for i in clauses if i < len(lowers) and lowers[i] in SOME), None)
    if opening is not None:
        # "Någon skyldighet att komma har vi inte", "…, något ja behöver vi inte": the negation at the
        # end governs the noun that opens the clause.
        later = next((i for i in range(opening + 1, len(lowers)) if lowers[i] in NEGATIONS), None)
        if later is not None:
            lowers = [*lowers[:opening], "ingen", *lowers[opening + 1 : later], "·", *lowers[later + 1 :]]
    # "Varför ska vi be om samtycke när vi ändå har anmält?" says it is not needed.
    presupposes = (
        question
        and bool(lowers)
        and lowers[0] in ASKING
        and any(w in MODALS for w in lowers[1:4])
        and (lowers[0] != "vad" or "göra" in lowers)
    )
    if presupposes and "om" in lowers:
        # "Vad ska vi där att göra om vi inte får beställa?": the negation in the condition is the question's.
        at = lowers.index("om")
        lowers = [*lowers[:at], *("·" if w in NEGATIONS else w for w in lowers[at:])]
    return _Context(starts, ends, lowers, question, clauses, presupposes)


@dataclass(frozen=True)
class _Context:
    starts: list[int]  # the sentence's words: offsets and lower case
    ends: list[int]
    lowers: list[str]
    question: bool
    clauses: list[int]  # indices of the words that start a clause
    #: A question that asks why something should be done, and so says it need not be.
    presupposes: bool = False

    def clause_start(self, index: int) -> int:
        return self.clauses[bisect.bisect_right(self.clauses, index) - 1]


_CLAUSE_BREAK = re.compile(r"[,;:–—(.!?…]")
#: Words that open a clause of its own: a negation before them does not reach past them.
CLAUSE_WORDS = frozenset({"eftersom", "men", "fast", "medan", "när", "därför"})
#: A sentence opening with these and negated later says there is none ("Någon rätt att kalla har vi inte").
SOME = frozenset({"någon", "något", "några", "nån", "nåt"})
#: A question opening with these and a modal verb presupposes the thing is not needed.
WHY = frozenset({"varför", "vafför", "vaför"})
ASKING = WHY | {"vad"}
MODALS = frozenset({"ska", "skall", "skulle", "måste", "behöver", "bör", "borde", "behövs"})
#: A question this short is a heading its answer belongs to ("Grav problematik? Om nej – …").
SHORT_QUESTION = 4
#: A sentence with one of these among its first words draws a consequence from the one before.
CONSEQUENCE = frozenset({"därmed", "därför", "alltså", "följaktligen"})
#: A sentence opening with these refers back to the one before it: the two are read as one.
ANAPHORS = frozenset({"då", "där", "det", "så", "dessa", "sådana", "den", "dom", "de", "hon", "han", "hen"})


def _choose(places: list[list[tuple[int, int]]], group: Group, context: _Context) -> list[tuple[int, int]] | None:
    """One span per concept, distinct, within the window and order, with negation as the group wants."""
    best: list[tuple[int, int]] | None = None

    def walk(chosen: list[tuple[int, int]], depth: int) -> bool:
        nonlocal best
        if depth == len(places):
            if _fits(chosen, group, context):
                best = list(chosen)
                return True
            return False
        for span in places[depth]:
            if any(span[0] < other[1] and other[0] < span[1] for other in chosen):
                continue
            if group.ordered and chosen and span[0] < chosen[-1][1]:
                continue
            chosen.append(span)
            if walk(chosen, depth + 1):
                return True
            chosen.pop()
        return False

    # A few concepts with a few places each: trying the combinations is cheap, and stops at the first.
    walk([], 0)
    return best


def _fits(chosen: list[tuple[int, int]], group: Group, context: _Context) -> bool:
    lowers = context.lowers
    first = min(span[0] for span in chosen)
    last = max(span[1] for span in chosen)
    if group.within is not None and last - first > group.within:
        return False
    covered = {index for span in chosen for index in range(*span)}
    # "Är det inte bara …?", "Kan vi inte …?": a negation right after the opening verb of a
    # question asks for agreement; it does not turn the statement around.
    rhetorical = {1, 2} if context.question else set()
    if group.negated and context.presupposes:
        return True
    if isinstance(group.negated, str):
        span = chosen[list(group.concepts).index(group.negated)]
        # The negation stands just before what it governs ("kan inte få en SIP"), in the same clause;
        # articles and little words between do not count ("inget egentligt skäl för en SIP").
        reach = GOVERNING_BEFORE + _little_words(lowers, span[0], GOVERNING_BEFORE)
        after = NEGATION_AFTER if span[1] not in context.clauses else 0  # "SIP inte …", not "SIP, varken …"
        return _negated(
            lowers,
            span[0],
            span[1],
            covered | rhetorical,
            reach,
            after,
            floor=context.clause_start(span[0]),
            asked=True,
        )
    # "Mötet är inte ett ställe där man beställer …": a negation earlier in the same clause
    # governs what follows it; one in another clause ("Vi vill inte kalla, för då …") does not.
    start = context.clause_start(first)
    if not _reaches_back(lowers, first, start):
        # "Om barnet inte är listat hos oss kan ni strunta i kallelsen": the negation belongs to its own verb.
        start = max(start, first - NEGATION_BEFORE)
    tail = context.clause_start(last - 1)
    widening = tail + 1 < len(lowers) and lowers[tail + 1] in NOT_ONLY
    contrast = tail > first and lowers[tail] in NEGATIONS and last - tail <= CONTRAST_WORDS and not widening
    if contrast and not group.negated:
        # "… är skolans sak att avgöra, inte vårdnadshavarnas": a contrast the claim itself makes.
        covered = covered | {tail}
    in_tail = sum(1 for span in chosen if span[0] >= tail)
    if tail != context.clause_start(first) and in_tail * 2 >= len(chosen) and lowers[tail] in BECAUSE:
        # Most of the words are in the last of two clauses: the claim is said there ("Vi vill inte kalla,
        # för då måste vi leda mötet"); a negation only in the first clause governs something else.
        start = tail
    reach = max(NEGATION_BEFORE, first - start)
    after = NEGATION_AFTER if last not in context.clauses else 0
    if not group.negated:
        # "… utan samtycke blir det ingen SIP": a "no" later in the same clause turns the statement around.
        end = min(next((c for c in context.clauses if c > last - 1), len(lowers)), last + LATER_REACH)
        if any(lowers[i] in LATER_NEGATIONS for i in range(last, end)):
            return False
    negated = _negated(
        lowers,
        first,
        last,
        covered | rhetorical,
        reach if not group.negated else NEGATION_BEFORE,
        after,
        floor=start if not group.negated else 0,
        asked=bool(group.negated),
    )
    return negated if group.negated else not negated


def _negated(
    lowers: list[str],
    first: int,
    last: int,
    skipped: set[int],
    before: int = NEGATION_BEFORE,
    after: int = NEGATION_AFTER,
    *,
    floor: int = 0,
    asked: bool = False,
) -> bool:
    """Whether a negation governs the words from ``first`` to ``last``.

    ``floor`` is the first word a negation may stand at: the start of the clause. ``asked``:
    the claim needs the negation, and "inte bara" ("not only") is never the one it needs.
    """
    low = max(floor, first - before)
    high = min(len(lowers), last + after)
    for index in range(low, high):
        if index in skipped:
            continue
        word = lowers[index]
        widens = asked and index + 1 < len(lowers) and lowers[index + 1] in NOT_ONLY and index + 1 not in skipped
        if word in NEGATIONS and not widens:
            return True
        for phrase in NEGATING_PHRASES:
            if tuple(lowers[index : index + len(phrase)]) == phrase and index < last:
                return True
    return False
