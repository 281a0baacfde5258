"""The one place that prints. Rich is imported lazily so that --help stays fast."""

import os
import shutil
import sys
from collections.abc import Iterable
from functools import cache
from typing import Any


@cache
def _stdout():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def show(renderable: Any) -> None:
    """Print a Rich renderable (a table, a panel, a grid) to standard output, as wide as width() says;
    a control character in any value (ESC, BEL, ...) is shown escaped, never sent to the terminal.
    Plain styled lines (render.cells.Lines) are written without loading Rich."""
    from fupin_cli.render.cells import Lines
    from fupin_cli.render.safety import printable

    if isinstance(renderable, Lines):
        plain = Lines(*(tuple((printable(text), style) for text, style in spans) for spans in renderable.lines))
        lines(plain.render(width(), color=color()))
        return
    from rich.segment import Segment, Segments

    console = _stdout()
    console.width = width()
    segments = [
        segment if segment.control else Segment(printable(segment.text, keep_newlines=True), segment.style)
        for segment in console.render(renderable, console.options)
    ]
    console.print(Segments(segments), end="")


def lines(written: Iterable[str]) -> None:
    """Print lines as they come (a long table streamed), each as given."""
    out = sys.stdout
    for line in written:
        out.write(line)
        out.write("\n")
    out.flush()


def color(stream: Any = None) -> bool:
    """Whether standard output (or `stream`) takes colours: a terminal, unless NO_COLOR or TERM=dumb
    say not, or FORCE_COLOR asks for them (the rules Rich follows for its own output)."""
    if os.environ.get("FORCE_COLOR"):
        return True
    if "NO_COLOR" in os.environ or os.environ.get("TERM") in ("dumb", "unknown"):
        return False
    return (stream or sys.stdout).isatty()


def width() -> int:
    """The width tables are laid out for: COLUMNS when set, else the terminal's, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def chunks(written: Iterable[str]) -> None:
    """Print text as it comes, in pieces, ending with a line break as `text` does."""
    out = sys.stdout
    last = ""
    for piece in written:
        if piece:
            out.write(piece)
            last = piece
    if not last.endswith("\n"):
        out.write("\n")
    out.flush()


def text(line: str) -> None:
    """Print plain text exactly as given, with no markup: JSON, CSV, TSV, file names."""
    sys.stdout.write(line if line.endswith("\n") else line + "\n")
    sys.stdout.flush()


def binary(chunks: Iterable[bytes]) -> None:
    """Write bytes to standard output exactly as given (a kept file sent down a pipe)."""
    out = sys.stdout.buffer
    for chunk in chunks:
        out.write(chunk)
    out.flush()


def error(message: str) -> None:
    """One line on standard error, as every refusal is reported (control characters escaped)."""
    from fupin_cli.render.safety import printable

    _to_stderr([("错误：", "bold red"), (printable(message), "")])


def note(message: str) -> None:
    """A remark for the person at the terminal, on standard error so pipes stay clean."""
    from fupin_cli.render.safety import printable

    _to_stderr([(printable(message, keep_newlines=True), "dim")])


def _to_stderr(spans: list[tuple[str, str]]) -> None:
    """Styled text on standard error, written whole (never wrapped), each line coloured on its own
    when standard error takes colours; no Rich to load for a one-line message."""
    from fupin_cli.render.cells import styled

    coloured = color(sys.stderr)
    lines: list[str] = [""]
    for text, style in spans:
        first, *rest = text.split("\n")
        lines[-1] += styled(first, style, color=coloured)
        lines += [styled(line, style, color=coloured) for line in rest]
    sys.stdout.flush()
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()
