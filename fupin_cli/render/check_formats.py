"""What the `fupin check` renderers share: marks and styles, dates and flags as text, a table's frame.
Their records are written by render.tabular. Builds; never prints.
"""

from datetime import date

from rich import box
from rich.table import Table

RED_STYLE = "bold red"


def day_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def flag_text(value: bool) -> str:
    return "是" if value else ""


def new_table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
