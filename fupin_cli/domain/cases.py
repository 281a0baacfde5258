"""The rules of a 督查事项 beyond the workflow table: each step, and the text it takes. Pure: standard
library only, 'today' a parameter.

Each step function takes the case as it is and returns the case as it becomes, or raises a
FupinError and nothing is stored. The workflow move is checked first (so a refused move names the
current state and what may follow), then the step's date, then the step's own rules.

The Case itself and its audit form are in domain/case_model.py, its deadline (calendar, cap, light,
暂定) in domain/deadlines.py; their names are also reachable from here, where the steps' callers
have always found them.
"""

from dataclasses import replace
from datetime import date

from fupin_cli.domain.case_model import (
    CLASSIFIED_MARK,
    Case,
    Extension,
    changed_fields,
    display_title,
    extension_fields,
    plain,
    recorded_fields,
)
from fupin_cli.domain.dates import check_step_day
from fupin_cli.domain.deadlines import (
    DEFAULT_LIMIT_WORKDAYS,
    EXTENSION_CAP_MONTHS,
    MAX_LIMIT_WORKDAYS,
    WARN_WITHIN_WORKDAYS,
    Deadline,
    DeadlineStatus,
    Light,
    ProvisionalDates,
    WorkingDays,
    deadline_status,
    extension_cap,
    last_day_rule,
    original_due_provisional,
    provisional_dates,
    recompute_deadlines,
    status_of,
)
from fupin_cli.domain.errors import InvalidInputError, RuleViolationError
from fupin_cli.domain.text import free_text, single_line
from fupin_cli.domain.workflow import Action, State, next_state

__all__ = [  # the steps, and the case's and its deadline's names where callers find them
    "CLASSIFIED_MARK",
    "Case",
    "DEFAULT_LIMIT_WORKDAYS",
    "Deadline",
    "DeadlineStatus",
    "EXTENSION_CAP_MONTHS",
    "Extension",
    "Light",
    "MAX_LIMIT_WORKDAYS",
    "MAX_LINE_CHARS",
    "MAX_REPORT_CHARS",
    "MAX_TITLE_CHARS",
    "ProvisionalDates",
    "SECRET_LEVELS",
    "WARN_WITHIN_WORKDAYS",
    "WorkingDays",
    "accept",
    "approve",
    "archive",
    "assign",
    "begin_step",
    "changed_fields",
    "deadline_status",
    "display_title",
    "extend",
    "extension_cap",
    "extension_fields",
    "feedback",
    "last_day_rule",
    "open_case",
    "original_due_provisional",
    "plain",
    "provisional_dates",
    "recompute_deadlines",
    "recorded_fields",
    "refuse_classified_content",
    "reject",
    "return_case",
    "status_of",
    "withdraw",
]

SECRET_LEVELS = ("秘密", "机密", "绝密")
MAX_TITLE_CHARS = 200
MAX_LINE_CHARS = 500
MAX_REPORT_CHARS = 1_000_000
"""Reasons, bases, names, references: one line each."""


# --- text checks ---------------------------------------------------------------------------------


def _line(value: str | None, *, what: str, required: bool = False, limit: int = MAX_LINE_CHARS) -> str | None:
    return single_line(value, what=what, required=required, limit=limit)


def refuse_classified_content(case: Case, **content: object) -> None:
    """A classified case holds only non-secret metadata: refuse any free-text content given for it."""
    if not case.classified:
        return
    named = {"opinion": "审批意见", "report": "办结报告内容", "report_file": "办结报告文件", "source": "来源"}
    given = [named.get(key, key) for key, value in content.items() if value not in (None, "")]
    if given:
        raise RuleViolationError(
            f"{case.number} 是涉密事项，只登记编号、封面标题、日期、单位、状态、密级和纸质文件位置，"
            f"不能录入{'、'.join(given)}：请按机要文件线下办理"
        )


# --- the steps -----------------------------------------------------------------------------------


def open_case(
    *,
    year: int,
    serial: int,
    title: str,
    category: str,
    on: date,
    today: date,
    source: str | None = None,
    major: bool = False,
    classified: bool = False,
    secret_level: str | None = None,
    paper_location: str | None = None,
) -> Case:
    """拟办: the clerk proposes an item. A 密级 implies a classified item."""
    check_step_day(on, after=None, today=today)
    if year != on.year:
        raise InvalidInputError(f"编号年份 {year} 与拟办日期 {on} 不符")
    level = _line(secret_level, what="密级")
    if level is not None and level not in SECRET_LEVELS:
        raise InvalidInputError(f"未知的密级「{level[:20]}」：请写 {'、'.join(SECRET_LEVELS)}")
    if (classified or level is not None) and source:
        raise RuleViolationError(
            "涉密事项只登记编号、封面标题、日期、单位、状态、密级和纸质文件位置，不能录入来源：请按机要文件线下办理"
        )
    return Case(
        year=year,
        serial=serial,
        title=_line(title, what="事项标题", required=True, limit=MAX_TITLE_CHARS) or "",
        category=category,
        state=State.PROPOSED,
        opened_on=on,
        last_step_on=on,
        source=_line(source, what="来源"),
        major=major,
        classified=classified or level is not None,
        secret_level=level,
        paper_location=_line(paper_location, what="纸质文件位置"),
    )


