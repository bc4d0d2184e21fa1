"""The command line's language: ``--lang`` anywhere on the line, help and Click's own words translated.

``vastbus --lang en check`` and ``vastbus check --lang en`` both work: the group takes
``--lang`` out of the arguments before Click parses them (:func:`take_lang`), sets the
language (:mod:`vastbus_cli.i18n`), and translates the help of every command and option in
place from the English it was declared in (:func:`translate_tree`). Click and Typer say
"Usage:", "Missing option" and the like through :func:`gettext.gettext`; :func:`apply` points
those modules at the same catalog.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import IO, Any

from vastbus_cli.i18n import ENV, LANGUAGES, N_, UnknownLanguage, _, chosen, set_language

_engine: Any
try:  # Typer 0.2x carries its own copy of Click, with its words in plain English, and no Click
    from typer import _click as _engine
except ImportError:  # pragma: no cover - an older Typer, which depends on Click itself
    _engine = importlib.import_module("click")

#: The usage error of the Click that Typer runs on (its own copy, or Click itself).
ClickUsageError: Any = _engine.exceptions.UsageError

#: Click's and Typer's words that never pass through gettext, translated where they are shown.
CLICK_WORDS = (
    N_("Usage:"),
    N_("[OPTIONS]"),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)

#: Click's error messages, as patterns, and the text each becomes (named groups are the placeholders).
_CLICK_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), msgid)
    for pattern, msgid in (
        (r"Missing option (?P<name>.+?)\.(?: (?P<rest>.*))?$", N_("Missing option {name}.")),
        (r"Missing argument (?P<name>.+?)\.(?: (?P<rest>.*))?$", N_("Missing argument {name}.")),
        (r"Missing parameter:? (?P<name>.+?)\.?$", N_("Missing value: {name}.")),
        (r"No such option: (?P<name>\S+)(?: (?P<rest>.*))?$", N_("No such option: {name}")),
        (r"Got unexpected extra argument\(s\) \((?P<args>.*)\)$", N_("Unexpected extra arguments: {args}")),
        (
            r"Option (?P<name>'.+?') requires (?:an argument|(?P<n>\d+) arguments)\.$",
            N_("Option {name} needs a value."),
        ),
        (r"Option (?P<name>'.+?') does not take a value\.$", N_("Option {name} takes no value.")),
        (r"Invalid value for (?P<name>.+?): (?P<message>.*)$", N_("Invalid value for {name}: {message}")),
        (r"(?P<value>'.*?') is not one of (?P<choices>.*)\.$", N_("{value} is not one of {choices}.")),
        (r"(?P<value>'.*?') is not (?P<choices>'.*?')\.$", N_("{value} is not one of {choices}.")),
        (r"(?P<value>'.*?') is not a valid integer(?: range)?\.$", N_("{value} is not a whole number.")),
        (r"(?P<value>.+?) is not in the range (?P<range>.+?)\.$", N_("{value} is not in the range {range}.")),
        (r"(?:Path|File|Directory) (?P<name>'.*?') does not exist\.$", N_("{name} does not exist.")),
        (r"(?:Path|File|Directory) (?P<name>'.*?') is a file\.$", N_("{name} is a file, not a folder.")),
        (r"(?:Path|File|Directory) (?P<name>'.*?') is a directory\.$", N_("{name} is a folder, not a file.")),
        (r"Input should be a valid integer.*$", N_("a whole number is needed.")),
        (r"\(Possible options: (?P<options>.*)\)$", N_("(Did you mean: {options})")),
    )
)

_ATTRIBUTES = ("help", "short_help", "epilog", "options_metavar", "subcommand_metavar", "metavar")
_ORIGINAL = "_vastbus_english"
_patched: list[bool] = [False]


def take_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` / ``--lang=X`` wherever it is in ``args``: its value and the other arguments.

    Stops at ``--`` (what follows is a file name). The last ``--lang`` wins.
    """
    lang: str | None = None
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == "--lang":
            if index + 1 >= len(args):
                raise ClickUsageError(_("Option '--lang' requires an argument: sv or en."))
            lang = args[index + 1]
            index += 2
            continue
        if arg.startswith("--lang="):
            lang = arg.partition("=")[2]
        else:
            rest.append(arg)
        index += 1
    return lang, rest


