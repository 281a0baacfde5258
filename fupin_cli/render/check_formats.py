"""What the `fupin check` renderers share: marks and styles, dates and flags as text, a table's frame,
and records as JSON, CSV, TSV or Markdown. Builds; never prints.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich import box
from rich.table import Table

from fupin_cli.render.safety import neutralised

PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* 期限涉及放假安排尚未公布的年份，为暂定日期；公布后用 fupin cal recheck 重算"
RED_STYLE = "bold red"


def day_text(value: date | None) -> str | None:
    return value.isoformat() if value else None


def flag_text(value: bool) -> str:
    return "是" if value else ""


def new_table(title: str | None = None) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


# --- JSON, CSV, TSV, Markdown ----------------------------------------------------------------------


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value)
    return str(value)


def to_csv(
    records: Sequence[Mapping[str, Any]], *, columns: Sequence[str], delimiter: str = ",", raw: bool = False
) -> str:
    """CSV (or TSV): text cells a spreadsheet would run are neutralised unless `raw`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        values = [record.get(name) for name in columns]
        writer.writerow([_cell(value) if raw else _text_cell(value) for value in values])
    return out.getvalue()


def _text_cell(value: Any) -> str:
    """Only text (and lists of text) is neutralised; numbers stay as fupin wrote them."""
    return neutralised(_cell(value)) if isinstance(value, str | list | tuple) else _cell(value)


def to_markdown(
    records: Sequence[Mapping[str, Any]], *, columns: Sequence[str], headers: Sequence[str]
) -> str:
    def escape(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for record in records:
        lines.append("| " + " | ".join(escape(_cell(record.get(name))) for name in columns) + " |")
    return "\n".join(lines) + "\n"
