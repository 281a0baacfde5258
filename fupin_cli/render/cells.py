"""Terminal cells of text (CJK and full-width characters take two) and titles wrapped to a width.
Standard library only: the plain tables that long lists are written as need no Rich."""

import re
import unicodedata
from functools import lru_cache

PROVISIONAL_MARK = "*"
"""After a date that rests on a year whose holidays are not yet published (暂定)."""
PROVISIONAL_NOTE = "* 期限涉及放假安排尚未公布的年份，为暂定日期；公布后用 fupin cal recheck 重算"

ELLIPSIS = "…"
_STYLES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "magenta": "35"}


@lru_cache(maxsize=4096)
def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """The terminal cells `text` takes."""
    if text.isascii():
        return len(text)
    return sum(map(_char_cells, text))


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` cells (on the left when `right`)."""
    room = " " * max(width - cell_len(text), 0)
    return room + text if right else text + room


def wrap(text: str, width: int, *, lines: int = 2) -> list[str]:
    """`text` broken into at most `lines` lines of at most `width` cells (never mid-character); when it
    does not fit, the last line ends in an ellipsis. At least one line, maybe empty."""
    width = max(width, 2)
    if cell_len(text) <= width:
        return [text]
    found: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        cells = _char_cells(char)
        if used + cells > width:
            found.append("".join(current))
            if len(found) == lines:
                break
            current, used = [], 0
        current.append(char)
        used += cells
    else:
        found.append("".join(current))
        return found
    last = found[-1]
    while last and cell_len(last) + 1 > width:
        last = last[:-1]
    found[-1] = last + ELLIPSIS
    return found


def styled(text: str, style: str, *, color: bool) -> str:
    """`text` in a style of words ("bold red", "magenta") as ANSI codes, or as it is without colour."""
    if not color or not style or not text:
        return text
    codes = ";".join(_STYLES[word] for word in style.split() if word in _STYLES)
    return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


def percent(value: float | None) -> str:
    """A rate as the reports show it: 0.5 → 50.0%, none → —."""
    return "—" if value is None else f"{value * 100:.1f}%"



class Lines:
    """Short styled text written without Rich (a deadline, a count): lines of (text, style) spans,
    broken at the width as Rich breaks text (between words, a word longer than the line folded by
    cells), coloured only when asked. `fupin_cli.cli.console.show` writes it."""

    def __init__(self, *lines: tuple[tuple[str, str], ...]) -> None:
        self.lines = lines

    def render(self, width: int, *, color: bool) -> list[str]:
        written: list[str] = []
        for spans in self.lines:
            text = "".join(part for part, _ in spans)
            breaks = [*_breaks(text, max(width, 1)), len(text)]
            owners = [number for number, (part, _) in enumerate(spans) for _ in part]
            start = 0
            for end in breaks:
                stop, filler = _fitted(text, start, end, width)
                # a filling space keeps the style of the wide character it stands for
                line, of = text[start:stop] + filler, owners[start:stop] + owners[stop : stop + len(filler)]
                written.append(_styled_runs(line, of, spans, color=color))
                start = end
        return written


_WORD = re.compile(r"\s*\S+\s*")


def _breaks(text: str, width: int) -> list[int]:
    """Where a line of `text` is broken to fit `width` cells."""
    found: list[int] = []
    used = 0
    for word in _WORD.finditer(text):
        start, body = word.start(), word.group(0)
        length = cell_len(body.rstrip())
        if width - used >= length:
            used += cell_len(body)
        elif length > width:
            chunks = _chop(body, width)
            for number, chunk in enumerate(chunks, start=1):
                if start:
                    found.append(start)
                if number == len(chunks):
                    used = cell_len(chunk)
                else:
                    start += len(chunk)
        elif used and start:
            found.append(start)
            used = cell_len(body)
    return found


def _fitted(text: str, start: int, end: int, width: int) -> tuple[int, str]:
    """Where the line text[start:end] ends once fitted to `width` as Rich fits it: spaces beyond the
    width (counted in characters) dropped, then cut at the width in cells, a wide character at the
    cut giving way to a space."""
    line = text[start:end]
    if len(line) > width:
        spaces = len(line) - len(line.rstrip())
        end -= min(spaces, len(line) - width)
    used = 0
    for at in range(start, end):
        cells = _char_cells(text[at])
        if used + cells > width:
            return at, " " * (width - used)
        used += cells
    return end, ""


def _chop(text: str, width: int) -> list[str]:
    chunks: list[list[str]] = [[]]
    used = 0
    for char in text:
        cells = _char_cells(char)
        if used + cells > width:
            chunks.append([char])
            used = cells
        else:
            chunks[-1].append(char)
            used += cells
    return ["".join(chunk) for chunk in chunks]


def _styled_runs(line: str, owners: list[int], spans: tuple[tuple[str, str], ...], *, color: bool) -> str:
    """`line`, the part of each span in it (owners: the span of each character) styled as the span."""
    out: list[str] = []
    at, end = 0, len(line)
    while at < end:
        stop = at
        while stop < end and owners[stop] == owners[at]:
            stop += 1
        out.append(styled(line[at:stop], spans[owners[at]][1], color=color))
        at = stop
    return "".join(out)