def begin_step(case: Case, action: Action, *, on: date, today: date) -> State:
    """The state `action` leads to, once the move is allowed and `on` is a possible date for it."""
    target = next_state(case.state, action)
    check_step_day(on, after=case.last_step_on, today=today)
    return target


def approve(
    case: Case,
    *,
    on: date,
    today: date,
    approver: str | None = None,
    meeting_ref: str | None = None,
    opinion: str | None = None,
) -> Case:
    """立项: by the 主管领导 (--by), or by the 主任办公会 (--meeting), which a 重大 item requires."""
    target = begin_step(case, Action.APPROVE, on=on, today=today)
    refuse_classified_content(case, opinion=opinion)
    approver = _line(approver, what="审批人")
    meeting_ref = _line(meeting_ref, what="会议纪要号")
    if case.major and meeting_ref is None:
        raise RuleViolationError(
            f"{case.number} 是重大督查事项，须经主任办公会审定后立项：请用 --meeting 登记会议纪要号"
            "（主管领导审批不能代替）"
        )
    if approver is None and meeting_ref is None:
        raise RuleViolationError("请用 --by 写明审定立项的主管领导（或用 --meeting 登记主任办公会纪要号）")
    return replace(
        case,
        state=target,
        last_step_on=on,
        approved_on=on,
        approver=approver,
        meeting_ref=meeting_ref,
        meeting_on=on if meeting_ref is not None else None,
        opinion=_line(opinion, what="审批意见", limit=5000),
    )


def reject(
    case: Case, *, on: date, today: date, reason: str, approver: str | None = None, meeting_ref: str | None = None
) -> Case:
    """不予立项 (final), decided as 立项 is: by the 主管领导 (--by), or the 主任办公会 (--meeting) for a 重大 item.
    Who decided is kept where 立项's decider is kept (approver, meeting_ref)."""
    target = begin_step(case, Action.REJECT, on=on, today=today)
    approver = _line(approver, what="审批人")
    meeting_ref = _line(meeting_ref, what="会议纪要号")
    if case.major and meeting_ref is None:
        raise RuleViolationError(
            f"{case.number} 是重大督查事项，不予立项也须经主任办公会审定：请用 --meeting 登记会议纪要号"
        )
    if approver is None and meeting_ref is None:
        raise RuleViolationError("请用 --by 写明决定不予立项的主管领导（或用 --meeting 登记主任办公会纪要号）")
    return replace(
        case,
        state=target,
        last_step_on=on,
        rejected_on=on,
        approver=approver,
        meeting_ref=meeting_ref,
        meeting_on=on if meeting_ref is not None else None,
        reject_reason=_line(reason, what="不予立项理由", required=True),
    )


def assign(
    case: Case,
    *,
    on: date,
    today: date,
    lead_unit: str,
    calendar: WorkingDays | None = None,
    assist_units: tuple[str, ...] = (),
    workdays: int | None = None,
    due: date | None = None,
    basis: str | None = None,
) -> Case:
    """交办: the clock starts. Due = `on` + 10 working days unless another limit is set with its basis."""
    target = begin_step(case, Action.ASSIGN, on=on, today=today)
    if workdays is not None and due is not None:
        raise InvalidInputError("--days 与 --due 只能给一个：按工作日数，或直接写办结期限")
    basis = _line(basis, what="期限依据")
    if (due is not None or (workdays is not None and workdays != DEFAULT_LIMIT_WORKDAYS)) and basis is None:
        raise RuleViolationError(
            f"办结时限不是默认的 {DEFAULT_LIMIT_WORKDAYS} 个工作日，须用 --basis 写明依据（另有规定或特殊案件限时办结）"
        )
    if lead_unit in assist_units:
        raise InvalidInputError(f"「{lead_unit}」已是主办单位，不能同时是协办单位")
    assist = tuple(dict.fromkeys(assist_units))
    provisional = False
    if due is None:
        workdays = _workdays(workdays if workdays is not None else DEFAULT_LIMIT_WORKDAYS)
        computed = _needed(calendar).deadline(on, workdays)
        due, provisional = computed.due, bool(computed.provisional)
    elif due <= on:
        raise RuleViolationError(f"办结期限 {due} 必须晚于交办日期 {on}")
    else:
        due, provisional = last_day_rule(_needed(calendar), due)
    return replace(
        case,
        state=target,
        last_step_on=on,
        lead_unit=lead_unit,
        assist_units=assist,
        assigned_on=on,
        limit_workdays=workdays,
        basis=basis,
        original_due=due,
        due=due,
        due_provisional=provisional,
    )


def _needed(calendar: WorkingDays | None) -> WorkingDays:
    if calendar is None:
        raise ValueError("a working-day calendar is needed to count working days")
    return calendar


