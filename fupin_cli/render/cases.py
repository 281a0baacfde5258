"""督查事项 as people and scripts read them: the card of `case show`, the table of `case list`,
the audit log of `case log`, and their JSON and CSV forms. Builds; never prints.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import DeadlineStatus, Light, extension_cap
from fupin_cli.domain.workflow import STATE_LABELS, State

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from fupin_cli.services.case_views import CaseRow, CaseView, LogEntry

from fupin_cli.render.labels import (  # noqa: E402,F401
    ACTION_LABELS,
    FIELD_LABELS,
    LIGHT_STYLES,
    PROVISIONAL_MARK,
    PROVISIONAL_NOTE,
)
from fupin_cli.render.safety import neutralised  # noqa: E402

# --- small pieces --------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _due_text(due: date | None, provisional: bool) -> str:
    if due is None:
        return ""
    return due.isoformat() + (PROVISIONAL_MARK if provisional else "")


def light_cell(light: Light | None, days_left: int | None, overdue: int, on_time: bool | None) -> Text:
    """红 逾1 / 黄 剩2 / 绿 剩8 for open cases; 按时 / 超期 for completed ones."""
    from rich.text import Text

    if light is Light.RED:
        return Text(f"红 逾{overdue}", style=LIGHT_STYLES[light])
    if light is not None:
        return Text(f"{light.label} 剩{days_left}", style=LIGHT_STYLES[light])
    if on_time is not None:
        return Text("按时" if on_time else "超期", style="dim")
    return Text("")


def light_sentence(status: DeadlineStatus, due: date | None, today: date) -> str:
    if status.light is Light.RED:
        return f"红灯：已逾期 {status.overdue_workdays} 个工作日（今天 {today}）"
    if status.light is not None:
        when = "今天到期" if status.days_left == 0 else f"还剩 {status.days_left} 个工作日"
        return f"{status.light.label}灯：{when}（今天 {today}）"
    if status.on_time is not None:
        text = "按期办结" if status.on_time else "超期办结"
        if status.on_time_original is False and status.on_time:
            text += "（经延期；按原定期限计为超期）"
        return text
    return ""


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


def _step_detail(entry: LogEntry) -> str:
    """One line saying what a step of the timeline did."""
    after = entry.after or {}
    before = entry.before or {}
    action = entry.action
    parts: list[str] = []
    if action == AuditAction.OPEN:
        parts.append(after.get("category", ""))
        parts += ["重大事项"] if after.get("major") else []
        parts += ["涉密"] if after.get("classified") else []
    elif action == "approve":
        parts += [f"审批人 {after['approver']}"] if after.get("approver") else []
        parts += [f"主任办公会纪要 {after['meeting_ref']}"] if after.get("meeting_ref") else []
    elif action == "assign":
        parts.append(f"主办 {after.get('lead_unit', '')}")
        parts += [f"协办 {'、'.join(after['assist_units'])}"] if after.get("assist_units") else []
        parts.append(f"期限 {after.get('due', '')}")
    elif action == "accept":
        parts += [f"承办编号 {after['unit_ref']}"] if after.get("unit_ref") else []
    elif action == "extend":
        extension = after.get("extension") or {}
        parts.append(f"期限 {extension.get('old_due')} → {extension.get('new_due')}")
        parts.append(f"理由 {extension.get('reason')}")
        parts.append(f"批准人 {extension.get('approver')}")
    elif action == "feedback":
        if after.get("report_file"):
            parts.append(f"报告文件 {after['report_file']}")
        elif after.get("report_text"):
            parts.append("附办结报告")
        else:
            parts.append("纸质办结报告")
    elif action == "return":
        parts.append(f"理由 {after.get('reason', '')}")
    elif action == "reject":
        parts.append(f"理由 {after.get('reject_reason', '')}")
    elif action == "withdraw":
        parts.append(f"理由 {after.get('withdraw_reason', '')}")
    elif action == "archive":
        parts += [f"存放 {after['archive_location']}"] if after.get("archive_location") else []
    elif action == AuditAction.RECHECK:
        if "due" in after:
            parts.append(f"期限 {before.get('due')} → {after.get('due')}")
        else:
            parts.append("期限核定（日期不变）")
    if after.get("imported_from"):
        parts.append(f"导入自 {after['imported_from']}")
    return "；".join(part for part in parts if part)


# --- show ----------------------------------------------------------------------------------------


def case_card(view: CaseView) -> RenderableType:
    """The readable card of one case: its facts, the deadline and its light, the timeline."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    case = view.case
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(overflow="fold")

    def fact(label: str, value: Any) -> None:
        if value not in (None, "", ()):
            facts.add_row(label, value if isinstance(value, Text) else str(value))

    fact("标题", case.display_title)
    fact("状态", case.state.label)
    fact("类别", view.category.name)
    fact("来源", case.source)
    if case.major:
        fact("重大事项", "是（须主任办公会审定）")
    if case.classified:
        fact("密级", f"{case.secret_level or '涉密'}（线下按机要文件办理）")
        fact("纸质文件", case.paper_location)
    fact("拟办日期", _day(case.opened_on))
    if case.approved_on:
        approval = "；".join(
            part
            for part in (
                f"审批人 {case.approver}" if case.approver else "",
                f"主任办公会纪要 {case.meeting_ref}（{case.meeting_on}）" if case.meeting_ref else "",
            )
            if part
        )
        fact("立项", f"{case.approved_on}　{approval}")
    fact("审批意见", case.opinion)
    if case.rejected_on:
        fact("退回", f"{case.rejected_on}　{case.reject_reason}")
    fact("主办单位", case.lead_unit)
    fact("协办单位", "、".join(case.assist_units))
    if case.assigned_on:
        limit = f"{case.limit_workdays} 个工作日" if case.limit_workdays else "另定期限"
        basis = f"（依据：{case.basis}）" if case.basis else ""
        fact("交办", f"{case.assigned_on}　时限 {limit}{basis}")
        fact("原定期限", _due_text(case.original_due, case.due_provisional and not case.extensions))
        if case.extensions:
            fact("当前期限", _due_text(case.due, case.due_provisional))
            fact("延期上限", _day(_cap(view)))
        for asked, stored in _moved_by_203(view):
            fact("期限顺延", f"{asked} 为法定休假日，期限顺延至 {stored}")
        if case.due_provisional:
            fact("注意", "期限涉及放假安排尚未公布的年份，为暂定日期")
    if case.accepted_on:
        fact("承办登记", f"{case.accepted_on}" + (f"　承办编号 {case.unit_ref}" if case.unit_ref else ""))
    if case.feedback_on:
        fact("反馈办结", _day(case.feedback_on))
        fact("办结报告文件", case.report_file)
        if case.report_text and not case.classified:
            fact("办结报告", Text(_as_written(case.report_text)))
    for entry in view.timeline:
        if entry.action == "return" and entry.after:
            reason = _as_written(str(entry.after.get("reason", "")))
            fact("退回重办", Text(f"{_day(entry.effective_on)}　{reason}"))
    if case.archived_on:
        fact("归档", f"{case.archived_on}" + (f"　{case.archive_location}" if case.archive_location else ""))
    if case.withdrawn_on:
        fact("撤销", f"{case.withdrawn_on}　{case.withdraw_reason}")
    sentence = light_sentence(view.status, case.due, view.today)
    if sentence:
        style = LIGHT_STYLES.get(view.status.light) if view.status.light else None
        fact("预警", Text(sentence, style=style or ""))

    parts: list[RenderableType] = [facts]
    if case.extensions:
        extensions = Table(title="延期", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        for header in ("批准日期", "原期限", "新期限", "理由", "批准人"):
            extensions.add_column(header, overflow="fold")
        for extension in case.extensions:
            extensions.add_row(
                _day(extension.granted_on),
                _day(extension.old_due),
                _due_text(extension.new_due, extension.provisional),
                extension.reason,
                extension.approver,
            )
        parts.append(extensions)
    if view.timeline:
        timeline = Table(title="办理经过", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        timeline.add_column("日期", no_wrap=True)
        timeline.add_column("步骤", no_wrap=True)
        timeline.add_column("说明", overflow="fold", ratio=1)
        timeline.add_column("操作人", overflow="fold")
        for entry in view.timeline:
            timeline.add_row(
                _day(entry.effective_on),
                ACTION_LABELS.get(entry.action, entry.action),
                _step_detail(entry),
                entry.operator,
            )
        parts.append(timeline)
    return Panel(
        Group(*parts), title=f"[bold]{view.no}[/]", title_align="left", box=box.ROUNDED, expand=False
    )


def case_record(view: CaseView) -> dict[str, Any]:
    """`case show --format json`: English snake_case keys, dates as YYYY-MM-DD."""
    case, status = view.case, view.status
    return {
        "no": view.no,
        "short_no": case.number.short,
        "year": case.year,
        "serial": case.serial,
        "title": case.display_title,
        "classified": case.classified,
        "secret_level": case.secret_level,
        "paper_location": case.paper_location,
        "category": view.category.name,
        "category_short": view.category.short,
        "source": case.source,
        "major": case.major,
        "state": case.state.value,
        "state_label": case.state.label,
        "opened_on": _day(case.opened_on) or None,
        "approved_on": _day(case.approved_on) or None,
        "approver": case.approver,
        "meeting_ref": case.meeting_ref,
        "meeting_on": _day(case.meeting_on) or None,
        "opinion": case.opinion,
        "rejected_on": _day(case.rejected_on) or None,
        "reject_reason": case.reject_reason,
        "unit": case.lead_unit,
        "unit_short": view.unit_short,
        "assist_units": list(case.assist_units),
        "assigned_on": _day(case.assigned_on) or None,
        "limit_workdays": case.limit_workdays,
        "basis": case.basis,
        "original_due": _day(case.original_due) or None,
        "due": _day(case.due) or None,
        "due_provisional": case.due_provisional,
        "extension_cap": _day(_cap(view)) or None,
        "accepted_on": _day(case.accepted_on) or None,
        "unit_ref": case.unit_ref,
        "feedback_on": _day(case.feedback_on) or None,
        "report_text": case.report_text,
        "report_file": case.report_file,
        "archived_on": _day(case.archived_on) or None,
        "archive_location": case.archive_location,
        "withdrawn_on": _day(case.withdrawn_on) or None,
        "withdraw_reason": case.withdraw_reason,
        "today": view.today.isoformat(),
        "light": status.light.value if status.light else None,
        "light_label": status.light.label if status.light else None,
        "days_left": status.days_left,
        "overdue_workdays": status.overdue_workdays,
        "on_time": status.on_time,
        "on_time_original": status.on_time_original,
        "extensions": [
            {
                "granted_on": _day(extension.granted_on),
                "old_due": _day(extension.old_due),
                "new_due": _day(extension.new_due),
                "workdays": extension.workdays,
                "reason": extension.reason,
                "approver": extension.approver,
                "provisional": extension.provisional,
            }
            for extension in case.extensions
        ],
        "timeline": [
            {
                "on": _day(entry.effective_on) or None,
                "action": entry.action,
                "label": ACTION_LABELS.get(entry.action, entry.action),
                "detail": _step_detail(entry),
                "operator": entry.operator,
                "recorded_at": entry.recorded_at,
            }
            for entry in view.timeline
        ],
    }


def case_csv_record(view: CaseView) -> dict[str, Any]:
    """`case show --format csv`: the JSON record, one row; extensions as one text cell, no timeline."""
    record = case_record(view)
    record.pop("timeline")
    record["assist_units"] = "、".join(record["assist_units"])
    record["extensions"] = "; ".join(
        f"{e['granted_on']} {e['old_due']}→{e['new_due']} {e['reason']}（{e['approver']}）"
        for e in record["extensions"]
    )
    return record


def step_line(view: CaseView) -> str:
    """The one line a step prints: the case, its state now, and its deadline when it runs."""
    case = view.case
    line = f"{view.no} {case.state.label}：{case.display_title}"
    if case.state.is_open and case.due is not None:
        line += f"；办结期限 {_due_text(case.due, case.due_provisional)}"
        if case.extensions:
            line += f"（原定 {case.original_due}）"
        sentence = light_sentence(view.status, case.due, view.today)
        if sentence:
            line += f"；{sentence}" + ("（暂定）" if case.due_provisional else "")
    return line


# --- list ----------------------------------------------------------------------------------------


def row_record(row: CaseRow) -> dict[str, Any]:
    """`case list --format json|csv`."""
    return {
        "no": row.no,
        "short_no": row.short_no,
        "title": row.title,
        "classified": row.classified,
        "state": row.state.value,
        "state_label": row.state.label,
        "category": row.category.name,
        "category_short": row.category.short,
        "unit": row.unit,
        "unit_short": row.unit_short,
        "assigned_on": _day(row.assigned_on) or None,
        "original_due": _day(row.original_due) or None,
        "due": _day(row.due) or None,
        "due_provisional": row.due_provisional,
        "light": row.light.value if row.light else None,
        "light_label": row.light.label if row.light else None,
        "days_left": row.days_left,
        "overdue_workdays": row.overdue_workdays,
        "on_time": row.on_time,
        "extensions": row.extensions,
    }


_TITLE_MIN = 16
_GAP = 3  # between two columns: padding, the (blank) divider, padding
_CAPS = {"unit": 12, "category": 8}


def case_table(rows: Sequence[CaseRow], *, width: int) -> Table:
    """`case list` as a table that fits `width` cells.

    编号, 事项, 状态 and 期限 always show; 预警, 承办单位, 类别 and 延期 join in that order while the
    title keeps at least 16 cells; the title takes what is left, on a second line when it does not fit
    on one (ending in … when it needs more).
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    from fupin_cli.render.cells import wrap

    cells = {
        "no": ("编号", [row.short_no for row in rows]),
        "state": ("状态", [row.state.label for row in rows]),
        "light": (
            "预警",
            [light_cell(r.light, r.days_left, r.overdue_workdays, r.on_time).plain for r in rows],
        ),
        "due": ("期限", [_due_text(row.due, row.due_provisional) for row in rows]),
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
        "effective_on": _day(entry.effective_on) or None,
        "before": entry.before,
        "after": entry.after,
    }


def log_csv_record(entry: LogEntry) -> dict[str, Any]:
    record = log_record(entry)
    for key in ("before", "after"):
        record[key] = (
            json.dumps(record[key], ensure_ascii=False, sort_keys=True) if record[key] is not None else ""
        )
    return record


def log_table(entries: Sequence[LogEntry], *, title: str) -> Table:
    from rich import box
    from rich.table import Table

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


# --- JSON and CSV --------------------------------------------------------------------------------


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def to_csv(records: Iterable[Mapping[str, Any]], *, columns: Sequence[str] | None = None) -> str:
    """CSV with a header row; booleans as true/false, absent values empty."""
    records = list(records)
    header = list(columns or (records[0].keys() if records else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([_csv_cell(neutralised(record.get(name))) for name in header])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


LIST_COLUMNS = (
    "no",
    "short_no",
    "title",
    "classified",
    "state",
    "state_label",
    "category",
    "category_short",
    "unit",
    "unit_short",
    "assigned_on",
    "original_due",
    "due",
    "due_provisional",
    "light",
    "light_label",
    "days_left",
    "overdue_workdays",
    "on_time",
    "extensions",
)
"""The keys of `case list` records, in order (also the CSV header when nothing is listed)."""
LOG_COLUMNS = ("id", "action", "action_label", "operator", "recorded_at", "effective_on", "before", "after")


def _cap(view: Any) -> date | None:
    """The extension cap as the service found it (202 and 203), or by 202 alone."""
    case = view.case
    if getattr(view, "cap", None) is not None:
        return view.cap  # type: ignore[no-any-return]
    return extension_cap(case.original_due) if case.original_due else None


def _moved_by_203(view: Any) -> list[tuple[str, str]]:
    """Each due date typed on a rest day and the working day it was moved to."""
    moved = []
    for entry in view.timeline:
        after = entry.after or {}
        if after.get("due_asked") and after.get("due"):
            moved.append((str(after["due_asked"]), str(after["due"])))
    return moved


def _as_written(text: str) -> str:
    """A multi-line text shown as it was written: line breaks kept, other control characters escaped."""
    return "".join(ch if ch == "\n" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
