r"""Text from other people's files made safe to show and to write: one helper per output kind.

File names, YAML keys and values, document text and messages quoting them can hold
anything: a terminal escape (``\x1b]0;…\x07`` retitles the window, ``\x1b[2J`` clears it),
a newline that starts what looks like a second finding, or a file name byte that is not
UTF-8. Pure functions; every module may import this one.
"""

from __future__ import annotations

import json
import re
import unicodedata

#: Control characters, lone surrogates and the line and paragraph separators.
_UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}


def printable(text: str) -> str:
    r"""Text safe to print and to write as UTF-8: no lone surrogates and no control characters.

    A name that is not valid UTF-8 arrives from ``os.fsdecode`` with each bad byte as a lone
    surrogate (byte 0xFF as U+DCFF); it is shown as the four characters ``\xff``, so the file
    can still be found. Control characters are shown as Python writes them: ESC as ``\x1b``, a
    newline as ``\n``, a tab as ``\t``, so a line of output stays one line.
    """
    if text.isprintable():
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _UNPRINTABLE else char for char in text)


def printable_lines(text: str) -> str:
    """Multi-line text with every line made :func:`printable` (the line breaks stay)."""
    return "\n".join(printable(line) for line in text.split("\n"))


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    r"""A codec error handler: what an encoding cannot hold is written as ``\u00e5`` escapes.

    For standard output and error in an encoding such as ASCII or Latin-1: ``å`` becomes
    ``\u00e5``, ``→`` ``\u2192``, a character beyond the BMP its UTF-16 pair. Inside JSON these
    are JSON's own escapes, so the document stays valid and decodes to the same text.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    units = error.object[error.start : error.end].encode("utf-16-be", "surrogatepass")
    escaped = "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))
    return escaped, error.end


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(document: object, *, indent: int | None = 2) -> str:
    r"""``document`` as JSON text that is always valid UTF-8, ending in a newline.

    Non-ASCII text is written as itself. A lone surrogate (a file name byte that is not UTF-8,
    such as 0xFF, arrives as U+DCFF) cannot be written as UTF-8; it becomes the text ``\xff``
    (in JSON ``"\\xff"``), as in the text output. Control characters are JSON's own ``\u001b``
    escapes and decode back to themselves.
    """
    dumped = json.dumps(document, ensure_ascii=False, indent=indent)
    return _SURROGATE.sub(lambda match: "\\" + _escape(match.group()), dumped) + "\n"


#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell for a CSV file a spreadsheet opens: text that starts like a formula gets a leading ``'``.

    ``=HYPERLINK(…)``, ``+1+cmd|…``, ``-…``, ``@SUM(…)`` and a tab or carriage return first are
    run by Excel and LibreOffice as formulas; with the quote they are shown as text (the OWASP
    rule). Numbers and other text are unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
