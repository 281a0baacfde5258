"""A 督查事项 as people and scripts read it: the card of `case show`, its JSON and CSV records, and
the line a step prints. The list and the log are render.case_lists. Builds; never prints.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from fupin_cli.domain.attachments import shown_size
from fupin_cli.domain.audit import AuditAction
from fupin_cli.domain.cases import DeadlineStatus, Light, ProvisionalDates, extension_cap
from fupin_cli.domain.record_fields import CASE_FIELDS, Field

if TYPE_CHECKING:
    from rich.console import RenderableType

    from fupin_cli.services.case_views import CaseView, LogEntry

from fupin_cli.render.cells import PROVISIONAL_MARK, PROVISIONAL_NOTE  # noqa: E402,F401
from fupin_cli.render.labels import (  # noqa: E402,F401
    ACTION_LABELS,
    FIELD_LABELS,
    LIGHT_STYLES,
)
from fupin_cli.render.tabular import Tabular, tabular  # noqa: E402

# --- small pieces --------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def due_text(due: date | None, provisional: bool) -> str:
    if due is None:
        return ""
    return due.isoformat() + (PROVISIONAL_MARK if provisional else "")


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
        kept = after.get("attachment")
        if isinstance(kept, dict) and isinstance(kept.get("size"), int):
            parts.append(f"报告文件 {kept.get('name')}（{shown_size(kept['size'])}，已存入数据库）")
        elif after.get("report_file"):
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
        marks = _marks(view)
        fact("原定期限", due_text(case.original_due, marks.original_due))
        if case.extensions:
            fact("当前期限", due_text(case.due, case.due_provisional))
            fact("延期上限", due_text(_cap(view), marks.cap))
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
        marks = _marks(view)
        for index, extension in enumerate(case.extensions):
            extensions.add_row(
                _day(extension.granted_on),
                due_text(extension.old_due, index < len(marks.old_dues) and marks.old_dues[index]),
                due_text(extension.new_due, extension.provisional),
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
    stored = {field.record_key: _stored_value(field, case) for field in CASE_FIELDS}
    marks = _marks(view)
    return {
        "no": view.no,
        "short_no": case.number.short,
        **stored,
        "category": view.category.name,
        "category_short": view.category.short,
        "state_label": case.state.label,
        "unit_short": view.unit_short,
        "original_due_provisional": marks.original_due,
        "extension_cap": _day(_cap(view)) or None,
        "extension_cap_provisional": marks.cap if case.original_due else False,
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
                "old_due_provisional": index < len(marks.old_dues) and marks.old_dues[index],
            }
            for index, extension in enumerate(case.extensions)
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


def _stored_value(field: Field, case: Any) -> Any:
    """A stored field of the case as its JSON record holds it (the field table says how)."""
    value = getattr(case, field.name)
    if field.kind == "title":
        return case.display_title
    if field.kind == "state":
        return value.value
    if field.kind == "units":
        return list(value)
    if field.kind == "date":
        return _day(value) or None
    return value


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
        line += f"；办结期限 {due_text(case.due, case.due_provisional)}"
        if case.extensions:
            line += f"（原定 {due_text(case.original_due, _marks(view).original_due)}）"
        sentence = light_sentence(view.status, case.due, view.today)
        if sentence:
            line += f"；{sentence}" + ("（暂定）" if case.due_provisional else "")
    return line


def _marks(view: Any) -> ProvisionalDates:
    """Which of the case's dates are 暂定, as the service found them; before any was found (a view
    made without the calendar), the due date's own flag."""
    found = getattr(view, "provisional", None)
    if isinstance(found, ProvisionalDates) and found != ProvisionalDates():
        return found
    case = view.case
    return ProvisionalDates(original_due=case.due_provisional and not case.extensions, due=case.due_provisional)


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


def case_csv_tabular(view: CaseView) -> Tabular:
    """`case show --format csv`: one row of case_csv_record."""
    record = case_csv_record(view)
    return tabular("督查事项", tuple((key, FIELD_LABELS.get(key, key)) for key in record), [record])
