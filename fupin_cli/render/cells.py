"""Terminal cells of text (CJK and full-width characters take two) and titles wrapped to a width.
Standard library only: the plain tables that long lists are written as need no Rich."""

import unicodedata
from functools import lru_cache

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
