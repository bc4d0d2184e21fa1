"""The text of a quiz answer: the right option, then the explanation, never the answer twice.

Pure: the answer key ("Rätt svar: Ja. …") and ``quiz/repeats-answer`` share it.
"""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[^\w\s]")
#: The first clause of an explanation: up to the first full stop, comma, colon, semicolon or dash.
_FIRST_CLAUSE = re.compile(r"^\s*([^.!?,:;–—]+)[.!?,:;–—]+\s*")


def normalised(text: str) -> str:
    """Lower case, punctuation and spacing removed, so small differences do not hide a repeat."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def repeated_answer(right: str, explanation: str) -> str | None:
    """The explanation's opening clause when it only repeats the right option ("Ja." after "Rätt svar: Ja.")."""
    first = _FIRST_CLAUSE.match(explanation)
    if first is None or not normalised(right):
        return None
    return first.group(1).strip() if normalised(first.group(1)) == normalised(right) else None


def explanation_after(right: str, explanation: str) -> str:
    """The explanation without an opening clause that repeats the right option, capitalised again."""
    if repeated_answer(right, explanation) is None:
        return explanation
    match = _FIRST_CLAUSE.match(explanation)
    rest = explanation[match.end() :] if match else explanation
    return rest[:1].upper() + rest[1:] if rest else rest


__all__ = ["explanation_after", "normalised", "repeated_answer"]