def _walk(command: Any) -> Iterator[Any]:
    yield command
    yield from command.params
    for sub in getattr(command, "commands", {}).values():
        yield from _walk(sub)


def translate_tree(command: Any) -> None:
    """Translate the help of ``command``, its options and subcommands, from the English declared."""
    for item in _walk(command):
        originals = item.__dict__.get(_ORIGINAL)
        if originals is None:
            originals = {name: getattr(item, name, None) for name in _ATTRIBUTES}
            item.__dict__[_ORIGINAL] = originals
        for name, text in originals.items():
            if isinstance(text, str) and text:
                setattr(item, name, _(text))


def click_message(text: str) -> str:
    """A message of Click's (English) in the current language, where its shape is known."""
    for pattern, msgid in _CLICK_ERRORS:
        match = pattern.match(text)
        if match:
            fields = {k: v for k, v in match.groupdict().items() if k not in {"rest", "message"}}
            if "message" in match.groupdict():
                fields["message"] = click_message(match.group("message"))
            out = _(msgid).format(**fields)
            rest = match.groupdict().get("rest")
            return f"{out} {click_message(rest)}" if rest else out
    return _(text)


class _Formatter(_engine.HelpFormatter):  # type: ignore[misc]
    """Click's help formatter, its headings and fixed texts in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_(heading))

    def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
        super().write_dl([(term, _(text) if text else text) for term, text in rows], *args, **kwargs)


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    out = file if file is not None else _engine.exceptions.get_text_stderr()
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = _("Try '{command} {option}' for help.").format(
            command=self.ctx.command_path, option=self.ctx.help_option_names[0]
        )
        hint += "\n"
    if self.ctx is not None:
        _engine.exceptions.echo(f"{self.ctx.get_usage()}\n{hint}", file=out, color=self.ctx.color)
    _engine.exceptions.echo(_("Error: {message}").format(message=click_message(self.format_message())), file=out)


def _show_error(self: Any, file: IO[Any] | None = None) -> None:
    out = file if file is not None else _engine.exceptions.get_text_stderr()
    _engine.exceptions.echo(_("Error: {message}").format(message=click_message(self.format_message())), file=out)


def _patch_click() -> None:
    """Click's and Typer's own words ("Usage:", "Missing option") through the same catalog."""
    if _patched[0]:
        return

    _engine.core.Context.formatter_class = _Formatter
    _engine.exceptions.UsageError.show = _show_usage_error
    _engine.exceptions.ClickException.show = _show_error

    for name in (
        "click.core",
        "click.decorators",
        "click.exceptions",
        "click.formatting",
        "click.parser",
        "click.types",
        "click.termui",
        "click.utils",
        "click.shell_completion",
        "typer.core",
        "typer.main",
        # Not typer.rich_utils: the help is plain text (rich_markup_mode=None), and importing it would load
        # rich.markdown on every run, --version included.
    ):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional module of another Click or Typer
            continue
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
    _patched[0] = True


def apply(flag: str | None, command: Any) -> None:
    """Choose the language from ``--lang`` and ``VASTBUS_LANG`` and translate ``command``'s help."""
    _patch_click()  # first, so that even an unknown language is refused in Swedish
    try:
        lang = chosen(flag)
    except UnknownLanguage as error:
        source = "--lang" if flag else ENV
        set_language("sv")
        raise ClickUsageError(
            _("{source}: unknown language {lang!r}; use one of: {languages}.").format(
                source=source, lang=error.lang, languages=", ".join(LANGUAGES)
            )
        ) from None
    set_language(lang)
    translate_tree(command)
