"""What the CLI prints reaches a terminal: text from the corpus, a pasted question or an LLM must not drive it.

An escape sequence in a table cell (``\\033[2J`` clears the screen, ``\\033]0;…\\007`` sets the window title,
U+009B is a one-character CSI) would be obeyed by the terminal if printed raw. While a command runs, stdout and
stderr go through ``TerminalStream``, which drops every control character but newline and tab; JSON output
escapes the few that ``json.dumps(ensure_ascii=False)`` leaves raw, so it stays exact and valid.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

# C0 controls except tab (\x09) and newline (\x0a), DEL, and the C1 controls U+0080–U+009F. Carriage return goes
# too: "safe text\rfake text" would overprint a line (the progress bar writes its own through ``unfiltered``).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What json.dumps(ensure_ascii=False) writes unescaped but a terminal may still read as a control.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """``text`` without control characters (newline and tab kept)."""
    return _CONTROL.sub("", text)


def json_text(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL and C1 controls as \\u escapes."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalStream:
    """A text stream that writes through to ``unfiltered`` with control characters dropped."""

    def __init__(self, unfiltered):
        self.unfiltered = unfiltered

    def write(self, text: str) -> int:
        return self.unfiltered.write(terminal_text(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, fileno, isatty, encoding, … of the wrapped stream
        return getattr(self.unfiltered, name)


def unfiltered(stream):
    """The stream under a ``TerminalStream`` (for output of our own that needs a control, the progress bar's \\r)."""
    return getattr(stream, "unfiltered", stream)


@contextmanager
def terminal_output() -> Iterator[None]:
    """stdout and stderr through ``TerminalStream`` while the block runs (the streams before it are put back)."""
    before = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(unfiltered(sys.stdout)), TerminalStream(unfiltered(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before
