"""The language people read: Swedish by default, English on request.

The code writes every message, help text and rule text in English (the gettext *msgid*) and
marks it: ``_("…")`` where the text is made, ``N_("…")`` where it is declared ahead of use
(help texts, rule meanings) and translated when shown. The Swedish catalog lives in
``vastbus_cli/locale/sv/*.po`` (one file per concern) and is compiled into
``locale/sv/LC_MESSAGES/vastbus.mo``, which the stdlib :mod:`gettext` reads at run time;
``python -m vastbus_cli.catalog update|compile|check`` keeps them in step (Babel, a test
dependency). English is the text as written.

The language is ``--lang`` (``sv``/``en``), else the environment variable ``VASTBUS_LANG``,
else Swedish. The locale (``LANG``) is deliberately not read: most servers and CI images run
``en_US.UTF-8`` or ``C.UTF-8`` by default, and the people who read this are Swedish municipal
staff whatever their machine says.

What is a contract stays as it is in every language: JSON, SARIF, JUnit and CSV field names,
their enumerated values (``current``, ``outdated``, …) and rule ids.

Pure: imports only the standard library.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The languages there is a catalog for (English is the source text).
LANGUAGES = ("sv", "en")
DEFAULT = "sv"
#: The environment variable that chooses the language when ``--lang`` is not given.
ENV = "VASTBUS_LANG"
DOMAIN = "vastbus"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_loaded: dict[str, gettext.NullTranslations] = {}
_current: list[str] = [DEFAULT]


class UnknownLanguage(ValueError):
    """A language there is no catalog for."""

    def __init__(self, lang: str) -> None:
        super().__init__(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
        self.lang = lang


def _translations(lang: str) -> gettext.NullTranslations:
    if lang not in _loaded:
        if lang == "en":
            _loaded[lang] = gettext.NullTranslations()
        else:
            _loaded[lang] = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
    return _loaded[lang]


def normalise(lang: str) -> str:
    """``sv``, ``sv_SE.UTF-8``, ``SV``, ``en-GB`` → ``sv``/``en``; anything else raises :class:`UnknownLanguage`."""
    short = lang.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    if short not in LANGUAGES:
        raise UnknownLanguage(lang)
    return short


def chosen(flag: str | None = None) -> str:
    """The language a run uses: ``flag`` (``--lang``), else ``VASTBUS_LANG``, else Swedish."""
    for value in (flag, os.environ.get(ENV)):
        if value:
            return normalise(value)
    return DEFAULT


def set_language(lang: str) -> None:
    """Make ``lang`` the language of every message from now on (``sv`` or ``en``)."""
    _current[0] = normalise(lang)


def language() -> str:
    """The language messages are in now."""
    return _current[0]


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Use ``lang`` inside the block, then the language before it."""
    before = _current[0]
    set_language(lang)
    try:
        yield
    finally:
        _current[0] = before


def _(message: str) -> str:
    """``message`` (English, as written in the code) in the current language."""
    return _translations(_current[0]).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _translations(_current[0]).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it; pass it through ``_()`` when shown."""
    return message
