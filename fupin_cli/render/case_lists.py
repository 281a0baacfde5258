"""The list of 督查事项 (`case list`) and a case's audit log (`case log`): the tables a terminal shows
and the rows (render.tabular) every other format is written from. Builds; never prints.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich import box
from rich.cells import cell_len
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import Light
from fupin_cli.domain.record_fields import RECORD_LABELS
from fupin_cli.domain.workflow import STATE_LABELS, State
from fupin_cli.render.cases import due_text
from fupin_cli.render.cells import PROVISIONAL_NOTE
from fupin_cli.render.labels import ACTION_LABELS, FIELD_LABELS, LIGHT_STYLES
from fupin_cli.render.tabular import Tabular, tabular

if TYPE_CHECKING:
    from fupin_cli.services.case_views import CaseLog, CaseRow, LogEntry


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def light_cell(light: Light | None, days_left: int | None, overdue: int, on_time: bool | None) -> Text:
    """红 逾1 / 黄 剩2 / 绿 剩8 for open cases; 按时 / 超期 for completed ones."""
    if light is Light.RED:
        return Text(f"红 逾{overdue}", style=LIGHT_STYLES[light])
    if light is not None:
        return Text(f"{light.label} 剩{days_left}", style=LIGHT_STYLES[light])
    if on_time is not None:
        return Text("按时" if on_time else "超期", style="dim")
    return Text("")


def _value(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field == "state" and value in {s.value for s in State}:
        return STATE_LABELS[State(value)]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(_value(field, item)) for item in value)
    if isinstance(value, dict):
        if "new_due" in value:
            return f"{value.get('old_due')} → {value.get('new_due')}（{value.get('reason')}；{value.get('approver')}）"
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


_QUIET_ON_OPEN = ("year", "serial", "last_step_on")


def _changes(entry: LogEntry) -> str:
    """Before → after of each changed field, in the order of FIELD_LABELS; on opening, what was set."""
    before, after = entry.before or {}, entry.after or {}
    order = {field: index for index, field in enumerate(FIELD_LABELS)}
    lines = []
    for field in sorted(dict.fromkeys([*after, *before]), key=lambda name: order.get(name, len(order))):
        if field == "last_step_on" or (
            entry.action == AuditAction.OPEN and (field in _QUIET_ON_OPEN or after.get(field) is False)
        ):
            continue
        label = FIELD_LABELS.get(field, field)
        if entry.action == AuditAction.OPEN or field not in before:
            lines.append(f"{label}：{_value(field, after.get(field))}")
        else:
            lines.append(f"{label}：{_value(field, before.get(field))} → {_value(field, after.get(field))}")
    return "\n".join(lines)


# --- list ----------------------------------------------------------------------------------------


_LIST_VALUES: dict[str, Callable[[CaseRow], Any]] = {
    "no": lambda row: row.no,
    "short_no": lambda row: row.short_no,
    "title": lambda row: row.title,
    "classified": lambda row: row.classified,
    "state": lambda row: row.state.value,
    "state_label": lambda row: row.state.label,
    "category": lambda row: row.category.name,
    "category_short": lambda row: row.category.short,
    "unit": lambda row: row.unit,
    "unit_short": lambda row: row.unit_short,
    "assigned_on": lambda row: row.assigned_on,
    "original_due": lambda row: row.original_due,
    "original_due_provisional": lambda row: row.original_due_provisional,
    "due": lambda row: row.due,
    "due_provisional": lambda row: row.due_provisional,
    "light": lambda row: row.light.value if row.light else None,
    "light_label": lambda row: row.light.label if row.light else None,
    "days_left": lambda row: row.days_left,
    "overdue_workdays": lambda row: row.overdue_workdays,
    "on_time": lambda row: row.on_time,
    "extensions": lambda row: row.extensions,
}
"""Each key of a `case list` record (its header is the field table's label) and how a row gives it."""
LIST_COLUMNS = tuple(_LIST_VALUES)
"""The keys of `case list` records, in order (also the CSV header when nothing is listed)."""


def row_record(row: CaseRow) -> dict[str, Any]:
    """One case of `case list` for every format but the table (dates still dates)."""
    return {key: value(row) for key, value in _LIST_VALUES.items()}


_TITLE_MIN = 16
_GAP = 3  # between two columns: padding, the (blank) divider, padding
_CAPS = {"unit": 12, "category": 8}


def case_table(rows: Sequence[CaseRow], *, width: int) -> Table:
    """`case list` as a table that fits `width` cells.

    编号, 事项, 状态 and 期限 always show; 预警, 承办单位, 类别 and 延期 join in that order while the
    title keeps at least 16 cells; the title takes what is left, on a second line when it does not fit
    on one (ending in … when it needs more).
    """
    from fupin_cli.render.cells import wrap

    cells = {
        "no": ("编号", [row.short_no for row in rows]),
        "state": ("状态", [row.state.label for row in rows]),
        "light": (
            "预警",
            [light_cell(r.light, r.days_left, r.overdue_workdays, r.on_time).plain for r in rows],
        ),
        "due": ("期限", [due_text(row.due, row.due_provisional) for row in rows]),
        "unit": ("承办单位", [row.unit_short or "" for row in rows]),
        "category": ("类别", [row.category.short for row in rows]),
        "extensions": ("延期", [str(row.extensions) if row.extensions else "" for row in rows]),
    }
    needed = {
        key: min(max(cell_len(value) for value in [header, *values]), _CAPS.get(key, 99))
        for key, (header, values) in cells.items()
    }
    chosen = {"no", "state", "due"}
    for key in ("light", "unit", "category", "extensions"):
        used = sum(needed[k] for k in chosen) + needed[key] + _GAP * (len(chosen) + 1)
        if used + _TITLE_MIN > width:
            break
        chosen.add(key)
    order = [
        key
        for key in ("no", "title", "category", "unit", "state", "due", "light", "extensions")
        if key in chosen or key == "title"
    ]
    room = width - sum(needed[k] for k in chosen) - _GAP * len(chosen)
    longest = max([cell_len("事项"), *(cell_len(row.title) for row in rows)])
    title_width = max(min(longest, room), 4)

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for key in order:
        if key == "title":
            table.add_column("事项", overflow="ellipsis", no_wrap=True, width=title_width)
        else:
            table.add_column(cells[key][0], overflow="ellipsis", no_wrap=True, width=needed[key])
    for index, row in enumerate(rows):
        values: list[RenderableType] = []
        for key in order:
            if key == "title":
                values.append("\n".join(wrap(row.title, title_width)))
            elif key == "light":
                values.append(light_cell(row.light, row.days_left, row.overdue_workdays, row.on_time))
            else:
                values.append(cells[key][1][index])
        table.add_row(*values)
    if any(row.due_provisional for row in rows) and "due" in chosen:
        table.caption = PROVISIONAL_NOTE
        table.caption_justify = "left"
    return table


# --- log -----------------------------------------------------------------------------------------


def log_record(entry: LogEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "action": entry.action,
        "action_label": ACTION_LABELS.get(entry.action, entry.action),
        "operator": entry.operator,
        "recorded_at": entry.recorded_at,
        "effective_on": entry.effective_on,
        "before": entry.before,
        "after": entry.after,
    }


def log_table(entries: Sequence[LogEntry], *, title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("日期", no_wrap=True)
    table.add_column("步骤", no_wrap=True)
    table.add_column("变更", overflow="fold", ratio=1)
    table.add_column("操作人 / 登记时间", overflow="fold")
    for entry in entries:
        table.add_row(
            str(entry.id),
            _day(entry.effective_on),
            ACTION_LABELS.get(entry.action, entry.action),
            _changes(entry),
            f"{entry.operator}\n{entry.recorded_at[:16].replace('T', ' ')}",
        )
    return table


LOG_COLUMNS = ("id", "action", "action_label", "operator", "recorded_at", "effective_on", "before", "after")


LOG_HEADERS = ("序号", "步骤", "步骤名称", "操作人", "登记时间", "日期", "变更前", "变更后")


def case_list_tabular(rows: Sequence[CaseRow]) -> Tabular:
    """`case list` as rows for every format but the table."""
    fields = tuple((key, RECORD_LABELS[key]) for key in LIST_COLUMNS)
    return tabular("督查事项", fields, [row_record(row) for row in rows],
                   title="督查事项", empty="没有符合条件的督查事项")  # fmt: skip


def log_tabular(log: CaseLog) -> Tabular:
    """`case log` as rows for every format but the table (before and after as JSON text in a cell)."""
    return tabular(f"{log.no}变更记录"[:31], tuple(zip(LOG_COLUMNS, LOG_HEADERS, strict=True)),
                   [log_record(entry) for entry in log.entries], title=f"{log.no} 的变更记录",
                   empty="没有变更记录", count_items=False)  # fmt: skip


def log_title(log: CaseLog) -> str:
    return f"{log.no} 的变更记录（登记时间为 {log.zone} 时间）"
