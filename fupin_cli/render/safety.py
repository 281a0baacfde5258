"""Values leaving fupin stay data: a spreadsheet never runs them, a terminal never obeys them.

- Exports: a CSV/TSV cell of text that starts with = + - @ tab or CR is read as a formula by
  spreadsheet programs on import; the OWASP rule prefixes such a cell with ' . Only text is touched:
  fupin's own numbers (ints, floats, dates) are written as they are. `--raw` turns the rule off.
- Terminals: a control character in a value (ESC, BEL, a line break in a one-line message) is
  shown escaped (\\x1b, \\n) so that no value can retitle the window, recolour it or split a line.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A text value made inert for CSV/TSV (prefixed ' when a spreadsheet would take it as a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _escaped(char: str) -> str:
    special = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in special:
        return special[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character (C0, DEL, C1, bidi overrides) shown escaped."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        _escaped(char) if _is_control(char) and not (keep_newlines and char == "\n") else char for char in text
    )
