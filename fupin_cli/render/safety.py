"""Values leaving fupin stay data: a spreadsheet never runs them, a terminal never obeys them.

- Exports: a CSV/TSV cell of text that starts with = + - @ tab or CR is read as a formula by
  spreadsheet programs on import; the OWASP rule prefixes such a cell with ' . Only text is touched:
  fupin's own numbers (ints, floats, dates) are written as they are. `--raw` turns the rule off.
- Terminals: a control character in a value (ESC, BEL, a line break in a one-line message) is
  shown escaped (\\x1b, \\n) so that no value can retitle the window, recolour it or split a line.
"""

from typing import Any

from fupin_cli.domain.text import printable as printable  # the terminal rule lives with the text rules

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A text value made inert for CSV/TSV (prefixed ' when a spreadsheet would take it as a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
