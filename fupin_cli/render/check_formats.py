"""What the `fupin check` renderers share: marks and styles, dates and flags as text, a table's frame.
Their records are written by render.tabular. Builds; never prints.
"""

from datetime import date

from rich import box
from rich.table import Table

PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* 期限涉及放假安排尚未公布的年份，为暂定日期；公布后用 fupin cal recheck 重算"
RED_STYLE = "bold red"


def day_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def flag_text(value: bool) -> str:
    return "是" if value else ""


def new_table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
