"""What a vastbus build recorded in a file, and what an edit added to it since.

Every file ``build`` writes lists its blocks (slides, notes pages, paragraphs, tables) in a
custom XML part (:func:`vastbus_cli.render.package.blocks_xml`): each block's fingerprint,
the rules it quotes on purpose (``discusses``) and, in decks, its text as built. The build
checked that text against the edition stamped in the file, so ``scan`` of an edited copy
judges only what the edit brought in (:func:`compare`):

- a block whose text is still somewhere in the file is unchanged and not judged;
- in a changed block, a line (a title, a bullet, a paragraph) the build already had is not
  judged; the other lines are, and what the built lines they replaced already matched (an
  older edition's name on a history slide whose typo was fixed) is not evidence;
- a block the build did not have (a slide added by hand) is judged whole, and a deleted
  one adds nothing.

Where the build recorded only fingerprints (the handout and guide, and files built before
the text was recorded), a changed block is judged whole, without what it quotes on purpose.

Pure: it reads nothing; ``scan`` gives it the record (:func:`vastbus_cli.officetext.recorded_blocks`)
and the text read back.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from vastbus_cli.officetext import RecordedBlock, TextPiece
from vastbus_cli.texthash import block_sha

#: A line found in more blocks than this (a footer on every slide) does not pair blocks.
COMMON_LINE_BLOCKS = 3
#: A changed block with no line in common with a built block is paired with one whose text is
#: at least this similar (difflib's ratio), compared with at most ``FUZZY_CANDIDATES`` built
#: blocks nearby and ``FUZZY_CHARS`` characters of each, and ``FUZZY_BUDGET`` times per file.
FUZZY_RATIO = 0.6
FUZZY_CANDIDATES = 8
FUZZY_CHARS = 2000
FUZZY_BUDGET = 200
#: Built text matched per file to see what the replaced lines already said; beyond it a changed
#: line is judged without that allowance (more evidence, never less).
MAX_BASELINE_CHARS = 2_000_000


@dataclass(frozen=True)
class BuiltBlock:
    """One block as the build recorded it."""

    location: str
    sha: str
    discusses: tuple[str, ...] = ()
    #: The text as built; None where the build recorded only the fingerprint.
    text: str | None = None

    @property
    def kind(self) -> str:
        """'slide #', 'notes of slide #', 'paragraph #', 'table #', 'header', 'footer'."""
        return _kind(self.location)


@dataclass(frozen=True)
class Judged(TextPiece):
    """Text of an edited built file to judge, with what the built text it replaced already said."""

    #: The built lines this text replaced: a match there is not evidence when it recurs here.
    baseline: str = ""
    #: Rules the built block quotes on purpose (for records without text): never evidence here.
    quoted: tuple[str, ...] = ()


@dataclass
class Comparison:
    """An edited built file next to its record."""

    #: What to judge, in document order.
    judged: list[Judged] = field(default_factory=list)
    #: The blocks whose text is not in the record, in document order.
    changed: list[str] = field(default_factory=list)
    #: The built blocks whose text is gone and that no changed block replaced.
    removed: list[str] = field(default_factory=list)
    #: Blocks whose text is as built.
    unchanged: int = 0
    #: Lines judged: those the edit added or changed (a block without recorded text counts whole).
    lines: int = 0


def record_of(blocks: list[RecordedBlock]) -> list[BuiltBlock] | None:
    """The record as blocks; None when it cannot be trusted (then everything is judged).

    It cannot when a block has no location or fingerprint, or text that is not what its
    fingerprint says.
    """
    record = []
    for location, sha, discusses, text in blocks:
        if not location or not sha or (text is not None and block_sha(text) != sha):
            return None
        record.append(BuiltBlock(location, sha, discusses, text))
    return record


def compare(record: list[BuiltBlock], pieces: Iterable[TextPiece]) -> Comparison:
    """What to judge of the text read back (``pieces``), given what the build recorded."""
    read = list(pieces)
    built_shas = {block.sha for block in record}
    shas = [block_sha(piece.text) for piece in read]
    result = Comparison()
    changed = [
        (position, piece) for position, (piece, sha) in enumerate(zip(read, shas, strict=True)) if sha not in built_shas
    ]
    result.unchanged = len(read) - len(changed)
    present = set(shas)
    gone = [i for i, block in enumerate(record) if block.sha not in present]
    if not changed:  # nothing to pair: the usual case, a file as built
        result.removed = [record[i].location for i in gone]
        return result
    pairing = _Pairing(record, gone)
    for position, piece in changed:
        result.changed.append(piece.location)
        judged = pairing.judge(piece, position)
        if judged is not None:
            result.judged.append(judged)
            result.lines += len(_lines(judged.text))
    result.removed = [record[i].location for i in gone if i not in pairing.used]
    return result


class _Pairing:
    """Finds, for each changed block, the built block it was made from."""

    def __init__(self, record: list[BuiltBlock], gone: list[int]) -> None:
        self.record = record
        #: Built blocks whose text is no longer in the file: edited or deleted.
        self.gone = gone
        self.used: set[int] = set()
        self.lines = [_line_set(block.text) if block.text is not None else frozenset() for block in record]
        #: Every line the build wrote, anywhere in the file: none of them is new text.
        self.built_lines = frozenset().union(*self.lines) if self.lines else frozenset()
        #: line -> the built blocks that have it (each block once).
        self.blocks_with: dict[str, list[int]] = {}
        for i, lines in enumerate(self.lines):
            for line in lines:
                self.blocks_with.setdefault(line, []).append(i)
        self.gone_set = set(self.gone)
        self.by_location = {block.location: i for i, block in enumerate(record)}
        self.fuzzy_left = FUZZY_BUDGET
        self.baseline_left = MAX_BASELINE_CHARS

    def judge(self, piece: TextPiece, position: int) -> Judged | None:
        """What to judge of one changed block; None when the edit only removed or moved lines."""
        same_place = self.by_location.get(piece.location)
        if same_place is not None and self.record[same_place].text is None:
            # Recorded without text: judged whole, less what the built block quotes on purpose.
            self.used.add(same_place)
            return Judged(piece.location, piece.text, quoted=self.record[same_place].discusses)
        base = self._baseline(piece, position)
        lines = _lines(piece.text)
        if base is None:
            return Judged(piece.location, piece.text) if lines else None
        self.used.add(base)
        new = [line for line in lines if _normal(line) not in self.built_lines]
        if not new:
            return None
        mine = {_normal(line) for line in lines}
        replaced = "\n".join(line for line in _lines(self.record[base].text or "") if _normal(line) not in mine)
        if len(replaced) > self.baseline_left:
            replaced = ""
        self.baseline_left -= len(replaced)
        return Judged(piece.location, "\n".join(new), baseline=replaced)

    def _baseline(self, piece: TextPiece, position: int) -> int | None:
        """The built block this one was made from: sharing a distinctive line, else much alike, else None."""
        kind = _kind(piece.location)

        def closeness(i: int) -> tuple[bool, int]:
            return (self.record[i].location == piece.location, -abs(i - position))

        def free(i: int) -> bool:
            block = self.record[i]
            return i in self.gone_set and i not in self.used and block.kind == kind and block.text is not None

        # Lines found in few built blocks (not a footer on every slide) say where a block came from.
        shared: dict[int, int] = {}
        distinctive = 0
        for line in _line_set(piece.text):
            holders = self.blocks_with.get(line, ())
            if len(holders) <= COMMON_LINE_BLOCKS:
                distinctive += 1
                for i in holders:
                    shared[i] = shared.get(i, 0) + 1
        best = max(((n, closeness(i), i) for i, n in shared.items() if free(i)), default=None)
        if best is not None:
            return best[2]
        same = self.by_location.get(piece.location)
        nearby = {
            i for i in range(position - FUZZY_CANDIDATES, position + FUZZY_CANDIDATES + 1) if 0 <= i < len(self.record)
        }
        nearby |= {same} if same is not None else set()
        for i in sorted((i for i in nearby if free(i)), key=closeness, reverse=True):
            if self.fuzzy_left <= 0:
                break
            self.fuzzy_left -= 1
            if _similar(piece.text, self.record[i].text or ""):
                return i
        # A copy of a built block still in the file (a duplicated slide, then edited): most lines shared.
        copies = [
            (n, closeness(i), i) for i, n in shared.items() if self.record[i].kind == kind and self.record[i].text
        ]
        best = max(copies, default=None)
        return best[2] if best is not None and best[0] >= max(2, (distinctive + 1) // 2) else None


def _similar(a: str, b: str) -> bool:
    matcher = difflib.SequenceMatcher(None, a[:FUZZY_CHARS], b[:FUZZY_CHARS], autojunk=False)
    return (
        matcher.real_quick_ratio() >= FUZZY_RATIO
        and matcher.quick_ratio() >= FUZZY_RATIO
        and (matcher.ratio() >= FUZZY_RATIO)
    )


def _kind(location: str) -> str:
    return re.sub(r"\d+", "#", location)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _normal(line: str) -> str:
    return " ".join(line.split())


def _line_set(text: str | None) -> frozenset[str]:
    return frozenset(_normal(line) for line in _lines(text or ""))