def _workdays(n: int) -> int:
    if not 1 <= n <= MAX_LIMIT_WORKDAYS:
        raise InvalidInputError(f"工作日数须在 1 到 {MAX_LIMIT_WORKDAYS} 之间（给的是 {n}）")
    return n


def accept(case: Case, *, on: date, today: date, unit_ref: str | None = None) -> Case:
    """承办登记: the unit registered the item under its own reference number."""
    target = begin_step(case, Action.ACCEPT, on=on, today=today)
    return replace(
        case, state=target, last_step_on=on, accepted_on=on, unit_ref=_line(unit_ref, what="承办编号")
    )


def extend(
    case: Case,
    *,
    on: date,
    today: date,
    reason: str,
    approver: str,
    calendar: WorkingDays | None = None,
    workdays: int | None = None,
    to: date | None = None,
) -> Case:
    """延期: asked before the current due date passes, later than it, and within the cap."""
    target = begin_step(case, Action.EXTEND, on=on, today=today)
    if (workdays is None) == (to is None):
        raise InvalidInputError("延期请给 --days 工作日数 或 --to 新期限，二者只给一个")
    reason_text = _line(reason, what="延期理由", required=True) or ""
    approver_name = _line(approver, what="批准人", required=True) or ""
    current, original = case.due, case.original_due
    assert current is not None and original is not None  # an assigned case always has both
    if on > current:
        raise RuleViolationError(f"延期须在期限届满前申请：期限是 {current}，{on} 申请已过期限，不能延期")
    provisional = False
    if to is None:
        assert workdays is not None
        computed = _needed(calendar).deadline(current, _workdays(workdays))
        new_due, provisional = computed.due, bool(computed.provisional)
    else:
        if to <= current:
            raise RuleViolationError(f"新期限 {to} 必须晚于当前期限 {current}")
        new_due, provisional = last_day_rule(_needed(calendar), to)
    if new_due <= current:
        raise RuleViolationError(f"新期限 {new_due} 必须晚于当前期限 {current}")
    cap = extension_cap(original, _needed(calendar))
    if new_due > cap:
        raise RuleViolationError(
            f"新期限 {new_due} 超过延期上限 {cap}：延期最长不得超过1个月（原期限 {original} 加一个月，"
            "末日为休息日的顺延至其后第一个工作日）"
        )
    granted = Extension(
        granted_on=on,
        old_due=current,
        new_due=new_due,
        reason=reason_text,
        approver=approver_name,
        workdays=workdays if to is None else None,
        provisional=provisional,
    )
    return replace(
        case,
        state=target,
        last_step_on=on,
        due=new_due,
        due_provisional=case.due_provisional or provisional,
        extensions=(*case.extensions, granted),
    )


def feedback(
    case: Case,
    *,
    on: date,
    today: date,
    report_text: str | None = None,
    report_file: str | None = None,
    paper_location: str | None = None,
) -> Case:
    """反馈办结 with the 办结报告. A classified case records only the date and the paper file's location."""
    target = begin_step(case, Action.FEEDBACK, on=on, today=today)
    refuse_classified_content(case, report=report_text, report_file=report_file)
    text = free_text(report_text, what="办结报告内容", limit=MAX_REPORT_CHARS) if report_text else None
    if not case.classified and text is None and report_file is None:
        raise RuleViolationError("反馈办结须附办结报告：用 --report 写报告内容，或 --report-file 给报告文件")
    return replace(
        case,
        state=target,
        last_step_on=on,
        feedback_on=on,
        report_text=text,
        report_file=report_file,
        paper_location=_line(paper_location, what="纸质文件位置") or case.paper_location,
    )


def return_case(case: Case, *, on: date, today: date, reason: str) -> tuple[Case, str]:
    """退回重办: the feedback is not accepted; back to 承办中, the clock never stopped.

    The refused feedback's date and report are cleared (the audit trail keeps them); the reason
    is returned for the audit event.
    """
    target = begin_step(case, Action.RETURN, on=on, today=today)
    reason_text = _line(reason, what="退回理由", required=True) or ""
    changed = replace(
        case, state=target, last_step_on=on, feedback_on=None, report_text=None, report_file=None
    )
    return changed, reason_text


def archive(case: Case, *, on: date, today: date, location: str | None = None) -> Case:
    """归档 (final): only a completed case, with its 办结报告."""
    target = begin_step(case, Action.ARCHIVE, on=on, today=today)
    if case.feedback_on is None:
        raise RuleViolationError(f"{case.number} 没有办结反馈，不能归档")
    return replace(
        case, state=target, last_step_on=on, archived_on=on, archive_location=_line(location, what="归档位置")
    )


def withdraw(case: Case, *, on: date, today: date, reason: str) -> Case:
    """撤销 (final), from any state that is not final."""
    target = begin_step(case, Action.WITHDRAW, on=on, today=today)
    return replace(
        case,
        state=target,
        last_step_on=on,
        withdrawn_on=on,
        withdraw_reason=_line(reason, what="撤销理由", required=True),
    )


