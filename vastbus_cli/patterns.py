"""Term and claim patterns: compiled the way they are matched, with their cost bounded.

A leaf module: the models validate patterns with it and the rule engine
(:mod:`vastbus_cli.textrules`) compiles them with it, so neither imports the other.
"""

from __future__ import annotations

import re
from typing import Any

_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<!\\)[A-ZÅÄÖ]")
#: Largest product of nested counted repeats: ``regex`` unrolls ``(?:a{1000}){1000}`` while
#: compiling (0.4 s) and one more level never finishes; 10 000 compiles in a few milliseconds.
MAX_REPEAT_PRODUCT = 10_000
#: Longer patterns are refused: compiling takes ~1 s per 100 000 characters.
MAX_PATTERN_LENGTH = 5_000


class PatternError(ValueError):
    """A pattern does not compile, or would take too long to."""


def compile_pattern(source: str) -> Any:
    """Compile a term or claim pattern the way it is matched: against lower-cased text.

    Case-insensitive Unicode matching is several times slower; matching lower-cased
    text with a case-sensitive pattern gives the same result when the pattern itself
    has no upper-case letters. Compiled patterns come from ``regex``'s cache, so the
    schema's validation and the rules share one compilation.

    Raises:
        PatternError: the pattern is invalid, or its nested repeats are too large.
    """
    if len(source) > MAX_PATTERN_LENGTH:
        raise PatternError(
            f"the pattern is {len(source)} characters long (limit {MAX_PATTERN_LENGTH}); split it into several"
        )
    product = repeat_product(source)
    if product > MAX_REPEAT_PRODUCT:
        raise PatternError(
            f"nested repeat counts multiply to {product} (limit {MAX_REPEAT_PRODUCT}); use smaller {{n}} repeats"
        )
    # Imported when a pattern is compiled, not when a command starts (--version, --help).
    import regex

    flags = regex.IGNORECASE | regex.UNICODE if _UPPER_OUTSIDE_ESCAPES.search(source) else 0
    try:
        return regex.compile(source, flags)
    except regex.error as error:
        raise PatternError(str(error)) from None
    except RecursionError:  # the parser recurses once per open group
        raise PatternError("its groups are nested too deeply") from None


_COUNTED = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def repeat_product(source: str) -> int:
    """The largest product of counted repeats (``{n}``, ``{n,m}``) nested inside each other."""
    frames = [[1, 1]]  # per open group: [largest cost inside, cost of the last item]
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            pos += 2
            if source[pos - 1 : pos] in ("p", "P", "N", "x", "u", "U", "g") and source[pos : pos + 1] == "{":
                pos = source.find("}", pos) + 1 or len(source)
            frames[-1][1] = 1
            continue
        if char == "[":
            pos = _class_end(source, pos)
            frames[-1][1] = 1
            continue
        counted = _COUNTED.match(source, pos) if char == "{" else None
        if counted and (counted.group(1) or counted.group(2)):
            bound = max(int(counted.group(1) or 0), int(counted.group(2) or 0))
            frames[-1][1] *= max(bound, 1)
            frames[-1][0] = max(frames[-1][0], frames[-1][1])
            pos = counted.end()
            continue
        if char == "(":
            frames.append([1, 1])
        elif char == ")" and len(frames) > 1:
            inner = frames.pop()[0]
            frames[-1][0] = max(frames[-1][0], inner)
            frames[-1][1] = inner
        elif char not in "*+?|":
            frames[-1][1] = 1
        pos += 1
    return max(frame[0] for frame in frames)


def _class_end(source: str, pos: int) -> int:
    """The position after the character class that starts at ``pos``."""
    pos += 1
    if source[pos : pos + 1] == "^":
        pos += 1
    if source[pos : pos + 1] == "]":
        pos += 1
    while pos < len(source) and source[pos] != "]":
        if source[pos] == "\\":
            pos += 1
        elif source.startswith("[:", pos):
            end = source.find(":]", pos + 2)
            pos = end + 1 if end != -1 else pos
        pos += 1
    return pos + 1
