r"""Standard output and error that never end a command in a traceback.

- Started with stdout closed (``vastbus check >&-``): writing the output is one line on
  stderr and exit 3, and the descriptor is filled with the null device, so no file opened
  later takes its number (and no child process writes into that file).
- A full or failing stdout (``>/dev/full``): one line and exit 3, not a traceback at exit.
- A pipe closed early (``| head``) ends quietly, as Click does.
- An encoding that cannot hold å, – or → (``PYTHONIOENCODING=ascii``, a Latin-1 terminal):
  such characters are written as ``\u00e5`` escapes instead of failing.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from contextlib import suppress

from vastbus_cli.errors import InputOutputError
from vastbus_cli.safetext import escape_unencodable


class _Closed(io.TextIOBase):
    """Standard output or error when the process was started with it closed.

    Writing a command's output fails (one line on stderr, exit 3); messages to a closed stderr
    have nowhere to go and are dropped.
    """

    def __init__(self, *, fail: bool) -> None:
        super().__init__()
        self.fail = fail

    def write(self, text: str) -> int:
        if self.fail:
            raise OSError(errno.EBADF, "it is closed")
        return len(text)


def safe_streams() -> None:
    """Make stdout and stderr safe to write to; called once, before any command runs."""
    codecs.register_error("vastbus-escape", escape_unencodable)
    for number, name in ((1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is None:  # Python's sign that the descriptor was closed
            with suppress(OSError):
                null = os.open(os.devnull, os.O_WRONLY)
                if null != number:
                    os.dup2(null, number)
                    os.close(null)
            setattr(sys, name, _Closed(fail=number == 1))
        stream = getattr(sys, name)
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="vastbus-escape")


def write_stdout(text: str) -> None:
    """Write a command's output to stdout now.

    Raises:
        InputOutputError: stdout is closed or full (one line, exit 3). A broken pipe is raised
            as is, for Click to end the command quietly.
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        _discard_stdout()
        raise InputOutputError(f"cannot write to standard output: {error.strerror or error}") from None


def _discard_stdout() -> None:
    """Point stdout at the null device, so what is still buffered is not tried again at exit."""
    with suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    with suppress(OSError, ValueError):
        sys.stdout.flush()
