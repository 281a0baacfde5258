"""`fupin report ledger`: the 台账 of a year, every stored field of every case, its columns and headers
from the one field table (domain.record_fields). Builds; never prints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fupin_cli.domain.numbering import CaseNumber
from fupin_cli.domain.record_fields import CASE_FIELDS, RECORD_LABELS
from fupin_cli.domain.workflow import State
from fupin_cli.render.reports import OPEN_MARKS
from fupin_cli.render.tabular import Tabular, tabular
from fupin_cli.services.ledger import Ledger

if TYPE_CHECKING:
    from rich.console import RenderableType

EXTENSIONS_LABEL = "延期次数"
LEDGER_PRINTED = frozenset(
    {"no", "title", "category", "major", "classified", "state", "approved_on", "lead_unit", "assist_units",
     "assigned_on", "original_due", "due", "extensions", "feedback_on", "archived_on"}
)  # fmt: skip
"""The ledger's columns on paper, one page wide and legible; the others are folded in the sheet."""
_SHOWN = tuple(field for field in CASE_FIELDS if field.name not in ("year", "serial"))


def ledger_tabular(ledger: Ledger) -> Tabular:
    from fupin_cli.domain.cases import display_title

    records = []
    for row in ledger.rows:
        values = dict(zip(ledger.columns, row, strict=True))
        record: dict[str, Any] = {"no": str(CaseNumber(values["year"], values["serial"]))}
        for field in _SHOWN:
            value = values[field.name]
            if field.kind == "state":
                value = State(value).label
            elif field.kind == "units":
                value = "、".join(value)
            elif field.kind == "title":
                value = display_title(value, bool(values["classified"]))
            elif field.kind == "flag":
                value = bool(value)  # 是/否 where people read it
            record[field.name] = value
            if field.name == "due_provisional":
                record["original_due_provisional"] = bool(values.get("original_due_provisional"))
        record["extensions"] = values["extensions"]
        records.append(record)
    fields = [("no", "编号")]
    for field in _SHOWN:
        fields.append((field.name, field.label))
        if field.name == "due_provisional":
            fields.append(("original_due_provisional", RECORD_LABELS["original_due_provisional"]))
    fields.append(("extensions", EXTENSIONS_LABEL))
    return tabular(f"{ledger.year}年台账", fields, records, title=f"{ledger.year}年督查事项台账",
                   as_of=ledger.as_of, empty="本年度尚无督查事项", marks=OPEN_MARKS,
                   folded_keys=tuple(key for key, _ in fields if key not in LEDGER_PRINTED))  # fmt: skip


def ledger_table(ledger: Ledger, *, width: int) -> RenderableType:
    """The ledger on a terminal: its printed columns that fit `width`, the title cut to fit."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    sheet = ledger_tabular(ledger)
    if not sheet.records:
        return Text(f"{ledger.year} 年{sheet.empty}")
    shown = [key for key in ("no", "title", "state", "due", "extensions") if key in sheet.keys]
    table = Table(title=sheet.title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False, width=min(width, 120))  # fmt: skip
    for key in shown:
        header = sheet.headers[sheet.keys.index(key)]
        table.add_column(header, no_wrap=key != "title", overflow="fold" if key == "title" else "ellipsis",
                         ratio=1 if key == "title" else None)  # fmt: skip
    for record in sheet.records:
        table.add_row(*("" if record[key] is None else str(record[key]) for key in shown))
    table.caption = f"共 {len(sheet.records)} 件；全部字段请用 --output 台账.xlsx 导出"
    table.caption_justify = "left"
    return table
